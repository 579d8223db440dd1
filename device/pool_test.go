package device_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/devicetest"
)

// fakeDialer opens devicetest sessions and counts dials and sessions in use
// per device.
type fakeDialer struct {
	mu      sync.Mutex
	dials   map[string]int
	inUse   map[string]int
	maxUse  map[string]int
	fail    map[string]error
	open    atomic.Int64
	maxOpen atomic.Int64
}

func newFakeDialer() *fakeDialer {
	return &fakeDialer{dials: map[string]int{}, inUse: map[string]int{}, maxUse: map[string]int{}, fail: map[string]error{}}
}

type countedSession struct {
	*devicetest.Session
	d    *fakeDialer
	once sync.Once
}

func (c *countedSession) Close() error {
	c.once.Do(func() { c.d.open.Add(-1) })
	return c.Session.Close()
}

func (f *fakeDialer) dial(ctx context.Context, t device.Target) (device.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail[t.Key()]; err != nil {
		return nil, err
	}
	f.dials[t.Key()]++
	n := f.open.Add(1)
	for {
		m := f.maxOpen.Load()
		if n <= m || f.maxOpen.CompareAndSwap(m, n) {
			break
		}
	}
	s := &countedSession{Session: devicetest.New(t.Key()), d: f}
	s.Hook = func(ctx context.Context, c devicetest.Call) error {
		f.mu.Lock()
		f.inUse[t.Key()]++
		if f.inUse[t.Key()] > f.maxUse[t.Key()] {
			f.maxUse[t.Key()] = f.inUse[t.Key()]
		}
		f.mu.Unlock()
		time.Sleep(time.Millisecond)
		f.mu.Lock()
		f.inUse[t.Key()]--
		f.mu.Unlock()
		return nil
	}
	return s, nil
}

func tgt(name string) device.Target {
	return device.Target{Name: name, Addr: netip.MustParseAddrPort("127.0.0.1:830"), Credentials: device.Password("u", "p")}
}

func TestPoolLimits(t *testing.T) {
	f := newFakeDialer()
	p := device.NewPool(f.dial, device.PoolOptions{PerDevice: 2, Total: 3})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	devices := []string{"pe1", "pe2", "pe3", "pe4"}
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				l, err := p.Acquire(ctx, tgt(devices[(g+i)%len(devices)]))
				if err != nil {
					t.Error(err)
					return
				}
				if st := p.Stats(); st.Open > 3 || st.InUse > 3 {
					t.Errorf("stats over bound: %+v", st)
				}
				if err := device.Check(ctx, l.Session()); err != nil {
					t.Error(err)
				}
				l.Release()
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range devices {
		if f.maxUse[d] > 2 {
			t.Errorf("%s had %d sessions in use at once, limit 2", d, f.maxUse[d])
		}
		if f.maxUse[d] == 0 {
			t.Errorf("%s never used", d)
		}
	}
	if m := f.maxOpen.Load(); m > 3 {
		t.Errorf("%d sessions open at once, bound 3", m)
	}
	if st := p.Stats(); st.InUse != 0 || st.Open != int(f.open.Load()) {
		t.Errorf("after all releases: %+v, %d open", st, f.open.Load())
	}
}

func TestPoolReuseAndReconnect(t *testing.T) {
	f := newFakeDialer()
	p := device.NewPool(f.dial, device.PoolOptions{})
	ctx := context.Background()
	l, err := p.Acquire(ctx, tgt("pe1"))
	if err != nil {
		t.Fatal(err)
	}
	first := l.Session()
	l.Release()
	l.Release() // idempotent
	l, _ = p.Acquire(ctx, tgt("pe1"))
	if l.Session() != first {
		t.Fatal("idle session not reused")
	}
	// The session drops while idle: the next Acquire dials anew.
	l.Release()
	first.(*countedSession).Drop()
	l, err = p.Acquire(ctx, tgt("pe1"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Session() == first || f.dials["pe1"] != 2 {
		t.Fatalf("dropped session reused (dials %d)", f.dials["pe1"])
	}
	// Discard closes instead of keeping.
	second := l.Session()
	l.Discard()
	if second.(*countedSession).Alive() {
		t.Fatal("discarded session not closed")
	}
	// A failed dial frees its place and reports the dialer's error.
	f.fail["pe2"] = fmt.Errorf("device pe2: dial: %w", device.ErrUnreachable)
	if _, err := p.Acquire(ctx, tgt("pe2")); !errors.Is(err, device.ErrUnreachable) {
		t.Fatalf("Acquire of an unreachable device: %v", err)
	}
	if st := p.Stats(); st.InUse != 0 {
		t.Fatalf("failed dial leaked a place: %+v", st)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Acquire(ctx, tgt("pe1")); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("Acquire after Close: %v", err)
	}
	if f.open.Load() != 0 {
		t.Fatalf("%d sessions left open after Close", f.open.Load())
	}
}

func TestPoolWaitTimeout(t *testing.T) {
	f := newFakeDialer()
	p := device.NewPool(f.dial, device.PoolOptions{PerDevice: 1, Total: 1})
	defer p.Close()
	l, err := p.Acquire(context.Background(), tgt("pe1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pe1", "pe2"} { // per-device bound, then total bound
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, err := p.Acquire(ctx, tgt(name))
		cancel()
		if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Acquire %s on a full pool: %v", name, err)
		}
	}
	// Releasing lets a waiter in; an idle session of another device is
	// evicted to make room under the total bound.
	// The waiter's deadline turns a missing eviction into a failure rather
	// than a hung test.
	done := make(chan error)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		l2, err := p.Acquire(ctx, tgt("pe2"))
		if err == nil {
			l2.Release()
		}
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	l.Release()
	if err := <-done; err != nil {
		t.Fatalf("Acquire pe2 after pe1's release (pe1's idle session should be evicted): %v", err)
	}
	if f.open.Load() != 1 {
		t.Fatalf("%d sessions open, bound 1", f.open.Load())
	}
}

// BenchmarkPoolAcquireRelease: the pool's own cost, with in-memory sessions.
func BenchmarkPoolAcquireRelease(b *testing.B) {
	p := device.NewPool(func(ctx context.Context, t device.Target) (device.Session, error) {
		return devicetest.New(t.Name), nil
	}, device.PoolOptions{PerDevice: 4, Total: 64})
	defer p.Close()
	targets := make([]device.Target, 16)
	for i := range targets {
		targets[i] = tgt(fmt.Sprintf("pe%d", i))
	}
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l, err := p.Acquire(ctx, targets[i%len(targets)])
			if err != nil {
				b.Error(err)
				return
			}
			l.Release()
			i++
		}
	})
}
