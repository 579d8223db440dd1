// Package timing designs, checks, configures and watches PTP (IEEE 1588,
// ITU-T G.8275.1 / G.8275.2) and synchronous Ethernet domains on Junos
// ACX, MX and PTX routers.
//
// # Designing
//
// A [Domain] is a named group of devices ([Member]), the links PTP may
// run over ([Link]) and the [Template] they share: profile, domain
// number, priorities, announce and sync intervals, transport and
// [SyncE] with ESMC and quality levels. [Domain.Validate] rejects bad
// data with an error naming the field.
//
// # Checking
//
// [Check] returns the design's problems as sorted [Finding] values
// (rule, severity, device, message): exactly one primary grandmaster and
// at most one backup, a PTP path from a grandmaster to every clock, no
// timing loops, the profile's hop limit, one profile and domain number
// along each path, and SyncE sources without loops. Nothing is
// configured: Check is pure.
//
// [NewPlan] turns a domain without error findings into a [Plan]: a
// breadth-first tree from the primary grandmaster over the links that
// are not pinned (a pinned [Link.Master] is kept as given), so a ring is
// served along two arms and its closing link carries no PTP. Each device
// gets its clock mode, its master and slave ports and its SyncE sources
// (the slave port first). A design with errors is refused with a
// *[RefusedError].
//
// # Configuring
//
// [Render] writes each device's `protocols ptp` and `chassis
// synchronization` as set lines, text or XML (built with the project's
// Junos tree; the XML is checked against Juniper's 23.4R2 YANG models in
// the tests), in plan order. [Apply] loads and commits them one device
// at a time, grandmaster first and then outwards, reporting [Progress],
// and stops at the first failure with an *[ApplyError], rolling back
// that device's candidate.
//
// # Watching
//
// [Discover] finds which devices are timing-capable (model from
// get-software-information, PTP from get-ptp-clock). [Poll] reads one
// device's get-ptp-clock, get-ptp-lock-status and
// get-clock-synchronization into a [DeviceHealth] (lock state, clock
// class, steps removed, offset, holdover, SyncE source); a [Monitor]
// does that for many devices and raises an [Alert] when a clock loses or
// regains lock. Apply and health reach devices through the small
// consumer interfaces [Configurer] and [Getter], which a
// device.Session satisfies.
//
// # Concurrency
//
// Domains, plans and artifacts are plain values: the pure functions
// ([Check], [NewPlan], [Render]) may run concurrently on the same domain
// as long as nobody modifies it. [Apply], [Discover] and [Poll] use the
// sessions they are given from the calling goroutine only and start no
// goroutines. A [Monitor] is safe for concurrent use; its Checks are
// serialized and alerts run in the checking goroutine.
package timing
