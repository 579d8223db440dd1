package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/carrierkit/carrierkit/store"
)

// statements holds the SQL of a Store, with its schema's names filled in.
type statements struct {
	get       string
	listRange string // keys in [$1, $2)
	listFrom  string // keys >= $1
	check     string // conditions, then the current revision
	write     string // conditions, then the writes if they hold
}

// condsSQL evaluates the conditions passed as parallel arrays ($1 keys, $2
// revisions, $3 kinds, $4 prefix ends; see condExact) and yields the first
// that fails, if any, as bad(i, fkey, frev): its 1-based index, the key
// found (the first under a prefix) and that key's revision.
//
// Each condition reads only what it is about, through the primary key: an
// exact key, or the first key of a prefix range, bounded above so that the
// scan stops inside the range.
const condsSQL = `c AS (
	SELECT c.i, f.key AS fkey, f.revision AS frev,
		CASE WHEN c.kind = 0 THEN coalesce(f.revision, 0) <> c.rev ELSE f.key IS NOT NULL END AS failed
	FROM unnest($1::text[], $2::int8[], $3::int4[], $4::text[]) WITH ORDINALITY AS c(key, rev, kind, upper, i)
	LEFT JOIN LATERAL (
		SELECT t.key, t.revision FROM %[1]s t WHERE c.kind = 0 AND t.key = c.key
		UNION ALL
		(SELECT t.key, t.revision FROM %[1]s t WHERE c.kind = 1 AND t.key >= c.key AND t.key < c.upper ORDER BY t.key LIMIT 1)
		UNION ALL
		(SELECT t.key, t.revision FROM %[1]s t WHERE c.kind = 2 AND t.key >= c.key ORDER BY t.key LIMIT 1)
	) f ON true
),
bad AS (SELECT i, fkey, frev FROM c WHERE failed ORDER BY i LIMIT 1)`

// writeSQL checks the conditions and, if they hold, draws one revision and
// applies the puts ($5 keys, $6 values) and deletes ($7 keys). It returns
// one row: the revision (NULL if a condition failed) and bad's columns
// (NULL if none did). One statement sees one snapshot, so the conditions
// see the state before the writes. It runs after lockSQL, in the same
// transaction: its snapshot is taken once the locks are held.
const writeSQL = `WITH ` + condsSQL + `,
rev AS (SELECT nextval('%[2]s') AS r WHERE NOT EXISTS (SELECT FROM bad)),
put AS (
	INSERT INTO %[1]s AS t (key, value, revision)
	SELECT p.key, p.value, rev.r FROM rev, unnest($5::text[], $6::bytea[]) AS p(key, value)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision
),
del AS (DELETE FROM %[1]s t USING rev WHERE t.key = ANY ($7::text[]))
SELECT (SELECT r FROM rev), b.i, b.fkey, b.frev FROM (VALUES (1)) AS one LEFT JOIN bad b ON true`

// checkSQL checks the conditions and reads the revision counter, which is
// at least the revision of every write that has committed.
const checkSQL = `WITH ` + condsSQL + `
SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %[2]s), b.i, b.fkey, b.frev
FROM (VALUES (1)) AS one LEFT JOIN bad b ON true`

func newStatements(schema string) statements {
	table := pgx.Identifier{schema, "kv"}.Sanitize()
	seq := pgx.Identifier{schema, "revision"}.Sanitize() // a safe name: no quotes to escape
	return statements{
		get:       "SELECT value, revision FROM " + table + " WHERE key = $1",
		listRange: "SELECT key, value, revision FROM " + table + " WHERE key >= $1 AND key < $2 ORDER BY key",
		listFrom:  "SELECT key, value, revision FROM " + table + " WHERE key >= $1 ORDER BY key",
		check:     fmt.Sprintf(checkSQL, table, seq),
		write:     fmt.Sprintf(writeSQL, table, seq),
	}
}

// Kinds of condition, as condsSQL numbers them.
const (
	condExact       = 0 // Key must have revision Revision (0: be absent)
	condPrefix      = 1 // no key in [Key, upper)
	condPrefixToEnd = 2 // no key >= Key
)

// txnArgs are the parameters of checkSQL and writeSQL.
type txnArgs struct {
	condKeys  []string
	condRevs  []int64
	condKinds []int32
	condEnds  []string
	putKeys   []string
	putValues [][]byte
	delKeys   []string
}

