// Package sim simulates Juniper devices that real clients cannot tell from
// Junos for carrierkit's purposes: each device is an SSH server with the
// NETCONF subsystem (RFC 6241/6242 with Junos' own operations) and a
// Junos-like CLI, in front of a configuration database with a shared
// candidate, private candidates, an exclusive lock, confirmed commits and 50
// rollback entries. Configuration is parsed, checked and printed by
// sim/junosconf; the device refuses what the platform's family does not
// accept (security on MX, for example).
//
// A device starts in milliseconds and idles in well under a megabyte, so a
// test can run one per case and a lab a thousand in one process, each on its
// own loopback address (127.0.1.1, 127.0.1.2, … — Linux routes all of
// 127.0.0.0/8 to lo).
//
// # Starting a device from Go
//
//	d, err := sim.Start(ctx, sim.Options{
//		Hostname: "pe1",
//		Platform: "mx480", // see Platforms
//		Addr:     netip.MustParseAddrPort("127.0.1.1:830"),
//		Users:    []sim.User{{Name: "admin", Password: "admin123"}},
//	})
//	if err != nil { … }
//	defer d.Close()
//
// Clients then connect to d.Addr() and can pin d.HostKey(), which is derived
// from Options.HostKeySeed and the hostname and so survives restarts
// (known_hosts keeps working). Tests that exercise confirmed commits pass a
// fake Options.Clock and advance it instead of waiting.
//
// # NETCONF behaviour
//
// The server hello lists Junos' capabilities plus base:1.1 and is sent at
// once; framing stays end-of-message unless the client also advertises
// base:1.1, then both directions switch to chunked framing. Every rpc
// attribute is echoed; malformed XML gets a malformed-message rpc-error and
// broken framing ends the session. Configuration errors come back as
// rpc-errors carrying Junos' error-path ("[edit …]") and bad-element. Errors
// of load-configuration and commit-configuration are inside
// <load-configuration-results> and <commit-results>, as on Junos, so clients
// that only look at top-level rpc-errors (go-netconf) must inspect the reply.
//
// # Operational state
//
// Operational RPCs (get-interface-information, get-chassis-inventory,
// get-l2ckt-connection-information, …) answer from the platform and the
// committed configuration. State that depends on the network (links,
// pseudowires, LSPs) is asked of an internal opState; a lone device reports
// what an unconnected Junos box does (links down, pseudowires OL, LSPs Dn).
//
// # CLI
//
// The same SSH port serves an interactive Junos-like CLI (a `shell` channel
// with or without a pty) and single commands (`ssh pe1 show version`). It
// echoes typed characters when a pty is requested, as scrapligo's
// juniper_junos platform needs; prompts are user@host> and, in
// configuration mode, an [edit …] banner line and user@host#. Operational
// commands go through the same command table as NETCONF's <command>, so
// `show …` and its `| display xml` / `| display xml rpc` forms agree with the
// RPC replies; configuration mode edits the shared, private (`configure
// private`) or exclusive candidate with set/delete/deactivate/edit and
// commits, checks, confirms and rolls back like the NETCONF operations. The
// comment at the top of cli.go lists every command and pipe.
//
// # Topologies
//
// A containerlab .clab.yml file describes a lab for containerlab and for
// the simulator alike: [LoadTopology] or [ParseTopology] read it (simulator
// settings in node labels or env, link impairments in link vars) and
// [StartNetwork] runs it. TOPOLOGY.md has the format.
//
// # Network
//
// [StartNetwork] starts every simulated node of a [Topology] and makes them
// a network: links can be cut and impaired and devices powered off at run
// time ([Network.SetLink], [Network.SetImpairment], [Network.SetDevice], or
// the admin HTTP API of [Network.AdminHandler] that carrierkit-sim -admin
// serves), and the control plane is recomputed by sim/netstate from every
// device's committed configuration after each commit and each change,
// debounced ([NetworkOptions.Debounce], default 20 ms) so a burst of
// commits costs a few computations. A change reaches every device's replies
// within the debounce plus two computations; [Network.Sync] waits for it
// and [Network.State] returns the immutable snapshot. Routing tables,
// BGP/LDP/IGP sessions, l2circuit/VPLS/l2vpn status, CFM remote MEPs with
// delay, loss and SLA-iterator statistics, PTP and SyncE, and ping mpls
// (lsping-results with round trips from the links' delay, jitter and loss,
// deterministic per request) all answer from that state. A [VirtualClock]
// given as [NetworkOptions.Clock] drives every device's timers. NETWORK.md
// has the details.
//
// # VNFs (NFX)
//
// get-virtual-network-functions-information answers from the committed
// configuration: VNFs start in configuration order while they fit in the
// cores and memory the platform leaves to them ([Platform.VNFCapacity]);
// one that does not fit, or whose image is not a .qcow2 or .img under
// /var/public or /var/third-party, reports Shutdown/down with the reason in
// vnf_err_str. [Device.SetVNFFault] and [Network.SetVNFFault] (admin POST
// /devices/{name}/vnfs/{vnf}) make a started VNF crashed, unresponsive or
// stopped; powering the device off and on clears its faults.
//
// # Concurrency
//
// A Device is safe for concurrent use: any number of NETCONF and CLI
// sessions may run at once, and Committed, Addr, HostKey and the other
// accessors may be called from any goroutine. One mutex per device guards
// the configuration database and the injected VNF faults; operations on
// them are short and never do I/O while holding it. Each SSH connection costs a few goroutines, all of which
// Close stops and waits for; connections per device are bounded. Platform
// values are shared and immutable.
//
// A Network is safe for concurrent use. One goroutine recomputes its state;
// devices signal it without blocking (their commit hook only bumps a
// counter), and it reads each device's committed configuration under that
// device's lock briefly, never holding two locks at once. Published states
// are immutable. Close stops the recomputation before closing the devices.
// A VirtualClock is safe for concurrent use; its timers run in the
// goroutine that calls Advance.
package sim
