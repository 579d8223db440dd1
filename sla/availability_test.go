package sla

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// states spells a series of states: A available, U unavailable.
func states(s string) []State {
	var out []State
	for _, c := range s {
		switch c {
		case 'A':
			out = append(out, Available)
		case 'U':
			out = append(out, Unavailable)
		}
	}
	return out
}

// flrs spells interval loss: '.' good (0), 'x' high (50 %).
func flrs(s string) []float64 {
	var out []float64
	for _, c := range s {
		if c == 'x' {
			out = append(out, 0.5)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func TestAvailability(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		n      int
		want   string
		ratio  float64
		reason string
	}{
		{name: "all good", in: "......", n: 3, want: "AAAAAA", ratio: 1},
		{name: "burst shorter than n", in: "..xx..", n: 3, want: "AAAAAA", ratio: 1,
			reason: "two high-loss intervals do not make a window of three"},
		{name: "burst of exactly n", in: "..xxx...", n: 3, want: "AAUUUAAA", ratio: 5.0 / 8,
			reason: "unavailable from the first of the three; the three good ones that follow make it available again at their first"},
		{name: "recovery needs n good", in: "xxx.x.xx...", n: 3, want: "UUUUUUUUAAA", ratio: 3.0 / 11,
			reason: "single good intervals inside the outage stay unavailable; only ... brings it back"},
		{name: "n is one", in: ".x.x", n: 1, want: "AUAU", ratio: 0.5},
		{name: "tail run shorter than n keeps state", in: "...xx", n: 3, want: "AAAAA", ratio: 1,
			reason: "the period ends before the run reaches n: flushed as available"},
		{name: "outage to the end", in: "xxxx.", n: 3, want: "UUUUU", ratio: 0,
			reason: "one good interval at the end cannot restore availability"},
		{name: "empty", in: "", n: 2, want: "", ratio: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, r, err := Availability(flrs(tt.in), tt.n, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(states(tt.want), got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: states (-want +got)\n%s", tt.reason, diff)
			}
			if r != tt.ratio {
				t.Errorf("ratio %v, want %v", r, tt.ratio)
			}
		})
	}
}

func TestAvailabilityWindowStreaming(t *testing.T) {
	t.Parallel()
	w, err := NewAvailabilityWindow(3, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	// The threshold is strict: flr exactly C is not high loss.
	if got := w.Push(nil, 0.01); len(got) != 1 || got[0] != Available {
		t.Fatalf("flr == C: %v", got)
	}
	// Two high intervals stay pending; the third decides all three.
	if got := w.Push(nil, 0.02); got != nil || w.Pending() != 1 {
		t.Fatalf("first high: %v pending %d", got, w.Pending())
	}
	w.Push(nil, 0.5)
	got := w.Push(nil, 1)
	if diff := cmp.Diff(states("UUU"), got); diff != "" || w.State() != Unavailable {
		t.Fatalf("third high (-want +got)\n%s state %v", diff, w.State())
	}
	// A NaN reading counts as high loss: it keeps the outage going.
	nan := 0.0
	nan = nan / nan
	if got := w.Push(nil, nan); len(got) != 1 || got[0] != Unavailable {
		t.Errorf("NaN: %v", got)
	}
	if a, u := w.Counts(); a != 1 || u != 4 {
		t.Errorf("counts %d %d", a, u)
	}
	if State(0).String() != "undecided" || Available.String() != "available" || Unavailable.String() != "unavailable" {
		t.Error("State strings")
	}
}

func TestAvailabilityWindowInvalid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n int
		c float64
	}{{0, 0.1}, {-1, 0.1}, {3, -0.1}, {3, 1}} {
		if _, err := NewAvailabilityWindow(c.n, c.c); !errors.Is(err, ErrInvalid) {
			t.Errorf("n=%d c=%v: err %v", c.n, c.c, err)
		}
	}
}
