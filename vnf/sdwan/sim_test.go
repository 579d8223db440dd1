package sdwan

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
)

// TestDeployOnSimulatedSRX commits a one-hub network's hub and spoke
// configuration to simulated SRX devices over NETCONF. Each site has one
// link, so every route has one next hop: the simulator's schema has no
// qualified-next-hop yet (request vnf-sdwan-1.patch), and the two-hub
// failover configuration is checked against the YANG models only.
func TestDeployOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := network(3, HubAndSpoke)
	n.Hubs = n.Hubs[:1]
	n.Sites = append([]Site{}, n.Sites...)
	for i := range n.Sites {
		n.Sites[i].Links = n.Sites[i].Links[:1]
	}
	n.Sites = append(n.Sites[:1], n.Sites[2:]...) // drop h2
	d := addressed(t, n)
	for _, site := range []string{"h1", "s01"} {
		dev, err := sim.Start(ctx, sim.Options{Hostname: site, Platform: "srx345",
			Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: "admin", Password: "admin123"}}})
		if err != nil {
			t.Fatal(err)
		}
		defer dev.Close()
		s, err := netconf.Dial(ctx, device.Target{Name: site, Addr: dev.Addr(), Credentials: device.Password("admin", "admin123"),
			HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(dev.HostKey()))))})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		c, err := Render(d, site)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(c.Set), "qualified-next-hop") {
			t.Fatalf("single-link network rendered qualified next hops:\n%s", c.Set)
		}
		for _, doc := range [][]byte{c.XML, c.RoutingXML, c.PoliciesXML} {
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
		for _, w := range []string{"set security ipsec vpn", "bind-interface st0.", "set routing-options static route 10.0.",
			"from-zone trust to-zone sdwan policy acme-wan-sdwan"} {
			if !strings.Contains(string(got), w) {
				t.Errorf("%s: committed configuration lacks %q:\n%s", site, w, got)
			}
		}
	}
}
