package netconf_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
)

func dial(t *testing.T, tg device.Target) *netconf.Session {
	t.Helper()
	s, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func get(t *testing.T, s device.Session, q device.Query) string {
	t.Helper()
	b, err := s.Get(ctxT(t), q)
	if err != nil {
		t.Fatalf("Get(%+v): %v", q, err)
	}
	return string(b)
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("output lacks %q:\n%s", w, got)
		}
	}
}

func TestFacts(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	if s.SessionID() == 0 || len(s.Capabilities()) == 0 {
		t.Fatalf("session-id %d, %d capabilities", s.SessionID(), len(s.Capabilities()))
	}
	mustContain(t, get(t, s, device.RPCQuery("<get-software-information/>")),
		"<host-name>pe1</host-name>", "<product-model>mx480</product-model>")
	mustContain(t, get(t, s, device.RPCQuery("<get-chassis-inventory/>")), d.Serial())
	mustContain(t, get(t, s, device.CommandQuery("show version", device.Text)), "Hostname: pe1")
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "set system host-name pe1")
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Text)), "host-name pe1;")
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.XML)), "<configuration", "<host-name>pe1</host-name>")
}

func TestLoadCommit(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	line := `set interfaces xe-0/0/1 description "to p1 & p2"`
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(line)}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Compare, 0)), "+   xe-0/0/1 {", `+       description "to p1 & p2";`)
	if strings.Contains(get(t, s, device.ConfigQuery(device.Committed, device.Set)), "to p1") {
		t.Fatal("loaded change is already committed")
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Candidate, device.Set)), line)
	if err := device.Check(ctx, s); err != nil {
		t.Fatalf("commit check: %v", err)
	}
	if err := s.Commit(ctx, device.CommitOptions{Comment: "carrierkit test"}); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), line)
	// Text format with merge, then an XML override of one hierarchy via replace.
	text := "interfaces { xe-0/0/2 { description text-load; } }"
	if err := s.Load(ctx, device.Change{Format: device.Text, Data: []byte(text)}); err != nil {
		t.Fatalf("Load text: %v", err)
	}
	xmlCfg := `<configuration><interfaces><interface><name>xe-0/0/3</name><description>xml-load</description></interface></interfaces></configuration>`
	if err := s.Load(ctx, device.Change{Format: device.XML, Data: []byte(xmlCfg)}); err != nil {
		t.Fatalf("Load xml: %v", err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "text-load", "xml-load")
	if err := s.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRejected(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	before := d.Committed()

	// A statement the device does not know: refused at load, with the element.
	err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 bogus-knob 7")})
	var rej *device.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("Load of a bad statement: %v, want *RejectedError", err)
	}
	if rej.Op != "load" || rej.Message == "" || rej.Target != "pe1" || rej.Severity != "error" || !strings.Contains(rej.Input, "bogus-knob") {
		t.Fatalf("rejected load: %+v", rej)
	}
	if err := s.Rollback(ctx, 0); err != nil {
		t.Fatal(err)
	}

	// A reference to an interface that is not configured: accepted at load,
	// refused by commit check with the edit path.
	l2 := "set protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100 virtual-circuit-id 100"
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(l2)}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	err = device.Check(ctx, s)
	if !errors.As(err, &rej) {
		t.Fatalf("commit check: %v, want *RejectedError", err)
	}
	if rej.Op != "commit check" || !strings.Contains(rej.Path, "[edit protocols l2circuit") {
		t.Fatalf("rejected check: op %q path %q message %q", rej.Op, rej.Path, rej.Message)
	}
	if !strings.Contains(rej.Error(), rej.Path) {
		t.Errorf("Error() lacks the path: %s", rej.Error())
	}
	// Commit itself is refused too, and nothing changed.
	if err := s.Commit(ctx, device.CommitOptions{}); !errors.As(err, &rej) {
		t.Fatalf("commit: %v, want *RejectedError", err)
	}
	if !d.Committed().Equal(before) {
		t.Fatal("a refused commit changed the committed configuration")
	}
	// The session is still usable.
	if err := s.Rollback(ctx, 0); err != nil {
		t.Fatal(err)
	}
	mustContain(t, get(t, s, device.RPCQuery("<get-software-information/>")), "pe1")
	// A bad RPC is refused by the device; a malformed one is refused here.
	if _, err := s.Get(ctx, device.RPCQuery("<get-bogus-information/>")); !errors.As(err, &rej) {
		t.Fatalf("unknown rpc: %v", err)
	}
	if _, err := s.Get(ctx, device.RPCQuery("<a><b></a>")); err == nil || !strings.Contains(err.Error(), "<a><b></a>") {
		t.Fatalf("malformed rpc: %v", err)
	}
	if err := s.Rollback(ctx, 60); err == nil {
		t.Fatal("rollback 60 accepted")
	}
}

func TestConfirmedCommit(t *testing.T) {
	clock := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	d := startSim(t, "pe1", clock)
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	load := func(desc string) {
		t.Helper()
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 description " + desc)}); err != nil {
			t.Fatal(err)
		}
	}
	committed := func() string { return get(t, s, device.ConfigQuery(device.Committed, device.Set)) }

	// Confirmed, then confirmed in time: stays.
	load("kept")
	if err := s.Commit(ctx, device.CommitOptions{Confirmed: 90 * time.Second}); err != nil { // rounds up to 2 minutes
		t.Fatalf("commit confirmed: %v", err)
	}
	mustContain(t, committed(), "description kept")
	clock.Advance(time.Minute)
	if err := device.Confirm(ctx, s); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	clock.Advance(10 * time.Minute)
	mustContain(t, committed(), "description kept")

	// Confirmed and never confirmed: the device rolls back by itself.
	load("dropped")
	if err := s.Commit(ctx, device.CommitOptions{Confirmed: time.Minute}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, committed(), "description dropped")
	clock.Advance(59 * time.Second)
	mustContain(t, committed(), "description dropped")
	clock.Advance(2 * time.Second)
	got := committed()
	if strings.Contains(got, "dropped") || !strings.Contains(got, "description kept") {
		t.Fatalf("unconfirmed commit not rolled back:\n%s", got)
	}
	if err := s.Commit(ctx, device.CommitOptions{Check: true, Confirmed: time.Minute}); err == nil {
		t.Fatal("check+confirmed accepted")
	}
}

func TestRollback(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	for _, desc := range []string{"one", "two"} {
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 description " + desc)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// Discard: an uncommitted change disappears from the candidate.
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 description three")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Rollback(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if c := get(t, s, device.ConfigQuery(device.Compare, 0)); strings.TrimSpace(c) != "" {
		t.Fatalf("candidate differs after rollback 0:\n%s", c)
	}
	// Rollback 1 brings back "one" once committed.
	if err := s.Rollback(ctx, 1); err != nil {
		t.Fatal(err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Candidate, device.Set)), "description one")
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "description two")
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "description one")
	// A rollback the device does not have is refused.
	var rej *device.RejectedError
	if err := s.Rollback(ctx, 40); !errors.As(err, &rej) {
		t.Fatalf("rollback 40: %v, want *RejectedError", err)
	}
}
