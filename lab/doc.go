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
// # Inter-simulator protocol
//
// In mesh mode ([NodeCommand], [RunAgent]; what `carrierkit-lab up` runs) a
// node's process holds the node's own device on its management address and
// a replica of every other simulated node on a loopback address inside the
// namespace (127.0.1.N), all in one in-process sim.Network, so the
// simulator's own netstate computes the control plane. The replicas learn
// everything over the lab's data links, never over management:
//
//   - Every Hello (200 ms) a node sends a hello on each of its ethN: its
//     name, the interface, and the sequence number of every LSA it holds.
//     A neighbour is up on ethN while its hellos arrive there and lost
//     after Dead (1 s) without them — so `ip link set ethN down` on either
//     end is a real fault.
//   - A node's LSA carries its committed configuration (Junos text) with
//     its SHA-256 and its live adjacencies (local interface, neighbour,
//     neighbour's interface). It is re-issued with a higher sequence
//     number when either changes; a node that hears a hello missing a
//     newer LSA sends it, and a fresh LSA is flooded on every other link
//     at once (link-state style), so every node holds every node's LSA.
//   - A replica's configuration is replaced (load override, commit, over
//     NETCONF on loopback) when its node's LSA brings a new digest.
//   - A link is up in the local network when both ends' views say they hear
//     each other on it (the node's own live view for its links, the latest
//     LSA for the others), so a partitioned node's stale LSA cannot keep a
//     link up.
//
// Frames are raw Ethernet (AF_PACKET, EtherType 0x88b5, broadcast), JSON
// compressed with gzip and cut into 8,000-byte chunks; no IP addresses are
// configured on data links. Each frame is sent through the link's
// impairment (carrierkit.sim/delay plus a uniform draw of jitter, and
// carrierkit.sim/loss), and ping mpls and CFM measurements come from the
// same link variables in each node's netstate. A change reaches every node
// within the dead interval plus one LSA flood (about 1–1.5 s for a cut,
// a few hundred ms for a commit).
//
// # Concurrency
//
// Plan values are immutable once built. Up and Down change the machine's
// namespaces and links; running two of them for the same lab at once is not
// supported, different labs (different names and subnets) are independent.
// A Schema may be used from several goroutines.
package lab
