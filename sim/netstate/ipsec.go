package netstate

import (
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
)

// IPsecVPN is the state of one route-based IPsec VPN (`security ipsec vpn`)
// of a device: its IKE (phase 1) and IPsec (phase 2) security associations
// with the peer its gateway names.
type IPsecVPN struct {
	Name      string // the vpn
	Gateway   string // its IKE gateway
	Interface string // bind-interface, "st0.1"
	// Local is the address of the gateway's external interface; Remote the
	// gateway address in use (the first that is reachable, else the first
	// configured).
	Local, Remote netip.Addr
	// Peer is the device that owns Remote ("" when none does).
	Peer string
	// Establish is "immediately" or "on-traffic" (the Junos default).
	Establish string
	// IKEUp: the IKE security association with the peer is established.
	// Up: so are the IPsec security associations, and the st0 unit is up.
	IKEUp, Up bool
	// Standby: both ends establish on traffic and everything else agrees,
	// so the first packet would bring the tunnel up. No SA exists yet, but
	// the st0 unit is up (as on Junos with on-traffic), so routes use it;
	// that is how a dynamic mesh behaves.
	Standby bool
	// Reason says why the VPN is not up, in words.
	Reason string
	// Index is the tunnel index (131073 upwards in configuration order);
	// IKEIndex the IKE SA's. Both are stable across recomputations.
	Index, IKEIndex uint32
	// InSPI and OutSPI are the SPIs of the inbound and outbound SAs; a
	// VPN's OutSPI is its peer's InSPI. Zero when not Up.
	InSPI, OutSPI uint32
	// Protocol, Encryption and Authentication are the IPsec proposal both
	// ends share ("esp", "aes-256-cbc", "hmac-sha-256-128").
	Protocol, Encryption, Authentication string
	// IKEMode is the IKE policy's mode ("main" or "aggressive").
	IKEMode string
}

// TunnelIndexBase is the first IPsec tunnel index of a device.
const TunnelIndexBase = 131073

// secCfg is what is read below `security ike` and `security ipsec`.
type secCfg struct {
	ikeProps   map[string]proposal
	ikePols    map[string]*ikePolicy
	gateways   map[string]*ikeGateway
	ipsecProps map[string]proposal
	ipsecPols  map[string][]string // policy → proposals
	vpns       []*vpnCfg
	// byEnds finds the gateway (first by name) whose external interface
	// has address [0] and which names address [1]; vpnOn the first VPN of
	// a gateway. Built once the configuration is read.
	byEnds map[[2]netip.Addr]*ikeGateway
	vpnOn  map[string]*vpnCfg
}

func (sc *secCfg) index(c *devCfg) {
	sc.byEnds, sc.vpnOn = map[[2]netip.Addr]*ikeGateway{}, map[string]*vpnCfg{}
	names := make([]string, 0, len(sc.gateways))
	for n := range sc.gateways {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		g := sc.gateways[n]
		u := c.units[g.ext]
		if u == nil {
			continue
		}
		ext := firstV4(u.addrs)
		for _, a := range g.addrs {
			if k := [2]netip.Addr{ext, a}; sc.byEnds[k] == nil {
				sc.byEnds[k] = g
			}
		}
	}
	for _, v := range sc.vpns {
		if sc.vpnOn[v.gateway] == nil {
			sc.vpnOn[v.gateway] = v
		}
	}
}

// proposal is an IKE or IPsec proposal's parameters, compared as a whole.
type proposal struct{ method, dh, auth, enc, proto string }

type ikePolicy struct {
	mode      string
	proposals []string
	psk       string
}

type ikeGateway struct {
	name, policy, ext string
	addrs             []netip.Addr
}

type vpnCfg struct {
	name, bind, gateway, policy, establish string
}

