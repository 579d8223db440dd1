package inventory_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

// Target specifications expand to addresses on the NETCONF port; subnets
// skip their network and broadcast addresses.
func ExampleParseTargets() {
	ts, err := inventory.ParseTargets(context.Background(), nil, 0, "192.0.2.1-3", "198.51.100.0/30")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range ts {
		fmt.Println(t)
	}
	_, err = inventory.ParseTargets(context.Background(), nil, 0, "192.0.2.9-192.0.2.1")
	fmt.Println(err)
	// Output:
	// 192.0.2.1:830
	// 192.0.2.2:830
	// 192.0.2.3:830
	// 198.51.100.1:830
	// 198.51.100.2:830
	// inventory: target "192.0.2.9-192.0.2.1": range end comes before its start
}

// Discover a simulated router over NETCONF, prestage it and read the
// design inventory built from it.
func ExampleInventory_Discover() {
	ctx := context.Background()
	d, err := sim.Start(ctx, sim.Options{
		Hostname: "pe9", Platform: "acx2100",
		Addr:  netip.MustParseAddrPort("127.0.88.1:0"),
		Users: []sim.User{{Name: "admin", Password: "example-pass"}},
		Config: []byte(`system { host-name pe9; services { netconf { ssh; } } }
interfaces { lo0 { unit 0 { family inet { address 10.9.9.9/32; } } } }`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	inv, _ := inventory.New(store.NewMemory(), netconf.Dialer(), inventory.Options{
		Port:        d.Addr().Port(),
		Credentials: device.Password("admin", "example-pass"),
		HostKeys:    device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey())))),
	})
	rep, err := inv.Discover(ctx, "127.0.88.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range rep.Changes() {
		fmt.Println(c)
	}
	pre, _ := inv.Prestage(ctx)
	fmt.Println(pre.Results[0].Device, pre.Results[0].Action, pre.Results[0].Role)
	di, _ := inv.Design(ctx)
	dev, _ := di.Device("pe9")
	fmt.Println(dev.Platform.Series, dev.Loopback, len(dev.Interfaces), "UNIs, first", dev.Interfaces[0].Name, dev.Interfaces[0].Speed)
	// Output:
	// pe9: device "" -> acx2100 23.4R2.13
	// pe9 prestaged N-PE
	// ACX 10.9.9.9 14 UNIs, first ge-0/0/0 1G
}

// Rules are data; a file may hold only what differs from the defaults,
// here an operator's exclusions and one extra role rule tried first.
func ExampleParseRules() {
	r, err := inventory.ParseRules([]byte(`
roles:
  - {role: AGG, hostname: "^agg"}
  - {role: N-PE, hasUNI: true}
  - {role: P, hasUNI: false}
uniRoles: [N-PE]
exclude:
  - {device: lab-*, reason: lab kit}
  - {device: pe1, interface: "ge-1/0/*"}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(r.Roles), "role rules; first", r.Roles[0].Role)
	fmt.Println("ports:", strings.Join(r.Ports, " "))
	for _, e := range r.Exclude {
		fmt.Printf("exclude %s %q %q\n", e.Device, e.Interface, e.Reason)
	}
	_, err = inventory.ParseRules([]byte(`roles: [{role: X, hostname: "(["}]`))
	fmt.Println(err != nil)
	// Output:
	// 3 role rules; first AGG
	// ports: ge-* xe-* et-* mge-* ae*
	// exclude lab-* "" "lab kit"
	// exclude pe1 "ge-1/0/*" ""
	// true
}
