package oam_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/oam"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
)

// rrLab is a core of nP P routers (mx960) in a ring, each with perP PEs
// (mx480) hanging off it by xe-0/0/0; PE i's xe-0/0/1 is cabled to PE
// i+1's xe-0/0/2 (a ring) so its attachment has link (a port cabled to a
// node that is not simulated has none). IS-IS, LDP and MPLS run on every core link. p1 is a BGP route
// reflector (group RR with cluster) for inet-vpn; each PE peers only
// with it. Unlike lab, it keeps a session to every device, P routers
// included.
type rrLab struct {
	nw    *sim.Network
	pes   []string
	ps    []string
	sess  map[string]*netconf.Session
	loops map[string]netip.Addr
	conn  oam.Connector
	mu    sync.Mutex // guards sess while the lab starts
}

// startRRLab starts the lab and commits the core and BGP configuration;
// cluster false leaves the `cluster` statement out of p1's group, so p1
// is a plain iBGP peer that reflects nothing.
func startRRLab(t testing.TB, nP, perP int, cluster bool) *rrLab {
	t.Helper()
	mx960, err := sim.LookupPlatform("mx960")
	if err != nil {
		t.Fatal(err)
	}
	pPorts := mx960.Ports()
	if need := 2 + perP; need > len(pPorts) {
		t.Fatalf("an mx960 has %d ports, a P router with %d PEs needs %d", len(pPorts), perP, need)
	}
	l := &rrLab{sess: map[string]*netconf.Session{}, loops: map[string]netip.Addr{}}
	cfg := map[string][]string{}
	var y strings.Builder
	fmt.Fprintf(&y, "name: oam-rr\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n  nodes:\n", labPass)
	for j := 1; j <= nP; j++ {
		name := fmt.Sprintf("p%d", j)
		l.ps = append(l.ps, name)
		l.loops[name] = netip.AddrFrom4([4]byte{10, 255, 0, byte(j)})
		fmt.Fprintf(&y, "    %s:\n      labels: {carrierkit.sim/platform: mx960}\n", name)
	}
	for i := 1; i <= nP*perP; i++ {
		name := fmt.Sprintf("pe%d", i)
		l.pes = append(l.pes, name)
		l.loops[name] = netip.AddrFrom4([4]byte{10, 255, byte(1 + (i-1)/250), byte((i-1)%250 + 1)})
		fmt.Fprintf(&y, "    %s:\n      labels: {carrierkit.sim/platform: mx480}\n", name)
	}
	for n, name := range append(append([]string{}, l.ps...), l.pes...) {
		lo := l.loops[name].String()
		cfg[name] = append(cfg[name],
			"set interfaces lo0 unit 0 family inet address "+lo+"/32",
			fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n+1),
			"set routing-options router-id "+lo,
			"set routing-options autonomous-system 65000",
			"set protocols isis interface lo0.0 passive",
			"set protocols ldp interface lo0.0")
	}
	y.WriteString("  links:\n")
	k := 0
	coreLink := func(a, aIf, b, bIf string) {
		base := 4 * k
		k++
		fmt.Fprintf(&y, "    - endpoints: [\"%s:%s\", \"%s:%s\"]\n      vars: {%s: 1ms}\n", a, aIf, b, bIf, sim.VarDelay)
		for _, e := range []struct {
			node, ifd string
			host      int
		}{{a, aIf, 1}, {b, bIf, 2}} {
			addr := fmt.Sprintf("10.%d.%d.%d/30", 1+base/65536, base/256%256, base%256+e.host)
			cfg[e.node] = append(cfg[e.node],
				"set interfaces "+e.ifd+" unit 0 family inet address "+addr,
				"set interfaces "+e.ifd+" unit 0 family iso",
				"set interfaces "+e.ifd+" unit 0 family mpls",
				"set protocols isis interface "+e.ifd+".0",
				"set protocols mpls interface "+e.ifd+".0",
				"set protocols ldp interface "+e.ifd+".0")
		}
	}
	if nP > 1 {
		for j := 1; j <= nP; j++ {
			next := j%nP + 1
			if nP == 2 && j == 2 {
				break // two P routers: one link, not two parallel ones
			}
			coreLink(fmt.Sprintf("p%d", j), pPorts[0].Name, fmt.Sprintf("p%d", next), pPorts[1].Name)
		}
	}
	for i := 1; i <= nP*perP; i++ {
		p := fmt.Sprintf("p%d", (i-1)/perP+1)
		coreLink(fmt.Sprintf("pe%d", i), "xe-0/0/0", p, pPorts[2+(i-1)%perP].Name)
		fmt.Fprintf(&y, "    - endpoints: [\"pe%d:xe-0/0/1\", \"pe%d:xe-0/0/2\"]\n", i, i%(nP*perP)+1)
	}
	rr := l.loops["p1"].String()
	rrLines := []string{"set protocols bgp group RR type internal", "set protocols bgp group RR local-address " + rr,
		"set protocols bgp group RR family inet-vpn unicast"}
	if cluster {
		rrLines = append(rrLines, "set protocols bgp group RR cluster "+rr)
	}
	for _, pe := range l.pes {
		rrLines = append(rrLines, "set protocols bgp group RR neighbor "+l.loops[pe].String())
		cfg[pe] = append(cfg[pe], "set protocols bgp group RR type internal",
			"set protocols bgp group RR local-address "+l.loops[pe].String(),
			"set protocols bgp group RR family inet-vpn unicast",
			"set protocols bgp group RR neighbor "+rr)
	}
	cfg["p1"] = append(cfg["p1"], rrLines...)

	topo, err := sim.ParseTopology([]byte(y.String()), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("topology: %v", err)
	}
	nw, err := sim.StartNetwork(context.Background(), topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	l.nw = nw

	names := append(append([]string{}, l.ps...), l.pes...)
	err = l.each(names, func(name string) error {
		d := nw.Device(name)
		key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey())))
		s, err := netconf.Dial(context.Background(), device.Target{Name: name, Addr: d.Addr(),
			Credentials: device.Password("admin", labPass), HostKeys: device.PinnedKeys(key)})
		if err != nil {
			return fmt.Errorf("dial %s: %w", name, err)
		}
		l.set(name, s)
		return commitLines(name, s, cfg[name])
	})
	t.Cleanup(func() {
		for _, s := range l.sess {
			s.Close()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]oam.Session{}
	for _, pe := range l.pes {
		m[pe] = l.sess[pe]
	}
	l.conn = oam.Sessions(m)
	return l
}

func (l *rrLab) set(name string, s *netconf.Session) {
	l.mu.Lock()
	l.sess[name] = s
	l.mu.Unlock()
}

// each runs f for every name, 8 at a time, and returns the first error.
func (l *rrLab) each(names []string, f func(string) error) error {
	sem := make(chan struct{}, 8)
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs <- f(n)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// commitLines loads set lines on device name and commits them.
func commitLines(name string, s *netconf.Session, lines []string) error {
	ctx := context.Background()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(lines, "\n"))}); err != nil {
		return fmt.Errorf("%s: load: %w", name, err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		return fmt.Errorf("%s: commit: %w", name, err)
	}
	return nil
}

