package vnf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
)

// stateSession answers get with reply (or getErr), records every call, and
// refuses the commit numbered failCommit (1-based; 0 for none).
type stateSession struct {
	reply      string
	getErr     error
	failCommit int
	commits    int
	ops        []string
}

func (f *stateSession) Get(context.Context, device.Query) ([]byte, error) {
	f.ops = append(f.ops, "get")
	return []byte(f.reply), f.getErr
}
func (f *stateSession) Load(context.Context, device.Change) error {
	f.ops = append(f.ops, "load")
	return nil
}
func (f *stateSession) Commit(context.Context, device.CommitOptions) error {
	f.ops = append(f.ops, "commit")
	if f.commits++; f.commits == f.failCommit {
		return device.NewRejected("nfx1", "commit", []device.Issue{{Message: "refused by test"}}, "")
	}
	return nil
}
func (f *stateSession) Rollback(_ context.Context, n int) error {
	f.ops = append(f.ops, fmt.Sprint("rollback ", n))
	return nil
}

// vnfReply is a vnf-information reply with one instance per "name state
// liveliness [reason]" spec.
func vnfReply(specs ...string) string {
	var b strings.Builder
	b.WriteString("<vnf-information>")
	for _, s := range specs {
		f := strings.SplitN(s, " ", 4)
		fmt.Fprintf(&b, "<vnf-instance><name>%s</name><state>%s</state><liveliness>%s</liveliness>", f[0], f[1], f[2])
		if len(f) == 4 {
			fmt.Fprintf(&b, "<vnf_err_str>%s</vnf_err_str>", f[3])
		}
		b.WriteString("</vnf-instance>")
	}
	b.WriteString("</vnf-information>")
	return b.String()
}

func TestManagerChecksVNFStatesAfterCommit(t *testing.T) {
	t.Parallel()
	errLost := errors.New("connection lost")
	tests := []struct {
		name       string
		s          stateSession
		wantOps    []string
		wantErr    []error
		wantMsg    []string
		recordKept bool // the record has the new chain
		// wantRejected: the error also carries the device's refusal.
		wantRejected bool
		reason       string
	}{
		{name: "all running", s: stateSession{reply: vnfReply("acme_branch_1-wanopt Running alive", "acme_branch_2-vsrx Running alive", "acme_branch_3-vrouter Running alive")},
			wantOps: []string{"load", "commit", "get"}, recordKept: true},
		{name: "booting counts as running", s: stateSession{reply: vnfReply("acme_branch_1-wanopt Running down", "acme_branch_2-vsrx Running alive", "acme_branch_3-vrouter Running alive")},
			wantOps: []string{"load", "commit", "get"}, recordKept: true,
			reason: "a VNF's guest answers the liveliness check only once it has booted"},
		{name: "other VNFs are not this change's business", s: stateSession{reply: vnfReply("centos1 Shutdown down", "acme_branch_1-wanopt Running alive", "acme_branch_2-vsrx Running alive", "acme_branch_3-vrouter Running alive")},
			wantOps: []string{"load", "commit", "get"}, recordKept: true},
		{name: "one not started", s: stateSession{reply: vnfReply("acme_branch_1-wanopt Running alive", "acme_branch_2-vsrx Shutdown down insufficient memory", "acme_branch_3-vrouter Crashed down")},
			wantOps: []string{"load", "commit", "get", "rollback 1", "commit"}, wantErr: []error{ErrNotRunning},
			wantMsg: []string{`deploy acme/branch on "nfx1": acme_branch_2-vsrx is Shutdown (insufficient memory), acme_branch_3-vrouter is Crashed: vnf: not running; rolled back`}},
		{name: "one missing", s: stateSession{reply: vnfReply("acme_branch_1-wanopt Running alive", "acme_branch_3-vrouter Running alive")},
			wantOps: []string{"load", "commit", "get", "rollback 1", "commit"}, wantErr: []error{ErrNotRunning},
			wantMsg: []string{"acme_branch_2-vsrx is not reported by the device"}},
		{name: "states unreadable", s: stateSession{getErr: errLost},
			wantOps: []string{"load", "commit", "get", "rollback 1", "commit"}, wantErr: []error{errLost},
			wantMsg: []string{"reading the VNF states: connection lost; rolled back"},
			reason:  "an unverified change is not left behind"},
		{name: "states garbled", s: stateSession{reply: "<vnf-information><vnf-instance>"},
			wantOps: []string{"load", "commit", "get", "rollback 1", "commit"}, wantErr: []error{ErrInvalid}},
		{name: "rollback refused", s: stateSession{reply: vnfReply("acme_branch_1-wanopt Crashed down"), failCommit: 2},
			wantOps: []string{"load", "commit", "get", "rollback 1", "commit", "rollback 0"}, wantErr: []error{ErrNotRunning}, wantRejected: true,
			wantMsg: []string{"acme_branch_1-wanopt is Crashed", "roll back: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.s
			m, err := New(&s, testHost(), testCatalog(t))
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Deploy(context.Background(), threeChain())
			if d := cmp.Diff(tt.wantOps, s.ops); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("deploy: %v", err)
			}
			for _, w := range tt.wantErr {
				if !errors.Is(err, w) {
					t.Errorf("deploy: %v, want it to wrap %v", err, w)
				}
			}
			if rej := new(*device.RejectedError); errors.As(err, rej) != tt.wantRejected {
				t.Errorf("deploy: %v; carries the device's refusal: %v, want %v", err, !tt.wantRejected, tt.wantRejected)
			}
			for _, w := range tt.wantMsg {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("deploy: %v, want it to say %q", err, w)
				}
			}
			if got := len(m.Chains("acme")) == 1; got != tt.recordKept {
				t.Errorf("record has the chain: %v, want %v", got, tt.recordKept)
			}
		})
	}
}
