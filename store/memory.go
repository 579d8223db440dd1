package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/internal/ordmap"
)

// Memory is a [Store] that keeps everything in memory. It is not durable:
// its contents are lost when it is closed or the process exits. It is meant
// for tests, examples and programs that keep no state between runs.
// Revisions have no gaps: the nth writing transaction gets revision n.
//
// Memory is safe for concurrent use by multiple goroutines. Reads ([Memory.Get],
// [Memory.List] and transactions without operations) share a lock; writing
// transactions take it exclusively, one at a time. A [Memory.List] holds the
// shared lock while it calls its function, so a slow function delays
// writers (and, queued behind them, other callers).
//
// Items live in one B+ tree ordered by key, so Get, each condition and each
// operation cost O(log n) and List and prefix conditions are ordered scans.
// (A tree alone beat a hash map plus a tree: with millions of keys, growing
// and missing cache in the hash map cost more than the tree's lookups.)
//
// Create a Memory with [NewMemory]. A Memory must not be copied after first
// use.
type Memory struct {
	mu     sync.RWMutex
	closed bool
	rev    int64             // the revision of the last writing transaction
	items  ordmap.Map[entry] // by key
}

// entry is a stored value and the revision that wrote it. Its value is
// private to the store and never changes once stored.
type entry struct {
	value []byte
	rev   int64
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store at revision 0.
func NewMemory() *Memory {
	return &Memory{}
}

// Get returns a copy of the item stored under key. Errors wrap [ErrNotFound],
// [ErrInvalid], [ErrClosed], or the context's error.
func (m *Memory) Get(ctx context.Context, key string) (Item, error) {
	if err := CheckKey(key); err != nil {
		return Item{}, err
	}
	if err := ctx.Err(); err != nil {
		return Item{}, fmt.Errorf("store: get %q: %w", key, err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return Item{}, fmt.Errorf("store: get %q: %w", key, ErrClosed)
	}
	e, ok := m.items.Get(key)
	if !ok {
		// Misses are routine (callers probe before creating), so the
		// error is formatted only if someone reads it.
		return Item{}, &keyError{op: "get", key: key, err: ErrNotFound}
	}
	return Item{Key: key, Value: clone(e.value), Revision: e.rev}, nil
}

// List calls fn with a copy of every item whose key starts with prefix, in
// ascending key order. It holds the store's shared lock throughout, which
// makes the listing a consistent snapshot and is why fn must not call back
// into the store. It checks ctx every few hundred items. Errors are fn's
// error unchanged, or wrap [ErrInvalid], [ErrClosed], or the context's
// error.
func (m *Memory) List(ctx context.Context, prefix string, fn func(Item) error) error {
	if prefix != "" {
		if err := CheckKey(prefix); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: list %q: %w", prefix, err)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return fmt.Errorf("store: list %q: %w", prefix, ErrClosed)
	}
	n := 0
	for k, e := range m.items.Ascend(prefix) {
		if !strings.HasPrefix(k, prefix) {
			break
		}
		if n++; n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("store: list %q: %w", prefix, err)
			}
		}
		if err := fn(Item{Key: k, Value: clone(e.value), Revision: e.rev}); err != nil {
			return err
		}
	}
	return nil
}

