// Package netstate computes the control-plane state of a simulated network
// of Junos devices from their committed configurations and the links
// between them.
//
// # Concurrency
//
// Compute and the State it returns are pure: no I/O, no goroutines, no
// clock. A State is immutable and safe for concurrent readers. A Computer
// is not safe for concurrent use.
package netstate
