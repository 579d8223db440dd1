// Package pool hands out the identifiers carrier services are built from —
// VLAN IDs per interface, VC IDs, route distinguishers, route targets, AS
// numbers, IPv4 and IPv6 subnets and addresses — so that no value is ever
// given to two services, even when several processes share one store.
//
// # Pools
//
// A pool is defined by a [Spec]: its [Kind], ranges and exclusions, whether
// values are unique per scope (VLANs per interface) or pool-wide, and the
// [Strategy] that picks the next value. [Manager.CreatePool] adds one;
// [Manager.UpdatePool] grows it, or shrinks it where nothing held would be
// lost; [Manager.Usage] reports how full it is and whether it is low.
//
// # Claims
//
// A service's values are claimed together, for one owner key, with
// [Manager.Claim]: an E-LINE asks for a VLAN on each UNI and a VC ID, and
// gets all three or nothing. Claims are idempotent — asking again for the
// same owner returns what it holds — so an OSS can retry after a timeout
// without leaking values. A [Request] may name a specific value (brownfield:
// marking what the network already uses), or require the same number as
// another request of the claim (VLAN = VC ID). [Manager.Preview] is a dry
// run; [Manager.Release] frees everything an owner holds.
//
// # Consistency
//
// The [store.Store] is the authority. A Manager proposes values from an
// in-memory copy of each pool and writes a claim in one store transaction
// whose conditions prove every value free, every pool definition unchanged
// and the owner without a claim; if another writer got there first, the
// Manager learns and tries again. Overlapping prefixes are ruled out by the
// same conditions (see the key layout in keys.go). What the store promises
// on a crash, the claims inherit: with store/bolt, a claim that returned
// without error survives kill -9 and power loss.
//
// # Concurrency
//
// A [Manager] is safe for concurrent use by many goroutines, and any number
// of Managers, in one process or many, may share a store that supports
// several clients (the in-memory store within a process; PostgreSQL
// across processes). Values, specs and claims are plain data.
package pool