// l3vpn is a full-mesh L3VPN over every PE: one VRF per PE, VLAN 400 on
// xe-0/0/1 with PE address 100.<64+i/256>.<i%256>.0/31, one route target.
func (l *rrLab) l3vpn() design.Service {
	rt := netid.MustParseRT("65000:400")
	svc := design.Service{Name: "wan200", Definition: design.DefL3VPNFullMesh, Type: design.TypeL3VPN,
		Params: design.Params{Topology: design.TopologyFullMesh, PECE: design.PECEStatic, IPv4: true}}
	for i, pe := range l.pes {
		addr := netip.PrefixFrom(netip.AddrFrom4([4]byte{100, byte(64 + (i+1)/256), byte((i + 1) % 256), 0}), 31)
		svc.Devices = append(svc.Devices, design.DeviceIntent{Device: pe, Platform: mx(), Loopback: l.loops[pe],
			Attachments: []design.Attachment{{Interface: "xe-0/0/1", Unit: 400, Encapsulation: design.UnitInet, VLAN: 400, Address: addr}},
			VRF: &design.VRFInstance{Name: "VRF-WAN200", RD: netid.MustParseRD(fmt.Sprintf("65000:%d", 1000+i)),
				ImportRTs: []netid.RT{rt}, ExportRTs: []netid.RT{rt}, Interfaces: []string{"xe-0/0/1.400"}}})
	}
	slices.SortFunc(svc.Devices, func(a, b design.DeviceIntent) int { return strings.Compare(a.Device, b.Device) })
	return svc
}

