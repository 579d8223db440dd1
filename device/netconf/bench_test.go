package netconf_test

import (
	gonetconf "github.com/Juniper/go-netconf/netconf"
	"golang.org/x/crypto/ssh"
	"sync"
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

// BenchmarkRPCOneSession: sequential get-software-information RPCs over one
// session (round trips on loopback, simulator included).
func BenchmarkRPCOneSession(b *testing.B) {
	d := startSim(b, "pe1", nil)
	s, err := netconf.Dial(ctxT(b), targetFor(d))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := ctxT(b)
	q := device.RPCQuery("<get-software-information/>")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Get(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpcs/s")
}

// BenchmarkRPCPool: the same RPC from 16 goroutines through a pool over 4
// devices, 2 sessions per device.
func BenchmarkRPCPool(b *testing.B) {
	var targets []device.Target
	for _, h := range []string{"pe1", "pe2", "pe3", "pe4"} {
		targets = append(targets, targetFor(startSim(b, h, nil)))
	}
	p := device.NewPool(netconf.Dialer(), device.PoolOptions{PerDevice: 2, Total: 8})
	defer p.Close()
	ctx := ctxT(b)
	q := device.RPCQuery("<get-software-information/>")
	work := make(chan int)
	var wg sync.WaitGroup
	b.ResetTimer()
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l, err := p.Acquire(ctx, targets[i%len(targets)])
				if err != nil {
					b.Error(err)
					return
				}
				if _, err := l.Session().Get(ctx, q); err != nil {
					b.Error(err)
				}
				l.Release()
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpcs/s")
}

// BenchmarkRPCGoNetconfBaseline: the same RPC through go-netconf's own Exec
// with no wrapper (no ctx, no checks), for the wrapper's overhead.
func BenchmarkRPCGoNetconfBaseline(b *testing.B) {
	d := startSim(b, "pe1", nil)
	cfg := &ssh.ClientConfig{User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback: ssh.FixedHostKey(d.HostKey())}
	s, err := gonetconf.DialSSH(d.Addr().String(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Exec(gonetconf.RawMethod("<get-software-information/>")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rpcs/s")
}
