package provision_test

import (
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/provision"
)

func TestDeployVPLS20(t *testing.T) {
	l := startLab(t, 0, 20)
	ctx := ctxT(t, 60*time.Second)
	o, _ := l.orchestrator(newFaults())
	before := l.config(ctx)
	if _, err := o.Submit(ctx, "alice", vplsOrder("cust1", l.names)); err != nil {
		t.Fatal(err)
	}
	r, err := o.Deploy(ctx, "alice", "cust1")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != provision.Deployed {
		t.Fatalf("state %s", r.State)
	}
	after := l.config(ctx)
	for _, n := range l.names {
		if after[n] == before[n] || !strings.Contains(after[n], "VPLS-CUST1") {
			t.Errorf("%s: service not configured:\n%s", n, after[n])
		}
	}
	if r, err = o.Verify(ctx, "bob", "cust1"); err != nil || r.State != provision.Verified {
		t.Fatalf("verify: %v %s", err, r.State)
	}
	t.Log(after["pe01"])
}
