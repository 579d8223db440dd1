package design_test

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
)

// benchNet is 1,000 PEs with 50 UNIs each, and a definition.
func benchNet(b *testing.B) (*design.Inventory, *design.Definition) {
	b.Helper()
	devs := make([]design.Device, 1000)
	for i := range devs {
		d := design.Device{Name: fmt.Sprintf("pe%04d", i), Platform: mx480,
			Loopback: netip.AddrFrom4([4]byte{10, 255, byte(i >> 8), byte(i)})}
		for u := range 50 {
			d.Interfaces = append(d.Interfaces, design.Interface{Name: fmt.Sprintf("ge-0/%d/%d", u/10, u%10), Role: design.UNI})
		}
		devs[i] = d
	}
	inv, err := design.NewInventory(devs)
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefELineLDP)
	return inv, def
}

// benchOrder returns the i-th E-LINE: two UNIs on two different PEs.
func benchOrder(i int) *design.Order {
	a, z := i%1000, (i+1+i/1000)%1000
	if z == a {
		z = (z + 1) % 1000
	}
	ua, uz := (i/1000)%50, (i/7)%50
	return &design.Order{Name: "eline-" + strconv.Itoa(i), Definition: design.DefELineLDP, Endpoints: []design.Endpoint{
		{Device: fmt.Sprintf("pe%04d", a), Interface: fmt.Sprintf("ge-0/%d/%d", ua/10, ua%10)},
		{Device: fmt.Sprintf("pe%04d", z), Interface: fmt.Sprintf("ge-0/%d/%d", uz/10, uz%10)},
	}}
}

func reportRate(b *testing.B, before runtime.MemStats, keep []design.Service) {
	b.StopTimer()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "services/s")
	if len(keep) > 0 {
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(len(keep)), "retained-B/service")
	}
	runtime.KeepAlive(keep)
}

// BenchmarkDesignELine designs E-LINE services (two endpoints each) end to
// end: order check, one claim from in-memory pools, intent. Run it with
// -benchtime=500000x for the 500,000-service (1,000,000-endpoint) figure;
// retained-B/service counts the services kept plus the pool state.
func BenchmarkDesignELine(b *testing.B) {
	inv, def := benchNet(b)
	m := newPools(b)
	orders := make([]*design.Order, b.N)
	for i := range orders {
		orders[i] = benchOrder(i)
	}
	keep := make([]design.Service, 0, b.N)
	ctx := context.Background()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		s, err := design.Design(ctx, m, inv, def, orders[i])
		if err != nil {
			b.Fatal(err)
		}
		keep = append(keep, s)
	}
	reportRate(b, before, keep)
}

// BenchmarkDesignELineParallel is BenchmarkDesignELine from one goroutine
// per core sharing one Manager.
func BenchmarkDesignELineParallel(b *testing.B) {
	inv, def := benchNet(b)
	m := newPools(b)
	ctx := context.Background()
	var next atomic.Int64
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := design.Design(ctx, m, inv, def, benchOrder(int(next.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, before, nil)
}

// replayClaimer answers every claim with one claim made once, so that a
// benchmark measures design's own work without the pool's.
type replayClaimer struct{ c pool.Claim }

func (r *replayClaimer) Claim(_ context.Context, owner string, _ ...pool.Request) (pool.Claim, error) {
	c := r.c
	c.Owner = owner
	return c, nil
}

func (r *replayClaimer) Preview(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error) {
	return r.Claim(ctx, owner, reqs...)
}

// BenchmarkDesignELineNoPool is BenchmarkDesignELine with the pool's work
// taken out: what design itself costs per service.
func BenchmarkDesignELineNoPool(b *testing.B) {
	inv, def := benchNet(b)
	ctx := context.Background()
	first, err := design.DesignAll(ctx, newPools(b), inv, def, benchOrder(0))
	if err != nil {
		b.Fatal(err)
	}
	cl := &replayClaimer{c: first[0].Claim}
	orders := make([]*design.Order, 1024)
	for i := range orders {
		orders[i] = benchOrder(i)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := design.Design(ctx, cl, inv, def, orders[i%len(orders)]); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, before, nil)
}

// BenchmarkBulkBackhaul designs one mobile backhaul order of 10,000 cell
// sites per iteration, on fresh pools.
func BenchmarkBulkBackhaul(b *testing.B) {
	inv, o := bulkOrder(10000, 3)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefMobileBackhaul)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m := newPools(b)
		b.StartTimer()
		if _, err := design.DesignAll(ctx, m, inv, def, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*10000/b.Elapsed().Seconds(), "services/s")
}
