package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"time"

	"github.com/carrierkit/carrierkit/lab"
	"github.com/carrierkit/carrierkit/sim"
)

// cmdNode runs one node of a lab with the inter-simulator protocol; Up
// starts it inside the node's namespace.
func cmdNode(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("topology", envOr("CARRIERKIT_TOPOLOGY", os.Getenv("CLAB_LABEL_CLAB_TOPO_FILE")), "containerlab topology `file`; default $CARRIERKIT_TOPOLOGY, else containerlab's $CLAB_LABEL_CLAB_TOPO_FILE")
	node := fs.String("node", os.Getenv("CLAB_LABEL_CLAB_NODE_NAME"), "this node's `name`; default containerlab's $CLAB_LABEL_CLAB_NODE_NAME")
	listen := fs.String("listen", "0.0.0.0:830", "`address:port` of this node's device (its management address)")
	hello := fs.Duration("hello", 200*time.Millisecond, "hello `interval`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err.Error()}
	}
	if *file == "" || *node == "" || *listen == "" {
		return &usageError{"node needs -topology, -node and -listen"}
	}
	addr, err := netip.ParseAddrPort(*listen)
	if err != nil {
		return &usageError{fmt.Sprintf("-listen %q: %v", *listen, err)}
	}
	topo, err := sim.LoadTopology(*file)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil)).With("node", *node)
	return lab.RunAgent(ctx, lab.AgentOptions{Topology: topo, Node: *node, Listen: addr, Hello: *hello, Log: log,
		Ready: func(*lab.Agent) { log.Info("listening", "addr", addr) }})
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
