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

// TestCommitSteeringOnSimulatedSRX commits a spoke with its APBR steering
// (profile, zone binding, forwarding instances) to the simulator's srx345.
func TestCommitSteeringOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := addressed(t, network(4, HubAndSpoke))
	p := Policies{Traffic: []TrafficType{{Name: "voice", DSCP: 46, Priority: 1}}, SLAs: []SLAProfile{{Name: "rt", MaxLoss: 1}},
		Apps: []AppPolicy{{Name: "sip", Applications: []string{"junos:SIP"}, Traffic: "voice", SLA: "rt"}}}
	steer := []Steering{{App: "sip", Transport: "inet", MeetsSLA: true}}
	sc, err := RenderSteering(d, "s02", p, steer)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := Render(d, "s02")
	dev, err := sim.Start(ctx, sim.Options{Hostname: "s02", Platform: "srx345",
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: "admin", Password: "admin123"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	s, err := netconf.Dial(ctx, device.Target{Name: "s02", Addr: dev.Addr(), Credentials: device.Password("admin", "admin123"),
		HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(dev.HostKey()))))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, doc := range [][]byte{c.XML, c.RoutingXML, c.PoliciesXML, sc.SecurityXML, sc.RoutingXML} {
		if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
			t.Fatalf("load: %v\n%s", err, doc)
		}
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	b, _ := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	for _, w := range strings.Split(strings.TrimSpace(string(sc.Set)), "\n") {
		if !strings.Contains(string(b), w) {
			t.Errorf("lacks %q", w)
		}
	}
}
