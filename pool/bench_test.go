package pool_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
	"github.com/carrierkit/carrierkit/store/postgres"
)

// The benchmark network: 1,000 PEs with 50 UNIs each. Service i connects UNI
// i mod 50,000 to a UNI on another PE, so each UNI ends up with about 20
// VLANs at 500,000 services, as in a metro network.
const (
	benchUNIs = 50_000
	perPE     = 50
)

func uniName(u int) string {
	return fmt.Sprintf("pe%d:ge-0/0/%d", u/perPE, u%perPE)
}

// benchUNINames is precomputed so the benchmarks measure the pools, not
// Sprintf.
var benchUNINames = func() []string {
	n := make([]string, benchUNIs)
	for i := range n {
		n[i] = uniName(i)
	}
	return n
}()

func elineReqs(i int) []pool.Request {
	a := i % benchUNIs
	b := (a + 7*perPE + i/benchUNIs) % benchUNIs // another PE
	return []pool.Request{
		{Name: "a", Pool: "uni-vlan", Scope: benchUNINames[a]},
		{Name: "b", Pool: "uni-vlan", Scope: benchUNINames[b]},
		{Name: "vc", Pool: "vcid"},
	}
}

var l3vpnSiteReqs = []pool.Request{
	{Name: "rd", Pool: "rd"},
	{Name: "rt", Pool: "rt"},
	{Name: "pe-ce", Pool: "pe-ce"},
}

var benchSpecs = []pool.Spec{
	{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"1-4094"}, Scoped: true},
	{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1-16000000"}},
	{Name: "rd", Kind: pool.KindRD, Admin: "65000", Ranges: []string{"1-16000000"}},
	{Name: "rt", Kind: pool.KindRT, Admin: "65000", Ranges: []string{"1-16000000"}},
	{Name: "pe-ce", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/8"}, Length: 31},
}

func benchManager(b *testing.B, st store.Store) *pool.Manager {
	m := pool.New(st)
	for _, s := range benchSpecs {
		if err := m.CreatePool(context.Background(), s); err != nil {
			b.Fatal(err)
		}
	}
	return m
}

// claimAll makes n claims from workers goroutines and returns the time taken.
func claimAll(b *testing.B, m *pool.Manager, n, workers int, reqs func(int) []pool.Request) time.Duration {
	_, d := timedClaims(b, m, n, workers, reqs)
	return d
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkClaims500k makes 500,000 claims per iteration, in memory and on
// the embedded durable store, and reports claims/s and, in memory, the heap
// each held claim costs (store and Manager together).
func BenchmarkClaims500k(b *testing.B) {
	const n = 500_000
	cases := []struct {
		name    string
		reqs    func(int) []pool.Request
		durable bool
		workers int
	}{
		{"eline/memory", elineReqs, false, 1},
		{"eline/memory/2-clients", elineReqs, false, 2},
		{"l3vpn-site/memory", func(int) []pool.Request { return l3vpnSiteReqs }, false, 1},
		{"eline/bolt/64-clients", elineReqs, true, 64},
		{"l3vpn-site/bolt/64-clients", func(int) []pool.Request { return l3vpnSiteReqs }, true, 64},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var elapsed time.Duration
			var perClaim float64
			for b.Loop() {
				b.StopTimer()
				before := heapInUse()
				var st store.Store = store.NewMemory()
				if tc.durable {
					var err error
					if st, err = bolt.Open(filepath.Join(b.TempDir(), "pool.db")); err != nil {
						b.Fatal(err)
					}
				}
				m := benchManager(b, st)
				b.StartTimer()
				elapsed += claimAll(b, m, n, tc.workers, tc.reqs)
				b.StopTimer()
				if !tc.durable {
					perClaim = float64(heapInUse()-before) / n
				}
				runtime.KeepAlive(m)
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "claims/s")
			b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/500k")
			if perClaim > 0 {
				b.ReportMetric(perClaim, "B/claim")
			}
		})
	}
}

