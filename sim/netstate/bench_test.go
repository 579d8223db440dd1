package netstate

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// scaleNet builds n PEs on a ring with a chord from every fourth PE, all
// running IS-IS, LDP, RSVP and MPLS; 10·n l2circuits between PE pairs
// (both ends configured, attachment VLANs on a port cabled to an
// aggregation switch) and one BGP-signalled VPLS with n/5 sites whose PEs
// peer in a full iBGP mesh with family l2vpn signaling.
func scaleNet(tb testing.TB, n int) (Input, int) {
	tb.Helper()
	cfg := make([]strings.Builder, n)
	core := make([][]string, n)
	var links []Link
	port := make([]int, n)
	addLink := func(a, b, k int) {
		pa, pb := fmt.Sprintf("xe-0/1/%d", port[a]), fmt.Sprintf("xe-0/1/%d", port[b])
		port[a]++
		port[b]++
		fmt.Fprintf(&cfg[a], "interfaces %s unit 0 { family inet { address 10.%d.%d.1/30; } family iso; family mpls; }\n", pa, k/256, k%256)
		fmt.Fprintf(&cfg[b], "interfaces %s unit 0 { family inet { address 10.%d.%d.2/30; } family iso; family mpls; }\n", pb, k/256, k%256)
		core[a] = append(core[a], pa+".0")
		core[b] = append(core[b], pb+".0")
		links = append(links, Link{A: Endpoint{pe(a), pa}, B: Endpoint{pe(b), pb}, Up: true, Delay: time.Duration(100+k%50) * time.Microsecond})
	}
	k := 0
	for i := 0; i < n; i++ {
		addLink(i, (i+1)%n, k)
		k++
		if i%4 == 0 && n > 40 {
			addLink(i, (i+n/3)%n, k)
			k++
		}
	}
	// loopbacks 172.16.0.1, 172.16.0.2, …
	lo := func(i int) string { return fmt.Sprintf("172.%d.%d.%d", 16+(i+1)/65536, ((i+1)/256)%256, (i+1)%256) }
	pws := 10 * n
	vlan := make([]int, n)
	for p := 0; p < pws; p++ {
		a := p % n
		b := (a + 1 + (p/n)*7 + n/2) % n
		if b == a {
			b = (a + 1) % n
		}
		vc := p + 1
		for _, end := range [][2]int{{a, b}, {b, a}} {
			x, y := end[0], end[1]
			vlan[x]++
			u := 100 + vlan[x]
			fmt.Fprintf(&cfg[x], "interfaces ge-0/0/0 unit %d { encapsulation vlan-ccc; vlan-id %d; }\n", u, u)
			fmt.Fprintf(&cfg[x], "protocols l2circuit neighbor %s interface ge-0/0/0.%d { virtual-circuit-id %d; mtu 9100; }\n", lo(y), u, vc)
		}
	}
	sites := n / 5
	for i := 0; i < sites; i++ {
		fmt.Fprintf(&cfg[i], `interfaces ge-0/0/1 { vlan-tagging; encapsulation vlan-vpls; unit 300 { encapsulation vlan-vpls; vlan-id 300; } }
routing-instances VPLS { instance-type vpls; interface ge-0/0/1.300; route-distinguisher %s:300; vrf-target target:65000:300;
  protocols vpls { site-range %d; no-tunnel-services; site S { site-identifier %d; interface ge-0/0/1.300; } } }
`, lo(i), sites+1, i+1)
		var nb strings.Builder
		for j := 0; j < sites; j++ {
			if j != i {
				fmt.Fprintf(&nb, "neighbor %s; ", lo(j))
			}
		}
		fmt.Fprintf(&cfg[i], "protocols bgp group IBGP { type internal; local-address %s; family l2vpn signaling; %s}\n", lo(i), nb.String())
	}
	var in Input
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "interfaces { lo0 { unit 0 { family inet { address %s/32; } family iso; } } ge-0/0/0 { flexible-vlan-tagging; encapsulation flexible-ethernet-services; } }\n", lo(i))
		fmt.Fprintf(&b, "routing-options { router-id %s; autonomous-system 65000; }\n", lo(i))
		b.WriteString("protocols { isis { interface lo0.0 { passive; } } ldp { interface lo0.0; } }\n")
		for _, c := range core[i] {
			fmt.Fprintf(&b, "protocols { isis { interface %s { point-to-point; } } ldp { interface %s; } rsvp { interface %s; } mpls { interface %s; } }\n", c, c, c, c)
		}
		b.WriteString(cfg[i].String())
		t, err := junosconf.Parse(junosconf.FormatText, []byte(b.String()), junosconf.FamilyJunos)
		if err != nil {
			tb.Fatalf("pe%d: %v", i, err)
		}
		in.Devices = append(in.Devices, Device{Name: pe(i), Family: junosconf.FamilyJunos, Config: t, Up: true})
		links = append(links, Link{A: Endpoint{pe(i), "ge-0/0/0"}, B: Endpoint{"agg", fmt.Sprintf("ge-0/0/%d", 2*i)}, Up: true, Delay: 50 * time.Microsecond})
		links = append(links, Link{A: Endpoint{pe(i), "ge-0/0/1"}, B: Endpoint{"agg", fmt.Sprintf("ge-0/0/%d", 2*i+1)}, Up: true, Delay: 50 * time.Microsecond})
	}
	in.Devices = append(in.Devices, Device{Name: "agg", Family: junosconf.FamilyJunos, Config: &junosconf.Tree{}, Up: true})
	in.Links = links
	return in, pws
}

