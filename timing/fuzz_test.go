package timing

import (
	"context"
	"testing"
)

// FuzzPoll feeds arbitrary replies to the health parser: it must not
// panic, and a lock state it reports must come from the reply's text or
// clock class.
func FuzzPoll(f *testing.F) {
	f.Add(ptpClock(6, 2, "<ptp-lock-state>PHASE ALIGNED</ptp-lock-state>"), "<ptp-lock-status><ptp-spll-phase-offset>-1.5e-9 sec</ptp-spll-phase-offset></ptp-lock-status>")
	f.Add("<ptp-clock><ptp-clock-class>x</ptp-clock-class>", "<<>")
	f.Fuzz(func(t *testing.T, clock, lock string) {
		h := Poll(context.Background(), "d", &fakeGet{replies: map[string]string{rpcPTPClock: clock, rpcPTPLock: lock}})
		if h.Err != nil {
			t.Fatalf("a reply is never a device error: %v", h.Err)
		}
		if h.PTP > Holdover {
			t.Fatalf("lock %d out of range", h.PTP)
		}
		if h.PTP != LockUnknown && ParseLock(h.PTPText) != h.PTP && lockFromClass(h.ClockClass) != h.PTP {
			t.Fatalf("lock %s from neither %q nor class %d", h.PTP, h.PTPText, h.ClockClass)
		}
	})
}
