package sim

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
)

// ---- run-time control: links, impairments, devices ----

// LinkStatus is the run-time state of one topology link, as [Network.Links]
// reports it.
type LinkStatus struct {
	A, B   Endpoint
	Up     bool // administratively up (SetLink); the link carries traffic only if both devices are up too
	Impair LinkImpairment
}

// Links returns the state of every topology link, in file order.
func (nw *Network) Links() []LinkStatus {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	out := make([]LinkStatus, len(nw.links))
	for i, l := range nw.links {
		out[i] = LinkStatus{A: l.tl.Endpoints[0], B: l.tl.Endpoints[1], Up: l.up, Impair: l.impair}
	}
	return out
}

// DeviceUp reports whether the node called name is simulated and up.
func (nw *Network) DeviceUp(name string) bool {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	_, ok := nw.devices[name]
	return ok && !nw.down[name]
}

// endpointMatches reports whether spec ("node:interface", the interface as
// written in the topology or as its Junos name) names e.
func endpointMatches(spec string, e Endpoint) bool {
	node, ifn, ok := strings.Cut(spec, ":")
	if !ok || node != e.Node {
		return false
	}
	return ifn == e.Interface || (e.SimInterface != "" && ifn == e.SimInterface)
}

// findLinkLocked returns the link between endpoints a and b (either order);
// b == "" finds the link that has a as one end. The caller holds nw.mu.
func (nw *Network) findLinkLocked(a, b string) (*netLink, error) {
	for _, spec := range []string{a, b} {
		if spec == "" {
			continue
		}
		if node, ifn, ok := strings.Cut(spec, ":"); !ok || node == "" || ifn == "" {
			return nil, fmt.Errorf("sim: link endpoint %q: want node:interface such as pe1:eth1", spec)
		}
	}
	for _, l := range nw.links {
		e0, e1 := l.tl.Endpoints[0], l.tl.Endpoints[1]
		switch {
		case b == "" && (endpointMatches(a, e0) || endpointMatches(a, e1)):
			return l, nil
		case b != "" && ((endpointMatches(a, e0) && endpointMatches(b, e1)) || (endpointMatches(a, e1) && endpointMatches(b, e0))):
			return l, nil
		}
	}
	if b == "" {
		return nil, fmt.Errorf("sim: network %q: no link at endpoint %q", nw.topo.Name, a)
	}
	return nil, fmt.Errorf("sim: network %q: no link between %q and %q", nw.topo.Name, a, b)
}

// SetLink brings the link between endpoints a and b ("pe1:eth1" — the
// interface as written in the topology or its Junos name, "pe1:xe-0/0/0")
// up or down. b may be "" to mean the link that has a as one end. The
// change reaches every device's operational state within the debounce bound
// (see [NetworkOptions.Debounce]); call Sync to wait for it.
func (nw *Network) SetLink(a, b string, up bool) error {
	nw.mu.Lock()
	l, err := nw.findLinkLocked(a, b)
	if err == nil && l.up != up {
		l.up = up
		defer nw.changed()
	}
	nw.mu.Unlock()
	return err
}

// SetImpairment replaces the impairment of the link between a and b (b may
// be "", as for SetLink). Delay and jitter must not be negative, loss must
// lie in 0..100 percent.
func (nw *Network) SetImpairment(a, b string, imp LinkImpairment) error {
	if err := imp.check(); err != nil {
		return err
	}
	nw.mu.Lock()
	l, err := nw.findLinkLocked(a, b)
	if err == nil && l.impair != imp {
		l.impair = imp
		defer nw.changed()
	}
	nw.mu.Unlock()
	return err
}

// check validates an impairment; errors name the field.
func (li LinkImpairment) check() error {
	switch {
	case li.Delay < 0:
		return fmt.Errorf("sim: impairment delay %v: must not be negative", li.Delay)
	case li.Jitter < 0:
		return fmt.Errorf("sim: impairment jitter %v: must not be negative", li.Jitter)
	case li.Loss < 0 || li.Loss > 100 || li.Loss != li.Loss:
		return fmt.Errorf("sim: impairment loss %v: want a percentage 0..100", li.Loss)
	}
	return nil
}

