package lab

import (
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

// waitRPC polls rpc on s until its reply contains every one of want.
func waitRPC(t *testing.T, s *netconf.Session, node, rpc string, within time.Duration, want ...string) string {
	t.Helper()
	start := time.Now()
	var rep []byte
	for {
		var err error
		rep, err = s.Get(context.Background(), device.Query{RPC: rpc})
		if err != nil {
			t.Fatal(err)
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(string(rep), w)
		}
		if ok {
			return string(rep)
		}
		if time.Since(start) > within {
			t.Fatalf("%s: %s lacks %q within %v:\n%s", node, rpc, want, within, rep)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestMeshCFMAndPTPFollowTheVeths: CFM and PTP state in separate namespaces
// follow the lab's own links too. A down MEP on each end of the pe2 ─ p1
// link (5 ms ± 1 ms) finds its remote MEP and measures the link's delay; p1
// as grandmaster locks pe2's PTP slave port. Cutting the veth inside p1's
// namespace fails the remote MEP and puts pe2 into holdover; repairing it
// brings both back.
func TestMeshCFMAndPTPFollowTheVeths(t *testing.T) {
	needRoot(t)
	_, labBin := binaries(t)
	p, err := NewPlan("small.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	upLab(t, p, Options{Command: NodeCommand(labBin)})
	pe2, p1 := dial(t, p.Node("pe2")), dial(t, p.Node("p1"))

	// pe2 (acx2100) eth1 = ge-0/0/0 ─ p1 (ptx10003) eth2 = et-0/0/1.
	const ma = "set protocols oam ethernet connectivity-fault-management maintenance-domain MD maintenance-association LINK"
	cfm := func(ifl, id, rmep string) string {
		return strings.Join([]string{
			"set protocols oam ethernet connectivity-fault-management maintenance-domain MD level 5",
			ma + " continuity-check interval 1s",
			ma + " mep " + id + " interface " + ifl,
			ma + " mep " + id + " direction down",
			ma + " mep " + id + " remote-mep " + rmep,
		}, "\n")
	}
	ptp := func(role, ifl string) string {
		return "set protocols ptp clock-mode boundary\nset protocols ptp " + role + " interface " + ifl + " multicast-mode transport ieee-802.3"
	}
	pushSet(t, p1, core(9, map[string]string{"et-0/0/1": "10.0.2.1/30"})+"\n"+cfm("et-0/0/1.0", "1", "2")+"\n"+ptp("master", "et-0/0/1.0"))
	pushSet(t, pe2, core(2, map[string]string{"ge-0/0/0": "10.0.2.2/30"})+"\n"+cfm("ge-0/0/0.0", "2", "1")+"\n"+ptp("slave", "ge-0/0/0.0"))

	const mepdb = "<get-cfm-mep-database/>"
	const dm = `<get-cfm-delay-statistics><maintenance-domain>MD</maintenance-domain><maintenance-association>LINK</maintenance-association></get-cfm-delay-statistics>`
	const lock = "<get-ptp-lock-status/>"
	waitRPC(t, pe2, "pe2", mepdb, 15*time.Second, "<cfm-remote-mep-state>ok</cfm-remote-mep-state>")
	rep := waitRPC(t, pe2, "pe2", dm, 5*time.Second, "cfm-ethdm-average-twoway-delay")
	avg, err := strconv.ParseFloat(strings.TrimSpace(between(rep, "<cfm-ethdm-average-twoway-delay>", "<")), 64)
	// Two-way over one 5 ms ± 1 ms link: 10–12 ms plus forwarding.
	if err != nil || avg < 10000 || avg > 12100 {
		t.Errorf("pe2 two-way delay %v µs (%v) over the 5 ms ± 1 ms link, want 10000..12100", avg, err)
	}
	waitRPC(t, pe2, "pe2", lock, 10*time.Second, "PHASE ALIGNED")

	cut := func(state string) {
		if out, err := exec.Command("ip", "-n", p.Node("p1").Namespace, "link", "set", "eth2", state).CombinedOutput(); err != nil {
			t.Fatalf("ip link set eth2 %s: %v %s", state, err, out)
		}
	}
	cut("down")
	waitRPC(t, pe2, "pe2", mepdb, 10*time.Second, "<cfm-remote-mep-state>failed</cfm-remote-mep-state>")
	waitRPC(t, pe2, "pe2", lock, 5*time.Second, "HOLDOVER")
	cut("up")
	waitRPC(t, pe2, "pe2", mepdb, 10*time.Second, "<cfm-remote-mep-state>ok</cfm-remote-mep-state>")
	waitRPC(t, pe2, "pe2", lock, 5*time.Second, "PHASE ALIGNED")
}

// between returns the text of s after open up to the next close.
func between(s, open, close string) string {
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	s = s[i+len(open):]
	if j := strings.Index(s, close); j >= 0 {
		return s[:j]
	}
	return s
}
