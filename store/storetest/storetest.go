package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/store"
)

// Run runs the conformance suite against the stores that open returns, as
// parallel subtests of t.
//
// Each test calls open with its own *testing.T, which open may use for
// [testing.T.TempDir] and [testing.T.Cleanup], and expects an empty store.
// The suite closes every store it opens, so open must not close it on
// cleanup as well unless Close is idempotent (as the contract requires).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, open opener)
	}{
		{"Get", testGet},
		{"PutGet", testPutGet},
		{"Revision", testRevision},
		{"Cond", testCond},
		{"Atomicity", testAtomicity},
		{"Delete", testDelete},
		{"List", testList},
		{"Copy", testCopy},
		{"Invalid", testInvalid},
		{"Closed", testClosed},
		{"Canceled", testCanceled},
		{"ConcurrentCAS", testConcurrentCAS},
		{"ConcurrentCreate", testConcurrentCreate},
		{"ConcurrentPrefixCreate", testConcurrentPrefixCreate},
		{"ConcurrentList", testConcurrentList},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open)
		})
	}
}

type opener = func(t *testing.T) store.Store

// fresh opens a store for t and closes it when t ends.
func fresh(t *testing.T, open opener) store.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("open returned a nil store")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// txn runs a transaction that must succeed and returns its revision.
func txn(t *testing.T, s store.Store, conds []store.Cond, ops ...store.Op) int64 {
	t.Helper()
	rev, err := s.Txn(t.Context(), conds, ops)
	if err != nil {
		t.Fatalf("Txn(%v, %v): %v", conds, ops, err)
	}
	return rev
}

// put stores each key with the value "v:" + key, one transaction per key,
// and returns the revision of each.
func put(t *testing.T, s store.Store, keys ...string) map[string]int64 {
	t.Helper()
	revs := make(map[string]int64, len(keys))
	for _, k := range keys {
		revs[k] = txn(t, s, nil, store.Put(k, valueOf(k)))
	}
	return revs
}

func valueOf(key string) []byte { return []byte("v:" + key) }

// current returns the revision a transaction without operations reports:
// at least that of every write completed before.
func current(t *testing.T, s store.Store) int64 {
	t.Helper()
	return txn(t, s, nil)
}

func get(t *testing.T, s store.Store, key string) store.Item {
	t.Helper()
	it, err := s.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return it
}

func wantNotFound(t *testing.T, s store.Store, key string) {
	t.Helper()
	it, err := s.Get(t.Context(), key)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%q) = %+v, %v; want an error wrapping ErrNotFound", key, it, err)
	}
}

