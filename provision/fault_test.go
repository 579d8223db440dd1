package provision_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/provision"
)

// positions returns the fault positions: all 20, or a few with -short.
func positions(n int) []int {
	if testing.Short() {
		return []int{0, n / 2, n - 1}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// commitDirect commits set lines on a lab device with a session of its own
// (an operator's change outside carrierkit).
func (l *lab) commitDirect(ctx context.Context, dev, lines string) {
	l.t.Helper()
	tg, _ := l.target(dev)
	s, err := netconf.Dial(ctx, tg)
	if err != nil {
		l.t.Fatal(err)
	}
	defer s.Close()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(lines)}); err != nil {
		l.t.Fatal(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		l.t.Fatal(err)
	}
}

// waitUnlocked waits until no session holds dev's configuration lock,
// taking and releasing it on a session of its own.
func (l *lab) waitUnlocked(ctx context.Context, dev string) {
	l.t.Helper()
	tg, _ := l.target(dev)
	s, err := netconf.Dial(ctx, tg)
	if err != nil {
		l.t.Fatal(err)
	}
	defer s.Close()
	for {
		err := s.Lock(ctx)
		if err == nil {
			if err := s.Unlock(ctx); err != nil {
				l.t.Fatalf("unlock %s: %v", dev, err)
			}
			return
		}
		if ctx.Err() != nil {
			l.t.Fatalf("%s is still locked: %v", dev, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkUnchanged fails the test unless every device's running configuration
// and the pools are exactly as before, and no device has changes staged in
// its candidate.
func (l *lab) checkUnchanged(ctx context.Context, before map[string]string, pools string) {
	l.t.Helper()
	after := l.config(ctx)
	for _, n := range diffConfigs(before, after) {
		l.t.Errorf("device %s changed (-before +after):\n%s", n, cmp.Diff(before[n], after[n]))
	}
	// Nothing is left staged either: the shared candidate is the committed
	// configuration, so the next commit by anyone cannot apply half the
	// service.
	for _, n := range l.names {
		cand, err := l.checker[n].Get(ctx, device.ConfigQuery(device.Candidate, device.Text))
		if err != nil {
			l.t.Fatalf("get candidate %s: %v", n, err)
		}
		if string(cand) != after[n] {
			l.t.Errorf("device %s: candidate differs from committed (-committed +candidate):\n%s", n, cmp.Diff(after[n], string(cand)))
		}
	}
	if p := l.poolState(ctx); p != pools {
		l.t.Errorf("pools changed (-before +after):\n%s", cmp.Diff(pools, p))
	}
}

// TestAllOrNothingRefusedCheck: device k refuses the commit check (its own
// configuration already uses the VLAN the service takes on the UNI). Every
// device must be left as it was and the claim released.
func TestAllOrNothingRefusedCheck(t *testing.T) {
	l := startLab(t, 0, 20)
	ctx := ctxT(t, 5*time.Minute)
	for _, k := range positions(20) {
		dev := l.names[k]
		l.commitDirect(ctx, dev, "set interfaces ge-0/0/1 flexible-vlan-tagging\nset interfaces ge-0/0/1 unit 7 vlan-id 100")
		before, pools := l.config(ctx), l.poolState(ctx)
		o, _ := l.orchestrator(newFaults())
		name := fmt.Sprintf("refused-%d", k)
		if _, err := o.Submit(ctx, "test", vplsOrder(name, l.names)); err != nil {
			t.Fatal(err)
		}
		r, err := o.Deploy(ctx, "test", name)
		var de *provision.DeployError
		var rej *device.RejectedError
		if !errors.As(err, &de) || !errors.As(err, &rej) || !errors.Is(err, provision.ErrDeploy) {
			t.Fatalf("k=%d: Deploy error = %v, want a *DeployError with a *device.RejectedError", k, err)
		}
		if len(de.Failed) != 1 || de.Failed[0].Device != dev || de.Failed[0].Phase != "check" || !de.Reverted {
			t.Errorf("k=%d: failures %+v reverted %v, want one check failure at %s, reverted", k, de.Failed, de.Reverted, dev)
		}
		if r.State != provision.RolledBack {
			t.Errorf("k=%d: state %s, want rolled-back", k, r.State)
		}
		l.checkUnchanged(ctx, before, pools)
		l.commitDirect(ctx, dev, "delete interfaces ge-0/0/1")
	}
}

// TestAllOrNothingDroppedSession: the session to device k drops — for even
// k just before its confirmed commit, for odd k just after it (the device
// then has a pending confirmed commit that the orchestrator must undo over a
// new session). Every device must be left as it was.
func TestAllOrNothingDroppedSession(t *testing.T) {
	l := startLab(t, 1, 20)
	ctx := ctxT(t, 5*time.Minute)
	for _, k := range positions(20) {
		dev := l.names[k]
		before, pools := l.config(ctx), l.poolState(ctx)
		f := newFaults()
		var fired atomic.Bool
		if k%2 == 0 {
			f.hook = func(d, op string, _ device.CommitOptions, s device.Session) error {
				if d == dev && op == "commit-confirmed" && fired.CompareAndSwap(false, true) {
					s.Close()
				}
				return nil
			}
		} else {
			f.after = func(d, op string, _ device.CommitOptions, s device.Session, err error) error {
				if err == nil && d == dev && op == "commit-confirmed" && fired.CompareAndSwap(false, true) {
					s.Close()
					return fmt.Errorf("connection lost: %w", device.ErrClosed)
				}
				return err
			}
		}
		o, _ := l.orchestrator(f)
		name := fmt.Sprintf("dropped-%d", k)
		if _, err := o.Submit(ctx, "test", vplsOrder(name, l.names)); err != nil {
			t.Fatal(err)
		}
		r, err := o.Deploy(ctx, "test", name)
		var de *provision.DeployError
		if !errors.As(err, &de) || !errors.Is(err, device.ErrClosed) {
			t.Fatalf("k=%d: Deploy error = %v, want a *DeployError wrapping device.ErrClosed", k, err)
		}
		if !fired.Load() || len(de.Failed) != 1 || de.Failed[0].Device != dev || !de.Reverted {
			t.Errorf("k=%d: failures %+v reverted %v, want one failure at %s, reverted", k, de.Failed, de.Reverted, dev)
		}
		if r.State != provision.RolledBack {
			t.Errorf("k=%d: state %s, want rolled-back", k, r.State)
		}
		l.checkUnchanged(ctx, before, pools)
	}
}

// TestAllOrNothingConfirmNeverSent: the orchestrator dies while confirming —
// when it is about to confirm on device k, its context is cancelled and
// every one of its connections closes; some devices may have been confirmed
// already, the others hold an unconfirmed confirmed commit. The sim's clock
// then passes the confirm timeout (those devices roll back by themselves)
// and a new orchestrator's Recover finishes the job.
func TestAllOrNothingConfirmNeverSent(t *testing.T) {
	l := startLab(t, 2, 20)
	ctx := ctxT(t, 5*time.Minute)
	for _, k := range positions(20) {
		dev := l.names[k]
		before, pools := l.config(ctx), l.poolState(ctx)
		f := newFaults()
		dctx, die := context.WithCancel(ctx)
		var fired atomic.Bool
		f.hook = func(d, op string, o device.CommitOptions, _ device.Session) error {
			if d == dev && op == "commit" && strings.HasSuffix(o.Comment, " confirm") && fired.CompareAndSwap(false, true) {
				die()
				f.kill()
				return context.Canceled
			}
			return nil
		}
		o, _ := l.orchestrator(f)
		name := fmt.Sprintf("dies-%d", k)
		if _, err := o.Submit(ctx, "test", vplsOrder(name, l.names)); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Deploy(dctx, "test", name); !errors.Is(err, context.Canceled) {
			t.Fatalf("k=%d: Deploy error = %v, want context.Canceled", k, err)
		}
		die()
		r, err := o.Get(ctx, name)
		if err != nil || r.State != provision.Deploying || r.Op == nil || r.Op.Phase != "confirm" {
			t.Fatalf("k=%d: stored order %+v %v, want deploying in phase confirm", k, r, err)
		}
		l.clock.Advance(3 * time.Minute) // past the 2-minute confirm timeout

		o2, _ := l.orchestrator(newFaults())
		got, err := o2.Recover(ctx, "restart")
		if err != nil {
			t.Fatalf("k=%d: Recover: %v", k, err)
		}
		if len(got) != 1 || got[0].Name != name || got[0].State != provision.RolledBack {
			t.Fatalf("k=%d: Recover returned %+v, want %s rolled-back", k, got, name)
		}
		l.checkUnchanged(ctx, before, pools)
	}
}

// TestAllOrNothingReboot: device k restarts right after accepting its
// confirmed commit; it comes back with the change committed and no commit
// history. The orchestrator reconnects, finds the configuration differs from
// the one it read under the lock, and restores it; every device ends as it
// was.
func TestAllOrNothingReboot(t *testing.T) {
	l := startLab(t, 9, 20)
	ctx := ctxT(t, 5*time.Minute)
	for _, k := range positions(20) {
		dev := l.names[k]
		before, pools := l.config(ctx), l.poolState(ctx)
		f := newFaults()
		var fired atomic.Bool
		f.after = func(d, op string, _ device.CommitOptions, s device.Session, err error) error {
			if err == nil && d == dev && op == "commit-confirmed" && fired.CompareAndSwap(false, true) {
				l.restart(dev)
				return fmt.Errorf("connection lost: %w", device.ErrClosed)
			}
			return err
		}
		o, _ := l.orchestrator(f)
		name := fmt.Sprintf("reboot-%d", k)
		if _, err := o.Submit(ctx, "test", vplsOrder(name, l.names)); err != nil {
			t.Fatal(err)
		}
		r, err := o.Deploy(ctx, "test", name)
		var de *provision.DeployError
		if !errors.As(err, &de) || !de.Reverted || r.State != provision.RolledBack {
			t.Fatalf("k=%d: Deploy = %v, state %s; want a reverted *DeployError", k, err, r.State)
		}
		l.checkUnchanged(ctx, before, pools)
	}
}
