package timing

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fakeGet answers RPCs from a table; a missing RPC is rejected as Junos
// rejects PTP RPCs on a device without PTP.
type fakeGet struct {
	replies map[string]string
	err     error
}

func (f *fakeGet) Get(_ context.Context, q device.Query) ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	r, ok := f.replies[q.RPC]
	if !ok {
		return nil, &device.RejectedError{Op: "rpc", Message: "the ptp subsystem is not running"}
	}
	return []byte(r), nil
}

func ptpClock(class, steps int, lock string) string {
	return fmt.Sprintf(`<ptp-clock xmlns="http://xml.juniper.net/junos/23.4R2/junos-ptp">
  <ptp-clock-id-default>00:00:00:ff:fe:00:00:01</ptp-clock-id-default>
  <ptp-clock-parent-id>00:00:00:ff:fe:00:00:09</ptp-clock-parent-id>
  <ptp-clock-class>%d</ptp-clock-class>
  <ptp-clock-steps-removed>%d</ptp-clock-steps-removed>
  <ptp-gmc-id>00:00:00:ff:fe:00:00:09</ptp-gmc-id>
  <ptp-clock-role>boundary</ptp-clock-role>%s
</ptp-clock>`, class, steps, lock)
}

func TestPoll(t *testing.T) {
	t.Parallel()
	unreachable := fmt.Errorf("device r9: %w", device.ErrUnreachable)
	tests := []struct {
		name string
		in   *fakeGet
		want DeviceHealth
	}{
		{name: "locked with offset", in: &fakeGet{replies: map[string]string{
			rpcPTPClock: ptpClock(6, 2, ""),
			rpcPTPLock: `<ptp-lock-status><ptp-spll-lock-state>PHASE ALIGNED</ptp-spll-lock-state>
				<ptp-spll-phase-offset>-0.000000012 sec</ptp-spll-phase-offset><ptp-slave-interface>xe-0/0/0.0</ptp-slave-interface></ptp-lock-status>`,
			rpcClockSync: `<clock-synchronization><clock-status>locked</clock-status><clock-synchronization-source>
				<source-interface-name>xe-0/0/0</source-interface-name><clock-state>selected</clock-state></clock-synchronization-source></clock-synchronization>`,
		}}, want: DeviceHealth{Role: "boundary", PTP: Locked, PTPText: "PHASE ALIGNED", ClockClass: 6, StepsRemoved: 2,
			ParentID: "00:00:00:ff:fe:00:00:09", GMID: "00:00:00:ff:fe:00:00:09", Offset: -12 * time.Nanosecond, HasOffset: true,
			SlavePort: "xe-0/0/0.0", SyncE: Locked, SyncESrc: "xe-0/0/0"}},
		{name: "holdover", in: &fakeGet{replies: map[string]string{
			rpcPTPClock:  ptpClock(7, 0, "<ptp-lock-state>HOLDOVER</ptp-lock-state>"),
			rpcPTPLock:   `<ptp-lock-status><ptp-spll-lock-state>HOLDOVER</ptp-spll-lock-state></ptp-lock-status>`,
			rpcClockSync: `<clock-synchronization><clock-status>holdover</clock-status></clock-synchronization>`,
		}}, want: DeviceHealth{Role: "boundary", PTP: Holdover, PTPText: "HOLDOVER", ClockClass: 7,
			ParentID: "00:00:00:ff:fe:00:00:09", GMID: "00:00:00:ff:fe:00:00:09", SyncE: Holdover}},
		{name: "state from clock class", in: &fakeGet{replies: map[string]string{rpcPTPClock: ptpClock(248, 0, "")}},
			want: DeviceHealth{Role: "boundary", PTP: FreeRun, ClockClass: 248, ParentID: "00:00:00:ff:fe:00:00:09", GMID: "00:00:00:ff:fe:00:00:09"}},
		{name: "no ptp", in: &fakeGet{replies: map[string]string{rpcClockSync: `<clock-synchronization><clock-status>free-run</clock-status></clock-synchronization>`}},
			want: DeviceHealth{PTP: LockOff, SyncE: FreeRun}},
		{name: "unreachable", in: &fakeGet{err: unreachable}, want: DeviceHealth{Err: unreachable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Poll(context.Background(), "r9", tt.in)
			tt.want.Device = "r9"
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("Poll (-want +got):\n%s", diff)
			}
			if tt.want.Err != nil && !errors.Is(got.Err, device.ErrUnreachable) {
				t.Errorf("err %v", got.Err)
			}
		})
	}
}

