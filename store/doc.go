// Package store is carrierkit's persistence contract: [Store], a sorted map
// of string keys to byte values with compare-and-put transactions, plus
// [Memory], an in-memory implementation.
//
// Package pool and the other stateful parts of carrierkit accept a [Store]
// (or a narrower interface of their own) and never a concrete backend, so
// the same code runs against [NewMemory] in tests and against a durable
// backend in production. Durable backends live in sub-packages, so that a
// program importing only store compiles no database driver:
//
//   - store/bolt: one local file (go.etcd.io/bbolt), the embedded default;
//   - store/storetest: the conformance suite every backend passes.
//
// # Revisions and transactions
//
// A store has one revision counter. Every successful [Store.Txn] with
// operations advances it by one and stamps each key it writes with the new
// value, which [Item.Revision] reports. A transaction first checks its
// conditions ([Absent], [Unchanged], [NoneWithPrefix]) and applies its
// operations ([Put], [Delete]) only if all hold, atomically. The usual
// pattern is optimistic concurrency: read an item, compute, then write on
// condition that the item is [Unchanged] since, and on [ErrConflict] read
// again and retry.
//
// # Errors
//
// Methods return errors that wrap the sentinels [ErrNotFound],
// [ErrConflict], [ErrInvalid] and [ErrClosed], or the context's error; test
// them with [errors.Is]. A failed condition is reported as a
// [*ConflictError] naming the condition and what was found instead.
// [CheckKey] and [CheckTxn] are the validation every backend applies.
//
// # Concurrency
//
// Every [Store] implementation, [Memory] included, is safe for concurrent
// use by multiple goroutines. Functions passed to [Store.List] must not
// call back into the store.
package store
