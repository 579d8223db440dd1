package lab

import (
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
)

// core is the IS-IS + LDP + MPLS underlay of router n (loopback
// 10.255.0.n) on the given ports (port → address/30).
func core(n int, ports map[string]string) string {
	lo := fmt.Sprintf("10.255.0.%d", n)
	out := []string{
		"set interfaces lo0 unit 0 family inet address " + lo + "/32",
		fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n),
		"set routing-options router-id " + lo,
		"set protocols isis interface lo0.0 passive",
		"set protocols ldp interface lo0.0",
	}
	for p, a := range ports {
		out = append(out,
			"set interfaces "+p+" unit 0 family inet address "+a,
			"set interfaces "+p+" unit 0 family iso",
			"set interfaces "+p+" unit 0 family mpls",
			"set protocols isis interface "+p+".0",
			"set protocols mpls interface "+p+".0",
			"set protocols ldp interface "+p+".0")
	}
	return strings.Join(out, "\n")
}

func pushSet(t *testing.T, s *netconf.Session, lines string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Unlock(ctx)
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(lines)}); err != nil {
		t.Fatalf("load: %v\n%s", err, lines)
	}
	if err := s.Commit(ctx, device.CommitOptions{Comment: "lab test"}); err != nil {
		t.Fatal(err)
	}
}

var statusRE = regexp.MustCompile(`<connection-status>([^<]+)</connection-status>`)

// waitPW polls a PE's l2circuit status until it is want.
func waitPW(t *testing.T, s *netconf.Session, node, want string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	var rep []byte
	for time.Since(start) < within {
		var err error
		rep, err = s.Get(context.Background(), device.Query{RPC: "<get-l2ckt-connection-information/>"})
		if err != nil {
			t.Fatal(err)
		}
		if m := statusRE.FindAllSubmatch(rep, -1); len(m) == 1 && string(m[0][1]) == want {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: l2circuit not %s within %v:\n%s", node, want, within, rep)
	return 0
}

// The proof of the inter-simulator protocol: every node of the small lab
// runs in its own namespace and knows the others only through hellos and
// LSAs on the veths. An E-LINE rendered by carrierkit and pushed over
// NETCONF to the management addresses comes up; `ip link set eth1 down`
// inside p1's namespace takes it down; up again restores it.
func TestMeshELineFollowsTheVeths(t *testing.T) {
	needRoot(t)
	_, labBin := binaries(t)
	p, err := NewPlan("small.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	upLab(t, p, Options{Command: NodeCommand(labBin)})
	pe1, pe2, p1 := dial(t, p.Node("pe1")), dial(t, p.Node("pe2")), dial(t, p.Node("p1"))

	// pe1 (mx480) eth1 = xe-0/0/0 ─ p1 (ptx10003) eth1 = et-0/0/0;
	// pe2 (acx2100) eth1 = ge-0/0/0 ─ p1 eth2 = et-0/0/1.
	pushSet(t, pe1, core(1, map[string]string{"xe-0/0/0": "10.0.1.1/30"}))
	pushSet(t, p1, core(9, map[string]string{"et-0/0/0": "10.0.1.2/30", "et-0/0/1": "10.0.2.1/30"}))
	pushSet(t, pe2, core(2, map[string]string{"ge-0/0/0": "10.0.2.2/30"}))

	end := func(dev, model, series, port, self, peer string) design.DeviceIntent {
		att := design.Attachment{Interface: port, Unit: 100, Encapsulation: design.UnitVLANCCC, VLAN: 100}
		return design.DeviceIntent{Device: dev, Loopback: netip.MustParseAddr(self),
			Platform:    design.Platform{Vendor: design.VendorJuniper, Model: model, Series: series},
			Attachments: []design.Attachment{att},
			L2Circuits: []design.L2Circuit{{Neighbor: netip.MustParseAddr(peer), Interface: att.Name(),
				VCID: 100, Encapsulation: design.EncapEthernetVLAN}}}
	}
	svc := design.Service{Name: "eline-lab-100", Definition: design.DefELineLDP, Type: design.TypeELine,
		Description: "lab E-LINE", Devices: []design.DeviceIntent{
			end("pe1", "mx480", "MX", "xe-0/0/1", "10.255.0.1", "10.255.0.2"),
			end("pe2", "acx2100", "ACX", "ge-0/0/1", "10.255.0.2", "10.255.0.1"),
		}}
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		t.Fatal(err)
	}
	sess := map[string]*netconf.Session{"pe1": pe1, "pe2": pe2}
	for _, a := range arts {
		pushSet(t, sess[a.Device], string(a.Body))
	}
	up1 := waitPW(t, pe1, "pe1", "Up", 15*time.Second)
	waitPW(t, pe2, "pe2", "Up", 5*time.Second)
	t.Logf("E-LINE up on pe1 %v after the last commit", up1.Round(time.Millisecond))

	// The core link pe2 ─ p1 is cut on p1's side only; pe2 learns it from
	// the hellos it no longer gets.
	cut := func(state string) {
		if out, err := exec.Command("ip", "-n", p.Node("p1").Namespace, "link", "set", "eth2", state).CombinedOutput(); err != nil {
			t.Fatalf("ip link set eth2 %s: %v %s", state, err, out)
		}
	}
	cut("down")
	down := waitPW(t, pe1, "pe1", "OL", 10*time.Second)
	t.Logf("pseudowire down on pe1 %v after the cut", down.Round(time.Millisecond))
	rep, err := pe2.Get(context.Background(), device.Query{RPC: "<get-interface-information><interface-name>ge-0/0/0</interface-name></get-interface-information>"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rep), "<oper-status>down</oper-status>") {
		t.Errorf("pe2 ge-0/0/0 after p1 cut eth2:\n%s", rep)
	}
	cut("up")
	again := waitPW(t, pe1, "pe1", "Up", 10*time.Second)
	t.Logf("pseudowire up again on pe1 %v after the repair", again.Round(time.Millisecond))
	_ = sim.DefaultPort
}
