// Package provision is carrierkit's orchestrator: it takes service orders
// through their lifecycle and pushes their configuration to every device of a
// service all-or-nothing.
//
// # Lifecycle
//
// An order is a [Record] in a store.Store (JSON under "provision/orders/"),
// written with compare-and-put on the revision it was read at, so two
// orchestrators sharing a store can never both move one order (the second
// gets [ErrConflict]). Its [State] moves only along the transitions
// [CanTransition] allows:
//
//	requested → validated | invalid
//	validated → deploying → deployed → verified
//	deploying → failed | rolled-back;  failed → rolled-back (Recover)
//	deployed, verified → deploying (modify, migrate) | decommissioning → decommissioned
//
// and every move appends an [AuditEntry] (who, when, what, from, to, result).
// [Orchestrator.Submit] stores and validates, [Orchestrator.Deploy] designs
// (claiming resources from pool, owner = service name) and pushes,
// [Orchestrator.Verify] reads the configuration back, [Orchestrator.Modify]
// and [Orchestrator.Migrate] change a deployed service, and
// [Orchestrator.Decommission] removes it and releases its resources.
// [Orchestrator.Plan] is the dry run. [Orchestrator.Bulk] deploys many
// independent services.
//
// # The push
//
// Every change — deploy, modify, migrate, decommission, a bulk batch — is
// one push over the devices it touches, with one change per device (for a
// modify, the removal of the old statements followed by the new ones):
//
//  1. a session per device from the device.Pool, acquired in device-name
//     order (so concurrent pushes that share devices cannot deadlock on the
//     pool's per-device bound);
//  2. on every device at once: lock the candidate, read the committed
//     configuration (its SHA-256 is kept in the Operation), load, commit
//     check;
//  3. on every device: confirmed commit with the confirm timeout
//     ([WithConfirmTimeout]) and the comment "carrierkit <op> confirmed";
//  4. on every device: confirm (a plain commit, "carrierkit <op> confirm"),
//     then unlock.
//
// The phase is recorded in the order's [Operation] before each of steps
// 2–4. When anything fails — a device refuses the load or the check, a
// session drops, a request outlives [WithOpTimeout], a device restarts — the
// push stops and every device it touched is reverted, each over its own
// session or, if that one dropped, a new one: the candidate is discarded and,
// if the newest commits in the device's commit history are the operation's
// own (found by their comments), the device rolls back over exactly those
// (rollback 1 after a confirmed commit, rollback 2 after its confirm) and
// commits. The device must then show the configuration read in step 2; a
// device that restarted while holding the change (and so lost its commit
// history) is restored from that configuration with a load override
// (during the push only: Recover keeps just the digest and marks such a
// device failed). Then
// the pools are restored (a claim the push created is released,
// a claim a modify replaced is taken back) and the order is rolled-back; the
// error is a [*DeployError] that names each device and phase and wraps the
// devices' errors (*device.RejectedError, device.ErrClosed, …).
//
// # Guarantees
//
// While the orchestrator lives, a push either takes effect on every device
// or on none: every device's committed configuration is byte-for-byte what it
// was, and the pools hold what they held (the tests check both over real
// SSH to the simulator, for a fault at each of 20 devices). Exceptions the
// orchestrator reports rather than hides: a device that cannot be reached
// to revert, or on which someone else committed after the operation — the
// order is then failed and keeps its Operation, and the DeployError lists
// the device under RevertFailed.
//
// If the orchestrating process dies (or its ctx is cancelled, which is
// treated the same way: nothing more is sent and nothing more is written)
// in the middle of a push:
//
//   - before any confirmed commit: nothing was committed; the devices drop
//     the dead sessions' locks and uncommitted changes by themselves;
//   - after some confirmed commits, before their confirm: each of those
//     devices rolls back by itself when the confirm timeout expires — this is
//     what the confirmed commit is for;
//   - during the confirms: the devices already confirmed keep the change
//     until Recover reverts them; the others roll back by themselves.
//
// In every case the order is left in deploying (or decommissioning) in the
// store with its Operation and phase, and its resources stay claimed. A
// restarted orchestrator calls [Orchestrator.Recover], which checks each
// device of each operation left behind (commit history), reverts what is
// still active, and marks the order rolled-back (releasing the resources the
// operation claimed), or failed if a device could not be brought back. Until
// Recover has run, the service's configuration may be active on some devices
// (those already confirmed) and the deadline in the Operation says when the
// others have rolled back.
//
// A modify whose new design needs different resources releases the old
// claim and claims anew (pool has no amend); if the push fails, the new
// claim is released and the old values are claimed again by value. Between
// the release and the re-claim another order could take one of those
// values; the re-claim then fails and the error says so.
//
// The orchestrator's own store writes are not atomic with the devices: a
// crash between a successful confirm and the write of deployed leaves a
// deploying order whose change is active everywhere; Recover then rolls it
// back (the safe direction) rather than forward.
//
// # Bulk
//
// [Orchestrator.Bulk] runs [BulkOptions.Concurrency] batches at once; each
// batch of [BulkOptions.BatchSize] services is one push (one lock and commit
// cycle per device per batch): the all-or-nothing unit is the batch. A failed
// batch is rolled back everywhere and each of its services is then retried
// alone, so a bad service fails by itself and the others deploy; each
// outcome is reported through [BulkOptions.Progress] and in the results.
// Per-device concurrency is the device.Pool's PerDevice bound.
//
// A bulk change over many existing services — [Orchestrator.BulkChange]
// with any per-service operation (a modify, a migration, a verification),
// or [Orchestrator.BulkDecommission] — runs each service as its own
// all-or-nothing unit, [BulkOptions.Concurrency] at a time, with the same
// progress reports; a failing service is undone and reported, the others
// go on.
//
// # Concurrency
//
// An Orchestrator is safe for concurrent use by many goroutines, and several
// orchestrators (processes) may share one store and one set of pools: orders
// are moved with compare-and-put, pools claim atomically, and a device's
// candidate is locked during a push, so a second push to the same device
// waits for its session (same process) or is refused the lock (another
// process) and rolls back. Each push runs one goroutine per device for the
// length of the call; nothing outlives a call. The device.Pool given in
// [Config] must allow at least as many sessions (Total) as the devices of the
// largest service times the pushes run at once, or pushes wait for each other.
package provision
