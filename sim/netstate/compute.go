package netstate

import (
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// State is the control-plane state of a network. It is immutable once
// Compute returns and safe for any number of concurrent readers.
type State struct {
	devs    []*devState
	byName  map[string]int
	links   []Link
	linkOK  []bool
	edges   []edge
	out     [][]int32
	spt     []sptree
	owner   map[netip.Addr]addrOwner
	direct  map[directKey]int32 // one-hop L3 neighbour over a link, outside the IGP
	tunNbr  map[directKey]int32 // one-hop L3 neighbour over an up st0 or gr- unit: the device
	ldpLSP  [][]uint64          // ldpLSP[src] bitset of LDP egress devices
	rsvpTo  []map[netip.Addr]string
	ldpUp   map[[2]int32]bool
	stats   Stats
	nLSPAll int
	bgpInfo *bgpInfo
	// ldpRouter[i] reports whether device i runs LDP at all
	ldpRouter []bool
}

type addrOwner struct {
	dev    int32
	ifl    string
	prefix netip.Prefix
}

type directKey struct {
	dev  int32
	addr netip.Addr
}

type devState struct {
	idx     int
	in      Device
	cfg     *devCfg
	exists  map[string]bool // nil: every port exists
	portUp  map[string]bool
	portLnk map[string]int
	adv     map[netip.Addr]bool // addresses this device advertises into its IGP
	adj     []Adjacency
	ldpSess []LDPSession
	bgp     []BGPPeer
	lsps    []LSP
	transit int
	egress  int
	pws     []PW
	vpls    map[string]VPLSInstance
	vrfs    map[string]*vrfState
	ptp     PTPState
	synce   SyncEState
	tun     map[string]bool // st0 and gr- units that are up
	ipsec   []IPsecVPN

	ldpBase  uint32
	rsvpBase uint32
}

type edge struct {
	from, to      int32
	link          int32
	outIfl, inIfl string
	inAddr        netip.Addr
	metric        int64
	delay         time.Duration
	proto         string
	ldp, rsvp     bool
	bw            int64 // reservable bandwidth in bit/s, -1 unlimited
}

type sptree struct {
	dist  []int64
	delay []int64
	pred  []int32
}

const inf = math.MaxInt64

// Computer computes States and caches each device's parsed configuration
// between calls, keyed by the *junosconf.Tree pointer: a committed tree must
// never be mutated after it was passed in. A Computer is not safe for
// concurrent use; the States it returns are.
type Computer struct {
	cache map[*junosconf.Tree]*devCfg
	prev  *State
}

// Compute computes the state of the network described by in. It is
// deterministic: the same input gives the same State, labels included.
func Compute(in Input) *State {
	var c Computer
	return c.Compute(in)
}

// Compute computes the state of in, reusing the parsed configuration of
// every device whose Config pointer it has seen before. Views of trees no
// longer in the input are dropped.
func (c *Computer) Compute(in Input) *State {
	next := make(map[*junosconf.Tree]*devCfg, len(in.Devices))
	s := &State{byName: make(map[string]int, len(in.Devices)), links: in.Links}
	for i, d := range in.Devices {
		cfg := next[d.Config]
		if cfg == nil {
			cfg = c.cache[d.Config]
		}
		if cfg == nil {
			cfg = parseConfig(d.Config)
		}
		next[d.Config] = cfg
		ds := &devState{idx: i, in: d, cfg: cfg, portUp: map[string]bool{}, portLnk: map[string]int{},
			adv: map[netip.Addr]bool{}, vpls: map[string]VPLSInstance{}, vrfs: map[string]*vrfState{}}
		ds.in.Config = nil
		if len(d.Ports) > 0 {
			ds.exists = make(map[string]bool, len(d.Ports))
			for _, p := range d.Ports {
				ds.exists[p] = true
			}
		}
		s.devs = append(s.devs, ds)
		s.byName[d.Name] = i
	}
	c.cache = next
	s.computeLinks()
	s.computeIGP(c.prev)
	c.prev = s
	s.computeIPsec()
	s.allocLabels()
	s.computeLDP()
	s.computeRSVP(in)
	s.computeBGP()
	s.computeL3VPN()
	s.computeL2Circuits()
	s.computeVPLS()
	s.computeTiming(in.Previous)
	s.computeStats()
	return s
}

func (s *State) portExists(d *devState, p string) bool {
	if strings.HasPrefix(p, "lo") {
		return true
	}
	return d.exists == nil || d.exists[p]
}

func (s *State) computeLinks() {
	s.linkOK = make([]bool, len(s.links))
	for i, l := range s.links {
		a, b := s.dev(l.A.Device), s.dev(l.B.Device)
		if a == nil || b == nil {
			continue
		}
		a.portLnk[l.A.Interface] = i
		b.portLnk[l.B.Interface] = i
		ok := l.Up && a.in.Up && b.in.Up && !a.cfg.portOff[l.A.Interface] && !b.cfg.portOff[l.B.Interface] &&
			s.portExists(a, l.A.Interface) && s.portExists(b, l.B.Interface)
		s.linkOK[i] = ok
		if ok {
			a.portUp[l.A.Interface] = true
			b.portUp[l.B.Interface] = true
		}
	}
}

func (s *State) unitUp(d *devState, ifl string) bool {
	u := d.cfg.units[ifl]
	if u == nil || u.disable || !d.in.Up {
		return false
	}
	if strings.HasPrefix(ifl, "lo") {
		return true
	}
	if isTunnel(ifl) {
		return d.tun[ifl]
	}
	return d.portUp[u.port]
}

func (s *State) peerEnd(li int, dev int) (int, string) {
	l := s.links[li]
	if s.byName[l.A.Device] == dev {
		return s.byName[l.B.Device], l.B.Interface
	}
	return s.byName[l.A.Device], l.A.Interface
}

func unitKey(u *unitCfg) string {
	if u.vlan != "" {
		return "v" + u.vlan
	}
	return "u" + u.unit
}

func sameSubnet(a, b []netip.Prefix) (netip.Prefix, netip.Prefix, bool) {
	for _, x := range a {
		for _, y := range b {
			if x.Bits() == y.Bits() && x.Masked() == y.Masked() && x.Addr() != y.Addr() {
				return x, y, true
			}
		}
	}
	return netip.Prefix{}, netip.Prefix{}, false
}

func firstV4(ps []netip.Prefix) netip.Addr {
	for _, p := range ps {
		if p.Addr().Is4() {
			return p.Addr()
		}
	}
	return netip.Addr{}
}

func (c *devCfg) ldpOn(ifl string) bool { return c.ldpAll || c.ldp[ifl] }
func (c *devCfg) rsvpOn(ifl string) bool {
	return (c.rsvpAll || c.rsvpSet[ifl]) && (c.mplsAll || c.mpls[ifl])
}
func (c *devCfg) runsLDP() bool { return c.ldpAll || len(c.ldp) > 0 }

func igpActive(m map[string]*igpIf, ifl string) *igpIf {
	i := m[ifl]
	if i == nil {
		i = m["all"]
	}
	if i != nil && !i.disable && !i.passive {
		return i
	}
	return nil
}

// inIGP reports whether ifl is under the IGP (passive included).
func inIGP(m map[string]*igpIf, ifl string) bool {
	i := m[ifl]
	if i == nil {
		i = m["all"]
	}
	return i != nil && !i.disable
}

func (s *State) computeIGP(prev *State) {
	s.owner = map[netip.Addr]addrOwner{}
	s.direct = map[directKey]int32{}
	for _, d := range s.devs {
		names := make([]string, 0, len(d.cfg.units))
		for n := range d.cfg.units {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			u := d.cfg.units[n]
			for _, p := range u.addrs {
				if _, dup := s.owner[p.Addr()]; !dup {
					s.owner[p.Addr()] = addrOwner{dev: int32(d.idx), ifl: n, prefix: p}
				}
				if (inIGP(d.cfg.isis, n) || inIGP(d.cfg.ospf, n)) && s.unitUp(d, n) {
					d.adv[p.Addr()] = true
				}
			}
		}
	}
	s.out = make([][]int32, len(s.devs))
	for li, l := range s.links {
		if !s.linkOK[li] {
			continue
		}
		a, b := s.devs[s.byName[l.A.Device]], s.devs[s.byName[l.B.Device]]
		bUnits := map[string]*unitCfg{}
		for _, u := range b.cfg.portUnits[l.B.Interface] {
			bUnits[unitKey(u)] = u
		}
		for _, ua := range a.cfg.portUnits[l.A.Interface] {
			ub := bUnits[unitKey(ua)]
			if ub == nil || ua.disable || ub.disable {
				continue
			}
			pa, pb, l3 := sameSubnet(ua.addrs, ub.addrs)
			if l3 {
				s.direct[directKey{int32(a.idx), pb.Addr()}] = int32(li)
				s.direct[directKey{int32(b.idx), pa.Addr()}] = int32(li)
			}
			proto := ""
			var ma, mb int64
			if ia, ib := igpActive(a.cfg.isis, ua.name), igpActive(b.cfg.isis, ub.name); ia != nil && ib != nil && ua.iso && ub.iso {
				proto, ma, mb = "IS-IS", metricOr(ia.metric, 10), metricOr(ib.metric, 10)
			} else if oa, ob := igpActive(a.cfg.ospf, ua.name), igpActive(b.cfg.ospf, ub.name); oa != nil && ob != nil && oa.area == ob.area && l3 {
				proto, ma, mb = "OSPF", metricOr(oa.metric, 1), metricOr(ob.metric, 1)
			}
			if proto == "" {
				continue
			}
			ldp := a.cfg.ldpOn(ua.name) && b.cfg.ldpOn(ub.name) && ua.mpls && ub.mpls
			rsvp := a.cfg.rsvpOn(ua.name) && b.cfg.rsvpOn(ub.name) && ua.mpls && ub.mpls
			bwA, bwB := reservable(a.cfg, ua.name, l), reservable(b.cfg, ub.name, l)
			s.addEdge(edge{from: int32(a.idx), to: int32(b.idx), link: int32(li), outIfl: ua.name, inIfl: ub.name,
				inAddr: firstV4(ub.addrs), metric: ma, delay: l.Delay, proto: proto, ldp: ldp, rsvp: rsvp, bw: bwA})
			s.addEdge(edge{from: int32(b.idx), to: int32(a.idx), link: int32(li), outIfl: ub.name, inIfl: ua.name,
				inAddr: firstV4(ua.addrs), metric: mb, delay: l.Delay, proto: proto, ldp: ldp, rsvp: rsvp, bw: bwB})
			a.adj = append(a.adj, Adjacency{Protocol: proto, Interface: ua.name, Neighbor: b.in.Name, Address: firstV4(ub.addrs), State: "Up", Metric: int(ma)})
			b.adj = append(b.adj, Adjacency{Protocol: proto, Interface: ub.name, Neighbor: a.in.Name, Address: firstV4(ua.addrs), State: "Up", Metric: int(mb)})
		}
	}
	for _, d := range s.devs {
		slices.SortFunc(d.adj, func(x, y Adjacency) int { return strings.Compare(x.Interface, y.Interface) })
	}
	s.spt = make([]sptree, len(s.devs))
	s.ldpLSP = make([][]uint64, len(s.devs))
	words := (len(s.devs) + 63) / 64
	var h spHeap
	s.ldpRouter = make([]bool, len(s.devs))
	for i, d := range s.devs {
		s.ldpRouter[i] = d.cfg.runsLDP()
	}
	reuse := s.reusableTrees(prev)
	for i := range s.devs {
		if reuse != nil && reuse(i) {
			continue
		}
		s.spt[i], s.ldpLSP[i] = s.dijkstra(i, &h, words)
	}
}

type edgeKey struct {
	from, to, link int32
	outIfl, inIfl  string
	inAddr         netip.Addr
	metric         int64
	delay          time.Duration
	proto          string
	ldp, rsvp      bool
	bw             int64
}

func keyOf(e *edge) edgeKey {
	return edgeKey{e.from, e.to, e.link, e.outIfl, e.inIfl, e.inAddr, e.metric, e.delay, e.proto, e.ldp, e.rsvp, e.bw}
}

// reusableTrees prepares the incremental case: when prev has the same
// devices, the same parsed configurations and up states, a source's
// shortest-path tree can be kept if it uses no edge that disappeared and
// no new edge would shorten (or tie) a path. It returns nil when prev
// cannot be used, else a function that copies source i's tree from prev
// and reports true, or reports false when it must be recomputed.
func (s *State) reusableTrees(prev *State) func(int) bool {
	if prev == nil || len(prev.devs) != len(s.devs) {
		return nil
	}
	for i, d := range s.devs {
		p := prev.devs[i]
		if p.in.Name != d.in.Name || p.cfg != d.cfg || p.in.Up != d.in.Up {
			return nil
		}
	}
	oldIdx := make(map[edgeKey]int32, len(prev.edges))
	for i := range prev.edges {
		oldIdx[keyOf(&prev.edges[i])] = int32(i)
	}
	toNew := make([]int32, len(prev.edges))
	for i := range toNew {
		toNew[i] = -1
	}
	var added []int32
	for i := range s.edges {
		if o, ok := oldIdx[keyOf(&s.edges[i])]; ok {
			toNew[o] = int32(i)
		} else {
			added = append(added, int32(i))
		}
	}
	return func(src int) bool {
		t := prev.spt[src]
		if t.dist == nil {
			return false
		}
		for _, ei := range added {
			e := &s.edges[ei]
			if du := t.dist[e.from]; du != inf && du+e.metric <= t.dist[e.to] {
				return false
			}
		}
		pred := make([]int32, len(t.pred))
		for v, pe := range t.pred {
			if pe < 0 {
				pred[v] = -1
				continue
			}
			if toNew[pe] < 0 {
				return false
			}
			pred[v] = toNew[pe]
		}
		s.spt[src] = sptree{dist: t.dist, delay: t.delay, pred: pred}
		s.ldpLSP[src] = prev.ldpLSP[src]
		return true
	}
}

func metricOr(m int, def int64) int64 {
	if m > 0 {
		return int64(m)
	}
	return def
}

func reservable(c *devCfg, ifl string, l Link) int64 {
	if b := c.rsvp[ifl]; b > 0 {
		return int64(b)
	}
	if b := c.rsvp["all"]; b > 0 {
		return int64(b)
	}
	if l.Bandwidth > 0 {
		return int64(l.Bandwidth)
	}
	return -1
}

func (s *State) addEdge(e edge) {
	s.edges = append(s.edges, e)
	s.out[e.from] = append(s.out[e.from], int32(len(s.edges)-1))
}

type spItem struct {
	metric, delay int64
	node          int32
}

type spHeap []spItem

func (a spItem) less(b spItem) bool {
	if a.metric != b.metric {
		return a.metric < b.metric
	}
	if a.delay != b.delay {
		return a.delay < b.delay
	}
	return a.node < b.node
}

// Len, push and pop make spHeap a binary min-heap without the boxing of
// container/heap.
func (h spHeap) Len() int { return len(h) }

func (h *spHeap) push(x spItem) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a[i].less(a[p]) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *spHeap) pop() spItem {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && a[l].less(a[m]) {
			m = l
		}
		if r < n && a[r].less(a[m]) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}

