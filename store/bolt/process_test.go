package bolt_test

// Tests that need a second process: the test binary runs itself with
// -test.run selecting one of the helper tests below, which do nothing
// unless helperEnv is set.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
)

const (
	helperEnv = "CARRIERKIT_BOLT_HELPER" // which helper to run
	pathEnv   = "CARRIERKIT_BOLT_PATH"   // the store file
	roundEnv  = "CARRIERKIT_BOLT_ROUND"  // crash round, for unique keys
)

// helper starts this test binary running the helper test name with env
// added to its environment.
func helper(ctx context.Context, t *testing.T, name string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, "-test.run=^"+name+"$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// crashValue is the value a crash helper stores under key: the key itself,
// so a value under the wrong key shows, and a payload whose length varies
// with the key, sometimes spanning several pages.
func crashValue(key string) []byte {
	n := 50 + len(key)*7
	if strings.HasSuffix(key, "7") {
		n = 9000
	}
	v := make([]byte, 0, len(key)+1+n)
	v = append(v, key...)
	v = append(v, '|')
	for i := range n {
		v = append(v, 'a'+byte((i+len(key))%26))
	}
	return v
}

// TestCrashHelper is the child of TestCrash. It writes unique keys from 16
// goroutines and prints "ack <key> <rev>" once each Txn has returned nil,
// until it is killed.
func TestCrashHelper(t *testing.T) {
	if os.Getenv(helperEnv) != "crash" {
		return
	}
	s, err := bolt.Open(os.Getenv(pathEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	round := os.Getenv(roundEnv)
	var mu sync.Mutex // one write per ack line
	var wg sync.WaitGroup
	deadline := time.Now().Add(time.Minute) // in case the parent dies
	for g := range 16 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("crash/%s/%02d/%06d", round, g, i)
				rev, err := s.Txn(context.Background(), []store.Cond{store.Absent(key)}, []store.Op{store.Put(key, crashValue(key))})
				if err != nil {
					fmt.Fprintf(os.Stderr, "txn %s: %v\n", key, err)
					os.Exit(2)
				}
				mu.Lock()
				_, err = fmt.Fprintf(os.Stdout, "ack %s %d\n", key, rev)
				mu.Unlock()
				if err != nil {
					os.Exit(2)
				}
			}
		})
	}
	wg.Wait()
	fmt.Fprintln(os.Stderr, "crash helper was not killed within a minute")
	os.Exit(2)
}

// TestCrash kills a process writing to the store with SIGKILL in mid-stream,
// three times on the same file, and checks after each kill that the file is
// consistent and holds every acknowledged transaction.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const (
		rounds     = 3
		killAfter  = 3000 // acks per round before the kill
		maxAcksLag = 5 * time.Minute
	)
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := map[string]int64{} // every acknowledged key, all rounds
	for round := 1; round <= rounds; round++ {
		start := time.Now()
		ctx, cancel := context.WithTimeout(t.Context(), maxAcksLag)
		cmd := helper(ctx, t, "TestCrashHelper", helperEnv+"=crash", pathEnv+"="+path, roundEnv+"="+strconv.Itoa(round))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		n, killed := 0, false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "ack" {
				continue // output of the testing package, if any
			}
			rev, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				t.Fatalf("bad ack line %q", sc.Text())
			}
			if _, dup := acked[f[1]]; dup {
				t.Fatalf("key %s acknowledged twice", f[1])
			}
			acked[f[1]] = rev
			if n++; n == killAfter && !killed {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
		err = cmd.Wait()
		cancel()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !killed || !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: helper ended with %v after %d acks, before being killed; stderr:\n%s", round, err, n, stderr.Bytes())
		}
		t.Logf("round %d: killed after %d acks (%d read in all) in %v", round, killAfter, n, time.Since(start).Round(time.Millisecond))
		verifyCrash(t, path, acked)
	}
}

