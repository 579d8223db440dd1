package storetest

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/carrierkit/carrierkit/store"
)

// BenchTxn runs b.N transactions against s from the given number of
// goroutines and reports their rate as the txns/s metric. Each transaction
// puts 4 new keys of 64-byte values, each under an Absent condition, so it
// never conflicts. s should be fresh; BenchTxn leaves it open.
func BenchTxn(b *testing.B, s store.Store, goroutines int) {
	b.Helper()
	value := make([]byte, 64)
	var (
		left atomic.Int64 // iterations not yet claimed
		seq  atomic.Int64 // numbers the transactions, for unique keys
		wg   sync.WaitGroup
	)
	left.Store(int64(b.N))
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for range goroutines {
		wg.Go(func() {
			conds := make([]store.Cond, 4)
			ops := make([]store.Op, 4)
			buf := make([]byte, 0, 32)
			for left.Add(-1) >= 0 {
				n := seq.Add(1)
				for j := range 4 {
					buf = strconv.AppendInt(append(buf[:0], "bench/"...), n, 10)
					buf = append(buf, '/', byte('0'+j))
					key := string(buf)
					conds[j] = store.Absent(key)
					ops[j] = store.Put(key, value)
				}
				if _, err := s.Txn(ctx, conds, ops); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "txns/s")
}
