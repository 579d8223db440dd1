// Package bolt is the embedded, durable [store.Store]: one file on local
// disk, written through go.etcd.io/bbolt (a copy-on-write B+ tree with
// fsynced commits).
//
//	s, err := bolt.Open("/var/lib/carrierkit/state.db")
//	if err != nil {
//		return err
//	}
//	defer s.Close()
//
// # Durability
//
// When [Store.Txn] returns a nil error, its writes have been committed and
// fsynced: they survive a crash of the process or of the machine (given a
// disk that honours fsync). When it returns an error nothing was written,
// except in one case: if the commit itself fails (a disk error), bbolt
// cannot always tell whether the data reached the disk, and the error wraps
// [store.ErrUnknownOutcome]. A process killed at any moment leaves a
// consistent file holding every acknowledged transaction and possibly some
// that were committed but not yet acknowledged.
//
// Revisions have no gaps: the nth writing transaction gets revision n. [WithNoSync] gives this up for speed
// and is meant only for tests and benchmarks.
//
// # One process per file
//
// A file is used by one process at a time. [Open] takes an exclusive lock
// (flock) on it, waits up to the lock timeout ([WithLockTimeout], one second
// by default) for another holder to let go, and otherwise fails with
// [ErrLocked]. The lock also stops a second Open of the same file within one
// process. Share one [*Store] between the goroutines of a process instead;
// several processes that need one store want a networked backend. Do not put
// the file on a network file system, whose locks and fsync may not hold.
//
// # Damaged files
//
// [Open] refuses, with [ErrCorrupt], a file that is not a bbolt database,
// is a bbolt database of some other program, has a layout version this
// package does not know, is truncated, or has damaged meta pages or free
// list. It does not read every page, so damage deeper in the file can
// still make bbolt panic later, when the damaged page is read. bbolt's
// command-line tool ("bbolt check FILE") examines a whole file.
//
// # Group commit
//
// Each fsync costs milliseconds, so transactions from concurrent goroutines
// are committed together: [Store.Txn] hands its work to bbolt's
// [bbolt.DB.Batch], which collects transactions for up to a millisecond (or
// until 512 are waiting) and commits them in one bbolt transaction with one
// fsync. Each still checks its own conditions against everything committed
// before it, including earlier members of its batch, and gets its own
// revision; a transaction whose condition fails writes nothing and does not
// affect the others. A Txn that finds no other Txn in flight skips the
// batching delay and commits at once.
//
// # File layout
//
// Bucket "kv" maps each key to an 8-byte big-endian revision followed by
// the value. Bucket "meta" holds "revision", the store-wide revision as an
// 8-byte big-endian integer, and "format", the layout version (currently 1),
// so that a later version can recognise and migrate old files.
//
// # Concurrency
//
// A [*Store] is safe for concurrent use by multiple goroutines. Reads run in
// parallel with each other and with writes; writes are serialized (and
// batched) by bbolt.
package bolt