func (c *devCfg) parseSecurity(w []string) {
	if len(w) < 5 || w[1] != "ike" && w[1] != "ipsec" {
		return
	}
	if c.sec == nil {
		c.sec = &secCfg{ikeProps: map[string]proposal{}, ikePols: map[string]*ikePolicy{}, gateways: map[string]*ikeGateway{},
			ipsecProps: map[string]proposal{}, ipsecPols: map[string][]string{}}
	}
	sc, name, r := c.sec, w[3], w[4:]
	setProp := func(m map[string]proposal) {
		p := m[name]
		switch r[0] {
		case "authentication-method":
			p.method = word(r, 1)
		case "dh-group":
			p.dh = word(r, 1)
		case "authentication-algorithm":
			p.auth = word(r, 1)
		case "encryption-algorithm":
			p.enc = word(r, 1)
		case "protocol":
			p.proto = word(r, 1)
		}
		m[name] = p
	}
	switch w[1] + " " + w[2] {
	case "ike proposal":
		setProp(sc.ikeProps)
	case "ike policy":
		p := sc.ikePols[name]
		if p == nil {
			p = &ikePolicy{}
			sc.ikePols[name] = p
		}
		switch r[0] {
		case "mode":
			p.mode = word(r, 1)
		case "proposals":
			p.proposals = appendUniq(p.proposals, word(r, 1))
		case "pre-shared-key":
			p.psk = word(r, 2)
		}
	case "ike gateway":
		g := sc.gateways[name]
		if g == nil {
			g = &ikeGateway{name: name}
			sc.gateways[name] = g
		}
		switch r[0] {
		case "ike-policy":
			g.policy = word(r, 1)
		case "external-interface":
			g.ext = unitName(word(r, 1))
		case "address":
			if a, err := netip.ParseAddr(word(r, 1)); err == nil {
				g.addrs = appendUniqAddr(g.addrs, a)
			}
		}
	case "ipsec proposal":
		setProp(sc.ipsecProps)
	case "ipsec policy":
		if r[0] == "proposals" {
			sc.ipsecPols[name] = appendUniq(sc.ipsecPols[name], word(r, 1))
		}
	case "ipsec vpn":
		i := slices.IndexFunc(sc.vpns, func(v *vpnCfg) bool { return v.name == name })
		if i < 0 {
			sc.vpns = append(sc.vpns, &vpnCfg{name: name, establish: "on-traffic"})
			i = len(sc.vpns) - 1
		}
		v := sc.vpns[i]
		switch r[0] {
		case "bind-interface":
			v.bind = unitName(word(r, 1))
		case "establish-tunnels":
			v.establish = word(r, 1)
		case "ike":
			switch word(r, 1) {
			case "gateway":
				v.gateway = word(r, 2)
			case "ipsec-policy":
				v.policy = word(r, 2)
			}
		}
	}
}

// proposals resolves a policy's proposal names; a policy without any uses
// the default set, which matches only another default set.
func proposals(names []string, defs map[string]proposal) []proposal {
	if len(names) == 0 {
		return []proposal{{method: "default"}}
	}
	var out []proposal
	for _, n := range names {
		if p, ok := defs[n]; ok {
			out = append(out, p)
		}
	}
	return out
}

// common returns the first of a's proposals that b also offers.
func common(a, b []proposal) (proposal, bool) {
	for _, p := range a {
		if slices.Contains(b, p) {
			return p, true
		}
	}
	return proposal{}, false
}

// isTunnel reports whether ifl is an st0 or gr- unit, whose state follows
// from IPsec and routing rather than from a link.
func isTunnel(ifl string) bool {
	return strings.HasPrefix(ifl, "st0.") || strings.HasPrefix(ifl, "gr-")
}

