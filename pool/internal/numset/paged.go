package numset

import (
	"math"
	"math/bits"
	"slices"
)

const (
	pageShift = 12
	pageSize  = 1 << pageShift // values per page
	pageMask  = pageSize - 1
	pageWords = pageSize / 64
	maxKey    = math.MaxUint64 >> pageShift // key of the last page

	// inlineMax is how many values a page stores inline, as 12-bit offsets
	// packed into page.aux, before it allocates a bitmap.
	inlineMax = 5
	// inlineMin is the population at which a bitmap page goes back to the
	// inline form.
	inlineMin = 3
)

// paged is the representation of a large set: pages of pageSize values,
// sorted by key (value >> pageShift). Pages with no values are removed.
type paged struct {
	pages []page
	// full has bit i set when pages[i] holds all pageSize values. It lets
	// nextFree skip a run of full pages without visiting each of them.
	full []uint64
	n    int // number of values in the set
}

// page holds the values v with v>>pageShift == key.
type page struct {
	key uint64
	// aux is, for a bitmap page, a summary with bit w set when bits[w] is
	// all ones; for an inline page, up to inlineMax offsets, sorted, 12 bits
	// each, slot i at bits [12i, 12i+12).
	aux  uint64
	bits *[pageWords]uint64 // nil for an inline page
	n    uint32             // number of values in the page
}

// newPaged returns the paged form of the sorted values vs.
func newPaged(vs []uint64) *paged {
	p := &paged{}
	for _, v := range vs {
		p.add(v)
	}
	return p
}

// find returns the index of the first page whose key is >= key, and whether
// that page's key is key.
func (p *paged) find(key uint64) (int, bool) {
	lo, hi := 0, len(p.pages)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p.pages[m].key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(p.pages) && p.pages[lo].key == key
}

func (p *paged) add(v uint64) bool {
	key, off := v>>pageShift, uint32(v&pageMask)
	i, ok := p.find(key)
	if !ok {
		p.pages = slices.Insert(p.pages, i, page{key: key})
		p.full = insertBit(p.full, i, len(p.pages))
	}
	pg := &p.pages[i]
	if !pg.add(off) {
		return false
	}
	p.n++
	if pg.n == pageSize {
		p.full[i>>6] |= 1 << (i & 63)
	}
	return true
}

func (p *paged) remove(v uint64) bool {
	key, off := v>>pageShift, uint32(v&pageMask)
	i, ok := p.find(key)
	if !ok {
		return false
	}
	pg := &p.pages[i]
	wasFull := pg.n == pageSize
	if !pg.remove(off) {
		return false
	}
	p.n--
	if wasFull {
		p.full[i>>6] &^= 1 << (i & 63)
	}
	if pg.n == 0 {
		p.pages = slices.Delete(p.pages, i, i+1)
		p.full = deleteBit(p.full, i, len(p.pages))
	}
	return true
}

func (p *paged) contains(v uint64) bool {
	i, ok := p.find(v >> pageShift)
	return ok && p.pages[i].has(uint32(v&pageMask))
}

// nextFree returns the smallest value in [f, hi] not in the set. It requires
// f <= hi. The loop runs at most three times: after the page holding f comes
// at most one run of full pages, and the page after that run is either absent
// (free) or not full (has a free value).
func (p *paged) nextFree(f, hi uint64) (uint64, bool) {
	key := f >> pageShift
	i, _ := p.find(key)
	for {
		if i == len(p.pages) || p.pages[i].key != key {
			return f, true // no page: nothing taken here
		}
		pg := &p.pages[i]
		if pg.n < pageSize {
			if off, ok := pg.freeFrom(uint32(f & pageMask)); ok {
				v := key<<pageShift | uint64(off)
				if v > hi {
					return 0, false
				}
				return v, true
			}
		}
		// Everything from f to the end of this page is taken.
		if key == maxKey {
			return 0, false
		}
		key++
		i++
		if i < len(p.pages) && p.pages[i].key == key && p.pages[i].n == pageSize {
			k := p.fullRunEnd(i)
			if p.pages[k].key == maxKey {
				return 0, false
			}
			key = p.pages[k].key + 1
			i = k + 1
		}
		f = key << pageShift
		if f > hi {
			return 0, false
		}
	}
}

