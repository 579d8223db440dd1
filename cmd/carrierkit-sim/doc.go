// Command carrierkit-sim runs simulated Junos devices that speak NETCONF and
// a Junos-like CLI over SSH: one device from flags, or every simulated node
// of a containerlab topology, each on its own loopback address.
//
//	carrierkit-sim -listen 127.0.1.1:830 -platform mx480 -hostname pe1 -user admin -password-file pw.txt
//	CARRIERKIT_SIM_PASSWORD=secret carrierkit-sim -hostname pe1
//	carrierkit-sim -topology lab.clab.yml -known-hosts known_hosts
//
// It prints one line per device,
//
//	pe1 mx480 netconf+cli ssh://admin@127.0.1.1:830 hostkey ssh-ed25519 AAAA…
//
// and runs until SIGINT or SIGTERM, then closes every device and exits 0.
// Run it with -h for all flags.
//
// Without -topology it runs one device: -listen (default 127.0.1.1:830),
// -platform (default mx480), -hostname (required), -user (default admin) and
// a password from -password-file, $CARRIERKIT_SIM_PASSWORD or -password.
// -platform, -hostname and -user default to $CARRIERKIT_PLATFORM,
// $CARRIERKIT_HOSTNAME and $CARRIERKIT_USER, and $CARRIERKIT_PASSWORD is the
// last password source: the variables a containerlab node's env sets (see
// sim/TOPOLOGY.md), so in a container "carrierkit-sim -listen 0.0.0.0:830"
// is enough.
// With -topology FILE it runs every simulated node of a containerlab
// topology (see sim/TOPOLOGY.md); -nodes picks some of them, -any-port lets
// the system choose ports, and a password given as above replaces every
// node's. -known-hosts FILE writes an OpenSSH known_hosts file for strict
// host-key checking; -host-key-seed changes the derived host keys.
//
// With -topology, -admin 127.0.0.1:8830 also serves the network's admin
// HTTP/JSON API on that loopback address (links up/down, devices off/on,
// impairments, VNF faults, state; see sim/NETWORK.md), and
//
//	carrierkit-sim ctl [-admin ADDR] state
//	carrierkit-sim ctl link pe1:eth1 p1:eth1 down
//	carrierkit-sim ctl device p1 down
//	carrierkit-sim ctl impair pe1:eth1 p1:eth1 delay=5ms jitter=1ms loss=0.5 bandwidth=1G
//	carrierkit-sim ctl vnf nfx1 acme_branch_1-vsrx crashed
//
// is its client (-admin defaults to $CARRIERKIT_SIM_ADMIN, else
// 127.0.0.1:8830); each command returns once the change is in the network
// state.
//
// Bad flags exit with status 2 and a message naming the flag; start-up
// failures exit with status 1.
//
// # Concurrency
//
// The devices serve their SSH sessions concurrently; the command itself only
// starts them (and the admin HTTP server), waits for a signal and closes
// them.
package main
