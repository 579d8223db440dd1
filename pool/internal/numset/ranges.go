package numset

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Range is an inclusive range of values [Lo, Hi]; Lo <= Hi. A Range with
// Lo > Hi is empty: the functions of this package ignore it. The zero Range
// is {0, 0}, the single value 0.
type Range struct{ Lo, Hi uint64 }

// Normalize returns ranges sorted by Lo with overlapping and adjacent ranges
// merged and empty ones (Lo > Hi) dropped. It returns nil when no value
// remains. The input is not modified; the result is a new slice.
func Normalize(ranges []Range) []Range {
	out := make([]Range, 0, len(ranges))
	for _, r := range ranges {
		if r.Lo <= r.Hi {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Range) int { return cmp.Compare(a.Lo, b.Lo) })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if last.Hi == math.MaxUint64 || r.Lo <= last.Hi+1 {
				last.Hi = max(last.Hi, r.Hi)
				continue
			}
		}
		merged = append(merged, r)
	}
	if len(merged) == 0 {
		return nil
	}
	return merged
}

// Subtract returns the values of ranges that are not in minus, as a sorted
// and merged list (the form [Normalize] returns, and [Set.NextFree] needs).
// Neither input needs to be sorted or merged, and neither is modified. It
// returns nil when no value remains.
func Subtract(ranges, minus []Range) []Range {
	a, m := Normalize(ranges), Normalize(minus)
	var out []Range
	j := 0
	for _, r := range a {
		for j < len(m) && m[j].Hi < r.Lo {
			j++
		}
		lo, covered := r.Lo, false
		k := j
		for ; k < len(m) && m[k].Lo <= r.Hi; k++ {
			if m[k].Lo > lo {
				out = append(out, Range{lo, m[k].Lo - 1})
			}
			if m[k].Hi >= r.Hi {
				covered = true
				break
			}
			lo = m[k].Hi + 1 // m[k].Hi < r.Hi: no overflow
		}
		if !covered {
			out = append(out, Range{lo, r.Hi})
		}
		// m[k] may reach into the next range, so resume from it.
		j = k
	}
	return out
}

// Size returns the number of values in ranges, saturating at
// math.MaxUint64 (the full uint64 space holds one value more than that).
// Ranges are counted as given: overlapping ranges count their shared values
// twice, so pass the result of [Normalize] when in doubt. Empty ranges count
// zero.
func Size(ranges []Range) uint64 {
	var total uint64
	for _, r := range ranges {
		if r.Lo > r.Hi {
			continue
		}
		n := r.Hi - r.Lo
		if n == math.MaxUint64 {
			return math.MaxUint64
		}
		var carry uint64
		total, carry = bits.Add64(total, n+1, 0)
		if carry != 0 {
			return math.MaxUint64
		}
	}
	return total
}
