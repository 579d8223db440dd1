package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/store"
)

// Config holds what an Orchestrator needs; every field is required.
type Config struct {
	// Store keeps the orders (keys under "provision/"). Several
	// orchestrators may share it: compare-and-put keeps them from moving
	// one order twice.
	Store store.Store
	// Pools is the resource manager design claims from; it should use the
	// same store.
	Pools *pool.Manager
	// Sessions hands out device sessions; its PerDevice bound is the
	// per-device concurrency, its Total the bound on sessions.
	Sessions *device.Pool
	// Inventory and Catalog are what orders are checked and designed
	// against.
	Inventory *design.Inventory
	Catalog   *design.Catalog
	// Targets returns how to reach an inventory device.
	Targets func(device string) (device.Target, error)
}

// Option is an optional knob of New.
type Option func(*options)

type options struct {
	confirmTimeout time.Duration
	opTimeout      time.Duration
	revertTimeout  time.Duration
	now            func() time.Time
	logger         *slog.Logger
}

// WithConfirmTimeout sets how long the devices wait for the confirm after the
// confirmed commit before rolling back by themselves (Junos counts whole
// minutes). The default is 5 minutes.
func WithConfirmTimeout(d time.Duration) Option { return func(o *options) { o.confirmTimeout = d } }

// WithOpTimeout bounds each request to a device (lock, load, check, commit,
// confirm); a device that takes longer fails the push, which is then rolled
// back. The default is 30 seconds.
func WithOpTimeout(d time.Duration) Option { return func(o *options) { o.opTimeout = d } }

