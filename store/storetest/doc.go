// Package storetest is the conformance suite for implementations of
// [store.Store]. Every backend runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			return store.NewMemory()
//		})
//	}
//
// # What it checks
//
// [Run] checks each promise of the [store.Store] contract: lookups and
// [store.ErrNotFound]; revisions (unique, increasing, and stamped on every
// key a transaction writes; gaps are allowed); every kind of [store.Cond],
// holding and failing, with the fields of [store.ConflictError]; atomicity;
// deletes; ordered prefix listing; copying of values in and out; rejection
// of malformed input with [store.ErrInvalid]; [store.ErrClosed]; canceled
// contexts; and, under concurrency, compare-and-put without lost updates,
// single winners of create races (exact and prefix) and consistent
// listings while transactions run.
//
// # Concurrency
//
// Run starts its tests in parallel (see [testing.T.Parallel]), and some
// tests call one store from many goroutines, so run the suite with -race.
// The open function may be called from several goroutines at once.
package storetest
