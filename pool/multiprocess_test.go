package pool_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

// TestMultiProcessPostgres is the proof that several OSS processes can share
// one PostgreSQL database of pools: four OS processes (this test binary run
// again), four clients each, make 100,000 claims from the same overlapping
// pools; one process is killed with SIGKILL midway and started again, and
// redoes its claims from the start, which must return what it already holds.
// Afterwards no value has two owners, every acknowledged claim is in the
// database exactly as acknowledged, and every pool's usage equals what the
// claims list.

const (
	mpEnvDSN    = "CARRIERKIT_POOL_MP_DSN"
	mpEnvSchema = "CARRIERKIT_POOL_MP_SCHEMA"
	mpEnvProc   = "CARRIERKIT_POOL_MP_PROC"
	mpProcs     = 4
	mpClients   = 4
	mpPerProc   = 25_000
)

var mpSpecs = []pool.Spec{
	{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"1-4094"}, Scoped: true},
	{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1-10000000"}},
	{Name: "pe-ce", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/12"}, Length: 31},
}

// mpReqs is claim i of process proc: the processes share every UNI (each
// walks them in its own order), the VC ID pool and the PE–CE prefix, so
// they contend for the same values.
func mpReqs(proc, i int) []pool.Request {
	u := (i + proc*50) % 2000
	return []pool.Request{
		{Name: "a", Pool: "uni-vlan", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", u/10, u%10)},
		{Name: "z", Pool: "uni-vlan", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", 200+(u*7)%200, u%10)},
		{Name: "vc", Pool: "vcid"},
		{Name: "link", Pool: "pe-ce", Length: 31 - i%2},
	}
}

// TestMultiProcessHelper is one OSS process: it claims its share, printing
// one line per acknowledged claim. It does nothing in a normal test run.
func TestMultiProcessHelper(t *testing.T) {
	dsn := os.Getenv(mpEnvDSN)
	if dsn == "" {
		return
	}
	proc := os.Getenv(mpEnvProc)
	p, _ := strconv.Atoi(proc)
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn, postgres.WithSchema(os.Getenv(mpEnvSchema)))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	ackClaims(pool.New(st), mpClients, mpPerProc, func(i int) (string, []pool.Request) {
		return fmt.Sprintf("p%s-svc-%d", proc, i), mpReqs(p, i)
	})
	fmt.Println("done")
}

func TestMultiProcessPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 100,000 claims from four processes; run without -short")
	}
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	schema := fmt.Sprintf("pool_mp_%d", time.Now().UnixNano())
	st, err := postgres.Open(ctx, dsn, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := pool.New(st)
	for _, s := range mpSpecs {
		if err := m.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}

	var (
		mu    sync.Mutex
		acked = map[string]string{}
	)
	// run starts process proc and collects its acknowledgements; when
	// killAfter > 0 it kills the process after that many.
	run := func(proc, killAfter int) (done bool, err error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMultiProcessHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), mpEnvDSN+"="+dsn, mpEnvSchema+"="+schema, mpEnvProc+"="+strconv.Itoa(proc))
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return false, err
		}
		if err := cmd.Start(); err != nil {
			return false, err
		}
		sc := bufio.NewScanner(stdout)
		n := 0
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "done":
				done = true
			case line == "PASS":
			case strings.HasPrefix(line, "ack "):
				owner, vals, _ := parseAck(line)
				mu.Lock()
				if prev, ok := acked[owner]; ok && prev != vals {
					t.Errorf("%s acknowledged as %q, then after a restart as %q", owner, prev, vals)
				}
				acked[owner] = vals
				mu.Unlock()
				n++
				if killAfter > 0 && n == killAfter {
					cmd.Process.Signal(syscall.SIGKILL)
				}
			default:
				t.Errorf("process %d: %s", proc, line)
			}
		}
		werr := cmd.Wait()
		if killAfter == 0 && werr != nil {
			return done, fmt.Errorf("process %d: %v", proc, werr)
		}
		return done, nil
	}

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, mpProcs+1)
	for p := range mpProcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p == 0 {
				// Killed midway, then started again: it claims its
				// share from the start once more.
				if _, err := run(p, mpPerProc/3); err != nil {
					errs <- err
					return
				}
			}
			done, err := run(p, 0)
			if err == nil && !done {
				err = fmt.Errorf("process %d ended before it was done", p)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	elapsed := time.Since(start)

	if len(acked) != mpProcs*mpPerProc {
		t.Errorf("%d claims acknowledged, want %d", len(acked), mpProcs*mpPerProc)
	}
	// Every acknowledged claim is in the database exactly as acknowledged.
	claims, err := m.Claims(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]string{}
	held := map[string]int{}
	for _, c := range claims {
		stored[c.Owner] = values(c)
		for _, it := range c.Items {
			held[it.Pool]++
		}
	}
	for owner, want := range acked {
		if got := stored[owner]; got != want {
			t.Errorf("claim %s in the database is %q, was acknowledged as %q", owner, got, want)
		}
	}
	if len(stored) != len(acked) {
		t.Errorf("database holds %d claims, %d were acknowledged", len(stored), len(acked))
	}
	// No value has two owners, and no held value lacks a claim.
	if err := m.Verify(ctx); err != nil {
		t.Error(err)
	}
	// Usage counts equal the rows.
	for _, s := range mpSpecs {
		u, err := m.Usage(ctx, s.Name)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		if err := st.List(ctx, "pool/alloc/"+s.Name+"/", func(store.Item) error { rows++; return nil }); err != nil {
			t.Fatal(err)
		}
		if u.Held != rows || rows != held[s.Name] {
			t.Errorf("pool %s: usage says %d held, %d rows, claims list %d", s.Name, u.Held, rows, held[s.Name])
		}
	}
	t.Logf("%d claims from %d processes × %d clients (one killed and restarted) in %s: %.0f claims/s",
		len(acked), mpProcs, mpClients, elapsed.Round(time.Millisecond), float64(len(acked))/elapsed.Seconds())
}
