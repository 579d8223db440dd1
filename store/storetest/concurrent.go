package storetest

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/carrierkit/carrierkit/store"
)

const workers = 8

// testConcurrentCAS has workers increment one counter by read, then
// compare-and-put, retrying on conflict. A lost update shows as a final
// count below workers*increments.
func testConcurrentCAS(t *testing.T, open opener) {
	const increments = 200
	s := fresh(t, open)
	ctx := t.Context()
	txn(t, s, nil, store.Put("counter", []byte("0")))

	revs := make([][]int64, workers) // each worker's successful revisions
	var conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range increments {
				for attempt := 0; ; attempt++ {
					if attempt == 100_000 {
						t.Errorf("worker %d: no progress after %d attempts", w, attempt)
						return
					}
					it, err := s.Get(ctx, "counter")
					if err != nil {
						t.Errorf("worker %d: Get: %v", w, err)
						return
					}
					n, err := strconv.Atoi(string(it.Value))
					if err != nil {
						t.Errorf("worker %d: counter value %q: %v", w, it.Value, err)
						return
					}
					rev, err := s.Txn(ctx,
						[]store.Cond{store.Unchanged("counter", it.Revision)},
						[]store.Op{store.Put("counter", []byte(strconv.Itoa(n+1)))})
					if err == nil {
						revs[w] = append(revs[w], rev)
						break
					}
					if !errors.Is(err, store.ErrConflict) {
						t.Errorf("worker %d: Txn: %v", w, err)
						return
					}
					conflicts.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%d conflicts retried", conflicts.Load())

	final := get(t, s, "counter")
	if got, want := string(final.Value), strconv.Itoa(workers*increments); got != want {
		t.Errorf("counter = %s, want %s: updates were lost", got, want)
	}
	var all []int64
	for w, rs := range revs {
		if !slices.IsSorted(rs) {
			t.Errorf("worker %d's successive transactions got decreasing revisions %v", w, rs)
		}
		all = append(all, rs...)
	}
	slices.Sort(all)
	if n := len(slices.Compact(slices.Clone(all))); n != len(all) {
		t.Errorf("%d successful transactions share %d revisions", len(all), n)
	}
	if last := all[len(all)-1]; final.Revision != last {
		t.Errorf("counter revision = %d, want the last successful revision %d", final.Revision, last)
	}
}

// testConcurrentCreate races workers to create the same key with an Absent
// condition, and checks that concurrent unconditional writers get distinct
// revisions, each stamped on its key.
func testConcurrentCreate(t *testing.T, open opener) {
	s := fresh(t, open)
	ctx := t.Context()
	for round := range 20 {
		key := "race/" + strconv.Itoa(round)
		win, revs, errs := race(t, round, func(w int) (int64, error) {
			return s.Txn(ctx, []store.Cond{store.Absent(key)}, []store.Op{store.Put(key, []byte(strconv.Itoa(w)))})
		})
		for w, err := range errs {
			if w == win {
				continue
			}
			var ce *store.ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("round %d: loser %d: %v, want a *ConflictError", round, w, err)
			}
			if ce.Revision != revs[win] {
				t.Errorf("round %d: loser %d: ConflictError.Revision = %d, want the winner's %d", round, w, ce.Revision, revs[win])
			}
		}
		if got := get(t, s, key); string(got.Value) != strconv.Itoa(win) || got.Revision != revs[win] {
			t.Errorf("round %d: stored %+v, want worker %d's value at revision %d", round, got, win, revs[win])
		}
	}

	// Unconditional writers of distinct keys: every transaction gets its
	// own revision, greater than any completed before it began.
	const perWorker = 50
	before := current(t, s)
	var wg sync.WaitGroup
	revs := make([][]int64, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				k := "distinct/" + strconv.Itoa(w) + "/" + strconv.Itoa(i)
				rev, err := s.Txn(ctx, nil, []store.Op{store.Put(k, nil)})
				if err != nil {
					t.Errorf("Txn: %v", err)
					return
				}
				revs[w] = append(revs[w], rev)
			}
		})
	}
	wg.Wait()
	var all []int64
	for w, rs := range revs {
		if len(rs) == 0 || rs[0] <= before || !slices.IsSorted(rs) {
			t.Errorf("worker %d: revisions %v, want increasing and > %d", w, rs, before)
		}
		all = append(all, rs...)
	}
	slices.Sort(all)
	if n := len(slices.Compact(slices.Clone(all))); n != len(all) {
		t.Fatalf("%d concurrent transactions share %d revisions", len(all), n)
	}
	if after := txn(t, s, nil, store.Put("after", nil)); after <= all[len(all)-1] {
		t.Errorf("a write after all others got revision %d, want > %d", after, all[len(all)-1])
	}
	for w, rs := range revs {
		for i, r := range rs {
			k := "distinct/" + strconv.Itoa(w) + "/" + strconv.Itoa(i)
			if got := get(t, s, k); got.Revision != r {
				t.Fatalf("%q has revision %d, its Txn returned %d", k, got.Revision, r)
			}
		}
	}
}

