package netstate_test

import (
	"fmt"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
)

// pe returns the configuration of one end of an E-LINE between two PEs
// cabled back to back on xe-0/0/0.
func pe(n, peer, vcid int) *junosconf.Tree {
	text := fmt.Sprintf(`
interfaces {
    xe-0/0/0 { unit 0 { family inet { address 10.0.0.%d/30; } family iso; family mpls; } }
    ge-0/0/1 { flexible-vlan-tagging; encapsulation flexible-ethernet-services;
        unit 100 { encapsulation vlan-ccc; vlan-id 100; } }
    lo0 { unit 0 { family inet { address 192.0.2.%d/32; } family iso; } }
}
protocols {
    isis { interface xe-0/0/0.0 { point-to-point; } interface lo0.0 { passive; } }
    mpls { interface xe-0/0/0.0; }
    ldp { interface xe-0/0/0.0; interface lo0.0; }
    l2circuit { neighbor 192.0.2.%d { interface ge-0/0/1.100 { virtual-circuit-id %d; } } }
}`, n, n, peer, vcid)
	t, err := junosconf.Parse(junosconf.FormatText, []byte(text), junosconf.FamilyJunos)
	if err != nil {
		panic(err)
	}
	return t
}

func Example() {
	in := netstate.Input{
		Devices: []netstate.Device{
			{Name: "pe1", Config: pe(1, 2, 1100), Up: true},
			{Name: "pe2", Config: pe(2, 1, 1100), Up: true},
			{Name: "ce1", Up: true},
			{Name: "ce2", Up: true},
		},
		Links: []netstate.Link{
			{A: netstate.Endpoint{Device: "pe1", Interface: "xe-0/0/0"}, B: netstate.Endpoint{Device: "pe2", Interface: "xe-0/0/0"}, Up: true, Delay: 4 * time.Millisecond},
			{A: netstate.Endpoint{Device: "pe1", Interface: "ge-0/0/1"}, B: netstate.Endpoint{Device: "ce1", Interface: "ge-0/0/0"}, Up: true},
			{A: netstate.Endpoint{Device: "pe2", Interface: "ge-0/0/1"}, B: netstate.Endpoint{Device: "ce2", Interface: "ge-0/0/0"}, Up: true},
		},
	}
	var c netstate.Computer
	s := c.Compute(in)
	pw := s.Pseudowire("pe1", "192.0.2.2", "ge-0/0/1.100", 1100)
	fmt.Println(pw.Status, pw.InLabel, pw.OutLabel, pw.Path.Delay)

	// pe2 commits a different VC ID
	in.Devices[1].Config = pe(2, 1, 1001)
	pw = c.Compute(in).Pseudowire("pe1", "192.0.2.2", "ge-0/0/1.100", 1100)
	fmt.Println(pw.Status, pw.Reason)

	// the customer port of pe1 goes down
	in.Devices[1].Config = pe(2, 1, 1100)
	in.Links[1].Up = false
	pw = c.Compute(in).Pseudowire("pe1", "192.0.2.2", "ge-0/0/1.100", 1100)
	fmt.Println(pw.Status, pw.Reason)
	// Output:
	// Up 299776 299776 4ms
	// OL remote VC ID 1001 differs from 1100
	// LD local interface ge-0/0/1.100 down
}
