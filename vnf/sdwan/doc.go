// Package sdwan designs and renders a tenant's SD-WAN overlay for SRX and
// NFX branch devices: topologies, tunnels and their addresses, routing with
// hub failover, Internet breakout, application steering by SLA, and class
// of service.
//
// # Topologies
//
// A [Network] has one or two hubs (preferred first) and sites with several
// WAN [Link]s, each of a transport ("mpls", "inet", "lte") and a
// [LinkRole]. [Plan] computes the [Tunnel]s: every spoke to every hub on
// every transport both have, hub to hub, and — by [Topology] — nothing more
// ([HubAndSpoke]), every spoke pair on traffic ([FullMesh], the dynamic
// mesh), or every pair within a cluster ([PartialMesh]).
// [AssignAddresses] gives each tunnel a /31 from an IPv4 pool, through a
// [Claimer] (a *pool.Manager) with tenant-scoped owner keys.
//
// # Rendering
//
// [Render] writes one site's configuration: the WAN links' addresses (and,
// where a link names its Gateway, a host route to every tunnel peer over
// it), route-based IPsec VPNs on st0
// units (IKE and IPsec proposals, policies, gateways) — with
// [GREoverIPsec], a gr-0/0/0 unit per tunnel between the st0 addresses,
// carrying the routes — security zones and
// policies, static routes to every other site whose next hops follow the
// candidate order [Design.Path] models (direct, then hubs by preference;
// primary links before backup), and the Internet route of the [Breakout]
// (hub, local with source NAT, or a central site). The tests check it
// against Juniper's junos-es and junos-nfx YANG models (routing against
// junos-es only: the junos-nfx models have no routing-options), and commit
// a 50-spoke, two-hub network to 52 simulated SRX and NFX devices behind
// two simulated provider routers: every tunnel comes up (read back as IPsec
// security associations), and when a hub fails or a link is cut the
// routes the devices report move exactly where [Design.Path] says.
//
// # Application policies
//
// [Policies] hold [TrafficType]s (DSCP, priority, bandwidth), [SLAProfile]s
// (loss, RTT, jitter) and [AppPolicy]s; [Steer] picks the link for each
// application from [Measurement]s. [RenderSteering] writes the decisions
// as advanced policy-based routing: a forwarding instance per transport and
// an APBR profile on the LAN zone sending each application's traffic to its
// transport (checked against the YANG models and committed to the
// simulator's SRX).
//
// # Class of service
//
// [RenderCoS] carries the [TrafficType]s across a site's WAN links: a
// forwarding class per type on the SRX's queues 1, 2, 4, 5, 6 and 7 in
// order of priority, beside best-effort on queue 0 (traffic no type claims)
// and network-control on queue 3 (the device's own control traffic); a
// DSCP classifier on the LAN unit and the matching rewrite rule on every
// WAN unit; a scheduler per class (the type's bandwidth as its transmit
// rate, the remainder shared by the others; priority 1 strict-high, then
// high, medium-high, medium-low and low) and a scheduler map on every WAN
// port, shaped to the link's rate when the caller knows it. It rejects
// shared code points, more types than free queues, a second strict-high
// type and reservations a link cannot carry. The tests check it against
// the junos-es YANG (the junos-nfx models have no class-of-service) and
// commit it to the simulator's SRX.
//
// # Concurrency
//
// Everything here is pure and works on plain values, except
// AssignAddresses, which calls its Claimer (safe when the Claimer is).
package sdwan