// verifyCrash checks the file after a kill: bbolt's own consistency check,
// then every acknowledged key, then the whole store.
func verifyCrash(t *testing.T, path string, acked map[string]int64) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("bbolt.Open after kill: %v", err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt consistency check: %v", err)
		}
		return nil
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}

	s, err := bolt.Open(path)
	if err != nil {
		t.Fatalf("Open after kill: %v", err)
	}
	defer s.Close()
	ctx := t.Context()

	var maxAcked int64
	byRev := map[int64]string{}
	for key, rev := range acked {
		maxAcked = max(maxAcked, rev)
		if other, dup := byRev[rev]; dup {
			t.Errorf("acknowledged transactions for %s and %s share revision %d", key, other, rev)
		}
		byRev[rev] = key
		it, err := s.Get(ctx, key)
		if err != nil {
			t.Errorf("acknowledged key %s: %v", key, err)
			continue
		}
		// Each key was written once, so it must carry exactly the
		// acknowledged revision.
		if it.Revision != rev || !bytes.Equal(it.Value, crashValue(key)) {
			t.Errorf("acknowledged key %s at revision %d: found revision %d, value %.40q…", key, rev, it.Revision, it.Value)
		}
	}

	cur, err := s.Txn(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cur < maxAcked {
		t.Errorf("revision counter %d is below the highest acknowledged revision %d", cur, maxAcked)
	}
	// Every committed transaction, acknowledged or not, created one key,
	// so the keys' revisions are exactly 1..cur.
	var revs []int64
	err = s.List(ctx, "", func(it store.Item) error {
		if !bytes.Equal(it.Value, crashValue(it.Key)) {
			t.Errorf("key %s holds the wrong value %.40q…", it.Key, it.Value)
		}
		revs = append(revs, it.Revision)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(revs)
	for i, r := range revs {
		if r != int64(i+1) {
			t.Fatalf("revisions of the %d stored keys are not exactly 1..%d (counter %d); first mismatch at %d: %d",
				len(revs), len(revs), cur, i, r)
		}
	}
	if int64(len(revs)) != cur {
		t.Errorf("%d keys stored but the revision counter is %d", len(revs), cur)
	}
	t.Logf("%d keys stored, %d acknowledged, revision %d", len(revs), len(acked), cur)
}

// TestSecondProcessHelper is the child of TestSecondProcess: it opens the
// file once and prints the outcome.
func TestSecondProcessHelper(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode != "locked" && mode != "open" {
		return
	}
	start := time.Now()
	s, err := bolt.Open(os.Getenv(pathEnv), bolt.WithLockTimeout(300*time.Millisecond))
	if err != nil {
		fmt.Printf("result locked=%t after=%v err=%v\n", errors.Is(err, bolt.ErrLocked), time.Since(start), err)
		return
	}
	defer s.Close()
	ctx := context.Background()
	it, err := s.Get(ctx, "owner")
	if err != nil {
		fmt.Println("result get:", err)
		return
	}
	if _, err := s.Txn(ctx, []store.Cond{store.Absent("child")}, []store.Op{store.Put("child", []byte("was here"))}); err != nil {
		fmt.Println("result txn:", err)
		return
	}
	fmt.Printf("result opened owner=%s\n", it.Value)
}

// TestSecondProcess checks that a second process cannot open a file in use:
// it gets ErrLocked quickly, harms nothing, and can open the file once the
// first process has closed it.
func TestSecondProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "store.db")
	s := open(t, path)
	txn(t, s, store.Put("owner", []byte("parent")))

	run := func(mode string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		cmd := helper(ctx, t, "TestSecondProcessHelper", helperEnv+"="+mode, pathEnv+"="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("helper %s: %v\n%s", mode, err, out)
		}
		for line := range strings.Lines(string(out)) {
			if r, ok := strings.CutPrefix(line, "result "); ok {
				return strings.TrimSpace(r)
			}
		}
		t.Fatalf("helper %s printed no result:\n%s", mode, out)
		return ""
	}

	start := time.Now()
	got := run("locked")
	t.Logf("second process: %s (whole run %v)", got, time.Since(start).Round(time.Millisecond))
	if !strings.HasPrefix(got, "locked=true ") || !strings.Contains(got, path) || !strings.Contains(got, "another process") {
		t.Fatalf("second process got %q; want ErrLocked naming the file and another process", got)
	}
	after, err := time.ParseDuration(strings.Fields(strings.TrimPrefix(got, "locked=true after="))[0])
	if err != nil || after > 2*time.Second {
		t.Errorf("second process waited %v (%v), want about the 300ms lock timeout", after, err)
	}

	// The first process is unaffected.
	rev := txn(t, s, store.Put("owner", []byte("parent2")))
	if it, err := s.Get(t.Context(), "owner"); err != nil || it.Revision != rev {
		t.Fatalf("after the second process: Get = %+v, %v", it, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if got := run("open"); got != "opened owner=parent2" {
		t.Fatalf("after Close, second process got %q; want it to open the file", got)
	}
	s = open(t, path)
	defer s.Close()
	if it, err := s.Get(t.Context(), "child"); err != nil || string(it.Value) != "was here" {
		t.Errorf("the second process's write: %+v, %v", it, err)
	}
}
