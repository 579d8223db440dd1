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
	"github.com/carrierkit/carrierkit/oam"
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
	loops := map[string]netip.Addr{"pe1": netip.MustParseAddr("10.255.0.1"), "pe2": netip.MustParseAddr("10.255.0.2")}
	plat := map[string]design.Platform{"pe1": {Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"},
		"pe2": {Vendor: design.VendorJuniper, Model: "acx2100", Series: "ACX"}}
	uni := map[string]string{"pe1": "xe-0/0/1", "pe2": "ge-0/0/1"}
	vpls := design.Service{Name: "lan-lab-300", Definition: design.DefVPLSLDP, Type: design.TypeVPLS,
		Params: design.Params{Signalling: design.SignallingLDP, Topology: design.TopologyFullMesh, VLANMode: design.VLANModeVLAN}}
	for _, pair := range [][2]string{{"pe1", "pe2"}, {"pe2", "pe1"}} {
		pe, other := pair[0], pair[1]
		vpls.Devices = append(vpls.Devices, design.DeviceIntent{Device: pe, Platform: plat[pe], Loopback: loops[pe],
			Attachments: []design.Attachment{{Interface: uni[pe], Unit: 300, Encapsulation: design.UnitVLANVPLS, VLAN: 300}},
			VPLS: &design.VPLSInstance{Name: "VPLS-LAB", Signalling: design.SignallingLDP, VPLSID: 3000,
				Interfaces: []string{uni[pe] + ".300"}, Neighbors: []netip.Addr{loops[other]}}})
	}
	arts, err = render.All(vpls, render.FormatSet)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		pushSet(t, sess[a.Device], string(a.Body))
	}
	up1 := waitPW(t, pe1, "pe1", "Up", 15*time.Second)
	waitPW(t, pe2, "pe2", "Up", 5*time.Second)
	t.Logf("E-LINE up on pe1 %v after the last commit", up1.Round(time.Millisecond))

	// Full-mesh OAM over the management addresses: every probe succeeds, and
	// the round trips come from the links' delays (2 ms + 5 ms each way,
	// jitter up to 1 ms on pe2 ─ p1), applied by the simulators.
	conn := oam.Sessions(map[string]oam.Session{"pe1": pe1, "pe2": pe2})
	for _, sv := range []design.Service{svc, vpls} {
		res, _ := runOAM(t, conn, sv, false)
		for _, r := range res {
			if rtt := r.Last().Ping.Avg; rtt < 14*time.Millisecond || rtt > 17*time.Millisecond {
				t.Errorf("%s %s: average round trip %v, want 14–16 ms from the link delays", sv.Name, r.Probe.ID(), rtt)
			}
		}
	}

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
	waitPW(t, pe2, "pe2", "OL", 5*time.Second) // pe2 stops hearing p1 a dead interval after the cut
	for _, sv := range []design.Service{svc, vpls} {
		_, findings := runOAM(t, conn, sv, true)
		named := false
		for _, f := range findings {
			t.Logf("%s diagnosis: %s %s on %s %s: %s", sv.Name, f.Probe, f.Cause, f.Device, f.Interface, f.Message)
			if f.Device == "pe2" && strings.HasPrefix(f.Interface, "ge-0/0/0") {
				named = true
			}
		}
		if !named {
			t.Errorf("%s: no finding names pe2 ge-0/0/0 (the cut link pe2:eth1 ─ p1:eth2): %+v", sv.Name, findings)
		}
	}
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
	for _, sv := range []design.Service{svc, vpls} {
		runOAM(t, conn, sv, false)
	}
	_ = sim.DefaultPort
}

// runOAM runs carrierkit's full-mesh OAM for svc and, when it is expected to
// fail, the diagnosis; it fails the test when the outcome is not the one
// expected.
func runOAM(t *testing.T, conn oam.Connector, svc design.Service, wantFail bool) ([]oam.Result, []oam.Finding) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	plan, err := oam.PlanService(svc, oam.PlanOptions{Count: 5})
	if err != nil {
		t.Fatal(err)
	}
	res, err := oam.Run(ctx, conn, plan, oam.Options{Timeout: 5 * time.Second, Attempts: 2, RetryDelay: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rep := oam.NewReport(plan, res, nil)
	if rep.OK() == wantFail {
		var b strings.Builder
		rep.WriteTable(&b)
		t.Fatalf("%s: OAM ok=%v, want %v:\n%s", svc.Name, rep.OK(), !wantFail, b.String())
	}
	if !wantFail {
		return res, nil
	}
	findings, _, err := oam.Diagnose(ctx, conn, plan, res, 2)
	if err != nil {
		t.Fatal(err)
	}
	return res, findings
}
