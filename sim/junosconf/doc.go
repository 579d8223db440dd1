// Package junosconf is the Junos configuration engine of carrierkit's
// device simulator: it parses, stores, prints, diffs and checks Junos
// configuration the way a Junos device does, so that the simulator can accept
// and refuse what a real router would.
//
// # Configuration trees
//
// A [Tree] is an ordered hierarchy of statements checked against a
// hand-written schema of the Junos hierarchy carrierkit uses. Statements
// outside the schema, or outside the device's [Family], are refused with
// Junos-style errors ([Error], [Errors], [ErrSyntax], [ErrNotInFamily],
// [ErrInvalidValue]). Container children keep the schema's (Junos'
// canonical) order; list entries keep the order they were configured in.
// Values are stored verbatim and quoted by the printers when needed.
//
// Trees come from [Parse] and change through [Tree.Load] (the
// load-configuration actions merge, replace, override, update and set, in
// text, set or XML format), [Tree.Set] and [Tree.Delete]. Every change is
// atomic: on error the tree is unchanged. They print as `show configuration`
// ([Tree.Text]), `| display set` ([Tree.SetLines]) and get-configuration XML
// ([Tree.XML]), and each printout parses back to an equal tree. [Tree.Sub]
// and [Tree.Filter] select parts of a tree; [Diff] prints `show | compare`;
// [Check] runs the commit-time rules.
//
// # Memory
//
// Trees are persistent: [Tree.Clone] costs one small allocation and shares
// all storage; a later change copies only the statements on the paths it
// touches. A simulated device can therefore keep its committed
// configuration, a candidate and a long rollback history for little more
// than the size of one configuration plus the changes. Each statement is one
// 96-byte node pointing into the shared schema.
//
// # Schema coverage
//
// system (host-name, domain-name, root-authentication, login class/user,
// services ssh and netconf ssh, syslog user/file, ntp server); chassis
// (aggregated-devices, fpc/pic tunnel-services, network-services,
// synchronization); interfaces (physical options, tagging, encapsulation,
// mtu, gigether/aggregated-ether options, units with VLANs, VLAN maps and
// families inet, inet6, iso, mpls, ccc, vpls, bridge, ethernet-switching;
// interface-set); protocols (mpls with LSPs, paths and static LSPs, bgp,
// isis, ospf, ldp, rsvp, l2circuit, oam ethernet connectivity-fault-management,
// ptp, lldp); class-of-service (forwarding classes, DSCP classifiers and
// rewrite rules, schedulers, scheduler maps, interface shaping, unit
// classifiers and rewrite rules);
// firewall (family inet filters, policers); policy-options (policy
// statements, communities); routing-instances (vrf, vpls, l2vpn and other
// instance types with their routing-options and protocols); routing-options;
// security (ike, ipsec, nat source, policies, zones; junos-es and junos-nfx
// only); vlans (junos-es, junos-nfx); virtual-network-functions and vmhost
// (junos-nfx only). A test checks every schema node against Juniper's 23.4R2
// YANG models with yanglint.
//
// # Concurrency
//
// The package is pure: no I/O, no goroutines, no global mutable state. A
// Tree is not safe for concurrent mutation, but any number of goroutines may
// read one (print, diff, check, Sub, Filter, Clone) at the same time, and
// clones may be changed independently from different goroutines.
package junosconf
