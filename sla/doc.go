// Package sla proves a carrier Ethernet service's SLA: it designs the
// service's Ethernet CFM (IEEE 802.1ag) and Y.1731 performance monitoring,
// renders it for Junos, reads the devices' CFM replies, and computes ITU-T
// Y.1731 / MEF 10.3 metrics and compliance from them.
//
// The package is pure (R3): no I/O, no clock, no goroutines. Times are
// passed in. Live collection over NETCONF lives in the sub-package
// [github.com/carrierkit/carrierkit/sla/collect], which reads devices
// through a one-method interface that device.Session satisfies.
//
// # CFM design
//
// [Design] turns an E-LINE or VPLS [design.Service] and a [CFMSpec] into a
// [Plan]: one service-level maintenance association per service (named by
// [MAName]) in a maintenance domain at the spec's level (default 5), an up
// MEP on every attachment with its remote MEPs (spokes see only hubs), and
// optionally port-level down MEPs at a lower level. MEP IDs ([MEPID]) are
// unique within the MA: pinned IDs first, then the lowest free ones in
// attachment order, so the same input always yields the same IDs. SLA
// iterator profiles ([IteratorProfile]: two-way delay, one-way delay, loss,
// synthetic loss; cycle time, iteration period, calculation weights) and an
// [ActionProfile] are attached to every service-level remote MEP.
// [Render] writes the plan as Junos set lines, text or XML under
// `protocols oam ethernet connectivity-fault-management`, through the same
// configuration tree render uses.
//
// # Metrics
//
// [TwoWayDelay], [OneWayDelay], [InterFrameDelayVariation], [DelayRange],
// [Percentile] (nearest rank), [SummarizeDelay], [FrameLoss] (Y.1731
// single-ended LM counters, 32-bit wrap), [SyntheticLoss], and
// [AvailabilityWindow] / [Availability]: MEF 10.3's state machine over Δt
// intervals, unavailable from the first of n consecutive high-loss
// intervals (FLR above C), available again from the first of n that are
// not.
//
// # Objectives and reports
//
// An [Objective] per class of service (delay percentile, inter-frame
// delay variation, FLR, availability) is checked over a period by
// [Compliance], which returns a [Report]; a [Monitor] turns a stream of
// [Sample]s into [Alert]s (connectivity lost/restored, objective
// breached/cleared). [SeriesOf] builds a [Series] exportable as JSON, CSV
// and an SVG picture of delay and loss over time.
//
// # Concurrency
//
// Functions are pure and safe for concurrent use. [Plan], [Series] and
// [Report] are plain values. [AvailabilityWindow] and [Monitor] hold state
// and are not safe for concurrent use: give each goroutine its own, or
// lock around them (sla/collect does).
package sla
