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

func itoa(i int) string { return strconv.Itoa(i) }
