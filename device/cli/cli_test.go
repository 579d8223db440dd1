package cli_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
	"github.com/carrierkit/carrierkit/device/internal/sshtest"
	"github.com/carrierkit/carrierkit/sim"
)

const testUser, testPass = "admin", "cli-Pa55word"

func startSim(t testing.TB, host string) *sim.Device {
	t.Helper()
	d, err := sim.Start(context.Background(), sim.Options{Hostname: host, Platform: "mx480",
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: testUser, Password: testPass}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func targetFor(d *sim.Device) device.Target {
	return device.Target{Name: d.Hostname(), Addr: d.Addr(), Credentials: device.Password(testUser, testPass),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dial(t *testing.T, tg device.Target) *cli.Session {
	t.Helper()
	s, err := cli.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func get(t *testing.T, s device.Session, q device.Query) string {
	t.Helper()
	b, err := s.Get(ctxT(t), q)
	if err != nil {
		t.Fatalf("Get(%+v): %v", q, err)
	}
	return string(b)
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("output lacks %q:\n%s", w, got)
		}
	}
}

func TestCLILifecycle(t *testing.T) {
	d := startSim(t, "pe1")
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	mustContain(t, get(t, s, device.CommandQuery("show version", device.Text)), "Hostname: pe1")
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "set system host-name pe1")

	line := `set interfaces xe-0/0/1 description "cli load"`
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(line + "\nset interfaces xe-0/0/1 unit 0 family inet address 192.0.2.1/31")}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Candidate, device.Set)), line)
	mustContain(t, get(t, s, device.ConfigQuery(device.Compare, 0)), `description "cli load";`)
	// Operational commands still work in configuration mode (as "run").
	mustContain(t, get(t, s, device.CommandQuery("show version", device.Text)), "Hostname: pe1")
	if strings.Contains(get(t, s, device.ConfigQuery(device.Committed, device.Set)), "cli load") {
		t.Fatal("change visible in the committed configuration before commit")
	}
	if err := device.Check(ctx, s); err != nil {
		t.Fatalf("check: %v", err)
	}
	if err := s.Commit(ctx, device.CommitOptions{Comment: "from cli test"}); err != nil {
		t.Fatalf("commit: %v", err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), line)

	// Confirmed commit and confirm.
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/2 description confirmed")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{Confirmed: 5 * time.Minute}); err != nil {
		t.Fatalf("commit confirmed: %v", err)
	}
	if err := device.Confirm(ctx, s); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "description confirmed")

	// Rollback 1 undoes the last commit once committed.
	if err := s.Rollback(ctx, 2); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(get(t, s, device.ConfigQuery(device.Committed, device.Set)), "description confirmed") {
		t.Fatal("rollback 2 did not remove the confirmed change")
	}
	// Unsupported over the CLI.
	if _, err := s.Get(ctx, device.RPCQuery("<get-software-information/>")); !errors.Is(err, device.ErrUnsupported) {
		t.Fatalf("rpc over cli: %v", err)
	}
	if err := s.Load(ctx, device.Change{Format: device.Text, Data: []byte("system { }")}); !errors.Is(err, device.ErrUnsupported) {
		t.Fatalf("text load over cli: %v", err)
	}
}

