package timing_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/timing"
)

const simUser, simPass = "admin", "timing-Pa55"

// ring is the proof lab: a grandmaster and four ACX routers in a ring
//
//	gm –L0– r1 –L1– r2 –L2– r3 –L3– r4 –L4– gm
type ringLink struct{ a, ai, b, bi string }

var ringNodes = []struct{ name, platform string }{
	{"gm", "acx710"}, {"r1", "acx2100"}, {"r2", "acx710"}, {"r3", "acx2100"}, {"r4", "acx710"},
}

var ringLinks = []ringLink{
	{"gm", "xe-0/0/0", "r1", "ge-0/0/0"},
	{"r1", "ge-0/0/1", "r2", "xe-0/0/0"},
	{"r2", "xe-0/0/1", "r3", "ge-0/0/1"},
	{"r3", "ge-0/0/0", "r4", "xe-0/0/1"},
	{"r4", "xe-0/0/0", "gm", "xe-0/0/1"},
}

func startRing(t *testing.T) *sim.Network {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: ring\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n  nodes:\n", simPass)
	for i, n := range ringNodes {
		fmt.Fprintf(&b, "    %s:\n      labels:\n        carrierkit.sim/platform: %s\n        carrierkit.sim/address: 127.0.42.%d\n", n.name, n.platform, i+1)
	}
	b.WriteString("  links:\n")
	for _, l := range ringLinks {
		fmt.Fprintf(&b, "    - endpoints: [%q, %q]\n", l.a+":"+l.ai, l.b+":"+l.bi)
	}
	topo, err := sim.ParseTopology([]byte(b.String()), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("topology: %v\n%s", err, b.String())
	}
	nw, err := sim.StartNetwork(context.Background(), topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	return nw
}

// ringDomain is the G.8275.1 domain over the ring, with SyncE and ESMC.
func ringDomain() *timing.Domain {
	d := &timing.Domain{Name: "ran-ring", Template: timing.Template{
		Profile: timing.G82751, Domain: 24,
		SyncE: timing.SyncE{Enabled: true, ESMC: true, Quality: "prc"},
	}}
	for _, n := range ringNodes {
		m := timing.Member{Name: n.name, Platform: n.platform}
		if n.name == "gm" {
			m.Mode = timing.Grandmaster
		}
		d.Members = append(d.Members, m)
	}
	for _, l := range ringLinks {
		d.Links = append(d.Links, timing.Link{A: timing.End{Device: l.a, Interface: l.ai}, B: timing.End{Device: l.b, Interface: l.bi}})
	}
	return d
}

// dialAll opens a NETCONF session to every ring device.
func dialAll(ctx context.Context, t *testing.T, nw *sim.Network) map[string]device.Session {
	t.Helper()
	out := map[string]device.Session{}
	for _, n := range ringNodes {
		d := nw.Device(n.name)
		s, err := netconf.Dial(ctx, device.Target{Name: n.name, Addr: d.Addr(),
			Credentials: device.Password(simUser, simPass),
			HostKeys:    device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))})
		if err != nil {
			t.Fatalf("dial %s: %v", n.name, err)
		}
		t.Cleanup(func() { s.Close() })
		out[n.name] = s
	}
	return out
}

// commitBase gives every ring port an IPv4 unit 0, the configuration the
// timing domain runs on.
func commitBase(ctx context.Context, t *testing.T, ss map[string]device.Session) {
	t.Helper()
	lines := map[string][]string{}
	for i, l := range ringLinks {
		lines[l.a] = append(lines[l.a], fmt.Sprintf("set interfaces %s unit 0 family inet address 10.0.%d.1/30", l.ai, i))
		lines[l.b] = append(lines[l.b], fmt.Sprintf("set interfaces %s unit 0 family inet address 10.0.%d.2/30", l.bi, i))
	}
	for name, ls := range lines {
		s := ss[name]
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(ls, "\n"))}); err != nil {
			t.Fatalf("%s base load: %v", name, err)
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatalf("%s base commit: %v", name, err)
		}
	}
}

func getters(ss map[string]device.Session) map[string]timing.Getter {
	out := map[string]timing.Getter{}
	for k, v := range ss {
		out[k] = v
	}
	return out
}

