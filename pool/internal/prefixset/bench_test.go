package prefixset

import (
	"net/netip"
	"runtime"
	"testing"
)

// liveBytes returns how many heap bytes the value built by build keeps
// alive.
func liveBytes(build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	return float64(int64(after.HeapAlloc) - int64(before.HeapAlloc))
}

// claim fills s with n prefixes of length bits from within the way an
// allocator does: NextFree, then Add. With cursor set each search starts
// after the last prefix handed out; otherwise at the start of within.
func claim(s *Set, within netip.Prefix, bits, n int, cursor bool) {
	var from netip.Addr
	for range n {
		p, ok := s.NextFree(within, bits, from)
		if !ok || !s.Add(p) {
			panic("pool exhausted")
		}
		if cursor {
			from = lastAddr(p).Next()
		}
	}
}

func lastAddr(p netip.Prefix) netip.Addr {
	_, k, n, _ := split(p)
	m := hostMask(n)
	fam := fam6
	if p.Addr().Is4() {
		fam = fam4
		m.lo = 0
		m.hi &^= 1<<32 - 1
	}
	return addrOf(u128{k.hi | m.hi, k.lo | m.lo}, fam)
}

func BenchmarkClaim(b *testing.B) {
	for _, bc := range []struct {
		name   string
		within netip.Prefix
		bits   int
		n      int
		cursor bool
	}{
		{"500k_31_from_8/fromStart", pfx("10.0.0.0/8"), 31, 500_000, false},
		{"500k_31_from_8/cursor", pfx("10.0.0.0/8"), 31, 500_000, true},
		{"100k_64_from_32/fromStart", pfx("2001:db8::/32"), 64, 100_000, false},
		{"100k_127_from_64/fromStart", pfx("2001:db8::/64"), 127, 100_000, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			perPrefix := liveBytes(func() any {
				s := &Set{}
				claim(s, bc.within, bc.bits, bc.n, bc.cursor)
				return s
			}) / float64(bc.n)
			b.ReportAllocs()
			for b.Loop() {
				claim(&Set{}, bc.within, bc.bits, bc.n, bc.cursor)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bc.n), "ns/claim")
			b.ReportMetric(perPrefix, "B/prefix")
		})
	}
}

// BenchmarkMixed hands out /30s, /31s and /32s in turn from a /16, so
// searches must skip partly used blocks.
func BenchmarkMixed(b *testing.B) {
	within := pfx("10.20.0.0/16")
	const n = 15_000
	b.ReportAllocs()
	for b.Loop() {
		s := &Set{}
		for i := range n {
			p, ok := s.NextFree(within, 30+i%3, netip.Addr{})
			if !ok || !s.Add(p) {
				b.Fatal("exhausted")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/claim")
}

// BenchmarkNextFreeExhausted searches a /13 whose 2^18 /31s are all taken.
func BenchmarkNextFreeExhausted(b *testing.B) {
	within := pfx("10.0.0.0/13")
	s := &Set{}
	claim(s, within, 31, 1<<18, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.NextFree(within, 31, netip.Addr{}); ok {
			b.Fatal("found a free /31 in a full /13")
		}
	}
}

// BenchmarkRemoveAdd releases and re-claims one /31 in a /8 holding 500,000.
func BenchmarkRemoveAdd(b *testing.B) {
	within := pfx("10.0.0.0/8")
	s := &Set{}
	claim(s, within, 31, 500_000, true)
	p := pfx("10.1.2.4/31")
	b.ReportAllocs()
	for b.Loop() {
		s.Remove(p)
		q, _ := s.NextFree(within, 31, netip.Addr{})
		s.Add(q)
	}
}
