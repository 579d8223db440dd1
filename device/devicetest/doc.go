// Package devicetest provides a scripted, in-memory device.Session for unit
// tests of code that drives devices (provisioning, discovery), so that they
// need neither a simulator nor a network.
//
// A [Session] keeps a committed and a candidate configuration as set lines,
// a confirmed-commit timer that the test fires by hand ([Session.Expire]),
// rollback history, a log of every call ([Session.Calls]) and a hook
// ([Session.Hook]) through which a test makes any call fail: a refused
// commit check, a dropped session, a timeout.
//
// # Concurrency
//
// A Session is safe for concurrent use; calls are serialized by a mutex, as
// the real adapters serialize them.
package devicetest
