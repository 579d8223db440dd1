package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/carrierkit/carrierkit/store"
)

// Sentinel errors of this package. Errors from the [store.Store] methods
// wrap the sentinels of package store instead.
var (
	// ErrLocked: another process (or another Open in this one) holds the
	// file, and it was not released within the lock timeout.
	ErrLocked = errors.New("locked: another process holds the file")
	// ErrCorrupt: the file is not a store written by this package, or it
	// is damaged.
	ErrCorrupt = errors.New("not a valid store file (damaged, or not written by carrierkit)")
)

// Layout of the file; see the package documentation.
var (
	kvBucket    = []byte("kv")
	metaBucket  = []byte("meta")
	revisionKey = []byte("revision")
	formatKey   = []byte("format")
)

// format is the layout version this package reads and writes.
const format = 1

// Batching parameters, see the package documentation. A short delay keeps
// the latency of a lone writer low; callers that arrive while a commit is
// running queue up and share the next one anyway, so a longer delay buys
// little. The size cap bounds the work, and the memory, of one commit.
const (
	maxBatchDelay = time.Millisecond
	maxBatchSize  = 512
)

const defaultLockTimeout = time.Second

// Option configures [Open].
type Option func(*options)

type options struct {
	lockTimeout time.Duration
	noSync      bool
}

// WithLockTimeout sets how long [Open] waits for another holder of the
// file's lock to release it before failing with [ErrLocked]. The default is
// one second; d <= 0 means try once and do not wait.
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) { o.lockTimeout = d }
}

// WithNoSync turns off fsync on commit. It is UNSAFE: a crash of the
// machine (not only of the process) can lose acknowledged transactions or
// corrupt the file. It exists for tests and benchmarks that do not need
// durability.
func WithNoSync() Option {
	return func(o *options) { o.noSync = true }
}

// Store is a [store.Store] kept in one bbolt file. Create one with [Open];
// the zero Store is not usable. It is safe for concurrent use; see the
// package documentation for its durability and locking.
type Store struct {
	db       *bbolt.DB
	path     string
	closed   atomic.Bool
	inflight atomic.Int64 // Txn calls with operations in progress
	close    sync.Once
}

var _ store.Store = (*Store)(nil)

// Open opens the store file at path, creating it (mode 0600) and its
// buckets if it does not exist. It blocks for up to the lock timeout while
// another process holds the file.
//
// Errors wrap [ErrLocked] when the file stays locked, [ErrCorrupt] when it
// is not a valid store file (the bbolt error, if any, is wrapped too), or
// the error from the file system, and name path.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{lockTimeout: defaultLockTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	timeout := o.lockTimeout
	if timeout <= 0 {
		// bbolt treats 0 as "wait forever"; any positive timeout below
		// its 50ms retry interval gives up after the first attempt.
		timeout = time.Nanosecond
	}
	// bbolt reads the file through a memory map, so a damaged or truncated
	// file can make it fault or panic. While opening, turn both into
	// errors (see "Damaged files" in the package documentation).
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	db, err := openDB(path, &bbolt.Options{Timeout: timeout, NoSync: o.noSync})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("bolt: open %q: %w (waited %v)", path, ErrLocked, o.lockTimeout)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, fmt.Errorf("bolt: open %q: %w: %w", path, ErrCorrupt, err)
	case err != nil:
		return nil, fmt.Errorf("bolt: open %q: %w", path, err)
	}
	db.MaxBatchDelay = maxBatchDelay
	db.MaxBatchSize = maxBatchSize
	if err := initialize(db); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bolt: open %q: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// openDB is bbolt.Open that turns a panic (or, with SetPanicOnFault, a
// memory fault) into an error wrapping ErrCorrupt, and then releases the
// file's lock and closes it. (The memory map bbolt may have made by then
// stays: a small leak, on a path taken only for damaged files.)
func openDB(path string, bo *bbolt.Options) (db *bbolt.DB, err error) {
	var f *os.File
	bo.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	defer func() {
		if r := recover(); r != nil {
			if f != nil {
				unlock(f)
				_ = f.Close()
			}
			db, err = nil, fmt.Errorf("%w: bbolt failed reading it: %v", ErrCorrupt, r)
		}
	}()
	return bbolt.Open(path, 0o600, bo)
}