// computeIPsec decides every VPN's security associations, then the state
// of st0 units (up while a VPN bound to them is) and gr- units (up while
// their destination is reachable, over tunnels too), and the tunnel
// neighbours packets cross. It runs after the IGP: IKE travels over the
// underlay (connected, IGP and static routes, never a tunnel).
func (s *State) computeIPsec() {
	s.tunNbr = map[directKey]int32{}
	for _, d := range s.devs {
		d.tun = map[string]bool{}
		if d.cfg.sec == nil {
			continue
		}
		for i, v := range d.cfg.sec.vpns {
			st := s.vpnState(d, v)
			st.Index = TunnelIndexBase + uint32(i)
			d.ipsec = append(d.ipsec, st)
		}
	}
	for _, d := range s.devs {
		for _, v := range d.ipsec {
			if v.Up || v.Standby {
				d.tun[v.Interface] = true
			}
		}
	}
	// st0 neighbours: the far address of an up unit's subnet, on the VPN's
	// peer, on an up st0 unit (so every unit's state is known first).
	for _, d := range s.devs {
		for _, v := range d.ipsec {
			if v.Up || v.Standby {
				s.pairTunnel(d, v.Interface, s.byName[v.Peer])
			}
		}
	}
	// gr- units: up while the tunnel destination is reachable from the
	// source's device; they pair by subnet with the far end's gr- unit.
	type grEnd struct {
		d    *devState
		name string
		peer int
	}
	var grs []grEnd
	for _, d := range s.devs {
		for _, name := range d.cfg.grs {
			u := d.cfg.units[name]
			if u.disable || !u.tunDst.IsValid() || !d.in.Up {
				continue
			}
			if s.forward(d.idx, u.tunDst, true) {
				d.tun[name] = true
				if o, ok := s.owner[u.tunDst]; ok {
					grs = append(grs, grEnd{d, name, int(o.dev)})
				}
			}
		}
	}
	for _, g := range grs {
		s.pairTunnel(g.d, g.name, g.peer)
	}
}

// pairTunnel records the tunnel neighbours of d's up tunnel unit ifl on
// device peer: each of peer's addresses in the unit's subnets, when it is
// on an up tunnel unit of peer.
func (s *State) pairTunnel(d *devState, ifl string, peer int) {
	u := d.cfg.units[ifl]
	if u == nil || peer < 0 || peer >= len(s.devs) {
		return
	}
	pd := s.devs[peer]
	for _, p := range u.addrs {
		for _, q := range pd.cfg.byNet[p.Masked()] {
			if pd.tun[q.ifl] && isTunnel(q.ifl) && q.addr.Bits() == p.Bits() && q.addr.Addr() != p.Addr() {
				s.tunNbr[directKey{int32(d.idx), q.addr.Addr()}] = int32(peer)
			}
		}
	}
}

