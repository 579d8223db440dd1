package validate_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/validate"
)

// exampleELine designs an E-LINE between pe1 and pe2 with in-memory pools.
func exampleELine() design.Service {
	ctx := context.Background()
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	ifs := []design.Interface{{Name: "ge-0/0/0", Role: design.NNI}, {Name: "ge-0/0/1", Role: design.UNI}}
	inv, _ := design.NewInventory([]design.Device{
		{Name: "pe1", Platform: mx, Loopback: netip.MustParseAddr("192.0.2.1"), Interfaces: ifs},
		{Name: "pe2", Platform: mx, Loopback: netip.MustParseAddr("192.0.2.2"), Interfaces: ifs},
	})
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		m.CreatePool(ctx, s)
	}
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefELineLDP)
	svc, err := design.Design(ctx, m, inv, def, &design.Order{Name: "eline-1", Definition: design.DefELineLDP,
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "ge-0/0/1"}, {Device: "pe2", Interface: "ge-0/0/1"}}})
	if err != nil {
		panic(err)
	}
	return svc
}

// Pre-validation finds a pseudowire whose ends disagree and an end without
// transport, and refuses the order.
func ExampleCheck() {
	svc := exampleELine()
	svc.Devices[1].L2Circuits[0].MTU = 1500 // pe2's end differs
	tr := validate.Transport{LDP: map[string]bool{"pe1": true}}
	fs := validate.Check(&svc, append(validate.DesignRules(), validate.LSPCoverage(tr))...)
	validate.NewReport(fs).WriteTable(os.Stdout)
	fmt.Println(validate.Refuse(fs) != nil)
	// Output:
	// SEVERITY  RULE                  SERVICE  DEVICE  PATH                                                               MESSAGE
	// error     pseudowire-agreement  eline-1  pe1     protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 mtu  mtu 9100, but pe2's end has 1500
	// error     lsp-coverage          eline-1  pe1     protocols mpls                                                     no LSP from pe1 to pe2 (192.0.2.2), which the pseudowire on ge-0/0/1.100 needs
	// error     lsp-coverage          eline-1  pe2     protocols mpls                                                     no LSP from pe2 to pe1 (192.0.2.1), which the pseudowire on ge-0/0/1.100 needs
	// 3 error(s), 0 warning(s), 0 info(s)
	// true
}

// Post-validation compares a service's intended statements with a device's
// configuration and ignores everything the service does not own.
func ExampleCheckSync() {
	svc := exampleELine()
	cfg, _ := validate.ParseSet([]byte(`set interfaces ge-0/0/1 flexible-vlan-tagging
set interfaces ge-0/0/1 encapsulation flexible-ethernet-services
set interfaces ge-0/0/1 unit 100 encapsulation vlan-ccc
set interfaces ge-0/0/1 unit 100 vlan-id 100
set interfaces ge-0/0/1 unit 100 disable
set interfaces ge-0/0/1 description "another service's port note"
set interfaces ge-0/0/1 unit 200 vlan-id 200
set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 virtual-circuit-id 1001
set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 mtu 9100
set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 encapsulation-type ethernet-vlan
`))
	fs, _ := validate.Post(&svc, map[string]*validate.Config{"pe1": cfg})
	for _, f := range fs {
		fmt.Println(f)
	}
	// Output:
	// warning sync-extra service eline-1 device pe1 [interfaces ge-0/0/1 unit 100 disable]: statement inside the service's configuration is not intended
	// error sync-missing service eline-1 device pe1 [protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 no-control-word]: intended statement is not configured
	// error sync-changed service eline-1 device pe1 [protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 virtual-circuit-id]: intended "1000", configured "1001"
	// error sync-skipped service eline-1 device pe2: no configuration read from the device
}