func pe(i int) string { return fmt.Sprintf("pe%d", i) }

func TestScaleNetConverges(t *testing.T) {
	in, pws := scaleNet(t, 60)
	s := Compute(in)
	st := s.Stats()
	if st.PWsUp != 2*pws || st.PWsDown != 0 {
		t.Fatalf("pseudowires %+v", st)
	}
	if want := 12 * 11; st.VPLSConnsUp != want {
		t.Fatalf("VPLS connections up %d, want %d (%+v)", st.VPLSConnsUp, want, st)
	}
	// cutting one ring link keeps everything up (the ring reroutes)
	s = Compute(cut(in, pe(5), pe(6)))
	if st := s.Stats(); st.PWsUp != 2*pws || st.LinksUp != len(in.Links)-1 {
		t.Fatalf("after one cut %+v", st)
	}
}

func benchFull(b *testing.B, n int) {
	in, pws := scaleNet(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	var s *State
	for b.Loop() {
		var c Computer
		s = c.Compute(in)
	}
	b.ReportMetric(float64(n), "devices")
	b.ReportMetric(float64(pws), "pws")
	if s.Stats().PWsUp != 2*pws {
		b.Fatalf("not converged: %+v", s.Stats())
	}
	// heap held by one State (plus the input trees) after a collection
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "live-MiB")
	runtime.KeepAlive(s)
}

func benchCut(b *testing.B, n int) {
	in, pws := scaleNet(b, n)
	var c Computer
	c.Compute(in)
	cutIn := cut(in, pe(n/2), pe(n/2+1))
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			c.Compute(cutIn)
		} else {
			c.Compute(in)
		}
		i++
	}
	b.ReportMetric(float64(n), "devices")
	b.ReportMetric(float64(pws), "pws")
}

func BenchmarkConvergeFull(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pe=%d", n), func(b *testing.B) { benchFull(b, n) })
	}
}

func BenchmarkConvergeLinkCut(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pe=%d", n), func(b *testing.B) { benchCut(b, n) })
	}
}

// TestIncrementalMatchesFull checks that a Computer reusing shortest-path
// trees across link cuts and repairs gives exactly what a fresh Compute
// gives.
func TestIncrementalMatchesFull(t *testing.T) {
	in, _ := scaleNet(t, 60)
	var c Computer
	c.Compute(in)
	steps := []Input{cut(in, pe(5), pe(6)), cut(cut(in, pe(5), pe(6)), pe(20), pe(21)), in, cut(in, pe(0), pe(20))}
	for i, st := range steps {
		inc, full := c.Compute(st), Compute(st)
		if inc.Stats() != full.Stats() {
			t.Fatalf("step %d: stats %+v vs %+v", i, inc.Stats(), full.Stats())
		}
		for v := range full.devs {
			if !slices.Equal(inc.spt[v].pred, full.spt[v].pred) || !slices.Equal(inc.spt[v].dist, full.spt[v].dist) ||
				!slices.Equal(inc.ldpLSP[v], full.ldpLSP[v]) {
				t.Fatalf("step %d: tree of %s differs", i, full.devs[v].in.Name)
			}
		}
		a, b := inc.Pseudowires(pe(7)), full.Pseudowires(pe(7))
		if len(a) != len(b) || a[0].Path.Delay != b[0].Path.Delay || a[0].OutLabel != b[0].OutLabel {
			t.Fatalf("step %d: pseudowires differ", i)
		}
	}
}

// BenchmarkConvergeOverlay computes a two-hub IPsec overlay (every spoke
// with a tunnel to each hub over one provider router, static routes with a
// qualified next hop) after a hub failure, from parsed configurations (a
// Computer, as the simulator keeps one). baseline is the same network
// without IKE and IPsec, so the ratio is what the tunnels cost.
func BenchmarkConvergeOverlay(b *testing.B) {
	for _, spokes := range []int{50, 250} {
		for _, sec := range []bool{false, true} {
			name := fmt.Sprintf("spokes=%d/baseline", spokes)
			if sec {
				name = fmt.Sprintf("spokes=%d/ipsec", spokes)
			}
			b.Run(name, func(b *testing.B) {
				l := newVPNLabN(spokes)
				l.noSec = !sec
				in := l.input(b)
				l.down["h1"] = true
				failed := l.input(b)
				for i := range failed.Devices {
					failed.Devices[i].Config = in.Devices[i].Config
				}
				var c Computer
				c.Compute(in)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if i%2 == 0 {
						c.Compute(failed)
					} else {
						c.Compute(in)
					}
				}
				b.ReportMetric(float64(len(in.Devices)), "devices")
			})
		}
	}
}
