package inventory_test

import (
	"context"
	"net"
	"net/netip"
	"os"
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

// labNet is the loopback /29 the lab devices listen in; .5 is left empty
// so that a range sweep meets an unreachable address.
const labNet = "127.0.87."

type lab struct {
	devs map[string]*sim.Device
	keys []string
	inv  *inventory.Inventory
	st   *store.Memory
}

var labDevices = []struct{ name, platform, addr string }{
	{"pe1", "mx480", labNet + "1"},
	{"pe2", "mx480", labNet + "2"},
	{"pe3", "acx2100", labNet + "3"},
	{"p1", "ptx10003", labNet + "4"},
}

// startLab starts the four devices of testdata/*.conf on real SSH and
// returns an Inventory that reaches them over device/netconf.
func startLab(t testing.TB, rules *inventory.Rules) *lab {
	t.Helper()
	ctx := context.Background()
	l := &lab{devs: map[string]*sim.Device{}, st: store.NewMemory()}
	for _, d := range labDevices {
		cfg, err := os.ReadFile("testdata/" + d.name + ".conf")
		if err != nil {
			t.Fatal(err)
		}
		sd, err := sim.Start(ctx, sim.Options{
			Hostname: d.name, Platform: d.platform,
			Addr:   netip.AddrPortFrom(netip.MustParseAddr(d.addr), inventory.DefaultPort),
			Users:  []sim.User{{Name: "admin", Password: "lab-pass"}},
			Config: cfg,
		})
		if err != nil {
			t.Fatalf("start %s: %v", d.name, err)
		}
		t.Cleanup(func() { sd.Close() })
		l.devs[d.name] = sd
		l.keys = append(l.keys, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sd.HostKey()))))
	}
	inv, err := inventory.New(l.st, netconf.Dialer(), inventory.Options{
		Credentials: device.Password("admin", "lab-pass"),
		HostKeys:    device.PinnedKeys(l.keys...),
		Timeout:     10 * time.Second,
		Rules:       rules,
		Resolver:    labResolver{},
	})
	if err != nil {
		t.Fatal(err)
	}
	l.inv = inv
	return l
}

// commit loads set lines into a lab device over NETCONF and commits them.
func (l *lab) commit(t *testing.T, dev string, lines ...string) {
	t.Helper()
	ctx := context.Background()
	s, err := netconf.Dial(ctx, device.Target{Name: dev, Addr: l.devs[dev].Addr(), Credentials: device.Password("admin", "lab-pass"), HostKeys: device.PinnedKeys(l.keys...)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(lines, "\n"))}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
}

func netconfDial() device.DialFunc { return netconf.Dialer() }

// labResolver resolves "<device>.lab" to the lab device's address.
type labResolver struct{}

func (labResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	for _, d := range labDevices {
		if host == d.name+".lab" {
			return []netip.Addr{netip.MustParseAddr(d.addr)}, nil
		}
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
