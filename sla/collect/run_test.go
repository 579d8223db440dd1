package collect_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

// Run collects at once and then once per interval, and stops with ctx.
func TestRunPeriodic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := plan2(t)
		c, err := collect.New(p, map[string]collect.Getter{"pe1": dev("1", "2", 1000), "pe2": dev("2", "1", 1000)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute+30*time.Second)
		defer cancel()
		var at []time.Duration
		start := time.Now()
		err = c.Run(ctx, time.Minute, func(s []sla.Sample, err error) {
			if err != nil || len(s) != 2 {
				t.Errorf("cycle: %v %d samples", err, len(s))
			}
			at = append(at, time.Since(start))
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Run = %v", err)
		}
		// cycles at 0, 1, 2 and 3 minutes; the deadline at 3m30s ends it.
		want := []time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute}
		if len(at) != len(want) {
			t.Fatalf("cycles at %v, want %v", at, want)
		}
		for i := range want {
			if at[i] != want[i] {
				t.Errorf("cycle %d at %v, want %v", i, at[i], want[i])
			}
		}
		if err := c.Run(ctx, 0, nil); !errors.Is(err, sla.ErrInvalid) {
			t.Errorf("zero interval: %v", err)
		}
	})
}
