package timing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/google/go-cmp/cmp"
)

// fakeConf records what Apply does to it.
type fakeConf struct {
	name       string
	log        *[]string
	failLoad   error
	failCommit error
}

func (f *fakeConf) Load(_ context.Context, c device.Change) error {
	*f.log = append(*f.log, f.name+" load "+c.Format.String())
	if err := c.Validate(); err != nil {
		return err
	}
	return f.failLoad
}

func (f *fakeConf) Commit(context.Context, device.CommitOptions) error {
	*f.log = append(*f.log, f.name+" commit")
	return f.failCommit
}

func (f *fakeConf) Rollback(_ context.Context, n int) error {
	*f.log = append(*f.log, fmt.Sprintf("%s rollback %d", f.name, n))
	return nil
}

func TestApply(t *testing.T) {
	t.Parallel()
	rejected := &device.RejectedError{Target: "n2", Op: "commit", Message: "ptp: bad"}
	tests := []struct {
		name        string
		fail        map[string]*fakeConf
		missing     string
		format      Format
		wantLog     []string
		wantDone    []string
		wantErrAt   string
		wantStep    string
		wantErrIs   error
		wantProgErr string
	}{
		{name: "all", format: XML, wantDone: []string{"gm", "n1", "n2", "n3"},
			wantLog: []string{"gm load xml", "gm commit", "n1 load xml", "n1 commit", "n2 load xml", "n2 commit", "n3 load xml", "n3 commit"}},
		{name: "commit rejected", format: Set, fail: map[string]*fakeConf{"n2": {failCommit: rejected}},
			wantDone: []string{"gm", "n1"}, wantErrAt: "n2", wantStep: "commit", wantErrIs: ErrApply,
			wantLog: []string{"gm load set", "gm commit", "n1 load set", "n1 commit", "n2 load set", "n2 commit", "n2 rollback 0"}},
		{name: "load fails", format: Text, fail: map[string]*fakeConf{"gm": {failLoad: device.ErrUnreachable}},
			wantErrAt: "gm", wantStep: "load", wantErrIs: device.ErrUnreachable,
			wantLog: []string{"gm load text", "gm rollback 0"}},
		{name: "no session", format: Set, missing: "n1", wantDone: []string{"gm"}, wantErrAt: "n1", wantStep: "session", wantErrIs: ErrApply,
			wantLog: []string{"gm load set", "gm commit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := NewPlan(chain(3))
			if err != nil {
				t.Fatal(err)
			}
			arts, err := Render(p, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var log []string
			var prog []string
			open := func(name string) (Configurer, error) {
				if name == tt.missing {
					return nil, fmt.Errorf("no route to %s", name)
				}
				f := &fakeConf{name: name, log: &log}
				if x := tt.fail[name]; x != nil {
					f.failLoad, f.failCommit = x.failLoad, x.failCommit
				}
				return f, nil
			}
			done, err := Apply(context.Background(), arts, open, func(pr Progress) {
				s := fmt.Sprintf("%d/%d %s", pr.Index+1, pr.Total, pr.Device)
				if pr.Err != nil {
					s += " failed"
				}
				prog = append(prog, s)
			})
			if diff := cmp.Diff(tt.wantLog, log); diff != "" {
				t.Errorf("log (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantDone, done); diff != "" {
				t.Errorf("done (-want +got):\n%s", diff)
			}
			if tt.wantErrAt == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(prog) != 4 || prog[3] != "4/4 n3" {
					t.Errorf("progress %v", prog)
				}
				return
			}
			var ae *ApplyError
			if !errors.As(err, &ae) || !errors.Is(err, tt.wantErrIs) || !errors.Is(err, ErrApply) {
				t.Fatalf("err %v, want ApplyError wrapping %v", err, tt.wantErrIs)
			}
			if ae.Device != tt.wantErrAt || ae.Step != tt.wantStep || !cmp.Equal(ae.Applied, tt.wantDone) {
				t.Errorf("ApplyError %+v", ae)
			}
			if last := prog[len(prog)-1]; !strings.HasSuffix(last, tt.wantErrAt+" failed") {
				t.Errorf("progress %v does not end with the failure", prog)
			}
			if tt.wantErrIs == ErrApply && tt.wantStep == "commit" {
				var re *device.RejectedError
				if !errors.As(err, &re) {
					t.Errorf("rejection lost: %v", err)
				}
			}
		})
	}
}

func TestApplyCancelled(t *testing.T) {
	t.Parallel()
	p, _ := NewPlan(chain(1))
	arts, _ := Render(p, Set)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var log []string
	_, err := Apply(ctx, arts, func(n string) (Configurer, error) { return &fakeConf{name: n, log: &log}, nil }, nil)
	if !errors.Is(err, context.Canceled) || len(log) != 0 {
		t.Fatalf("err %v log %v", err, log)
	}
}
