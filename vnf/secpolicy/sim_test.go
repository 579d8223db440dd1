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

// TestCommitOnSimulatedSRX commits a compiled policy that matches on "any"
// (no address book) with NAT, deny and reject to the simulator's srx345 over
// NETCONF, then removes it with Config.Delete.
func TestCommitOnSimulatedSRX(t *testing.T) {
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
	p := Policy{Tenant: "acme", Rules: []Rule{
		{Name: "ssh", From: "trust", To: "untrust", Applications: []string{"junos-ssh"}, Action: Reject},
		{Name: "out", From: "trust", To: "untrust", Action: Permit, NAT: NAT{Interface: true}, Log: true},
		{Name: "in", From: "untrust", To: "trust", Action: Deny},
	}}
	c, _, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.AddressXML != nil {
		t.Fatal("address book for a policy without prefixes")
	}
	for _, doc := range [][]byte{c.PoliciesXML, c.NATXML} {
		if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
			t.Fatalf("load: %v\n%s", err, doc)
		}
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	got := get(t, ctx, s)
	for _, w := range strings.Split(strings.TrimSpace(string(c.Set)), "\n") {
		if !strings.Contains(got, w) {
			t.Errorf("committed configuration lacks %q:\n%s", w, got)
		}
	}
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: c.Delete}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, ctx, s); strings.Contains(got, "acme-") {
		t.Errorf("after delete:\n%s", got)
	}
}

func get(t *testing.T, ctx context.Context, s device.Session) string {
	t.Helper()
	b, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
