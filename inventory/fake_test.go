package inventory_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/devicetest"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
)

// fakeNet answers discovery from canned replies per address, so tests can
// change what a device reports between sweeps.
type fakeNet struct {
	mu   sync.Mutex
	devs map[netip.Addr]*fakeDev
}

type fakeDev struct {
	host, version string
	ifaces        []string // "name speed"
	config        string
}

func (f *fakeNet) dial(_ context.Context, t device.Target) (device.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.devs[t.Addr.Addr()]
	if !ok {
		return nil, errors.Join(device.ErrUnreachable, errors.New("connection refused"))
	}
	s := devicetest.New(d.host)
	s.Reply("<get-software-information/>", []byte("<software-information><host-name>"+d.host+"</host-name><product-model>mx204</product-model><junos-version>"+d.version+"</junos-version></software-information>"))
	s.Reply("<get-chassis-inventory/>", []byte("<chassis-inventory><chassis><serial-number>SN-"+d.host+"</serial-number></chassis></chassis-inventory>"))
	var b strings.Builder
	b.WriteString("<interface-information>")
	for _, in := range d.ifaces {
		name, speed, _ := strings.Cut(in, " ")
		b.WriteString("<physical-interface><name>" + name + "</name><admin-status>up</admin-status><oper-status>up</oper-status><speed>" + speed + "</speed></physical-interface>")
	}
	b.WriteString("</interface-information>")
	s.Reply("<get-interface-information/>", []byte(b.String()))
	return &xmlConfigSession{Session: s, config: d.config}, nil
}

// xmlConfigSession answers configuration queries with XML, which the
// devicetest fake does not render.
type xmlConfigSession struct {
	*devicetest.Session
	config string
}

func (s *xmlConfigSession) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if q.Source == device.Committed {
		return []byte(s.config), nil
	}
	return s.Session.Get(ctx, q)
}

const fakeConfig = `<configuration><interfaces><interface><name>lo0</name><unit><name>0</name><family><inet><address><name>10.0.0.%d/32</name></address></inet></family></unit></interface></interfaces></configuration>`

