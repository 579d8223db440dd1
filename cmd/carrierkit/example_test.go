package main

import (
	"context"
	"os"
)

// The command's subcommands.
func Example() {
	run(context.Background(), []string{"help"}, os.Stdout, os.Stderr)
	// Output:
	// Usage: carrierkit <command> [flags]
	//
	// Commands:
	//   audit         check-sync every deployed service against its devices
	//   catalog       list the service definitions and their parameters
	//   decommission  remove a deployed service and release its resources
	//   deploy        submit and deploy an order all-or-nothing
	//   discover      discover devices over NETCONF into the inventory
	//   oam           full-mesh MPLS OAM of a deployed service, with diagnosis
	//   plan          dry-run an order: pre-validation and every device's own diff
	//   pool          create, list and show the usage of resource pools
	//   prestage      assign roles and qualify UNI/NNI interfaces of discovered devices
	//   render        design an order, claim its resources and write each device's configuration
	//   validate      post- and operational validation of a deployed service
	//
	// Run "carrierkit <command> -h" for a command's flags.
}

// A dry run previews the claims of an order without keeping them.
func Example_dryRun() {
	dir, _ := os.MkdirTemp("", "carrierkit-example")
	defer os.RemoveAll(dir)
	err := run(context.Background(), []string{"render", "-dry-run",
		"-order", "../../design/testdata/orders/eline-bgp.yaml", "-store", dir + "/state.db"}, os.Stdout, os.Stderr)
	if err != nil {
		panic(err)
	}
	// Output:
	// would claim eline-cust2 vlan.0: pool vlan scope pe1:ge-0/0/2 value 100
	// would claim eline-cust2 vlan.1: pool vlan scope pe2:ge-0/0/2 value 100
	// would claim eline-cust2 rt: pool rt value target:65000:1
	// would claim eline-cust2 rd.pe1: pool rd value 65000:1
	// would claim eline-cust2 rd.pe2: pool rd value 65000:2
}