// dijkstra computes the shortest-path tree from src (metric, then delay)
// and the set of devices src has an LDP LSP to: every hop of the IGP path
// runs LDP and the egress runs LDP.
func (s *State) dijkstra(src int, h *spHeap, words int) (sptree, []uint64) {
	n := len(s.devs)
	t := sptree{dist: make([]int64, n), delay: make([]int64, n), pred: make([]int32, n)}
	for i := range t.dist {
		t.dist[i], t.delay[i], t.pred[i] = inf, inf, -1
	}
	var ldp []uint64
	if !s.devs[src].in.Up {
		return t, nil
	}
	srcLDP := s.ldpRouter[src]
	var ok []bool
	if srcLDP {
		ok = make([]bool, n)
		ok[src] = true
		ldp = make([]uint64, words)
	}
	done := make([]bool, n)
	t.dist[src], t.delay[src] = 0, 0
	*h = append((*h)[:0], spItem{0, 0, int32(src)})
	for h.Len() > 0 {
		it := h.pop()
		v := it.node
		if done[v] {
			continue
		}
		done[v] = true
		if srcLDP && int(v) != src {
			e := &s.edges[t.pred[v]]
			ok[v] = ok[e.from] && e.ldp
			if ok[v] && s.ldpRouter[v] {
				ldp[v/64] |= 1 << (v % 64)
			}
		}
		for _, ei := range s.out[v] {
			e := &s.edges[ei]
			m, dl := t.dist[v]+e.metric, t.delay[v]+int64(e.delay)
			if m < t.dist[e.to] || (m == t.dist[e.to] && dl < t.delay[e.to]) {
				t.dist[e.to], t.delay[e.to], t.pred[e.to] = m, dl, ei
				h.push(spItem{m, dl, e.to})
			}
		}
	}
	return t, ldp
}

