package provision

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/device"
)

// change is what one push loads into one device: set lines (a removal and
// an addition in one change where a service is modified).
type change struct {
	Device string
	Data   []byte
}

// DeviceError is what went wrong on one device during a push.
type DeviceError struct {
	Device string
	// Phase is "connect", "lock", "load", "check", "commit", "confirm" or
	// "revert".
	Phase string
	Err   error
}

// Error returns "device pe1: check: …".
func (e DeviceError) Error() string {
	return fmt.Sprintf("device %s: %s: %v", e.Device, e.Phase, e.Err)
}

// Unwrap returns the device's error.
func (e DeviceError) Unwrap() error { return e.Err }

// DeployError is the structured error of a failed push: which devices failed
// in which phase, and whether every device was brought back to its
// configuration before the push (Reverted). It wraps [ErrDeploy] and every
// device's error, so errors.Is(err, device.ErrClosed) and errors.As(err,
// **device.RejectedError) work on it.
type DeployError struct {
	Order  string
	Op     string // the operation ID
	Failed []DeviceError
	// Reverted is true when every device is back as it was; false when
	// some could not be reached to undo (RevertFailed lists them; their
	// confirmed commits roll back by themselves at the deadline, or their
	// state is left for Recover).
	Reverted     bool
	RevertFailed []DeviceError
}

// Error lists each failed device and phase, then whether all were rolled back.
func (e *DeployError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "provision: order %q: %v:", e.Order, ErrDeploy)
	for i, f := range e.Failed {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + f.Error())
	}
	if e.Reverted {
		b.WriteString("; every device rolled back")
	} else {
		for _, f := range e.RevertFailed {
			b.WriteString("; not rolled back: " + f.Error())
		}
	}
	return b.String()
}

// Unwrap returns ErrDeploy and the devices' errors.
func (e *DeployError) Unwrap() []error {
	out := []error{ErrDeploy}
	for _, f := range e.Failed {
		out = append(out, f.Err)
	}
	return out
}

// run is the state of one device during a push.
type run struct {
	ch     change
	lease  *device.Lease
	s      device.Session
	locked bool
	// touched: a session was opened, so the device may hold something of
	// the push that a revert must undo.
	touched bool
	// pre is the committed configuration (text) read under the lock before
	// the push changed anything, and preHash its digest; "" if not read.
	pre, preHash string
}

