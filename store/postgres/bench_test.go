package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

// runClients runs b.N transactions from clients goroutines and reports
// throughput, latency percentiles and retries per transaction.
func runClients(b *testing.B, s *Store, clients int, txn func(n int64) ([]store.Cond, []store.Op)) {
	var (
		next    atomic.Int64
		mu      sync.Mutex
		lats    = make([]time.Duration, 0, b.N)
		wg      sync.WaitGroup
		retries = s.retries.Load()
	)
	ctx := b.Context()
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			for {
				n := next.Add(1) - 1
				if n >= int64(b.N) {
					break
				}
				conds, ops := txn(n)
				t0 := time.Now()
				if _, err := s.Txn(ctx, conds, ops); err != nil {
					b.Errorf("Txn: %v", err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lats) == 0 {
		return
	}
	slices.Sort(lats)
	pct := func(p float64) float64 {
		return float64(lats[int(p*float64(len(lats)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lats))/elapsed.Seconds(), "txns/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(s.retries.Load()-retries)/float64(len(lats)), "retries/txn")
	b.ReportMetric(0, "ns/op") // per-transaction time is latency, reported above
}

// BenchmarkTxn measures transactions of 4 absent conditions and 4 puts of
// new keys, from 1, 4 and 16 concurrent clients, each with a connection of
// its own.
func BenchmarkTxn(b *testing.B) {
	dsn := pgtest.DSN(b)
	for _, clients := range []int{1, 4, 16} {
		b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
			s, _ := openFresh(b, dsn, WithMaxConns(clients))
			value := []byte("owner-0123456789\nname")
			runClients(b, s, clients, func(n int64) ([]store.Cond, []store.Op) {
				conds := make([]store.Cond, 4)
				ops := make([]store.Op, 4)
				for j := range 4 {
					k := fmt.Sprintf("pool/alloc/vlan-%d/scope/%d", j, n)
					conds[j] = store.Absent(k)
					ops[j] = store.Put(k, value)
				}
				return conds, ops
			})
		})
	}
}

// BenchmarkTxnClaim measures transactions shaped like pool.Manager's claims
// of IPv4 prefixes from one pool: each checks that its claim key is absent,
// the pool definition unchanged, nothing under its first /26 and no shorter
// prefix of it held (18 conditions), and writes the claim and three /26s.
// Successive claims take neighbouring /26s, so concurrent claims share
// index pages and, with lockStride, some prefix locks.
func BenchmarkTxnClaim(b *testing.B) {
	dsn := pgtest.DSN(b)
	for _, clients := range []int{1, 4, 16} {
		b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
			s, _ := openFresh(b, dsn, WithMaxConns(clients))
			def, err := s.Txn(b.Context(), nil, []store.Op{store.Put("pool/def/v4", []byte("{}"))})
			if err != nil {
				b.Fatal(err)
			}
			const base = "pool/alloc/v4/scope/"
			runClients(b, s, clients, func(n int64) ([]store.Cond, []store.Op) {
				owner := "pool/claim/svc-" + strconv.FormatInt(n, 10)
				conds := []store.Cond{store.Absent(owner), store.Unchanged("pool/def/v4", def)}
				ops := []store.Op{store.Put(owner, []byte("claim"))}
				for j := range int64(3) {
					bits := fmt.Sprintf("%026b", 3*n+j) // a /26 of 0.0.0.0/0, in order
					ops = append(ops, store.Put(base+bits, []byte("svc\nname")))
					if j == 0 {
						conds = append(conds, store.NoneWithPrefix(base+bits))
						for l := 11; l < len(bits); l++ {
							conds = append(conds, store.Absent(base+bits[:l]))
						}
					}
				}
				return conds, ops
			})
		})
	}
}
