package collect_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

type failing struct{ err error }

func (f failing) Get(context.Context, device.Query) ([]byte, error) { return nil, f.err }

// recorder keeps the RPCs it is asked.
type recorder struct {
	mu   sync.Mutex
	rpcs []string
	fixed
}

func (r *recorder) Get(ctx context.Context, q device.Query) ([]byte, error) {
	r.mu.Lock()
	r.rpcs = append(r.rpcs, q.RPC)
	r.mu.Unlock()
	return r.fixed.Get(ctx, q)
}

func plan2(t *testing.T) sla.Plan {
	t.Helper()
	p, err := sla.Design(service(), sla.CFMSpec{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	p := plan2(t)
	if _, err := collect.New(p, map[string]collect.Getter{"pe1": failing{}}); !errors.Is(err, collect.ErrNoSession) || !strings.Contains(err.Error(), `"pe2"`) {
		t.Errorf("missing session: %v", err)
	}
	all := map[string]collect.Getter{"pe1": failing{}, "pe2": failing{}}
	if _, err := collect.New(p, all, collect.WithCount(101)); !errors.Is(err, sla.ErrInvalid) {
		t.Errorf("count: %v", err)
	}
	if _, err := collect.New(p, all, collect.WithObjective(sla.Objective{})); !errors.Is(err, sla.ErrInvalid) {
		t.Errorf("objective: %v", err)
	}
}

// A device that cannot be read is reported, not counted as down.
func TestCollectPartialFailure(t *testing.T) {
	t.Parallel()
	p := plan2(t)
	good := &recorder{fixed: dev("1", "2", 1000)}
	c, err := collect.New(p, map[string]collect.Getter{"pe1": good, "pe2": failing{device.ErrTimeout}})
	if err != nil {
		t.Fatal(err)
	}
	samples, alerts, err := c.Collect(context.Background())
	if !errors.Is(err, device.ErrTimeout) || !strings.Contains(err.Error(), `"pe2"`) {
		t.Errorf("err %v", err)
	}
	if len(samples) != 1 || samples[0].Key != "pe1/MD-L5/EVC-PROOF/1/2" || len(alerts) != 0 {
		t.Errorf("samples %+v alerts %v", samples, alerts)
	}
	want := []string{
		"<get-cfm-delay-statistics><maintenance-domain>MD-L5</maintenance-domain><maintenance-association>EVC-PROOF</maintenance-association><count>10</count></get-cfm-delay-statistics>",
		"<get-cfm-loss-statistics><maintenance-domain>MD-L5</maintenance-domain><maintenance-association>EVC-PROOF</maintenance-association><count>10</count></get-cfm-loss-statistics>",
	}
	if strings.Join(good.rpcs, "\n") != strings.Join(want, "\n") {
		t.Errorf("rpcs\n%s", strings.Join(good.rpcs, "\n"))
	}
}

// A bad reply is an error naming the RPC.
func TestCollectBadReply(t *testing.T) {
	t.Parallel()
	p := plan2(t)
	bad := fixed{"get-cfm-delay-statistics": "<oops/>"}
	c, _ := collect.New(p, map[string]collect.Getter{"pe1": bad, "pe2": bad})
	if _, _, err := c.Collect(context.Background()); !errors.Is(err, sla.ErrBadReply) || !strings.Contains(err.Error(), "get-cfm-delay-statistics") {
		t.Errorf("err %v", err)
	}
}
