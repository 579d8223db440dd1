package provision_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/provision"
)

func states(r provision.Record) []string {
	var out []string
	for _, a := range r.Audit {
		out = append(out, a.Action+":"+string(a.From)+"→"+string(a.To))
	}
	return out
}

// TestLifecycle runs one VPLS through deploy, verify, an attribute change,
// adding and removing a site, migrating an endpoint to another port and to
// another chassis, and decommissioning, checking the devices after each step.
func TestLifecycle(t *testing.T) {
	l := startLab(t, 3, 5)
	ctx := ctxT(t, time.Minute)
	o, _ := l.orchestrator(newFaults())
	base := l.config(ctx)
	ord := vplsOrder("lan7", l.names[:3])
	if _, err := o.Submit(ctx, "alice", ord); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Deploy(ctx, "alice", "lan7"); err != nil {
		t.Fatal(err)
	}
	if r, err := o.Verify(ctx, "alice", "lan7"); err != nil || r.State != provision.Verified {
		t.Fatalf("verify: %v", err)
	}
	has := func(dev, s string) bool { return strings.Contains(l.config(ctx)[dev], s) }

	// Attribute change: only the statement changes.
	ord.Attributes = design.Attributes{"macTableSize": "2000"}
	if r, err := o.Modify(ctx, "bob", ord); err != nil || r.State != provision.Deployed {
		t.Fatalf("modify: %v %s", err, r.State)
	}
	for _, d := range l.names[:3] {
		if !has(d, "mac-table-size 2000;") {
			t.Errorf("%s: mac-table-size not changed:\n%s", d, l.config(ctx)[d])
		}
	}
	// Add a site on pe04, then remove pe02.
	ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: l.names[3], Interface: "ge-0/0/1"})
	if _, err := o.Modify(ctx, "bob", ord); err != nil {
		t.Fatalf("add site: %v", err)
	}
	if !has(l.names[3], "VPLS-LAN7") {
		t.Errorf("site not added on %s", l.names[3])
	}
	ord.Endpoints = append(ord.Endpoints[:1:1], ord.Endpoints[2:]...)
	if _, err := o.Modify(ctx, "bob", ord); err != nil {
		t.Fatalf("remove site: %v", err)
	}
	if has(l.names[1], "VPLS-LAN7") {
		t.Errorf("site not removed from %s:\n%s", l.names[1], l.config(ctx)[l.names[1]])
	}
	// Migrate endpoint 0 (pe01) to ge-0/0/2, then to pe05 ge-0/0/3.
	if _, err := o.Migrate(ctx, "carol", "lan7", 0, l.names[0], "ge-0/0/2"); err != nil {
		t.Fatalf("migrate port: %v", err)
	}
	cfg := l.config(ctx)[l.names[0]]
	if !strings.Contains(cfg, "interface ge-0/0/2.") || strings.Contains(cfg, "interface ge-0/0/1.") {
		t.Errorf("pe01 not migrated to ge-0/0/2:\n%s", cfg)
	}
	r, err := o.Migrate(ctx, "carol", "lan7", 0, l.names[4], "ge-0/0/3")
	if err != nil {
		t.Fatalf("migrate chassis: %v", err)
	}
	if has(l.names[0], "VPLS-LAN7") || !has(l.names[4], "interface ge-0/0/3.") {
		t.Errorf("not migrated to %s", l.names[4])
	}
	var devs []string
	for _, d := range r.Active.Devices {
		devs = append(devs, d.Device)
	}
	if diff := cmp.Diff([]string{"pe03", "pe04", "pe05"}, devs); diff != "" {
		t.Errorf("active devices (-want +got):\n%s", diff)
	}

	// Decommission: the instance and units go, the claim is released.
	r, err = o.Decommission(ctx, "dave", "lan7")
	if err != nil || r.State != provision.Decommissioned {
		t.Fatalf("decommission: %v %s", err, r.State)
	}
	after := l.config(ctx)
	for _, d := range l.names {
		if strings.Contains(after[d], "VPLS-LAN7") || strings.Contains(after[d], "unit 100") {
			t.Errorf("%s still has the service:\n%s", d, after[d])
		}
	}
	if cl, _ := l.pools.Claims(ctx, ""); len(cl) != 0 {
		t.Errorf("claims left after decommission: %v", cl)
	}
	_ = base
	want := []string{
		"submit:→requested", "validate:requested→validated", "deploy:validated→deploying", "deploy:deploying→deployed",
		"verify:deployed→verified",
		"modify:verified→deploying", "modify:deploying→deployed",
		"modify:deployed→deploying", "modify:deploying→deployed",
		"modify:deployed→deploying", "modify:deploying→deployed",
		"modify:deployed→deploying", "modify:deploying→deployed",
		"modify:deployed→deploying", "modify:deploying→deployed",
		"decommission:deployed→decommissioning", "decommission:decommissioning→decommissioned",
	}
	if diff := cmp.Diff(want, states(r)); diff != "" {
		t.Errorf("audit trail (-want +got):\n%s", diff)
	}
	if r.Audit[5].Who != "bob" || r.Audit[len(r.Audit)-1].Who != "dave" || r.Audit[0].At.IsZero() {
		t.Errorf("audit who/when: %+v", r.Audit)
	}
}