// hasLDPLSP reports whether src has an LDP LSP to dst's loopback.
func (s *State) hasLDPLSP(src, dst int) bool {
	b := s.ldpLSP[src]
	return b != nil && src != dst && b[dst/64]&(1<<(dst%64)) != 0
}

// edgesPath turns a list of edge indices into a Path.
func (s *State) edgesPath(es []int32) Path {
	var p Path
	keep := 1.0
	for _, ei := range es {
		e := &s.edges[ei]
		l := s.links[e.link]
		p.Hops = append(p.Hops, Hop{Device: s.devs[e.to].in.Name, OutInterface: e.outIfl, InInterface: e.inIfl, Addr: e.inAddr})
		p.Delay += l.Delay
		p.Jitter += l.Jitter
		keep *= 1 - l.Loss
	}
	p.Loss = 1 - keep
	if p.Loss < 1e-12 {
		p.Loss = 0
	}
	return p
}

// igpEdges returns the edges of the IGP shortest path from src to dst.
func (s *State) igpEdges(src, dst int) ([]int32, bool) {
	t := s.spt[src]
	if src == dst {
		return nil, s.devs[src].in.Up
	}
	if t.dist == nil || t.dist[dst] == inf {
		return nil, false
	}
	var es []int32
	for v := dst; v != src; {
		ei := t.pred[v]
		es = append(es, ei)
		v = int(s.edges[ei].from)
	}
	slices.Reverse(es)
	return es, true
}

