package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/carrierkit/carrierkit/store"
)

// EnvDSN is the environment variable [DSNFromEnv] reads.
const EnvDSN = "CARRIERKIT_PG_DSN"

// DefaultSchema is the schema [Open] uses unless [WithSchema] names another.
const DefaultSchema = "carrierkit"

// DSNFromEnv returns the value of the environment variable [EnvDSN] and
// whether it is set to something non-empty.
func DSNFromEnv() (dsn string, ok bool) {
	dsn = os.Getenv(EnvDSN)
	return dsn, dsn != ""
}

// Option configures [Open].
type Option func(*options)

type options struct {
	schema   string
	maxConns int
}

// WithSchema makes the store keep its tables in the schema name instead of
// [DefaultSchema]. Stores with different schemas in one database are
// independent. The name must be 1 to 63 ASCII letters, digits and
// underscores, not starting with a digit or "pg_"; it is case-sensitive.
// [Open] creates the schema if it does not exist.
func WithSchema(name string) Option {
	return func(o *options) { o.schema = name }
}

// WithMaxConns caps the store's connection pool at n connections (n >= 1).
// The default is pgx's: the larger of 4 and the number of CPUs, unless the
// DSN sets pool_max_conns. Each call blocked on a full pool waits for a
// connection, within its context.
func WithMaxConns(n int) Option {
	return func(o *options) { o.maxConns = n }
}

func (o *options) validate() error {
	if err := checkSchemaName(o.schema); err != nil {
		return err
	}
	if o.maxConns < 0 || o.maxConns > 1<<15 {
		return fmt.Errorf("postgres: pool size %d out of range: %w", o.maxConns, store.ErrInvalid)
	}
	return nil
}

func checkSchemaName(s string) error {
	ok := len(s) >= 1 && len(s) <= 63 && !(s[0] >= '0' && s[0] <= '9') && !(len(s) >= 3 && s[:3] == "pg_")
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if !ok {
		return fmt.Errorf("postgres: schema name %q: want 1 to 63 letters, digits and underscores, not starting with a digit or pg_: %w", s, store.ErrInvalid)
	}
	return nil
}

// Store is a [store.Store] kept in a PostgreSQL database. See the package
// documentation for what it relies on.
//
// A Store is safe for concurrent use by multiple goroutines. Create one with
// [Open]; the zero Store is not usable.
type Store struct {
	pool    *pgxpool.Pool
	sql     statements
	closed  atomic.Bool
	retries atomic.Int64 // transactions tried again, for tests and benchmarks
	schema  string       // names the schema in the store's lock ids
}

var _ store.Store = (*Store)(nil)

// Open connects to the PostgreSQL database that dsn names, creates or
// migrates carrierkit's schema in it, and returns a Store over it.
//
// dsn is a libpq-style connection string, either a URL
// ("postgres://user:password@host:5432/db?sslmode=verify-full") or
// keywords ("host=db.example port=5432 user=ck dbname=ck"); the PG*
// environment variables and ~/.pgpass fill in what it leaves out, as with
// libpq. Pool settings in it (pool_max_conns and the like) are honoured;
// [WithMaxConns] overrides pool_max_conns.
//
// Open connects once before it returns, so a wrong DSN, host, port, password
// or database fails here, with an error that names the host and port but
// never the password. The schema is created and migrated under an advisory
// lock, so several processes may Open the same schema at once.
//
// Errors wrap [store.ErrInvalid] for a malformed DSN or option, and
// otherwise pgx's error (or the context's).
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	o := options{schema: DefaultSchema}
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// Keep pgx's description, which says what is wrong, but not the
		// error value: it holds the DSN, password and all.
		return nil, fmt.Errorf("postgres: open: invalid DSN: %s: %w", redact(err.Error(), dsn), store.ErrInvalid)
	}
	if o.maxConns > 0 {
		cfg.MaxConns = int32(o.maxConns)
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "carrierkit"
	}
	where := endpoint(cfg.ConnConfig)

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %s: %w", where, redact(err.Error(), dsn), store.ErrInvalid)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, openError(ctx, where, err, dsn)
	}
	if err := migrate(ctx, pool, o.schema); err != nil {
		pool.Close()
		return nil, openError(ctx, where, err, dsn)
	}
	return &Store{pool: pool, sql: newStatements(o.schema), schema: o.schema}, nil
}

