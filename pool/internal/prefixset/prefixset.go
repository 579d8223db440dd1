package prefixset

import (
	"iter"
	"net/netip"
	"slices"
)

const (
	fam4 = 0
	fam6 = 1

	// noFree is node.free for a subtree with no free block of any length.
	noFree = 255
	// maxPath bounds the number of nodes on a root-to-leaf path: prefix
	// lengths strictly increase along it and lie in [0, 128].
	maxPath = 129
)

// Set is a set of non-overlapping IP prefixes. The zero Set is empty and
// ready to use.
//
// IPv4 and IPv6 prefixes are kept apart and never overlap each other, so one
// Set may hold both families (a pool normally uses one). An IPv4-mapped IPv6
// prefix such as ::ffff:10.0.0.0/104 is an IPv6 prefix.
//
// A Set must not be copied after first use; use [Set.Clone]. A Set is not
// safe for concurrent use; callers serialize.
type Set struct {
	// chunks holds the trie nodes of both families, chunkSize per chunk,
	// so growing never copies more than one chunk. Node 0 is an unused
	// sentinel, so a zero child or root index means "none".
	chunks [][]node
	next   uint32    // nodes allocated so far, including the sentinel
	roots  [2]uint32 // per family (fam4, fam6)
	spare  uint32    // head of the list of released nodes, linked by child[0]
}

const (
	chunkShift = 10
	chunkSize  = 1 << chunkShift
	chunkMask  = chunkSize - 1
)

// at returns node i. The pointer is invalidated by the next alloc.
func (s *Set) at(i uint32) *node {
	return &s.chunks[i>>chunkShift][i&chunkMask]
}

// node is a node of a path-compressed binary trie over the key bits.
// Stored prefixes are leaves; every other node has exactly two children and
// stands for the longest prefix its two subtrees share. 48 bytes, no
// pointers, so the garbage collector does not scan the node array.
type node struct {
	key   u128      // the prefix, host bits zero
	addrs u128      // addresses covered by the leaves below, saturating
	child [2]uint32 // both zero for a leaf
	n     uint32    // leaves below (1 for a leaf)
	bits  uint8     // prefix length
	// free is the shortest length L such that some /L block inside this
	// node's prefix overlaps no leaf, or noFree. A /b block is free
	// somewhere below the node exactly when free <= b.
	free uint8
}

func (nd *node) leaf() bool { return nd.child[0] == 0 }

// split returns the family, key and length of p, and false if p is invalid
// or has host bits set.
func split(p netip.Prefix) (fam int, k u128, n int, ok bool) {
	if !p.IsValid() || p != p.Masked() {
		return 0, u128{}, 0, false
	}
	fam = fam6
	if p.Addr().Is4() {
		fam = fam4
	}
	return fam, keyOf(p.Addr()), p.Bits(), true
}

// width returns the address length of family fam in bits.
func width(fam int) int {
	if fam == fam4 {
		return 32
	}
	return 128
}

// Add adds p and reports whether it did. It adds nothing and returns false
// when p overlaps a stored prefix (equals, contains or is contained by it),
// and when p is invalid or not masked (p != p.Masked()). It allocates only
// when the node storage grows, one chunk at a time.
func (s *Set) Add(p netip.Prefix) bool {
	fam, k, n, ok := split(p)
	if !ok {
		return false
	}
	// Walk down while the node's prefix contains p. Such a node must be an
	// inner node: a leaf containing p overlaps it.
	var path [maxPath]uint32
	depth := 0
	cur := s.roots[fam]
	for cur != 0 {
		nd := s.at(cur)
		if commonLen(nd.key, k) < int(nd.bits) {
			break
		}
		if nd.leaf() || int(nd.bits) >= n {
			return false // nd is a stored prefix containing p, or lies inside p
		}
		path[depth] = cur
		depth++
		cur = nd.child[k.bit(int(nd.bits))]
	}
	var c int
	if cur != 0 {
		// p and cur diverge at bit c, unless p contains cur.
		if c = commonLen(s.at(cur).key, k); c >= n {
			return false
		}
	}
	size := pow2(width(fam) - n)
	top := s.alloc(node{key: k, addrs: size, n: 1, bits: uint8(n), free: noFree})
	if cur != 0 {
		leaf := top
		top = s.alloc(node{key: k.masked(c), bits: uint8(c)})
		in := s.at(top)
		d := k.bit(c)
		in.child[d], in.child[1-d] = leaf, cur
		s.fix(top)
	}
	if depth == 0 {
		s.roots[fam] = top
		return true
	}
	parent := s.at(path[depth-1])
	parent.child[k.bit(int(parent.bits))] = top
	// Update the ancestors: counts always change, the free summary only
	// until it stops changing (it depends on nothing else below).
	freeChanged := true
	for depth > 0 {
		depth--
		nd := s.at(path[depth])
		nd.n++
		nd.addrs = nd.addrs.addSat(size)
		if freeChanged {
			old := nd.free
			nd.free = min(childFree(s.at(nd.child[0]), nd.bits), childFree(s.at(nd.child[1]), nd.bits))
			freeChanged = nd.free != old
		}
	}
	return true
}