// TestRingLocksAndHoldover is the proof over real NETCONF: the ring locks
// end to end after Apply, and cutting the only PTP path to r1 and r2 puts
// them into holdover, which the health report and the alerts say.
func TestRingLocksAndHoldover(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nw := startRing(t)
	ss := dialAll(ctx, t, nw)
	commitBase(ctx, t, ss)
	nw.Sync()

	caps, err := timing.Discover(ctx, getters(ss))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range caps {
		if !c.Capable() || c.PTP {
			t.Errorf("before apply %s: %+v, want capable, PTP not running", c.Device, c)
		}
	}

	plan, err := timing.NewPlan(ringDomain())
	if err != nil {
		t.Fatal(err)
	}
	arts, err := timing.Render(plan, timing.Set)
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	done, err := timing.Apply(ctx, arts, func(name string) (timing.Configurer, error) { return ss[name], nil },
		func(p timing.Progress) {
			if p.Err != nil {
				t.Errorf("progress %s: %v", p.Device, p.Err)
			}
			progress = append(progress, fmt.Sprintf("%d/%d %s", p.Index+1, p.Total, p.Device))
		})
	if err != nil {
		t.Fatal(err)
	}
	// grandmaster first, then breadth-first outwards
	wantOrder := []string{"gm", "r1", "r4", "r2", "r3"}
	if !slices.Equal(done, wantOrder) {
		t.Fatalf("applied %v, want %v", done, wantOrder)
	}
	if want := []string{"1/5 gm", "2/5 r1", "3/5 r4", "4/5 r2", "5/5 r3"}; !slices.Equal(progress, want) {
		t.Fatalf("progress %v, want %v", progress, want)
	}
	nw.Sync()

	var mu sync.Mutex
	var alerts []string
	mon := timing.NewMonitor(timing.WithAlert(func(a timing.Alert) {
		mu.Lock()
		defer mu.Unlock()
		alerts = append(alerts, fmt.Sprintf("%s %s %s->%s", a.Device, a.Kind, a.From, a.To))
	}))
	rep, err := mon.Check(ctx, getters(ss))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.InState(timing.Locked); !slices.Equal(got, []string{"gm", "r1", "r2", "r3", "r4"}) {
		t.Fatalf("locked after apply: %v\n%s", got, rep)
	}
	wantSteps := map[string]int{"gm": 0, "r1": 1, "r4": 1, "r2": 2, "r3": 2}
	for _, h := range rep.Devices {
		if h.Err != nil {
			t.Fatalf("%s: %v", h.Device, h.Err)
		}
		if h.StepsRemoved != wantSteps[h.Device] || h.ClockClass != 6 {
			t.Errorf("%s: steps %d class %d, want steps %d class 6", h.Device, h.StepsRemoved, h.ClockClass, wantSteps[h.Device])
		}
		if h.Device != "gm" && (h.SyncE != timing.Locked || h.SyncESrc == "") {
			t.Errorf("%s: synce %s source %q, want locked", h.Device, h.SyncE, h.SyncESrc)
		}
	}
	if h, _ := rep.Device("r2"); h.SlavePort != "xe-0/0/0.0" {
		t.Errorf("r2 slave port %q, want xe-0/0/0.0", h.SlavePort)
	}
	caps, _ = timing.Discover(ctx, getters(ss))
	for _, c := range caps {
		if !c.PTP {
			t.Errorf("after apply %s: PTP not answering: %+v", c.Device, c)
		}
	}

	// Cut the ring's only PTP path towards r1 and r2.
	if err := nw.SetLink("gm:xe-0/0/0", "r1:ge-0/0/0", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	rep, err = mon.Check(ctx, getters(ss))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.InState(timing.Holdover); !slices.Equal(got, []string{"r1", "r2"}) {
		t.Fatalf("holdover after cut: %v, want [r1 r2]\n%s", got, rep)
	}
	if got := rep.InState(timing.Locked); !slices.Equal(got, []string{"gm", "r3", "r4"}) {
		t.Fatalf("locked after cut: %v, want [gm r3 r4]\n%s", got, rep)
	}
	for _, n := range []string{"r1", "r2"} {
		h, _ := rep.Device(n)
		if !h.Holdover() || h.ClockClass != 7 || h.SyncE != timing.Holdover {
			t.Errorf("%s after cut: %+v, want PTP and SyncE holdover, class 7", n, h)
		}
	}
	if want := []string{"r1 lost-lock locked->holdover", "r2 lost-lock locked->holdover"}; !slices.Equal(alerts, want) {
		t.Fatalf("alerts %v, want %v", alerts, want)
	}

	// Mend it: both relock and say so.
	alerts = nil
	if err := nw.SetLink("gm:xe-0/0/0", "r1:ge-0/0/0", true); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if rep, err = mon.Check(ctx, getters(ss)); err != nil {
		t.Fatal(err)
	}
	if want := []string{"r1 regained holdover->locked", "r2 regained holdover->locked"}; !slices.Equal(alerts, want) {
		t.Fatalf("alerts after repair %v, want %v\n%s", alerts, want, rep)
	}
}

// TestRingRefusedDesigns: two grandmasters, or PTP pinned round the ring,
// are refused with findings naming the devices, and nothing reaches the
// routers.
func TestRingRefusedDesigns(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nw := startRing(t)
	ss := dialAll(ctx, t, nw)

	two := ringDomain()
	two.Members[3].Mode = timing.Grandmaster // r3
	loop := ringDomain()
	for i := range loop.Links {
		loop.Links[i].Master = loop.Links[i].A.Device // gm→r1→r2→r3→r4→gm
	}
	for _, tc := range []struct {
		name string
		d    *timing.Domain
		want []string // "rule device: message substring"
	}{
		{"two grandmasters", two, []string{"grandmaster-count gm: (gm, r3)", "grandmaster-count r3: (gm, r3)"}},
		{"loop", loop, []string{"grandmaster-upstream gm: slave of r4", "timing-loop gm: gm → r1 → r2 → r3 → r4 → gm"}},
	} {
		_, err := timing.NewPlan(tc.d)
		var re *timing.RefusedError
		if !errors.As(err, &re) {
			t.Fatalf("%s: NewPlan error %v, want RefusedError", tc.name, err)
		}
		if len(re.Findings) != len(tc.want) {
			t.Fatalf("%s: findings %v, want %v", tc.name, re.Findings, tc.want)
		}
		for i, f := range re.Findings {
			head, sub, _ := strings.Cut(tc.want[i], ": ")
			if f.Rule+" "+f.Device != head || !strings.Contains(f.Message, sub) {
				t.Errorf("%s: finding %d is %v, want %s", tc.name, i, f, tc.want[i])
			}
		}
	}
	caps, err := timing.Discover(ctx, getters(ss))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range caps {
		if c.PTP || c.Err != nil {
			t.Errorf("%s after refusal: %+v, want no PTP", c.Device, c)
		}
	}
}
