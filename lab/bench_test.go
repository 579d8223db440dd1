package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ringTopology writes a lab of n mx480 routers in a ring (eth1 to the next
// node's eth2) and returns its file.
func ringTopology(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: ring%d\nmgmt: {ipv4-subnet: 172.20.%d.0/22}\ntopology:\n  defaults:\n    kind: linux\n    labels: {carrierkit.sim/platform: mx480}\n  nodes:\n", n, 40)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    r%d: {}\n", i)
	}
	b.WriteString("  links:\n")
	for i := 1; i <= n && n > 1; i++ {
		j := i%n + 1
		if n == 2 && i == 2 {
			break
		}
		fmt.Fprintf(&b, "    - endpoints: [\"r%d:eth1\", \"r%d:eth2\"]\n", i, j)
	}
	f := filepath.Join(tb.TempDir(), fmt.Sprintf("ring%d.clab.yml", n))
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return f
}

// rss sums the resident memory of every process in the lab's namespaces.
func rss(p *Plan) (kib int) {
	for _, n := range p.Nodes {
		for _, pid := range nsPids(context.Background(), n.Namespace) {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
					v, _ := strconv.Atoi(f[1])
					kib += v
				}
			}
		}
	}
	return kib
}

// BenchmarkLabRing brings a ring of N routers up in N namespaces and down
// again; it reports up and down times, memory, and (mesh) the time from the
// start of up until every node sees every link up. Sizes: LAB_RING (comma-separated, default
// 10,30). Needs root.
//
//	sudo go test -run '^$' -bench LabRing -benchtime 1x ./lab/
func BenchmarkLabRing(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root: creates network namespaces")
	}
	sizes := []int{10, 30}
	if s := os.Getenv("LAB_RING"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(f)
			if err != nil {
				b.Fatalf("LAB_RING=%q", s)
			}
			sizes = append(sizes, n)
		}
	}
	simBin, labBin := binaries(b)
	for _, mode := range []string{"sim", "mesh"} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/%d", mode, n), func(b *testing.B) {
				p, err := NewPlan(ringTopology(b, n))
				if err != nil {
					b.Fatal(err)
				}
				o := Options{LogDir: b.TempDir(), Ready: 5 * time.Minute, Command: SimCommand(simBin)}
				if mode == "mesh" {
					o.Command = NodeCommand(labBin)
				}
				ctx := context.Background()
				_ = Down(ctx, p)
				var up, down, conv time.Duration
				var mem int
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if err := Up(ctx, p, o); err != nil {
						b.Fatal(err)
					}
					up += time.Since(t0)
					if mode == "mesh" {
						waitLinksUp(b, p, o.LogDir, time.Now().Add(5*time.Minute))
						conv += time.Since(t0)
					}
					mem = rss(p)
					t1 := time.Now()
					if err := Down(ctx, p); err != nil {
						b.Fatal(err)
					}
					down += time.Since(t1)
				}
				b.ReportMetric(up.Seconds()/float64(b.N), "up-s")
				b.ReportMetric(down.Seconds()/float64(b.N), "down-s")
				b.ReportMetric(float64(mem)/1024, "RSS-MiB")
				if mode == "mesh" {
					b.ReportMetric(conv.Seconds()/float64(b.N), "links-up-s")
				}
			})
		}
	}
}

// waitLinksUp waits until every node's log shows each of its links up once
// (a node logs "link … up=true" per link when it agrees with its
// neighbour).
func waitLinksUp(b *testing.B, p *Plan, dir string, deadline time.Time) {
	want := len(p.Links) // every node applies every link of the topology
	for time.Now().Before(deadline) {
		done := true
		for _, n := range p.Nodes {
			log, _ := os.ReadFile(filepath.Join(dir, n.Name+".log"))
			if strings.Count(string(log), "up=true") < want {
				done = false
				break
			}
		}
		if done {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("links not all up everywhere by the deadline")
}