// Remove removes the prefix p, which must be stored exactly, and reports
// whether it did. It never allocates; the node storage is dropped when the
// set becomes empty.
func (s *Set) Remove(p netip.Prefix) bool {
	fam, k, n, ok := split(p)
	if !ok || s.next == 0 {
		return false
	}
	var path [maxPath]uint32
	depth := 0
	cur := s.roots[fam]
	for cur != 0 && !s.at(cur).leaf() {
		nd := s.at(cur)
		if int(nd.bits) >= n || commonLen(nd.key, k) < int(nd.bits) {
			return false
		}
		path[depth] = cur
		depth++
		cur = nd.child[k.bit(int(nd.bits))]
	}
	if cur == 0 || s.at(cur).key != k || int(s.at(cur).bits) != n {
		return false
	}
	if depth == 0 {
		s.roots[fam] = 0
		s.release(cur)
	} else {
		// Replace the parent by the leaf's sibling.
		parent := path[depth-1]
		sib := s.at(parent).child[0]
		if sib == cur {
			sib = s.at(parent).child[1]
		}
		if depth == 1 {
			s.roots[fam] = sib
		} else {
			gp := s.at(path[depth-2])
			gp.child[k.bit(int(gp.bits))] = sib
		}
		s.release(cur)
		s.release(parent)
		for depth -= 2; depth >= 0; depth-- {
			s.fix(path[depth])
		}
	}
	if s.roots == [2]uint32{} {
		*s = Set{}
	}
	return true
}

// Contains reports whether the prefix p is stored exactly. It returns false
// for an invalid or unmasked p. It never allocates.
func (s *Set) Contains(p netip.Prefix) bool {
	fam, k, n, ok := split(p)
	if !ok {
		return false
	}
	i, hit := s.overlap(fam, k, n)
	return hit && s.at(i).key == k && int(s.at(i).bits) == n
}

// Overlapping returns a stored prefix that overlaps p (equals, contains or
// is contained by it), and false when there is none. Host bits of p are
// ignored; an invalid p overlaps nothing. When several stored prefixes lie
// inside p it returns the lowest. It never allocates.
func (s *Set) Overlapping(p netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		return netip.Prefix{}, false
	}
	fam, k, n, _ := split(p.Masked())
	i, hit := s.overlap(fam, k, n)
	if !hit {
		return netip.Prefix{}, false
	}
	return s.prefix(fam, i), true
}

// overlap returns the index of a leaf overlapping the prefix k/n of family
// fam: the leaf containing it, or the lowest leaf inside it.
func (s *Set) overlap(fam int, k u128, n int) (uint32, bool) {
	cur := s.roots[fam]
	for cur != 0 {
		nd := s.at(cur)
		nb := int(nd.bits)
		if commonLen(nd.key, k) < min(nb, n) {
			return 0, false // the prefixes diverge
		}
		if nb >= n { // nd lies inside k/n
			for !s.at(cur).leaf() {
				cur = s.at(cur).child[0]
			}
			return cur, true
		}
		if nd.leaf() { // a stored prefix contains k/n
			return cur, true
		}
		cur = nd.child[k.bit(nb)]
	}
	return 0, false
}

// Len returns the number of stored prefixes. It never allocates.
func (s *Set) Len() int {
	if s.next == 0 {
		return 0
	}
	return int(s.at(s.roots[fam4]).n) + int(s.at(s.roots[fam6]).n)
}