// initialize checks the layout of db, creating it in an empty file. Like
// openDB it reports a panic or fault as ErrCorrupt.
func initialize(db *bbolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: bbolt failed reading it: %v", ErrCorrupt, r)
		}
	}()
	fi, err := os.Stat(db.Path())
	if err != nil {
		return err
	}
	var empty bool
	err = db.View(func(tx *bbolt.Tx) error {
		// Pages past the end of the file would fault when read.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("%w: file is %d bytes but its data extends to %d: truncated", ErrCorrupt, fi.Size(), tx.Size())
		}
		var err error
		empty, err = checkLayout(tx)
		return err
	})
	if err != nil || !empty {
		return err
	}
	return db.Update(func(tx *bbolt.Tx) error {
		if empty, err := checkLayout(tx); err != nil || !empty {
			return err // somebody else initialized it meanwhile
		}
		if _, err := tx.CreateBucket(kvBucket); err != nil {
			return err
		}
		meta, err := tx.CreateBucket(metaBucket)
		if err != nil {
			return err
		}
		if err := meta.Put(formatKey, encodeInt(format)); err != nil {
			return err
		}
		return meta.Put(revisionKey, encodeInt(0))
	})
}

// checkLayout reports whether tx sees an empty database, and an error
// wrapping ErrCorrupt if it is neither empty nor a store of a known format.
func checkLayout(tx *bbolt.Tx) (empty bool, err error) {
	var buckets []string
	if err := tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		buckets = append(buckets, string(name))
		return nil
	}); err != nil {
		return false, err
	}
	if len(buckets) == 0 {
		return true, nil
	}
	meta, kv := tx.Bucket(metaBucket), tx.Bucket(kvBucket)
	if meta == nil || kv == nil || len(buckets) != 2 {
		return false, fmt.Errorf("%w: bbolt database with buckets %q, want %q and %q", ErrCorrupt, buckets, kvBucket, metaBucket)
	}
	f, err := decodeInt(meta.Get(formatKey))
	if err != nil {
		return false, fmt.Errorf("%w: format version: %w", ErrCorrupt, err)
	}
	if f != format {
		return false, fmt.Errorf("%w: format version %d, this version of carrierkit reads only %d", ErrCorrupt, f, format)
	}
	if _, err := decodeInt(meta.Get(revisionKey)); err != nil {
		return false, fmt.Errorf("%w: revision counter: %w", ErrCorrupt, err)
	}
	return false, nil
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Get returns a copy of the item stored under key. Errors wrap
// [store.ErrNotFound], [store.ErrInvalid], [store.ErrClosed], the
// context's error, or report a read failure or [ErrCorrupt].
func (s *Store) Get(ctx context.Context, key string) (store.Item, error) {
	if err := store.CheckKey(key); err != nil {
		return store.Item{}, err
	}
	if err := s.usable(ctx); err != nil {
		return store.Item{}, fmt.Errorf("bolt: get %q: %w", key, err)
	}
	var it store.Item
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(kvBucket).Get([]byte(key))
		if v == nil {
			return store.ErrNotFound
		}
		var err error
		it, err = decodeItem(key, v, true)
		return err
	})
	if err != nil {
		return store.Item{}, fmt.Errorf("bolt: get %q: %w", key, s.mapErr(err))
	}
	return it, nil
}

