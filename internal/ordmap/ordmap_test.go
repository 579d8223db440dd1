package ordmap

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type entry struct {
	K string
	V int
}

func collect(m *Map[int], from string) []entry {
	var got []entry
	for k, v := range m.Ascend(from) {
		got = append(got, entry{k, v})
	}
	return got
}

// verify checks the tree's structural invariants: sorted keys, separators
// bounding their subtrees, node sizes, uniform depth, the leaf chain and Len.
func verify(t *testing.T, m *Map[int]) {
	t.Helper()
	if m.root == nil {
		if m.n != 0 {
			t.Fatalf("empty tree with Len %d", m.n)
		}
		return
	}
	var leaves []*node[int]
	depth := -1
	var walk func(n *node[int], lo, hi *string, d int, root bool)
	walk = func(n *node[int], lo, hi *string, d int, root bool) {
		if !root && !n.leaf() && n.size() < minSize {
			t.Fatalf("inner node at depth %d has %d children < %d", d, n.size(), minSize)
		}
		if !root && n.leaf() && n.size() == 0 {
			t.Fatalf("empty leaf at depth %d", d)
		}
		if n.size() > order {
			t.Fatalf("node at depth %d has size %d > %d", d, n.size(), order)
		}
		if !slices.IsSorted(n.keys) || len(slices.Compact(slices.Clone(n.keys))) != len(n.keys) {
			t.Fatalf("node keys not strictly sorted: %q", n.keys)
		}
		for _, k := range n.keys {
			if (lo != nil && k < *lo) || (hi != nil && k >= *hi) {
				t.Fatalf("key %q outside its bounds", k)
			}
		}
		if n.leaf() {
			if len(n.vals) != len(n.keys) {
				t.Fatalf("leaf has %d keys and %d values", len(n.keys), len(n.vals))
			}
			if depth == -1 {
				depth = d
			} else if depth != d {
				t.Fatalf("leaves at depths %d and %d", depth, d)
			}
			leaves = append(leaves, n)
			return
		}
		if root && len(n.kids) < 2 {
			t.Fatalf("inner root has %d children", len(n.kids))
		}
		if len(n.kids) != len(n.keys)+1 {
			t.Fatalf("inner node has %d keys and %d children", len(n.keys), len(n.kids))
		}
		for i, c := range n.kids {
			clo, chi := lo, hi
			if i > 0 {
				clo = &n.keys[i-1]
			}
			if i < len(n.keys) {
				chi = &n.keys[i]
			}
			walk(c, clo, chi, d+1, false)
		}
	}
	walk(m.root, nil, nil, 0, true)
	total := 0
	for i, l := range leaves {
		total += len(l.keys)
		var want *node[int]
		if i+1 < len(leaves) {
			want = leaves[i+1]
		}
		if l.next != want {
			t.Fatalf("leaf %d links to the wrong next leaf", i)
		}
	}
	if total != m.n {
		t.Fatalf("tree holds %d entries, Len says %d", total, m.n)
	}
}