// vpnState decides one VPN of d: the checks run in the order IKE and IPsec
// negotiation would fail.
func (s *State) vpnState(d *devState, v *vpnCfg) IPsecVPN {
	st := IPsecVPN{Name: v.name, Gateway: v.gateway, Interface: v.bind, Establish: v.establish}
	sc := d.cfg.sec
	down := func(why string) IPsecVPN { st.Reason = why; return st }
	if !d.in.Up {
		return down("device is down")
	}
	if v.bind == "" {
		return down("no bind-interface")
	}
	if u := d.cfg.units[v.bind]; u == nil || u.disable {
		return down("bind-interface " + v.bind + " is not configured or disabled")
	}
	g := sc.gateways[v.gateway]
	if g == nil {
		return down("IKE gateway " + v.gateway + " is not configured")
	}
	pol := sc.ikePols[g.policy]
	if pol == nil {
		return down("IKE policy " + g.policy + " of gateway " + g.name + " is not configured")
	}
	st.IKEMode = pol.mode
	if st.IKEMode == "" {
		st.IKEMode = "main"
	}
	eu := d.cfg.units[g.ext]
	if eu == nil {
		return down("external interface " + g.ext + " is not configured")
	}
	st.Local = firstV4(eu.addrs)
	if len(g.addrs) > 0 {
		st.Remote = g.addrs[0]
	}
	if !st.Local.IsValid() {
		return down("external interface " + g.ext + " has no address")
	}
	if !s.unitUp(d, g.ext) {
		return down("external interface " + g.ext + " is down")
	}
	if len(g.addrs) == 0 {
		return down("gateway " + g.name + " has no address")
	}
	reached := false
	for _, a := range g.addrs {
		if s.forward(d.idx, a, false) {
			st.Remote, reached = a, true
			break
		}
	}
	o, owned := s.owner[st.Remote]
	if owned {
		st.Peer = s.devs[o.dev].in.Name
	}
	if !reached {
		if !owned {
			return down("no device has the gateway address " + st.Remote.String())
		}
		return down("peer " + st.Remote.String() + " is not reachable from " + st.Local.String())
	}
	peer := s.devs[o.dev]
	fgw, fvpn := s.farEnd(peer, st.Local, st.Remote)
	if fgw == nil {
		return down("peer " + st.Peer + " has no IKE gateway for " + st.Local.String() + " on the interface with " + st.Remote.String())
	}
	if !s.forward(peer.idx, st.Local, false) {
		return down("peer " + st.Peer + " has no route back to " + st.Local.String())
	}
	ppol := peer.cfg.sec.ikePols[fgw.policy]
	if ppol == nil {
		return down("peer " + st.Peer + ": IKE policy " + fgw.policy + " is not configured")
	}
	if pm := cmpOr(ppol.mode, "main"); pm != st.IKEMode {
		return down("IKE mode mismatch: " + st.IKEMode + " here, " + pm + " on " + st.Peer)
	}
	if _, ok := common(proposals(pol.proposals, sc.ikeProps), proposals(ppol.proposals, peer.cfg.sec.ikeProps)); !ok {
		return down("no IKE proposal in common with " + st.Peer)
	}
	if pol.psk != ppol.psk {
		return down("IKE authentication failed: the pre-shared keys differ")
	}
	if fvpn == nil {
		// IKE comes up when this end initiates; the peer has nothing to
		// bind the IPsec SAs to.
		st.IKEUp = v.establish == "immediately"
		st.IKEIndex = ikeIndex(st.Local, st.Remote)
		return down("peer " + st.Peer + " has no IPsec VPN on gateway " + fgw.name)
	}
	waiting := v.establish != "immediately" && fvpn.establish != "immediately"
	if !waiting {
		st.IKEUp, st.IKEIndex = true, ikeIndex(st.Local, st.Remote)
	}
	mine := proposals(sc.ipsecPols[v.policy], sc.ipsecProps)
	theirs := proposals(peer.cfg.sec.ipsecPols[fvpn.policy], peer.cfg.sec.ipsecProps)
	p, ok := common(mine, theirs)
	if !ok {
		return down("no IPsec proposal in common with " + st.Peer)
	}
	if pu := peer.cfg.units[fvpn.bind]; pu == nil || pu.disable {
		return down("peer " + st.Peer + ": bind-interface " + fvpn.bind + " is not configured or disabled")
	}
	if waiting {
		st.Standby = true
		return down("establish-tunnels on-traffic at both ends: waiting for traffic")
	}
	st.Up = true
	st.Protocol, st.Encryption, st.Authentication = cmpOr(p.proto, "esp"), p.enc, p.auth
	st.OutSPI, st.InSPI = spi(st.Local, st.Remote), spi(st.Remote, st.Local)
	return st
}

