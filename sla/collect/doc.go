// Package collect reads CFM state and Y.1731 measurements from devices for
// the MEPs of an [sla.Plan]: on-demand delay and loss statistics
// (get-cfm-delay-statistics, get-cfm-loss-statistics), the devices' periodic
// SLA iterators (get-cfm-iterator-statistics) and the MEP database
// (get-cfm-mep-database). Each [Collector.Collect] cycle yields one
// [sla.Sample] per MEP pair, checks it against an objective with an
// [sla.Monitor] and passes the resulting alerts to a callback.
//
// [Collector.Run] repeats Collect every interval until its ctx ends
// (periodic collection); [Collector.Iterators] reads the periodic SLA
// iterators the devices run themselves from the rendered profiles; Delay,
// Loss, Iterator and MEPDatabase are the single on-demand reads.
//
// Devices are reached through [Getter], the one method of device.Session
// the collector uses, so any session adapter (device/netconf, sim) or a
// test fake plugs in.
//
// # Concurrency
//
// A [Collector] is safe for concurrent use. Collect reads the plan's
// devices in parallel, one goroutine per maintenance association, and
// waits for all of them before it returns; cycles run one at a time. The
// alert callback runs in the goroutine that called Collect, after the
// reads, so it may call back into the Collector only from another
// goroutine. Run blocks its caller and runs the sink in that goroutine.
package collect
