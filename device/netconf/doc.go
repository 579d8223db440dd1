// Package netconf is carrierkit's NETCONF adapter: a [device.Session] over
// NETCONF/SSH (RFC 6241/6242, end-of-message framing) speaking Junos'
// operations — get-configuration, load-configuration, commit-configuration
// (check, confirmed with confirm-timeout in minutes), lock-configuration,
// rollback via load-configuration rollback="N", and <command>.
//
// It is built on github.com/Juniper/go-netconf v0.1.1 (this package is its
// only importer) and repairs what that library lacks: it dials with its own
// net.Dialer under ctx and gives go-netconf the connection
// (NewSSHSession), verifies host keys as the [device.Target] says, detects a
// failed hello (go-netconf returns a session with id 0 and no capabilities)
// and then closes the connection itself (go-netconf's Close stops at its
// first error, leaving the connection open when the device closed first),
// writes each request in one checked Write, checks the reply's message-id,
// finds <ok/> and rpc-errors itself at any depth with encoding/xml (Junos
// puts load and commit errors inside <load-configuration-results> and
// <commit-results>; go-netconf's reply.Ok is never set), and tells warnings
// from errors.
//
// # Contexts
//
// go-netconf has no contexts or deadlines. Every call here takes a ctx; when
// it ends during an exchange the connection is closed under the blocked read
// or write, the call returns an error wrapping device.ErrTimeout and
// ctx.Err() at once, and the session is finished: later calls return
// device.ErrClosed. (A NETCONF stream cannot be resynchronised after an
// abandoned reply.)
//
// # Concurrency
//
// A [Session] is safe for concurrent use. go-netconf's Session is not (its
// Exec hangs when called from several goroutines), so requests take turns
// through a one-slot semaphore that waiting callers leave when their ctx
// ends. There is no pipelining: one request is on the wire at a time. Use a
// [device.Pool] for parallelism across devices.
package netconf
