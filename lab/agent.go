package lab

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
)

// NodeCommand returns a Command that runs `bin node` (carrierkit-lab's node
// subcommand, which calls RunAgent) for each node.
func NodeCommand(bin string) func(p *Plan, n *PlanNode) []string {
	return func(p *Plan, n *PlanNode) []string {
		return []string{bin, "node", "-topology", p.File, "-node", n.Name, "-listen", n.Listen.String()}
	}
}

// AgentOptions configure RunAgent.
type AgentOptions struct {
	Topology *sim.Topology
	Node     string         // this node's name in Topology
	Listen   netip.AddrPort // where this node's device listens (its management address)
	// Hello is the hello interval (default 200 ms); a neighbour is lost
	// after Dead without hellos (default 5 × Hello).
	Hello, Dead time.Duration
	Log         *slog.Logger // nil discards
	// WaitInterfaces bounds how long the agent waits for its ethN to
	// appear (containerlab adds them after the container starts); 0 means
	// one minute.
	WaitInterfaces time.Duration
	// Ready, if not nil, is called once the device listens.
	Ready func(*Agent)
}

// Agent is one node of a lab in its own namespace: the node's simulated
// device, replicas of every other node fed from the protocol, and the
// protocol itself on the node's data interfaces.
type Agent struct {
	o     AgentOptions
	nw    *sim.Network
	ports map[string]*port // by local interface name
	imp   map[string]sim.LinkImpairment
	local *sim.Device

	mu      sync.Mutex
	db      map[string]*lsa      // by origin, including this node's own
	nbrs    map[string]adjacency // by local interface: who was last heard there
	applied map[string]string    // origin → config digest pushed to its replica
	links   map[[2]string]bool   // link state given to the network, by endpoints
	pending map[string]*lsa      // replicas waiting for a config push
	kick    chan struct{}
	seq     uint64

	sessions map[string]*netconf.Session // NETCONF sessions to replicas; pushLoop's only
	msgID    uint32
}

// RunAgent runs node o.Node until ctx ends. The node's device listens on
// o.Listen; every other simulated node of the topology is a replica on a
// loopback address inside this namespace (127.0.1.N), whose committed
// configuration is whatever that node last advertised. Links are down until
// hellos are heard on both ends, so the network state computed here (by the
// simulator's own netstate) follows the real veths: `ip link set eth1 down`
// in any namespace stops that link's hellos and, within the dead interval,
// every node sees the link down.
func RunAgent(ctx context.Context, o AgentOptions) error {
	if o.Hello <= 0 {
		o.Hello = 200 * time.Millisecond
	}
	if o.Dead <= 0 {
		o.Dead = 5 * o.Hello
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	topo := o.Topology
	me := topo.Node(o.Node)
	if me == nil || me.Sim == nil {
		return fmt.Errorf("lab: node %q is not a simulated node of topology %q", o.Node, topo.Name)
	}
	k := 0
	for _, n := range topo.SimNodes() {
		k++
		if n.Name == o.Node {
			n.Sim.Addr = o.Listen
		} else {
			// Not port 830: a device listening on 0.0.0.0:830 (inside a
			// container) would collide with it.
			n.Sim.Addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 1, byte(k)}), replicaPort)
		}
	}
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{})
	if err != nil {
		return fmt.Errorf("lab: node %s: %w", o.Node, err)
	}
	defer nw.Close()
	a := &Agent{o: o, nw: nw, ports: map[string]*port{}, imp: map[string]sim.LinkImpairment{},
		local: nw.Device(o.Node), db: map[string]*lsa{}, nbrs: map[string]adjacency{}, applied: map[string]string{},
		links: map[[2]string]bool{}, pending: map[string]*lsa{}, sessions: map[string]*netconf.Session{}, kick: make(chan struct{}, 1), seq: uint64(time.Now().UnixNano())}
	for _, l := range topo.Links {
		if nw.Device(l.Endpoints[0].Node) == nil || nw.Device(l.Endpoints[1].Node) == nil {
			continue
		}
		key := [2]string{l.Endpoints[0].String(), l.Endpoints[1].String()}
		a.links[key] = false
		if err := nw.SetLink(key[0], key[1], false); err != nil {
			return err
		}
		for _, e := range l.Endpoints {
			if e.Node == o.Node {
				p, err := openPortWait(ctx, e.Interface, o.WaitInterfaces)
				if err != nil {
					return fmt.Errorf("lab: node %s: %w", o.Node, err)
				}
				defer p.close()
				a.ports[e.Interface] = p
				a.imp[e.Interface] = l.Impair
			}
		}
	}
	a.refreshOwn()
	if o.Ready != nil {
		o.Ready(a)
	}
	var wg sync.WaitGroup
	for _, p := range a.ports {
		wg.Add(1)
		go func() { defer wg.Done(); a.receive(ctx, p) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); a.pushLoop(ctx) }()
	t := time.NewTicker(o.Hello)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-t.C:
			a.expire()
			a.refreshOwn()
			a.sendHellos()
			a.applyLinks()
		}
	}
}

