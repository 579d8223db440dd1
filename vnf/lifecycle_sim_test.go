package vnf_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/internal/simtest"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/vnf"
)

// dialNFX starts a simulated nfx250 and opens a NETCONF session to it; stop
// closes both.
func dialNFX(ctx context.Context, name string) (s device.Session, stop func(), err error) {
	s, _, stop, err = dialNFXDevice(ctx, name)
	return s, stop, err
}

// dialNFXDevice is dialNFX that also returns the simulated device, for
// fault injection.
func dialNFXDevice(ctx context.Context, name string) (s device.Session, d *sim.Device, stop func(), err error) {
	d, err = sim.Start(ctx, sim.Options{Hostname: name, Platform: "nfx250",
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: simtest.User, Password: simtest.Password}}})
	if err != nil {
		return nil, nil, nil, err
	}
	s, err = netconf.Dial(ctx, simtest.Target(d, simtest.User, simtest.Password))
	if err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return s, d, func() { s.Close(); d.Close() }, nil
}

func startNFX(t testing.TB, ctx context.Context, name string) device.Session {
	t.Helper()
	s, _ := startNFXDevice(t, ctx, name)
	return s
}

func startNFXDevice(t testing.TB, ctx context.Context, name string) (device.Session, *sim.Device) {
	t.Helper()
	s, d, stop, err := dialNFXDevice(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return s, d
}

// newCatalog onboards the descriptors the tests and examples use.
func newCatalog() (*vnf.Catalog, error) {
	var c vnf.Catalog
	for _, d := range []vnf.Descriptor{
		{Name: "vsrx", Version: "20.4", Image: "/var/public/vsrx-20.4.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
		{Name: "vsrx", Version: "21.2", Image: "/var/public/vsrx-21.2.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
		{Name: "vrouter", Version: "1.0", Image: "/var/public/vrouter.qcow2", VCPUs: 1, MemoryMB: 1024, DiskGB: 2,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
		{Name: "wanopt", Version: "3.1", Image: "/var/public/wanopt.qcow2", VCPUs: 1, MemoryMB: 2048, DiskGB: 8,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
	} {
		if err := c.Onboard(d); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

func catalog(t testing.TB) *vnf.Catalog {
	t.Helper()
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// host is the simulated nfx250 as a Host: the cores and memory the
// simulator gives its VNFs, so placement and the device agree.
func host() vnf.Host {
	p, err := sim.LookupPlatform("nfx250")
	if err != nil {
		panic(err) // the simulator always has the nfx250
	}
	c := p.VNFCapacity()
	return vnf.Host{Name: "nfx1", Cores: c.Cores, MemoryMB: c.MemoryMB, DiskGB: 64, Ports: []string{"ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"}}
}

func committedSet(t *testing.T, ctx context.Context, s device.Session) string {
	t.Helper()
	b, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLifecycleOnSimulatedNFX drives a chain through its whole life over
// NETCONF against the simulator's nfx250.
func TestLifecycleOnSimulatedNFX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := startNFX(t, ctx, "nfx1")
	m, err := vnf.New(s, host(), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	three := vnf.Chain{Tenant: "acme", Name: "branch", LAN: "ge-0/0/0", WAN: "ge-0/0/1", FirstVLAN: 101,
		Functions: []vnf.Function{{VNF: "wanopt"}, {VNF: "vsrx", Version: "20.4"}, {VNF: "vrouter"}}}
	if _, err := m.Deploy(ctx, three); err != nil {
		t.Fatal(err)
	}
	if set := committedSet(t, ctx, s); !strings.Contains(set, "set vlans acme_branch_s3 vlan-id 104") ||
		!strings.Contains(set, "set virtual-network-functions acme_branch_2-vsrx interfaces eth3 mapping vlan members acme_branch_s2") {
		t.Fatalf("device configuration after deploy lacks the chain:\n%s", set)
	}
	st, err := m.State(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"acme_branch_1-wanopt", "acme_branch_2-vsrx", "acme_branch_3-vrouter"}
	if len(st) != 3 {
		t.Fatalf("state: %d VNFs, want 3: %+v", len(st), st)
	}
	for i, s := range st {
		if s.Instance != wantNames[i] || !s.Running() || s.Chain != "acme/branch" {
			t.Errorf("state[%d] = %+v, want %s running in acme/branch", i, s, wantNames[i])
		}
	}
	if st[1].VCPUs != 2 || st[1].MemoryKiB != 4096*1024 {
		t.Errorf("vsrx reports %d vcpus %d KiB, want 2 and %d", st[1].VCPUs, st[1].MemoryKiB, 4096*1024)
	}

	// A chain that does not fit (6 cores: 4 used, this one needs 4) is
	// refused before the device sees it.
	before := committedSet(t, ctx, s)
	big := vnf.Chain{Tenant: "globex", Name: "fw", LAN: "ge-0/0/2", WAN: "ge-0/0/3", FirstVLAN: 201,
		Functions: []vnf.Function{{VNF: "vsrx", VCPUs: 4}}}
	_, err = m.Deploy(ctx, big)
	var fe *vnf.FitError
	if !errors.As(err, &fe) || !errors.Is(err, vnf.ErrNoFit) || fe.Resource != "vcpus" || fe.Need != 4 || fe.Free != 2 {
		t.Fatalf("deploy of a too-big chain: %v, want FitError vcpus need 4 free 2", err)
	}
	if after := committedSet(t, ctx, s); after != before {
		t.Fatalf("refused chain changed the device:\n%s", after)
	}

	// Another tenant can neither see, scale nor remove acme's chain.
	if st, _ := m.State(ctx, "globex"); len(st) != 0 {
		t.Errorf("globex sees %+v", st)
	}
	if err := m.Remove(ctx, "globex", "branch"); !errors.Is(err, vnf.ErrNotFound) {
		t.Errorf("globex removes acme's chain: %v", err)
	}
	if _, err := m.Scale(ctx, "globex", "branch", 1, 4, 0); !errors.Is(err, vnf.ErrNotFound) {
		t.Errorf("globex scales acme's chain: %v", err)
	}

	// Scale vsrx to 3 vCPUs, then update it to the newest version.
	if _, err := m.Scale(ctx, "acme", "branch", 1, 3, 8192); err != nil {
		t.Fatal(err)
	}
	st, _ = m.State(ctx, "acme")
	if len(st) != 3 || st[1].VCPUs != 3 || st[1].MemoryKiB != 8192*1024 {
		t.Fatalf("after scale: %+v", st)
	}
	up := three
	up.Functions = []vnf.Function{{VNF: "wanopt"}, {VNF: "vsrx"}, {VNF: "vrouter"}}
	p, err := m.Update(ctx, up)
	if err != nil {
		t.Fatal(err)
	}
	if p.Instances[1].Descriptor.Version != "21.2" {
		t.Errorf("update placed vsrx %s, want 21.2", p.Instances[1].Descriptor.Version)
	}
	if set := committedSet(t, ctx, s); !strings.Contains(set, "vsrx-21.2.qcow2") || strings.Contains(set, "vsrx-20.4.qcow2") {
		t.Errorf("update did not replace the image:\n%s", set)
	}

	// Removal leaves no trace of the chain.
	if err := m.Remove(ctx, "acme", "branch"); err != nil {
		t.Fatal(err)
	}
	set := committedSet(t, ctx, s)
	for _, w := range []string{"acme_branch", "virtual-network-functions", "vmhost virtualization-options interfaces"} {
		if strings.Contains(set, w) {
			t.Errorf("after remove the device still has %q:\n%s", w, set)
		}
	}
	if st, _ := m.State(ctx, "acme"); len(st) != 0 {
		t.Errorf("after remove: %+v", st)
	}
	// Capacity is free again: the big chain now fits.
	if _, err := m.Deploy(ctx, big); err != nil {
		t.Fatalf("deploy after remove: %v", err)
	}
}
