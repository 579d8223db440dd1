package sim

import (
	"sort"
	"sync"
	"time"
)

// VirtualClock is a [Clock] whose time moves only when Advance is called, so
// timers (confirmed-commit rollback, CFM iterators, hold-downs) run
// instantly and deterministically in tests. Give the same VirtualClock to
// every device of a network with [NetworkOptions.Clock].
//
// A VirtualClock is safe for concurrent use. Functions scheduled with
// AfterFunc run in the goroutine that calls Advance, one after the other in
// deadline order (ties in scheduling order); they must not call Advance.
type VirtualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*vtimer
}

type vtimer struct {
	at   time.Time
	seq  int
	f    func()
	dead bool // stopped or fired
}

// NewVirtualClock returns a clock reading start.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start}
}

// Now returns the clock's current time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f to run when the clock has been advanced by d or
// more; d <= 0 runs f at the next Advance. stop cancels f and reports
// whether it did so before f ran.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &vtimer{at: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		ok := !t.dead
		t.dead = true
		return ok
	}
}

// Advance moves the clock forward by d (negative d is treated as 0) and runs
// every timer that falls due, in deadline order, setting the clock to each
// timer's deadline while it runs; timers scheduled by those functions run
// too if they fall due within d. Advance returns when all have run.
func (c *VirtualClock) Advance(d time.Duration) {
	if d < 0 {
		d = 0
	}
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		live := c.timers[:0]
		for _, t := range c.timers {
			if !t.dead {
				live = append(live, t)
			}
		}
		c.timers = live
		sort.SliceStable(c.timers, func(i, j int) bool {
			a, b := c.timers[i], c.timers[j]
			if !a.at.Equal(b.at) {
				return a.at.Before(b.at)
			}
			return a.seq < b.seq
		})
		if len(c.timers) == 0 || c.timers[0].at.After(end) {
			c.now = end
			c.mu.Unlock()
			return
		}
		t := c.timers[0]
		t.dead = true
		if t.at.After(c.now) {
			c.now = t.at
		}
		c.mu.Unlock()
		t.f()
	}
}

// Pending returns how many scheduled functions have not run or been stopped.
func (c *VirtualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.dead {
			n++
		}
	}
	return n
}