// openError describes a failure to connect to or set up the database at
// where. The cause is kept for errors.Is and errors.As; its text, which pgx
// composes from the configuration, is checked for the password anyway.
func openError(ctx context.Context, where string, err error, dsn string) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return &redactedError{msg: redact(fmt.Sprintf("postgres: open %s: %v", where, err), dsn), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Get returns the item stored under key. Errors wrap [store.ErrNotFound],
// [store.ErrInvalid], [store.ErrClosed], the context's error, or pgx's.
func (s *Store) Get(ctx context.Context, key string) (store.Item, error) {
	if err := store.CheckKey(key); err != nil {
		return store.Item{}, err
	}
	op := fmt.Sprintf("get %q", key)
	if err := s.ready(ctx); err != nil {
		return store.Item{}, s.fail(ctx, op, err)
	}
	it := store.Item{Key: key}
	err := s.pool.QueryRow(ctx, s.sql.get, key).Scan(&it.Value, &it.Revision)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Item{}, fmt.Errorf("postgres: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.Item{}, s.fail(ctx, op, err)
	}
	if it.Value == nil {
		it.Value = []byte{}
	}
	return it, nil
}

// List calls fn for every item whose key starts with prefix, in ascending
// byte order of keys, from one snapshot: a single statement, read at READ
// COMMITTED, whose rows are streamed to fn as they arrive. It holds one
// pooled connection until it returns. When fn returns an error List returns
// it unchanged and closes that connection rather than read the rest of the
// result. Other errors wrap [store.ErrInvalid], [store.ErrClosed], the
// context's error, or pgx's.
func (s *Store) List(ctx context.Context, prefix string, fn func(store.Item) error) error {
	if prefix != "" {
		if err := store.CheckKey(prefix); err != nil {
			return err
		}
	}
	op := fmt.Sprintf("list %q", prefix)
	if err := s.ready(ctx); err != nil {
		return s.fail(ctx, op, err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return s.fail(ctx, op, err)
	}
	defer conn.Release()

	var rows pgx.Rows
	if end, ok := prefixEnd(prefix); ok {
		rows, err = conn.Query(ctx, s.sql.listRange, prefix, end)
	} else {
		rows, err = conn.Query(ctx, s.sql.listFrom, prefix)
	}
	if err != nil {
		return s.fail(ctx, op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it store.Item
		if err := rows.Scan(&it.Key, &it.Value, &it.Revision); err != nil {
			return s.fail(ctx, op, err)
		}
		if it.Value == nil {
			it.Value = []byte{}
		}
		if err := fn(it); err != nil {
			// Closing rows would read the rest of the result, however
			// long; dropping the connection ends the query at once.
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.fail(ctx, op, err)
	}
	return nil
}

// Close closes the connection pool, waiting for calls in progress to return
// their connections. Later calls fail with [store.ErrClosed]. Close is
// idempotent and always returns nil.
func (s *Store) Close() error {
	if s.closed.CompareAndSwap(false, true) {
		s.pool.Close()
	}
	return nil
}

// ready reports whether a call may start.
func (s *Store) ready(ctx context.Context) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return ctx.Err()
}

// fail wraps err, the error of operation op, adding [store.ErrClosed] when
// the store was closed under the call and the context's error when it ended
// and err does not say so already.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	switch cerr := ctx.Err(); {
	case errors.Is(err, store.ErrClosed):
	case s.closed.Load():
		err = fmt.Errorf("%w: %w", store.ErrClosed, err)
	case cerr != nil && !errors.Is(err, cerr):
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}