func newTxnArgs(conds []store.Cond, ops []store.Op) txnArgs {
	a := txnArgs{
		condKeys:  make([]string, len(conds)),
		condRevs:  make([]int64, len(conds)),
		condKinds: make([]int32, len(conds)),
		condEnds:  make([]string, len(conds)),
	}
	for i, c := range conds {
		a.condKeys[i], a.condRevs[i] = c.Key, c.Revision
		if c.Prefix {
			a.condKinds[i] = condPrefixToEnd
			if end, ok := prefixEnd(c.Key); ok {
				a.condKinds[i], a.condEnds[i] = condPrefix, end
			}
		}
	}
	// Writes go in key order, so that two transactions writing the same
	// keys wait for each other rather than deadlock.
	ops = slices.SortedFunc(slices.Values(ops), func(x, y store.Op) int { return strings.Compare(x.Key, y.Key) })
	for _, o := range ops {
		if o.Delete {
			a.delKeys = append(a.delKeys, o.Key)
			continue
		}
		v := o.Value
		if v == nil {
			v = []byte{} // bytea NOT NULL
		}
		a.putKeys = append(a.putKeys, o.Key)
		a.putValues = append(a.putValues, v)
	}
	return a
}

// result is the row checkSQL and writeSQL return.
type result struct {
	rev  *int64  // the revision, NULL when a condition failed
	bad  *int64  // 1-based index of the first failed condition
	fkey *string // the key found for it
	frev *int64  // and that key's revision
}

func (r *result) scan(row pgx.Row) error {
	return row.Scan(&r.rev, &r.bad, &r.fkey, &r.frev)
}

// conflict returns the *store.ConflictError r reports, or nil.
func (r *result) conflict(conds []store.Cond) error {
	if r.bad == nil {
		return nil
	}
	c := conds[*r.bad-1]
	ce := &store.ConflictError{Cond: c}
	if r.frev != nil {
		ce.Revision = *r.frev
	}
	if c.Prefix && r.fkey != nil {
		ce.Found = *r.fkey
	}
	return ce
}

// Retry policy for deadlocks and serialization failures. Neither should
// happen, since transactions take their locks in one order and run at READ
// COMMITTED, unless other sessions lock carrierkit's rows.
const (
	maxAttempts  = 100
	backoffFirst = 500 * time.Microsecond
	backoffMax   = 50 * time.Millisecond
)

// Txn checks every condition and, if all hold, applies every operation, in
// one READ COMMITTED transaction that first takes advisory locks on what it
// reads and writes; see [store.Store.Txn] and the package documentation
// (# Isolation). It blocks while another transaction holds a conflicting
// lock. A transaction that PostgreSQL aborts with a deadlock or a
// serialization failure is tried again, conditions and all, after a short
// randomized pause, up to 100 times.
//
// A Txn without operations runs one READ COMMITTED statement and returns
// the revision counter's current value, which is at least the revision of
// every write completed before the call.
//
// Errors are a [*store.ConflictError], or wrap [store.ErrUnknownOutcome]
// when the connection failed or the context ended while COMMIT was in
// flight (see the package documentation), [store.ErrInvalid],
// [store.ErrClosed], the context's error, or pgx's. In every case but
// ErrUnknownOutcome, nothing was written.
func (s *Store) Txn(ctx context.Context, conds []store.Cond, ops []store.Op) (int64, error) {
	if err := store.CheckTxn(conds, ops); err != nil {
		return 0, err
	}
	if err := s.ready(ctx); err != nil {
		return 0, s.fail(ctx, "txn", err)
	}
	a := newTxnArgs(conds, ops)
	if len(ops) == 0 {
		var r result
		if err := r.scan(s.pool.QueryRow(ctx, s.sql.check, a.condKeys, a.condRevs, a.condKinds, a.condEnds)); err != nil {
			return 0, s.fail(ctx, "txn", err)
		}
		if err := r.conflict(conds); err != nil {
			return 0, err
		}
		return *r.rev, nil
	}

	l := txnLocks(s.schema, conds, ops)
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, s.fail(ctx, "txn", err)
	}
	defer conn.Release()
	for attempt := 1; ; attempt++ {
		rev, err := s.attempt(ctx, conn, conds, l, a)
		var ae *attemptError
		if !errors.As(err, &ae) {
			return rev, err // success or conflict
		}
		switch {
		case ae.verdict == unknown:
			return 0, s.fail(ctx, "txn", fmt.Errorf("commit: %w: %w", store.ErrUnknownOutcome, ae.err))
		case ae.verdict != retry:
			return 0, s.fail(ctx, "txn", ae.err)
		case attempt == maxAttempts:
			return 0, s.fail(ctx, "txn", fmt.Errorf("aborted %d times in a row: %w", attempt, ae.err))
		}
		s.retries.Add(1)
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return 0, s.fail(ctx, "txn", err)
		}
	}
}

