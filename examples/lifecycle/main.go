// Command lifecycle is carrierkit's end-to-end demo (`make demo`): on a
// simulated carrier network (ACX access, MX edge, PTX core) and the embedded
// store it discovers and prestages the routers, designs and deploys a 20-site
// VPLS and a hub-and-spoke L3VPN after a dry run, validates them, runs the
// full-mesh OAM, cuts a link to show the diagnosis, restores it and
// decommissions a service, showing its resources released.
//
//	go run ./examples/lifecycle -out out/demo
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	o := options{User: "admin", Password: envOr("CARRIERKIT_SIM_PASSWORD", "admin@123")}
	flag.StringVar(&o.Topology, "topology", "examples/lifecycle/network.clab.yml", "containerlab topology of the simulated network")
	flag.StringVar(&o.Out, "out", "out/demo", "directory for the store file, known_hosts and results")
	flag.IntVar(&o.Sites, "sites", 20, "number of VPLS sites")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "lifecycle:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
