package timing

import (
	"context"
	"errors"
	"fmt"

	"github.com/carrierkit/carrierkit/device"
)

// Configurer is what [Apply] needs of a device session: stage a change,
// commit it, and drop the candidate when a step fails. [device.Session]
// satisfies it.
type Configurer interface {
	Load(ctx context.Context, c device.Change) error
	Commit(ctx context.Context, o device.CommitOptions) error
	Rollback(ctx context.Context, n int) error
}

// ErrApply is wrapped by the *[ApplyError] Apply returns.
var ErrApply = errors.New("timing: apply failed")

// ApplyError says which device and step stopped [Apply] and which devices
// had been committed before it. It wraps [ErrApply] and the device's
// error (a *device.RejectedError when the device said no).
type ApplyError struct {
	Device  string
	Step    string   // "session", "load" or "commit"
	Applied []string // devices committed before the failure, in order
	Err     error
}

// Error returns "timing: apply stopped at acx3 (commit) after acx1, acx2: …".
func (e *ApplyError) Error() string {
	return fmt.Sprintf("timing: apply stopped at %s (%s) after %d committed device(s) %v: %v", e.Device, e.Step, len(e.Applied), e.Applied, e.Err)
}

// Unwrap returns [ErrApply] and the device's error.
func (e *ApplyError) Unwrap() []error { return []error{ErrApply, e.Err} }

// Progress is reported once per device: when it is committed or when it
// failed (Err set).
type Progress struct {
	Device string
	Index  int // 0-based position in the order
	Total  int
	Err    error
}

// Apply loads and commits each artifact in order (as [Render] returns
// them: grandmaster side first), one device at a time, calling progress
// (may be nil) after each. sessions maps device names to their sessions.
// It stops at the first failure: the failing device's candidate is rolled
// back (so nothing of it is half-applied) and an *[ApplyError] names it
// and the devices already committed, which are left committed. Apply
// returns ctx's error (wrapped in the ApplyError) when ctx ends between
// devices.
func Apply(ctx context.Context, arts []Artifact, sessions func(device string) (Configurer, error), progress func(Progress)) ([]string, error) {
	var done []string
	report := func(p Progress) {
		if progress != nil {
			progress(p)
		}
	}
	for i, a := range arts {
		fail := func(step string, err error) ([]string, error) {
			report(Progress{Device: a.Device, Index: i, Total: len(arts), Err: err})
			return done, &ApplyError{Device: a.Device, Step: step, Applied: append([]string(nil), done...), Err: err}
		}
		if err := ctx.Err(); err != nil {
			return fail("session", err)
		}
		s, err := sessions(a.Device)
		if err != nil {
			return fail("session", err)
		}
		if s == nil {
			return fail("session", fmt.Errorf("no session for device %q", a.Device))
		}
		ch := device.Change{Format: deviceFormat(a.Format), Data: a.Body}
		if err := s.Load(ctx, ch); err != nil {
			_ = s.Rollback(context.WithoutCancel(ctx), 0)
			return fail("load", err)
		}
		if err := s.Commit(ctx, device.CommitOptions{Comment: "timing domain"}); err != nil {
			_ = s.Rollback(context.WithoutCancel(ctx), 0)
			return fail("commit", err)
		}
		done = append(done, a.Device)
		report(Progress{Device: a.Device, Index: i, Total: len(arts)})
	}
	return done, nil
}

func deviceFormat(f Format) device.Format {
	switch f {
	case Text:
		return device.Text
	case XML:
		return device.XML
	}
	return device.Set
}
