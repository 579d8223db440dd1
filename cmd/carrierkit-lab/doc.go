// Command carrierkit-lab brings carrierkit's containerlab topologies up and
// down without containerlab, in Linux network namespaces (see package lab),
// and checks topology files against containerlab's schema.
//
//	carrierkit-lab up lab/small.clab.yml     # prints each node's management address
//	carrierkit-lab down lab/small.clab.yml   # removes every namespace, link and process
//
// `up -mode mesh` (the default) runs `carrierkit-lab node` in every
// namespace: the node's simulated device plus the inter-simulator protocol
// over the lab's eth1…ethN links (package lab, Agent), so devices learn of
// each other and cutting a link with `ip link set … down` is a real fault.
// `up -mode sim` runs plain carrierkit-sim, one unconnected device per
// namespace. It needs root; exit status 2 is a usage error, 1 any other.
//
// # Concurrency
//
// One invocation changes one lab; do not run up and down of the same lab at
// the same time.
package main
