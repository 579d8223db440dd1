package provision_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

const testUser, testPass = "admin", "Lab-pa55word"

// lab is a set of simulated PEs on loopback addresses, reached over real
// SSH/NETCONF, with a shared virtual clock, and the pools and store of one
// carrierkit installation.
type lab struct {
	t       testing.TB
	mu      sync.Mutex // guards devs and byName (restart replaces a device)
	clock   *sim.VirtualClock
	devs    []*sim.Device
	names   []string
	byName  map[string]*sim.Device
	inv     *design.Inventory
	cat     *design.Catalog
	st      store.Store
	pools   *pool.Manager
	checker map[string]*netconf.Session // read-only sessions for before/after
}

// startLab starts n MX PEs pe01…peNN on 127.0.(20+block).k, each with UNIs
// ge-0/0/1 … ge-0/0/3 in the inventory.
func startLab(t testing.TB, block, n int) *lab {
	t.Helper()
	l := &lab{t: t, clock: sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)), byName: map[string]*sim.Device{},
		checker: map[string]*netconf.Session{}}
	ctx := context.Background()
	var devs []design.Device
	type started struct {
		d   *sim.Device
		err error
	}
	res := make([]started, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			name := fmt.Sprintf("pe%02d", i+1)
			if n > 99 {
				name = fmt.Sprintf("pe%03d", i+1)
			}
			addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, byte(20 + block + i/250), byte(1 + i%250), 1}), 0)
			d, err := sim.Start(ctx, sim.Options{Hostname: name, Platform: "mx480", Addr: addr, Clock: l.clock,
				Users: []sim.User{{Name: testUser, Password: testPass}}})
			res[i] = started{d, err}
		}()
	}
	wg.Wait()
	for i, r := range res {
		if r.err != nil {
			t.Fatalf("start device %d: %v", i, r.err)
		}
		d := r.d
		t.Cleanup(func() { d.Close() })
		l.devs = append(l.devs, d)
		l.names = append(l.names, d.Hostname())
		l.byName[d.Hostname()] = d
		devs = append(devs, design.Device{Name: d.Hostname(),
			Platform: design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"},
			Loopback: netip.AddrFrom4([4]byte{10, 255, byte(i / 250), byte(1 + i%250)}),
			Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: design.UNI}, {Name: "ge-0/0/2", Role: design.UNI},
				{Name: "ge-0/0/3", Role: design.UNI}, {Name: "xe-0/1/0", Role: design.NNI}}})
	}
	var err error
	if l.inv, err = design.NewInventory(devs); err != nil {
		t.Fatal(err)
	}
	if l.cat, err = design.NewCatalog(); err != nil {
		t.Fatal(err)
	}
	l.st = store.NewMemory()
	l.pools = pool.New(l.st)
	for _, s := range design.DefaultPools() {
		if err := l.pools.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func (l *lab) target(name string) (device.Target, error) {
	l.mu.Lock()
	d, ok := l.byName[name]
	l.mu.Unlock()
	if !ok {
		return device.Target{}, fmt.Errorf("no device %q", name)
	}
	return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password(testUser, testPass),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}, nil
}

// config returns every device's committed configuration as get-configuration
// text, read over NETCONF with the lab's own sessions.
func (l *lab) config(ctx context.Context) map[string]string {
	l.t.Helper()
	out := map[string]string{}
	for _, n := range l.names {
		s := l.checker[n]
		if s == nil || !s.Alive() {
			t, _ := l.target(n)
			var err error
			if s, err = netconf.Dial(ctx, t); err != nil {
				l.t.Fatalf("checker dial %s: %v", n, err)
			}
			l.checker[n] = s
			l.t.Cleanup(func() { s.Close() })
		}
		b, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Text))
		if err != nil {
			l.t.Fatalf("get config %s: %v", n, err)
		}
		out[n] = string(b)
	}
	return out
}

// poolState is what the pools hold: every claim and every pool's usage.
func (l *lab) poolState(ctx context.Context) string {
	l.t.Helper()
	cl, err := l.pools.Claims(ctx, "")
	if err != nil {
		l.t.Fatal(err)
	}
	for i := range cl {
		cl[i].Revision = 0 // the values held matter, not which write recorded them
	}
	s := fmt.Sprintf("claims %v\n", cl)
	for _, p := range design.DefaultPools() {
		u, err := l.pools.Usage(ctx, p.Name)
		if err != nil {
			l.t.Fatal(err)
		}
		s += fmt.Sprintf("%s held %d used %d free %d\n", u.Pool, u.Held, u.Used, u.Free)
	}
	return s
}

// faults wraps every session an orchestrator opens so that a test can fail
// or drop any request, and "kill" the orchestrator: close every session it
// has and refuse new ones.
type faults struct {
	mu    sync.Mutex
	open  []device.Session
	dead  atomic.Bool
	hook  func(dev, op string, o device.CommitOptions, s device.Session) error
	after func(dev, op string, o device.CommitOptions, s device.Session, err error) error
	dial  device.DialFunc
	dials atomic.Int64
}

func newFaults() *faults { return &faults{dial: netconf.Dialer()} }