// farEnd finds the peer's gateway that names local and leaves from the
// interface holding remote, and the first VPN using it.
func (s *State) farEnd(peer *devState, local, remote netip.Addr) (*ikeGateway, *vpnCfg) {
	sc := peer.cfg.sec
	if sc == nil || !peer.in.Up {
		return nil, nil
	}
	g := sc.byEnds[[2]netip.Addr{remote, local}]
	if g == nil {
		return nil, nil
	}
	return g, sc.vpnOn[g.name]
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func spi(from, to netip.Addr) uint32 {
	h := fnv.New32a()
	h.Write(from.AsSlice())
	h.Write(to.AsSlice())
	return h.Sum32() | 0x1000_0000
}

// ikeIndex is the same at both ends of an IKE SA.
func ikeIndex(a, b netip.Addr) uint32 {
	if b.Less(a) {
		a, b = b, a
	}
	h := fnv.New32a()
	h.Write(a.AsSlice())
	h.Write(b.AsSlice())
	return h.Sum32()%8_000_000 + 1_000_000
}

// forward reports whether packets from device src reach the address dst
// hop by hop: at each device dst is its own address, or on a link
// neighbour or IGP-reachable, or (with tunnels) on a tunnel neighbour;
// otherwise the most specific active static route covering dst leads on to
// its next hop's device. A connected subnet as specific as that route, or
// more, without dst on it, drops the packet; so does a loop.
func (s *State) forward(src int, dst netip.Addr, tunnels bool) bool {
	// A path that visits more devices than there are has looped.
	for cur, hops := src, 0; hops < len(s.devs); hops++ {
		d := s.devs[cur]
		if !d.in.Up {
			return false
		}
		if s.reach(cur, dst) {
			return true
		}
		if tunnels {
			if _, ok := s.tunNbr[directKey{int32(cur), dst}]; ok {
				return true
			}
		}
		nh, ok := s.staticHop(d, dst, tunnels)
		if !ok {
			return false
		}
		next, ok := s.neighbour(cur, nh, tunnels)
		if !ok {
			return false
		}
		cur = next
	}
	return false
}

// neighbour returns the device one hop from cur that owns a.
func (s *State) neighbour(cur int, a netip.Addr, tunnels bool) (int, bool) {
	if _, ok := s.direct[directKey{int32(cur), a}]; ok {
		o := s.owner[a]
		return int(o.dev), s.unitUp(s.devs[o.dev], o.ifl)
	}
	if tunnels {
		if p, ok := s.tunNbr[directKey{int32(cur), a}]; ok {
			return int(p), true
		}
	}
	return 0, false
}

// staticHop returns the next hop of d's most specific active static route
// to dst, unless a connected subnet is at least as specific.
func (s *State) staticHop(d *devState, dst netip.Addr, tunnels bool) (netip.Addr, bool) {
	conn := -1
	for _, n := range d.cfg.subnets {
		if n.net.Contains(dst) && (tunnels || !isTunnel(n.ifl)) && s.unitUp(d, n.ifl) {
			conn = n.addr.Bits()
			break
		}
	}
	best, bits := netip.Addr{}, -1
	for i := range d.cfg.statRts {
		r := &d.cfg.statRts[i]
		if !r.prefix.Contains(dst) || r.prefix.Bits() <= bits || r.prefix.Bits() <= conn {
			continue
		}
		if h, _, ok := s.activeHop(d, r, tunnels); ok {
			best, bits = h.addr, r.prefix.Bits()
		}
	}
	return best, bits >= 0
}

// activeHop returns the next hop a static route uses: of the hops whose
// subnet is on an up interface, the one with the lowest preference (the
// first configured among equals), and that interface.
func (s *State) activeHop(d *devState, r *staticRoute, tunnels bool) (staticHop, string, bool) {
	var best staticHop
	via, found := "", false
	for _, h := range r.hops() {
		ifl := s.subnetIfl(d, h.addr)
		if ifl == "" || !s.unitUp(d, ifl) || !tunnels && isTunnel(ifl) {
			continue
		}
		if !found || h.pref < best.pref {
			best, via, found = h, ifl, true
		}
	}
	return best, via, found
}

// IPsecVPNs returns the IPsec VPNs of dev in configuration order.
func (s *State) IPsecVPNs(dev string) []IPsecVPN {
	if d := s.dev(dev); d != nil {
		return slices.Clone(d.ipsec)
	}
	return nil
}