// fullRunEnd returns the index k >= i of the last page of the run of full
// pages with consecutive keys that starts at index i, which must be full.
func (p *paged) fullRunEnd(i int) int {
	j := nextZero(p.full, i, len(p.pages)) // pages[i:j] are all full
	// Keys are strictly increasing, so key-index never decreases, and it
	// stays equal exactly while the keys are consecutive.
	base := p.pages[i].key - uint64(i)
	lo, hi := i+1, j
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if p.pages[m].key-uint64(m) == base {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// countIn returns how many values lie in [lo, hi], lo <= hi.
func (p *paged) countIn(lo, hi uint64) int {
	first, last := lo>>pageShift, hi>>pageShift
	n := 0
	i, _ := p.find(first)
	for ; i < len(p.pages) && p.pages[i].key <= last; i++ {
		pg := &p.pages[i]
		a, b := uint32(0), uint32(pageMask)
		if pg.key == first {
			a = uint32(lo & pageMask)
		}
		if pg.key == last {
			b = uint32(hi & pageMask)
		}
		if a == 0 && b == pageMask {
			n += int(pg.n)
		} else {
			n += pg.countIn(a, b)
		}
	}
	return n
}

func (p *paged) all(yield func(uint64) bool) {
	for _, pg := range p.pages {
		base := pg.key << pageShift
		if pg.bits == nil {
			for j := range pg.n {
				if !yield(base | uint64(pg.slot(j))) {
					return
				}
			}
			continue
		}
		for w, word := range pg.bits {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				word &= word - 1
				if !yield(base | uint64(w<<6+b)) {
					return
				}
			}
		}
	}
}

// values returns the set's values as a sorted slice sized to fit.
func (p *paged) values() []uint64 {
	vs := slices.Grow([]uint64(nil), p.n)
	p.all(func(v uint64) bool {
		vs = append(vs, v)
		return true
	})
	return vs
}

func (p *paged) clone() *paged {
	c := &paged{
		pages: slices.Clone(p.pages),
		full:  slices.Clone(p.full),
		n:     p.n,
	}
	for i := range c.pages {
		if b := c.pages[i].bits; b != nil {
			nb := *b
			c.pages[i].bits = &nb
		}
	}
	return c
}

// slot returns the inline offset in slot i.
func (pg *page) slot(i uint32) uint32 {
	return uint32(pg.aux>>(12*i)) & pageMask
}

func (pg *page) has(off uint32) bool {
	if pg.bits != nil {
		return pg.bits[off>>6]&(1<<(off&63)) != 0
	}
	for i := range pg.n {
		if pg.slot(i) == off {
			return true
		}
	}
	return false
}

// add adds off and reports whether it was absent.
func (pg *page) add(off uint32) bool {
	if pg.bits == nil {
		var i uint32
		for ; i < pg.n; i++ {
			s := pg.slot(i)
			if s == off {
				return false
			}
			if s > off {
				break
			}
		}
		if pg.n < inlineMax {
			lowMask := uint64(1)<<(12*i) - 1
			pg.aux = pg.aux&lowMask | uint64(off)<<(12*i) | (pg.aux&^lowMask)<<12
			pg.n++
			return true
		}
		pg.toBitmap()
	}
	w, b := off>>6, uint64(1)<<(off&63)
	if pg.bits[w]&b != 0 {
		return false
	}
	pg.bits[w] |= b
	if pg.bits[w] == math.MaxUint64 {
		pg.aux |= 1 << w
	}
	pg.n++
	return true
}

// remove removes off and reports whether it was present.
func (pg *page) remove(off uint32) bool {
	if pg.bits == nil {
		for i := range pg.n {
			if pg.slot(i) == off {
				lowMask := uint64(1)<<(12*i) - 1
				pg.aux = pg.aux&lowMask | (pg.aux>>(12*(i+1)))<<(12*i)
				pg.n--
				return true
			}
		}
		return false
	}
	w, b := off>>6, uint64(1)<<(off&63)
	if pg.bits[w]&b == 0 {
		return false
	}
	pg.bits[w] &^= b
	pg.aux &^= 1 << w
	pg.n--
	if pg.n <= inlineMin {
		pg.toInline()
	}
	return true
}

func (pg *page) toBitmap() {
	b := new([pageWords]uint64)
	for i := range pg.n {
		off := pg.slot(i)
		b[off>>6] |= 1 << (off & 63)
	}
	pg.bits = b
	pg.aux = 0 // at most inlineMax+1 values: no word is full
}

func (pg *page) toInline() {
	var aux uint64
	var i uint32
	for w, word := range pg.bits {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			aux |= uint64(w<<6+b) << (12 * i)
			i++
		}
	}
	pg.aux, pg.bits = aux, nil
}