func TestRediscoveryDiff(t *testing.T) {
	fn := &fakeNet{devs: map[netip.Addr]*fakeDev{
		netip.MustParseAddr("192.0.2.1"): {host: "r1", version: "23.4R1.9", ifaces: []string{"et-0/0/0 100Gbps", "et-0/0/1 100Gbps", "et-0/0/2 100Gbps"}, config: strings.Replace(fakeConfig, "%d", "1", 1)},
		netip.MustParseAddr("192.0.2.2"): {host: "r2", version: "23.4R1.9", config: strings.Replace(fakeConfig, "%d", "2", 1)},
	}}
	inv, err := inventory.New(store.NewMemory(), fn.dial, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := inv.Discover(ctx, "192.0.2.1-2"); err != nil {
		t.Fatal(err)
	}
	// r1 is upgraded, loses et-0/0/2, gains et-0/0/3 and et-0/0/1 runs at
	// 40G; r2 now reports r1's host name.
	fn.mu.Lock()
	r1 := fn.devs[netip.MustParseAddr("192.0.2.1")]
	r1.version = "23.4R2.13"
	r1.ifaces = []string{"et-0/0/0 100Gbps", "et-0/0/1 40Gbps", "et-0/0/3 100Gbps"}
	fn.devs[netip.MustParseAddr("192.0.2.2")].host = "r1"
	fn.mu.Unlock()
	rep, err := inv.Discover(ctx, "192.0.2.1-2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range rep.Changes() {
		got = append(got, c.String())
	}
	want := []string{
		"r1: version 23.4R1.9 -> 23.4R2.13",
		"r1: interface-speed et-0/0/1 100G -> 40G",
		"r1: interface-added et-0/0/3 \"\" -> up/up",
		"r1: interface-removed et-0/0/2 up/up -> \"\"",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	f := rep.Failed()
	if len(f) != 1 || f[0].Kind != inventory.KindConflict || !errors.Is(f[0].Err, inventory.ErrDuplicateName) {
		t.Fatalf("failed %+v, want the duplicate host name reported", f)
	}
	d, _ := inv.Device(ctx, "r1")
	if d.Version != "23.4R2.13" || len(d.Interfaces) != 3 || d.Address.Addr().String() != "192.0.2.1" {
		t.Errorf("r1 record %+v", d)
	}
}

func TestDiscoverErrorKinds(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		dial device.DialFunc
		want inventory.ErrorKind
		is   error
	}{
		{"rejected RPC", func(context.Context, device.Target) (device.Session, error) {
			return devicetest.New("x"), nil // no canned replies: every RPC is refused
		}, inventory.KindRejected, nil},
		{"bad reply", func(context.Context, device.Target) (device.Session, error) {
			s := devicetest.New("x")
			s.Reply("<get-software-information/>", []byte("<software-information><host-name>"))
			return s, nil
		}, inventory.KindBadReply, inventory.ErrBadReply},
		{"slow device", func(context.Context, device.Target) (device.Session, error) {
			s := devicetest.New("x")
			s.Hook = func(ctx context.Context, _ devicetest.Call) error {
				<-ctx.Done()
				return device.TimeoutError(ctx, "x", "get")
			}
			return s, nil
		}, inventory.KindTimeout, device.ErrTimeout},
		{"auth", func(context.Context, device.Target) (device.Session, error) {
			return nil, errors.Join(device.ErrAuth, errors.New("no"))
		}, inventory.KindAuth, device.ErrAuth},
	}
	for _, c := range cases {
		inv, _ := inventory.New(store.NewMemory(), c.dial, inventory.Options{Timeout: 50 * time.Millisecond})
		rep, err := inv.Discover(ctx, "192.0.2.1")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		r := rep.Results[0]
		if r.Kind != c.want || (c.is != nil && !errors.Is(r.Err, c.is)) {
			t.Errorf("%s: kind %q err %v, want %q", c.name, r.Kind, r.Err, c.want)
		}
		if devs, _ := inv.Devices(ctx); len(devs) != 0 {
			t.Errorf("%s: a failed target left a record", c.name)
		}
	}
}

// Many concurrent sweeps over the same devices keep one record each and
// never fail on store conflicts.
func TestConcurrentDiscover(t *testing.T) {
	fn := &fakeNet{devs: map[netip.Addr]*fakeDev{}}
	for i := 1; i <= 20; i++ {
		a := netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
		fn.devs[a] = &fakeDev{host: "r" + a.String(), version: "23.4R2.13", ifaces: []string{"ge-0/0/0 1000mbps"}, config: strings.Replace(fakeConfig, "%d", a.String()[8:], 1)}
	}
	inv, _ := inventory.New(store.NewMemory(), fn.dial, inventory.Options{Parallel: 4})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := inv.Discover(ctx, "192.0.2.1-20")
			if err == nil && rep.Reached() != 20 {
				err = errors.New("not all reached")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	devs, _ := inv.Devices(ctx)
	if len(devs) != 20 {
		t.Fatalf("%d records, want 20", len(devs))
	}
	if rep, _ := inv.Prestage(ctx); rep.Count(inventory.Prestaged) != 20 {
		t.Fatalf("prestaged %d", rep.Count(inventory.Prestaged))
	}
}

func TestRenamedDeviceAndForget(t *testing.T) {
	a := netip.MustParseAddr("192.0.2.7")
	fn := &fakeNet{devs: map[netip.Addr]*fakeDev{a: {host: "old", version: "23.4R2.13", config: strings.Replace(fakeConfig, "%d", "7", 1)}}}
	inv, _ := inventory.New(store.NewMemory(), fn.dial, inventory.Options{})
	ctx := context.Background()
	if _, err := inv.Discover(ctx, "192.0.2.7"); err != nil {
		t.Fatal(err)
	}
	fn.mu.Lock()
	fn.devs[a].host = "new"
	fn.mu.Unlock()
	rep, err := inv.Discover(ctx, "192.0.2.7")
	if err != nil || !rep.Results[0].New || rep.Results[0].Device != "new" {
		t.Fatalf("renamed: %+v %v", rep.Results, err)
	}
	old, err := inv.Device(ctx, "old")
	if err != nil || old.Reachable || !strings.Contains(old.LastError, `now reports host name "new"`) {
		t.Errorf("old record: reachable %v lastError %q err %v", old.Reachable, old.LastError, err)
	}
	if err := inv.Forget(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	if _, err := inv.Device(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("forgotten device: %v", err)
	}
	if err := inv.Forget(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("forget twice: %v", err)
	}
}

// The inventory survives a restart on a durable store: a new Inventory over
// the reopened file sees the devices, and prestaging them again is a no-op.
func TestPersistsInBolt(t *testing.T) {
	path := t.TempDir() + "/state.db"
	fn := &fakeNet{devs: map[netip.Addr]*fakeDev{netip.MustParseAddr("192.0.2.3"): {host: "pe3", version: "23.4R2.13", ifaces: []string{"ge-0/0/0 1000mbps"}, config: strings.Replace(fakeConfig, "%d", "3", 1)}}}
	ctx := context.Background()
	st, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	inv, _ := inventory.New(st, fn.dial, inventory.Options{})
	if _, err := inv.Discover(ctx, "192.0.2.3"); err != nil {
		t.Fatal(err)
	}
	if rep, err := inv.Prestage(ctx); err != nil || rep.Count(inventory.Prestaged) != 1 {
		t.Fatalf("prestage: %+v %v", rep, err)
	}
	st.Close()

	st, err = bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inv, _ = inventory.New(st, fn.dial, inventory.Options{})
	d, err := inv.Device(ctx, "pe3")
	if err != nil || d.Loopback.String() != "10.0.0.3" || len(d.Interfaces) != 1 {
		t.Fatalf("after reopen: %+v %v", d, err)
	}
	if rep, err := inv.Prestage(ctx); err != nil || rep.Count(inventory.Unchanged) != 1 {
		t.Fatalf("prestage after reopen: %+v %v", rep, err)
	}
	di, err := inv.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := di.Interface("pe3", "ge-0/0/0"); !ok || r != "uni" {
		t.Errorf("pe3 ge-0/0/0: %q %v", r, ok)
	}
}
