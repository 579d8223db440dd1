package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/carrierkit/carrierkit/sim"
)

// A network's state follows its links: cut one and both ends see their port
// go down.
func ExampleNetwork_SetLink() {
	topo, err := sim.ParseTopology([]byte(`
name: two
topology:
  nodes:
    pe1: {kind: linux, labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.31.1}}
    pe2: {kind: linux, labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.31.2}}
  links:
    - endpoints: ["pe1:eth1", "pe2:eth1"]
      vars: {carrierkit.sim/delay: 3ms}
`), sim.TopologyOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	nw, err := sim.StartNetwork(context.Background(), topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nw.Close()
	fmt.Println("pe2 xe-0/0/0 up:", nw.State().LinkUp("pe2", "xe-0/0/0"))
	if err := nw.SetLink("pe1:eth1", "pe2:eth1", false); err != nil {
		fmt.Println(err)
		return
	}
	nw.Sync()
	fmt.Println("after the cut:", nw.State().LinkUp("pe2", "xe-0/0/0"))
	fmt.Println(nw.SetLink("pe1:eth7", "", false))
	// Output:
	// pe2 xe-0/0/0 up: true
	// after the cut: false
	// sim: network "two": no link at endpoint "pe1:eth7"
}

// A virtual clock runs timers only when advanced, in deadline order.
func ExampleVirtualClock() {
	c := sim.NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	c.AfterFunc(2*time.Second, func() { fmt.Println("two seconds") })
	c.AfterFunc(time.Second, func() { fmt.Println("one second") })
	stop := c.AfterFunc(time.Minute, func() { fmt.Println("never") })
	c.Advance(3 * time.Second)
	fmt.Println("stopped before it ran:", stop())
	c.Advance(time.Hour)
	fmt.Println(c.Now().Format(time.TimeOnly))
	// Output:
	// one second
	// two seconds
	// stopped before it ran: true
	// 09:00:03
}
