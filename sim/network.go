package sim

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh/knownhosts"
)

// NetworkOptions are optional knobs for [StartNetwork]. The zero value starts
// every simulated node of the topology on its own address and port.
type NetworkOptions struct {
	// AnyPort makes every device listen on a port the system picks (port 0)
	// instead of the topology's, for tests that run in parallel.
	AnyPort bool
	// Nodes, if not empty, starts only the simulated nodes with these names.
	Nodes []string
	// Parallel bounds how many devices start at once; 0 means 4 × GOMAXPROCS.
	Parallel int
	// HostKeySeed and Clock are passed to every device (see [Options]).
	HostKeySeed []byte
	Clock       Clock
}

// Network is a running set of simulated devices started from a [Topology].
// Its methods are safe for concurrent use; Close stops every device.
type Network struct {
	topo    *Topology
	names   []string           // node names in topology order
	devices map[string]*Device // by node name

	closeOnce sync.Once
	closeErr  error
}

// StartNetwork starts a device for every simulated node of topo (or those in
// o.Nodes) and returns when all are listening. Devices start concurrently,
// at most o.Parallel at a time. If any fails, the ones already started are
// closed and the error names the node. ctx bounds the start-up and is passed
// to each device's Start.
func StartNetwork(ctx context.Context, topo *Topology, o NetworkOptions) (*Network, error) {
	nodes, err := selectNodes(topo, o.Nodes)
	if err != nil {
		return nil, err
	}
	par := o.Parallel
	if par <= 0 {
		par = 4 * runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu      sync.Mutex
		started = map[string]*Device{}
		errs    []error
		wg      sync.WaitGroup
		sem     = make(chan struct{}, par)
	)
	for _, n := range nodes {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := startNode(ctx, topo, n, o)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("sim: network %q: node %q: %w", topo.Name, n.Name, err))
				cancel()
				return
			}
			started[n.Name] = d
		}()
	}
	wg.Wait()
	if len(errs) == 0 && len(started) < len(nodes) {
		errs = append(errs, fmt.Errorf("sim: network %q: %w", topo.Name, parent.Err()))
	}
	if len(errs) > 0 {
		for _, d := range started {
			_ = d.Close()
		}
		return nil, errors.Join(errs...)
	}
	nw := &Network{topo: topo, devices: started}
	for _, n := range nodes {
		nw.names = append(nw.names, n.Name)
	}
	return nw, nil
}

func selectNodes(topo *Topology, names []string) ([]*TopologyNode, error) {
	all := topo.SimNodes()
	if len(names) == 0 {
		if len(all) == 0 {
			return nil, fmt.Errorf("sim: network %q: no simulated nodes (set label %s)", topo.Name, LabelPlatform)
		}
		return all, nil
	}
	var out []*TopologyNode
	for _, name := range names {
		n := topo.Node(name)
		switch {
		case n == nil:
			return nil, fmt.Errorf("sim: network %q: unknown node %q", topo.Name, name)
		case n.Sim == nil:
			return nil, fmt.Errorf("sim: network %q: node %q is not a simulated device (no %s)", topo.Name, name, LabelPlatform)
		}
		out = append(out, n)
	}
	return out, nil
}

// startNode starts the device of one topology node.
func startNode(ctx context.Context, topo *Topology, n *TopologyNode, o NetworkOptions) (*Device, error) {
	cfg, err := startupConfig(n)
	if err != nil {
		return nil, err
	}
	addr := n.Sim.Addr
	if o.AnyPort {
		addr = netip.AddrPortFrom(addr.Addr(), 0)
	}
	return Start(ctx, Options{
		Hostname:    n.Sim.Hostname,
		Platform:    n.Sim.Platform,
		Addr:        addr,
		Users:       []User{{Name: n.Sim.User, Password: n.Sim.Password}},
		HostKeySeed: o.HostKeySeed,
		Clock:       o.Clock,
		Config:      cfg,
	})
}

// startupConfig returns the node's startup-config: inline text (containerlab
// allows a multi-line value) or the contents of the file it names.
func startupConfig(n *TopologyNode) ([]byte, error) {
	sc := n.StartupConfig
	switch {
	case sc == "":
		return nil, nil
	case strings.Contains(sc, "\n"):
		return []byte(sc), nil
	}
	b, err := os.ReadFile(sc)
	if err != nil {
		return nil, fmt.Errorf("startup-config: %w", err)
	}
	return b, nil
}

// Topology returns the topology the network was started from.
func (nw *Network) Topology() *Topology { return nw.topo }

// Devices returns the running devices in topology order.
func (nw *Network) Devices() []*Device {
	out := make([]*Device, 0, len(nw.names))
	for _, name := range nw.names {
		out = append(out, nw.devices[name])
	}
	return out
}

// Device returns the device of the node called name, or nil.
func (nw *Network) Device(name string) *Device { return nw.devices[name] }

// KnownHosts returns an OpenSSH known_hosts file that lists every device's
// host key ("[127.0.1.1]:830 ssh-ed25519 AAAA…"), for clients that check host
// keys strictly (scrapligo's WithSSHKnownHostsFile, knownhosts.New).
func (nw *Network) KnownHosts() []byte {
	var b strings.Builder
	for _, d := range nw.Devices() {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(d.Addr().String())}, d.HostKey()) + "\n")
	}
	return []byte(b.String())
}

// Close stops every device and returns their errors joined. It is safe to
// call more than once.
func (nw *Network) Close() error {
	nw.closeOnce.Do(func() {
		var wg sync.WaitGroup
		errs := make([]error, len(nw.names))
		for i, name := range nw.names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := nw.devices[name].Close(); err != nil {
					errs[i] = fmt.Errorf("sim: node %q: %w", name, err)
				}
			}()
		}
		wg.Wait()
		nw.closeErr = errors.Join(errs...)
	})
	return nw.closeErr
}