func (s *State) pathTo(src int, to netip.Addr) (Path, bool) {
	o, ok := s.owner[to]
	if !ok {
		return Path{}, false
	}
	dst := int(o.dev)
	if dst == src {
		return Path{}, s.unitUp(s.devs[src], o.ifl)
	}
	if li, ok := s.direct[directKey{int32(src), to}]; ok && s.unitUp(s.devs[dst], o.ifl) {
		l := s.links[li]
		out := l.B.Interface
		if s.byName[l.A.Device] == src {
			out = l.A.Interface
		}
		out = s.localUnitTowards(s.devs[src], out, o.ifl)
		return Path{Hops: []Hop{{Device: s.devs[dst].in.Name, OutInterface: out, InInterface: o.ifl, Addr: to}},
			Delay: l.Delay, Jitter: l.Jitter, Loss: l.Loss}, true
	}
	if !s.devs[dst].adv[to] {
		return Path{}, false
	}
	es, ok := s.igpEdges(src, dst)
	if !ok {
		return Path{}, false
	}
	return s.edgesPath(es), true
}

func (s *State) localUnitTowards(d *devState, port, farIfl string) string {
	farUnit := farIfl[strings.IndexByte(farIfl, '.')+1:]
	for _, u := range d.cfg.portUnits[port] {
		if u.unit == farUnit {
			return u.name
		}
	}
	return port + "." + farUnit
}

