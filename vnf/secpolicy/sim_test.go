package secpolicy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/internal/simtest"
)

// TestCommitOnSimulatedSRX commits a compiled policy that matches on "any"
// (no address book) with NAT, deny and reject to the simulator's srx345 over
// NETCONF, then removes it with Config.Delete.
func TestCommitOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := simtest.Dial(t, ctx, simtest.Start(t, ctx, "fw1", "srx345"), simtest.User, simtest.Password)
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
	got := simtest.Commit(t, ctx, s, c.PoliciesXML, c.NATXML)
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
