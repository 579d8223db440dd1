// Package numset implements a compact set of uint64 values with a fast
// "next free value" search, used by the pool allocators for VLAN IDs,
// labels, VC IDs and similar numbered resources.
//
// # Model
//
// A [Set] holds arbitrary uint64 values; a pool's usable values are described
// separately by a sorted list of inclusive [Range] values, so one Set can be
// searched against different views of a pool (the full range, the range minus
// reservations built with [Subtract], a dry-run clone, ...). [Set.NextFree]
// returns the smallest value at or after a starting point that lies inside
// those ranges and is not in the set.
//
// # Representation and cost
//
// A set of at most 64 values is a sorted slice grown in small steps, so a
// per-interface VLAN set costs about 32 bytes of header plus 8 bytes per
// value: 112 bytes for 10 values, 160 for 15. Larger sets switch to a sparse
// paged bitmap: pages of 4096 values, kept sorted by page number and created
// on first use. A page with at most five values stores them inline in its
// 32-byte header; fuller pages add a 512-byte bitmap, and the header keeps a
// one-word summary of its full words. A dense set therefore costs about 0.14
// bytes per value, 500,000 values spread at random over 16 million about 4.3,
// and a set spread thinly over a wide range (one value per page) about 36.
// The worst case is pages that each hold a bitmap for only four to six
// values: about 90 to 140 bytes per value. A set that shrinks to 32 values returns to the slice form, and pages that
// become empty are freed.
//
// [Set.Add], [Set.Remove] and [Set.Contains] cost O(log pages).
// [Set.NextFree] costs O(log pages) per range searched: full pages are
// skipped in runs using a bitmap over page positions, pages missing from the
// set are known to be free without being visited, and a page is searched a
// word at a time with [math/bits]. It never scans value by value.
//
// # Panics
//
// No function or method panics, whatever its arguments: out-of-range or
// invalid arguments give the false, zero or empty results each method
// documents.
//
// # Concurrency
//
// A Set is not safe for concurrent use; callers serialize access, including
// access through the iterator returned by [Set.All]. The package has no
// goroutines, locks or I/O, and no package-level state.
package numset
