package ordmap

import "iter"

// order is the most entries a leaf holds and the most children an inner node
// holds. Every inner node other than the root keeps at least order/2
// children. Leaves other than the root hold at least one entry; a delete
// that leaves one with fewer than order/2 refills it from a sibling, but a
// split at the end of a leaf (see node.set) leaves a new leaf with only one.
const (
	order   = 64
	minSize = order / 2
)

// node is a leaf (kids == nil) or an inner node.
//
// In a leaf, keys and vals are the sorted entries and next is the leaf that
// follows in key order. In an inner node, len(kids) == len(keys)+1 and every
// key under kids[i] is >= keys[i-1] and < keys[i].
type node[V any] struct {
	keys []string
	vals []V
	kids []*node[V]
	next *node[V]
}

func newLeaf[V any]() *node[V] {
	return &node[V]{
		keys: make([]string, 0, order+1),
		vals: make([]V, 0, order+1),
	}
}

func newInner[V any]() *node[V] {
	return &node[V]{
		keys: make([]string, 0, order),
		kids: make([]*node[V], 0, order+1),
	}
}

func (n *node[V]) leaf() bool { return n.kids == nil }

// size is the number of entries of a leaf or of children of an inner node.
func (n *node[V]) size() int {
	if n.leaf() {
		return len(n.keys)
	}
	return len(n.kids)
}

