package devicetest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/devicetest"
)

func TestFake(t *testing.T) {
	ctx := context.Background()
	s := devicetest.New("pe1", "set system host-name pe1", "set interfaces ge-0/0/1 description old")
	load := func(lines string) {
		t.Helper()
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(lines)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(ctx); err == nil {
		t.Fatal("second lock accepted")
	}
	load("delete interfaces ge-0/0/1\nset interfaces ge-0/0/2 description new")
	if diff := cmp.Diff([]string{"set system host-name pe1", "set interfaces ge-0/0/2 description new"}, s.Candidate()); diff != "" {
		t.Fatalf("candidate (-want +got):\n%s", diff)
	}
	out, _ := s.Get(ctx, device.ConfigQuery(device.Compare, 0))
	if want := "- set interfaces ge-0/0/1 description old\n+ set interfaces ge-0/0/2 description new\n"; string(out) != want {
		t.Fatalf("compare: %q", out)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Rollback(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"set system host-name pe1", "set interfaces ge-0/0/1 description old"}, s.Candidate()); diff != "" {
		t.Fatalf("rollback 1 (-want +got):\n%s", diff)
	}
	var rej *device.RejectedError
	if err := s.Rollback(ctx, 5); !errors.As(err, &rej) {
		t.Fatalf("rollback 5: %v", err)
	}
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("bogus")}); !errors.As(err, &rej) {
		t.Fatalf("bad line: %v", err)
	}
	s.Reply("<get-software-information/>", []byte("<software-information/>"))
	if out, err := s.Get(ctx, device.RPCQuery("<get-software-information/>")); err != nil || string(out) != "<software-information/>" {
		t.Fatalf("scripted reply: %q %v", out, err)
	}
	if _, err := s.Get(ctx, device.RPCQuery("<get-other/>")); !errors.As(err, &rej) {
		t.Fatalf("unscripted rpc: %v", err)
	}
	s.Drop()
	if s.Alive() {
		t.Fatal("alive after Drop")
	}
	if err := s.Commit(ctx, device.CommitOptions{}); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("commit after drop: %v", err)
	}
}

func TestFakeHookTimeout(t *testing.T) {
	s := devicetest.New("pe1")
	s.Hook = func(ctx context.Context, c devicetest.Call) error {
		<-ctx.Done() // a device that never answers
		return device.TimeoutError(ctx, "pe1", c.Op)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := device.Check(ctx, s); !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("check: %v", err)
	}
}

// TestFakeUnlockCloseReopen: Unlock and Close discard uncommitted changes
// and release the lock, as Junos does; Reopen makes a closed fake usable.
func TestFakeUnlockCloseReopen(t *testing.T) {
	ctx := context.Background()
	base := []string{"set system host-name pe1"}
	s := devicetest.New("pe1", base...)
	staged := device.Change{Format: device.Set, Data: []byte("set system domain-name staged.example")}
	if err := s.Lock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, staged); err != nil {
		t.Fatal(err)
	}
	if err := s.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(base, s.Candidate()); diff != "" {
		t.Errorf("candidate after Unlock (-want +got):\n%s", diff)
	}
	if err := s.Lock(ctx); err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	if err := s.Load(ctx, staged); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	if diff := cmp.Diff(base, s.Candidate()); diff != "" {
		t.Errorf("candidate after Close (-want +got):\n%s", diff)
	}
	if err := s.Lock(ctx); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("Lock after Close: %v, want ErrClosed", err)
	}
	s.Reopen()
	if !s.Alive() {
		t.Fatal("not alive after Reopen")
	}
	if err := s.Lock(ctx); err != nil {
		t.Fatalf("Lock after Reopen (Close released the lock): %v", err)
	}
	if diff := cmp.Diff(base, s.Committed()); diff != "" {
		t.Errorf("committed (-want +got):\n%s", diff)
	}
}