func (f *faults) Dial(ctx context.Context, t device.Target) (device.Session, error) {
	if f.dead.Load() {
		return nil, fmt.Errorf("orchestrator process is gone: %w", device.ErrUnreachable)
	}
	s, err := f.dial(ctx, t)
	if err != nil {
		return nil, err
	}
	f.dials.Add(1)
	f.mu.Lock()
	f.open = append(f.open, s)
	f.mu.Unlock()
	fs := &faultSession{inner: s, dev: t.Name, f: f}
	if _, ok := s.(device.Locker); ok {
		return lockingFaultSession{fs}, nil
	}
	return fs, nil
}

// kill closes every session (the transports go away, as when a process
// exits) and makes later dials fail.
func (f *faults) kill() {
	f.dead.Store(true)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.open {
		s.Close()
	}
}

type faultSession struct {
	inner device.Session
	dev   string
	f     *faults
}

// lockingFaultSession is a faultSession over a session that can lock.
type lockingFaultSession struct{ *faultSession }

var (
	_ device.Session  = (*faultSession)(nil)
	_ device.Locker   = lockingFaultSession{}
	_ device.Liveness = (*faultSession)(nil)
)

func (s *faultSession) before(op string, o device.CommitOptions) error {
	s.f.mu.Lock()
	h := s.f.hook
	s.f.mu.Unlock()
	if h != nil {
		return h(s.dev, op, o, s.inner)
	}
	return nil
}

func (s *faultSession) done(op string, o device.CommitOptions, err error) error {
	s.f.mu.Lock()
	h := s.f.after
	s.f.mu.Unlock()
	if h != nil {
		return h(s.dev, op, o, s.inner, err)
	}
	return err
}

func (s *faultSession) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if err := s.before("get", device.CommitOptions{}); err != nil {
		return nil, err
	}
	return s.inner.Get(ctx, q)
}

func (s *faultSession) Load(ctx context.Context, c device.Change) error {
	if err := s.before("load", device.CommitOptions{}); err != nil {
		return err
	}
	return s.done("load", device.CommitOptions{}, s.inner.Load(ctx, c))
}

func commitOp(o device.CommitOptions) string {
	switch {
	case o.Check:
		return "check"
	case o.Confirmed > 0:
		return "commit-confirmed"
	}
	return "commit"
}

func (s *faultSession) Commit(ctx context.Context, o device.CommitOptions) error {
	op := commitOp(o)
	if err := s.before(op, o); err != nil {
		return err
	}
	return s.done(op, o, s.inner.Commit(ctx, o))
}

func (s *faultSession) Rollback(ctx context.Context, n int) error {
	if err := s.before("rollback", device.CommitOptions{}); err != nil {
		return err
	}
	return s.inner.Rollback(ctx, n)
}

func (s *faultSession) Close() error { return s.inner.Close() }

func (s lockingFaultSession) Lock(ctx context.Context) error {
	if err := s.before("lock", device.CommitOptions{}); err != nil {
		return err
	}
	return s.inner.(device.Locker).Lock(ctx)
}

func (s lockingFaultSession) Unlock(ctx context.Context) error {
	return s.inner.(device.Locker).Unlock(ctx)
}

func (s *faultSession) Alive() bool { return s.inner.(device.Liveness).Alive() }

// orchestrator returns an orchestrator over the lab whose sessions go
// through f.
func (l *lab) orchestrator(f *faults, opts ...provision.Option) (*provision.Orchestrator, *device.Pool) {
	l.t.Helper()
	dp := device.NewPool(f.Dial, device.PoolOptions{PerDevice: 1, Total: 1024})
	l.t.Cleanup(func() { dp.Close() })
	o, err := provision.New(provision.Config{Store: l.st, Pools: l.pools, Sessions: dp, Inventory: l.inv, Catalog: l.cat,
		Targets: l.target}, append([]provision.Option{provision.WithNow(l.clock.Now), provision.WithConfirmTimeout(2 * time.Minute),
		provision.WithOpTimeout(10 * time.Second)}, opts...)...)
	if err != nil {
		l.t.Fatal(err)
	}
	return o, dp
}

// vplsOrder is a BGP VPLS over the given devices' ge-0/0/1.
func vplsOrder(name string, devs []string) design.Order {
	o := design.Order{Name: name, Definition: design.DefVPLSBGP, Description: "E-LAN " + name}
	for _, d := range devs {
		o.Endpoints = append(o.Endpoints, design.Endpoint{Device: d, Interface: "ge-0/0/1"})
	}
	return o
}

func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func diffConfigs(before, after map[string]string) []string {
	var bad []string
	for n, b := range before {
		if after[n] != b {
			bad = append(bad, n)
		}
	}
	slices.Sort(bad)
	return bad
}

// restart reboots a device: it goes away (every session drops) and a fresh
// one starts on the same address with the same host key, booted from the
// configuration committed when it went down — a pending confirmed commit
// included, with a new, empty commit history (as sim.Network.SetDevice does).
func (l *lab) restart(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.byName[name]
	cfg, addr := old.Committed().Text(), old.Addr()
	old.Close()
	d, err := sim.Start(context.Background(), sim.Options{Hostname: name, Platform: "mx480", Addr: addr, Clock: l.clock,
		Users: []sim.User{{Name: testUser, Password: testPass}}, Config: cfg})
	if err != nil {
		panic(fmt.Sprintf("restart %s: %v", name, err))
	}
	l.t.Cleanup(func() { d.Close() })
	l.byName[name] = d
	for i := range l.devs {
		if l.devs[i] == old {
			l.devs[i] = d
		}
	}
}
