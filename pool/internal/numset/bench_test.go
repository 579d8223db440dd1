package numset

import (
	"math/rand/v2"
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

// claim fills s with n values the way an allocator does: NextFree, then
// Add. With cursor set, each search starts after the last value handed out;
// otherwise every search starts at the bottom of the range.
func claim(s *Set, within []Range, n int, cursor bool) {
	from := within[0].Lo
	for range n {
		v, ok := s.NextFree(from, within)
		if !ok {
			panic("pool exhausted")
		}
		s.Add(v)
		if cursor {
			from = v + 1
		}
	}
}

// BenchmarkClaim500k hands out 500,000 VC IDs from 1..16,000,000.
func BenchmarkClaim500k(b *testing.B) {
	const n = 500_000
	within := []Range{{1, 16_000_000}}
	for _, bc := range []struct {
		name   string
		cursor bool
	}{{"fromLo", false}, {"cursor", true}} {
		b.Run(bc.name, func(b *testing.B) {
			perValue := liveBytes(func() any {
				s := &Set{}
				claim(s, within, n, bc.cursor)
				return s
			}) / n
			b.ReportAllocs()
			for b.Loop() {
				claim(&Set{}, within, n, bc.cursor)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/claim")
			b.ReportMetric(perValue, "B/value")
		})
	}
}

// BenchmarkAddRandom adds 500,000 random values from 1..16,000,000, the
// sparse worst case for the paged form.
func BenchmarkAddRandom(b *testing.B) {
	const n = 500_000
	vals := make([]uint64, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range vals {
		vals[i] = 1 + rng.Uint64N(16_000_000)
	}
	build := func() *Set {
		s := &Set{}
		for _, v := range vals {
			s.Add(v)
		}
		return s
	}
	distinct := build().Len()
	perValue := liveBytes(func() any { return build() }) / float64(distinct)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		build()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/add")
	b.ReportMetric(perValue, "B/value")
}

// BenchmarkSmallSets fills 50,000 VLAN sets (range 1..4094) with a few
// values each and reports the memory per set.
func BenchmarkSmallSets(b *testing.B) {
	const sets = 50_000
	within := []Range{{1, 4094}}
	for _, perSet := range []int{3, 10, 15} {
		b.Run(map[int]string{3: "3values", 10: "10values", 15: "15values"}[perSet], func(b *testing.B) {
			build := func() []*Set {
				all := make([]*Set, sets)
				for i := range all {
					all[i] = &Set{}
					claim(all[i], within, perSet, false)
				}
				return all
			}
			perSetBytes := liveBytes(func() any { return build() }) / sets
			b.ReportAllocs()
			for b.Loop() {
				build()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sets*perSet), "ns/claim")
			b.ReportMetric(perSetBytes, "B/set")
		})
	}
}

// BenchmarkNextFreeExhausted searches a range whose 500,000 values are all
// taken: the answer is "none", found by skipping full pages in runs.
func BenchmarkNextFreeExhausted(b *testing.B) {
	within := []Range{{1, 500_000}}
	s := &Set{}
	claim(s, within, 500_000, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.NextFree(0, within); ok {
			b.Fatal("found a free value in a full range")
		}
	}
}

// BenchmarkNextFreeFragmented searches from the bottom of a 500,000-value
// set with one free value per 1,000 near the top.
func BenchmarkNextFreeFragmented(b *testing.B) {
	within := []Range{{1, 16_000_000}}
	s := &Set{}
	claim(s, within, 500_000, true)
	for v := uint64(400_000); v < 500_000; v += 1000 {
		s.Remove(v)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v, _ := s.NextFree(1, within); v != 400_000 {
			b.Fatalf("NextFree = %d", v)
		}
	}
}
