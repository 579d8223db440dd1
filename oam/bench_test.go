package oam_test

import (
	"context"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/oam"
)

// BenchmarkFullMesh50 plans and runs the 2,450 probes of a 50-site VPLS
// against an in-memory runner that answers at once: the cost of oam
// itself (planning, scheduling, parsing), in parallel and one probe at a
// time.
func BenchmarkFullMesh50(b *testing.B) {
	svc := meshService(design.TypeVPLS, 50)
	f := newFake(func(string, string, int) ([]byte, error) { return pingReply(5, 5), nil })
	for _, bc := range []struct {
		name string
		o    oam.Options
	}{{"parallel", oam.Options{Parallel: 16, PerDevice: 2}}, {"sequential", oam.Options{Parallel: 1, PerDevice: 1}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := oam.PlanService(svc, oam.PlanOptions{})
				if err != nil {
					b.Fatal(err)
				}
				res, err := oam.Run(context.Background(), f.connector(), p, bc.o)
				if err != nil || len(res) != 2450 || res[0].Status != oam.StatusOK {
					b.Fatalf("%v %d", err, len(res))
				}
			}
			b.ReportMetric(float64(2450*b.N)/b.Elapsed().Seconds(), "probes/s")
		})
	}
}

// BenchmarkFullMesh200L3VPN plans and runs the 39,800 probes of a
// 200-site L3VPN against the in-memory runner.
func BenchmarkFullMesh200L3VPN(b *testing.B) {
	svc := meshService(design.TypeL3VPN, 200)
	f := newFake(func(string, string, int) ([]byte, error) { return pingReply(5, 5), nil })
	for b.Loop() {
		p, err := oam.PlanService(svc, oam.PlanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := oam.Run(context.Background(), f.connector(), p, oam.Options{Parallel: 32, PerDevice: 2})
		if err != nil || len(res) != 39800 {
			b.Fatalf("%v %d", err, len(res))
		}
	}
	b.ReportMetric(float64(39800*b.N)/b.Elapsed().Seconds(), "probes/s")
}

// BenchmarkVPLS20Sim runs the 380-probe full mesh of a 20-site LDP VPLS
// over real NETCONF against the simulator (one session per PE), with the
// runner's defaults and one probe at a time.
func BenchmarkVPLS20Sim(b *testing.B) {
	l := startStar(b, "127.0.94", 20)
	svc := l.vplsService(l.pes...)
	l.deploy(b, svc)
	for _, bc := range []struct {
		name string
		o    oam.Options
	}{{"parallel", oam.Options{}}, {"sequential", oam.Options{Parallel: 1, PerDevice: 1}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				p, err := oam.PlanService(svc, oam.PlanOptions{})
				if err != nil {
					b.Fatal(err)
				}
				res, err := oam.Run(context.Background(), l.conn, p, bc.o)
				if err != nil {
					b.Fatal(err)
				}
				if rep := oam.NewReport(p, res, nil); len(res) != 380 || !rep.OK() {
					b.Fatalf("%d probes, counts %v", len(res), rep.Counts())
				}
			}
			b.ReportMetric(float64(380*b.N)/b.Elapsed().Seconds(), "probes/s")
		})
	}
}
