package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

type safeToRetryError struct{}

func (safeToRetryError) Error() string     { return "conn closed" }
func (safeToRetryError) SafeToRetry() bool { return true }

func TestJudge(t *testing.T) {
	pgErr := func(sev, code string) error {
		return fmt.Errorf("wrapped: %w", &pgconn.PgError{Severity: sev, SeverityUnlocalized: sev, Code: code})
	}
	tests := []struct {
		name     string
		err      error
		atCommit bool
		want     verdict
		reason   string
	}{
		{"serialization failure", pgErr("ERROR", "40001"), false, retry, ""},
		{"serialization failure at commit", pgErr("ERROR", "40001"), true, retry, "SSI often reports at COMMIT"},
		{"deadlock", pgErr("ERROR", "40P01"), false, retry, ""},
		{"other error", pgErr("ERROR", "23514"), false, rolledBack, ""},
		{"terminated before commit", pgErr("FATAL", "57P01"), false, rolledBack, "COMMIT was never sent"},
		{"connection lost before commit", io.ErrUnexpectedEOF, false, rolledBack, "COMMIT was never sent"},
		{"context ended before commit", context.DeadlineExceeded, false, rolledBack, "COMMIT was never sent"},
		{"error at commit", pgErr("ERROR", "23505"), true, rolledBack, "an ERROR at COMMIT rolls back"},
		{"terminated at commit", pgErr("FATAL", "57P01"), true, unknown, "the backend may have committed first"},
		{"panic at commit", pgErr("PANIC", "XX000"), true, unknown, ""},
		{"connection lost at commit", io.ErrUnexpectedEOF, true, unknown, ""},
		{"context ended at commit", context.Canceled, true, unknown, ""},
		{"conn closed at commit", fmt.Errorf("wrapped: %w", safeToRetryError{}), true, unknown, "pgx says conn closed, safe to retry, after a read fails"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := judge(tt.err, tt.atCommit); got != tt.want {
				t.Errorf("judge(%v, atCommit=%v) = %v, want %v %s", tt.err, tt.atCommit, got, tt.want, tt.reason)
			}
		})
	}
}

// waitBlocked returns the process ID of the backend that waits for a lock
// admin's backend holds.
func waitBlocked(t *testing.T, admin *pgx.Conn) int32 {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var pids []int32
		err := admin.QueryRow(t.Context(),
			"SELECT coalesce(array_agg(pid), '{}') FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))").Scan(&pids)
		if err != nil {
			t.Fatal(err)
		}
		if len(pids) == 1 {
			return pids[0]
		}
		if len(pids) > 1 {
			t.Fatalf("several backends wait for the test's lock: %v", pids)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no backend came to wait for the test's lock")
	return 0
}

func terminate(t *testing.T, admin *pgx.Conn, pid int32) {
	t.Helper()
	var ok bool
	if err := admin.QueryRow(t.Context(), "SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
	}
}

func wantAbsent(t *testing.T, s store.Store, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if it, err := s.Get(t.Context(), k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%q) = %+v, %v; want ErrNotFound: a failed transaction left a write", k, it, err)
		}
	}
}

