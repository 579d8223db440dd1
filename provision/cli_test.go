package provision_test

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
	"github.com/carrierkit/carrierkit/provision"
)

// TestCLIAdapter runs a deploy and a refused deploy over the CLI adapter
// (configure private, no lock, commit history from "show system commit |
// display xml").
func TestCLIAdapter(t *testing.T) {
	l := startLab(t, 14, 3)
	ctx := ctxT(t, time.Minute)
	f := newFaults()
	f.dial = cli.Dialer()
	o, _ := l.orchestrator(f)
	if _, err := o.Submit(ctx, "t", vplsOrder("c1", l.names)); err != nil {
		t.Fatal(err)
	}
	if r, err := o.Deploy(ctx, "t", "c1"); err != nil || r.State != provision.Deployed {
		t.Fatalf("deploy over the CLI: %v", err)
	}
	if !strings.Contains(l.config(ctx)[l.names[2]], "VPLS-C1") {
		t.Fatal("not deployed")
	}
	l.commitDirect(ctx, l.names[1], "set interfaces ge-0/0/2 flexible-vlan-tagging\nset interfaces ge-0/0/2 unit 7 vlan-id 100")
	before, pools := l.config(ctx), l.poolState(ctx)
	ord := vplsOrder("c2", l.names)
	for i := range ord.Endpoints {
		ord.Endpoints[i].Interface = "ge-0/0/2"
	}
	o.Submit(ctx, "t", ord)
	_, err := o.Deploy(ctx, "t", "c2")
	var rej *device.RejectedError
	if !errors.Is(err, provision.ErrDeploy) || !errors.As(err, &rej) {
		t.Fatalf("refused deploy over the CLI: %v", err)
	}
	l.checkUnchanged(ctx, before, pools)
	// The revert discarded what c2 staged in the pooled sessions' private
	// candidates: the next deploy over them commits its own change only.
	o.Submit(ctx, "t", vplsOrder("c4", l.names))
	if r, err := o.Deploy(ctx, "t", "c4"); err != nil || r.State != provision.Deployed {
		t.Fatalf("deploy after a refused one: %v", err)
	}
	for n, c := range l.config(ctx) {
		if !strings.Contains(c, "VPLS-C4") || strings.Contains(c, "VPLS-C2") {
			t.Errorf("%s after deploying c4 (c2 was refused and reverted):\n%s", n, c)
		}
	}

	// A session that drops after its confirmed commit: the revert reads
	// the commit history over a new CLI session and rolls back.
	l.commitDirect(ctx, l.names[1], "delete interfaces ge-0/0/2")
	before, pools = l.config(ctx), l.poolState(ctx)
	var fired atomic.Bool
	f.after = func(d, op string, _ device.CommitOptions, s device.Session, err error) error {
		if err == nil && d == l.names[0] && op == "commit-confirmed" && fired.CompareAndSwap(false, true) {
			s.Close()
			return device.ErrClosed
		}
		return err
	}
	o.Submit(ctx, "t", vplsOrder("c3", l.names))
	_, err = o.Deploy(ctx, "t", "c3")
	var de *provision.DeployError
	if !errors.As(err, &de) || !de.Reverted || !fired.Load() {
		t.Fatalf("dropped deploy over the CLI: %v", err)
	}
	l.checkUnchanged(ctx, before, pools)
}
