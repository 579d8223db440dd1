package pool_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store/bolt"
)

// The crash test runs claims in a child process (this test binary run again)
// and kills it with SIGKILL mid-stream, three times over one database file.
// After each kill the file must open cleanly, every claim the child
// acknowledged must be there with exactly the values it was told, and no
// value may be held twice.

const crashEnv = "CARRIERKIT_POOL_CRASH_DB"

var crashSpecs = []pool.Spec{
	{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"1-4094"}, Scoped: true},
	{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1-1000000"}},
	{Name: "pe-ce", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/16"}, Length: 31},
}

func crashReqs(i int) []pool.Request {
	return []pool.Request{
		{Name: "a", Pool: "uni-vlan", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", i%40, i%7)},
		{Name: "b", Pool: "uni-vlan", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", 40+i%40, i%7)},
		{Name: "vc", Pool: "vcid"},
		{Name: "link", Pool: "pe-ce", Length: 31 - i%3}, // /31, /30 and /29 mixed
	}
}

// TestCrashHelper is the child: it claims until killed, printing one line
// per acknowledged claim. It does nothing in a normal test run.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		return
	}
	st, err := bolt.Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	run := os.Getenv("CARRIERKIT_POOL_CRASH_RUN")
	ackClaims(pool.New(st), 16, -1, func(i int) (string, []pool.Request) {
		return fmt.Sprintf("run%s-svc-%d", run, i), crashReqs(i)
	})
}

func TestCrashDuringClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes; run without -short")
	}
	t.Parallel()
	path := filepath.Join(t.TempDir(), "pool.db")
	ctx := context.Background()
	st, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m := pool.New(st)
	for _, s := range crashSpecs {
		if err := m.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	acked := map[string]string{} // owner → values as acknowledged
	for run := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path, fmt.Sprintf("CARRIERKIT_POOL_CRASH_RUN=%d", run))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		n := 0
		deadline := time.Now().Add(60 * time.Second)
		for n < 1500 && sc.Scan() {
			line := sc.Text()
			owner, vals, ok := parseAck(line)
			if !ok {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("run %d: child said %q", run, line)
			}
			acked[owner] = vals
			n++
			if time.Now().After(deadline) {
				break
			}
		}
		// Kill mid-stream: claims are in flight while this happens.
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// Acks printed before the kill landed are acknowledged claims too.
		for sc.Scan() {
			if owner, vals, ok := parseAck(sc.Text()); ok {
				acked[owner] = vals
			}
		}
		cmd.Wait()
		if n < 1500 {
			t.Fatalf("run %d: child acknowledged only %d claims", run, n)
		}

		st, err := bolt.Open(path)
		if err != nil {
			t.Fatalf("run %d: reopen after kill: %v", run, err)
		}
		m := pool.New(st)
		lost := 0
		for owner, want := range acked {
			c, err := m.Lookup(ctx, owner)
			if err != nil || values(c) != want {
				lost++
				if lost < 5 {
					t.Errorf("run %d: acknowledged claim %s = %q, %v; want %q", run, owner, values(c), err, want)
				}
			}
		}
		if lost > 0 {
			t.Errorf("run %d: %d of %d acknowledged claims lost or changed", run, lost, len(acked))
		}
		if err := m.Verify(ctx); err != nil {
			t.Errorf("run %d: %v", run, err)
		}
		claims, err := m.Claims(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("run %d: %d acknowledged, %d claims in the file (the difference was committed but not yet acknowledged when killed)", run, len(acked), len(claims))
		st.Close()
	}
}