// loopOwner returns the device whose loopback (or any address) is a.
func (s *State) ownerOf(a netip.Addr) (int, bool) {
	o, ok := s.owner[a]
	return int(o.dev), ok
}

// reach reports whether src has a route to the address a (as pathTo, but
// without building the path).
func (s *State) reach(src int, a netip.Addr) bool {
	o, ok := s.owner[a]
	if !ok || !s.devs[src].in.Up {
		return false
	}
	dst := int(o.dev)
	if !s.unitUp(s.devs[dst], o.ifl) {
		return false
	}
	if dst == src {
		return true
	}
	if _, ok := s.direct[directKey{int32(src), a}]; ok {
		return true
	}
	t := s.spt[src]
	return s.devs[dst].adv[a] && t.dist != nil && t.dist[dst] != inf
}

// allocLabels places each device's LDP and RSVP label ranges after its
// service labels (assigned once per configuration by assignLabels).
func (s *State) allocLabels() {
	n := uint32(len(s.devs))
	for _, d := range s.devs {
		d.ldpBase = d.cfg.labelSvc
		d.rsvpBase = d.cfg.labelSvc + n
	}
}

func (s *State) computeLDP() {
	s.ldpUp = map[[2]int32]bool{}
	type sess struct {
		link, targeted bool
	}
	pairs := map[[2]int32]*sess{}
	key := func(a, b int) [2]int32 {
		if a > b {
			a, b = b, a
		}
		return [2]int32{int32(a), int32(b)}
	}
	for _, e := range s.edges {
		if e.ldp {
			k := key(int(e.from), int(e.to))
			if pairs[k] == nil {
				pairs[k] = &sess{}
			}
			pairs[k].link = true
		}
	}
	// targeted sessions: both ends run LDP on lo0.0 and at least one
	// configures the other as an l2circuit or LDP VPLS neighbour; the other
	// accepts when it configures the first too.
	want := map[[2]int32]int{} // pair → bitmask of which end asked
	for _, d := range s.devs {
		if !d.cfg.ldpOn("lo0.0") {
			continue
		}
		ask := func(a netip.Addr) {
			o, ok := s.ownerOf(a)
			if !ok || o == d.idx {
				return
			}
			k := key(d.idx, o)
			if int(k[0]) == d.idx {
				want[k] |= 1
			} else {
				want[k] |= 2
			}
		}
		for _, p := range d.cfg.l2ckts {
			ask(p.neighbor)
		}
		for _, name := range d.cfg.instOrder {
			in := d.cfg.insts[name]
			for _, a := range in.neighbors {
				ask(a)
			}
			for _, m := range in.mesh {
				for _, a := range m.neighbors {
					ask(a)
				}
			}
		}
	}
	for k, m := range want {
		if m == 3 && s.devs[k[1]].cfg.ldpOn("lo0.0") {
			if pairs[k] == nil {
				pairs[k] = &sess{}
			}
			pairs[k].targeted = true
		}
	}
	for k, p := range pairs {
		a, b := s.devs[k[0]], s.devs[k[1]]
		up := a.in.Up && b.in.Up && a.cfg.loopback.IsValid() && b.cfg.loopback.IsValid() &&
			s.reach(a.idx, b.cfg.loopback) && s.reach(b.idx, a.cfg.loopback)
		s.ldpUp[k] = up
		st := "Nonexistent"
		if up {
			st = "Operational"
		}
		a.ldpSess = append(a.ldpSess, LDPSession{Peer: b.cfg.loopback, PeerName: b.in.Name, State: st, Targeted: p.targeted, Link: p.link})
		b.ldpSess = append(b.ldpSess, LDPSession{Peer: a.cfg.loopback, PeerName: a.in.Name, State: st, Targeted: p.targeted, Link: p.link})
	}
	for _, d := range s.devs {
		slices.SortFunc(d.ldpSess, func(x, y LDPSession) int { return x.Peer.Compare(y.Peer) })
	}
}