// SetDevice powers the simulated node called name off (up false) or on.
// A device that is off does not answer at all: its listener and every
// session are closed, so clients get "connection refused", and the network
// computes as if it and its links were gone. Powering it on starts a fresh
// device on the same address and port with the same host key, booted from
// the configuration that was committed when it went off (an unconfirmed
// confirmed commit stays committed, and the rollback history starts anew).
// Setting a device to the state it is in does nothing.
func (nw *Network) SetDevice(name string, up bool) error {
	nw.ctl.Lock()
	defer nw.ctl.Unlock()
	nw.mu.Lock()
	d, ok := nw.devices[name]
	if !ok {
		nw.mu.Unlock()
		if nw.topo.Node(name) != nil {
			return fmt.Errorf("sim: network %q: node %q is not a running simulated device", nw.topo.Name, name)
		}
		return fmt.Errorf("sim: network %q: unknown node %q", nw.topo.Name, name)
	}
	if nw.closed {
		nw.mu.Unlock()
		return fmt.Errorf("sim: network %q: closed", nw.topo.Name)
	}
	wasDown := nw.down[name]
	nw.mu.Unlock()
	switch {
	case up == !wasDown:
		return nil
	case !up:
		tree := d.committedRef()
		nw.mu.Lock()
		nw.down[name] = true
		nw.offTree[name] = tree
		o := nw.devOpts[name]
		o.Config = tree.Text()
		o.Addr = d.Addr()
		nw.devOpts[name] = o
		nw.mu.Unlock()
		d.setCommitHook(nil)
		err := d.Close()
		nw.changed()
		if err != nil {
			return fmt.Errorf("sim: node %q: %w", name, err)
		}
		return nil
	}
	nw.mu.Lock()
	o := nw.devOpts[name]
	nw.mu.Unlock()
	nd, err := Start(context.Background(), o)
	if err != nil {
		return fmt.Errorf("sim: network %q: node %q: restart: %w", nw.topo.Name, name, err)
	}
	nw.mu.Lock()
	if nw.closed {
		nw.mu.Unlock()
		_ = nd.Close()
		return fmt.Errorf("sim: network %q: closed", nw.topo.Name)
	}
	delete(nw.nodeOf, d)
	nw.devices[name] = nd
	delete(nw.down, name)
	delete(nw.offTree, name)
	nw.attach(name, nd)
	nw.mu.Unlock()
	nw.changed()
	return nil
}

// ---- recomputation ----

// changed records a change of a configuration, link or device and wakes the
// recomputation. It never blocks (devices call it with their lock held).
func (nw *Network) changed() {
	nw.smu.Lock()
	nw.want++
	nw.smu.Unlock()
	select {
	case nw.kick <- struct{}{}:
	default:
	}
}

// loop recomputes the control plane after changes, at most once per
// debounce interval while changes keep coming, so a burst of N commits
// costs a handful of computations, not N.
func (nw *Network) loop() {
	defer close(nw.done)
	for {
		select {
		case <-nw.quit:
			return
		case <-nw.kick:
		case <-nw.fast:
		}
		t := time.NewTimer(nw.debounce)
		select {
		case <-t.C:
		case <-nw.fast:
			t.Stop()
		case <-nw.quit:
			t.Stop()
			return
		}
		nw.smu.Lock()
		gen, prev := nw.want, nw.state
		nw.smu.Unlock()
		st, err := nw.safeCompute(prev)
		var hist map[pwKey]pwEvent
		if err == nil {
			hist = nw.pwHistory(prev, st)
		}
		nw.smu.Lock()
		if err == nil {
			nw.state, nw.pwHist = st, hist
		}
		nw.computeErr = err
		if gen > nw.have {
			nw.have = gen
		}
		nw.recomputes++
		nw.cond.Broadcast()
		nw.smu.Unlock()
	}
}

// safeCompute is compute that turns a panic of the control-plane
// computation into an error, so a bug triggered by one configuration does
// not take the whole lab down: the previous state stays published and
// ComputeErr reports the failure until a later computation succeeds.
func (nw *Network) safeCompute(prev *netstate.State) (st *netstate.State, err error) {
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("sim: network %q: control-plane computation failed (state not updated): %v", nw.topo.Name, r)
		}
	}()
	nw.smu.Lock()
	tp := nw.testPanic
	nw.smu.Unlock()
	if tp != nil {
		tp()
	}
	return nw.compute(prev), nil
}

// ComputeErr returns the error of the latest recomputation, or nil. A
// failed recomputation leaves the previous state in place.
func (nw *Network) ComputeErr() error {
	nw.smu.Lock()
	defer nw.smu.Unlock()
	return nw.computeErr
}

// Sync waits until the network state reflects every change made before the
// call (commits, links, devices), skipping what is left of the debounce
// interval. It returns at once after Close.
func (nw *Network) Sync() {
	nw.smu.Lock()
	defer nw.smu.Unlock()
	target := nw.want
	for nw.have < target && !nw.stopped {
		select {
		case nw.fast <- struct{}{}:
		default:
		}
		nw.cond.Wait()
	}
}

// State returns the current control-plane state: immutable, safe to keep
// and to read from any goroutine. It may lag the latest change by the
// debounce bound; call Sync first to be sure it is current.
func (nw *Network) State() *netstate.State {
	nw.smu.Lock()
	defer nw.smu.Unlock()
	return nw.state
}

