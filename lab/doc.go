// Package lab runs carrierkit's containerlab topologies (the .clab.yml files
// in this directory) without containerlab: one Linux network namespace per
// node, named as containerlab names its containers (clab-<lab>-<node>), a
// veth pair per link with containerlab's interface names (eth1, eth2, … in
// each node), a management veth per node (eth0) on a lab bridge, and the
// simulator running inside each namespace as that one device.
//
// It also checks topology files against containerlab's own JSON schema
// ([SchemaPath], [LoadSchema], [Schema.ValidateFile]).
//
// # Management network
//
// Every lab gets the IPv4 subnet of its `mgmt.ipv4-subnet` (containerlab's
// default 172.20.20.0/24 when absent). The first address is the bridge's, in
// the root namespace, as docker gives it to the gateway; nodes get
// `mgmt-ipv4` if they set it, otherwise the next free address in file order.
// Namespaces get no default route: a node reaches its management subnet and
// nothing else. [Up] refuses a subnet that overlaps a route the machine
// already has.
//
// # Clean-up
//
// Every name the runner creates is derived from the topology file ([NewPlan]),
// so [Down] needs no saved state: it stops every process in the lab's
// namespaces, deletes the namespaces, the bridge and any leftover veth, and
// waits until they are gone. [Up] calls it itself when a step fails.
//
// # Concurrency
//
// Plan values are immutable once built. Up and Down change the machine's
// namespaces and links; running two of them for the same lab at once is not
// supported, different labs (different names and subnets) are independent.
// A Schema may be used from several goroutines.
package lab
