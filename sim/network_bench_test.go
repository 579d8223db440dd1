package sim

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// The scale lab: nPE PEs (mx480) dual-homed to a ring of nP P routers
// (mx960), IS-IS + LDP everywhere; every PE ends pwPerPE l2circuits (to
// the PEs 1..pwPerPE/2 ahead of and behind it, so nPE·pwPerPE/2 circuits);
// the first vplsSites PEs share one BGP-signalled VPLS over a full iBGP
// mesh (the configuration engine has no route-reflector `cluster`). PE i's
// eth3 is cabled to PE i+1's eth4 so attachment circuits have a live port.
type scaleLab struct {
	nPE, nP, pwPerPE, vplsSites int
}

func (s scaleLab) peName(i int) string { return fmt.Sprintf("pe%d", i) }
func (s scaleLab) pName(j int) string  { return fmt.Sprintf("p%d", j) }
func (s scaleLab) peLo(i int) string   { return fmt.Sprintf("10.1.%d.%d", i/200, i%200+1) }
func (s scaleLab) pLo(j int) string    { return fmt.Sprintf("10.2.0.%d", j+1) }

// uplinks returns the two P routers PE i is cabled to.
func (s scaleLab) uplinks(i int) (int, int) {
	a := (i / (s.nPE / s.nP)) % s.nP
	return a, (a + 1) % s.nP
}

// linkAddr returns the two /30 addresses of link k.
func linkAddr(k int) (string, string) {
	base := 4 * k
	return fmt.Sprintf("172.16.%d.%d/30", base/256, base%256+1), fmt.Sprintf("172.16.%d.%d/30", base/256, base%256+2)
}

type scaleLink struct {
	a, b       string // node:ethN
	aIf, bIf   string // Junos names
	core       bool
	aAddr, bAd string
}

