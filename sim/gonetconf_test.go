package sim

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Juniper/go-netconf/netconf"
)

// TestGoNetconfClient drives the device with Juniper/go-netconf v0.1.1, the
// client carrierkit's device package uses. Its quirks: Exec returns an error
// only for top-level rpc-errors, reply.Ok is never set (check Data for <ok/>).
func TestGoNetconfClient(t *testing.T) {
	d := startTestDevice(t, nil)
	cfg := sshConfig(d)
	s, err := netconf.DialSSHTimeout(d.Addr().String(), cfg, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.SessionID == 0 || len(s.ServerCapabilities) == 0 {
		t.Fatalf("hello not parsed: id=%d caps=%v", s.SessionID, s.ServerCapabilities)
	}
	exec := func(rpc string) string {
		t.Helper()
		r, err := s.Exec(netconf.RawMethod(rpc))
		if err != nil {
			t.Fatalf("%s: %v", rpc, err)
		}
		return r.Data
	}
	mustContain(t, exec("<get-software-information/>"), "<host-name>pe1</host-name>", "<junos-version>23.4R2.13</junos-version>")
	mustContain(t, exec("<get-chassis-inventory/>"), "<serial-number>"+d.Serial()+"</serial-number>")
	mustContain(t, exec(`<lock><target><candidate/></target></lock>`), "<ok/>")
	mustContain(t, exec(loadSet("set interfaces xe-0/0/1 description gonetconf")), "<ok/>")
	mustContain(t, exec(`<commit-configuration><check/></commit-configuration>`), "<commit-check-success/>")
	mustContain(t, exec(`<commit-configuration><confirmed/><confirm-timeout>5</confirm-timeout></commit-configuration>`), "<commit-success/>")
	mustContain(t, exec(`<commit/>`), "<ok/>")
	if _, ok := d.confirmPending(); ok {
		t.Fatal("plain commit did not confirm")
	}
	mustContain(t, exec(`<get-configuration compare="rollback" rollback="2" format="text"/>`), "+   xe-0/0/1 {", "+       description gonetconf;")
	mustContain(t, exec(`<unlock><target><candidate/></target></unlock>`), "<ok/>")
	// An rpc-error at the top level comes back as *netconf.RPCError.
	_, err = s.Exec(netconf.RawMethod(`<get-bogus/>`))
	var rerr *netconf.RPCError
	if err == nil {
		t.Fatal("unknown RPC: no error")
	}
	if e, ok := err.(*netconf.RPCError); ok {
		rerr = e
	}
	if rerr == nil || strings.TrimSpace(rerr.Message) != "syntax error" {
		t.Fatalf("unknown RPC: %#v", err)
	}
	// A large reply crosses many read windows intact.
	lines := make([]string, 0, 2000)
	for i := 0; i < 2000; i++ {
		lines = append(lines, "set interfaces ge-1/0/1 unit "+itoa(i+1)+" description \"padding unit for a long reply\"")
	}
	mustContain(t, exec(loadSet(lines...)), "<ok/>")
	big := exec(`<get-configuration format="set"/>`)
	mustContain(t, big, "unit 2000 description")
}

// TestGoNetconfFailures: through go-netconf, a commit check that fails, a
// confirmed commit nobody confirms (rolled back when the fake clock passes
// its timeout) and a second session locked out.
func TestGoNetconfFailures(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	dial := func() *netconf.Session {
		t.Helper()
		s, err := netconf.DialSSHTimeout(d.Addr().String(), sshConfig(d), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if s.SessionID == 0 {
			t.Fatal("hello not parsed")
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	exec := func(s *netconf.Session, rpc string) (string, error) {
		t.Helper()
		r, err := s.Exec(netconf.RawMethod(rpc))
		if r == nil {
			return "", err
		}
		return r.Data, err
	}
	a, b := dial(), dial()

	// Lock contention: b cannot lock or load while a holds the lock.
	if out, err := exec(a, `<lock-configuration/>`); err != nil || !strings.Contains(out, "<ok/>") {
		t.Fatalf("lock: %v %s", err, out)
	}
	out, err := exec(b, loadSet("set interfaces xe-0/0/2 description other"))
	if err == nil && !strings.Contains(out, "configuration database locked") {
		t.Fatalf("load while locked elsewhere succeeded: %s", out)
	}
	if err != nil && !strings.Contains(err.Error(), "locked") {
		t.Fatalf("load while locked elsewhere: want the lock message, got %v", err)
	}

	// A commit check that fails names the offending statement, and the
	// committed configuration is unchanged.
	before := d.Committed().SetLines()
	mustContain(t, mustExec(t, a, loadSet("set protocols l2circuit neighbor 192.0.2.2 interface xe-0/0/9.100 virtual-circuit-id 100")), "<ok/>")
	chk := mustExec(t, a, `<commit-configuration><check/></commit-configuration>`)
	mustContain(t, chk, "<rpc-error>", "<error-severity>error</error-severity>", "xe-0/0/9.100")
	if strings.Contains(chk, "<commit-check-success/>") {
		t.Fatalf("failing check reported success: %s", chk)
	}
	mustExec(t, a, `<discard-changes/>`)

	// A confirmed commit that is never confirmed rolls back by itself.
	mustContain(t, mustExec(t, a, loadSet("set interfaces xe-0/0/1 description confirm-me")), "<ok/>")
	mustContain(t, mustExec(t, a, `<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>`), "<commit-success/>")
	if !strings.Contains(string(d.Committed().SetLines()), "confirm-me") {
		t.Fatal("confirmed commit not applied")
	}
	clk.Advance(119 * time.Second)
	if !strings.Contains(string(d.Committed().SetLines()), "confirm-me") {
		t.Fatal("rolled back before the timeout")
	}
	clk.Advance(2 * time.Second)
	if got := d.Committed().SetLines(); string(got) != string(before) {
		t.Fatalf("not rolled back after the timeout:\n%s\nwant:\n%s", got, before)
	}
	mustContain(t, mustExec(t, a, `<unlock-configuration/>`), "<ok/>")
	// With the lock released, b can work again.
	mustContain(t, mustExec(t, b, loadSet("set interfaces xe-0/0/2 description other")), "<ok/>")
}

func mustExec(t *testing.T, s *netconf.Session, rpc string) string {
	t.Helper()
	r, err := s.Exec(netconf.RawMethod(rpc))
	if err != nil {
		t.Fatalf("%s: %v", rpc, err)
	}
	return r.Data
}

func itoa(i int) string { return strconv.Itoa(i) }
