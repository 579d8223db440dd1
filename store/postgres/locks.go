package postgres

import (
	"cmp"
	"hash/fnv"
	"slices"

	"github.com/carrierkit/carrierkit/store"
)

// A writing transaction takes PostgreSQL advisory locks, transaction-scoped,
// on what its conditions read and its operations write, before it reads
// anything; see the package documentation (# Isolation) for why that makes
// READ COMMITTED enough. Locks live in two namespaces, each hashed to 64
// bits together with the schema's name:
//
//   - key locks, on whole keys: exclusive for each key written, shared for
//     each exact condition (absent or at a revision);
//   - prefix locks, on leading parts of keys: shared, for each key written,
//     on its first n bytes for every n that is a multiple of lockStride (0
//     included); exclusive, for each prefix condition on P, on the first
//     len(P) rounded down to a multiple of lockStride bytes of P.
//
// A writer of a key that starts with P shares exactly the prefix lock that a
// condition on P holds exclusively, so the two exclude each other. The
// rounding makes a prefix condition also exclude writers of keys that share
// only its rounded-down part (false sharing, which costs waiting, never
// correctness), and keeps the number of locks a writer takes near
// len(key)/lockStride.
const lockStride = 4

// maxLocks caps the locks of one transaction. PostgreSQL keeps locks in a
// shared table of max_locks_per_transaction * max_connections entries (6,400
// by default), and a transaction that cannot find room fails. A transaction
// that would need more takes one exclusive lock instead: the prefix lock on
// the empty prefix, which every writer shares, so it runs alone.
const maxLocks = 128

// Lock namespaces.
const (
	nsKey    = 'k'
	nsPrefix = 'p'
)

// locks are the advisory locks of a transaction as lockSQL's parameters:
// sorted by id, each id once (exclusive if any request for it was).
type locks struct {
	ids       []int64
	exclusive []bool
}

// lockSQL takes the locks in the order given. Every transaction takes its
// locks in ascending id order, in one statement, before it touches a row, so
// transactions that wait for each other's locks cannot deadlock.
const lockSQL = `SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(id) ELSE pg_advisory_xact_lock_shared(id) END)
FROM unnest($1::int8[], $2::bool[]) AS l(id, x)`

type lockRequest struct {
	id        int64
	exclusive bool
}

// txnLocks returns the locks of a transaction of the store in schema.
func txnLocks(schema string, conds []store.Cond, ops []store.Op) locks {
	var reqs []lockRequest
	add := func(ns byte, s string, exclusive bool) {
		h := fnv.New64a()
		h.Write([]byte(schema))
		h.Write([]byte{0, ns})
		h.Write([]byte(s))
		reqs = append(reqs, lockRequest{id: int64(h.Sum64()), exclusive: exclusive})
	}
	for _, o := range ops {
		add(nsKey, o.Key, true)
		for n := 0; n <= len(o.Key); n += lockStride {
			add(nsPrefix, o.Key[:n], false)
		}
	}
	for _, c := range conds {
		if c.Prefix {
			add(nsPrefix, c.Key[:len(c.Key)/lockStride*lockStride], true)
		} else {
			add(nsKey, c.Key, false)
		}
	}
	// Exclusive requests sort first, so Compact keeps them.
	slices.SortFunc(reqs, func(a, b lockRequest) int {
		if c := cmp.Compare(a.id, b.id); c != 0 {
			return c
		}
		return -cmp.Compare(b2i(a.exclusive), b2i(b.exclusive))
	})
	reqs = slices.CompactFunc(reqs, func(a, b lockRequest) bool { return a.id == b.id })
	if len(reqs) > maxLocks {
		reqs = reqs[:0]
		add(nsPrefix, "", true)
	}
	l := locks{ids: make([]int64, len(reqs)), exclusive: make([]bool, len(reqs))}
	for i, r := range reqs {
		l.ids[i], l.exclusive[i] = r.id, r.exclusive
	}
	return l
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