// ldpSession reports whether a and b have an operational LDP session.
func (s *State) ldpSession(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	return s.ldpUp[[2]int32{int32(a), int32(b)}]
}

// transport reports whether src has an LSP (RSVP or LDP, inet.3) to the
// address a (a loopback of dst), and its path.
func (s *State) transport(src int, a netip.Addr) (Path, string, bool) {
	r, ok := s.hasTransport(src, a)
	if !ok {
		return Path{}, "", false
	}
	if r.lsp != "" {
		return s.refPath(r), "RSVP", true
	}
	return s.refPath(r), "LDP", true
}

// pathRef names a transport path without building it: an RSVP LSP of src
// by name, or the IGP (LDP) path from src to dst.
type pathRef struct {
	src, dst int32
	lsp      string
	ok       bool
}

// hasTransport is transport without the path.
func (s *State) hasTransport(src int, a netip.Addr) (pathRef, bool) {
	dst, ok := s.ownerOf(a)
	if !ok || dst == src {
		return pathRef{}, false
	}
	if name, ok := s.rsvpTo[src][a]; ok {
		return pathRef{int32(src), int32(dst), name, true}, true
	}
	if a == s.devs[dst].cfg.loopback && s.hasLDPLSP(src, dst) {
		return pathRef{int32(src), int32(dst), "", true}, true
	}
	return pathRef{}, false
}