// TestModifyFailureKeepsOld: a modify refused by one device leaves every
// device with the old intent and the old claim.
func TestModifyFailureKeepsOld(t *testing.T) {
	l := startLab(t, 4, 3)
	ctx := ctxT(t, time.Minute)
	f := newFaults()
	o, _ := l.orchestrator(f)
	ord := vplsOrder("lan8", l.names[:2])
	o.Submit(ctx, "a", ord)
	if _, err := o.Deploy(ctx, "a", "lan8"); err != nil {
		t.Fatal(err)
	}
	before, pools := l.config(ctx), l.poolState(ctx)
	f.hook = func(d, op string, _ device.CommitOptions, _ device.Session) error {
		if d == l.names[2] && op == "check" {
			return &device.RejectedError{Target: d, Op: "commit check", Message: "injected refusal"}
		}
		return nil
	}
	ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: l.names[2], Interface: "ge-0/0/1"})
	ord.Attributes = design.Attributes{"mtu": "9000"}
	r, err := o.Modify(ctx, "b", ord)
	if !errors.Is(err, provision.ErrDeploy) || r.State != provision.RolledBack {
		t.Fatalf("modify: %v %s", err, r.State)
	}
	if len(r.Order.Endpoints) != 2 || len(r.Active.Devices) != 2 {
		t.Errorf("record not back to the old order: %+v", r.Order)
	}
	l.checkUnchanged(ctx, before, pools)
	// The service can still be modified and decommissioned afterwards.
	f.hook = nil
	if _, err := o.Modify(ctx, "b", ord); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Decommission(ctx, "b", "lan8"); err != nil {
		t.Fatal(err)
	}
}

// TestTimeout: a device that does not answer a confirmed commit within the
// op timeout fails the push, which is rolled back everywhere.
func TestTimeout(t *testing.T) {
	l := startLab(t, 5, 3)
	ctx := ctxT(t, time.Minute)
	f := newFaults()
	f.hook = func(d, op string, _ device.CommitOptions, _ device.Session) error {
		if d == l.names[1] && op == "commit-confirmed" {
			time.Sleep(300 * time.Millisecond)
			return device.TimeoutError(ctx, d, "commit")
		}
		return nil
	}
	o, _ := l.orchestrator(f, provision.WithOpTimeout(200*time.Millisecond))
	before, pools := l.config(ctx), l.poolState(ctx)
	o.Submit(ctx, "a", vplsOrder("lan9", l.names))
	r, err := o.Deploy(ctx, "a", "lan9")
	if !errors.Is(err, device.ErrTimeout) || r.State != provision.RolledBack {
		t.Fatalf("deploy: %v %s", err, r.State)
	}
	l.checkUnchanged(ctx, before, pools)
}

// TestPlanChangesNothing: the dry run shows each device's own diff and the
// claim that would be made, and leaves devices and pools alone.
func TestPlanChangesNothing(t *testing.T) {
	l := startLab(t, 6, 2)
	ctx := ctxT(t, time.Minute)
	o, _ := l.orchestrator(newFaults())
	before, pools := l.config(ctx), l.poolState(ctx)
	plans, err := o.Plan(ctx, vplsOrder("lan10", l.names))
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || len(plans[0].Devices) != 2 || len(plans[0].Claim.Items) == 0 {
		t.Fatalf("plan: %+v", plans)
	}
	d := plans[0].Devices[0]
	for _, want := range []string{"[edit interfaces]", "+   ge-0/0/1 {", "+   routing-instances {", "+       VPLS-LAN10 {", "route-distinguisher 65000:1;"} {
		if !strings.Contains(d.Diff, want) {
			t.Errorf("diff of %s lacks %q:\n%s", d.Device, want, d.Diff)
		}
	}
	l.checkUnchanged(ctx, before, pools)
	// A bad order is refused naming the order.
	bad := vplsOrder("lan11", []string{"pe01", "nosuch"})
	if _, err := o.Plan(ctx, bad); !errors.Is(err, design.ErrInvalid) || !strings.Contains(err.Error(), "lan11") {
		t.Errorf("plan of a bad order: %v", err)
	}
}