func list(t *testing.T, s store.Store, prefix string) []store.Item {
	t.Helper()
	var items []store.Item
	err := s.List(t.Context(), prefix, func(it store.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return items
}

// byteValues compares values with [bytes.Equal]: fast on large values, and
// nil equals empty, since the contract does not say which an empty value
// reads back as.
func byteValues() cmp.Option { return cmp.Comparer(bytes.Equal) }

func testGet(t *testing.T, open opener) {
	s := fresh(t, open)
	wantNotFound(t, s, "missing")
	rev := txn(t, s, nil, store.Put("a/b", []byte("x")))
	tests := []struct {
		name   string
		key    string
		want   store.Item
		reason string
	}{
		{name: "stored", key: "a/b", want: store.Item{Key: "a/b", Value: []byte("x"), Revision: rev}},
		{name: "prefix of a key", key: "a", reason: "Get is an exact lookup"},
		{name: "extension of a key", key: "a/bc"},
		{name: "never stored", key: "zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Get(t.Context(), tt.key)
			if tt.want.Key == "" {
				if !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("Get(%q) = %+v, %v; want ErrNotFound (%s)", tt.key, got, err, tt.reason)
				}
				if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrInvalid) || errors.Is(err, store.ErrClosed) {
					t.Errorf("Get(%q) error %v matches another sentinel too", tt.key, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get(%q): %v", tt.key, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Get(%q) (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}

func testPutGet(t *testing.T, open opener) {
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	tests := []struct {
		name  string
		key   string
		value []byte
	}{
		{name: "nil value", key: "k", value: nil},
		{name: "empty value", key: "k", value: []byte{}},
		{name: "text", key: "k", value: []byte("hello")},
		{name: "binary", key: "k", value: []byte{0, 0xff, 0, 1, '\n'}},
		{name: "one MiB", key: "k", value: big},
		{name: "longest key", key: strings.Repeat("k", store.MaxKeyLen), value: []byte("x")},
		{name: "multibyte key", key: "vlan/€/日本/🙂", value: []byte("x")},
		{name: "odd characters", key: " \t\x01/../%00~\x7f", value: []byte("x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t, open)
			before := current(t, s)
			rev := txn(t, s, nil, store.Put(tt.key, tt.value))
			if rev <= before || rev <= 0 {
				t.Errorf("Txn revision = %d, want > %d and > 0", rev, before)
			}
			want := store.Item{Key: tt.key, Value: tt.value, Revision: rev}
			if diff := cmp.Diff(want, get(t, s, tt.key), byteValues()); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]store.Item{want}, list(t, s, ""), byteValues()); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}

			// Overwrite.
			rev2 := txn(t, s, []store.Cond{store.Unchanged(tt.key, rev)}, store.Put(tt.key, []byte("second")))
			want = store.Item{Key: tt.key, Value: []byte("second"), Revision: rev2}
			if diff := cmp.Diff(want, get(t, s, tt.key)); diff != "" {
				t.Errorf("Get after overwrite (-want +got):\n%s", diff)
			}
		})
	}
}

func testRevision(t *testing.T, open opener) {
	s := fresh(t, open)
	r0 := current(t, s)
	if r0 < 0 {
		t.Fatalf("revision of an empty store = %d", r0)
	}

	r1 := txn(t, s, nil, store.Put("a", []byte("1")), store.Put("b", []byte("1")), store.Put("c", []byte("1")))
	if r1 <= r0 {
		t.Fatalf("first write: revision %d, want > %d", r1, r0)
	}
	r2 := txn(t, s, nil, store.Put("b", []byte("2")))
	if r2 <= r1 {
		t.Fatalf("second write: revision %d, want > %d", r2, r1)
	}
	want := []store.Item{
		{Key: "a", Value: []byte("1"), Revision: r1},
		{Key: "b", Value: []byte("2"), Revision: r2},
		{Key: "c", Value: []byte("1"), Revision: r1},
	}
	if diff := cmp.Diff(want, list(t, s, "")); diff != "" {
		t.Fatalf("every key of a transaction carries its revision; untouched keys keep theirs (-want +got):\n%s", diff)
	}

	// Without operations, Txn reports a revision at least that of every
	// completed write.
	if got := current(t, s); got < r2 {
		t.Errorf("Txn without ops = %d, want >= %d", got, r2)
	}
	if got := txn(t, s, []store.Cond{store.Unchanged("b", r2), store.Absent("d")}); got < r2 {
		t.Errorf("Txn with holding conds and no ops = %d, want >= %d", got, r2)
	}
	if _, err := s.Txn(t.Context(), []store.Cond{store.Unchanged("b", r1)}, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Txn with a failing cond and no ops: %v, want ErrConflict", err)
	}
	if _, err := s.Txn(t.Context(), []store.Cond{store.Absent("a")}, []store.Op{store.Put("d", nil)}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Txn with a failing cond: %v, want ErrConflict", err)
	}
	// A transaction with operations writes, and so takes a new revision,
	// even when its only operation deletes a key that does not exist.
	r3 := txn(t, s, nil, store.Delete("nope"))
	if r3 <= r2 {
		t.Errorf("Txn deleting a missing key: revision %d, want > %d", r3, r2)
	}
	if diff := cmp.Diff(want, list(t, s, "")); diff != "" {
		t.Errorf("failed transactions or a delete of nothing changed items (-want +got):\n%s", diff)
	}

	// Many transactions in a row: each revision greater than the last.
	prev := r3
	for i := range 50 {
		rev := txn(t, s, nil, store.Put("seq", []byte{byte(i)}))
		if rev <= prev {
			t.Fatalf("write %d: revision %d, want > %d", i, rev, prev)
		}
		if got := current(t, s); got < rev {
			t.Fatalf("write %d: Txn without ops = %d after a write at %d", i, got, rev)
		}
		prev = rev
	}
}

func testCond(t *testing.T, open opener) {
	// Each case runs against a store holding "a", "dir/x" and "dir/y",
	// written by three transactions in that order.
	type revs struct{ a, x, y int64 }
	const newKey = "new"
	tests := []struct {
		name  string
		conds func(r revs) []store.Cond
		// want is the expected error, nil if the conditions hold. For a
		// prefix condition with anyFound set, Found may be any key under
		// the prefix and Revision must be that key's revision.
		want     func(r revs) *store.ConflictError
		anyFound bool
		reason   string
	}{
		{
			name:  "absent, missing",
			conds: func(revs) []store.Cond { return []store.Cond{store.Absent("b")} },
		},
		{
			name:  "absent, exists",
			conds: func(revs) []store.Cond { return []store.Cond{store.Absent("a")} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Absent("a"), Revision: r.a}
			},
		},
		{
			name:   "absent, only longer keys exist",
			conds:  func(revs) []store.Cond { return []store.Cond{store.Absent("dir")} },
			reason: "Absent is about one key, not a prefix",
		},
		{
			name:  "unchanged, same revision",
			conds: func(r revs) []store.Cond { return []store.Cond{store.Unchanged("dir/x", r.x)} },
		},
		{
			name:  "unchanged, older revision",
			conds: func(r revs) []store.Cond { return []store.Cond{store.Unchanged("dir/x", r.a)} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Unchanged("dir/x", r.a), Revision: r.x}
			},
		},
		{
			name:  "unchanged, newer revision",
			conds: func(r revs) []store.Cond { return []store.Cond{store.Unchanged("a", r.y)} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Unchanged("a", r.y), Revision: r.a}
			},
			reason: "exactly the revision, not at least",
		},
		{
			name:  "unchanged, missing",
			conds: func(r revs) []store.Cond { return []store.Cond{store.Unchanged("b", r.a)} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Unchanged("b", r.a), Revision: 0}
			},
		},
		{
			name:  "prefix, nothing under it",
			conds: func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("dir/z")} },
		},
		{
			name:  "prefix, sorts after every key",
			conds: func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("zzz")} },
		},
		{
			name:  "prefix, sorts before every key",
			conds: func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("0")} },
		},
		{
			name:   "prefix longer than a key",
			conds:  func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("dir/x/")} },
			reason: `"dir/x" does not start with "dir/x/"`,
		},
		{
			name:  "prefix equal to a key",
			conds: func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("a")} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.NoneWithPrefix("a"), Revision: r.a, Found: "a"}
			},
			reason: "a key starts with itself",
		},
		{
			name:  "prefix with one key under it",
			conds: func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("dir/y")} },
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.NoneWithPrefix("dir/y"), Revision: r.y, Found: "dir/y"}
			},
		},
		{
			name:     "prefix with two keys under it",
			conds:    func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("dir/")} },
			want:     func(revs) *store.ConflictError { return &store.ConflictError{Cond: store.NoneWithPrefix("dir/")} },
			anyFound: true,
		},
		{
			name:     "prefix not ending at a separator",
			conds:    func(revs) []store.Cond { return []store.Cond{store.NoneWithPrefix("di")} },
			want:     func(revs) *store.ConflictError { return &store.ConflictError{Cond: store.NoneWithPrefix("di")} },
			anyFound: true,
		},
		{
			name: "several, all hold",
			conds: func(r revs) []store.Cond {
				return []store.Cond{store.Absent("b"), store.Unchanged("a", r.a), store.NoneWithPrefix("e/"), store.Unchanged("dir/y", r.y)}
			},
		},
		{
			name: "several, first failure reported",
			conds: func(r revs) []store.Cond {
				return []store.Cond{store.Absent("b"), store.Unchanged("a", r.a+100), store.Absent("dir/x"), store.NoneWithPrefix("dir/")}
			},
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Unchanged("a", r.a+100), Revision: r.a}
			},
			reason: "conditions are reported in the order given",
		},
		{
			name: "several, first failure reported, prefix first",
			conds: func(r revs) []store.Cond {
				return []store.Cond{store.NoneWithPrefix("dir/y"), store.Unchanged("a", r.a+100)}
			},
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.NoneWithPrefix("dir/y"), Revision: r.y, Found: "dir/y"}
			},
		},
		{
			name: "same key twice, second fails",
			conds: func(r revs) []store.Cond {
				return []store.Cond{store.Unchanged("a", r.a), store.Absent("a")}
			},
			want: func(r revs) *store.ConflictError {
				return &store.ConflictError{Cond: store.Absent("a"), Revision: r.a}
			},
		},
		{
			name:   "cond on the key being written",
			conds:  func(revs) []store.Cond { return []store.Cond{store.Absent(newKey)} },
			reason: "conditions see the state before the transaction's own writes",
		},
	}
	for _, tt := range tests {
		for _, withOps := range []bool{true, false} {
			name := tt.name + "/no ops"
			if withOps {
				name = tt.name + "/with ops"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				s := fresh(t, open)
				w := put(t, s, "a", "dir/x", "dir/y")
				r := revs{a: w["a"], x: w["dir/x"], y: w["dir/y"]}
				before := current(t, s)
				snapshot := list(t, s, "")
				conds := tt.conds(r)
				var ops []store.Op
				if withOps {
					ops = []store.Op{store.Put(newKey, []byte("n"))}
				}
				rev, err := s.Txn(t.Context(), conds, ops)

				if tt.want == nil {
					if err != nil {
						t.Fatalf("Txn(%v): %v; want success (%s)", conds, err, tt.reason)
					}
					if withOps {
						if rev <= before {
							t.Errorf("Txn revision = %d, want > %d", rev, before)
						}
						if got := get(t, s, newKey); got.Revision != rev {
							t.Errorf("written key has revision %d, want %d", got.Revision, rev)
						}
					} else if rev < before {
						t.Errorf("Txn without ops = %d, want >= %d", rev, before)
					}
					return
				}

				if !errors.Is(err, store.ErrConflict) {
					t.Fatalf("Txn(%v) = %d, %v; want an error wrapping ErrConflict (%s)", conds, rev, err, tt.reason)
				}
				var ce *store.ConflictError
				if !errors.As(err, &ce) {
					t.Fatalf("Txn error %v (%T) is not a *store.ConflictError", err, err)
				}
				want := tt.want(r)
				if tt.anyFound {
					if !strings.HasPrefix(ce.Found, want.Cond.Key) {
						t.Errorf("ConflictError.Found = %q, want a key starting with %q", ce.Found, want.Cond.Key)
					} else if it := get(t, s, ce.Found); it.Revision != ce.Revision {
						t.Errorf("ConflictError.Revision = %d, but %q has revision %d", ce.Revision, ce.Found, it.Revision)
					}
					want.Found, want.Revision = ce.Found, ce.Revision
				}
				if diff := cmp.Diff(want, ce); diff != "" {
					t.Errorf("ConflictError (-want +got):\n%s", diff)
				}
				if ce.Error() == "" {
					t.Error("ConflictError.Error() is empty")
				}
				if diff := cmp.Diff(snapshot, list(t, s, "")); diff != "" {
					t.Errorf("a failed txn changed the store (-before +after):\n%s", diff)
				}
			})
		}
	}
}