func TestMapBasics(t *testing.T) {
	var m Map[int]
	if _, ok := m.Get("a"); ok {
		t.Fatal("Get on empty map found something")
	}
	if _, _, ok := m.Seek(""); ok {
		t.Fatal("Seek on empty map found something")
	}
	if _, ok := m.Delete("a"); ok {
		t.Fatal("Delete on empty map found something")
	}
	if got := collect(&m, ""); got != nil {
		t.Fatalf("Ascend on empty map = %v", got)
	}
	if !m.Set("b", 2) || !m.Set("a", 1) || !m.Set("c", 3) {
		t.Fatal("Set of a new key reported not added")
	}
	if m.Set("b", 20) {
		t.Fatal("Set of an existing key reported added")
	}

	tests := []struct {
		name   string
		seek   string
		wantK  string
		wantV  int
		wantOK bool
	}{
		{name: "before all", seek: "", wantK: "a", wantV: 1, wantOK: true},
		{name: "exact", seek: "b", wantK: "b", wantV: 20, wantOK: true},
		{name: "between", seek: "bb", wantK: "c", wantV: 3, wantOK: true},
		{name: "after all", seek: "d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, v, ok := m.Seek(tt.seek)
			if k != tt.wantK || v != tt.wantV || ok != tt.wantOK {
				t.Errorf("Seek(%q) = %q, %d, %t; want %q, %d, %t", tt.seek, k, v, ok, tt.wantK, tt.wantV, tt.wantOK)
			}
		})
	}
	if diff := cmp.Diff([]entry{{"b", 20}, {"c", 3}}, collect(&m, "az")); diff != "" {
		t.Errorf("Ascend(\"az\") (-want +got):\n%s", diff)
	}
	if v, ok := m.Delete("b"); !ok || v != 20 {
		t.Errorf("Delete(b) = %d, %t; want 20, true", v, ok)
	}
	if m.Len() != 2 {
		t.Errorf("Len = %d, want 2", m.Len())
	}
	verify(t, &m)
}

// TestMapModel runs random operations against a Go map and checks every
// result and the tree's invariants. Small key spaces force deep trees to
// shrink and regrow through every merge and borrow path.
func TestMapModel(t *testing.T) {
	tests := []struct {
		name   string
		keys   int // size of the key space
		ops    int
		setPct int // percentage of operations that are Set
	}{
		{name: "small", keys: 50, ops: 5000, setPct: 60},
		{name: "growing", keys: 20000, ops: 60000, setPct: 80},
		{name: "shrinking churn", keys: 5000, ops: 60000, setPct: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(1, uint64(tt.keys)))
			var m Map[int]
			model := map[string]int{}
			for i := range tt.ops {
				k := fmt.Sprintf("k%06d", r.IntN(tt.keys))
				switch p := r.IntN(100); {
				case p < tt.setPct:
					_, had := model[k]
					if added := m.Set(k, i); added == had {
						t.Fatalf("op %d: Set(%q) added = %t, key existed = %t", i, k, added, had)
					}
					model[k] = i
				default:
					want, had := model[k]
					got, ok := m.Delete(k)
					if ok != had || got != want {
						t.Fatalf("op %d: Delete(%q) = %d, %t; want %d, %t", i, k, got, ok, want, had)
					}
					delete(model, k)
				}
				if i%997 == 0 {
					verify(t, &m)
				}
			}
			verify(t, &m)
			// Drain half so merges run all the way up.
			for k := range model {
				if r.IntN(2) == 0 {
					m.Delete(k)
					delete(model, k)
				}
			}
			verify(t, &m)

			var want []entry
			for k, v := range model {
				want = append(want, entry{k, v})
			}
			slices.SortFunc(want, func(a, b entry) int { return cmpString(a.K, b.K) })
			if diff := cmp.Diff(want, collect(&m, "")); diff != "" {
				t.Fatalf("Ascend(\"\") (-want +got):\n%s", diff)
			}
			for range 200 {
				from := fmt.Sprintf("k%06d", r.IntN(tt.keys+10))
				i, _ := slices.BinarySearchFunc(want, from, func(e entry, k string) int { return cmpString(e.K, k) })
				if diff := cmp.Diff(want[i:], collect(&m, from), cmp.Comparer(func(a, b []entry) bool {
					return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
				})); diff != "" {
					t.Fatalf("Ascend(%q) (-want +got):\n%s", from, diff)
				}
				k, v, ok := m.Seek(from)
				if ok != (i < len(want)) || (ok && (k != want[i].K || v != want[i].V)) {
					t.Fatalf("Seek(%q) = %q, %d, %t", from, k, v, ok)
				}
			}
			for k, v := range model {
				if got, ok := m.Get(k); !ok || got != v {
					t.Fatalf("Get(%q) = %d, %t; want %d, true", k, got, ok, v)
				}
			}
			// Remove everything.
			for k := range model {
				m.Delete(k)
			}
			verify(t, &m)
			if m.Len() != 0 || m.root != nil {
				t.Fatalf("after deleting everything Len = %d, root = %v", m.Len(), m.root)
			}
		})
	}
}

