package sla

import "fmt"

// State is the availability of one Δt interval (MEF 10.3 §8.8.4). The zero
// State is Undecided.
type State uint8

const (
	// Undecided: the interval ends a run of intervals that could still
	// change the state; later intervals decide it.
	Undecided State = iota
	// Available: the interval counts as available time.
	Available
	// Unavailable: the interval counts as unavailable time.
	Unavailable
)

// String returns "undecided", "available" or "unavailable".
func (s State) String() string {
	switch s {
	case Available:
		return "available"
	case Unavailable:
		return "unavailable"
	}
	return "undecided"
}

// AvailabilityWindow is MEF 10.3's availability state machine over a stream
// of Δt intervals. Each interval is high-loss when its frame loss ratio is
// above Threshold (MEF's C). The state turns Unavailable at the first of n
// consecutive high-loss intervals, and Available again at the first of n
// consecutive intervals that are not high-loss; every interval takes the
// state that holds at its start. So an interval's state is known only once
// it is followed by a run that either completes n intervals or is broken:
// Push returns the intervals it decides, at most n−1 behind the input.
//
// AvailabilityWindow is pure (no clock, no goroutines) and not safe for
// concurrent use; one value serves one MEP pair. The zero value is not
// usable: build one with [NewAvailabilityWindow].
type AvailabilityWindow struct {
	n         int
	threshold float64
	state     State // Available or Unavailable: the state in force
	run       int   // undecided intervals that argue for the other state
	avail     int
	unavail   int
}

// NewAvailabilityWindow returns a window of n intervals (n ≥ 1) with
// high-loss threshold c (0 ≤ c < 1), starting Available (MEF 10.3 assumes
// the service was available before the first interval). Errors wrap
// [ErrInvalid].
func NewAvailabilityWindow(n int, c float64) (*AvailabilityWindow, error) {
	if n < 1 {
		return nil, fmt.Errorf("sla: availability window: n=%d: must be at least 1: %w", n, ErrInvalid)
	}
	if !(c >= 0 && c < 1) {
		return nil, fmt.Errorf("sla: availability window: threshold %v: must be in [0, 1): %w", c, ErrInvalid)
	}
	return &AvailabilityWindow{n: n, threshold: c, state: Available}, nil
}

// Push adds the next interval's frame loss ratio flr (0..1; an interval with
// no frames sent has flr 0) and appends to dst the states of the intervals
// this decides, oldest first, in input order. It allocates only if dst must
// grow. An flr outside 0..1 or NaN counts as high loss (a broken reading is
// not proof of service).
func (w *AvailabilityWindow) Push(dst []State, flr float64) []State {
	high := !(flr >= 0 && flr <= 1) || flr > w.threshold
	against := high == (w.state == Available) // this interval argues for a change
	if !against {
		dst = w.decide(dst, w.run+1, w.state)
		w.run = 0
		return dst
	}
	w.run++
	if w.run == w.n {
		if w.state == Available {
			w.state = Unavailable
		} else {
			w.state = Available
		}
		dst = w.decide(dst, w.run, w.state)
		w.run = 0
	}
	return dst
}

func (w *AvailabilityWindow) decide(dst []State, k int, s State) []State {
	for range k {
		dst = append(dst, s)
	}
	if s == Available {
		w.avail += k
	} else {
		w.unavail += k
	}
	return dst
}

// Pending is the number of pushed intervals not yet decided (0..n−1).
func (w *AvailabilityWindow) Pending() int { return w.run }

// State is the state in force: that of the last decided interval, and the
// one pending intervals take unless their run reaches n.
func (w *AvailabilityWindow) State() State { return w.state }

// Counts returns how many decided intervals were available and unavailable.
func (w *AvailabilityWindow) Counts() (available, unavailable int) { return w.avail, w.unavail }

// Ratio is the availability of the decided intervals, available /
// (available + unavailable); 1 when none is decided yet.
func (w *AvailabilityWindow) Ratio() float64 {
	if t := w.avail + w.unavail; t > 0 {
		return float64(w.avail) / float64(t)
	}
	return 1
}

// Flush decides the pending intervals as the end of the measurement period
// (MEF 10.3 §8.8.4 at the end of T): a run shorter than n cannot change the
// state, so they take the state in force. It appends their states to dst.
func (w *AvailabilityWindow) Flush(dst []State) []State {
	dst = w.decide(dst, w.run, w.state)
	w.run = 0
	return dst
}

// Availability runs a fresh window over a whole period's interval loss
// ratios and returns every interval's state (the tail flushed) and the
// availability ratio. Errors wrap [ErrInvalid].
func Availability(flr []float64, n int, c float64) ([]State, float64, error) {
	w, err := NewAvailabilityWindow(n, c)
	if err != nil {
		return nil, 0, err
	}
	out := make([]State, 0, len(flr))
	for _, f := range flr {
		out = w.Push(out, f)
	}
	out = w.Flush(out)
	return out, w.Ratio(), nil
}