// lowerBound returns the index of the first key >= k and whether it equals k.
func lowerBound(keys []string, k string) (int, bool) {
	lo, hi := 0, len(keys)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if keys[mid] < k {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(keys) && keys[lo] == k
}

// child returns the index of the child of inner node n that covers k: the
// number of separators <= k.
func (n *node[V]) child(k string) int {
	lo, hi := 0, len(n.keys)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if n.keys[mid] <= k {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// Map is an ordered map from string keys to values of type V. The zero Map is
// empty and ready to use. A Map must not be copied after first use.
type Map[V any] struct {
	root *node[V]
	n    int
}

// Len returns the number of entries.
func (m *Map[V]) Len() int { return m.n }

// Get returns the value stored under k and whether there is one.
func (m *Map[V]) Get(k string) (V, bool) {
	n := m.root
	if n == nil {
		var zero V
		return zero, false
	}
	for !n.leaf() {
		n = n.kids[n.child(k)]
	}
	if i, ok := lowerBound(n.keys, k); ok {
		return n.vals[i], true
	}
	var zero V
	return zero, false
}

// Set stores v under k, replacing any previous value. It reports whether k
// is new.
func (m *Map[V]) Set(k string, v V) (added bool) {
	_, added = m.put(k, v, true)
	return added
}

// Insert adds k with value v unless k is present, in which case it changes
// nothing and returns the present value. It costs one descent of the tree,
// where a Get followed by a Set costs two.
func (m *Map[V]) Insert(k string, v V) (present V, inserted bool) {
	return m.put(k, v, false)
}

// put adds or (if replace) overwrites k, returning the value k had.
func (m *Map[V]) put(k string, v V, replace bool) (old V, added bool) {
	if m.root == nil {
		m.root = newLeaf[V]()
	}
	sep, right, added, old := m.root.set(k, v, replace)
	if added {
		m.n++
	}
	if right != nil {
		root := newInner[V]()
		root.keys = append(root.keys, sep)
		root.kids = append(root.kids, m.root, right)
		m.root = root
	}
	return old, added
}

// set inserts into the subtree at n. When n overflows it splits, and returns
// the new right sibling and the separator that goes before it.
func (n *node[V]) set(k string, v V, replace bool) (sep string, right *node[V], added bool, old V) {
	if n.leaf() {
		i, found := lowerBound(n.keys, k)
		if found {
			old = n.vals[i]
			if replace {
				n.vals[i] = v
			}
			return "", nil, false, old
		}
		n.keys = insertAt(n.keys, i, k)
		n.vals = insertAt(n.vals, i, v)
		if len(n.keys) > order {
			// Keys often arrive in ascending order. A leaf that
			// overflows at its end keeps all but the new key, so
			// such runs fill leaves instead of leaving them half
			// empty.
			mid := len(n.keys) / 2
			if i == order {
				mid = order
			}
			sep, right = n.splitLeaf(mid)
		}
		return sep, right, true, old
	}
	i := n.child(k)
	sep, right, added, old = n.kids[i].set(k, v, replace)
	if right == nil {
		return "", nil, added, old
	}
	n.keys = insertAt(n.keys, i, sep)
	n.kids = insertAt(n.kids, i+1, right)
	if len(n.kids) > order {
		sep, right = n.splitInner()
		return sep, right, added, old
	}
	return "", nil, added, old
}

// splitLeaf moves the entries from index mid on to a new right sibling.
func (n *node[V]) splitLeaf(mid int) (string, *node[V]) {
	r := newLeaf[V]()
	r.keys = append(r.keys, n.keys[mid:]...)
	r.vals = append(r.vals, n.vals[mid:]...)
	n.keys = truncate(n.keys, mid)
	n.vals = truncate(n.vals, mid)
	r.next, n.next = n.next, r
	return r.keys[0], r
}

func (n *node[V]) splitInner() (string, *node[V]) {
	mid := len(n.kids) / 2 // n keeps kids[:mid] and keys[:mid-1]
	sep := n.keys[mid-1]
	r := newInner[V]()
	r.keys = append(r.keys, n.keys[mid:]...)
	r.kids = append(r.kids, n.kids[mid:]...)
	n.keys = truncate(n.keys, mid-1)
	n.kids = truncate(n.kids, mid)
	return sep, r
}

// Delete removes k and returns the value it had, if any.
func (m *Map[V]) Delete(k string) (V, bool) {
	if m.root == nil {
		var zero V
		return zero, false
	}
	v, ok := m.root.del(k)
	if !ok {
		return v, false
	}
	m.n--
	switch {
	case !m.root.leaf() && len(m.root.kids) == 1:
		m.root = m.root.kids[0]
	case m.root.leaf() && len(m.root.keys) == 0:
		m.root = nil
	}
	return v, true
}

// del removes k from the subtree at n, refilling any child it leaves less
// than half full. n itself may end up less than half full; its parent
// repairs that.
func (n *node[V]) del(k string) (V, bool) {
	if n.leaf() {
		i, found := lowerBound(n.keys, k)
		if !found {
			var zero V
			return zero, false
		}
		v := n.vals[i]
		n.keys = removeAt(n.keys, i)
		n.vals = removeAt(n.vals, i)
		return v, true
	}
	i := n.child(k)
	v, ok := n.kids[i].del(k)
	if ok && n.kids[i].size() < minSize {
		n.refill(i)
	}
	return v, ok
}

// refill brings child i of n back to at least minSize by moving one entry
// from a sibling that can spare it, or else by merging it with a sibling.
// n has at least two children.
func (n *node[V]) refill(i int) {
	switch {
	case i > 0 && n.kids[i-1].size() > minSize:
		n.moveRight(i - 1)
	case i+1 < len(n.kids) && n.kids[i+1].size() > minSize:
		n.moveLeft(i)
	case i > 0:
		n.merge(i - 1)
	default:
		n.merge(i)
	}
}

// moveRight moves the last entry or child of kids[i] to the front of
// kids[i+1].
func (n *node[V]) moveRight(i int) {
	l, r := n.kids[i], n.kids[i+1]
	last := len(l.keys) - 1
	if l.leaf() {
		r.keys = insertAt(r.keys, 0, l.keys[last])
		r.vals = insertAt(r.vals, 0, l.vals[last])
		l.keys = truncate(l.keys, last)
		l.vals = truncate(l.vals, last)
		n.keys[i] = r.keys[0]
		return
	}
	r.keys = insertAt(r.keys, 0, n.keys[i])
	r.kids = insertAt(r.kids, 0, l.kids[len(l.kids)-1])
	n.keys[i] = l.keys[last]
	l.keys = truncate(l.keys, last)
	l.kids = truncate(l.kids, len(l.kids)-1)
}

// moveLeft moves the first entry or child of kids[i+1] to the end of
// kids[i].
func (n *node[V]) moveLeft(i int) {
	l, r := n.kids[i], n.kids[i+1]
	if l.leaf() {
		l.keys = append(l.keys, r.keys[0])
		l.vals = append(l.vals, r.vals[0])
		r.keys = removeAt(r.keys, 0)
		r.vals = removeAt(r.vals, 0)
		n.keys[i] = r.keys[0]
		return
	}
	l.keys = append(l.keys, n.keys[i])
	l.kids = append(l.kids, r.kids[0])
	n.keys[i] = r.keys[0]
	r.keys = removeAt(r.keys, 0)
	r.kids = removeAt(r.kids, 0)
}

// merge folds kids[i+1] into kids[i] and removes it from n.
func (n *node[V]) merge(i int) {
	l, r := n.kids[i], n.kids[i+1]
	if l.leaf() {
		l.keys = append(l.keys, r.keys...)
		l.vals = append(l.vals, r.vals...)
		l.next = r.next
	} else {
		l.keys = append(l.keys, n.keys[i])
		l.keys = append(l.keys, r.keys...)
		l.kids = append(l.kids, r.kids...)
	}
	n.keys = removeAt(n.keys, i)
	n.kids = removeAt(n.kids, i+1)
}

// seek returns the leaf and index of the first entry with key >= k; the
// index equals len(leaf.keys) only when there is no such entry.
func (m *Map[V]) seek(k string) (*node[V], int) {
	n := m.root
	if n == nil {
		return nil, 0
	}
	for !n.leaf() {
		n = n.kids[n.child(k)]
	}
	i, _ := lowerBound(n.keys, k)
	if i == len(n.keys) && n.next != nil {
		// Only the root can be empty, so the next leaf has an entry.
		return n.next, 0
	}
	return n, i
}

// Seek returns the first entry whose key is >= k, and false if there is
// none.
func (m *Map[V]) Seek(k string) (key string, v V, ok bool) {
	n, i := m.seek(k)
	if n == nil || i == len(n.keys) {
		return "", v, false
	}
	return n.keys[i], n.vals[i], true
}

// Ascend returns an iterator over the entries whose keys are >= from, in
// ascending key order. Ascend("") visits every entry. The map must not be
// modified while the iteration runs.
func (m *Map[V]) Ascend(from string) iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		n, i := m.seek(from)
		for ; n != nil; n, i = n.next, 0 {
			for ; i < len(n.keys); i++ {
				if !yield(n.keys[i], n.vals[i]) {
					return
				}
			}
		}
	}
}

// insertAt inserts v at index i of s, which the node constructors give
// enough capacity for the insert to stay in place.
func insertAt[T any](s []T, i int, v T) []T {
	var zero T
	s = append(s, zero)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// removeAt removes index i of s and zeroes the vacated slot, so the backing
// array does not keep a removed key or value alive.
func removeAt[T any](s []T, i int) []T {
	copy(s[i:], s[i+1:])
	return truncate(s, len(s)-1)
}

// truncate shortens s to n elements, zeroing the rest.
func truncate[T any](s []T, n int) []T {
	clear(s[n:])
	return s[:n]
}
