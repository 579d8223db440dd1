package secpolicy

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

// TestCommitAddressBookAndUTMOnSimulatedSRX commits the sample policy, with
// its address book, UTM policy and NAT, to the simulator's srx345.
func TestCommitAddressBookAndUTMOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dev, err := sim.Start(ctx, sim.Options{Hostname: "fw1", Platform: "srx345",
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: "admin", Password: "admin123"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	s, err := netconf.Dial(ctx, device.Target{Name: "fw1", Addr: dev.Addr(), Credentials: device.Password("admin", "admin123"),
		HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(dev.HostKey()))))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, _, err := Compile(sample())
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{c.AddressXML, c.PoliciesXML, c.NATXML} {
		if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
			t.Fatalf("load: %v\n%s", err, doc)
		}
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	b, _ := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	for _, w := range strings.Split(strings.TrimSpace(string(c.Set)), "\n") {
		if !strings.Contains(string(b), w) {
			t.Errorf("lacks %q", w)
		}
	}
}
