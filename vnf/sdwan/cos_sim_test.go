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
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/sim"
)

// TestCommitCoSOnSimulatedSRX commits a spoke's SD-WAN configuration with
// its class of service to the simulator's srx345 over NETCONF and reads
// every class-of-service statement back from the committed configuration.
func TestCommitCoSOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := addressed(t, network(4, HubAndSpoke))
	cos, err := RenderCoS(d, "s02", cosPolicies(), map[string]netid.Bitrate{"inet": 50_000_000})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Render(d, "s02")
	if err != nil {
		t.Fatal(err)
	}
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
	for _, doc := range [][]byte{c.XML, c.RoutingXML, c.PoliciesXML, cos.XML} {
		if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
			t.Fatalf("load: %v\n%s", err, doc)
		}
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	lines := strings.Split(strings.TrimSpace(string(cos.Set)), "\n")
	for _, w := range lines {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("committed configuration lacks %q", w)
		}
	}
	if n := strings.Count(got, "set class-of-service "); n != len(lines) {
		t.Errorf("committed configuration has %d class-of-service lines, want %d:\n%s", n, len(lines), got)
	}
}
