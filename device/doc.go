// Package device is carrierkit's southbound contract: a small [Session]
// interface for reading and changing a network element's configuration,
// the [Target] to reach it with, the errors every adapter returns, and a
// [Pool] of sessions over many devices.
//
// It imports only the standard library. The adapters live in
// sub-packages: device/netconf (NETCONF over SSH, Junos operations) and
// device/cli (the Junos CLI over SSH); device/devicetest has a scripted
// fake Session for unit tests.
//
// # The contract
//
// A Session has five methods — [Session.Get], [Session.Load],
// [Session.Commit], [Session.Rollback] and [Session.Close] — that cover
// reading configuration (committed, candidate, or the difference, as text,
// set lines or XML) and state (an operational RPC or command), staging a
// change, commit check, commit, confirmed commit (confirmed by [Confirm]),
// and rolling back (discard, or rollback N). Further abilities are optional
// interfaces found by type assertion: [Locker] and [Liveness].
//
// # Errors
//
// A device that says no — a NETCONF rpc-error, CLI error output — is a
// [*RejectedError] with the device's message, edit path and element. Every
// other failure wraps one of the sentinels [ErrUnreachable], [ErrAuth],
// [ErrHostKey], [ErrTimeout] (with ctx.Err() in the chain), [ErrClosed] or
// [ErrUnsupported]; test with errors.Is and errors.As. No error, log line or
// formatted [Target] ever contains a password or key: [Credentials] redacts
// itself.
//
// # Host keys
//
// Host keys are verified by default: a Target's [HostKeys] names a
// known_hosts file ([KnownHostsFile]) or pinned keys ([PinnedKeys]); a zero
// policy refuses every host. Skipping verification takes the explicit
// [InsecureIgnoreHostKey], which adapters log as a warning on every dial.
//
// # Concurrency
//
// Sessions are safe for concurrent use and serialize their requests; a
// [Pool] is safe for concurrent use. Targets, Credentials, Queries and
// Changes are plain values.
package device
