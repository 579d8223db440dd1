// Package validate proves a carrierkit service right before and after it is
// pushed, and says exactly what is wrong: every check returns findings —
// [Finding] values with a rule, a severity, the service, the device, the
// configuration path and a message — not errors. An error from a check means
// only that it could not run (a device could not be read).
//
// # Findings and reports
//
// Findings are sorted deterministically ([Sort], [Finding.Compare]). [Refuse]
// turns the error-level ones into a *[RefusedError] (wrapping [ErrRefused])
// that names each of them: an order with an error-level finding is refused.
// [NewReport] counts findings by severity; a [Report] encodes as JSON and
// prints as a table ([Report.WriteTable]).
//
// # Pre-validation
//
// [Pre] checks a designed service before anything is pushed. Its rules are
// values of type [Rule] (func(*design.Service) []Finding), so callers add
// their own or replace the defaults:
//
//   - [DesignRules]: [SpokeIsolation] (no spoke of a hub-and-spoke VPN
//     imports a route target another spoke exports), [Reachability] (the
//     route-target import/export closure lets every site reach the others;
//     LDP VPLS neighbours and VPLS IDs form a mesh, directly or through a
//     hub), [PseudowireAgreement] (both ends of every pseudowire have the
//     same VC ID, encapsulation, MTU and control word);
//   - [PoolCollisions]: VLAN, VC ID, route-target and RD collisions with
//     other owners' pool claims (pool.Manager.Claims), and RD uniqueness;
//   - [ConfigCollisions]: the same against what the devices are configured
//     with right now, read over NETCONF — brownfield values the pools never
//     heard of;
//   - [LSPCoverage]: every PE pair the service needs has an LSP, from an LSP
//     inventory ([Transport]) or the devices' configuration
//     ([TransportFromConfigs]).
//
// # Post-validation
//
// [Post] and [PostLive] render the service's set lines per device
// (render.All) and compare them with the device's committed configuration,
// service by service ([CheckSync]): statements missing, changed (same
// statement, other value) and extra — extra only inside the subtrees the
// service owns whole (its units, pseudowire ends, routing instances,
// policies, communities, LSPs), so unrelated configuration is ignored.
//
// # Operational validation and audit
//
// [Oper] runs the Junos RPCs a service needs and parses their XML replies:
// pseudowires up at both ends (with the Junos status code when not), VPLS
// and l2vpn connections up, the service's RSVP LSPs up, the LDP and BGP
// sessions it depends on established, and the VRF holding the other sites'
// routes. [Audit] check-syncs (and optionally oper-checks) many services at
// once, reading each device once and sending each RPC once per device.
//
// # Devices
//
// Live checks read devices through [Getter], the one method of
// device.Session they use (Get with a device.Query), so any session
// satisfies it; [Devices] maps device names to sessions. Configuration is
// read in set form and parsed by this package ([ParseSet]; [ParseXML] reads
// Junos XML), independently of the simulator.
//
// # Concurrency
//
// Rules, [Check], [CheckSync], [Post] and the parsers are pure: no I/O, no
// goroutines, no shared state; they are safe for concurrent use, and a
// [Config] or [Intent] may be shared once built. [Pre], [PostLive], [Oper],
// [ReadConfigs] and [Audit] read devices concurrently, at most Parallel
// devices at a time, in goroutines that end before they return; they block
// on the sessions given (which must be safe for concurrent use, as
// device.Session is) and honour ctx.
package validate