// Network is the agent's local simulated network (this node's device and
// the replicas).
func (a *Agent) Network() *sim.Network { return a.nw }

// refreshOwn re-issues this node's LSA when its committed configuration or
// its adjacencies changed.
func (a *Agent) refreshOwn() {
	text := a.local.Committed().Text()
	cfg, dg := string(text), digest(text)
	a.mu.Lock()
	defer a.mu.Unlock()
	var adj []adjacency
	for ifn, n := range a.nbrs {
		adj = append(adj, adjacency{Iface: ifn, Neighbor: n.Neighbor, NbrIface: n.NbrIface})
	}
	sort.Slice(adj, func(i, j int) bool { return adj[i].Iface < adj[j].Iface })
	old := a.db[a.o.Node]
	if old != nil && old.Digest == dg && fmt.Sprint(old.Adj) == fmt.Sprint(adj) {
		return
	}
	a.seq++
	a.db[a.o.Node] = &lsa{Origin: a.o.Node, Seq: a.seq, Digest: dg, Config: cfg, Adj: adj}
	a.o.Log.Info("own LSA", "seq", a.seq, "adjacencies", len(adj))
}

// expire forgets neighbours not heard within the dead interval.
func (a *Agent) expire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now().UnixNano()
	for ifn, n := range a.nbrs {
		if now-n.LastHeard > int64(a.o.Dead) {
			a.o.Log.Info("neighbour lost", "if", ifn, "neighbor", n.Neighbor)
			delete(a.nbrs, ifn)
		}
	}
}

func (a *Agent) sendHellos() {
	a.mu.Lock()
	seqs := map[string]uint64{}
	for o, l := range a.db {
		seqs[o] = l.Seq
	}
	a.mu.Unlock()
	for ifn := range a.ports {
		a.send(ifn, &message{Kind: "hello", From: a.o.Node, Iface: ifn, Seqs: seqs})
	}
}

// send transmits m on ifn through the link's impairment: each frame is
// delayed by the link's delay plus a uniform draw of its jitter and lost
// with its loss probability, as the far end would experience it.
func (a *Agent) send(ifn string, m *message) {
	a.mu.Lock()
	a.msgID++
	id := a.msgID
	a.mu.Unlock()
	frames, err := encode(m, id)
	if err != nil {
		a.o.Log.Error("encode", "err", err)
		return
	}
	p, imp := a.ports[ifn], a.imp[ifn]
	if imp.Loss > 0 && rand.Float64()*100 < imp.Loss {
		return
	}
	d := imp.Delay
	if imp.Jitter > 0 {
		d += time.Duration(rand.Int64N(int64(imp.Jitter)))
	}
	out := func() {
		for _, f := range frames {
			_ = p.send(f)
		}
	}
	if d > 0 {
		time.AfterFunc(d, out)
	} else {
		out()
	}
}

func (a *Agent) receive(ctx context.Context, p *port) {
	buf := make([]byte, 65536)
	var r reassembler
	for ctx.Err() == nil {
		f, err := p.recv(buf)
		if err != nil {
			a.o.Log.Error("receive", "if", p.name, "err", err)
			time.Sleep(a.o.Hello)
			continue
		}
		if f == nil {
			continue
		}
		m, err := r.add(f)
		if err != nil || m == nil || m.From == a.o.Node {
			continue
		}
		a.handle(p.name, m)
	}
}

func (a *Agent) handle(ifn string, m *message) {
	switch m.Kind {
	case "hello":
		a.mu.Lock()
		if _, known := a.nbrs[ifn]; !known {
			a.o.Log.Info("neighbour up", "if", ifn, "neighbor", m.From, "nbrif", m.Iface)
		}
		a.nbrs[ifn] = adjacency{Iface: ifn, Neighbor: m.From, NbrIface: m.Iface, LastHeard: time.Now().UnixNano()}
		var send []*lsa
		for o, l := range a.db {
			if m.Seqs[o] < l.Seq {
				send = append(send, l)
			}
		}
		a.mu.Unlock()
		for _, l := range send {
			a.send(ifn, &message{Kind: "lsa", From: a.o.Node, LSA: l})
		}
	case "lsa":
		l := m.LSA
		if l == nil || l.Origin == a.o.Node || a.nw.Device(l.Origin) == nil {
			return
		}
		a.mu.Lock()
		old := a.db[l.Origin]
		fresh := old == nil || l.Seq > old.Seq
		if fresh {
			a.db[l.Origin] = l
			if a.applied[l.Origin] != l.Digest {
				a.pending[l.Origin] = l
				select {
				case a.kick <- struct{}{}:
				default:
				}
			}
		}
		a.mu.Unlock()
		if fresh {
			// Flood it on at once; hellos repair anything lost.
			for other := range a.ports {
				if other != ifn {
					a.send(other, &message{Kind: "lsa", From: a.o.Node, LSA: l})
				}
			}
			a.applyLinks()
		}
	}
}

