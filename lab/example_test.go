package lab_test

import (
	"fmt"
	"os"

	"github.com/carrierkit/carrierkit/lab"
)

// A plan derives every namespace, link and address of a lab from its file,
// so `carrierkit-lab down` finds what `up` made without saved state.
func ExampleNewPlan() {
	p, err := lab.NewPlan("small.clab.yml")
	if err != nil {
		fmt.Println(err)
		return
	}
	lab.PrintAddresses(os.Stdout, p)
	for _, l := range p.Links {
		fmt.Printf("%s:%s -- %s:%s mtu %d\n", p.Nodes[l.A].Name, l.AIf, p.Nodes[l.B].Name, l.BIf, l.MTU)
	}
	// Output:
	// lab small: 5 nodes, management 172.20.20.0/24 (bridge ck81db8ebr, gateway 172.20.20.1)
	// pe1        clab-small-pe1               172.20.20.2:830       mx480
	// pe2        clab-small-pe2               172.20.20.3:830       acx2100
	// p1         clab-small-p1                172.20.20.4:830       ptx10003
	// ce1        clab-small-ce1               172.20.20.5:830       srx345
	// ce2        clab-small-ce2               172.20.20.6:830       srx345
	// pe1:eth1 -- p1:eth1 mtu 9500
	// pe2:eth1 -- p1:eth2 mtu 9500
	// ce1:eth1 -- pe1:eth2 mtu 9500
	// ce2:eth1 -- pe2:eth2 mtu 9500
}
