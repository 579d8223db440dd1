// Package oam plans, runs and explains full-mesh MPLS OAM for a VPN: for a
// service of N sites it builds the N×(N−1) ping mpls probes the service type
// calls for, runs them with bounded concurrency, timeouts and honest retries,
// parses Junos' lsping-results, localises every failure to its most likely
// cause from the state of the two ends, and presents the outcome as JSON, a
// table and an N×N matrix picture.
//
// # Planning
//
// [PlanService] turns a [design.Service] into a [Plan]: E-LINE pseudowires
// get request-ping-l2circuit-interface (or -virtual-circuit), BGP l2vpn
// E-LINEs request-ping-l2vpn-interface, VPLS request-ping-lsp-end-point to
// each remote PE, L3VPNs request-ping-l3vpn to the remote site's prefix, RSVP
// LSP services request-ping-rsvp-lsp. [Plan.Involving] keeps only the pairs
// of newly added sites. [Probe.RPC] renders a probe's request. Planning is
// pure.
//
// # Running
//
// [Run] sends each probe's RPC through a [Session] — the one-method view of
// device.Session this package needs — obtained from a [Connector] ([Sessions]
// for fixed sessions, [PoolConnector] for a device.Pool). Every attempt is
// kept; [Verdict] calls a probe that failed and then succeeded "flapping",
// never "ok". A ping the device refuses to send (a *device.RejectedError:
// no outgoing label, no route) is a failure of the service; a transport
// error is StatusError, a failure of the measurement.
//
// # Diagnosis
//
// [Diagnose] reads, from both ends of every probe that was not ok, the
// interfaces, l2circuit connections (with their Junos status codes),
// VPLS connections, LSPs, inet.3 and VRF routes and the committed
// configuration ([Gather] into [Facts]), and [Explain] — pure — names the
// cause ([Cause]), the device, the interface and the configuration
// statement: an attachment down, a site isolated by a core link, no LSP,
// an LSP down, MTU, encapsulation, control-word or VC ID mismatch,
// route-target mismatch, and whether the failure is one-way.
//
// # Output
//
// A [Report] marshals to JSON, writes a table ([Report.WriteTable]) and
// draws an SVG matrix ([Report.WriteSVG]): rows are sources, columns
// destinations, one colour per [Status], with a legend and tooltips
// carrying the cause.
//
// # Concurrency
//
// Planning, parsing, [Explain] and the output functions are pure and safe
// for concurrent use. [Run] and [Diagnose] start goroutines that end before
// they return; they call the Connector and the sessions from several
// goroutines at once (device sessions serialise their requests), at most
// Options.Parallel probes in all and Options.PerDevice per source device.
// Both honour ctx: when it ends they return at once with what they have.
package oam