// build returns the topology and each node's configuration (set lines).
func (s scaleLab) build() (*Topology, map[string][]string, error) {
	var links []scaleLink
	pPort := make([]int, s.nP) // next free port index per P (eth numbers from 1)
	mx960 := mustPlatform("mx960")
	mx480 := mustPlatform("mx480")
	k := 0
	add := func(a string, aEth int, aPlat *Platform, b string, bEth int, bPlat *Platform, core bool) {
		la, lb := linkAddr(k)
		k++
		links = append(links, scaleLink{a: fmt.Sprintf("%s:eth%d", a, aEth), b: fmt.Sprintf("%s:eth%d", b, bEth),
			aIf: aPlat.Ports()[aEth-1].Name, bIf: bPlat.Ports()[bEth-1].Name, core: core, aAddr: la, bAd: lb})
	}
	for j := 0; j < s.nP; j++ {
		pPort[j] = 3 // eth1, eth2: ring
	}
	for j := 0; j < s.nP; j++ {
		add(s.pName(j), 1, mx960, s.pName((j+1)%s.nP), 2, mx960, true)
	}
	for i := 0; i < s.nPE; i++ {
		a, c := s.uplinks(i)
		add(s.peName(i), 1, mx480, s.pName(a), pPort[a], mx960, true)
		pPort[a]++
		add(s.peName(i), 2, mx480, s.pName(c), pPort[c], mx960, true)
		pPort[c]++
	}
	for i := 0; i < s.nPE; i++ {
		add(s.peName(i), 3, mx480, s.peName((i+1)%s.nPE), 4, mx480, false)
	}
	var y strings.Builder
	fmt.Fprintf(&y, "name: scale\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n  nodes:\n", testPass)
	for j := 0; j < s.nP; j++ {
		fmt.Fprintf(&y, "    %s:\n      labels: {carrierkit.sim/platform: mx960}\n", s.pName(j))
	}
	for i := 0; i < s.nPE; i++ {
		fmt.Fprintf(&y, "    %s:\n      labels: {carrierkit.sim/platform: mx480}\n", s.peName(i))
	}
	y.WriteString("  links:\n")
	for _, l := range links {
		fmt.Fprintf(&y, "    - endpoints: [%q, %q]\n      vars: {carrierkit.sim/delay: 1ms}\n", l.a, l.b)
	}
	topo, err := ParseTopology([]byte(y.String()), TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		return nil, nil, err
	}

	cfg := map[string][]string{}
	node := 0
	core := func(name, lo string) {
		node++
		cfg[name] = append(cfg[name],
			"set interfaces lo0 unit 0 family inet address "+lo+"/32",
			fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", node),
			"set routing-options router-id "+lo,
			"set routing-options autonomous-system 65000",
			"set protocols isis interface lo0.0 passive",
			"set protocols ldp interface lo0.0")
	}
	for j := 0; j < s.nP; j++ {
		core(s.pName(j), s.pLo(j))
	}
	for i := 0; i < s.nPE; i++ {
		core(s.peName(i), s.peLo(i))
	}
	coreIf := func(node, ifd, addr string) {
		cfg[node] = append(cfg[node],
			"set interfaces "+ifd+" unit 0 family inet address "+addr,
			"set interfaces "+ifd+" unit 0 family iso",
			"set interfaces "+ifd+" unit 0 family mpls",
			"set protocols isis interface "+ifd+".0",
			"set protocols mpls interface "+ifd+".0",
			"set protocols ldp interface "+ifd+".0")
	}
	for _, l := range links {
		if l.core {
			an, _, _ := strings.Cut(l.a, ":")
			bn, _, _ := strings.Cut(l.b, ":")
			coreIf(an, l.aIf, l.aAddr)
			coreIf(bn, l.bIf, l.bAd)
		}
	}
	half := s.pwPerPE / 2
	for i := 0; i < s.nPE; i++ {
		pe := s.peName(i)
		cfg[pe] = append(cfg[pe],
			"set interfaces xe-0/0/2 flexible-vlan-tagging",
			"set interfaces xe-0/0/2 encapsulation flexible-ethernet-services")
		for d := 1; d <= half; d++ {
			for _, end := range []struct{ peer, unit, vc int }{
				{(i + d) % s.nPE, 100 + d, i*half + d},                                  // circuit i → i+d
				{(i - d + s.nPE) % s.nPE, 100 + half + d, ((i-d+s.nPE)%s.nPE)*half + d}, // circuit i-d → i
			} {
				ifl := fmt.Sprintf("xe-0/0/2.%d", end.unit)
				cfg[pe] = append(cfg[pe],
					fmt.Sprintf("set interfaces xe-0/0/2 unit %d encapsulation vlan-ccc", end.unit),
					fmt.Sprintf("set interfaces xe-0/0/2 unit %d vlan-id %d", end.unit, end.unit),
					fmt.Sprintf("set protocols l2circuit neighbor %s interface %s virtual-circuit-id %d", s.peLo(end.peer), ifl, end.vc))
			}
		}
	}
	for i := 0; i < s.vplsSites; i++ {
		pe := s.peName(i)
		cfg[pe] = append(cfg[pe],
			"set interfaces xe-0/0/3 flexible-vlan-tagging",
			"set interfaces xe-0/0/3 encapsulation flexible-ethernet-services",
			"set interfaces xe-0/0/3 unit 500 encapsulation vlan-vpls",
			"set interfaces xe-0/0/3 unit 500 vlan-id 500",
			"set routing-instances VPLS1 instance-type vpls",
			"set routing-instances VPLS1 interface xe-0/0/3.500",
			"set routing-instances VPLS1 route-distinguisher "+s.peLo(i)+":1",
			"set routing-instances VPLS1 vrf-target target:65000:1",
			"set routing-instances VPLS1 protocols vpls site-range 1000",
			fmt.Sprintf("set routing-instances VPLS1 protocols vpls site S%d site-identifier %d", i+1, i+1),
			fmt.Sprintf("set routing-instances VPLS1 protocols vpls site S%d interface xe-0/0/3.500", i+1),
			"set protocols bgp group vpls type internal",
			"set protocols bgp group vpls local-address "+s.peLo(i),
			"set protocols bgp group vpls family l2vpn signaling")
		for j := 0; j < s.vplsSites; j++ {
			if j != i {
				cfg[pe] = append(cfg[pe], "set protocols bgp group vpls neighbor "+s.peLo(j))
			}
		}
	}
	return topo, cfg, nil
}

func mustPlatform(m string) *Platform {
	p, err := LookupPlatform(m)
	if err != nil {
		panic(err)
	}
	return p
}

// commitAll loads each device's configuration (replacing what is there)
// through the same session path NETCONF uses and commits it, at most par
// devices at a time.
func commitAll(tb testing.TB, nw *Network, cfg map[string][]string, par int) {
	tb.Helper()
	sem := make(chan struct{}, par)
	errs := make(chan error, len(cfg))
	for name, lines := range cfg {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			d := nw.Device(name)
			s := d.newSession("admin", "netconf")
			defer s.close()
			text := "set system host-name " + d.Hostname() + "\nset system services netconf ssh\nset system login user admin class super-user\n" + strings.Join(lines, "\n")
			if err := s.load(junosconf.ActionSet, junosconf.FormatSet, []byte("delete\n"+text)); err != nil {
				errs <- fmt.Errorf("%s: load: %w", name, err)
				return
			}
			if _, err := s.commit(commitOptions{}); err != nil {
				errs <- fmt.Errorf("%s: commit: %w", name, err)
				return
			}
			errs <- nil
		}()
	}
	for range cfg {
		if err := <-errs; err != nil {
			tb.Fatal(err)
		}
	}
}