// digest hashes configuration text, leaving out "## " comment lines (the
// CLI's "## Last commit: …" header changes with every commit).
func digest(b []byte) string {
	h := sha256.New()
	for line := range bytes.Lines(b) {
		if !bytes.HasPrefix(line, []byte("## ")) {
			h.Write(line)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errDied is returned when the caller's ctx ended during a push: the
// orchestrator then behaves as if its process died and sends nothing more.
var errDied = errors.New("context ended: push abandoned, left to the devices' confirmed-commit timers and Recover")

// push applies changes all-or-nothing under operation id. phase is called
// before each phase ("prepare", "commit", "confirm") so that the caller can
// record it; an error from it aborts the push like a device failure.
// It returns nil when every device committed and confirmed, a *DeployError
// otherwise; if ctx itself ends it returns an error wrapping errDied and
// ctx.Err() without undoing anything.
func (o *Orchestrator) push(ctx context.Context, name, id string, changes []change, phase func(string, time.Time, map[string]string) error) error {
	runs := make([]*run, len(changes))
	for i, c := range changes {
		runs[i] = &run{ch: c}
	}
	slices.SortFunc(runs, func(a, b *run) int { return strings.Compare(a.ch.Device, b.ch.Device) })
	died := false
	defer func() {
		for _, r := range runs {
			if r.lease != nil {
				if died || (r.s != nil && !alive(r.s)) {
					r.lease.Discard()
				} else {
					r.lease.Release()
				}
			}
		}
	}()
	fail := func(failed []DeviceError) error {
		if ctx.Err() != nil {
			// Closing the sessions makes every device drop its lock and
			// uncommitted changes, as if the process had died.
			died = true
			return fmt.Errorf("provision: order %q: %w: %w", name, errDied, ctx.Err())
		}
		de := &DeployError{Order: name, Op: id, Failed: failed}
		de.RevertFailed = o.revertAll(name, id, runs)
		de.Reverted = len(de.RevertFailed) == 0
		o.opts.logger.Info("push failed", "order", name, "op", id, "err", de.Error())
		return de
	}

	// Sessions, in device order so that concurrent pushes sharing devices
	// cannot deadlock on the pool's per-device bound.
	for _, r := range runs {
		t, err := o.target(r.ch.Device)
		if err == nil {
			r.lease, err = o.sessions.Acquire(ctx, t)
		}
		if err != nil {
			return fail([]DeviceError{{r.ch.Device, "connect", err}})
		}
		r.s, r.touched = r.lease.Session(), true
	}

	o.opts.logger.Debug("push", "order", name, "op", id, "devices", len(runs))
	if err := phase("prepare", time.Time{}, nil); err != nil {
		return fail([]DeviceError{{"", "record", err}})
	}
	if failed := o.each(ctx, runs, func(ctx context.Context, r *run) DeviceError {
		if lk, ok := r.s.(device.Locker); ok {
			if err := lk.Lock(ctx); err != nil {
				return DeviceError{r.ch.Device, "lock", err}
			}
			r.locked = true
		}
		pre, err := r.s.Get(ctx, device.ConfigQuery(device.Committed, device.Text))
		if err != nil {
			return DeviceError{r.ch.Device, "read", err}
		}
		r.pre, r.preHash = string(pre), digest(pre)
		if err := r.s.Load(ctx, device.Change{Format: device.Set, Data: r.ch.Data}); err != nil {
			return DeviceError{r.ch.Device, "load", err}
		}
		if err := r.s.Commit(ctx, device.CommitOptions{Check: true}); err != nil {
			return DeviceError{r.ch.Device, "check", err}
		}
		return DeviceError{}
	}); len(failed) > 0 {
		return fail(failed)
	}

	deadline := o.now().Add(o.opts.confirmTimeout)
	pre := map[string]string{}
	for _, r := range runs {
		pre[r.ch.Device] = r.preHash
	}
	if err := phase("commit", deadline, pre); err != nil {
		return fail([]DeviceError{{"", "record", err}})
	}
	if failed := o.each(ctx, runs, func(ctx context.Context, r *run) DeviceError {
		err := r.s.Commit(ctx, device.CommitOptions{Confirmed: o.opts.confirmTimeout, Comment: comment(id, "confirmed")})
		if err != nil {
			return DeviceError{r.ch.Device, "commit", err}
		}
		return DeviceError{}
	}); len(failed) > 0 {
		return fail(failed)
	}

	if err := phase("confirm", deadline, pre); err != nil {
		return fail([]DeviceError{{"", "record", err}})
	}
	if failed := o.each(ctx, runs, func(ctx context.Context, r *run) DeviceError {
		if err := r.s.Commit(ctx, device.CommitOptions{Comment: comment(id, "confirm")}); err != nil {
			return DeviceError{r.ch.Device, "confirm", err}
		}
		return DeviceError{}
	}); len(failed) > 0 {
		return fail(failed)
	}
	// Unlock; a failure here changes nothing on the device (the session's
	// end releases the lock), so it is not a push failure.
	o.each(ctx, runs, func(ctx context.Context, r *run) DeviceError {
		if r.locked {
			if lk, ok := r.s.(device.Locker); ok {
				if err := lk.Unlock(ctx); err != nil {
					r.lease.Discard()
					r.lease, r.s = nil, nil
				}
			}
			r.locked = false
		}
		return DeviceError{}
	})
	return nil
}

// each runs f on every run at once (each device has its own session) with a
// per-device operation timeout, and returns the failures in device order.
func (o *Orchestrator) each(ctx context.Context, runs []*run, f func(context.Context, *run) DeviceError) []DeviceError {
	errs := make([]DeviceError, len(runs))
	var wg sync.WaitGroup
	for i, r := range runs {
		if r.s == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithTimeout(ctx, o.opts.opTimeout)
			defer cancel()
			errs[i] = f(c, r)
		}()
	}
	wg.Wait()
	var out []DeviceError
	for _, e := range errs {
		if e.Err != nil {
			out = append(out, e)
		}
	}
	return out
}

func alive(s device.Session) bool {
	if l, ok := s.(device.Liveness); ok {
		return l.Alive()
	}
	return true
}

func comment(id, what string) string { return "carrierkit " + id + " " + what }

// revertAll brings every device of a failed push back to its configuration
// before the push, each on its own (they are independent now), with a fresh
// context: the caller's may have timed out. It returns the devices it could
// not revert.
func (o *Orchestrator) revertAll(name, id string, runs []*run) []DeviceError {
	ctx, cancel := context.WithTimeout(context.Background(), o.opts.revertTimeout)
	defer cancel()
	errs := make([]DeviceError, len(runs))
	var wg sync.WaitGroup
	for i, r := range runs {
		if !r.touched {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := o.revertDevice(ctx, id, r); err != nil {
				errs[i] = DeviceError{r.ch.Device, "revert", err}
			}
		}()
	}
	wg.Wait()
	var out []DeviceError
	for _, e := range errs {
		if e.Err != nil {
			out = append(out, e)
		}
	}
	return out
}

// revertDevice undoes operation id on one device. With the session of the
// push (if it is still alive) or a new one, it takes the lock, discards the
// candidate, reads the commit history and rolls back over the commits the
// operation made (confirmed commit, confirm), which must be the newest ones;
// a device whose confirmed commit already rolled back by itself, or that
// never committed, needs only the discard.
func (o *Orchestrator) revertDevice(ctx context.Context, id string, r *run) error {
	err := o.revertOnce(ctx, id, r)
	if err != nil && errors.Is(err, device.ErrClosed) && ctx.Err() == nil {
		// The session was gone before it noticed (a dropped connection
		// is seen a moment later): once more over a new one.
		if r.lease != nil {
			r.lease.Discard()
		}
		r.lease, r.s, r.locked = nil, nil, false
		err = o.revertOnce(ctx, id, r)
	}
	return err
}

func (o *Orchestrator) revertOnce(ctx context.Context, id string, r *run) error {
	if r.s != nil && !alive(r.s) {
		r.lease.Discard()
		r.lease, r.s, r.locked = nil, nil, false
	}
	if r.s == nil {
		t, err := o.target(r.ch.Device)
		if err != nil {
			return err
		}
		l, err := o.sessions.Acquire(ctx, t)
		if err != nil {
			return err
		}
		r.lease, r.s = l, l.Session()
	}
	s := r.s
	lk, hasLock := s.(device.Locker)
	if hasLock && !r.locked {
		if err := lockPatiently(ctx, lk); err != nil {
			return err
		}
		r.locked = true
	}
	if err := s.Rollback(ctx, 0); err != nil {
		return err
	}
	n, err := o.ourCommits(ctx, s, id)
	if err != nil {
		return err
	}
	if n > 0 {
		if err := s.Rollback(ctx, n); err != nil {
			return err
		}
		if err := s.Commit(ctx, device.CommitOptions{Comment: comment(id, "rollback")}); err != nil {
			return err
		}
	}
	if r.preHash != "" {
		// Make sure: the device's configuration must be the one read
		// before the push.
		now, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Text))
		if err != nil {
			return err
		}
		if digest(now) != r.preHash {
			if n > 0 || r.pre == "" {
				return errNotBack
			}
			// None of the push's commits is in the history, yet the
			// configuration differs: the device restarted (and lost its
			// history) while holding the change. Restore what was read
			// under the lock.
			if err := s.Load(ctx, device.Change{Format: device.Text, Action: device.Override, Data: []byte(r.pre)}); err != nil {
				return err
			}
			if err := s.Commit(ctx, device.CommitOptions{Comment: comment(id, "rollback")}); err != nil {
				return err
			}
			if now, err = s.Get(ctx, device.ConfigQuery(device.Committed, device.Text)); err != nil {
				return err
			}
			if digest(now) != r.preHash {
				return errNotBack
			}
		}
	}
	if hasLock {
		if err := lk.Unlock(ctx); err != nil {
			return err
		}
		r.locked = false
	}
	return nil
}