// List calls fn with a copy of every item whose key starts with prefix, in
// ascending key order, from one bbolt read transaction (a consistent
// snapshot). fn runs inside that transaction, so it must not call back
// into the store; and while it runs, a write that needs to grow the file's
// memory map waits for it. List checks ctx every few hundred items. Errors
// are fn's error unchanged, or wrap [store.ErrInvalid], [store.ErrClosed],
// the context's error, or report a read failure or [ErrCorrupt].
func (s *Store) List(ctx context.Context, prefix string, fn func(store.Item) error) error {
	if prefix != "" {
		if err := store.CheckKey(prefix); err != nil {
			return err
		}
	}
	if err := s.usable(ctx); err != nil {
		return fmt.Errorf("bolt: list %q: %w", prefix, err)
	}
	var fnErr error
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(kvBucket).Cursor()
		p := []byte(prefix)
		n := 0
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if n++; n%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			it, err := decodeItem(string(k), v, true)
			if err != nil {
				return err
			}
			if err := fn(it); err != nil {
				fnErr = err
				return err
			}
		}
		return nil
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return fmt.Errorf("bolt: list %q: %w", prefix, s.mapErr(err))
	}
	return nil
}

// Txn checks conds and, if all hold, applies ops under one new revision and
// commits; see [store.Store.Txn] and the package documentation on group
// commit. It returns once the commit is on disk (unless [WithNoSync]).
// The context is checked until the transaction is applied within its
// batch, so a canceled caller still waiting for the writer writes nothing.
//
// Errors are a [*store.ConflictError], or wrap [store.ErrInvalid] (which
// includes a value longer than bbolt's limit), [store.ErrClosed], or the
// context's error, or report a failed read, with nothing written. A failed
// commit (a disk error) wraps [store.ErrUnknownOutcome]: the transaction
// may or may not be in the file.
func (s *Store) Txn(ctx context.Context, conds []store.Cond, ops []store.Op) (int64, error) {
	if err := store.CheckTxn(conds, ops); err != nil {
		return 0, err
	}
	for _, o := range ops {
		if !o.Delete && len(o.Value) > bbolt.MaxValueSize-8 {
			return 0, fmt.Errorf("bolt: txn: value of %q is %d bytes, longer than %d: %w", o.Key, len(o.Value), bbolt.MaxValueSize-8, store.ErrInvalid)
		}
	}
	if err := s.usable(ctx); err != nil {
		return 0, fmt.Errorf("bolt: txn: %w", err)
	}

	if len(ops) == 0 {
		var rev int64
		err := s.db.View(func(tx *bbolt.Tx) error {
			if err := checkConds(tx.Bucket(kvBucket), conds); err != nil {
				return err
			}
			var err error
			rev, err = decodeInt(tx.Bucket(metaBucket).Get(revisionKey))
			return err
		})
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			return 0, ce
		}
		if err != nil {
			return 0, fmt.Errorf("bolt: txn: %w", s.mapErr(err))
		}
		return rev, nil
	}

	// apply may run more than once (bbolt retries a batch when one of its
	// functions fails), so it sets its results afresh each time and has
	// no effect outside tx. The run whose tx commits is the one whose
	// results count. A failed condition or a canceled context is a result,
	// not an error: returning an error would make bbolt roll back and
	// rerun the whole batch.
	var (
		rev     int64
		outcome error // *ConflictError or the context's error; nothing written
		wrote   bool  // the last run of apply wrote and returned nil
	)
	apply := func(tx *bbolt.Tx) error {
		rev, outcome, wrote = 0, nil, false
		if err := ctx.Err(); err != nil {
			outcome = err
			return nil
		}
		kv, meta := tx.Bucket(kvBucket), tx.Bucket(metaBucket)
		if err := checkConds(kv, conds); err != nil {
			var ce *store.ConflictError
			if errors.As(err, &ce) {
				outcome = ce
				return nil
			}
			return err
		}
		cur, err := decodeInt(meta.Get(revisionKey))
		if err != nil {
			return err
		}
		next := cur + 1
		for _, o := range ops {
			if o.Delete {
				if err := kv.Delete([]byte(o.Key)); err != nil {
					return err
				}
				continue
			}
			// bbolt keeps the slices until commit; these are fresh.
			v := make([]byte, 8+len(o.Value))
			binary.BigEndian.PutUint64(v, uint64(next))
			copy(v[8:], o.Value)
			if err := kv.Put([]byte(o.Key), v); err != nil {
				return err
			}
		}
		if err := meta.Put(revisionKey, encodeInt(next)); err != nil {
			return err
		}
		rev, wrote = next, true
		return nil
	}

	var err error
	if s.inflight.Add(1) == 1 {
		// Nobody to batch with: commit now rather than wait out the
		// batch delay. Callers arriving meanwhile batch among themselves.
		err = s.db.Update(apply)
	} else {
		err = s.db.Batch(apply)
	}
	s.inflight.Add(-1)
	switch {
	case err != nil && wrote:
		// apply succeeded, so the commit failed. bbolt may have written
		// the new meta page before failing (an fsync error, say), and
		// the file may or may not hold the transaction.
		return 0, fmt.Errorf("bolt: txn: commit to %q failed: %w: %w", s.path, store.ErrUnknownOutcome, err)
	case err != nil:
		return 0, fmt.Errorf("bolt: txn: %w", s.mapErr(err))
	case outcome == nil:
		return rev, nil
	case errors.Is(outcome, store.ErrConflict):
		return 0, outcome
	default:
		return 0, fmt.Errorf("bolt: txn: %w", outcome)
	}
}

