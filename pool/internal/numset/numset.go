package numset

import (
	"iter"
	"slices"
)

// Set is a set of uint64 values. The zero Set is empty and ready to use.
//
// A Set must not be copied after first use; use [Set.Clone]. A Set is not
// safe for concurrent use; callers serialize.
type Set struct {
	// small holds the values, sorted, while the set has at most smallMax of
	// them and big is nil.
	small []uint64
	// big holds the values once the set has grown past smallMax; it is
	// dropped again when the set shrinks to smallMin values.
	big *paged
}

const (
	// smallMax is the largest set kept as a sorted slice (512 bytes, the
	// size of one bitmap page).
	smallMax = 64
	// smallMin is the size at which a paged set turns back into a slice. The
	// gap to smallMax keeps a set that hovers around the limit from
	// converting on every call.
	smallMin = smallMax / 2
)

// Add adds v to the set and reports whether it was absent. It allocates only
// when the set grows its storage.
func (s *Set) Add(v uint64) bool {
	if s.big == nil {
		i, found := slices.BinarySearch(s.small, v)
		if found {
			return false
		}
		if len(s.small) < smallMax {
			s.small = insertValue(s.small, i, v)
			return true
		}
		s.big = newPaged(s.small)
		s.small = nil
	}
	return s.big.add(v)
}

// Remove removes v from the set and reports whether it was present. It may
// allocate when the set shrinks its storage.
func (s *Set) Remove(v uint64) bool {
	if s.big == nil {
		i, found := slices.BinarySearch(s.small, v)
		if !found {
			return false
		}
		s.small = slices.Delete(s.small, i, i+1)
		switch {
		case len(s.small) == 0:
			s.small = nil
		case len(s.small) <= cap(s.small)/4:
			s.small = slices.Clone(s.small) // give back most of the array
		}
		return true
	}
	if !s.big.remove(v) {
		return false
	}
	if s.big.n <= smallMin {
		s.small = s.big.values()
		s.big = nil
	}
	return true
}

// Contains reports whether v is in the set. It does not allocate.
func (s *Set) Contains(v uint64) bool {
	if s.big == nil {
		_, found := slices.BinarySearch(s.small, v)
		return found
	}
	return s.big.contains(v)
}

// Len returns the number of values in the set. It never allocates.
func (s *Set) Len() int {
	if s.big == nil {
		return len(s.small)
	}
	return s.big.n
}

// NextFree returns the smallest value v >= from that lies inside one of the
// ranges in within and is not in the set. It reports false when there is no
// such value, including when within is empty or every value in it at or
// after from is taken.
//
// within must be sorted ascending and non-overlapping, as [Normalize] and
// [Subtract] return it; otherwise the result is unspecified (but NextFree
// does not panic). Ranges with Lo > Hi are ignored.
//
// NextFree never scans value by value: full pages are skipped in runs and
// pages absent from the set are free. Its cost is O(log pages) per range it
// has to look at. It does not allocate.
func (s *Set) NextFree(from uint64, within []Range) (uint64, bool) {
	// Skip the ranges that end before from.
	lo, hi := 0, len(within)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if within[m].Hi < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for _, r := range within[lo:] {
		if r.Lo > r.Hi || r.Hi < from {
			continue
		}
		f := max(from, r.Lo)
		var v uint64
		var ok bool
		if s.big == nil {
			v, ok = smallNextFree(s.small, f, r.Hi)
		} else {
			v, ok = s.big.nextFree(f, r.Hi)
		}
		if ok {
			return v, true
		}
	}
	return 0, false
}

// CountIn returns how many values of the set lie in r. It returns 0 when
// r.Lo > r.Hi. Its cost is O(log pages + pages overlapping r).
func (s *Set) CountIn(r Range) int {
	if r.Lo > r.Hi {
		return 0
	}
	if s.big == nil {
		i, _ := slices.BinarySearch(s.small, r.Lo)
		j, found := slices.BinarySearch(s.small, r.Hi)
		if found {
			j++
		}
		return j - i
	}
	return s.big.countIn(r.Lo, r.Hi)
}

// All returns an iterator over the set's values in ascending order. The set
// must not be modified while the iteration runs; if it is, the values
// yielded are unspecified (but the iterator does not panic).
func (s *Set) All() iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		if s.big == nil {
			for _, v := range s.small {
				if !yield(v) {
					return
				}
			}
			return
		}
		s.big.all(yield)
	}
}

// Clone returns an independent copy of the set, for dry runs. It allocates
// storage sized to the set's contents.
func (s *Set) Clone() *Set {
	c := &Set{}
	if s.big != nil {
		c.big = s.big.clone()
	} else if len(s.small) > 0 {
		c.small = slices.Clone(s.small)
	}
	return c
}

// insertValue inserts v at index i of the sorted slice vs. It grows the
// backing array in small steps rather than by doubling, because most small
// sets (a VLAN set per interface) stay small and the spare capacity of a
// doubled array would be most of their memory.
func insertValue(vs []uint64, i int, v uint64) []uint64 {
	if len(vs) == cap(vs) {
		// slices.Grow on an empty slice rounds the capacity up to the
		// allocator's size class, so no allocated byte is wasted.
		grown := slices.Grow([]uint64(nil), len(vs)+max(2, len(vs)/4))
		vs = append(grown, vs...)
	}
	return slices.Insert(vs, i, v)
}

// smallNextFree is NextFree over a sorted slice for one range: the smallest
// value in [f, hi] not in vs. It requires f <= hi. Its cost is O(log n) plus
// the length of the run of taken values starting at f (at most smallMax).
func smallNextFree(vs []uint64, f, hi uint64) (uint64, bool) {
	i, _ := slices.BinarySearch(vs, f)
	for ; i < len(vs) && vs[i] == f; i++ {
		if f == hi {
			return 0, false
		}
		f++
	}
	return f, true
}
