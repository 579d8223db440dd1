// Package ordmap provides [Map], an ordered map from string keys to values of
// any type, for code that needs both point lookups and ordered scans from a
// key (store prefix scans and prefix conditions).
//
// # Implementation
//
// Map is a B+ tree: entries sit in leaves that are chained in key order, and
// inner nodes hold only separator keys. Inner nodes are kept between half
// full and full, so a map of n entries is about log64(n) levels deep: four
// levels cover tens of millions of entries. Set, Delete, Get and Seek are
// O(log n); iteration is O(1) per entry.
//
// # Concurrency
//
// A Map is not safe for concurrent use. Callers serialize access; concurrent
// readers are fine only while nobody writes.
package ordmap
