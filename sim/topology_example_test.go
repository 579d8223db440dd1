package sim_test

import (
	"fmt"

	"github.com/carrierkit/carrierkit/sim"
)

// A containerlab topology is also the simulator's: the platform is a node
// label, containerlab's eth1, eth2, … become the platform's data ports, and
// link impairments are link vars.
func ExampleParseTopology() {
	src := `
name: demo
topology:
  kinds:
    linux: {image: carrierkit-sim:local, image-pull-policy: Never}
  nodes:
    pe1: {kind: linux, labels: {carrierkit.sim/platform: mx204}}
    pe2: {kind: linux, labels: {carrierkit.sim/platform: acx2100, carrierkit.sim/address: 127.0.9.2}}
  links:
    - endpoints: ["pe1:eth1", "pe2:eth1"]
      vars: {carrierkit.sim/delay: 3ms, carrierkit.sim/loss: "0.5%"}
`
	topo, err := sim.ParseTopology([]byte(src), sim.TopologyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range topo.SimNodes() {
		fmt.Println(n.Name, n.Sim.Platform, n.Sim.Addr, n.Sim.User)
	}
	l := topo.Links[0]
	fmt.Println(l.Endpoints[0].SimInterface, "<->", l.Endpoints[1].SimInterface, l.Impair.Delay, l.Impair.Loss)
	// Output:
	// pe1 mx204 127.0.1.1:830 admin
	// pe2 acx2100 127.0.9.2:830 admin
	// et-0/0/0 <-> ge-0/0/0 3ms 0.5
}