// Recomputes returns how many times the control plane was recomputed since
// StartNetwork (for tests and benchmarks of the debounce).
func (nw *Network) Recomputes() int {
	nw.smu.Lock()
	defer nw.smu.Unlock()
	return nw.recomputes
}

// compute builds the netstate input from the devices' committed
// configurations and the links, and computes the state. It takes nw.mu and
// each device's lock briefly, never both at once, and never nw.smu. Only
// StartNetwork (before the loop starts) and the loop call it, so the
// Computer (which caches parsed configurations) is never used concurrently.
func (nw *Network) compute(prev *netstate.State) *netstate.State {
	type devIn struct {
		name string
		d    *Device
		down bool
		off  *junosconf.Tree
	}
	nw.mu.Lock()
	devs := make([]devIn, 0, len(nw.names))
	for _, name := range nw.names {
		devs = append(devs, devIn{name, nw.devices[name], nw.down[name], nw.offTree[name]})
	}
	links := make([]netLink, len(nw.links))
	for i, l := range nw.links {
		links[i] = *l
	}
	nw.mu.Unlock()

	in := netstate.Input{Previous: prev}
	for _, dv := range devs {
		nd := netstate.Device{Name: dv.name, Family: dv.d.plat.Family, Up: !dv.down, Ports: nw.portNames(dv.d.plat)}
		if dv.down {
			nd.Config = dv.off
		} else {
			nd.Config = dv.d.committedRef()
		}
		in.Devices = append(in.Devices, nd)
	}
	for _, l := range links {
		e0, e1 := l.tl.Endpoints[0], l.tl.Endpoints[1]
		if e0.SimInterface == "" || e1.SimInterface == "" {
			continue // an end is not a simulated device (host, bridge, …)
		}
		if !nw.isSim[e0.Node] || !nw.isSim[e1.Node] {
			continue // not started (NetworkOptions.Nodes)
		}
		in.Links = append(in.Links, netstate.Link{
			A:  netstate.Endpoint{Device: e0.Node, Interface: e0.SimInterface},
			B:  netstate.Endpoint{Device: e1.Node, Interface: e1.SimInterface},
			Up: l.up, Delay: l.impair.Delay, Jitter: l.impair.Jitter,
			Loss: l.impair.Loss / 100, Bandwidth: l.impair.Bandwidth,
		})
	}
	return nw.computer.Compute(in)
}

// portNames returns the platform's front-panel port names (cached per
// platform: platforms are immutable).
func (nw *Network) portNames(p *Platform) []string {
	nw.portsMu.Lock()
	defer nw.portsMu.Unlock()
	if nw.ports == nil {
		nw.ports = map[*Platform][]string{}
	}
	if ps, ok := nw.ports[p]; ok {
		return ps
	}
	var ps []string
	for _, pt := range p.Ports() {
		ps = append(ps, pt.Name)
	}
	nw.ports[p] = ps
	return ps
}

// pwKey names one pseudowire end.
type pwKey struct{ dev, neighbor, ifl string }

// pwEvent is the history of one pseudowire end: when its status last
// changed and how many times it came up.
type pwEvent struct {
	last time.Time
	ups  int
}

// pwHistory carries the pseudowire history from prev to st, recording the
// changes between them at the network's clock. Only the loop calls it.
func (nw *Network) pwHistory(prev, st *netstate.State) map[pwKey]pwEvent {
	nw.smu.Lock()
	old := nw.pwHist
	nw.smu.Unlock()
	now := time.Now()
	if nw.opts.Clock != nil {
		now = nw.opts.Clock.Now()
	}
	out := make(map[pwKey]pwEvent, len(old))
	for _, dev := range st.Devices() {
		var before map[pwKey]string
		if prev != nil {
			before = map[pwKey]string{}
			for _, p := range prev.Pseudowires(dev) {
				before[pwKey{dev, p.Neighbor.String(), p.Interface}] = p.Status
			}
		}
		for _, p := range st.Pseudowires(dev) {
			k := pwKey{dev, p.Neighbor.String(), p.Interface}
			ev := old[k]
			if was, ok := before[k]; (ok && was != p.Status) || (!ok && p.Status == "Up") {
				ev.last = now
				if p.Status == "Up" {
					ev.ups++
				}
			}
			if ev != (pwEvent{}) {
				out[k] = ev
			}
		}
	}
	return out
}

// pwEventOf returns the history of one pseudowire end.
func (nw *Network) pwEventOf(dev, neighbor, ifl string) pwEvent {
	nw.smu.Lock()
	defer nw.smu.Unlock()
	return nw.pwHist[pwKey{dev, neighbor, ifl}]
}
