package device

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// PoolOptions bound a [Pool]. The zero value means one session per device
// and at most 64 sessions in all.
type PoolOptions struct {
	// PerDevice is how many sessions to one device may be in use at once;
	// 0 means 1 (Junos serializes configuration changes anyway).
	PerDevice int
	// Total bounds the open sessions (in use and idle) over all devices;
	// 0 means 64. When it is reached, an idle session of another device is
	// closed to make room; if none is idle, Acquire waits.
	Total int
}

// Pool hands out sessions to many devices, reusing idle ones. It bounds the
// sessions in use per device and the sessions open in all, and replaces a
// session that was dropped: a session that is no longer alive (see
// [Liveness]) when released or when found idle is closed, and the next
// Acquire dials anew.
//
// A Pool is safe for concurrent use.
type Pool struct {
	dial DialFunc
	per  int
	max  int

	mu      sync.Mutex
	closed  bool
	open    int // sessions open (in use + idle), plus dials in progress
	devices map[string]*poolDevice
	changed chan struct{} // closed and replaced on every release
}

type poolDevice struct {
	inUse int
	idle  []Session
}

// NewPool returns a pool that opens sessions with dial.
func NewPool(dial DialFunc, o PoolOptions) *Pool {
	if o.PerDevice <= 0 {
		o.PerDevice = 1
	}
	if o.Total <= 0 {
		o.Total = 64
	}
	return &Pool{dial: dial, per: o.PerDevice, max: o.Total, devices: map[string]*poolDevice{}, changed: make(chan struct{})}
}

// Lease is one session taken from a [Pool]. Release it when done; it must
// not be used after that.
type Lease struct {
	p    *Pool
	key  string
	s    Session
	once sync.Once
}

// Session returns the leased session.
func (l *Lease) Session() Session { return l.s }

// Release gives the session back to the pool, which keeps it for reuse if it
// is still alive and closes it otherwise. Release is idempotent.
func (l *Lease) Release() { l.once.Do(func() { l.p.release(l.key, l.s, false) }) }

// Discard closes the session instead of keeping it (after an error that
// leaves it in an unknown state) and frees its place. A Discard after
// Release, or a second one, does nothing.
func (l *Lease) Discard() { l.once.Do(func() { l.p.release(l.key, l.s, true) }) }

func alive(s Session) bool {
	if l, ok := s.(Liveness); ok {
		return l.Alive()
	}
	return true
}

// Acquire returns a session to t, waiting while t already has PerDevice
// sessions in use or the pool is full. It reuses an idle live session or
// dials a new one.
// Errors: what the dial function returns (ErrUnreachable, ErrAuth,
// ErrHostKey, …), [ErrTimeout] when ctx ends while waiting, [ErrClosed] after
// Close.
func (p *Pool) Acquire(ctx context.Context, t Target) (*Lease, error) {
	key := t.Key()
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, fmt.Errorf("device %s: acquire: pool: %w", key, ErrClosed)
		}
		d := p.devices[key]
		if d == nil {
			d = &poolDevice{}
			p.devices[key] = d
		}
		if d.inUse < p.per {
			// Reuse an idle session; drop dead ones on the way.
			var dead []Session
			for len(d.idle) > 0 {
				s := d.idle[len(d.idle)-1]
				d.idle = d.idle[:len(d.idle)-1]
				if alive(s) {
					d.inUse++
					p.mu.Unlock()
					closeAll(dead)
					return &Lease{p: p, key: key, s: s}, nil
				}
				p.open--
				dead = append(dead, s)
			}
			if p.open >= p.max {
				if s := p.evictIdle(key); s != nil {
					dead = append(dead, s)
				}
			}
			if p.open < p.max {
				p.open++
				d.inUse++
				p.mu.Unlock()
				closeAll(dead)
				s, err := p.dial(ctx, t)
				if err != nil {
					p.mu.Lock()
					p.open--
					d.inUse--
					p.notify()
					p.mu.Unlock()
					return nil, err
				}
				return &Lease{p: p, key: key, s: s}, nil
			}
			if len(dead) > 0 {
				p.notify()
			}
			ch := p.changed
			p.mu.Unlock()
			closeAll(dead)
			if err := p.wait(ctx, key, ch); err != nil {
				return nil, err
			}
			continue
		}
		ch := p.changed
		p.mu.Unlock()
		if err := p.wait(ctx, key, ch); err != nil {
			return nil, err
		}
	}
}

func (p *Pool) wait(ctx context.Context, key string, ch chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return TimeoutError(ctx, key, "acquire")
	}
}

// evictIdle removes one idle session of a device other than key and returns
// it for closing; p.mu is held.
func (p *Pool) evictIdle(key string) Session {
	for k, d := range p.devices {
		if k == key || len(d.idle) == 0 {
			continue
		}
		s := d.idle[0]
		d.idle = d.idle[1:]
		p.open--
		return s
	}
	return nil
}

func (p *Pool) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *Pool) release(key string, s Session, discard bool) {
	p.mu.Lock()
	d := p.devices[key]
	d.inUse--
	keep := !discard && !p.closed && alive(s)
	if keep {
		d.idle = append(d.idle, s)
	} else {
		p.open--
	}
	p.notify()
	p.mu.Unlock()
	if !keep {
		s.Close()
	}
}

// Stats is a snapshot of a pool's sessions.
type Stats struct {
	Open  int // open sessions, in use or idle (and dials in progress)
	InUse int // leased sessions
	Idle  int // kept for reuse
}

// Stats returns the pool's current counts.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := Stats{Open: p.open}
	for _, d := range p.devices {
		st.InUse += d.inUse
		st.Idle += len(d.idle)
	}
	return st
}

// Close closes every idle session and makes Acquire fail with [ErrClosed];
// sessions in use are closed when released. It returns the idle sessions'
// close errors joined and is idempotent.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	var idle []Session
	for _, d := range p.devices {
		idle = append(idle, d.idle...)
		p.open -= len(d.idle)
		d.idle = nil
	}
	p.notify()
	p.mu.Unlock()
	return closeAll(idle)
}

func closeAll(ss []Session) error {
	var errs []error
	for _, s := range ss {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