func testAtomicity(t *testing.T, open opener) {
	t.Run("all ops applied", func(t *testing.T) {
		t.Parallel()
		s := fresh(t, open)
		w := put(t, s, "a", "b", "c")
		rev := txn(t, s, []store.Cond{store.Unchanged("b", w["b"])},
			store.Delete("a"), store.Put("b", []byte("2")), store.Put("d", []byte("new")), store.Delete("missing"))
		want := []store.Item{
			{Key: "b", Value: []byte("2"), Revision: rev},
			{Key: "c", Value: valueOf("c"), Revision: w["c"]},
			{Key: "d", Value: []byte("new"), Revision: rev},
		}
		if diff := cmp.Diff(want, list(t, s, "")); diff != "" {
			t.Errorf("after a txn of puts and deletes (-want +got):\n%s", diff)
		}
	})
	t.Run("last cond fails", func(t *testing.T) {
		t.Parallel()
		s := fresh(t, open)
		w := put(t, s, "a", "b", "c")
		before := list(t, s, "")
		conds := []store.Cond{store.Absent("x"), store.Unchanged("b", w["b"]), store.NoneWithPrefix("y"), store.Absent("c")}
		ops := []store.Op{store.Put("x", []byte("x")), store.Delete("a"), store.Put("b", []byte("2")), store.Put("c", []byte("2"))}
		if _, err := s.Txn(t.Context(), conds, ops); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("Txn: %v, want ErrConflict", err)
		}
		if diff := cmp.Diff(before, list(t, s, "")); diff != "" {
			t.Errorf("a failed txn changed the store (-before +after):\n%s", diff)
		}
	})
	t.Run("compare and put", func(t *testing.T) {
		t.Parallel()
		s := fresh(t, open)
		w := put(t, s, "k")
		rev := txn(t, s, []store.Cond{store.Unchanged("k", w["k"])}, store.Put("k", []byte("2")))
		if _, err := s.Txn(t.Context(), []store.Cond{store.Unchanged("k", w["k"])}, []store.Op{store.Put("k", []byte("3"))}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second put with the stale revision: %v, want ErrConflict", err)
		}
		want := store.Item{Key: "k", Value: []byte("2"), Revision: rev}
		if diff := cmp.Diff(want, get(t, s, "k")); diff != "" {
			t.Errorf("Get (-want +got):\n%s", diff)
		}
	})
}