func TestCLIRejected(t *testing.T) {
	d := startSim(t, "pe1")
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	before := d.Committed()
	err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 bogus-knob 7")})
	var rej *device.RejectedError
	if !errors.As(err, &rej) || !strings.Contains(rej.Message, "syntax error") {
		t.Fatalf("bad line: %v", err)
	}
	if err := s.Rollback(ctx, 0); err != nil {
		t.Fatal(err)
	}
	l2 := "set protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100 virtual-circuit-id 100"
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(l2)}); err != nil {
		t.Fatal(err)
	}
	err = device.Check(ctx, s)
	if !errors.As(err, &rej) {
		t.Fatalf("check: %v, want *RejectedError", err)
	}
	if !strings.HasPrefix(rej.Path, "[edit protocols l2circuit") || rej.Message == "" {
		t.Fatalf("rejected check: path %q message %q issues %+v", rej.Path, rej.Message, rej.Issues)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); !errors.As(err, &rej) {
		t.Fatalf("commit: %v", err)
	}
	if !d.Committed().Equal(before) {
		t.Fatal("refused commit changed the configuration")
	}
	if _, err := s.Get(ctx, device.CommandQuery("show bogus", device.Text)); !errors.As(err, &rej) {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestCLIDialErrors(t *testing.T) {
	d := startSim(t, "pe1")
	good := targetFor(d)
	other, _ := ssh.NewSignerFromKey(mustKey(t))
	gone := freeAddr(t)
	tests := []struct {
		name string
		mod  func(*device.Target)
		want error
	}{
		{"wrong password", func(t *device.Target) { t.Credentials = device.Password(testUser, "nope-Wr0ng") }, device.ErrAuth},
		{"wrong host key", func(t *device.Target) {
			t.HostKeys = device.PinnedKeys(string(ssh.MarshalAuthorizedKey(other.PublicKey())))
		}, device.ErrHostKey},
		{"no host key policy", func(t *device.Target) { t.HostKeys = device.HostKeys{} }, device.ErrHostKey},
		{"nothing listening", func(t *device.Target) { t.Addr = gone }, device.ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := good
			tt.mod(&tg)
			_, err := cli.Dial(ctxT(t), tg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Dial: %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "nope-Wr0ng") || strings.Contains(err.Error(), testPass) {
				t.Fatalf("password in error: %v", err)
			}
		})
	}
}

// TestCLITimeout: a listener that accepts and never speaks, then a command
// cut short by its ctx.
func TestCLITimeout(t *testing.T) {
	tg := device.Target{Name: "mute", Addr: sshtest.Mute(t),
		Credentials: device.Password("u", "p"), HostKeys: device.InsecureIgnoreHostKey()}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := cli.Dial(ctx, tg)
	if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Dial took %v", took)
	}

	// A command whose ctx ends before the reply: a cancelled ctx.
	d := startSim(t, "pe1")
	s := dial(t, targetFor(d))
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if _, err := s.Get(cctx, device.CommandQuery("show version", device.Text)); !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Get with a cancelled ctx: %v", err)
	}
}

func TestCLIConcurrent(t *testing.T) {
	d := startSim(t, "pe1")
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.Get(ctx, device.CommandQuery("show version", device.Text))
			if err != nil || !strings.Contains(string(out), "Hostname: pe1") {
				t.Errorf("show version: %v %q", err, out)
			}
		}()
	}
	wg.Wait()
}

// TestCLIDroppedSession: the device goes away; the session notices while
// idle and the next command fails at once with ErrClosed.
func TestCLIDroppedSession(t *testing.T) {
	d := startSim(t, "pe1")
	s := dial(t, targetFor(d))
	d.Close()
	for i := 0; s.Alive() && i < 200; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Alive() {
		t.Fatal("idle session still alive 2s after the device went away")
	}
	start := time.Now()
	if _, err := s.Get(ctxT(t), device.CommandQuery("show version", device.Text)); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("Get on a dropped session: %v, want ErrClosed", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Get on a dropped session took %v", took)
	}
}

// TestCLIConfirmedCommitExpires: "commit confirmed 1" that nobody confirms
// is rolled back by the device.
func TestCLIConfirmedCommitExpires(t *testing.T) {
	clock := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	d, err := sim.Start(context.Background(), sim.Options{Hostname: "pe1", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []sim.User{{Name: testUser, Password: testPass}}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/3 description unconfirmed")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{Confirmed: time.Minute}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, get(t, s, device.ConfigQuery(device.Committed, device.Set)), "description unconfirmed")
	clock.Advance(61 * time.Second)
	if out := get(t, s, device.ConfigQuery(device.Committed, device.Set)); strings.Contains(out, "unconfirmed") {
		t.Fatalf("not rolled back:\n%s", out)
	}
}
