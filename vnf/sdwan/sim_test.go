package sdwan

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
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
		dev, err := sim.Start(ctx, sim.Options{Hostname: site, Platform: platform,
			Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: "admin", Password: "admin123"}}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dev.Close() })
		s, err := netconf.Dial(ctx, device.Target{Name: site, Addr: dev.Addr(), Credentials: device.Password("admin", "admin123"),
			HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(dev.HostKey()))))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		c, err := Render(d, site)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range [][]byte{c.XML, c.RoutingXML, c.PoliciesXML, c.NATXML} {
			if doc == nil {
				continue
			}
			if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
				t.Fatalf("%s: load: %v\n%s", site, err, doc)
			}
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatalf("%s: commit: %v", site, err)
		}
		got, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.Split(strings.TrimSpace(string(c.Set)), "\n") {
			if !strings.Contains(string(got), w) {
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
			if !strings.Contains(string(got), w) {
				t.Errorf("s01 hop %d: committed configuration lacks %q", i, w)
			}
		}
	}
}
