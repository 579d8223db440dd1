// Package cli is carrierkit's CLI adapter: a [device.Session] over the Junos
// command line, reached by SSH with github.com/scrapli/scrapligo v1.4.3
// (this package is its only importer), its pure-Go "standard" transport and
// its juniper_junos platform.
//
// Configuration goes through "configure private": set lines are sent one by
// one, then "commit check", "commit", "commit confirmed N" (minutes) or
// "rollback N". Output containing "error:", "syntax error" or "unknown
// command" becomes a *device.RejectedError carrying the device's message,
// edit path and statement (see [Issues]). Operational commands run as
// typed, or as "run …" while in configuration mode. XML RPCs and loading
// curly-brace text or XML are not possible over scrapligo's CLI driver and
// return device.ErrUnsupported; use device/netconf for those.
//
// # Host keys
//
// scrapligo checks host keys strictly only against a known_hosts file. A
// Target with pinned keys gets a temporary known_hosts file (mode 0600,
// removed on Close) listing them under its address; a Target with
// device.InsecureIgnoreHostKey is logged as a warning.
//
// # Contexts
//
// scrapligo v1 has no contexts. Each operation runs in a goroutine with
// scrapligo's own operation timeout set to the time left on ctx (or
// [WithTimeout]); when ctx ends first, the call returns device.ErrTimeout
// at once, the channel is closed under the running command, and the session
// is finished (device.ErrClosed after). Dial works the same way.
//
// # Concurrency
//
// A [Session] is safe for concurrent use: commands take turns, one on the
// channel at a time.
package cli
