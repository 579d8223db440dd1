// Package design turns a service order into per-device intent: it checks an
// [Order] against a [Definition] and an [Inventory], claims the identifiers
// the service needs from pool in one claim, and computes a [Service] whose
// [DeviceIntent] values say everything render needs to configure each device.
//
// # Intent
//
// A [Service] holds one [DeviceIntent] per device, sorted by device name.
// Design decides every name render writes (unit numbers, instance, policy,
// community, LSP and path names), so that render, validation, the simulator
// and decommissioning all see the same names. Names that become configuration
// identifiers are restricted by [CheckName] and [CheckInterface]; free text
// (descriptions) is kept as given and left to render to quote.
//
// # Concurrency
//
// The package has no state: every function is safe to call from many
// goroutines at once, and the values it returns are plain data that callers
// own. Only the claiming functions take a context; they block on the
// [Claimer] they are given.
package design