// applyLinks gives the network the link states the LSAs agree on: a link is
// up when both ends report hearing each other on it (this node's own view is
// live; the others' is their latest LSA).
func (a *Agent) applyLinks() {
	a.mu.Lock()
	hears := func(node, ifn, nbr, nbrIf string) bool {
		if node == a.o.Node {
			n, ok := a.nbrs[ifn]
			return ok && n.Neighbor == nbr && n.NbrIface == nbrIf
		}
		l := a.db[node]
		if l == nil {
			return false
		}
		for _, x := range l.Adj {
			if x.Iface == ifn && x.Neighbor == nbr && x.NbrIface == nbrIf {
				return true
			}
		}
		return false
	}
	type change struct {
		key [2]string
		up  bool
	}
	var changes []change
	for _, l := range a.o.Topology.Links {
		key := [2]string{l.Endpoints[0].String(), l.Endpoints[1].String()}
		was, ok := a.links[key]
		if !ok {
			continue
		}
		e0, e1 := l.Endpoints[0], l.Endpoints[1]
		up := hears(e0.Node, e0.Interface, e1.Node, e1.Interface) && hears(e1.Node, e1.Interface, e0.Node, e0.Interface)
		if up != was {
			a.links[key] = up
			changes = append(changes, change{key, up})
		}
	}
	a.mu.Unlock()
	for _, c := range changes {
		a.o.Log.Info("link", "a", c.key[0], "b", c.key[1], "up", c.up)
		if err := a.nw.SetLink(c.key[0], c.key[1], c.up); err != nil {
			a.o.Log.Error("set link", "err", err)
		}
	}
}

// pushLoop loads advertised configurations into the replicas over NETCONF
// (replace everything, commit), one replica at a time, latest version only.
func (a *Agent) pushLoop(ctx context.Context) {
	defer func() {
		for _, s := range a.sessions {
			s.Close()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.kick:
		}
		for {
			a.mu.Lock()
			var l *lsa
			for _, p := range a.pending {
				l = p
				break
			}
			if l != nil {
				delete(a.pending, l.Origin)
			}
			a.mu.Unlock()
			if l == nil {
				break
			}
			err := a.push(ctx, l)
			a.mu.Lock()
			if err == nil {
				a.applied[l.Origin] = l.Digest
			} else if a.pending[l.Origin] == nil {
				a.pending[l.Origin] = l // retry on the next LSA or hello round
			}
			a.mu.Unlock()
			if err != nil {
				a.o.Log.Error("replica", "node", l.Origin, "err", err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(a.o.Hello):
				}
			}
		}
	}
}

func (a *Agent) push(ctx context.Context, l *lsa) error {
	d := a.nw.Device(l.Origin)
	if d == nil {
		return errors.New("no replica")
	}
	if digest(d.Committed().Text()) == l.Digest {
		return nil // already so (a replica boots with the node's own base configuration)
	}
	n := a.o.Topology.Node(l.Origin)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s := a.sessions[l.Origin] // pushLoop's alone: no lock needed
	if s == nil || !s.Alive() {
		var err error
		s, err = netconf.Dial(ctx, device.Target{Name: l.Origin + "-replica", Addr: d.Addr(),
			Credentials: device.Password(n.Sim.User, n.Sim.Password), HostKeys: device.InsecureIgnoreHostKey()})
		if err != nil {
			return err
		}
		a.sessions[l.Origin] = s
	}
	err := s.Load(ctx, device.Change{Format: device.Text, Action: device.Override, Data: []byte(l.Config)})
	if err == nil {
		err = s.Commit(ctx, device.CommitOptions{Comment: fmt.Sprintf("replica of %s seq %d", l.Origin, l.Seq)})
	}
	if err != nil {
		s.Close()
		delete(a.sessions, l.Origin)
		return err
	}
	a.o.Log.Info("replica updated", "node", l.Origin, "seq", l.Seq)
	return nil
}

// openPortWait opens the packet socket on ifn, waiting for the interface to
// exist for up to wait (0: one minute).
func openPortWait(ctx context.Context, ifn string, wait time.Duration) (*port, error) {
	if wait <= 0 {
		wait = time.Minute
	}
	deadline := time.Now().Add(wait)
	for {
		p, err := openPort(ifn)
		if err == nil || time.Now().After(deadline) {
			return p, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// replicaPort is where replicas listen, on 127.0.1.N inside the namespace.
const replicaPort = 10830

// digest is the SHA-256 of a configuration text, in hex.
func digest(text []byte) string {
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:])
}
