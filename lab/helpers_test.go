package lab

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds carrierkit-sim and carrierkit-lab once per test run.
func binaries(t testing.TB) (simBin, labBin string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "carrierkit-lab-bin")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", binDir, "../cmd/carrierkit-sim", "../cmd/carrierkit-lab")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return filepath.Join(binDir, "carrierkit-sim"), filepath.Join(binDir, "carrierkit-lab")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// needRoot skips a test that creates namespaces when not run as root.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: the lab runner creates network namespaces and veth pairs (run `sudo go test ./lab/`)")
	}
}

// upLab brings plan p up and registers a teardown that also asserts that
// nothing is left behind.
func upLab(t *testing.T, p *Plan, o Options) {
	t.Helper()
	ctx := context.Background()
	if left := Leftovers(ctx, p); len(left) > 0 {
		t.Logf("removing leftovers of an earlier run: %v", left)
		if err := Down(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	o.LogDir = t.TempDir()
	start := time.Now()
	if err := Up(ctx, p, o); err != nil {
		t.Fatal(err)
	}
	t.Logf("up: %d nodes, %d links in %v", len(p.Nodes), len(p.Links), time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		start := time.Now()
		if err := Down(ctx, p); err != nil {
			t.Error(err)
		}
		t.Logf("down in %v", time.Since(start).Round(time.Millisecond))
		assertGone(t, p)
	})
}

// assertGone checks with ip(8) itself that no namespace or link of p is left.
func assertGone(t *testing.T, p *Plan) {
	t.Helper()
	ns, _ := exec.Command("ip", "netns", "list").Output()
	links, _ := exec.Command("ip", "-o", "link").Output()
	for _, n := range p.Nodes {
		if strings.Contains(string(ns), n.Namespace) {
			t.Errorf("namespace %s left behind:\n%s", n.Namespace, ns)
		}
		if strings.Contains(string(links), n.HostVeth+"@") || strings.Contains(string(links), " "+n.HostVeth+":") {
			t.Errorf("link %s left behind", n.HostVeth)
		}
	}
	if strings.Contains(string(links), " "+p.Bridge+":") {
		t.Errorf("bridge %s left behind", p.Bridge)
	}
}

// dial opens a NETCONF session to a node's management address.
func dial(t *testing.T, n *PlanNode) *netconf.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := netconf.Dial(ctx, target(n))
	if err != nil {
		t.Fatalf("node %s: %v", n.Name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func target(n *PlanNode) device.Target {
	return device.Target{Name: n.Name, Addr: netip.AddrPortFrom(n.Listen.Addr(), n.Listen.Port()),
		Credentials: device.Password(n.Sim.User, n.Sim.Password), HostKeys: device.InsecureIgnoreHostKey()}
}

func writeFile(f, text string) error { return os.WriteFile(f, []byte(text), 0o644) }

func sprintf(f string, a ...any) string { return fmt.Sprintf(f, a...) }
