package store

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Store is the persistence contract every backend implements: a sorted map of
// string keys to byte values, with compare-and-put transactions.
//
// Every successful [Store.Txn] that writes takes a new revision from a
// store-wide counter — unique, and greater than any revision of a write that
// had completed when the Txn began (backends may leave gaps) — and stamps
// each key it writes with it, so a key's [Item.Revision] identifies the write
// that produced it. Preconditions ([Cond]) on revisions give optimistic
// concurrency: two writers that read the same revision cannot both succeed.
//
// Implementations are safe for concurrent use by multiple goroutines.
type Store interface {
	// Get returns the item stored under key. It returns an error wrapping
	// [ErrNotFound] when there is none, [ErrInvalid] for a bad key and
	// [ErrClosed] after Close.
	Get(ctx context.Context, key string) (Item, error)

	// List calls fn for every item whose key starts with prefix, in ascending
	// key order, from one consistent snapshot. An empty prefix lists
	// everything. fn may keep the Item it is given but must not call back
	// into the store. List stops at, and returns, the first error fn
	// returns.
	List(ctx context.Context, prefix string, fn func(Item) error) error

	// Txn checks every condition and, only if all hold, applies every
	// operation, atomically. It returns the revision the write was stamped
	// with (when ops is empty, a revision at least that of every write
	// completed before the call). When a condition does
	// not hold nothing is written and the error is a [*ConflictError]
	// (wrapping [ErrConflict]) naming the first failed condition's key. When
	// Txn returns nil error the change is as durable as the backend
	// promises (see each backend's documentation); when it returns any
	// other error nothing was written, except that an error wrapping
	// [ErrUnknownOutcome] (a network store that lost its connection while
	// committing) means the write may or may not have happened. Txn keeps
	// no reference to conds, ops or their values once it returns, so
	// callers may reuse them.
	Txn(ctx context.Context, conds []Cond, ops []Op) (int64, error)

	// Close releases the store's resources. Calls after Close fail with
	// [ErrClosed]; Close itself is idempotent.
	Close() error
}

// Item is one stored key with its value and the revision that wrote it.
type Item struct {
	Key      string
	Value    []byte
	Revision int64 // > 0 for a stored item
}

// Cond is a precondition of [Store.Txn]. Its meaning depends on its fields:
//
//   - Prefix false, Revision 0: Key must not exist.
//   - Prefix false, Revision > 0: Key must exist with exactly that revision.
//   - Prefix true: no key starting with Key may exist (Revision must be 0).
//     Backends check this atomically with the write, phantoms included.
type Cond struct {
	Key      string
	Revision int64
	Prefix   bool
}

// Absent is the condition that key does not exist.
func Absent(key string) Cond { return Cond{Key: key} }

// Unchanged is the condition that key still has the revision rev.
func Unchanged(key string, rev int64) Cond { return Cond{Key: key, Revision: rev} }

// NoneWithPrefix is the condition that no key starts with prefix.
func NoneWithPrefix(prefix string) Cond { return Cond{Key: prefix, Prefix: true} }

// Op is a write of [Store.Txn]: a put of Value under Key, or a delete when
// Delete is set. Deleting a key that does not exist is not an error.
type Op struct {
	Key    string
	Value  []byte
	Delete bool
}

// Put returns the operation that stores value under key.
func Put(key string, value []byte) Op { return Op{Key: key, Value: value} }

// Delete returns the operation that removes key.
func Delete(key string) Op { return Op{Key: key, Delete: true} }

// Sentinel errors. Backends wrap them; callers test with [errors.Is].
var (
	// ErrNotFound: the key does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a transaction's condition did not hold; nothing was written.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: a key, condition or operation is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrClosed: the store has been closed.
	ErrClosed = errors.New("store closed")
	// ErrUnknownOutcome: the store could not learn whether a write
	// committed (the connection to a database was lost during the commit).
	// The write may still become visible a moment later, so find out by
	// retrying with conditions that tell (idempotent writers simply retry)
	// rather than by one read. An error may wrap both this and a context
	// error; test for this one first.
	ErrUnknownOutcome = errors.New("outcome unknown")
)

// ConflictError reports the condition of a transaction that did not hold.
// It wraps [ErrConflict].
type ConflictError struct {
	Cond Cond
	// Revision is the revision Key had when the condition was checked, 0 if
	// it did not exist. For a prefix condition it is the revision of the
	// first key found under the prefix, and Found is that key.
	Revision int64
	Found    string
}

// Error describes the failed condition and what the store found.
func (e *ConflictError) Error() string {
	switch {
	case e.Cond.Prefix:
		return fmt.Sprintf("store: conflict: key %q exists under prefix %q", e.Found, e.Cond.Key)
	case e.Cond.Revision == 0:
		return fmt.Sprintf("store: conflict: key %q exists (revision %d)", e.Cond.Key, e.Revision)
	case e.Revision == 0:
		return fmt.Sprintf("store: conflict: key %q does not exist, want revision %d", e.Cond.Key, e.Cond.Revision)
	default:
		return fmt.Sprintf("store: conflict: key %q has revision %d, want %d", e.Cond.Key, e.Revision, e.Cond.Revision)
	}
}

// Unwrap returns [ErrConflict].
func (e *ConflictError) Unwrap() error { return ErrConflict }

// MaxKeyLen is the longest key, in bytes, that every backend accepts.
const MaxKeyLen = 1024

// CheckKey reports whether key is acceptable to every backend: non-empty, at
// most [MaxKeyLen] bytes, valid UTF-8 and free of NUL bytes. The error wraps
// [ErrInvalid] and quotes the key. Backends call it; callers may too.
func CheckKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("store: empty key: %w", ErrInvalid)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("store: key %.40q… is %d bytes, longer than %d: %w", key, len(key), MaxKeyLen, ErrInvalid)
	case !utf8.ValidString(key):
		return fmt.Errorf("store: key %q is not valid UTF-8: %w", key, ErrInvalid)
	}
	for i := 0; i < len(key); i++ {
		if key[i] == 0 {
			return fmt.Errorf("store: key %q contains a NUL byte: %w", key, ErrInvalid)
		}
	}
	return nil
}

// CheckTxn validates the shape of a transaction's conditions and operations
// with [CheckKey] and the rules of [Cond]. Backends call it before doing
// anything, so a malformed transaction never reaches storage.
func CheckTxn(conds []Cond, ops []Op) error {
	for _, c := range conds {
		if err := CheckKey(c.Key); err != nil {
			return err
		}
		if c.Revision < 0 {
			return fmt.Errorf("store: condition on %q has negative revision %d: %w", c.Key, c.Revision, ErrInvalid)
		}
		if c.Prefix && c.Revision != 0 {
			return fmt.Errorf("store: prefix condition on %q has a revision: %w", c.Key, ErrInvalid)
		}
	}
	var seen map[string]struct{} // only for long transactions; short ones scan
	if len(ops) > 16 {
		seen = make(map[string]struct{}, len(ops))
	}
	for i, o := range ops {
		if err := CheckKey(o.Key); err != nil {
			return err
		}
		dup := false
		if seen != nil {
			_, dup = seen[o.Key]
			seen[o.Key] = struct{}{}
		} else {
			for _, p := range ops[:i] {
				dup = dup || p.Key == o.Key
			}
		}
		if dup {
			return fmt.Errorf("store: key %q written twice in one transaction: %w", o.Key, ErrInvalid)
		}
	}
	return nil
}
