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
	//   catalog  list the service definitions and their parameters
	//   render   design an order, claim its resources and write each device's configuration
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