func startScale(tb testing.TB, s scaleLab) (*Network, map[string][]string) {
	tb.Helper()
	topo, cfg, err := s.build()
	if err != nil {
		tb.Fatal(err)
	}
	nw, err := StartNetwork(context.Background(), topo, NetworkOptions{AnyPort: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { nw.Close() })
	return nw, cfg
}

// TestScaleLabSmall checks the benchmark's lab on a small instance, so the
// benchmark measures a network that actually converges.
func TestScaleLabSmall(t *testing.T) {
	s := scaleLab{nPE: 20, nP: 4, pwPerPE: 4, vplsSites: 5}
	nw, cfg := startScale(t, s)
	commitAll(t, nw, cfg, 8)
	nw.Sync()
	c := nw.State().Stats()
	if c.PWsUp != s.nPE*s.pwPerPE || c.PWsDown != 0 {
		t.Fatalf("pseudowires up %d down %d, want %d up", c.PWsUp, c.PWsDown, s.nPE*s.pwPerPE)
	}
	if want := s.vplsSites * (s.vplsSites - 1); c.VPLSConnsUp != want {
		t.Errorf("VPLS connections up %d (down %d), want %d", c.VPLSConnsUp, c.VPLSConnsDown, want)
	}
	// Cutting both uplinks of pe0 takes down exactly its circuits' ends:
	// pe0's own and the far ends at its neighbours.
	a, b := s.uplinks(0)
	_, _ = a, b
	if err := nw.SetLink("pe0:eth1", "", false); err != nil {
		t.Fatal(err)
	}
	if err := nw.SetLink("pe0:eth2", "", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	c = nw.State().Stats()
	if want := 2 * s.pwPerPE; c.PWsDown != want {
		t.Errorf("after isolating pe0: %d pseudowire ends down, want %d", c.PWsDown, want)
	}
}

// BenchmarkNetworkScale measures the network end to end (device commits,
// debounced recomputation through sim/netstate, publication): the 1,000-PE
// lab of the brief and a quarter-size one to show how the cost grows.
func BenchmarkNetworkScale(b *testing.B) {
	for _, s := range []scaleLab{
		{nPE: 250, nP: 25, pwPerPE: 20, vplsSites: 50},
		{nPE: 1000, nP: 50, pwPerPE: 20, vplsSites: 200},
	} {
		b.Run(fmt.Sprintf("pe=%d", s.nPE), func(b *testing.B) { benchScale(b, s) })
	}
}

func benchScale(b *testing.B, s scaleLab) {
	runtime.GC()
	before := heapStack()
	nw, cfg := startScale(b, s)
	b.Run("full-commit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			commitAll(b, nw, cfg, 2*runtime.GOMAXPROCS(0))
			t1 := time.Now()
			nw.Sync()
			b.ReportMetric(float64(time.Since(t1).Milliseconds()), "ms-converge-after-last-commit")
			b.ReportMetric(float64(t1.Sub(t0).Milliseconds()), "ms-commit-all")
		}
		b.StopTimer()
		c := nw.State().Stats()
		if c.PWsUp != s.nPE*s.pwPerPE {
			b.Fatalf("pseudowires up %d down %d, want %d up", c.PWsUp, c.PWsDown, s.nPE*s.pwPerPE)
		}
		b.ReportMetric(float64(c.PWsUp), "pw-ends-up")
		b.ReportMetric(float64(c.VPLSConnsUp), "vpls-conns-up")
		runtime.GC()
		b.ReportMetric(float64(heapStack()-before)/(1<<20), "MiB-heap+stack")
		b.ReportMetric(float64(vmRSS())/(1<<20), "MiB-rss")
	})
	b.Run("link-cut", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := nw.SetLink("pe0:eth1", "", i%2 == 1); err != nil {
				b.Fatal(err)
			}
			nw.Sync()
		}
	})
}

// BenchmarkNetworkChangeVisible measures how long a link change takes to
// show in the published state without Sync, i.e. the debounce plus one
// recomputation, on a small lab.
func BenchmarkNetworkChangeVisible(b *testing.B) {
	s := scaleLab{nPE: 20, nP: 4, pwPerPE: 4, vplsSites: 5}
	nw, cfg := startScale(b, s)
	commitAll(b, nw, cfg, 8)
	nw.Sync()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		up := i%2 == 1
		if err := nw.SetLink("pe0:eth1", "", up); err != nil {
			b.Fatal(err)
		}
		for nw.State().LinkUp("pe0", "xe-0/0/0") != up {
			time.Sleep(100 * time.Microsecond)
		}
	}
}
