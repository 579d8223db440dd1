// Command carrierkit designs carrier services from orders, renders the
// device configuration they need, and runs them through their lifecycle on
// the network: discovery, prestaging, dry run, deployment, validation, OAM
// and decommissioning. It is built on the library and adds no logic of its
// own: each subcommand calls one or two library functions and prints their
// result (text, or JSON with -o json).
//
// Usage:
//
//	carrierkit render -order ORDER.yaml -out DIR [-inventory INV.yaml] [-definitions DEFS.yaml]
//	    [-format set|text|xml] [-store FILE] [-dry-run]
//	carrierkit catalog [-definitions DEFS.yaml]
//	carrierkit pool create|list|usage [-store FILE] …
//	carrierkit discover (-sim TOPOLOGY | -targets SPECS) [target flags]   inventory.Discover
//	carrierkit prestage [-rules RULES.yaml]                              inventory.Prestage
//	carrierkit plan -order ORDER.yaml [target flags]                     provision.Plan + validate.Pre
//	carrierkit deploy -order ORDER.yaml [target flags]                   provision.Submit + Deploy
//	carrierkit validate -service NAME [target flags]                     validate.PostLive + Oper
//	carrierkit oam -service NAME [-svg FILE] [target flags]              oam.PlanService, Run, Diagnose
//	carrierkit decommission -service NAME [target flags]                 provision.Decommission
//	carrierkit audit [-oper] [target flags]                              validate.Audit
//
// Target flags: -sim TOPOLOGY runs an in-process simulated network from a
// containerlab file, whose committed configurations are saved in -sim-state
// (default <store>.sim) when the command ends and booted from at the next
// invocation, so a sequence of commands behaves like one lab. Without -sim
// the devices are real: NETCONF on -port, -user (or $CARRIERKIT_USER), the
// password from -password-file or $CARRIERKIT_PASSWORD (there is no password
// flag, so it never shows in a process list), host keys checked against
// -known-hosts or $CARRIERKIT_KNOWN_HOSTS. Everything is kept in the
// embedded store -store: discovered devices, prestaging, pools and orders.
//
// Exit status: 0 success; 1 failure, including validation findings of error
// severity, OAM probes that are not ok and unreachable discovery targets;
// 2 command-line mistakes.
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
// One invocation runs one command; device reads and pushes run concurrently
// inside the library calls and end before the command returns. The store file is locked
// while the command runs, so two invocations on one store file take turns
// (bolt waits up to a second for the lock, then fails).
package main
