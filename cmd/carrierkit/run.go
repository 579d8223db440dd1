package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
)

// errUsage marks command-line mistakes (exit status 2).
var errUsage = errors.New("usage")

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"render":       {"design an order, claim its resources and write each device's configuration", runRender},
	"catalog":      {"list the service definitions and their parameters", runCatalog},
	"pool":         {"create, list and show the usage of resource pools", runPool},
	"discover":     {"discover devices over NETCONF into the inventory", runDiscover},
	"prestage":     {"assign roles and qualify UNI/NNI interfaces of discovered devices", runPrestage},
	"plan":         {"dry-run an order: pre-validation and every device's own diff", runPlan},
	"deploy":       {"submit and deploy an order all-or-nothing", runDeploy},
	"validate":     {"post- and operational validation of a deployed service", runValidate},
	"oam":          {"full-mesh MPLS OAM of a deployed service, with diagnosis", runOAM},
	"decommission": {"remove a deployed service and release its resources", runDecommission},
	"audit":        {"check-sync every deployed service against its devices", runAudit},
}

// run dispatches args (without the program name) to a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return fmt.Errorf("%w: no command given", errUsage)
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(stderr)
		return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: carrierkit <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "carrierkit <command> -h" for a command's flags.`)
}
