package collect_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

const pass = "sla-proof-pass"

// lab starts two simulated MX routers joined by one impaired link and
// opens a real NETCONF session to each.
func lab(t testing.TB, subnet, vars string, clk sim.Clock) (*sim.Network, map[string]collect.Getter) {
	t.Helper()
	topo := fmt.Sprintf(`name: sla
topology:
  defaults:
    kind: linux
    env: {CARRIERKIT_PASSWORD: %s}
    labels: {carrierkit.sim/platform: mx480}
  nodes:
    pe1: {labels: {carrierkit.sim/address: %s.1}}
    pe2: {labels: {carrierkit.sim/address: %s.2}}
  links:
    - endpoints: ["pe1:eth1", "pe2:eth1"]
      vars: {%s}
`, pass, subnet, subnet, vars)
	tp, err := sim.ParseTopology([]byte(topo), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := sim.StartNetwork(context.Background(), tp, sim.NetworkOptions{AnyPort: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	sessions := map[string]collect.Getter{}
	for _, name := range []string{"pe1", "pe2"} {
		d := nw.Device(name)
		s, err := netconf.Dial(context.Background(), device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password("admin", pass),
			HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey()))))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		sessions[name] = s
	}
	return nw, sessions
}

// service is an E-LINE whose two attachments face each other across the
// impaired link, so the MEPs' frames cross exactly that link.
func service() design.Service {
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	at := design.Attachment{Interface: "xe-0/0/0", Unit: 0, Encapsulation: design.UnitEthernetCCC}
	return design.Service{Name: "EVC-PROOF", Type: design.TypeELine, Devices: []design.DeviceIntent{
		{Device: "pe1", Platform: mx, Attachments: []design.Attachment{at}},
		{Device: "pe2", Platform: mx, Attachments: []design.Attachment{at}},
	}}
}

// deploy renders the plan as set lines and commits it over NETCONF, with
// the interface addressing the simulator needs to bring the units up.
func deploy(t testing.TB, plan sla.Plan, sessions map[string]collect.Getter) {
	t.Helper()
	arts, err := sla.Render(plan, render.FormatSet)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, a := range arts {
		s := sessions[a.Device].(device.Session)
		cfg := fmt.Sprintf("set interfaces xe-0/0/0 unit 0 family inet address 10.9.9.%d/24\n%s", i+1, a.Body)
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(cfg)}); err != nil {
			t.Fatalf("load %s: %v\n%s", a.Device, err, cfg)
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatalf("commit %s: %v", a.Device, err)
		}
	}
}

func spec() sla.CFMSpec {
	return sla.CFMSpec{
		Profiles: []sla.IteratorProfile{{Name: "DM", Type: sla.MeasureTwoWayDelay, CycleTime: time.Second, IterationPeriod: 60, DelayWeight: 1, DelayVariationWeight: 1}},
		Action:   &sla.ActionProfile{Name: "AP-DOWN", AdjacencyLoss: true, InterfaceDown: true},
	}
}