// freeFrom returns the smallest offset >= off that is not in the page.
func (pg *page) freeFrom(off uint32) (uint32, bool) {
	if pg.bits == nil {
		c := off
		for i := range pg.n {
			switch s := pg.slot(i); {
			case s == c:
				c++
			case s > c:
				return c, true // slots are sorted: c is free
			}
		}
		return c, c <= pageMask
	}
	w := off >> 6
	if m := ^pg.bits[w] & (math.MaxUint64 << (off & 63)); m != 0 {
		return w<<6 | uint32(bits.TrailingZeros64(m)), true
	}
	// Words after w that are not full. For w == 63 the shift is 64 and
	// the mask is all ones, leaving nothing.
	rest := ^pg.aux &^ (uint64(1)<<(w+1) - 1)
	if rest == 0 {
		return 0, false
	}
	w = uint32(bits.TrailingZeros64(rest))
	return w<<6 | uint32(bits.TrailingZeros64(^pg.bits[w])), true
}

// countIn returns how many offsets in [a, b] are in the page.
func (pg *page) countIn(a, b uint32) int {
	if pg.bits == nil {
		n := 0
		for i := range pg.n {
			if s := pg.slot(i); a <= s && s <= b {
				n++
			}
		}
		return n
	}
	wa, wb := a>>6, b>>6
	loMask := uint64(math.MaxUint64) << (a & 63)
	hiMask := uint64(math.MaxUint64) >> (63 - b&63)
	if wa == wb {
		return bits.OnesCount64(pg.bits[wa] & loMask & hiMask)
	}
	n := bits.OnesCount64(pg.bits[wa]&loMask) + bits.OnesCount64(pg.bits[wb]&hiMask)
	for w := wa + 1; w < wb; w++ {
		n += bits.OnesCount64(pg.bits[w])
	}
	return n
}

// insertBit inserts a zero bit at index i of the bitset b, shifting the bits
// at i and above up by one, for a bitset that then holds n bits.
func insertBit(b []uint64, i, n int) []uint64 {
	for len(b)*64 < n {
		b = append(b, 0)
	}
	w := i >> 6
	for k := len(b) - 1; k > w; k-- {
		b[k] = b[k]<<1 | b[k-1]>>63
	}
	low := uint64(1)<<(i&63) - 1
	b[w] = b[w]&low | (b[w]&^low)<<1
	return b
}

// deleteBit removes bit i of the bitset b, shifting the bits above it down
// by one, for a bitset that then holds n bits. Bits at n and above are zero.
func deleteBit(b []uint64, i, n int) []uint64 {
	w := i >> 6
	low := uint64(1)<<(i&63) - 1
	b[w] = b[w]&low | (b[w]>>1)&^low
	for k := w + 1; k < len(b); k++ {
		b[k-1] |= b[k] << 63
		b[k] >>= 1
	}
	return b[:(n+63)/64]
}

// nextZero returns the index of the first zero bit at or after i in the
// first n bits of b, or n if there is none.
func nextZero(b []uint64, i, n int) int {
	w := i >> 6
	if w >= len(b) {
		return n
	}
	m := ^b[w] &^ (uint64(1)<<(i&63) - 1)
	for m == 0 {
		w++
		if w == len(b) {
			return n
		}
		m = ^b[w]
	}
	return min(w<<6+bits.TrailingZeros64(m), n)
}