func testDelete(t *testing.T, open opener) {
	s := fresh(t, open)
	before := current(t, s)
	if rev := txn(t, s, nil, store.Delete("missing")); rev <= before {
		t.Errorf("deleting a missing key: revision %d, want > %d", rev, before)
	}
	w := put(t, s, "k", "k/child")
	rev := txn(t, s, []store.Cond{store.Unchanged("k", w["k"])}, store.Delete("k"))
	wantNotFound(t, s, "k")
	if diff := cmp.Diff([]store.Item{{Key: "k/child", Value: valueOf("k/child"), Revision: w["k/child"]}}, list(t, s, "k")); diff != "" {
		t.Errorf("List after delete (-want +got):\n%s", diff)
	}
	// The deleted key is absent to conditions, and its old revision no
	// longer matches.
	txn(t, s, []store.Cond{store.Absent("k")})
	_, err := s.Txn(t.Context(), []store.Cond{store.Unchanged("k", w["k"])}, nil)
	want := &store.ConflictError{Cond: store.Unchanged("k", w["k"]), Revision: 0}
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("Unchanged on a deleted key: %v, want a *ConflictError", err)
	}
	if diff := cmp.Diff(want, ce); diff != "" {
		t.Errorf("ConflictError (-want +got):\n%s", diff)
	}
	// Recreating it gives a new revision.
	rev2 := txn(t, s, []store.Cond{store.Absent("k")}, store.Put("k", []byte("again")))
	if rev2 <= rev {
		t.Errorf("recreated key has revision %d, want > %d", rev2, rev)
	}
	txn(t, s, nil, store.Delete("k"), store.Delete("k/child"))
	if items := list(t, s, ""); len(items) != 0 {
		t.Errorf("after deleting everything List = %v", items)
	}
}