// attemptError is why an attempt of a writing transaction failed, with what
// that means for its outcome.
type attemptError struct {
	verdict verdict
	err     error
}

func (e *attemptError) Error() string { return e.err.Error() }

// attempt runs one try of a writing transaction: BEGIN, the advisory locks
// and the write statement in one round trip, then, if the conditions held,
// COMMIT in a second. COMMIT goes alone, after the statement's result is
// in, so that only a failure while it is in flight leaves the outcome
// unknown: a connection lost before it was sent makes the server roll back.
// The error is a *store.ConflictError or an *attemptError.
func (s *Store) attempt(ctx context.Context, conn *pgxpool.Conn, conds []store.Cond, l locks, a txnArgs) (int64, error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	b.Queue(lockSQL, l.ids, l.exclusive)
	b.Queue(s.sql.write, a.condKeys, a.condRevs, a.condKinds, a.condEnds, a.putKeys, a.putValues, a.delKeys)
	br := conn.SendBatch(ctx, b)
	var r result
	_, err := br.Exec()
	if err == nil {
		_, err = br.Exec()
	}
	if err == nil {
		err = r.scan(br.QueryRow())
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		rollback(ctx, conn)
		return 0, &attemptError{verdict: judge(err, false), err: err}
	}
	if err := r.conflict(conds); err != nil {
		rollback(ctx, conn)
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		rollback(ctx, conn)
		return 0, &attemptError{verdict: rolledBack, err: err}
	}
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		rollback(ctx, conn)
		return 0, &attemptError{verdict: judge(err, true), err: err}
	}
	return *r.rev, nil
}

// rollback ends the transaction open on conn, if any and if conn still
// works, so that conn can be reused: the pool drops a connection released
// inside a transaction.
func rollback(ctx context.Context, conn *pgxpool.Conn) {
	if pc := conn.Conn().PgConn(); !pc.IsClosed() && pc.TxStatus() != 'I' {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
}

// verdict is what an error means for a transaction's outcome.
type verdict int

const (
	rolledBack verdict = iota // it did not commit
	retry                     // it did not commit, and trying again may succeed
	unknown                   // it may have committed
)

func (v verdict) String() string {
	switch v {
	case rolledBack:
		return "rolled back"
	case retry:
		return "retry"
	case unknown:
		return "unknown"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// judge says what err means for the outcome of a transaction. atCommit
// tells whether err is the result of COMMIT or of something before it.
//
// Serialization failures and deadlocks (SQLSTATE 40001, 40P01) roll the
// transaction back and are worth retrying. Before COMMIT is sent, every
// failure leaves nothing written: without a COMMIT the server rolls back,
// whether it reported an error, was terminated or lost the connection. An
// ERROR reported for COMMIT also means it rolled back: once the commit
// record is written, anything that fails is a PANIC. Anything else at
// COMMIT, a FATAL (the backend was terminated) or any failure of the
// connection or the context, leaves the outcome unknown.
//
// pgconn.SafeToRetry is no help at COMMIT: when the connection breaks while
// pgx waits for a result, pgx v5.12 reports "conn closed", an error that
// claims nothing was sent. Attempt checks the context itself before it
// sends COMMIT.
func judge(err error, atCommit bool) verdict {
	var pe *pgconn.PgError
	isPg := errors.As(err, &pe)
	switch {
	case isPg && (pe.Code == "40001" || pe.Code == "40P01"):
		return retry
	case !atCommit:
		return rolledBack
	case !isPg:
		return unknown
	}
	sev := pe.SeverityUnlocalized
	if sev == "" {
		sev = pe.Severity
	}
	if sev == "ERROR" {
		return rolledBack
	}
	return unknown
}

// backoff returns a random pause before attempt+1: up to backoffFirst
// doubled per attempt, capped at backoffMax.
func backoff(attempt int) time.Duration {
	limit := backoffFirst << min(attempt-1, 16)
	if limit > backoffMax {
		limit = backoffMax
	}
	return rand.N(limit) + 1
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
