package validate_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/validate"
)

const testUser, testPass = "admin", "Lab-pa55word"

// lab is a chain ce1 - pe1 - p1 - pe2 - ce2 of simulated MX480s (eth1 =
// xe-0/0/0 to the core, eth2 = xe-0/0/1 to the CE) with IS-IS, LDP and
// MPLS, reached over real SSH/NETCONF, and carrierkit's pools.
type lab struct {
	t     *testing.T
	nw    *sim.Network
	sess  map[string]*netconf.Session
	inv   *design.Inventory
	cat   *design.Catalog
	pools *pool.Manager
}

func startLab(t *testing.T, net string) *lab {
	t.Helper()
	nodes := []string{"pe1", "p1", "pe2", "ce1", "ce2"}
	var b strings.Builder
	fmt.Fprintf(&b, "name: validate\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n    labels:\n      carrierkit.sim/platform: mx480\n  nodes:\n", testPass)
	for i, n := range nodes {
		fmt.Fprintf(&b, "    %s:\n      labels:\n        carrierkit.sim/address: %s.%d\n", n, net, i+1)
	}
	b.WriteString("  links:\n")
	for _, l := range [][2]string{{"pe1:eth1", "p1:eth1"}, {"p1:eth2", "pe2:eth1"}, {"ce1:eth1", "pe1:eth2"}, {"ce2:eth1", "pe2:eth2"}} {
		fmt.Fprintf(&b, "    - endpoints: [%q, %q]\n", l[0], l[1])
	}
	topo, err := sim.ParseTopology([]byte(b.String()), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true, Clock: sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	l := &lab{t: t, nw: nw, sess: map[string]*netconf.Session{}}
	for _, n := range []string{"pe1", "p1", "pe2"} {
		d := nw.Device(n)
		s, err := netconf.Dial(ctx, device.Target{Name: n, Addr: d.Addr(), Credentials: device.Password(testUser, testPass),
			HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		l.sess[n] = s
	}
	l.commit("pe1", coreSet(1, "xe-0/0/0", "10.0.1.1/30")...)
	l.commit("p1", append(coreSet(9, "xe-0/0/0", "10.0.1.2/30"), coreSet(9, "xe-0/0/1", "10.0.2.1/30")[5:]...)...)
	l.commit("pe2", coreSet(2, "xe-0/0/0", "10.0.2.2/30")...)
	nw.Sync()
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	pe := func(name string, n byte) design.Device {
		return design.Device{Name: name, Platform: mx, Loopback: netip.AddrFrom4([4]byte{10, 255, 0, n}), ASN: 65000,
			Interfaces: []design.Interface{{Name: "xe-0/0/0", Role: design.NNI}, {Name: "xe-0/0/1", Role: design.UNI}, {Name: "xe-0/0/2", Role: design.UNI}}}
	}
	if l.inv, err = design.NewInventory([]design.Device{pe("pe1", 1), pe("pe2", 2)}); err != nil {
		t.Fatal(err)
	}
	if l.cat, err = design.NewCatalog(); err != nil {
		t.Fatal(err)
	}
	l.pools = pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := l.pools.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// coreSet is IS-IS + LDP + MPLS on lo0 (10.255.0.n) and one core port.
func coreSet(n int, ifd, addr string) []string {
	lo := fmt.Sprintf("10.255.0.%d", n)
	return []string{
		"set interfaces lo0 unit 0 family inet address " + lo + "/32",
		fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n),
		"set routing-options router-id " + lo,
		"set protocols isis interface lo0.0 passive",
		"set protocols ldp interface lo0.0",
		"set interfaces " + ifd + " unit 0 family inet address " + addr,
		"set interfaces " + ifd + " unit 0 family iso",
		"set interfaces " + ifd + " unit 0 family mpls",
		"set protocols isis interface " + ifd + ".0",
		"set protocols mpls interface " + ifd + ".0",
		"set protocols ldp interface " + ifd + ".0",
	}
}

func (l *lab) commit(dev string, lines ...string) {
	l.t.Helper()
	ctx := context.Background()
	s := l.sess[dev]
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(lines, "\n"))}); err != nil {
		l.t.Fatalf("load %s: %v\n%s", dev, err, strings.Join(lines, "\n"))
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		l.t.Fatalf("commit %s: %v", dev, err)
	}
}

func (l *lab) devices() validate.Devices {
	ds := validate.Devices{}
	for n, s := range l.sess {
		ds[n] = s
	}
	return ds
}

func (l *lab) order(name string) *design.Order {
	return &design.Order{Name: name, Definition: design.DefELineLDP,
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "xe-0/0/1"}, {Device: "pe2", Interface: "xe-0/0/1"}}}
}

func (l *lab) design(o *design.Order, plan bool) design.Service {
	l.t.Helper()
	def, _ := l.cat.Lookup(o.Definition)
	f := design.DesignAll
	if plan {
		f = design.Plan
	}
	rs, err := f(context.Background(), l.pools, l.inv, def, o)
	if err != nil || len(rs) != 1 {
		l.t.Fatalf("design %s: %v", o.Name, err)
	}
	return rs[0].Service
}

// deploy renders svc and commits it on every device.
func (l *lab) deploy(svc design.Service) {
	l.t.Helper()
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		l.t.Fatal(err)
	}
	for _, a := range arts {
		if body := strings.TrimSpace(string(a.Body)); body != "" {
			l.commit(a.Device, strings.Split(body, "\n")...)
		}
	}
	l.nw.Sync()
}

func errorsOnly(fs []validate.Finding) []validate.Finding {
	var out []validate.Finding
	for _, f := range fs {
		if f.Severity == validate.Error {
			out = append(out, f)
		}
	}
	return out
}

func hasFinding(fs []validate.Finding, rule, dev, msgPart string) bool {
	for _, f := range fs {
		if f.Rule == rule && (dev == "" || f.Device == dev) && strings.Contains(f.Message+" "+f.Path, msgPart) {
			return true
		}
	}
	return false
}

type svcT = design.Service

func mustClaims(t *testing.T, l *lab) []pool.Claim {
	t.Helper()
	c, err := l.pools.Claims(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