// race starts txn(w) for every worker w at once and returns the one worker
// whose transaction succeeded, failing the test unless exactly one did,
// with every worker's revision and error.
func race(t *testing.T, round int, txn func(w int) (int64, error)) (win int, revs [workers]int64, errs [workers]error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			<-start
			revs[w], errs[w] = txn(w)
		})
	}
	close(start)
	wg.Wait()
	var winners []int
	for w, err := range errs {
		if err == nil {
			winners = append(winners, w)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("round %d: %d racing transactions succeeded, want exactly 1 (errors %v)", round, len(winners), errs)
	}
	return winners[0], revs, errs
}

// testConcurrentPrefixCreate races workers to create distinct keys under one
// prefix, each on condition that nothing exists under the prefix: a backend
// that checks the prefix without blocking phantoms lets several win.
func testConcurrentPrefixCreate(t *testing.T, open opener) {
	s := fresh(t, open)
	ctx := t.Context()
	for round := range 20 {
		prefix := "claim/" + strconv.Itoa(round) + "/"
		win, revs, errs := race(t, round, func(w int) (int64, error) {
			return s.Txn(ctx, []store.Cond{store.NoneWithPrefix(prefix)}, []store.Op{store.Put(prefix+strconv.Itoa(w), nil)})
		})
		winKey := prefix + strconv.Itoa(win)
		for w, err := range errs {
			if w == win {
				continue
			}
			var ce *store.ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("round %d: loser %d: %v, want a *ConflictError", round, w, err)
			}
			if ce.Found != winKey || ce.Revision != revs[win] {
				t.Errorf("round %d: loser %d: Found %q at %d, want the winner's %q at %d", round, w, ce.Found, ce.Revision, winKey, revs[win])
			}
		}
		items := list(t, s, prefix)
		if len(items) != 1 || items[0].Key != winKey {
			t.Errorf("round %d: List(%q) = %v, want only %q", round, prefix, items, winKey)
		}
	}
}

// testConcurrentList lists while a writer runs transactions, and checks that
// every listing is one consistent snapshot: a token moved between two keys
// is seen exactly once, and keys always rewritten together carry one value
// and one revision.
func testConcurrentList(t *testing.T, open opener) {
	const (
		rounds  = 200
		readers = 3
		group   = 10
	)
	s := fresh(t, open)
	ctx := t.Context()
	groupKey := func(i int) string { return "snap/" + strconv.Itoa(i) }
	ops := []store.Op{store.Put("tok/a", nil)}
	for i := range group {
		ops = append(ops, store.Put(groupKey(i), []byte("0")))
	}
	txn(t, s, nil, ops...)

	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		defer done.Store(true)
		from, to := "tok/a", "tok/b"
		for r := 1; r <= rounds; r++ {
			ops := []store.Op{store.Delete(from), store.Put(to, nil)}
			for i := range group {
				ops = append(ops, store.Put(groupKey(i), []byte(strconv.Itoa(r))))
			}
			if _, err := s.Txn(ctx, nil, ops); err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			from, to = to, from
		}
	})
	for range readers {
		wg.Go(func() {
			for n := 0; n == 0 || !done.Load(); n++ {
				var toks []string
				if err := s.List(ctx, "tok/", func(it store.Item) error {
					toks = append(toks, it.Key)
					return nil
				}); err != nil {
					t.Errorf("List: %v", err)
					return
				}
				if len(toks) != 1 {
					t.Errorf("listing %d saw tokens %q, want exactly one", n, toks)
					return
				}
				var items []store.Item
				if err := s.List(ctx, "snap/", func(it store.Item) error {
					items = append(items, it)
					return nil
				}); err != nil {
					t.Errorf("List: %v", err)
					return
				}
				if len(items) != group {
					t.Errorf("listing %d saw %d grouped keys, want %d", n, len(items), group)
					return
				}
				for _, it := range items[1:] {
					if !bytes.Equal(it.Value, items[0].Value) || it.Revision != items[0].Revision {
						t.Errorf("listing %d mixes writes: %q=%q@%d and %q=%q@%d",
							n, items[0].Key, items[0].Value, items[0].Revision, it.Key, it.Value, it.Revision)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