// TestStateRules: operations out of order are refused, an invalid order is
// stored as invalid, and a stale record cannot overwrite a newer one.
func TestStateRules(t *testing.T) {
	l := startLab(t, 7, 2)
	ctx := ctxT(t, time.Minute)
	o, _ := l.orchestrator(newFaults())
	rs, err := o.Submit(ctx, "a", vplsOrder("bad1", []string{"pe01", "pe09"}))
	if !errors.Is(err, design.ErrInvalid) || len(rs) != 1 || rs[0].State != provision.Invalid || rs[0].Error == "" {
		t.Fatalf("submit bad: %v %+v", err, rs)
	}
	if _, err := o.Deploy(ctx, "a", "bad1"); !errors.Is(err, provision.ErrState) {
		t.Errorf("deploy invalid: %v", err)
	}
	if _, err := o.Decommission(ctx, "a", "nosuch"); !errors.Is(err, provision.ErrNotFound) {
		t.Errorf("decommission missing: %v", err)
	}
	o.Submit(ctx, "a", vplsOrder("ok1", l.names))
	if _, err := o.Submit(ctx, "a", vplsOrder("ok1", l.names)); !errors.Is(err, provision.ErrExists) {
		t.Errorf("submit twice: %v", err)
	}
	if _, err := o.Verify(ctx, "a", "ok1"); !errors.Is(err, provision.ErrState) {
		t.Errorf("verify before deploy: %v", err)
	}
	if _, err := o.Decommission(ctx, "a", "ok1"); !errors.Is(err, provision.ErrState) {
		t.Errorf("decommission before deploy: %v", err)
	}
	if !provision.CanTransition(provision.Deploying, provision.RolledBack) || provision.CanTransition(provision.Requested, provision.Deployed) ||
		provision.CanTransition(provision.Decommissioned, provision.Deploying) {
		t.Error("transition table")
	}
	// Two orchestrators race to deploy one order: exactly one moves it.
	o2, _ := l.orchestrator(newFaults())
	errs := make(chan error, 2)
	for _, x := range []*provision.Orchestrator{o, o2} {
		go func() { _, err := x.Deploy(ctx, "race", "ok1"); errs <- err }()
	}
	e1, e2 := <-errs, <-errs
	if (e1 == nil) == (e2 == nil) {
		t.Fatalf("both or neither deployed: %v / %v", e1, e2)
	}
	loser := e1
	if loser == nil {
		loser = e2
	}
	if !errors.Is(loser, provision.ErrConflict) && !errors.Is(loser, provision.ErrState) {
		t.Errorf("loser's error: %v", loser)
	}
	if r, _ := o.Get(ctx, "ok1"); r.State != provision.Deployed {
		t.Errorf("state %s", r.State)
	}
}

