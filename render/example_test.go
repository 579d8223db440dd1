package render_test

import (
	"fmt"
	"net/netip"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/render"
)

// An E-LINE between two MX routers, VLAN 100 at each UNI, rendered as set
// lines for each device.
func ExampleAll() {
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	end := func(dev, port string, self, peer string) design.DeviceIntent {
		att := design.Attachment{Interface: port, Unit: 100, Encapsulation: design.UnitVLANCCC, VLAN: 100}
		return design.DeviceIntent{
			Device: dev, Platform: mx, Loopback: netip.MustParseAddr(self),
			Attachments: []design.Attachment{att},
			L2Circuits: []design.L2Circuit{{Neighbor: netip.MustParseAddr(peer), Interface: att.Name(),
				VCID: 1100, Encapsulation: design.EncapEthernetVLAN}},
		}
	}
	svc := design.Service{
		Name: "eline-cust1-42", Definition: design.DefELineLDP, Type: design.TypeELine,
		Description: `CUST1 "gold"; site A`,
		Devices: []design.DeviceIntent{
			end("pe1", "ge-0/0/1", "192.0.2.1", "192.0.2.2"),
			end("pe2", "ge-0/0/2", "192.0.2.2", "192.0.2.1"),
		},
	}
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("# %s\n%s", arts[0].Device, arts[0].Body)
	rm, _ := render.Remove(svc, render.FormatSet)
	fmt.Printf("# %s, decommission\n%s", rm[0].Device, rm[0].Body)
	// Output:
	// # pe1
	// set interfaces ge-0/0/1 flexible-vlan-tagging
	// set interfaces ge-0/0/1 encapsulation flexible-ethernet-services
	// set interfaces ge-0/0/1 unit 100 description "CUST1 \"gold\"; site A"
	// set interfaces ge-0/0/1 unit 100 encapsulation vlan-ccc
	// set interfaces ge-0/0/1 unit 100 vlan-id 100
	// set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 virtual-circuit-id 1100
	// set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 description "CUST1 \"gold\"; site A"
	// set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 no-control-word
	// set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 encapsulation-type ethernet-vlan
	// # pe1, decommission
	// delete interfaces ge-0/0/1 unit 100
	// delete protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100
}

// Descriptions are neutralised: control characters, including newlines,
// collapse into single spaces.
func ExampleDescription() {
	fmt.Printf("%q\n", render.Description("line one\nset system root-authentication\r\n"))
	// Output:
	// "line one set system root-authentication"
}

func ExampleParseFormat() {
	f, err := render.ParseFormat("xml")
	fmt.Println(f, f.Ext(), err)
	_, err = render.ParseFormat("json")
	fmt.Println(err)
	// Output:
	// xml xml <nil>
	// render: format "json": want set, text, xml or md-cli: unknown format
}
