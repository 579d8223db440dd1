// Package prefixset implements a set of non-overlapping IP prefixes with a
// fast "next free block" search, used by the pool allocators for IPv4 and
// IPv6 address pools (point-to-point /31s and /127s, loopback /32s and
// /128s, customer /64s and so on).
//
// # Model
//
// A [Set] holds prefixes that do not overlap: [Set.Add] refuses a prefix
// that equals, contains or lies inside one already stored. Prefix lengths may
// be mixed freely. [Set.NextFree] returns the lowest aligned block of a given
// length inside a pool prefix that overlaps nothing stored, optionally
// starting from an address. IPv4 and IPv6 are handled by one implementation
// and may share a Set without ever overlapping each other.
//
// # Representation and cost
//
// The set is a path-compressed binary trie over the address bits (IPv6 as
// two uint64 words, IPv4 in the top 32 bits). Stored prefixes are leaves;
// every inner node joins two subtrees and records how many prefixes and
// addresses lie below it and the shortest length of a free block below it.
// NextFree uses that summary to skip full subtrees, so it follows at most two
// root-to-leaf paths (at most 33 trie nodes each for IPv4, 129 for IPv6)
// however many prefixes are stored: the next free /31 in a /8 holding
// 500,000 /31s allocated in order is found in a handful of steps.
// [Set.Add], [Set.Remove], [Set.Contains], [Set.Overlapping], [Set.CountIn]
// and [Set.BlocksIn] also walk a single path.
//
// Nodes live in chunks of 1024 and refer to each other by 32-bit index, so
// the structure holds no pointers for the garbage collector to scan and
// growing it never copies more than one chunk. Each stored prefix costs two
// 48-byte nodes, about 96 bytes. Released nodes are reused; the storage is
// dropped when the set becomes empty.
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
package prefixset