// TestBulk deploys cell-site pseudowires to two hubs; one cell site router
// refuses its change, and only its service fails.
func TestBulk(t *testing.T) {
	l := startLab(t, 8, 12)
	ctx := ctxT(t, time.Minute)
	f := newFaults()
	bad := l.names[5]
	f.hook = func(d, op string, _ device.CommitOptions, _ device.Session) error {
		if d == bad && op == "load" {
			return &device.RejectedError{Target: d, Op: "load", Message: "injected refusal"}
		}
		return nil
	}
	o, _ := l.orchestrator(f)
	ord := design.Order{Name: "mbh", Definition: design.DefMobileBackhaul,
		Endpoints: []design.Endpoint{{Device: l.names[0], Interface: "ge-0/0/1"}, {Device: l.names[1], Interface: "ge-0/0/1"}}}
	for _, d := range l.names[2:] {
		ord.CellSites = append(ord.CellSites, design.CellSite{Name: "cs-" + d, Device: d, Interface: "ge-0/0/1"})
	}
	rs, err := o.Submit(ctx, "bulk", ord)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	var calls atomic.Int64
	var last provision.Progress
	res, err := o.Bulk(ctx, "bulk", names, provision.BulkOptions{BatchSize: 4, Concurrency: 2, Progress: func(p provision.Progress) {
		calls.Add(1)
		if p.Done == p.Total {
			last = p
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		wantFail := r.Service == "mbh-cs-"+bad
		if (r.Err != nil) != wantFail {
			t.Errorf("%s: err %v", r.Service, r.Err)
		}
	}
	if calls.Load() != int64(len(names)) || last.Failed != 1 || last.Total != len(names) {
		t.Errorf("progress: %d calls, last %+v", calls.Load(), last)
	}
	cfg := l.config(ctx)
	if n := strings.Count(cfg[l.names[0]], "virtual-circuit-id") + strings.Count(cfg[l.names[1]], "virtual-circuit-id"); n != len(names)-1 {
		t.Errorf("hubs carry %d pseudowires, want %d", n, len(names)-1)
	}
	if strings.Contains(cfg[bad], "l2circuit") {
		t.Errorf("failed site configured:\n%s", cfg[bad])
	}
	if r, _ := o.Get(ctx, "mbh-cs-"+bad); r.State != provision.RolledBack {
		t.Errorf("failed site state %s", r.State)
	}
	if _, err := l.pools.Lookup(ctx, "mbh-cs-"+bad); err == nil {
		t.Error("failed site still holds a claim")
	}

	// A bulk change: decommission every deployed site, with one hub-side
	// refusal for one of them; that one stays deployed, the others go.
	var deployed []string
	for _, r := range res {
		if r.Err == nil {
			deployed = append(deployed, r.Service)
		}
	}
	keep := deployed[2]
	kr, err := o.Get(ctx, keep)
	if err != nil {
		t.Fatal(err)
	}
	keepDev := kr.Active.Devices[len(kr.Active.Devices)-1].Device
	f.hook = func(d, op string, _ device.CommitOptions, _ device.Session) error {
		if d == keepDev && op == "load" {
			return &device.RejectedError{Target: d, Op: "load", Message: "injected refusal"}
		}
		return nil
	}
	var progress atomic.Int64
	dres, err := o.BulkDecommission(ctx, "bulk", deployed, provision.BulkOptions{Concurrency: 3,
		Progress: func(provision.Progress) { progress.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	if progress.Load() != int64(len(deployed)) {
		t.Errorf("bulk decommission: %d progress reports for %d services", progress.Load(), len(deployed))
	}
	for _, r := range dres {
		rec, _ := o.Get(ctx, r.Service)
		switch {
		case r.Service == keep:
			// The removal was undone everywhere: the service is still active.
			if r.Err == nil || rec.State != provision.RolledBack || rec.Active == nil {
				t.Errorf("%s: refused decommission: err %v, state %s", r.Service, r.Err, rec.State)
			}
		case r.Err != nil || rec.State != provision.Decommissioned:
			t.Errorf("%s: err %v, state %s", r.Service, r.Err, rec.State)
		}
	}
	if _, err := l.pools.Lookup(ctx, keep); err != nil {
		t.Errorf("%s lost its claim after a refused decommission: %v", keep, err)
	}
	if _, err := l.pools.Lookup(ctx, deployed[0]); err == nil {
		t.Errorf("%s still holds a claim after decommission", deployed[0])
	}
	cfg = l.config(ctx)
	if n := strings.Count(cfg[l.names[0]], "virtual-circuit-id") + strings.Count(cfg[l.names[1]], "virtual-circuit-id"); n != 1 {
		t.Errorf("hubs carry %d pseudowires after the bulk decommission, want 1 (%s)", n, keep)
	}
	_ = context.Background
}

// deployDies deploys name over devs with an orchestrator that dies when it
// is about to confirm on dev.
func deployDies(t *testing.T, l *lab, name string, devs []string, dev string) {
	t.Helper()
	ctx := ctxT(t, time.Minute)
	f := newFaults()
	dctx, die := context.WithCancel(ctx)
	defer die()
	f.hook = func(d, op string, o device.CommitOptions, _ device.Session) error {
		if d == dev && op == "commit" && strings.HasSuffix(o.Comment, " confirm") {
			die()
			f.kill()
			return context.Canceled
		}
		return nil
	}
	o, _ := l.orchestrator(f)
	o.Submit(ctx, "t", vplsOrder(name, devs))
	if _, err := o.Deploy(dctx, "t", name); !errors.Is(err, context.Canceled) {
		t.Fatalf("deploy: %v", err)
	}
	// The dead orchestrator's sessions end on the devices a moment after
	// its client closed them, and hold the configuration lock until then;
	// a restarted orchestrator (or an operator) meets devices that are past
	// that.
	for _, d := range devs {
		l.waitUnlocked(ctx, d)
	}
}

// TestRecoverBeforeDeadline: Recover runs while the dead orchestrator's
// confirmed commits are still pending; it rolls them back itself, and the
// devices' timers firing later change nothing.
func TestRecoverBeforeDeadline(t *testing.T) {
	l := startLab(t, 10, 4)
	ctx := ctxT(t, time.Minute)
	before, pools := l.config(ctx), l.poolState(ctx)
	deployDies(t, l, "lan20", l.names, l.names[3])
	o, _ := l.orchestrator(newFaults())
	got, err := o.Recover(ctx, "restart")
	if err != nil || len(got) != 1 || got[0].State != provision.RolledBack {
		t.Fatalf("recover: %v %+v", err, got)
	}
	l.checkUnchanged(ctx, before, pools)
	l.clock.Advance(time.Hour)
	l.checkUnchanged(ctx, before, pools)
	// Recover again finds nothing to do.
	if got, err := o.Recover(ctx, "restart"); err != nil || len(got) != 0 {
		t.Errorf("second recover: %v %+v", err, got)
	}
}

// TestRecoverForeignCommit: someone commits on a device after the dead
// orchestrator's commits; Recover does not roll over their change, marks the
// order failed and names the device, and keeps the operation for a later
// Recover.
func TestRecoverForeignCommit(t *testing.T) {
	l := startLab(t, 11, 3)
	ctx := ctxT(t, time.Minute)
	deployDies(t, l, "lan21", l.names, l.names[2])
	l.commitDirect(ctx, l.names[0], "set interfaces ge-0/0/2 description operator")
	o, _ := l.orchestrator(newFaults())
	got, err := o.Recover(ctx, "restart")
	var de *provision.DeployError
	if !errors.As(err, &de) || len(got) != 1 || got[0].State != provision.Failed || got[0].Op == nil {
		t.Fatalf("recover: %v %+v", err, got)
	}
	if len(de.RevertFailed) != 1 || de.RevertFailed[0].Device != l.names[0] {
		t.Errorf("revert failures %+v, want only %s", de.RevertFailed, l.names[0])
	}
	if _, err := l.pools.Lookup(ctx, "lan21"); err != nil {
		t.Errorf("a failed order keeps its claim: %v", err)
	}
}

// TestRecoverDecommission: the orchestrator dies while confirming a
// decommission; after the timers and Recover every device still has the
// service, which keeps its claim and can be decommissioned again.
func TestRecoverDecommission(t *testing.T) {
	l := startLab(t, 15, 4)
	ctx := ctxT(t, time.Minute)
	o, _ := l.orchestrator(newFaults())
	o.Submit(ctx, "t", vplsOrder("lan30", l.names))
	if _, err := o.Deploy(ctx, "t", "lan30"); err != nil {
		t.Fatal(err)
	}
	before, pools := l.config(ctx), l.poolState(ctx)

	f := newFaults()
	dctx, die := context.WithCancel(ctx)
	defer die()
	f.hook = func(d, op string, c device.CommitOptions, _ device.Session) error {
		if d == l.names[1] && op == "commit" && strings.HasSuffix(c.Comment, " confirm") {
			die()
			f.kill()
			return context.Canceled
		}
		return nil
	}
	dying, _ := l.orchestrator(f)
	if _, err := dying.Decommission(dctx, "t", "lan30"); !errors.Is(err, context.Canceled) {
		t.Fatalf("decommission: %v", err)
	}
	if r, _ := o.Get(ctx, "lan30"); r.State != provision.Decommissioning {
		t.Fatalf("stored state %s, want decommissioning", r.State)
	}
	l.clock.Advance(5 * time.Minute)
	got, err := o.Recover(ctx, "restart")
	if err != nil || len(got) != 1 || got[0].State != provision.RolledBack || got[0].Active == nil {
		t.Fatalf("recover: %v %+v", err, got)
	}
	l.checkUnchanged(ctx, before, pools)
	if r, err := o.Decommission(ctx, "t", "lan30"); err != nil || r.State != provision.Decommissioned {
		t.Fatalf("decommission again: %v", err)
	}
}