func (s *State) refPath(r pathRef) Path {
	if !r.ok {
		return Path{}
	}
	if r.lsp != "" {
		for _, l := range s.devs[r.src].lsps {
			if l.Name == r.lsp {
				return l.Path
			}
		}
		return Path{}
	}
	es, _ := s.igpEdges(int(r.src), int(r.dst))
	return s.edgesPath(es)
}

func (s *State) computeStats() {
	st := &s.stats
	st.Devices, st.Links = len(s.devs), len(s.links)
	for _, ok := range s.linkOK {
		if ok {
			st.LinksUp++
		}
	}
	for _, d := range s.devs {
		st.Adjacencies += len(d.adj)
		for _, l := range d.ldpSess {
			if l.State == "Operational" {
				st.LDPSessionsUp++
			}
		}
		for _, b := range d.bgp {
			st.BGPSessions++
			if b.State == "Established" {
				st.BGPEstablished++
			}
		}
		for _, l := range d.lsps {
			if l.Up {
				st.LSPsUp++
			} else {
				st.LSPsDown++
			}
		}
		for _, p := range d.pws {
			if p.Status == "Up" {
				st.PWsUp++
			} else {
				st.PWsDown++
			}
		}
		for _, v := range d.vpls {
			for _, c := range v.Connections {
				if c.Status == "Up" {
					st.VPLSConnsUp++
				} else {
					st.VPLSConnsDown++
				}
			}
		}
		for _, v := range d.vrfs {
			st.VRFRoutes += len(v.imported) + len(v.local)
		}
	}
	st.LDPSessionsUp /= 2
}