func testList(t *testing.T, open opener) {
	s := fresh(t, open)
	keys := []string{"b/z", "a/2", "a", "ab", "a/10", "b", "a/1", "b/é", "é", "a/1/x", "a~", "a\x01", "A"}
	w := put(t, s, keys...)
	item := func(k string) store.Item { return store.Item{Key: k, Value: valueOf(k), Revision: w[k]} }

	tests := []struct {
		prefix string
		want   []string
	}{
		{prefix: "", want: []string{"A", "a", "a\x01", "a/1", "a/1/x", "a/10", "a/2", "ab", "a~", "b", "b/z", "b/é", "é"}},
		{prefix: "a", want: []string{"a", "a\x01", "a/1", "a/1/x", "a/10", "a/2", "ab", "a~"}},
		{prefix: "a/", want: []string{"a/1", "a/1/x", "a/10", "a/2"}},
		{prefix: "a/1", want: []string{"a/1", "a/1/x", "a/10"}},
		{prefix: "a/1/", want: []string{"a/1/x"}},
		{prefix: "ab", want: []string{"ab"}},
		{prefix: "b/", want: []string{"b/z", "b/é"}},
		{prefix: "é", want: []string{"é"}},
		{prefix: "c", want: nil},
		{prefix: "0", want: nil},
		{prefix: "zz", want: nil},
		{prefix: "a/1/x/", want: nil},
	}
	for _, tt := range tests {
		t.Run("prefix "+strconv.Quote(tt.prefix), func(t *testing.T) {
			t.Parallel()
			if !slices.IsSorted(tt.want) {
				t.Fatalf("bad test: want %q is not in byte order", tt.want)
			}
			var want []store.Item
			for _, k := range tt.want {
				want = append(want, item(k))
			}
			if diff := cmp.Diff(want, list(t, s, tt.prefix)); diff != "" {
				t.Errorf("List(%q) (-want +got):\n%s", tt.prefix, diff)
			}
		})
	}

	t.Run("fn error stops", func(t *testing.T) {
		t.Parallel()
		errStop := errors.New("stop here")
		var seen []string
		err := s.List(t.Context(), "a", func(it store.Item) error {
			seen = append(seen, it.Key)
			if len(seen) == 3 {
				return errStop
			}
			return nil
		})
		if !errors.Is(err, errStop) {
			t.Errorf("List returned %v, want fn's error", err)
		}
		if diff := cmp.Diff([]string{"a", "a\x01", "a/1"}, seen); diff != "" {
			t.Errorf("fn calls (-want +got):\n%s", diff)
		}
	})
	t.Run("no match does not call fn", func(t *testing.T) {
		t.Parallel()
		err := s.List(t.Context(), "nothing/", func(it store.Item) error {
			t.Errorf("fn called with %+v", it)
			return nil
		})
		if err != nil {
			t.Errorf("List: %v", err)
		}
	})
	t.Run("many", func(t *testing.T) {
		t.Parallel()
		s := fresh(t, open)
		const n = 1500
		var want []string
		for i := range n / 100 {
			var ops []store.Op
			for j := range 100 {
				k := "m/" + strconv.Itoa(i*100+j)
				ops = append(ops, store.Put(k, []byte(k)))
				want = append(want, k)
			}
			txn(t, s, nil, ops...)
		}
		txn(t, s, nil, store.Put("m", nil), store.Put("n/0", nil), store.Put("l/0", nil))
		slices.Sort(want)
		var got []string
		for _, it := range list(t, s, "m/") {
			if !bytes.Equal(it.Value, []byte(it.Key)) {
				t.Fatalf("item %q has value %q", it.Key, it.Value)
			}
			got = append(got, it.Key)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("List(\"m/\") keys (-want +got):\n%s", diff)
		}
	})
}