// deploy renders svc and commits it on every device in parallel, then
// waits for the network to converge.
func (l *rrLab) deploy(t testing.TB, svc design.Service) {
	t.Helper()
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	body := map[string][]string{}
	var names []string
	for _, a := range arts {
		if _, ok := body[a.Device]; !ok {
			names = append(names, a.Device)
		}
		body[a.Device] = append(body[a.Device], strings.Split(strings.TrimSpace(string(a.Body)), "\n")...)
	}
	if err := l.each(names, func(n string) error { return commitLines(n, l.sess[n], body[n]) }); err != nil {
		t.Fatal(err)
	}
	l.nw.Sync()
}

func runPlan(t testing.TB, conn oam.Connector, p oam.Plan, o oam.Options) oam.Report {
	t.Helper()
	res, err := oam.Run(context.Background(), conn, p, o)
	if err != nil {
		t.Fatal(err)
	}
	return oam.NewReport(p, res, nil)
}

// TestLiveL3VPNRouteReflector checks the lab BenchmarkL3VPN200Sim uses,
// at small scale: 3 P routers in a ring, 2 PEs each, a full-mesh L3VPN
// whose routes reach the PEs only through p1's reflection. Without
// `cluster` p1 reflects nothing and every probe fails.
func TestLiveL3VPNRouteReflector(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cluster bool
		want    oam.Status
	}{{"reflector", true, oam.StatusOK}, {"no cluster", false, oam.StatusFailed}} {
		t.Run(tc.name, func(t *testing.T) {
			l := startRRLab(t, 3, 2, tc.cluster)
			svc := l.l3vpn()
			l.deploy(t, svc)
			p, err := oam.PlanService(svc, oam.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			rep := runPlan(t, l.conn, p, oam.Options{})
			var tb strings.Builder
			rep.WriteTable(&tb)
			if len(rep.Results) != 30 || rep.Counts()[tc.want] != 30 {
				t.Fatalf("want 30 probes %s, got %d, counts %v:\n%s", tc.want, len(rep.Results), rep.Counts(), tb.String())
			}
		})
	}
}

// BenchmarkL3VPN200Sim runs the 39,800-probe full mesh of a 200-site
// L3VPN over real NETCONF against the simulator: 10 P routers (mx960) in
// a ring with 20 PEs (mx480) each, IS-IS + LDP + MPLS in the core, p1 a
// BGP route reflector for inet-vpn, one VRF per PE. "parallel" uses the
// runner's defaults, "sequential" one probe at a time (Parallel 1,
// PerDevice 1), both over the whole plan. Starting the 210 devices,
// dialling them and committing their configuration is set-up, outside
// the timed loops (logged with -v). The target is under 60 s for
// the parallel run.
func BenchmarkL3VPN200Sim(b *testing.B) {
	const nP, perP = 10, 20
	start := time.Now()
	l := startRRLab(b, nP, perP, true)
	svc := l.l3vpn()
	l.deploy(b, svc)
	full, err := oam.PlanService(svc, oam.PlanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if len(full.Probes) != 39800 {
		b.Fatalf("plan has %d probes, want 39800", len(full.Probes))
	}
	b.Logf("set-up (start %d devices, commit, converge, plan): %v", nP+nP*perP, time.Since(start).Round(time.Millisecond))
	for _, bc := range []struct {
		name string
		o    oam.Options
	}{{"parallel", oam.Options{}}, {"sequential", oam.Options{Parallel: 1, PerDevice: 1}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rep := runPlan(b, l.conn, full, bc.o)
				if len(rep.Results) != 39800 || !rep.OK() {
					b.Fatalf("%d probes, counts %v", len(rep.Results), rep.Counts())
				}
			}
			b.ReportMetric(float64(39800*b.N)/b.Elapsed().Seconds(), "probes/s")
		})
	}
}