// NextFree returns the lowest prefix of length bits that lies inside within,
// starts at an address >= from, and overlaps no stored prefix. It reports
// false when there is none.
//
// Host bits of within are ignored. Pass the zero [netip.Addr] as from to
// search from the start of within; a from inside a block means the next
// aligned block at or after from, and a from below within means the start of
// within. The result is false when within is invalid, when bits is outside
// [within.Bits(), within.Addr().BitLen()], or when from is valid but of the
// other family than within.
//
// Full subtrees are skipped using a per-node summary, so the cost is
// O(prefix length) whatever the number of stored prefixes. It never
// allocates.
func (s *Set) NextFree(within netip.Prefix, bits int, from netip.Addr) (netip.Prefix, bool) {
	if !within.IsValid() {
		return netip.Prefix{}, false
	}
	fam, start, wb, _ := split(within.Masked())
	if bits < wb || bits > width(fam) {
		return netip.Prefix{}, false
	}
	f := start
	if from.IsValid() {
		if from.Is4() != (fam == fam4) {
			return netip.Prefix{}, false
		}
		if k := keyOf(from); start.less(k) {
			var ok bool
			if f, ok = alignUp(k, bits); !ok {
				return netip.Prefix{}, false
			}
		}
	}
	m := hostMask(wb)
	last := u128{start.hi | m.hi, start.lo | m.lo}
	if last.less(f) {
		return netip.Prefix{}, false
	}
	r, ok, _ := s.search(s.roots[fam], bits, f)
	if !ok || last.less(r) {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(addrOf(r, fam), bits), true
}

// search returns the start of the lowest /b block at or after f (which is
// /b aligned) that overlaps no leaf under root, and the number of loop
// steps it took (for tests).
//
// Think of the uncompressed trie: a node at depth d < nodes[i].bits on the
// compressed edge into node i has one child leading on to i and one empty,
// free child. The search first follows f down (phase 1). If f's block is
// free it lands in an empty subtree and returns f. Otherwise it remembers the
// deepest subtree to the right of its path that has a free /b block (a free
// sibling on an edge, or a right child whose free summary is <= b), and
// descends from there to the lowest free block (phase 2), which cannot fail.
// Both phases take one step per compressed node on a path.
func (s *Set) search(root uint32, b int, f u128) (u128, bool, int) {
	steps := 0
	// The candidate subtree for phase 2: node ci entered at depth cd with
	// prefix cpre, or just the free block cpre when ci is 0.
	var ci uint32
	var cd int
	var cpre u128
	found := false

	i, d := root, 0
	for {
		steps++
		if i == 0 {
			return f, true, steps // nothing stored around f
		}
		nd := s.at(i)
		nb := int(nd.bits)
		if lim := min(nb, b); d < lim {
			if p := commonLen(f, nd.key); p < lim {
				return f, true, steps // f leaves the edge into an empty subtree
			}
			// f follows the edge. Where its bit is 0, the 1-sibling is empty.
			if q, ok := lastZero(nd.key, d, lim); ok {
				ci, cpre, found = 0, nd.key.masked(q).setBit(q), true
			}
			d = lim
		}
		if d < nb || int(nd.free) > b {
			break // f's /b block holds (part of) node i, or i is full
		}
		// d == nb < b: choose the child on f's side.
		if f.bit(nb) == 1 {
			i = nd.child[1]
		} else {
			if r := nd.child[1]; s.viable(r, nb+1, b) {
				ci, cd, cpre, found = r, nb+1, nd.key.setBit(nb), true
			}
			i = nd.child[0]
		}
		d = nb + 1
	}
	if !found {
		return u128{}, false, steps
	}

	// Phase 2: the lowest free /b block in the viable subtree ci at depth cd.
	i, d = ci, cd
	for {
		steps++
		if i == 0 {
			return cpre, true, steps
		}
		nd := s.at(i)
		nb := int(nd.bits)
		if lim := min(nb, b); d < lim {
			// Going down the edge, the first 1 bit has an empty 0-sibling.
			if q, ok := firstOne(nd.key, d, lim); ok {
				return nd.key.masked(q), true, steps
			}
			// All zeros: if the node itself has no free block, the
			// deepest 1-sibling on the edge is the answer.
			if nb > b || int(nd.free) > b {
				return nd.key.masked(lim - 1).setBit(lim - 1), true, steps
			}
			d = nb
		}
		// d == nb and nd.free <= b.
		c0 := nd.child[0]
		if s.viable(c0, nb+1, b) {
			i = c0
		} else {
			i = nd.child[1]
		}
		d = nb + 1
	}
}

// viable reports whether the subtree entered at node i (non-zero) at depth d
// has a free /b block: a depth on i's compressed edge has an empty sibling.
func (s *Set) viable(i uint32, d, b int) bool {
	nd := s.at(i)
	if d < int(nd.bits) {
		return d < b
	}
	return int(nd.free) <= b
}

// CountIn returns how many stored prefixes lie inside r (equal it or are
// contained by it) and how many addresses they cover. A stored prefix that
// strictly contains r is not inside it, so it counts zero. Host bits of r
// are ignored.
//
// The address count saturates at math.MaxUint64, which an IPv6 /64 alone
// exceeds; for IPv6 use n or [Set.BlocksIn]. The cost is O(prefix length)
// (counts are kept per trie node). It never allocates.
func (s *Set) CountIn(r netip.Prefix) (n int, addrs uint64) {
	i, _, ok := s.inside(r)
	if !ok {
		return 0, 0
	}
	return int(s.at(i).n), s.at(i).addrs.sat64()
}

// BlocksIn returns how many /bits blocks the stored prefixes inside r cover:
// their address count divided by the size of a /bits block, rounded down and
// saturating at math.MaxUint64. For a pool handing out IPv6 /64s,
// BlocksIn(r, 64) counts the /64s in use where [Set.CountIn]'s address count
// would saturate. It returns 0 when bits is outside [0, r.Addr().BitLen()].
// Internally address counts are 128-bit; the one count that does not fit,
// the whole IPv6 space, is held as 2^128-1.
func (s *Set) BlocksIn(r netip.Prefix, bits int) uint64 {
	i, fam, ok := s.inside(r)
	if !ok || bits < 0 || bits > width(fam) {
		return 0
	}
	return s.at(i).addrs.shr(width(fam) - bits).sat64()
}

// inside returns the node whose subtree holds exactly the stored prefixes
// inside r.
func (s *Set) inside(r netip.Prefix) (uint32, int, bool) {
	if !r.IsValid() || s.next == 0 {
		return 0, 0, false
	}
	fam, k, n, _ := split(r.Masked())
	cur := s.roots[fam]
	for cur != 0 {
		nd := s.at(cur)
		nb := int(nd.bits)
		if commonLen(nd.key, k) < min(nb, n) {
			return 0, 0, false
		}
		if nb >= n {
			return cur, fam, true
		}
		if nd.leaf() {
			return 0, 0, false
		}
		cur = nd.child[k.bit(nb)]
	}
	return 0, 0, false
}

// All returns an iterator over the stored prefixes in ascending address
// order (IPv4 before IPv6, as [netip.Addr.Compare] orders them). The set
// must not be modified while the iteration runs; if it is, the prefixes
// yielded are unspecified (but the iterator does not panic).
func (s *Set) All() iter.Seq[netip.Prefix] {
	return func(yield func(netip.Prefix) bool) {
		for fam := range 2 {
			var stack [maxPath + 1]uint32
			sp := 0
			if s.roots[fam] != 0 {
				stack[0] = s.roots[fam]
				sp = 1
			}
			for sp > 0 {
				sp--
				i := stack[sp]
				if i >= s.next {
					return // modified during iteration
				}
				nd := s.at(i)
				if nd.leaf() {
					if !yield(s.prefix(fam, i)) {
						return
					}
					continue
				}
				if sp+2 > len(stack) {
					return // modified during iteration
				}
				stack[sp], stack[sp+1] = nd.child[1], nd.child[0]
				sp += 2
			}
		}
	}
}

// Clone returns an independent copy of the set, for dry runs. It allocates
// a copy of the node storage.
func (s *Set) Clone() *Set {
	c := *s
	c.chunks = make([][]node, len(s.chunks))
	for j, ch := range s.chunks {
		c.chunks[j] = slices.Clone(ch)
	}
	return &c
}

func (s *Set) prefix(fam int, i uint32) netip.Prefix {
	nd := s.at(i)
	return netip.PrefixFrom(addrOf(nd.key, fam), int(nd.bits))
}

// fix recomputes the summaries of inner node i from its children.
func (s *Set) fix(i uint32) {
	nd := s.at(i)
	c0, c1 := s.at(nd.child[0]), s.at(nd.child[1])
	nd.n = c0.n + c1.n
	nd.addrs = c0.addrs.addSat(c1.addrs)
	nd.free = min(childFree(c0, nd.bits), childFree(c1, nd.bits))
}

// childFree is the free summary that child c contributes to its parent of
// length pb: a child more than one bit longer leaves the other half of the
// /(pb+1) block on its compressed edge empty.
func childFree(c *node, pb uint8) uint8 {
	if c.bits > pb+1 {
		return pb + 2
	}
	return c.free
}

// alloc stores nd in a free slot and returns its index. It invalidates
// pointers returned by at.
func (s *Set) alloc(nd node) uint32 {
	if i := s.spare; i != 0 {
		p := s.at(i)
		s.spare = p.child[0]
		*p = nd
		return i
	}
	if s.next == 0 {
		s.chunks = [][]node{make([]node, 1, 8)} // the sentinel
		s.next = 1
	}
	i := s.next
	c := int(i >> chunkShift)
	if c == len(s.chunks) {
		s.chunks = append(s.chunks, make([]node, 0, chunkSize))
	}
	// The first chunk grows by appending, so a small set stays small;
	// later chunks are allocated whole and never move.
	s.chunks[c] = append(s.chunks[c], nd)
	s.next++
	return i
}

func (s *Set) release(i uint32) {
	*s.at(i) = node{child: [2]uint32{s.spare, 0}}
	s.spare = i
}