// Txn checks conds and, if all hold, applies ops under one new revision; see
// [Store.Txn]. Values are copied, so the caller may reuse ops afterwards.
// Errors are a [*ConflictError], or wrap [ErrInvalid], [ErrClosed], or the
// context's error; in every error case nothing was written.
func (m *Memory) Txn(ctx context.Context, conds []Cond, ops []Op) (int64, error) {
	if err := CheckTxn(conds, ops); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("store: txn: %w", err)
	}
	if len(ops) == 0 {
		m.mu.RLock()
		defer m.mu.RUnlock()
		if m.closed {
			return 0, fmt.Errorf("store: txn: %w", ErrClosed)
		}
		if err := m.check(conds); err != nil {
			return 0, err
		}
		return m.rev, nil
	}

	slab := copyValues(ops) // outside the lock
	// Short transactions (the usual case) keep their bookkeeping on the
	// stack.
	var valsBuf [16][]byte
	var byInsertBuf [32]int
	var insertedBuf [16]bool
	vals := valsBuf[:0]
	if len(ops) > len(valsBuf) {
		vals = make([][]byte, 0, len(ops))
	}
	vals = vals[:len(ops)]
	for i, o := range ops {
		if !o.Delete {
			n := len(o.Value)
			vals[i], slab = slab[:n:n], slab[n:]
		}
	}
	// A condition that a key be absent, on a key this Txn puts, is checked
	// by inserting the key: one descent of the tree instead of two.
	byInsert := byInsertBuf[:0] // op index + 1, or 0
	if len(conds) > len(byInsertBuf) {
		byInsert = make([]int, 0, len(conds))
	}
	byInsert = byInsert[:len(conds)]
	for ci, c := range conds {
		if c.Prefix || c.Revision != 0 {
			continue
		}
		for oi, o := range ops {
			if o.Key == c.Key && !o.Delete {
				byInsert[ci] = oi + 1
				break
			}
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, fmt.Errorf("store: txn: %w", ErrClosed)
	}
	// Waiting for the lock may have taken a while.
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("store: txn: %w", err)
	}
	if err := m.checkExcept(conds, byInsert); err != nil {
		return 0, err
	}
	rev := m.rev + 1
	inserted := insertedBuf[:0]
	if len(ops) > len(insertedBuf) {
		inserted = make([]bool, 0, len(ops))
	}
	inserted = inserted[:len(ops)]
	for ci, oi := range byInsert {
		if oi == 0 {
			continue
		}
		o := ops[oi-1]
		if present, ok := m.items.Insert(o.Key, entry{value: vals[oi-1], rev: rev}); !ok {
			// Undo the inserts before it: nothing is written.
			for i, done := range inserted {
				if done {
					m.items.Delete(ops[i].Key)
				}
			}
			return 0, &ConflictError{Cond: conds[ci], Revision: present.rev}
		}
		inserted[oi-1] = true
	}
	m.rev = rev
	for i, o := range ops {
		switch {
		case inserted[i]:
		case o.Delete:
			m.items.Delete(o.Key)
		default:
			m.items.Set(o.Key, entry{value: vals[i], rev: rev})
		}
	}
	return m.rev, nil
}

// checkExcept checks the conditions not marked in skip, in order. skip may
// be nil.
func (m *Memory) checkExcept(conds []Cond, skip []int) error {
	for i := range conds {
		if skip != nil && skip[i] != 0 {
			continue
		}
		if err := m.check(conds[i : i+1]); err != nil {
			// An earlier condition left to the inserts may fail too;
			// the first failed condition is the one to report.
			for j := range i {
				if skip[j] != 0 {
					if err := m.check(conds[j : j+1]); err != nil {
						return err
					}
				}
			}
			return err
		}
	}
	return nil
}

func (m *Memory) check(conds []Cond) error {
	for _, c := range conds {
		if c.Prefix {
			if k, e, ok := m.items.Seek(c.Key); ok && strings.HasPrefix(k, c.Key) {
				return &ConflictError{Cond: c, Revision: e.rev, Found: k}
			}
			continue
		}
		var rev int64
		if e, ok := m.items.Get(c.Key); ok {
			rev = e.rev
		}
		if rev != c.Revision {
			return &ConflictError{Cond: c, Revision: rev}
		}
	}
	return nil
}

// Close discards the contents. Later calls fail with [ErrClosed]; Close
// itself always returns nil.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.items = ordmap.Map[entry]{}
	return nil
}

// copyValues returns one new slice holding the put values of ops, in order.
func copyValues(ops []Op) []byte {
	total := 0
	for _, o := range ops {
		if !o.Delete {
			total += len(o.Value)
		}
	}
	slab := make([]byte, 0, total)
	for _, o := range ops {
		if !o.Delete {
			slab = append(slab, o.Value...)
		}
	}
	return slab
}

// keyError is the error "store: <op> <quoted key>: <err>", built cheaply.
type keyError struct {
	op, key string
	err     error
}

func (e *keyError) Error() string {
	return "store: " + e.op + " " + strconv.Quote(e.key) + ": " + e.err.Error()
}

func (e *keyError) Unwrap() error { return e.err }

// clone returns a copy of b that the caller owns; it is never nil.
func clone(b []byte) []byte {
	return append(make([]byte, 0, len(b)), b...)
}
