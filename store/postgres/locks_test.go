package postgres

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

// lockSet returns l's locks as id -> exclusive.
func lockSet(l locks) map[int64]bool {
	m := make(map[int64]bool, len(l.ids))
	for i, id := range l.ids {
		m[id] = l.exclusive[i]
	}
	return m
}

// excludes reports whether transactions holding a and b cannot run at once:
// they share a lock that one of them holds exclusively.
func excludes(a, b locks) bool {
	mb := lockSet(b)
	for id, xa := range lockSet(a) {
		if xb, ok := mb[id]; ok && (xa || xb) {
			return true
		}
	}
	return false
}

func TestTxnLocks(t *testing.T) {
	put := func(k string) []store.Op { return []store.Op{store.Put(k, nil)} }
	tests := []struct {
		name   string
		aConds []store.Cond
		aOps   []store.Op
		bConds []store.Cond
		bOps   []store.Op
		want   bool
	}{
		{name: "same key written", aOps: put("k"), bOps: put("k"), want: true},
		{name: "key written and deleted", aOps: put("k"), bOps: []store.Op{store.Delete("k")}, want: true},
		{name: "different keys written", aOps: put("pool/a/1"), bOps: put("pool/a/2"), want: false},
		{name: "absent and written", aConds: []store.Cond{store.Absent("k")}, aOps: put("x"), bOps: put("k"), want: true},
		{name: "unchanged and written", aConds: []store.Cond{store.Unchanged("k", 3)}, aOps: put("x"), bOps: put("k"), want: true},
		{name: "both only read one key", aConds: []store.Cond{store.Absent("k")}, aOps: put("x"), bConds: []store.Cond{store.Absent("k")}, bOps: put("y"), want: false},
		{name: "prefix and a key under it", aConds: []store.Cond{store.NoneWithPrefix("pool/a/0101")}, aOps: put("x"), bOps: put("pool/a/010111"), want: true},
		{name: "prefix and the key equal to it", aConds: []store.Cond{store.NoneWithPrefix("pool/a/0101")}, aOps: put("x"), bOps: put("pool/a/0101"), want: true},
		{name: "prefix and a key outside it", aConds: []store.Cond{store.NoneWithPrefix("pool/a/0101")}, aOps: put("x"), bOps: put("pool/b/0101"), want: false},
		{name: "two prefix conditions", aConds: []store.Cond{store.NoneWithPrefix("pool/a/")}, aOps: put("x"), bConds: []store.Cond{store.NoneWithPrefix("pool/a/")}, bOps: put("y"), want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := txnLocks("s", tt.aConds, tt.aOps)
			b := txnLocks("s", tt.bConds, tt.bOps)
			if got := excludes(a, b); got != tt.want {
				t.Errorf("excludes = %v, want %v", got, tt.want)
			}
			for _, l := range []locks{a, b} {
				if !slices.IsSorted(l.ids) || len(slices.Compact(slices.Clone(l.ids))) != len(l.ids) {
					t.Errorf("lock ids %v are not sorted and distinct", l.ids)
				}
			}
		})
	}

	t.Run("schemas are independent", func(t *testing.T) {
		if excludes(txnLocks("s1", nil, put("k")), txnLocks("s2", nil, put("k"))) {
			t.Error("writers of one key in two schemas exclude each other")
		}
	})
	t.Run("too many locks", func(t *testing.T) {
		var ops []store.Op
		for i := range maxLocks {
			ops = append(ops, store.Put("k/"+strconv.Itoa(i), nil))
		}
		big := txnLocks("s", nil, ops)
		if len(big.ids) != 1 || !big.exclusive[0] {
			t.Fatalf("a transaction over maxLocks takes %d locks, want 1 exclusive", len(big.ids))
		}
		if !excludes(big, txnLocks("s", nil, put("unrelated"))) {
			t.Error("the single lock of a big transaction does not exclude other writers")
		}
	})
}

// FuzzTxnLocks checks that a prefix condition excludes every writer of a
// key under the prefix.
func FuzzTxnLocks(f *testing.F) {
	f.Add("pool/a/0101", "pool/a/010111")
	f.Add("abc", "abcd")
	f.Add("a", "a")
	f.Fuzz(func(t *testing.T, prefix, key string) {
		if prefix == "" || !strings.HasPrefix(key, prefix) {
			return
		}
		cond := txnLocks("s", []store.Cond{store.NoneWithPrefix(prefix)}, []store.Op{store.Put("elsewhere", nil)})
		writer := txnLocks("s", nil, []store.Op{store.Put(key, nil)})
		if !excludes(cond, writer) {
			t.Errorf("a condition on prefix %q does not exclude a writer of %q", prefix, key)
		}
	})
}

// TestPrefixExclusion has workers write bit-string keys under one parent,
// each on condition that no key starts with its own. Keys are never
// overwritten or deleted, so the condition of the write at revision r held
// only if every key under its key has a later revision. Lengths vary, so that
// the prefix locks' rounding is crossed, and one worker's transactions are
// too big for fine-grained locks.
func TestPrefixExclusion(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, _ := openFresh(t, dsn, WithMaxConns(8))
	ctx := t.Context()
	const (
		base    = "net/"
		workers = 8
		writes  = 200
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for range writes {
				bits := make([]byte, 1+rng.IntN(10))
				for i := range bits {
					bits[i] = '0' + byte(rng.IntN(2))
				}
				key := base + string(bits)
				ops := []store.Op{store.Put(key, nil)}
				if w == 0 { // big enough to fall back to one lock
					for i := range maxLocks {
						ops = append(ops, store.Put("filler/"+strconv.Itoa(i), nil))
					}
				}
				_, err := s.Txn(ctx, []store.Cond{store.NoneWithPrefix(key)}, ops)
				if err != nil && !errors.Is(err, store.ErrConflict) {
					t.Errorf("Txn: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	var held []store.Item
	if err := s.List(ctx, base, func(it store.Item) error {
		held = append(held, it)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d keys held", len(held))
	for i, it := range held {
		for _, under := range held[i+1:] {
			if !strings.HasPrefix(under.Key, it.Key) {
				break
			}
			if under.Revision < it.Revision {
				t.Errorf("%q was written at revision %d on condition that no key starts with it, but %q has revision %d",
					it.Key, it.Revision, under.Key, under.Revision)
			}
		}
	}
}