// errNotBack: after the revert the configuration is still not the one read
// before the push.
var errNotBack = errors.New("configuration differs from the one before the push")

// errForeign: someone else committed on top of the operation's commits.
var errForeign = errors.New("another commit followed the operation's: not rolled back automatically")

// ourCommits returns how many of the newest commits are operation id's
// confirmed commit and confirm, i.e. the rollback number that restores the
// configuration before it; 0 if there is nothing to undo (never committed,
// already rolled back by the device's timer or by us).
func (o *Orchestrator) ourCommits(ctx context.Context, s device.Session, id string) (int, error) {
	logs, err := commitLogs(ctx, s)
	if err != nil {
		return 0, err
	}
	prefix := comment(id, "")
	n := 0
	for _, l := range logs {
		if !strings.HasPrefix(l, prefix) {
			break
		}
		if l == comment(id, "rollback") {
			return 0, nil
		}
		n++
	}
	if n > 0 {
		return n, nil
	}
	// Nothing of ours on top: fine if none of ours is anywhere, or if the
	// newest entry is the device's own rollback of our confirmed commit.
	for i, l := range logs {
		if strings.HasPrefix(l, prefix) {
			if i == 1 && l == comment(id, "confirmed") && logs[0] == autoRollbackLog {
				return 0, nil
			}
			if l == comment(id, "rollback") {
				return 0, nil
			}
			return 0, fmt.Errorf("%w (commit %d of the history is %q)", errForeign, i, l)
		}
	}
	return 0, nil
}

// autoRollbackLog is the commit log Junos writes when a confirmed commit
// was not confirmed in time.
const autoRollbackLog = "commit confirmed rollback"

// commitLogs returns the log (comment) of each commit in the device's
// history, newest first, "" for commits without one.
func commitLogs(ctx context.Context, s device.Session) ([]string, error) {
	b, err := s.Get(ctx, device.RPCQuery("<get-commit-information/>"))
	if errors.Is(err, device.ErrUnsupported) {
		b, err = s.Get(ctx, device.CommandQuery("show system commit", device.XML))
	}
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var logs []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "commit-history" {
			continue
		}
		var h struct {
			Log string `xml:"log"`
		}
		if err := dec.DecodeElement(&h, &se); err != nil {
			return nil, fmt.Errorf("provision: commit history: %w", err)
		}
		logs = append(logs, strings.TrimSpace(h.Log))
	}
	return logs, nil
}

// lockWait is how long a revert waits for a lock held by someone else: the
// device may not yet have noticed that a dead orchestrator's session is gone.
const lockWait = 5 * time.Second

// lockPatiently takes the lock, retrying for up to lockWait while the device
// refuses it.
func lockPatiently(ctx context.Context, lk device.Locker) error {
	deadline := time.Now().Add(lockWait)
	for {
		err := lk.Lock(ctx)
		var rej *device.RejectedError
		if err == nil || !errors.As(err, &rej) || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(50 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
