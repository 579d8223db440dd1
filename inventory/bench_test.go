package inventory_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

// benchNet is where the benchmark's simulated devices listen:
// 127.0.89.1 … 127.0.89.200, all on the NETCONF port.
const benchNet = "127.0.89."

// BenchmarkDiscover200 discovers 200 simulated MX/ACX/PTX devices over real
// SSH and NETCONF per iteration and reports devices/s, with the default
// parallelism (16) and, as a baseline, one target at a time.
func BenchmarkDiscover200(b *testing.B) {
	const n = 200
	ctx := context.Background()
	platforms := []string{"mx204", "acx2100", "mx480", "ptx10003"}
	var keys []string
	for i := 1; i <= n; i++ {
		d, err := sim.Start(ctx, sim.Options{
			Hostname: fmt.Sprintf("r%03d", i), Platform: platforms[i%len(platforms)],
			Addr:  netip.AddrPortFrom(netip.MustParseAddr(fmt.Sprintf("%s%d", benchNet, i)), inventory.DefaultPort),
			Users: []sim.User{{Name: "admin", Password: "bench-pass"}},
		})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		keys = append(keys, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey()))))
	}
	spec := fmt.Sprintf("%s1-%s%d", benchNet, benchNet, n)
	for _, par := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("parallel=%d", par), func(b *testing.B) {
			inv, err := inventory.New(store.NewMemory(), netconf.Dialer(), inventory.Options{
				Credentials: device.Password("admin", "bench-pass"),
				HostKeys:    device.PinnedKeys(keys...),
				Parallel:    par,
				Timeout:     time.Minute,
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				rep, err := inv.Discover(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Reached() != n {
					b.Fatalf("reached %d of %d: %v", rep.Reached(), n, rep.Failed()[0].Err)
				}
			}
			b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "devices/s")
		})
	}
}
