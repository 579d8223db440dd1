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
	"time"

	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
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
	// HostKeySeed and Clock are passed to every device (see [Options]). A
	// [VirtualClock] makes every device's timers (confirmed-commit rollback,
	// CFM iterator cycles) follow its Advance.
	HostKeySeed []byte
	Clock       Clock
	// Debounce is how long the network waits after a change (a commit, a
	// link or device change) for more changes before it recomputes the
	// control plane; 0 means [DefaultDebounce].
	Debounce time.Duration
}

// DefaultDebounce is the default [NetworkOptions.Debounce]. A change is
// reflected in every device's operational state at most Debounce plus one
// recomputation after it happened (see NETWORK.md for measured costs).
const DefaultDebounce = 20 * time.Millisecond

// Network is a running set of simulated devices started from a [Topology],
// together with the state of its links and the control-plane state computed
// from every device's committed configuration (sim/netstate). Its methods
// are safe for concurrent use; Close stops every device.
type Network struct {
	topo     *Topology
	opts     NetworkOptions
	names    []string        // simulated node names in topology order
	isSim    map[string]bool // the running nodes (immutable)
	debounce time.Duration
	ctl      sync.Mutex // serialises SetDevice

	portsMu sync.Mutex
	ports   map[*Platform][]string

	mu      sync.Mutex                 // guards the fields below
	devices map[string]*Device         // by node name; the current instance
	nodeOf  map[*Device]string         // reverse of devices
	devOpts map[string]Options         // how each device was started (for restarts)
	down    map[string]bool            // devices brought down with SetDevice
	offTree map[string]*junosconf.Tree // committed configuration of a device that is down
	links   []*netLink                 // topology links, in file order
	closed  bool

	// Recomputation: changes bump want; the loop computes and publishes
	// state for generation have.
	smu        sync.Mutex
	cond       *sync.Cond
	want       uint64
	have       uint64
	state      *netstate.State
	computer   netstate.Computer // used by compute only
	testPanic  func()            // tests: called inside safeCompute; guarded by smu
	pwHist     map[pwKey]pwEvent // pseudowire status changes (Time last up, # Up trans)
	recomputes int
	computeErr error
	stopped    bool
	kick       chan struct{}
	fast       chan struct{}
	quit       chan struct{}
	done       chan struct{}

	closeOnce sync.Once
	closeErr  error
}

// netLink is the run-time state of one topology link.
type netLink struct {
	tl     *TopologyLink
	up     bool
	impair LinkImpairment
}

// StartNetwork starts a device for every simulated node of topo (or those in
// o.Nodes) and returns when all are listening and the first control-plane
// state is computed. Devices start concurrently, at most o.Parallel at a
// time. If any fails, the ones already started are closed and the error
// names the node. ctx bounds the start-up and is passed to each device's
// Start.
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
		optsOf  = map[string]Options{}
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
			opts, err := nodeOptions(n, o)
			var d *Device
			if err == nil {
				d, err = Start(ctx, opts)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("sim: network %q: node %q: %w", topo.Name, n.Name, err))
				cancel()
				return
			}
			started[n.Name] = d
			optsOf[n.Name] = opts
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
	nw := &Network{topo: topo, opts: o, devices: started, devOpts: optsOf, nodeOf: map[*Device]string{},
		down: map[string]bool{}, offTree: map[string]*junosconf.Tree{}, isSim: map[string]bool{}, debounce: o.Debounce,
		kick: make(chan struct{}, 1), fast: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	if nw.debounce <= 0 {
		nw.debounce = DefaultDebounce
	}
	nw.cond = sync.NewCond(&nw.smu)
	for _, n := range nodes {
		nw.names = append(nw.names, n.Name)
		nw.isSim[n.Name] = true
	}
	for _, l := range topo.Links {
		nw.links = append(nw.links, &netLink{tl: l, up: true, impair: l.Impair})
	}
	st, err := nw.safeCompute(nil)
	if err != nil {
		for _, d := range started {
			_ = d.Close()
		}
		return nil, err
	}
	nw.state = st
	nw.pwHist = nw.pwHistory(nil, nw.state)
	for name, d := range started {
		nw.attach(name, d)
	}
	go nw.loop()
	return nw, nil
}

// attach wires a device into the network: its replies read the network
// state and its commits trigger a recomputation. nw.mu need not be held
// during StartNetwork; restartDevice holds it.
func (nw *Network) attach(name string, d *Device) {
	nw.nodeOf[d] = name
	d.setOpState(&netOpState{nw: nw, name: name})
	d.setCommitHook(nw.changed)
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

// nodeOptions returns the device options of one topology node.
func nodeOptions(n *TopologyNode, o NetworkOptions) (Options, error) {
	cfg, err := startupConfig(n)
	if err != nil {
		return Options{}, err
	}
	addr := n.Sim.Addr
	if o.AnyPort {
		addr = netip.AddrPortFrom(addr.Addr(), 0)
	}
	return Options{
		Hostname:    n.Sim.Hostname,
		Platform:    n.Sim.Platform,
		Addr:        addr,
		Users:       []User{{Name: n.Sim.User, Password: n.Sim.Password}},
		HostKeySeed: o.HostKeySeed,
		Clock:       o.Clock,
		Config:      cfg,
	}, nil
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

// Devices returns the running devices in topology order (devices brought
// down with SetDevice are left out).
func (nw *Network) Devices() []*Device {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	out := make([]*Device, 0, len(nw.names))
	for _, name := range nw.names {
		if !nw.down[name] {
			out = append(out, nw.devices[name])
		}
	}
	return out
}

// Device returns the device of the node called name, or nil. After
// SetDevice(name, false) and back up it returns the new instance.
func (nw *Network) Device(name string) *Device {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if nw.down[name] {
		return nil
	}
	return nw.devices[name]
}

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

// Close stops the recomputation and every device and returns the devices'
// errors joined. It is safe to call more than once.
func (nw *Network) Close() error {
	nw.closeOnce.Do(func() {
		nw.mu.Lock()
		nw.closed = true
		var devs []*Device
		var names []string
		for _, name := range nw.names {
			if !nw.down[name] {
				devs = append(devs, nw.devices[name])
				names = append(names, name)
			}
		}
		nw.mu.Unlock()
		close(nw.quit)
		<-nw.done
		var wg sync.WaitGroup
		errs := make([]error, len(devs))
		for i, d := range devs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := d.Close(); err != nil {
					errs[i] = fmt.Errorf("sim: node %q: %w", names[i], err)
				}
			}()
		}
		wg.Wait()
		nw.closeErr = errors.Join(errs...)
		nw.smu.Lock()
		nw.stopped = true // release Sync waiters
		nw.cond.Broadcast()
		nw.smu.Unlock()
	})
	return nw.closeErr
}