// Close closes the file and releases its lock, after waiting for
// transactions in progress. Later calls to other methods fail with
// [store.ErrClosed]; later calls to Close return nil.
func (s *Store) Close() error {
	var err error
	s.close.Do(func() {
		s.closed.Store(true)
		if e := s.db.Close(); e != nil {
			err = fmt.Errorf("bolt: close %q: %w", s.path, e)
		}
	})
	return err
}

// usable returns the context's error or store.ErrClosed, if either.
func (s *Store) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return store.ErrClosed
	}
	return nil
}

// mapErr translates bbolt's "database not open" (a Close that raced with
// the call) into store.ErrClosed, and names the file on other failures.
func (s *Store) mapErr(err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrDatabaseNotOpen):
		return store.ErrClosed
	case errors.Is(err, store.ErrNotFound), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%q: %w", s.path, err)
}

// checkConds returns a *store.ConflictError for the first condition that
// does not hold in kv, or an error if an entry is damaged.
func checkConds(kv *bbolt.Bucket, conds []store.Cond) error {
	for _, c := range conds {
		k := []byte(c.Key)
		if c.Prefix {
			found, v := kv.Cursor().Seek(k)
			if found == nil || !bytes.HasPrefix(found, k) {
				continue
			}
			it, err := decodeItem(string(found), v, false)
			if err != nil {
				return err
			}
			return &store.ConflictError{Cond: c, Revision: it.Revision, Found: it.Key}
		}
		var rev int64
		if v := kv.Get(k); v != nil {
			it, err := decodeItem(c.Key, v, false)
			if err != nil {
				return err
			}
			rev = it.Revision
		}
		if rev != c.Revision {
			return &store.ConflictError{Cond: c, Revision: rev}
		}
	}
	return nil
}

// decodeItem parses a stored entry, copying the value out of bbolt's
// memory map if withValue is set.
func decodeItem(key string, v []byte, withValue bool) (store.Item, error) {
	if len(v) < 8 {
		return store.Item{}, fmt.Errorf("%w: entry %q is %d bytes, too short for its revision", ErrCorrupt, key, len(v))
	}
	it := store.Item{Key: key, Revision: int64(binary.BigEndian.Uint64(v))}
	if it.Revision <= 0 {
		return store.Item{}, fmt.Errorf("%w: entry %q has revision %d", ErrCorrupt, key, it.Revision)
	}
	if withValue {
		it.Value = bytes.Clone(v[8:])
	}
	return it, nil
}

func encodeInt(n int64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n))
}

func decodeInt(v []byte) (int64, error) {
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: counter is %d bytes, want 8", ErrCorrupt, len(v))
	}
	n := int64(binary.BigEndian.Uint64(v))
	if n < 0 {
		return 0, fmt.Errorf("%w: counter is negative (%d)", ErrCorrupt, n)
	}
	return n, nil
}
