package design_test

import (
	"context"
	"fmt"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

const exampleInventory = `
devices:
  - name: pe1
    platform: {vendor: juniper, model: mx480, series: MX}
    loopback: 192.0.2.1
    interfaces: [{name: ge-0/0/1, role: uni}]
  - name: pe2
    platform: {vendor: juniper, model: mx480, series: MX}
    loopback: 192.0.2.2
    interfaces: [{name: ge-0/0/1, role: uni}]
`

const exampleOrder = `
name: eline-42
definition: eline-ldp
description: Customer 42
endpoints:
  - {device: pe1, interface: ge-0/0/1}
  - {device: pe2, interface: ge-0/0/1, vlan: 300}
`

// An E-LINE order becomes one claim (a VLAN at each UNI and a VC ID) and an
// intent per PE: the unit is the VLAN, the pseudowire points at the other
// PE's loopback.
func ExampleDesign() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		m.CreatePool(ctx, s)
	}
	inv, err := design.DecodeInventory("inventory.yaml", []byte(exampleInventory), design.FormatYAML)
	if err != nil {
		fmt.Println(err)
		return
	}
	o, _ := design.DecodeOrder("order.yaml", []byte(exampleOrder), design.FormatYAML)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(o.Definition)

	svc, err := design.Design(ctx, m, inv, def, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range svc.Devices {
		a, pw := d.Attachments[0], d.L2Circuits[0]
		fmt.Printf("%s: unit %s vlan %v; l2circuit neighbor %v vc %v %s mtu %d\n",
			d.Device, a.Name(), a.VLAN, pw.Neighbor, pw.VCID, pw.Encapsulation, pw.MTU)
	}
	lk, _ := m.Lookup(ctx, "eline-42")
	for _, it := range lk.Items {
		fmt.Println("claimed", it.Pool, it.Scope, it.Value)
	}
	// Output:
	// pe1: unit ge-0/0/1.300 vlan 300; l2circuit neighbor 192.0.2.2 vc 1000 ethernet-vlan mtu 9100
	// pe2: unit ge-0/0/1.300 vlan 300; l2circuit neighbor 192.0.2.1 vc 1000 ethernet-vlan mtu 9100
	// claimed vlan pe1:ge-0/0/1 300
	// claimed vlan pe2:ge-0/0/1 300
	// claimed vcid  1000
}

// Custom definitions are data: a base entry plus changed parameters.
// Mistakes are reported with the file, the definition and the parameter.
func ExampleDecodeDefinitions() {
	good := `
definitions:
  - name: gold-eline
    base: eline-ldp
    parameters:
      - {name: mtu, default: "9000", overridable: false}
      - {name: bandwidth, default: 1G, max: 10G}
`
	cat, err := design.DecodeDefinitions("definitions.yaml", []byte(good), design.FormatYAML)
	if err != nil {
		fmt.Println(err)
		return
	}
	def, _ := cat.Lookup("gold-eline")
	p, _ := def.Resolve(map[string]string{"bandwidth": "2G"})
	fmt.Println(def.Realisation(), p.MTU, p.Bandwidth, p.Signalling)
	_, err = def.Resolve(map[string]string{"mtu": "1500"})
	fmt.Println(err)

	bad := `
definitions:
  - name: gold-eline
    base: eline-ldp
    parameters: [{name: mtu, default: "20000"}]
`
	_, err = design.DecodeDefinitions("definitions.yaml", []byte(bad), design.FormatYAML)
	fmt.Println(err)
	// Output:
	// eline-ldp 9000 2G ldp
	// attributes.mtu "1500": not overridable in definition gold-eline
	// definitions.yaml: definition "gold-eline": parameter "mtu": default 20000 above max 9216: invalid
}

// Order.Validate names the order, the endpoint and the field.
func ExampleOrder_Validate() {
	inv, _ := design.DecodeInventory("inventory.yaml", []byte(exampleInventory), design.FormatYAML)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefELineLDP)
	o := design.Order{Name: "eline-43", Definition: design.DefELineLDP, Endpoints: []design.Endpoint{
		{Device: "pe1", Interface: "ge-0/0/1"},
		{Device: "pe2", Interface: "ge-0/0/9"},
	}}
	fmt.Println(o.Validate(inv, def))
	// Output:
	// design: order "eline-43": endpoints[1] (pe2 ge-0/0/9): interface "ge-0/0/9": not on device pe2
}

// Plan previews what Design would claim, keeping nothing.
func ExamplePlan() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		m.CreatePool(ctx, s)
	}
	inv, _ := design.DecodeInventory("inventory.yaml", []byte(exampleInventory), design.FormatYAML)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefVPLSBGP)
	o := &design.Order{Name: "vpls-7", Definition: design.DefVPLSBGP, Endpoints: []design.Endpoint{
		{Device: "pe1", Interface: "ge-0/0/1"}, {Device: "pe2", Interface: "ge-0/0/1"}}}
	rs, _ := design.Plan(ctx, m, inv, def, o)
	for _, d := range rs[0].Service.Devices {
		fmt.Println(d.Device, d.VPLS.Name, d.VPLS.RD, d.VPLS.RT, "site", d.VPLS.SiteID)
	}
	held, _ := m.Claims(ctx, "")
	fmt.Println("held:", len(held))
	// Output:
	// pe1 VPLS-VPLS-7 65000:1 target:65000:1 site 1
	// pe2 VPLS-VPLS-7 65000:2 target:65000:1 site 2
	// held: 0
}
