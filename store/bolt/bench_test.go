package bolt_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/carrierkit/carrierkit/store/bolt"
	"github.com/carrierkit/carrierkit/store/storetest"
)

// BenchmarkTxn measures transactions of 4 puts with 4 Absent conditions on
// new keys, from 1 and from 64 goroutines, durable (the default) and with
// WithNoSync. The txns/s metric is what to compare.
func BenchmarkTxn(b *testing.B) {
	for _, sync := range []bool{true, false} {
		for _, goroutines := range []int{1, 64} {
			name := "sync/goroutines=" + strconv.Itoa(goroutines)
			var opts []bolt.Option
			if !sync {
				name = "nosync/goroutines=" + strconv.Itoa(goroutines)
				opts = append(opts, bolt.WithNoSync())
			}
			b.Run(name, func(b *testing.B) {
				s, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"), opts...)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				storetest.BenchTxn(b, s, goroutines)
			})
		}
	}
}