// WithNow sets the clock used for audit entries and deadlines (default
// time.Now).
func WithNow(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLogger sends the orchestrator's log records to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Orchestrator runs orders through their lifecycle and pushes their
// configuration to the devices all-or-nothing. It is safe for concurrent use.
type Orchestrator struct {
	st       store.Store
	pools    *pool.Manager
	sessions *device.Pool
	inv      *design.Inventory
	cat      *design.Catalog
	targets  func(string) (device.Target, error)
	opts     options
}

// New returns an orchestrator over c. It fails if a field of c is missing or
// an option is out of range.
func New(c Config, opts ...Option) (*Orchestrator, error) {
	o := &Orchestrator{st: c.Store, pools: c.Pools, sessions: c.Sessions, inv: c.Inventory, cat: c.Catalog, targets: c.Targets,
		opts: options{confirmTimeout: 5 * time.Minute, opTimeout: 30 * time.Second, revertTimeout: time.Minute,
			now: time.Now, logger: slog.New(slog.DiscardHandler)}}
	for _, f := range opts {
		f(&o.opts)
	}
	switch {
	case c.Store == nil, c.Pools == nil, c.Sessions == nil, c.Inventory == nil, c.Catalog == nil, c.Targets == nil:
		return nil, errors.New("provision: config: Store, Pools, Sessions, Inventory, Catalog and Targets are required")
	case o.opts.confirmTimeout <= 0 || o.opts.confirmTimeout > device.MaxConfirmTimeout:
		return nil, fmt.Errorf("provision: confirm timeout %v: out of range (0, %v]", o.opts.confirmTimeout, device.MaxConfirmTimeout)
	case o.opts.opTimeout <= 0:
		return nil, fmt.Errorf("provision: op timeout %v: must be positive", o.opts.opTimeout)
	}
	if o.opts.opTimeout > o.opts.revertTimeout {
		o.opts.revertTimeout = 2 * o.opts.opTimeout
	}
	return o, nil
}

func (o *Orchestrator) now() time.Time { return o.opts.now() }

func (o *Orchestrator) target(dev string) (device.Target, error) {
	t, err := o.targets(dev)
	if err != nil {
		return device.Target{}, fmt.Errorf("provision: device %s: %w", dev, err)
	}
	return t, nil
}

// Get returns the stored order name. Errors wrap ErrNotFound.
func (o *Orchestrator) Get(ctx context.Context, name string) (Record, error) {
	return o.load(ctx, name)
}

// List returns every stored order, sorted by name.
func (o *Orchestrator) List(ctx context.Context) ([]Record, error) {
	var items []store.Item
	if err := o.st.List(ctx, keyPrefix, func(it store.Item) error { items = append(items, it); return nil }); err != nil {
		return nil, fmt.Errorf("provision: list orders: %w", err)
	}
	out := make([]Record, 0, len(items))
	for _, it := range items {
		r, err := o.load(ctx, strings.TrimPrefix(it.Key, keyPrefix))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (o *Orchestrator) definition(ord *design.Order) (*design.Definition, error) {
	def, ok := o.cat.Lookup(ord.Definition)
	if !ok {
		return nil, fmt.Errorf("provision: order %q: definition %q: not in the catalog: %w", ord.Name, ord.Definition, design.ErrInvalid)
	}
	return def, nil
}

// split returns the per-service orders of ord: ord itself, or for a
// mobile backhaul order one order per cell site (with its hub fixed, as the
// whole order would have spread it) and the service name design gives it.
func split(ord design.Order) (names []string, orders []design.Order) {
	if len(ord.CellSites) == 0 {
		return []string{ord.Name}, []design.Order{ord}
	}
	for i, cs := range ord.CellSites {
		one := ord
		if cs.Hub == nil && len(ord.Endpoints) > 0 {
			h := i % len(ord.Endpoints)
			cs.Hub = &h
		}
		one.CellSites = []design.CellSite{cs}
		names = append(names, ord.Name+"-"+cs.Name)
		orders = append(orders, one)
	}
	return names, orders
}

// Submit stores an order (state requested) and validates it against the
// catalog and inventory: validated, or invalid with the reason. A mobile
// backhaul order becomes one record per cell site ("<order>-<site>"), each
// deployed and reported on its own. Submitting a name that exists fails
// with ErrExists unless that order is invalid or decommissioned, which
// starts it again. The error of an invalid order wraps design.ErrInvalid;
// the records are returned and stored either way.
func (o *Orchestrator) Submit(ctx context.Context, who string, ord design.Order) ([]Record, error) {
	names, orders := split(ord)
	def, derr := o.definition(&ord)
	if derr == nil {
		derr = ord.Validate(o.inv, def)
	}
	var out []Record
	for i, name := range names {
		r, err := o.load(ctx, name)
		switch {
		case errors.Is(err, ErrNotFound):
			r = Record{Name: name}
		case err != nil:
			return out, err
		case r.State != Invalid && r.State != Decommissioned:
			return out, fmt.Errorf("provision: order %q is %s: %w", name, r.State, ErrExists)
		}
		r.Order = orders[i]
		if err := o.move(ctx, &r, who, "submit", Requested, nil); err != nil {
			return out, err
		}
		to := Validated
		if derr != nil {
			to = Invalid
		}
		if err := o.move(ctx, &r, who, "validate", to, derr); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	if derr != nil {
		return out, fmt.Errorf("provision: order %q: %w", ord.Name, derr)
	}
	return out, nil
}

// designOne designs the service of rec's order, claiming its resources.
func (o *Orchestrator) designOne(ctx context.Context, r *Record, claimer design.Claimer, plan bool) (design.Service, pool.Claim, error) {
	def, err := o.definition(&r.Order)
	if err != nil {
		return design.Service{}, pool.Claim{}, err
	}
	var rs []design.Result
	if plan {
		rs, err = design.Plan(ctx, claimer, o.inv, def, &r.Order)
	} else {
		rs, err = design.DesignAll(ctx, claimer, o.inv, def, &r.Order)
	}
	if err != nil {
		return design.Service{}, pool.Claim{}, fmt.Errorf("provision: order %q: design: %w", r.Name, err)
	}
	for _, res := range rs {
		if res.Service.Name == r.Name {
			return res.Service, res.Claim, nil
		}
	}
	return design.Service{}, pool.Claim{}, fmt.Errorf("provision: order %q: design returned no service of that name", r.Name)
}

// changes computes the per-device change from intent old to intent new
// (either may be nil): on each device whose configuration differs, the
// removal of old's statements followed by new's, in one change.
func changes(old, new *design.Service) ([]change, error) {
	oldArt, newArt, rmArt := map[string][]byte{}, map[string][]byte{}, map[string][]byte{}
	collect := func(m map[string][]byte, arts []render.Artifact, err error) error {
		if err != nil {
			return err
		}
		for _, a := range arts {
			if a.Format != render.FormatSet {
				return fmt.Errorf("provision: device %s: %s configuration: only Junos (set) devices are provisioned", a.Device, a.Format)
			}
			m[a.Device] = a.Body
		}
		return nil
	}
	if old != nil {
		arts, err := render.All(*old, render.FormatSet)
		if err := collect(oldArt, arts, err); err != nil {
			return nil, err
		}
		rm, err := render.Remove(*old, render.FormatSet)
		if err := collect(rmArt, rm, err); err != nil {
			return nil, err
		}
	}
	if new != nil {
		arts, err := render.All(*new, render.FormatSet)
		if err := collect(newArt, arts, err); err != nil {
			return nil, err
		}
	}
	var devs []string
	for d := range oldArt {
		devs = append(devs, d)
	}
	for d := range newArt {
		if _, ok := oldArt[d]; !ok {
			devs = append(devs, d)
		}
	}
	slices.Sort(devs)
	var out []change
	for _, d := range devs {
		ob, nb := oldArt[d], newArt[d]
		if old != nil && new != nil && bytes.Equal(ob, nb) {
			continue
		}
		var data []byte
		if old != nil {
			data = append(data, rmArt[d]...)
			if len(data) > 0 && data[len(data)-1] != '\n' {
				data = append(data, '\n')
			}
		}
		data = append(data, nb...)
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		out = append(out, change{Device: d, Data: data})
	}
	return out, nil
}

func devicesOf(cs []change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Device
	}
	return out
}

// execute pushes changes for the records rs (one, or a bulk batch) under
// one operation and moves them: to success when it worked, to rolled-back
// when every device was brought back (undoing the claims each record's Op
// says), to failed when some device could not be. When ctx ends during the
// push nothing more is written: the records stay in their in-flight state
// for Recover.
func (o *Orchestrator) execute(ctx context.Context, who, action string, rs []*Record, inflight, success State, cs []change) error {
	for _, r := range rs {
		if err := o.move(ctx, r, who, action, inflight, nil); err != nil {
			return err
		}
	}
	id := rs[0].Op.ID
	perr := o.push(ctx, rs[0].Name, id, cs, func(phase string, deadline time.Time, pre map[string]string) error {
		for _, r := range rs {
			r.Op.Phase, r.Op.Deadline = phase, deadline
			if pre != nil {
				r.Op.Before = map[string]string{}
				for _, d := range r.Op.Devices {
					r.Op.Before[d] = pre[d]
				}
			}
			if err := o.save(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if perr != nil && errors.Is(perr, errDied) {
		return perr
	}
	// The push is over: record its outcome even if ctx ends meanwhile.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.opts.revertTimeout)
	defer cancel()
	var errs []error
	for _, r := range rs {
		var err error
		switch de := (*DeployError)(nil); {
		case perr == nil:
			if r.Op.Kind == "decommission" {
				if _, rerr := o.pools.Release(wctx, r.Name); rerr != nil && !errors.Is(rerr, pool.ErrNoClaim) {
					// The devices no longer have the service; say that
					// its resources are still held.
					errs = append(errs, fmt.Errorf("provision: order %q: decommissioned, but release failed: %w", r.Name, rerr))
				}
				r.Active = nil
			} else {
				r.Active = r.Op.Target
			}
			r.Op = nil
			err = o.move(wctx, r, who, action, success, nil)
		case errors.As(perr, &de) && de.Reverted:
			if cerr := o.undoClaims(wctx, r); cerr != nil {
				perr = errors.Join(perr, cerr)
			}
			r.Op = nil
			err = o.move(wctx, r, who, action, RolledBack, perr)
		default:
			err = o.move(wctx, r, who, action, Failed, perr)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if perr != nil {
		errs = append([]error{perr}, errs...)
	}
	return errors.Join(errs...)
}

// undoClaims restores the pools as they were before r's operation: it
// releases a claim the operation created and re-claims the values a
// modify had released.
func (o *Orchestrator) undoClaims(ctx context.Context, r *Record) error {
	op := r.Op
	if op == nil {
		return nil
	}
	if op.NewClaim || len(op.OldClaim) > 0 {
		if _, err := o.pools.Release(ctx, r.Name); err != nil && !errors.Is(err, pool.ErrNoClaim) {
			return fmt.Errorf("provision: order %q: release: %w", r.Name, err)
		}
	}
	if len(op.OldClaim) > 0 {
		if _, err := o.pools.Claim(ctx, r.Name, claimRequests(op.OldClaim)...); err != nil {
			return fmt.Errorf("provision: order %q: restore claim: %w", r.Name, err)
		}
	}
	return nil
}

func (o *Orchestrator) newOp(r *Record, kind string) *Operation {
	r.Seq++
	return &Operation{ID: fmt.Sprintf("%s#%d", r.Name, r.Seq), Kind: kind, From: r.State}
}

func deployable(r *Record) bool {
	return r.Active == nil && r.Op == nil && (r.State == Validated || r.State == RolledBack || r.State == Failed)
}

// Deploy designs the order name (claiming its resources) and pushes it to
// every device all-or-nothing: lock, load, commit check on all, confirmed
// commit on all, confirm on all. On success the order is deployed. On any
// failure every device is brought back as it was, the claim made for the
// deploy is released and the order is rolled-back (or failed, if a device
// could not be reached to undo: its confirmed commit then rolls back by
// itself, and Recover finishes); the error is a *DeployError wrapping
// ErrDeploy. If ctx ends during the push the orchestrator stops at once as
// if it had died; see the package documentation. Errors also wrap
// ErrNotFound, ErrState, ErrConflict, design.ErrInvalid or pool errors.
func (o *Orchestrator) Deploy(ctx context.Context, who, name string) (Record, error) {
	r, err := o.load(ctx, name)
	if err != nil {
		return r, err
	}
	if !deployable(&r) {
		return r, fmt.Errorf("provision: deploy order %q in state %s: %w", name, r.State, ErrState)
	}
	err = o.deployBatch(ctx, who, []*Record{&r})
	return r, err
}

// deployBatch deploys records that are all deployable, in one push.
func (o *Orchestrator) deployBatch(ctx context.Context, who string, rs []*Record) error {
	var all []change
	// Claims made here are released again if the push never starts.
	undo := func(err error) error {
		for _, r := range rs {
			if r.Op != nil && r.State != Deploying {
				err = errors.Join(err, o.undoClaims(ctx, r))
				r.Op = nil
			}
		}
		return err
	}
	for _, r := range rs {
		_, lerr := o.pools.Lookup(ctx, r.Name)
		newClaim := errors.Is(lerr, pool.ErrNoClaim)
		svc, _, err := o.designOne(ctx, r, o.pools, false)
		if err != nil {
			if newClaim {
				r.Op = &Operation{NewClaim: true}
			}
			return undo(err)
		}
		cs, err := changes(nil, &svc)
		if err != nil {
			r.Op = &Operation{NewClaim: newClaim}
			return undo(err)
		}
		all = append(all, cs...)
		r.Op = o.newOp(r, "deploy")
		r.Op.Target, r.Op.NewClaim, r.Op.Devices = &svc, newClaim, devicesOf(cs)
	}
	merged := mergeChanges(all)
	if len(rs) > 1 {
		id := "bulk-" + rs[0].Op.ID
		for _, r := range rs {
			r.Op.ID = id
			r.Op.Devices = devicesOf(merged)
		}
	}
	return o.execute(ctx, who, "deploy", rs, Deploying, Deployed, merged)
}

// mergeChanges joins the changes of several services per device, in device
// order.
func mergeChanges(cs []change) []change {
	idx := map[string]int{}
	var out []change
	for _, c := range cs {
		if i, ok := idx[c.Device]; ok {
			out[i].Data = append(append(out[i].Data, '\n'), c.Data...)
			continue
		}
		idx[c.Device] = len(out)
		out = append(out, change{Device: c.Device, Data: append([]byte(nil), c.Data...)})
	}
	slices.SortFunc(out, func(a, b change) int { return strings.Compare(a.Device, b.Device) })
	return out
}

// Modify replaces the order of a deployed service with ord (same name):
// an attribute changed, a site added or removed, an endpoint moved. It
// computes the old and the new intent and pushes, per device that differs,
// the removal of the old statements and the new ones in one change,
// all-or-nothing as Deploy. When the new design needs other resources, the
// old claim is released and a new one taken; if the push fails the new
// claim is released and the old values re-claimed, and the order is
// rolled-back with its old intent still active. Errors as Deploy.
func (o *Orchestrator) Modify(ctx context.Context, who string, ord design.Order) (Record, error) {
	r, err := o.load(ctx, ord.Name)
	if err != nil {
		return r, err
	}
	if r.Active == nil || r.Op != nil || (r.State != Deployed && r.State != Verified && r.State != RolledBack) {
		return r, fmt.Errorf("provision: modify order %q in state %s: %w", r.Name, r.State, ErrState)
	}
	def, err := o.definition(&ord)
	if err == nil {
		err = ord.Validate(o.inv, def)
	}
	if err != nil {
		return r, fmt.Errorf("provision: modify order %q: %w", r.Name, err)
	}
	prev := r.Order
	r.Order = ord
	op := o.newOp(&r, "modify")
	svc, _, err := o.designOne(ctx, &r, o.pools, false)
	if errors.Is(err, pool.ErrMismatch) {
		old, lerr := o.pools.Lookup(ctx, r.Name)
		if lerr != nil {
			return r, lerr
		}
		op.OldClaim = claimItems(old)
		if _, err := o.pools.Release(ctx, r.Name); err != nil {
			return r, fmt.Errorf("provision: modify order %q: release: %w", r.Name, err)
		}
		svc, _, err = o.designOne(ctx, &r, o.pools, false)
		if err != nil {
			r.Op = op
			r.Order = prev
			return r, errors.Join(err, o.undoClaims(ctx, &r))
		}
	} else if err != nil {
		r.Order = prev
		return r, err
	}
	cs, err := changes(r.Active, &svc)
	if err != nil {
		r.Order = prev
		if len(op.OldClaim) > 0 {
			r.Op = op
			err = errors.Join(err, o.undoClaims(ctx, &r))
			r.Op = nil
		}
		return r, err
	}
	op.Target, op.Devices = &svc, devicesOf(cs)
	r.Op = op
	if len(cs) == 0 {
		r.Active, r.Op = &svc, nil
		if err := o.move(ctx, &r, who, "modify", Deploying, nil); err != nil {
			return r, err
		}
		return r, o.move(ctx, &r, who, "modify", Deployed, nil)
	}
	err = o.execute(ctx, who, "modify", []*Record{&r}, Deploying, Deployed, cs)
	if r.State == RolledBack {
		r.Order = prev
		if serr := o.save(ctx, &r); serr != nil {
			err = errors.Join(err, serr)
		}
	}
	return r, err
}

// Migrate moves endpoint i of the service name to interface iface of device
// dev (the same chassis or another) with Modify: the old attachment is
// removed and the new one configured in one all-or-nothing push.
func (o *Orchestrator) Migrate(ctx context.Context, who, name string, i int, dev, iface string) (Record, error) {
	r, err := o.load(ctx, name)
	if err != nil {
		return r, err
	}
	if i < 0 || i >= len(r.Order.Endpoints) {
		return r, fmt.Errorf("provision: migrate order %q: endpoint %d: out of range (order has %d): %w", name, i, len(r.Order.Endpoints), design.ErrInvalid)
	}
	ord := r.Order
	ord.Endpoints = slices.Clone(ord.Endpoints)
	ord.Endpoints[i].Device, ord.Endpoints[i].Interface = dev, iface
	return o.Modify(ctx, who, ord)
}

// Decommission removes the service name from every device (render.Remove),
// all-or-nothing as Deploy, then releases its resources: decommissioned.
// If the push fails every device keeps the service and the order is
// rolled-back with its intent still active.
func (o *Orchestrator) Decommission(ctx context.Context, who, name string) (Record, error) {
	r, err := o.load(ctx, name)
	if err != nil {
		return r, err
	}
	if r.Active == nil || r.Op != nil || !CanTransition(r.State, Decommissioning) {
		return r, fmt.Errorf("provision: decommission order %q in state %s: %w", name, r.State, ErrState)
	}
	cs, err := changes(r.Active, nil)
	if err != nil {
		return r, err
	}
	r.Op = o.newOp(&r, "decommission")
	r.Op.Devices = devicesOf(cs)
	err = o.execute(ctx, who, "decommission", []*Record{&r}, Decommissioning, Decommissioned, cs)
	return r, err
}

// Verify reads the committed configuration of every device of a deployed
// service and checks that every statement the service needs is there:
// verified, or failed naming what is missing.
func (o *Orchestrator) Verify(ctx context.Context, who, name string) (Record, error) {
	r, err := o.load(ctx, name)
	if err != nil {
		return r, err
	}
	if r.State != Deployed || r.Active == nil {
		return r, fmt.Errorf("provision: verify order %q in state %s: %w", name, r.State, ErrState)
	}
	arts, err := render.All(*r.Active, render.FormatSet)
	if err != nil {
		return r, err
	}
	var missing []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	var errs []error
	for _, a := range arts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines, err := o.committedSet(ctx, a.Device)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			for _, l := range strings.Split(string(a.Body), "\n") {
				if l = strings.TrimSpace(l); l != "" && !lines[l] {
					missing = append(missing, a.Device+": "+l)
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return r, errors.Join(errs...)
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		verr := fmt.Errorf("provision: verify order %q: missing on the devices: %s", name, strings.Join(missing, "; "))
		return r, errors.Join(verr, o.move(ctx, &r, who, "verify", Failed, verr))
	}
	return r, o.move(ctx, &r, who, "verify", Verified, nil)
}

func (o *Orchestrator) committedSet(ctx context.Context, dev string) (map[string]bool, error) {
	t, err := o.target(dev)
	if err != nil {
		return nil, err
	}
	l, err := o.sessions.Acquire(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("provision: device %s: %w", dev, err)
	}
	defer l.Release()
	b, err := l.Session().Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		return nil, fmt.Errorf("provision: device %s: %w", dev, err)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		set[strings.TrimSpace(line)] = true
	}
	return set, nil
}

// Recover finishes every push a dead orchestrator left behind (orders
// deploying or decommissioning, and failed orders that still hold an
// operation): per operation, it connects to each of its devices, discards
// any uncommitted change, and rolls back over the operation's own commits
// when they are the newest in the device's commit history (a confirmed
// commit that already rolled back by itself needs nothing). Orders whose
// devices are all back as before become rolled-back and their claims are
// undone; orders with a device that cannot be reached, or where someone
// else committed on top, become failed and keep their operation, so Recover
// can be run again. It returns the records it handled.
func (o *Orchestrator) Recover(ctx context.Context, who string) ([]Record, error) {
	recs, err := o.List(ctx)
	if err != nil {
		return nil, err
	}
	groups := map[string][]*Record{}
	var ids []string
	for i := range recs {
		r := &recs[i]
		if r.Op == nil {
			continue
		}
		if _, ok := groups[r.Op.ID]; !ok {
			ids = append(ids, r.Op.ID)
		}
		groups[r.Op.ID] = append(groups[r.Op.ID], r)
	}
	slices.Sort(ids)
	var out []Record
	var errs []error
	for _, id := range ids {
		rs := groups[id]
		devs := map[string]bool{}
		for _, r := range rs {
			for _, d := range r.Op.Devices {
				devs[d] = true
			}
		}
		var runs []*run
		for d := range devs {
			r := &run{ch: change{Device: d}, touched: true}
			for _, rec := range rs {
				if h := rec.Op.Before[d]; h != "" {
					r.preHash = h
				}
			}
			runs = append(runs, r)
		}
		slices.SortFunc(runs, func(a, b *run) int { return strings.Compare(a.ch.Device, b.ch.Device) })
		failed := o.revertAll(rs[0].Name, id, runs)
		for _, r := range runs {
			if r.lease != nil {
				r.lease.Release()
			}
		}
		for _, r := range rs {
			var err error
			if len(failed) == 0 {
				cerr := o.undoClaims(ctx, r)
				r.Op = nil
				err = o.move(ctx, r, who, "recover", RolledBack, cerr)
			} else {
				ferr := &DeployError{Order: r.Name, Op: id, RevertFailed: failed}
				if r.State == Failed {
					r.Error = ferr.Error()
					err = o.save(ctx, r)
				} else {
					err = o.move(ctx, r, who, "recover", Failed, ferr)
				}
				errs = append(errs, ferr)
			}
			if err != nil {
				errs = append(errs, err)
			}
			out = append(out, *r)
		}
	}
	return out, errors.Join(errs...)
}