// BenchmarkELineVsBaseline compares the Manager with the simplest correct
// allocator — one mutex around a map, scanning from the bottom of each range
// for the first free value — on the same 20,000 E-LINE claims. (At 500,000
// the baseline's scan is quadratic: about 1.25e11 map probes for the VC IDs
// alone, so it is measured where it can finish.)
func BenchmarkELineVsBaseline(b *testing.B) {
	const n = 20_000
	b.Run("carrierkit/memory", func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			b.StopTimer()
			st := store.NewMemory()
			m := benchManager(b, st)
			b.StartTimer()
			elapsed += claimAll(b, m, n, 1, elineReqs)
		}
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "claims/s")
	})
	b.Run("baseline/mutex-map-scan", func(b *testing.B) {
		var elapsed time.Duration
		for b.Loop() {
			start := time.Now()
			nb := newNaive()
			for i := range n {
				if err := nb.claimELine(fmt.Sprint("svc-", i), elineReqs(i)); err != nil {
					b.Fatal(err)
				}
			}
			elapsed += time.Since(start)
		}
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "claims/s")
	})
}

// BenchmarkClients measures E-LINE claims from 1, 4 and 16 concurrent
// clients (goroutines sharing one Manager) on the embedded store and on
// PostgreSQL, in the same run: 10,000 claims per iteration, each
// acknowledged only once durable, with the claim latency's median and 99th
// percentile. With PostgreSQL the benchmark needs CARRIERKIT_PG_DSN (make
// bench starts a throwaway server).
func BenchmarkClients(b *testing.B) {
	const n = 10_000
	dsn, havePG := postgres.DSNFromEnv()
	for _, backend := range []string{"bolt", "postgres"} {
		for _, clients := range []int{1, 4, 16} {
			b.Run(fmt.Sprintf("%s/clients=%d", backend, clients), func(b *testing.B) {
				if backend == "postgres" && !havePG {
					b.Skip("CARRIERKIT_PG_DSN is not set; make bench starts a server")
				}
				var all []time.Duration
				var elapsed time.Duration
				for b.Loop() {
					b.StopTimer()
					var st store.Store
					var err error
					if backend == "bolt" {
						st, err = bolt.Open(filepath.Join(b.TempDir(), "pool.db"))
					} else {
						st, err = postgres.Open(context.Background(), dsn, postgres.WithSchema(fmt.Sprintf("bench_%d", time.Now().UnixNano())))
					}
					if err != nil {
						b.Fatal(err)
					}
					m := benchManager(b, st)
					b.StartTimer()
					lat, d := timedClaims(b, m, n, clients, elineReqs)
					elapsed += d
					all = append(all, lat...)
					b.StopTimer()
					st.Close()
					b.StartTimer()
				}
				slices.Sort(all)
				b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "claims/s")
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}

// timedClaims makes n claims from clients goroutines and returns each
// claim's latency and the time taken.
func timedClaims(b *testing.B, m *pool.Manager, n, clients int, reqs func(int) []pool.Request) ([]time.Duration, time.Duration) {
	ctx := context.Background()
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if _, err := m.Claim(ctx, fmt.Sprint("svc-", i), reqs(i)...); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start)
}

// naive is the baseline allocator: a mutex around a map of taken values,
// scanning each range from its start for the first free value.
type naive struct {
	mu     sync.Mutex
	used   map[naiveKey]string
	claims map[string][]naiveKey
}

type naiveKey struct {
	pool  string
	scope string
	v     uint32
}

func newNaive() *naive {
	return &naive{used: map[naiveKey]string{}, claims: map[string][]naiveKey{}}
}

func (n *naive) claimELine(owner string, reqs []pool.Request) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.claims[owner]; ok {
		return nil
	}
	var keys []naiveKey
	for _, r := range reqs {
		lo, hi := uint32(1), uint32(4094)
		if r.Pool == "vcid" {
			hi = 16_000_000
		}
		found := false
		for v := lo; v <= hi; v++ {
			k := naiveKey{r.Pool, r.Scope, v}
			if _, taken := n.used[k]; !taken {
				n.used[k] = owner
				keys = append(keys, k)
				found = true
				break
			}
		}
		if !found {
			for _, k := range keys {
				delete(n.used, k)
			}
			return fmt.Errorf("baseline: %s exhausted", r.Pool)
		}
	}
	n.claims[owner] = keys
	return nil
}