// TestProofImpairments: over real NETCONF, delay and loss measured through
// the rendered CFM match the link's configured 5 ms ± 1 ms jitter and 1 %
// loss; a delay increase breaches the objective and a cut link loses
// connectivity, each through the alert callback.
func TestProofImpairments(t *testing.T) {
	clk := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nw, sessions := lab(t, "127.0.131", `carrierkit.sim/delay: 5ms, carrierkit.sim/jitter: 1ms, carrierkit.sim/loss: "1"`, clk)
	plan, err := sla.Design(service(), spec())
	if err != nil {
		t.Fatal(err)
	}
	deploy(t, plan, sessions)
	nw.Sync()
	var alerts []sla.Alert
	obj := sla.Objective{Class: "business", MaxDelay: 15 * time.Millisecond, MaxFLR: 0.02, MinAvailability: 0.9999, AvailabilityN: 3}
	c, err := collect.New(plan, sessions, collect.WithNow(clk.Now), collect.WithCount(100), collect.WithObjective(obj),
		collect.WithAlert(func(a sla.Alert) { alerts = append(alerts, a) }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	samples, _, err := c.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 2 {
		t.Fatalf("%d samples, want one per direction: %+v", len(samples), samples)
	}
	for _, s := range samples {
		if !s.Up {
			t.Fatalf("%s: remote MEP not ok", s.Key)
		}
		// One-way = 5 ms + U[0, 1 ms) jitter + 20 µs forwarding; two-way is
		// two of them: in [10.04, 12.04) ms, mean 11.04 ms. Over ~98 frames
		// the mean's standard deviation is about 0.04 ms: tolerance ±0.3 ms.
		st, err := sla.SummarizeDelay(s.Delays, 99)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d delays, min %v mean %v p99 %v max %v; FLR far %.4f near %.4f", s.Key, st.Count, st.Min, st.Mean, st.P99, st.Max, s.Loss.FarEndFLR(), s.Loss.NearEndFLR())
		if st.Min < 10040*time.Microsecond || st.Max >= 12040*time.Microsecond {
			t.Errorf("%s: delays %v..%v outside [10.04, 12.04) ms", s.Key, st.Min, st.Max)
		}
		if d := st.Mean - 11040*time.Microsecond; d < -300*time.Microsecond || d > 300*time.Microsecond {
			t.Errorf("%s: mean two-way delay %v, want 11.04 ms ± 0.3 ms", s.Key, st.Mean)
		}
		// 1 % per direction over 100 × 1000 frames: 1000 expected, standard
		// deviation ≈ 31: tolerance ±15 % (0.85 %..1.15 %).
		for dir, f := range map[string]float64{"far": s.Loss.FarEndFLR(), "near": s.Loss.NearEndFLR()} {
			if f < 0.0085 || f > 0.0115 {
				t.Errorf("%s: %s-end FLR %.4f, want 1 %% ± 0.15", s.Key, dir, f)
			}
		}
		// Only ETH-DM frames lost on the way count less: 100 sent, each lost
		// with 1-(0.99)² ≈ 2 %.
		if len(s.Delays) < 90 || len(s.Delays) > 100 {
			t.Errorf("%s: %d delay measurements of 100", s.Key, len(s.Delays))
		}
	}
	if len(alerts) != 0 {
		t.Fatalf("alerts on a healthy service: %v", alerts)
	}
	// The periodic iterator rendered with the plan runs on the device clock.
	clk.Advance(30 * time.Second)
	it, err := c.Iterator(ctx, plan.MEPs[0], plan.MEPs[0].Remote[0], "DM")
	if err != nil || len(it) != 1 || it[0].Current != 30 || it[0].Measurements == 0 {
		t.Fatalf("iterator %+v %v", it, err)
	}
	if it[0].AvgTwoWay < 10*time.Millisecond || it[0].AvgTwoWay > 12040*time.Microsecond {
		t.Errorf("iterator average two-way delay %v", it[0].AvgTwoWay)
	}
	all, err := c.Iterators(ctx)
	if err != nil || len(all) != 2 || all[0].Profile != "DM" || all[1].Local != 2 {
		t.Fatalf("Iterators %+v %v", all, err)
	}
	// Delay rises to 10 ms one way: p99 two-way ≈ 22 ms > 15 ms.
	if err := nw.SetImpairment("pe1:eth1", "pe2:eth1", sim.LinkImpairment{Delay: 10 * time.Millisecond, Jitter: time.Millisecond, Loss: 1}); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	clk.Advance(time.Minute)
	if _, _, err := c.Collect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("alerts after the delay rise: %v", alerts)
	if len(alerts) != 2 || alerts[0].Kind != sla.ObjectiveBreached || !strings.Contains(alerts[0].Detail, "delay-p99") {
		t.Fatalf("after the delay rise: %v", alerts)
	}
	// Cutting the link fails the remote MEPs: connectivity alerts.
	alerts = nil
	if err := nw.SetLink("pe1:eth1", "pe2:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	clk.Advance(time.Minute)
	samples, _, err = c.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lost int
	for _, a := range alerts {
		if a.Kind == sla.ConnectivityLost {
			lost++
		}
	}
	t.Logf("alerts after the cut: %v", alerts)
	if lost != 2 || len(alerts) != 2 || samples[0].Up {
		t.Fatalf("after the cut: %v", alerts)
	}
}

// TestProofAvailabilityBurst: a loss burst of exactly n intervals makes
// the service unavailable for exactly those n intervals, and the n good
// intervals after it restore availability (MEF 10.3, n = 3, C = 50 %).
func TestProofAvailabilityBurst(t *testing.T) {
	clk := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nw, sessions := lab(t, "127.0.132", `carrierkit.sim/delay: 2ms`, clk)
	plan, err := sla.Design(service(), spec())
	if err != nil {
		t.Fatal(err)
	}
	deploy(t, plan, sessions)
	nw.Sync()
	c, err := collect.New(plan, sessions, collect.WithNow(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	var all []sla.Sample
	// cycles: 2 clean, 3 at 60 % loss (FLR ≈ 0.6 > C), 3 clean.
	for i, loss := range []float64{0, 0, 60, 60, 60, 0, 0, 0} {
		if err := nw.SetImpairment("pe1:eth1", "pe2:eth1", sim.LinkImpairment{Delay: 2 * time.Millisecond, Loss: loss}); err != nil {
			t.Fatal(err)
		}
		nw.Sync()
		clk.Advance(time.Minute)
		s, _, err := c.Collect(context.Background())
		if err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		all = append(all, s...)
	}
	key := plan.MEPs[0].Key(plan.MEPs[0].Remote[0])
	ser, err := sla.SeriesOf(key, all, 3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, p := range ser.Points {
		got.WriteString(map[sla.State]string{sla.Available: "A", sla.Unavailable: "U"}[p.State])
	}
	if got.String() != "AAUUUAAA" {
		t.Errorf("states %s, want AAUUUAAA", got.String())
	}
	r, err := sla.Compliance(sla.Objective{Class: "x", MinAvailability: 0.9, AvailabilityN: 3}, key, all, clk.Now().Add(-time.Hour), clk.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if r.Availability != 5.0/8 || r.Compliant {
		t.Errorf("availability %v compliant %v, want 5/8 and not compliant", r.Availability, r.Compliant)
	}
}

// TestProofActionProfileFires: the device-side action profile the plan
// renders (adjacency-loss → interface-down) fires on a CFM failure: when
// pe2 stops answering CCMs, pe1 holds its MEP's interface down although
// the link is up, and lets it up again when the remote MEP returns.
func TestProofActionProfileFires(t *testing.T) {
	nw, sessions := lab(t, "127.0.134", `carrierkit.sim/delay: 1ms`, nil)
	plan, err := sla.Design(service(), spec())
	if err != nil {
		t.Fatal(err)
	}
	deploy(t, plan, sessions)
	nw.Sync()
	ctx := context.Background()
	oper := func(dev string) string {
		t.Helper()
		b, err := sessions[dev].(device.Session).Get(ctx, device.RPCQuery(`<get-interface-information><interface-name>xe-0/0/0</interface-name></get-interface-information>`))
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(b), "<oper-status>")
		if i < 0 {
			t.Fatalf("no oper-status in %s", b)
		}
		return strings.SplitN(string(b[i+len("<oper-status>"):]), "<", 2)[0]
	}
	if got := oper("pe1"); got != "up" {
		t.Fatalf("pe1 xe-0/0/0 %s before the failure, want up", got)
	}
	p2 := sessions["pe2"].(device.Session)
	commit := func(cfg string) {
		t.Helper()
		if err := p2.Load(ctx, device.Change{Format: device.Set, Data: []byte(cfg)}); err != nil {
			t.Fatal(err)
		}
		if err := p2.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatal(err)
		}
		nw.Sync()
	}
	commit("delete protocols oam")
	if got := oper("pe1"); got != "down" {
		t.Fatalf("pe1 xe-0/0/0 %s after its remote MEP was lost, want down by the action profile", got)
	}
	if !nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Fatal("the link itself went down: the test would not show the action")
	}
	arts, err := sla.Render(plan, render.FormatSet)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Device == "pe2" {
			commit(string(a.Body))
		}
	}
	if got := oper("pe1"); got != "up" {
		t.Fatalf("pe1 xe-0/0/0 %s after the remote MEP returned, want up", got)
	}
}