func testCopy(t *testing.T, open opener) {
	s := fresh(t, open)
	buf := []byte("original")
	ops := []store.Op{store.Put("k", buf)}
	rev := txn(t, s, nil, ops...)
	copy(buf, "MUTATED!")
	ops[0].Value = []byte("other")
	want := store.Item{Key: "k", Value: []byte("original"), Revision: rev}
	if diff := cmp.Diff(want, get(t, s, "k")); diff != "" {
		t.Fatalf("changing the caller's slice after Txn changed the store (-want +got):\n%s", diff)
	}

	got := get(t, s, "k")
	copy(got.Value, "MUTATED!")
	got.Value = append(got.Value[:0], "appended to the returned value"...)
	if diff := cmp.Diff(want, get(t, s, "k")); diff != "" {
		t.Fatalf("changing a value from Get changed the store (-want +got):\n%s", diff)
	}

	for _, it := range list(t, s, "") {
		copy(it.Value, "MUTATED!")
	}
	if err := s.List(t.Context(), "", func(it store.Item) error {
		it.Value[0] = 'X'
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, get(t, s, "k")); diff != "" {
		t.Fatalf("changing a value from List changed the store (-want +got):\n%s", diff)
	}

	a, b := get(t, s, "k"), get(t, s, "k")
	a.Value[0] = 'X'
	if b.Value[0] != 'o' {
		t.Errorf("two Gets returned the same backing array")
	}
}

func testInvalid(t *testing.T, open opener) {
	long := strings.Repeat("x", store.MaxKeyLen+1)
	valid := store.Put("valid", []byte("v"))
	badKeys := []struct {
		name string
		key  string
	}{
		{"empty", ""},
		{"NUL", "a\x00b"},
		{"too long", long},
		{"bad UTF-8", "a\xffb"},
		{"truncated UTF-8", "caf\xc3"},
	}
	type txnCase struct {
		name  string
		conds []store.Cond
		ops   []store.Op
	}
	var tests []txnCase
	for _, bk := range badKeys {
		tests = append(tests,
			txnCase{name: "put key " + bk.name, ops: []store.Op{valid, store.Put(bk.key, nil)}},
			txnCase{name: "delete key " + bk.name, ops: []store.Op{valid, store.Delete(bk.key)}},
			txnCase{name: "absent key " + bk.name, conds: []store.Cond{store.Absent(bk.key)}, ops: []store.Op{valid}},
			txnCase{name: "unchanged key " + bk.name, conds: []store.Cond{store.Unchanged(bk.key, 1)}, ops: []store.Op{valid}},
			txnCase{name: "prefix key " + bk.name, conds: []store.Cond{store.NoneWithPrefix(bk.key)}, ops: []store.Op{valid}},
		)
	}
	tests = append(tests,
		txnCase{name: "same key put twice", ops: []store.Op{valid, store.Put("k", nil), store.Put("k", nil)}},
		txnCase{name: "same key put and deleted", ops: []store.Op{store.Put("k", nil), valid, store.Delete("k")}},
		txnCase{name: "prefix cond with a revision", conds: []store.Cond{{Key: "p", Prefix: true, Revision: 1}}, ops: []store.Op{valid}},
		txnCase{name: "negative revision", conds: []store.Cond{store.Unchanged("k", -1)}, ops: []store.Op{valid}},
		txnCase{name: "invalid without ops", conds: []store.Cond{store.Absent("ok"), store.Absent("")}},
		txnCase{
			name:  "invalid op after failing cond",
			conds: []store.Cond{store.Absent("exists")},
			ops:   []store.Op{valid, store.Put("", nil)},
		},
	)
	for _, tt := range tests {
		t.Run("txn/"+tt.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t, open)
			put(t, s, "exists")
			before := list(t, s, "")
			_, err := s.Txn(t.Context(), tt.conds, tt.ops)
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("Txn: %v, want an error wrapping ErrInvalid (validation comes before conditions)", err)
			}
			if diff := cmp.Diff(before, list(t, s, "")); diff != "" {
				t.Errorf("an invalid txn changed the store (-before +after):\n%s", diff)
			}
		})
	}
	for _, bk := range badKeys {
		t.Run("get/"+bk.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t, open)
			if _, err := s.Get(t.Context(), bk.key); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Get(%.20q): %v, want ErrInvalid", bk.key, err)
			}
		})
	}
}

