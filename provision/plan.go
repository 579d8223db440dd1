package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/pool"
)

// PlanResult is the dry run of one service of an order.
type PlanResult struct {
	// Service is the intent the order would deploy.
	Service design.Service
	// Claim is what would be claimed from the pools (a preview; a service
	// already deployed shows the claim it holds).
	Claim pool.Claim
	// Devices holds, per device that would change, the change and the
	// device's own diff against its running configuration, sorted by
	// device.
	Devices []DeviceDiff
}

// DeviceDiff is the dry run on one device.
type DeviceDiff struct {
	Device string
	// Change is the set lines that would be loaded.
	Change string
	// Diff is the device's "show | compare" of the change against its
	// running configuration, in Junos patch format; empty when the change
	// changes nothing.
	Diff string
}

// Plan is the dry run of ord: for each of its services, the intent and
// the resources that would be claimed (previewed, nothing kept), and per
// device the exact diff against the running configuration, which each
// device computes itself: the change is loaded into the locked candidate,
// compared, and discarded, so nothing is changed anywhere. An order that
// is already deployed is planned as a Modify: the diff is from the intent
// active now. Errors wrap design.ErrInvalid, pool errors, or the devices'
// (a *device.RejectedError when a device refuses the change).
func (o *Orchestrator) Plan(ctx context.Context, ord design.Order) ([]PlanResult, error) {
	def, err := o.definition(&ord)
	if err == nil {
		err = ord.Validate(o.inv, def)
	}
	if err != nil {
		return nil, fmt.Errorf("provision: plan order %q: %w", ord.Name, err)
	}
	names, orders := split(ord)
	var out []PlanResult
	for i, name := range names {
		r := Record{Name: name, Order: orders[i]}
		var old *design.Service
		if cur, err := o.load(ctx, name); err == nil && cur.Active != nil {
			old = cur.Active
		}
		svc, cl, err := o.designOne(ctx, &r, o.pools, true)
		if errors.Is(err, pool.ErrMismatch) && old != nil {
			// The new design needs other values than the held claim:
			// preview it as if the claim were released.
			svc, cl, err = o.designOne(ctx, &r, releasedView{o.pools, name}, true)
		}
		if err != nil {
			return out, err
		}
		cs, err := changes(old, &svc)
		if err != nil {
			return out, err
		}
		diffs, err := o.dryRun(ctx, cs)
		if err != nil {
			return out, fmt.Errorf("provision: plan order %q: %w", name, err)
		}
		out = append(out, PlanResult{Service: svc, Claim: cl, Devices: diffs})
	}
	return out, nil
}

// releasedView previews claims for owner as if it held none: the preview of
// a fresh owner name shows which values a re-claim would pick, except that
// values owner itself holds count as taken (so the preview is conservative).
type releasedView struct {
	m     *pool.Manager
	owner string
}

// Claim is never called by a plan.
func (v releasedView) Claim(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error) {
	return pool.Claim{}, errors.New("provision: plan claims nothing")
}

// Preview previews under a scratch owner name.
func (v releasedView) Preview(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error) {
	c, err := v.m.Preview(ctx, owner+".plan", reqs...)
	c.Owner = owner
	return c, err
}

// dryRun loads each change into the device's locked candidate, reads the
// device's compare and discards the candidate.
func (o *Orchestrator) dryRun(ctx context.Context, cs []change) ([]DeviceDiff, error) {
	out := make([]DeviceDiff, len(cs))
	errs := make([]error, len(cs))
	leases := make([]*device.Lease, len(cs))
	defer func() {
		for _, l := range leases {
			if l != nil {
				l.Release()
			}
		}
	}()
	for i, c := range cs {
		t, err := o.target(c.Device)
		if err != nil {
			return nil, err
		}
		if leases[i], err = o.sessions.Acquire(ctx, t); err != nil {
			return nil, fmt.Errorf("device %s: %w", c.Device, err)
		}
	}
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := leases[i].Session()
			diff, err := dryRunOne(ctx, s, c)
			if err != nil {
				errs[i] = fmt.Errorf("device %s: %w", c.Device, err)
				if !alive(s) {
					leases[i].Discard()
				}
				return
			}
			out[i] = DeviceDiff{Device: c.Device, Change: string(c.Data), Diff: diff}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b DeviceDiff) int { return strings.Compare(a.Device, b.Device) })
	return out, nil
}

func dryRunOne(ctx context.Context, s device.Session, c change) (diff string, err error) {
	lk, hasLock := s.(device.Locker)
	if hasLock {
		if err := lk.Lock(ctx); err != nil {
			return "", err
		}
		defer func() {
			if uerr := lk.Unlock(ctx); uerr != nil && err == nil {
				err = uerr
			}
		}()
	}
	defer func() {
		if rerr := s.Rollback(ctx, 0); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: c.Data}); err != nil {
		return "", err
	}
	b, err := s.Get(ctx, device.ConfigQuery(device.Compare, device.Text))
	if err != nil {
		return "", err
	}
	return string(b), nil
}
