package provision_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/render"
)

// sequentialPush is the baseline: the same changes pushed one device at a
// time (lock, load, check, confirmed commit, confirm, unlock), with no
// all-or-nothing across devices.
func sequentialPush(ctx context.Context, b *testing.B, dp *device.Pool, l *lab, svc design.Service) {
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range arts {
		tg, _ := l.target(a.Device)
		lease, err := dp.Acquire(ctx, tg)
		if err != nil {
			b.Fatal(err)
		}
		s := lease.Session()
		lk := s.(device.Locker)
		steps := []func() error{
			func() error { return lk.Lock(ctx) },
			func() error { return s.Load(ctx, device.Change{Format: device.Set, Data: a.Body}) },
			func() error { return s.Commit(ctx, device.CommitOptions{Check: true}) },
			func() error { return s.Commit(ctx, device.CommitOptions{Confirmed: 2 * time.Minute}) },
			func() error { return s.Commit(ctx, device.CommitOptions{}) },
			func() error { return lk.Unlock(ctx) },
		}
		for _, st := range steps {
			if err := st(); err != nil {
				b.Fatalf("%s: %v", a.Device, err)
			}
		}
		lease.Release()
	}
}

// BenchmarkDeployVPLS20 deploys a 20-site BGP VPLS over NETCONF/SSH to 20
// simulated PEs (target: under 2 s per deploy). Sessions are pooled, as in
// a running orchestrator; each iteration's service is decommissioned
// outside the timer so the devices do not grow.
func BenchmarkDeployVPLS20(b *testing.B) {
	l := startLab(b, 12, 20)
	ctx := context.Background()
	b.Run("all-or-nothing", func(b *testing.B) {
		o, _ := l.orchestrator(newFaults())
		for i := 0; b.Loop(); i++ {
			name := fmt.Sprintf("bench-%d", i)
			b.StopTimer()
			if _, err := o.Submit(ctx, "bench", vplsOrder(name, l.names)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := o.Deploy(ctx, "bench", name); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if _, err := o.Decommission(ctx, "bench", name); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
	b.Run("sequential-baseline", func(b *testing.B) {
		o, dp := l.orchestrator(newFaults())
		for i := 0; b.Loop(); i++ {
			name := fmt.Sprintf("seq-%d", i)
			b.StopTimer()
			o.Submit(ctx, "bench", vplsOrder(name, l.names))
			plans, err := o.Plan(ctx, vplsOrder(name, l.names))
			if err != nil {
				b.Fatal(err)
			}
			svc := plans[0].Service
			b.StartTimer()
			sequentialPush(ctx, b, dp, l, svc)
			b.StopTimer()
			rm, _ := render.Remove(svc, render.FormatSet)
			for _, a := range rm {
				tg, _ := l.target(a.Device)
				lease, _ := dp.Acquire(ctx, tg)
				lease.Session().Load(ctx, device.Change{Format: device.Set, Data: a.Body})
				lease.Session().Commit(ctx, device.CommitOptions{})
				lease.Release()
			}
			b.StartTimer()
		}
	})
}

// BenchmarkBulkBackhaul2000 deploys 2,000 mobile backhaul pseudowires from
// 496 cell-site routers to 4 hubs (500 simulated devices; target: under
// 60 s), with Bulk and with the sequential one-device-at-a-time baseline.
// Run it with -benchtime=1x: each iteration is a full deploy.
func BenchmarkBulkBackhaul2000(b *testing.B) {
	const devices, hubs, services = 500, 4, 2000
	l := startLab(b, 13, devices)
	ctx := context.Background()
	order := func(name string) design.Order {
		ord := design.Order{Name: name, Definition: design.DefMobileBackhaul}
		for h := 0; h < hubs; h++ {
			ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: l.names[h], Interface: "ge-0/0/1"})
		}
		for j := 0; j < services; j++ {
			csr := l.names[hubs+j%(devices-hubs)]
			ord.CellSites = append(ord.CellSites, design.CellSite{Name: fmt.Sprintf("c%d", j), Device: csr,
				Interface: fmt.Sprintf("ge-0/0/%d", 1+(j/(devices-hubs))%3)})
		}
		return ord
	}
	run := 0
	b.Run("bulk", func(b *testing.B) {
		o, _ := l.orchestrator(newFaults())
		for b.Loop() {
			b.StopTimer()
			run++
			rs, err := o.Submit(ctx, "bench", order(fmt.Sprintf("m%d", run)))
			if err != nil {
				b.Fatal(err)
			}
			names := make([]string, len(rs))
			for i, r := range rs {
				names[i] = r.Name
			}
			b.StartTimer()
			res, err := o.Bulk(ctx, "bench", names, provision.BulkOptions{BatchSize: 100, Concurrency: 8})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					b.Fatalf("%s: %v", r.Service, r.Err)
				}
			}
			b.StopTimer()
			if n := l.pseudowires(); n != run*services {
				b.Fatalf("hubs hold %d pseudowires, want %d", n, run*services)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(services), "services/op")
	})
	b.Run("sequential-baseline", func(b *testing.B) {
		_, dp := l.orchestrator(newFaults())
		for b.Loop() {
			b.StopTimer()
			run++
			ord := order(fmt.Sprintf("m%d", run))
			def, _ := l.cat.Lookup(ord.Definition)
			results, err := design.DesignAll(ctx, l.pools, l.inv, def, &ord)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for _, r := range results {
				sequentialPush(ctx, b, dp, l, r.Service)
			}
		}
		b.ReportMetric(float64(services), "services/op")
	})
}

// pseudowires counts the l2circuit interfaces configured on the first four
// devices (the hubs).
func (l *lab) pseudowires() int {
	n := 0
	for _, d := range l.devs[:4] {
		n += strings.Count(string(d.Committed().Text()), "virtual-circuit-id")
	}
	return n
}
