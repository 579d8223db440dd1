package collect_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

// core is a router's IS-IS + LDP + MPLS base with loopback 10.255.0.n and
// one addressed core port per entry of ifs.
func core(n int, ifs map[string]string) string {
	lo := fmt.Sprintf("10.255.0.%d", n)
	out := []string{
		"set interfaces lo0 unit 0 family inet address " + lo + "/32",
		fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n),
		"set routing-options router-id " + lo,
		"set protocols isis interface lo0.0 passive",
		"set protocols ldp interface lo0.0",
	}
	for ifd, addr := range ifs {
		for _, l := range []string{"interfaces " + ifd + " unit 0 family inet address " + addr, "interfaces " + ifd + " unit 0 family iso",
			"interfaces " + ifd + " unit 0 family mpls", "protocols isis interface " + ifd + ".0", "protocols mpls interface " + ifd + ".0",
			"protocols ldp interface " + ifd + ".0"} {
			out = append(out, "set "+l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// TestProofELineOverPseudowire measures a real E-LINE: up MEPs on the
// attachment circuits of an LDP pseudowire pe1 → p1 → pe2, the service
// rendered by render and its CFM by sla, both committed over NETCONF. The
// frames follow the pseudowire's path: 2 ms + 3 ms one way, 0.5 % loss on
// the second link.
func TestProofELineOverPseudowire(t *testing.T) {
	clk := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	topo := fmt.Sprintf(`name: sla-eline
topology:
  defaults:
    kind: linux
    env: {CARRIERKIT_PASSWORD: %s}
    labels: {carrierkit.sim/platform: mx480}
  nodes:
    pe1: {labels: {carrierkit.sim/address: 127.0.133.1}}
    p1:  {labels: {carrierkit.sim/address: 127.0.133.2}}
    pe2: {labels: {carrierkit.sim/address: 127.0.133.3}}
    ce1: {labels: {carrierkit.sim/address: 127.0.133.4}}
    ce2: {labels: {carrierkit.sim/address: 127.0.133.5}}
  links:
    - {endpoints: ["pe1:eth1", "p1:eth1"], vars: {carrierkit.sim/delay: 2ms}}
    - {endpoints: ["p1:eth2", "pe2:eth1"], vars: {carrierkit.sim/delay: 3ms, carrierkit.sim/loss: "0.5"}}
    - {endpoints: ["ce1:eth1", "pe1:eth2"]}
    - {endpoints: ["ce2:eth1", "pe2:eth2"]}
`, pass)
	tp, err := sim.ParseTopology([]byte(topo), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := sim.StartNetwork(context.Background(), tp, sim.NetworkOptions{AnyPort: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	ctx := context.Background()
	sessions := map[string]device.Session{}
	for _, name := range []string{"pe1", "p1", "pe2"} {
		d := nw.Device(name)
		s, err := netconf.Dial(ctx, device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password("admin", pass),
			HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey()))))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		sessions[name] = s
	}
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	at := design.Attachment{Interface: "xe-0/0/1", Unit: 100, VLAN: 100, Encapsulation: design.UnitVLANCCC}
	pw := func(nb string) []design.L2Circuit {
		return []design.L2Circuit{{Neighbor: netip.MustParseAddr(nb), Interface: "xe-0/0/1.100", VCID: netid.VCID(100), Encapsulation: design.EncapEthernetVLAN}}
	}
	svc := design.Service{Name: "EVC-PW", Type: design.TypeELine, Devices: []design.DeviceIntent{
		{Device: "pe1", Platform: mx, Loopback: netip.MustParseAddr("10.255.0.1"), Attachments: []design.Attachment{at}, L2Circuits: pw("10.255.0.2")},
		{Device: "pe2", Platform: mx, Loopback: netip.MustParseAddr("10.255.0.2"), Attachments: []design.Attachment{at}, L2Circuits: pw("10.255.0.1")},
	}}
	plan, err := sla.Design(svc, sla.CFMSpec{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{
		"pe1": core(1, map[string]string{"xe-0/0/0": "10.0.1.1/30"}),
		"p1":  core(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.1/30"}),
		"pe2": core(2, map[string]string{"xe-0/0/0": "10.0.2.2/30"}),
	}
	for _, d := range svc.Devices {
		a, err := render.Junos(svc, d, render.FormatSet)
		if err != nil {
			t.Fatal(err)
		}
		c, err := sla.RenderDevice(plan, d.Device, render.FormatSet)
		if err != nil {
			t.Fatal(err)
		}
		cfg[d.Device] += string(a.Body) + string(c.Body)
	}
	for name, c := range cfg {
		s := sessions[name]
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(c)}); err != nil {
			t.Fatalf("load %s: %v\n%s", name, err, c)
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatalf("commit %s: %v", name, err)
		}
	}
	nw.Sync()
	col, err := collect.New(plan, map[string]collect.Getter{"pe1": sessions["pe1"], "pe2": sessions["pe2"]},
		collect.WithNow(clk.Now), collect.WithCount(100))
	if err != nil {
		t.Fatal(err)
	}
	samples, alerts, err := col.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 2 || len(alerts) != 0 {
		t.Fatalf("samples %+v alerts %v", samples, alerts)
	}
	for _, s := range samples {
		st, err := sla.SummarizeDelay(s.Delays, 99)
		if !s.Up || err != nil {
			t.Fatalf("%s: up %v, %v", s.Key, s.Up, err)
		}
		t.Logf("%s: %d delays, min %v mean %v max %v; FLR far %.4f near %.4f", s.Key, st.Count, st.Min, st.Mean, st.Max, s.Loss.FarEndFLR(), s.Loss.NearEndFLR())
		// No jitter: two-way = 2 × (5 ms + per-hop forwarding, 20 µs a
		// hop, a handful of hops): 10 ms plus at most 0.3 ms.
		if st.Min < 10*time.Millisecond || st.Max > 10300*time.Microsecond {
			t.Errorf("%s: delays %v..%v, want 10..10.3 ms", s.Key, st.Min, st.Max)
		}
		// 0.5 % over 100 000 frames per direction (≈ 500, σ ≈ 22): ±20 %.
		for _, f := range []float64{s.Loss.FarEndFLR(), s.Loss.NearEndFLR()} {
			if f < 0.004 || f > 0.006 {
				t.Errorf("%s: FLR %.4f, want 0.5 %% ± 0.1", s.Key, f)
			}
		}
	}
}
