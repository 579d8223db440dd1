package sdwan

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/internal/simtest"
)

// TestDeployOnSimulated commits a 50-spoke, two-hub, two-transport network
// to 52 simulated devices (hubs and half the spokes SRX, the other half NFX)
// over NETCONF, and
// checks that the spokes' routes prefer hub h1 over MPLS, then h1 over the
// Internet, then h2, as Design.Path models.
func TestDeployOnSimulated(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := addressed(t, network(50, HubAndSpoke))
	for i, st := range d.Network.Sites {
		site, platform := st.Name, "srx345"
		if i%2 == 1 && i > 1 {
			platform = "nfx250"
		}
		s := simtest.Dial(t, ctx, simtest.Start(t, ctx, site, platform), simtest.User, simtest.Password)
		c, err := Render(d, site)
		if err != nil {
			t.Fatal(err)
		}
		got := simtest.Commit(t, ctx, s, c.XML, c.RoutingXML, c.PoliciesXML, c.NATXML)
		for _, w := range strings.Split(strings.TrimSpace(string(c.Set)), "\n") {
			if !strings.Contains(got, w) {
				t.Errorf("%s: committed configuration lacks %q", site, w)
			}
		}
		if site != "s01" {
			continue
		}
		// s01 to s03's LAN: h1 over mpls, h1 over inet, h2 over mpls, h2
		// over inet, in that order of preference.
		var hops []string
		for _, tr := range []struct{ hub, transport string }{{"h1", "mpls"}, {"h1", "inet"}, {"h2", "mpls"}, {"h2", "inet"}} {
			i := slices.IndexFunc(d.Tunnels, func(x Tunnel) bool { return x.A == "s01" && x.B == tr.hub && x.Transport == tr.transport })
			_, far := d.Tunnels[i].ends("s01")
			hops = append(hops, far.Addr().String())
		}
		for i, w := range []string{
			"set routing-options static route 10.0.5.0/24 next-hop " + hops[0],
			"set routing-options static route 10.0.5.0/24 qualified-next-hop " + hops[1] + " preference 6",
			"set routing-options static route 10.0.5.0/24 qualified-next-hop " + hops[2] + " preference 7",
			"set routing-options static route 10.0.5.0/24 qualified-next-hop " + hops[3] + " preference 8",
		} {
			if !strings.Contains(got, w) {
				t.Errorf("s01 hop %d: committed configuration lacks %q", i, w)
			}
		}
	}
}
