// Command carrierkit designs carrier services from orders and renders the
// device configuration they need.
//
// Usage:
//
//	carrierkit render -order ORDER.yaml -out DIR [-inventory INV.yaml] [-definitions DEFS.yaml]
//	    [-format set|text|xml] [-store FILE] [-dry-run]
//	carrierkit catalog [-definitions DEFS.yaml]
//
// catalog lists the predefined and custom definitions with their
// parameters.
//
// render reads the order, the inventory and custom definitions (YAML or
// JSON), opens the embedded pool store (store/bolt; the file and the default
// pools of design.DefaultPools are created when missing), designs the
// order with package design, renders it with package render and writes one
// file per device, DIR/<device>.<ext>. It prints every value claimed, with
// its pool and scope. The order is designed and rendered with previewed
// values first, so that a bad order claims nothing. A bad order exits with
// status 1 and a message naming the file, order, endpoint and field;
// command-line mistakes exit with status 2.
//
// The logic lives in run(ctx, args, stdout, stderr) so that tests drive it
// in-process; main only wires the process's arguments, streams and signals.
//
// # Concurrency
//
// One invocation runs one order on one goroutine. The store file is locked
// while the command runs, so two invocations on one store file take turns
// (bolt waits up to a second for the lock, then fails).
package main