// TestMapAscendingInserts checks that keys set in ascending order, the
// common case, fill leaves rather than leave them half empty, and that
// deletes from the resulting lopsided leaves keep the tree valid.
func TestMapAscendingInserts(t *testing.T) {
	const n = 100_000
	var m Map[int]
	for i := range n {
		m.Set(fmt.Sprintf("k%08d", i), i)
	}
	verify(t, &m)
	leaves := 0
	for l := m.root; l != nil; {
		if l.leaf() {
			for ; l != nil; l = l.next {
				leaves++
			}
			break
		}
		l = l.kids[0]
	}
	if max := n/order + 2; leaves > max {
		t.Errorf("%d ascending keys fill %d leaves, want at most %d", n, leaves, max)
	}

	// Interleave ascending inserts in the middle with random deletes.
	r := rand.New(rand.NewPCG(3, 4))
	model := map[string]int{}
	for k, v := range m.Ascend("") {
		model[k] = v
	}
	for i := range 200_000 {
		if r.IntN(3) == 0 {
			k := fmt.Sprintf("k%08d", r.IntN(n))
			_, had := model[k]
			if _, ok := m.Delete(k); ok != had {
				t.Fatalf("Delete(%q) = %t, want %t", k, ok, had)
			}
			delete(model, k)
			continue
		}
		k := fmt.Sprintf("k%08d.%08d", n/2, i) // ascending, mid-tree
		m.Set(k, i)
		model[k] = i
		if i%9973 == 0 {
			verify(t, &m)
		}
	}
	verify(t, &m)
	if m.Len() != len(model) {
		t.Fatalf("Len = %d, want %d", m.Len(), len(model))
	}
	for k := range model {
		m.Delete(k)
	}
	verify(t, &m)
	if m.Len() != 0 {
		t.Fatalf("Len = %d after deleting everything", m.Len())
	}
}

func TestAscendStops(t *testing.T) {
	var m Map[int]
	for i := range 1000 {
		m.Set(fmt.Sprintf("%04d", i), i)
	}
	n := 0
	for range m.Ascend("0100") {
		if n++; n == 10 {
			break
		}
	}
	if n != 10 {
		t.Fatalf("iterated %d entries, want 10", n)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func BenchmarkSetSequential(b *testing.B) {
	keys := make([]string, b.N)
	for i := range keys {
		keys[i] = fmt.Sprintf("pool/vlan/%09d", i)
	}
	var m Map[int]
	b.ResetTimer()
	for i, k := range keys {
		m.Set(k, i)
	}
}

func BenchmarkSetRandom(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]string, b.N)
	for i := range keys {
		keys[i] = fmt.Sprintf("pool/vlan/%016x", r.Uint64())
	}
	var m Map[int]
	b.ResetTimer()
	for i, k := range keys {
		m.Set(k, i)
	}
}

func TestInsert(t *testing.T) {
	t.Parallel()
	var m Map[int]
	for i := range 1000 {
		k := fmt.Sprintf("k%04d", (i*7919)%1000)
		if _, ok := m.Insert(k, i); !ok {
			t.Fatalf("Insert(%q) into a map without it reported it present", k)
		}
	}
	for i := range 1000 {
		k := fmt.Sprintf("k%04d", (i*7919)%1000)
		present, ok := m.Insert(k, -1)
		if ok || present != i {
			t.Fatalf("Insert(%q) again = %d, %t; want the present value %d, false", k, present, ok, i)
		}
		if v, _ := m.Get(k); v != i {
			t.Fatalf("Insert of a present key changed it to %d", v)
		}
	}
	if m.Len() != 1000 {
		t.Errorf("Len = %d, want 1000", m.Len())
	}
}