func TestParseLock(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Lock{"PHASE ALIGNED": Locked, "FREQ LOCKED": Locked, "locked": Locked, "HOLDOVER": Holdover,
		"holdover": Holdover, "FREERUN": FreeRun, "free-run": FreeRun, "ACQUIRING": Acquiring, "": LockUnknown, "INITIALIZING": LockUnknown} {
		if got := ParseLock(in); got != want {
			t.Errorf("ParseLock(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestMonitorAlerts(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	locked := &fakeGet{replies: map[string]string{rpcPTPClock: ptpClock(6, 1, "<ptp-lock-state>PHASE ALIGNED</ptp-lock-state>")}}
	hold := &fakeGet{replies: map[string]string{rpcPTPClock: ptpClock(7, 1, "<ptp-lock-state>HOLDOVER</ptp-lock-state>")}}
	down := &fakeGet{err: device.ErrUnreachable}
	var alerts []Alert
	m := NewMonitor(WithAlert(func(a Alert) { alerts = append(alerts, a) }), WithNow(func() time.Time { return at }))
	steps := []struct {
		state map[string]Getter
		want  []Alert
	}{
		{map[string]Getter{"a": locked, "b": locked, "c": hold}, nil}, // first sight: no alerts
		{map[string]Getter{"a": hold, "b": down, "c": hold}, []Alert{{"a", LostLock, Locked, Holdover, at}, {"b", LostLock, Locked, LockUnknown, at}}},
		{map[string]Getter{"a": locked, "b": locked, "c": locked}, []Alert{{"a", Regained, Holdover, Locked, at}, {"b", Regained, LockUnknown, Locked, at}, {"c", Regained, Holdover, Locked, at}}},
		{map[string]Getter{"a": locked, "b": locked, "c": locked}, nil},
	}
	for i, s := range steps {
		alerts = nil
		r, err := m.Check(context.Background(), s.state)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s.want, alerts); diff != "" {
			t.Errorf("step %d alerts (-want +got):\n%s", i, diff)
		}
		if !r.At.Equal(at) || len(r.Devices) != 3 || r.Devices[0].Device != "a" {
			t.Errorf("step %d report %+v", i, r)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Check(ctx, map[string]Getter{"a": locked}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Check: %v", err)
	}
}

func TestDiscover(t *testing.T) {
	t.Parallel()
	sw := func(model string) string {
		return "<software-information><host-name>x</host-name><product-model>" + model + "</product-model></software-information>"
	}
	got, err := Discover(context.Background(), map[string]Getter{
		"acx":  &fakeGet{replies: map[string]string{rpcSoftware: sw("acx710"), rpcPTPClock: ptpClock(6, 1, "")}},
		"mx":   &fakeGet{replies: map[string]string{rpcSoftware: sw("mx480")}},
		"srx":  &fakeGet{replies: map[string]string{rpcSoftware: sw("srx345")}},
		"gone": &fakeGet{err: device.ErrUnreachable},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Capability{
		{Device: "acx", Model: "acx710", Platform: true, PTP: true},
		{Device: "gone", Err: device.ErrUnreachable},
		{Device: "mx", Model: "mx480", Platform: true},
		{Device: "srx", Model: "srx345"},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("Discover (-want +got):\n%s", diff)
	}
	if !got[0].Capable() || got[1].Capable() || !got[2].Capable() || got[3].Capable() {
		t.Errorf("Capable wrong: %+v", got)
	}
}