// TestTxnBackendTerminated kills the backend of a transaction while it
// waits for a row lock, after it has written some of its keys: the Txn
// fails, the outcome is known (COMMIT was never sent), nothing it wrote
// remains, and the store carries on with a new connection.
func TestTxnBackendTerminated(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, schema := openFresh(t, dsn, WithMaxConns(2))
	ctx := t.Context()
	rev0, err := s.Txn(ctx, nil, []store.Op{store.Put("z/locked", []byte("before"))})
	if err != nil {
		t.Fatal(err)
	}

	admin := adminConn(t, dsn)
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SELECT FROM "+schema+".kv WHERE key = 'z/locked' FOR UPDATE"); err != nil {
		t.Fatal(err)
	}

	errc := make(chan error, 1)
	go func() {
		// Writes go in key order: a/1 and a/2 are written, then the
		// update of z/locked waits for the test's row lock.
		_, err := s.Txn(ctx, []store.Cond{store.Absent("a/1"), store.NoneWithPrefix("a/")},
			[]store.Op{store.Put("a/1", []byte("x")), store.Put("a/2", []byte("x")), store.Put("z/locked", []byte("after"))})
		errc <- err
	}()
	terminate(t, admin, waitBlocked(t, admin))
	err = <-errc
	t.Logf("Txn: %v", err)
	var pe *pgconn.PgError
	switch {
	case err == nil:
		t.Fatal("Txn succeeded although its backend was terminated")
	case errors.Is(err, store.ErrUnknownOutcome):
		t.Errorf("Txn error %v wraps ErrUnknownOutcome, but COMMIT was never sent", err)
	case !errors.As(err, &pe) || pe.Code != "57P01":
		t.Errorf("Txn error %v, want the server's admin_shutdown (57P01)", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	wantAbsent(t, s, "a/1", "a/2")
	if it, err := s.Get(ctx, "z/locked"); err != nil || string(it.Value) != "before" || it.Revision != rev0 {
		t.Errorf("Get(z/locked) = %+v, %v; want the value from before", it, err)
	}
	if _, err := s.Txn(ctx, []store.Cond{store.Absent("a/1")}, []store.Op{store.Put("a/1", nil)}); err != nil {
		t.Errorf("Txn after the lost connection: %v", err)
	}
}

// TestTxnCanceledWhileWaiting ends a Txn's context while it waits for a
// lock: the error says so, the outcome is known, and nothing is written.
func TestTxnCanceledWhileWaiting(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, schema := openFresh(t, dsn, WithMaxConns(2))
	if _, err := s.Txn(t.Context(), nil, []store.Op{store.Put("z/locked", nil)}); err != nil {
		t.Fatal(err)
	}
	admin := adminConn(t, dsn)
	tx, err := admin.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.WithoutCancel(t.Context()))
	if _, err := tx.Exec(t.Context(), "SELECT FROM "+schema+".kv WHERE key = 'z/locked' FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Txn(ctx, nil, []store.Op{store.Put("a/1", nil), store.Put("z/locked", []byte("after"))})
		errc <- err
	}()
	waitBlocked(t, admin)
	cancel()
	err = <-errc
	t.Logf("Txn: %v", err)
	if !errors.Is(err, context.Canceled) || errors.Is(err, store.ErrUnknownOutcome) {
		t.Errorf("Txn error %v, want one that wraps context.Canceled and not ErrUnknownOutcome", err)
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The abandoned backend finishes its statement once the lock is free,
	// and must then find no COMMIT.
	time.Sleep(200 * time.Millisecond)
	wantAbsent(t, s, "a/1")
	if it, err := s.Get(t.Context(), "z/locked"); err != nil || len(it.Value) != 0 {
		t.Errorf("Get(z/locked) = %+v, %v; want the empty value from before", it, err)
	}
}

// TestTxnTerminatedAtCommit kills the backend while it runs COMMIT (held
// there by a deferred trigger that waits for the test's advisory lock). The
// outcome is then unknown to the client, and Txn says so, although here the
// transaction did roll back.
func TestTxnTerminatedAtCommit(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, schema := openFresh(t, dsn)
	ctx := t.Context()
	admin := adminConn(t, dsn)
	lock := rand.Int64()
	_, err := admin.Exec(ctx, fmt.Sprintf(`
		CREATE FUNCTION %[1]s.hold() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN PERFORM pg_advisory_xact_lock(%[2]d); RETURN NULL; END $$;
		CREATE CONSTRAINT TRIGGER hold AFTER INSERT ON %[1]s.kv DEFERRABLE INITIALLY DEFERRED
			FOR EACH ROW WHEN (NEW.key = 'held') EXECUTE FUNCTION %[1]s.hold();
		SELECT pg_advisory_lock(%[2]d)`, schema, lock))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lock)

	errc := make(chan error, 1)
	go func() {
		_, err := s.Txn(ctx, []store.Cond{store.Absent("held")}, []store.Op{store.Put("held", nil), store.Put("other", nil)})
		errc <- err
	}()
	terminate(t, admin, waitBlocked(t, admin))
	err = <-errc
	t.Logf("Txn: %v", err)
	if !errors.Is(err, store.ErrUnknownOutcome) {
		t.Errorf("Txn error %v, want one wrapping ErrUnknownOutcome", err)
	}
	wantAbsent(t, s, "held", "other")
}

// lossyProxy forwards TCP connections to a PostgreSQL server. Once armed, it
// drops the first server message that completes a COMMIT, and closes both
// sides of that connection instead of delivering it: the commit happened,
// and the client never learns.
type lossyProxy struct {
	ln     net.Listener
	target string
	armed  atomic.Bool
	cut    atomic.Int32 // connections cut
	wg     sync.WaitGroup
}

func startProxy(t *testing.T, target string) *lossyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &lossyProxy{ln: ln, target: target}
	p.wg.Go(p.serve)
	t.Cleanup(func() {
		ln.Close()
		p.wg.Wait()
	})
	return p
}

func (p *lossyProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.wg.Go(func() {
			io.Copy(server, client)
			server.Close()
		})
		p.wg.Go(func() {
			defer client.Close()
			defer server.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := server.Read(buf)
				if n > 0 {
					// CommandComplete ('C') with the tag "COMMIT".
					if p.armed.Load() && bytes.Contains(buf[:n], []byte("COMMIT\x00")) {
						p.armed.Store(false)
						p.cut.Add(1)
						return
					}
					if _, werr := client.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		})
	}
}

// TestTxnCommitResultLost loses the server's answer to COMMIT: the write is
// durable, the client cannot know, and Txn returns ErrUnknownOutcome.
func TestTxnCommitResultLost(t *testing.T) {
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		t.Skipf("the test DSN is not a URL (%v): cannot put a proxy in front of it", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	u.Host = p.ln.Addr().String()

	direct, schema := openFresh(t, dsn)
	ctx := t.Context()
	s, err := Open(ctx, u.String(), WithSchema(schema), WithMaxConns(1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Txn(ctx, nil, []store.Op{store.Put("warm", nil)}); err != nil {
		t.Fatal(err)
	}

	p.armed.Store(true)
	_, err = s.Txn(ctx, []store.Cond{store.Absent("lost")}, []store.Op{store.Put("lost", []byte("v"))})
	t.Logf("Txn: %v", err)
	if p.cut.Load() != 1 {
		t.Fatalf("the proxy cut %d connections, want 1", p.cut.Load())
	}
	if !errors.Is(err, store.ErrUnknownOutcome) {
		t.Errorf("Txn error %v, want one wrapping ErrUnknownOutcome", err)
	}
	if it, err := direct.Get(ctx, "lost"); err != nil || string(it.Value) != "v" {
		t.Errorf("Get(lost) = %+v, %v; want the write whose answer was lost", it, err)
	}
	// Reading again tells the caller what happened, as store.ErrUnknownOutcome
	// suggests; and the store carries on over a new connection.
	if _, err := s.Get(ctx, "lost"); err != nil {
		t.Errorf("Get through the proxy after the loss: %v", err)
	}
}