func testClosed(t *testing.T, open opener) {
	s := open(t)
	put(t, s, "k")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := t.Context()
	if _, err := s.Get(ctx, "k"); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Get after Close: %v, want ErrClosed", err)
	}
	if err := s.List(ctx, "", func(store.Item) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("List after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Txn(ctx, nil, []store.Op{store.Put("k2", nil)}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Txn after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Txn(ctx, []store.Cond{store.Absent("k2")}, nil); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Txn without ops after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
}

func testCanceled(t *testing.T, open opener) {
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Unix(1, 0))
	defer cancel2()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceled, context.Canceled},
		{"deadline exceeded", expired, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t, open)
			put(t, s, "k")
			before := list(t, s, "")
			if _, err := s.Txn(tt.ctx, nil, []store.Op{store.Put("new", nil), store.Delete("k")}); !errors.Is(err, tt.want) {
				t.Errorf("Txn: %v, want an error wrapping %v", err, tt.want)
			}
			if _, err := s.Txn(tt.ctx, []store.Cond{store.Absent("new")}, nil); !errors.Is(err, tt.want) {
				t.Errorf("Txn without ops: %v, want an error wrapping %v", err, tt.want)
			}
			if _, err := s.Get(tt.ctx, "k"); !errors.Is(err, tt.want) {
				t.Errorf("Get: %v, want an error wrapping %v", err, tt.want)
			}
			if err := s.List(tt.ctx, "", func(store.Item) error { return nil }); !errors.Is(err, tt.want) {
				t.Errorf("List: %v, want an error wrapping %v", err, tt.want)
			}
			if diff := cmp.Diff(before, list(t, s, "")); diff != "" {
				t.Errorf("a canceled txn changed the store (-before +after):\n%s", diff)
			}
		})
	}
}
