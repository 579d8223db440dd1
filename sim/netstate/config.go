package netstate

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// devCfg is what this package reads from one device's configuration. It is
// built once per *junosconf.Tree and never changed afterwards.
type devCfg struct {
	units     map[string]*unitCfg // by logical name "ge-0/0/1.100"
	portUnits map[string][]*unitCfg
	portOff   map[string]bool // "interfaces X disable"
	portEncap map[string]string
	loopback  netip.Addr
	as        uint32

	isis      map[string]*igpIf
	ospf      map[string]*igpIf
	ldp       map[string]bool
	ldpAll    bool
	rsvp      map[string]netid.Bitrate // interface → reservable bandwidth (0 = link's)
	rsvpSet   map[string]bool
	rsvpAll   bool
	mpls      map[string]bool
	mplsAll   bool
	lsps      []*lspCfg
	paths     map[string][]pathHop
	statics   []*staticLSPCfg
	l2ckts    []*l2cktCfg
	bgp       []*bgpNbr
	statRts   []staticRoute
	insts     map[string]*instCfg
	instOrder []string
	comms     map[string][]string // community name → members
	policies  map[string]*policyCfg
	meps      []*mepCfg
	ptpMode   string
	ptpMaster []string
	ptpSlave  []string
	syncSrc   []syncSource
	syncConf  bool
	esmcTx    map[string]bool
	labelSvc  uint32                    // first label after the service labels
	sec       *secCfg                   // security ike/ipsec; nil without any
	subnets   []subnet                  // every interface address, most specific first
	byNet     map[netip.Prefix][]subnet // by masked subnet
	grs       []string                  // gr- units, sorted
}

type unitCfg struct {
	name, port, unit string
	disable          bool
	addrs            []netip.Prefix
	encap            string
	vlan             string
	iso, mpls, ccc   bool
	inet             bool
	tunSrc, tunDst   netip.Addr // gr-: tunnel source and destination
}

type igpIf struct {
	passive bool
	disable bool
	metric  int
	area    string
}

type lspCfg struct {
	name      string
	to, from  netip.Addr
	bw        netid.Bitrate
	primary   string
	secondary []string
	noCSPF    bool
	p2mp      string
}

type pathHop struct {
	addr   netip.Addr
	strict bool
}

type staticLSPCfg struct {
	name    string
	to, nh  netip.Addr
	push    uint32
	ingress bool
}

type l2cktCfg struct {
	neighbor  netip.Addr
	ifl       string
	vcid      uint32
	mtu       int
	encapType string
	noCW      bool
	ignMTU    bool
	ignEncap  bool
	statusTLV bool
	label     uint32    // incoming label, allocated at parse time
	primary   *l2cktCfg // for a backup-neighbor circuit, the primary
	standby   bool      // backup signalled in advance (hot standby)
}

type bgpNbr struct {
	inst, group string
	typ         string
	addr        netip.Addr
	localAddr   netip.Addr
	peerAS      uint32
	families    []string
	cluster     bool
}

// staticRoute is one static route with all its next hops.
type staticRoute struct {
	prefix netip.Prefix
	nhs    []netip.Addr // next-hop, at the route's preference
	qual   []staticHop  // qualified-next-hop, in configuration order
	pref   int          // route preference, 0 = the default 5
}

// staticHop is a qualified next hop and its preference (0 = the route's).
type staticHop struct {
	addr netip.Addr
	pref int
}

// primary is the route's first plain next hop (invalid without one).
func (r *staticRoute) primary() netip.Addr {
	if len(r.nhs) > 0 {
		return r.nhs[0]
	}
	return netip.Addr{}
}

// hops returns every next hop with its effective preference, plain next
// hops first, in configuration order.
func (r *staticRoute) hops() []staticHop {
	def := r.pref
	if def == 0 {
		def = 5
	}
	out := make([]staticHop, 0, len(r.nhs)+len(r.qual))
	for _, a := range r.nhs {
		out = append(out, staticHop{a, def})
	}
	for _, q := range r.qual {
		if q.pref == 0 {
			q.pref = def
		}
		out = append(out, q)
	}
	return out
}

type instCfg struct {
	name, typ  string
	ifls       []string
	rd         string
	tgt, imp   []string // vrf-target community / import
	exp        []string // vrf-target export
	vrfImport  []string
	vrfExport  []string
	statics    []staticRoute
	vplsID     uint32
	neighbors  []netip.Addr
	mesh       map[string]*meshCfg
	meshOrder  []string
	siteRange  int
	sites      map[string]*siteCfg
	siteOrder  []string
	encapType  string
	mtu        int
	bgpSignal  bool
	labelBase  uint32
	labelBlock uint32 // BGP: labels in the block, remote site id < labelBlock
}

type meshCfg struct {
	vplsID    uint32
	neighbors []netip.Addr
}

type siteCfg struct {
	name   string
	id     uint32
	pref   int
	ifls   []string
	remote map[string]uint32 // l2vpn: interface → remote-site-id
}

type policyCfg struct {
	terms []*termCfg
}

type termCfg struct {
	name   string
	from   []string // communities
	add    []string
	accept bool
	reject bool
}

type mepCfg struct {
	md, ma  string
	level   int
	id      int
	ifl     string
	dir     string
	remotes []int
}

type syncSource struct {
	port     string
	priority int
}

// parseConfig reads the active part of t.
func parseConfig(t *junosconf.Tree) *devCfg {
	c := &devCfg{
		units: map[string]*unitCfg{}, portUnits: map[string][]*unitCfg{}, portOff: map[string]bool{},
		portEncap: map[string]string{}, isis: map[string]*igpIf{}, ospf: map[string]*igpIf{},
		ldp: map[string]bool{}, rsvp: map[string]netid.Bitrate{}, rsvpSet: map[string]bool{}, mpls: map[string]bool{},
		paths: map[string][]pathHop{}, insts: map[string]*instCfg{}, comms: map[string][]string{},
		policies: map[string]*policyCfg{}, esmcTx: map[string]bool{},
	}
	if t == nil {
		return c
	}
	var routerID netip.Addr
	lsps := map[string]*lspCfg{}
	statics := map[string]*staticLSPCfg{}
	l2 := map[string]*l2cktCfg{}
	nbrs := map[string]*bgpNbr{}
	type grp struct {
		typ      string
		local    netip.Addr
		peerAS   uint32
		families []string
		cluster  bool
	}
	groups := map[string]*grp{}
	var nbrOrder []*bgpNbr
	nbrPeerAS := map[*bgpNbr]uint32{}
	nbrLocal := map[*bgpNbr]netip.Addr{}
	addBGP := func(inst, g string, rest []string) {
		key := inst + "\x00" + g
		gr := groups[key]
		if gr == nil {
			gr = &grp{}
			groups[key] = gr
		}
		switch rest[0] {
		case "type":
			gr.typ = word(rest, 1)
		case "local-address":
			gr.local, _ = netip.ParseAddr(word(rest, 1))
		case "peer-as":
			gr.peerAS = parseU32(word(rest, 1))
		case "family":
			gr.families = appendUniq(gr.families, strings.Join(rest[1:min(3, len(rest))], "-"))
		case "cluster":
			gr.cluster = true
		case "neighbor":
			a, err := netip.ParseAddr(word(rest, 1))
			if err != nil {
				return
			}
			nk := key + "\x00" + a.String()
			n := nbrs[nk]
			if n == nil {
				n = &bgpNbr{inst: inst, group: g, addr: a}
				nbrs[nk] = n
				nbrOrder = append(nbrOrder, n)
			}
			switch word(rest, 2) {
			case "peer-as":
				nbrPeerAS[n] = parseU32(word(rest, 3))
			case "local-address":
				nbrLocal[n], _ = netip.ParseAddr(word(rest, 3))
			}
		}
	}
	meps := map[string]*mepCfg{}
	mdLevel := map[string]int{}
	for _, w := range t.Statements() {
		switch w[0] {
		case "interfaces":
			c.parseInterface(w)
		case "routing-options":
			switch {
			case at(w, 1, "autonomous-system"):
				c.as = parseU32(word(w, 2))
			case at(w, 1, "router-id"):
				routerID, _ = netip.ParseAddr(word(w, 2))
			case at(w, 1, "static") && at(w, 2, "route"):
				c.statRts = addStatic(c.statRts, w[3:])
			}
		case "protocols":
			if len(w) < 3 {
				continue
			}
			c.parseProtocol(w[1:], "", lsps, statics, l2, addBGP, meps, mdLevel)
		case "routing-instances":
			c.parseInstance(w)
			if len(w) > 6 && w[2] == "protocols" && w[3] == "bgp" && w[4] == "group" {
				addBGP(w[1], w[5], w[6:])
			}
		case "policy-options":
			c.parsePolicy(w)
		case "security":
			c.parseSecurity(w)
		case "chassis":
			if at(w, 1, "synchronization") {
				c.syncConf = true
				if at(w, 2, "source") && at(w, 3, "interfaces") && len(w) > 4 {
					p := w[4]
					found := false
					for i := range c.syncSrc {
						if c.syncSrc[i].port == p {
							found = true
							if at(w, 5, "priority") {
								c.syncSrc[i].priority = int(parseU32(word(w, 6)))
							}
						}
					}
					if !found {
						s := syncSource{port: p, priority: 99}
						if at(w, 5, "priority") {
							s.priority = int(parseU32(word(w, 6)))
						}
						c.syncSrc = append(c.syncSrc, s)
					}
				}
				if at(w, 2, "esmc-transmit") && at(w, 3, "interfaces") && len(w) > 4 {
					c.esmcTx[w[4]] = true
				}
			}
		}
	}
	for _, n := range nbrOrder {
		g := groups[n.inst+"\x00"+n.group]
		if g != nil {
			n.typ, n.localAddr, n.peerAS, n.families, n.cluster = g.typ, g.local, g.peerAS, g.families, g.cluster
		}
		if as, ok := nbrPeerAS[n]; ok {
			n.peerAS = as
		}
		if a, ok := nbrLocal[n]; ok {
			n.localAddr = a
		}
		c.bgp = append(c.bgp, n)
	}
	for _, m := range meps {
		m.level = mdLevel[m.md]
	}
	c.meps = sortedMEPs(meps)
	if u := c.units["lo0.0"]; u != nil {
		for _, a := range u.addrs {
			if a.Addr().Is4() {
				c.loopback = a.Addr()
				break
			}
		}
	}
	if !c.loopback.IsValid() {
		c.loopback = routerID
	}
	c.assignLabels()
	c.indexSubnets()
	if c.sec != nil {
		c.sec.index(c)
	}
	return c
}

// subnet is one address of a logical interface.
type subnet struct {
	addr netip.Prefix // with host bits
	net  netip.Prefix // masked
	ifl  string
}

// indexSubnets lists every interface address most specific first (then by
// interface name), keys them by subnet, and lists the gr- units.
func (c *devCfg) indexSubnets() {
	c.byNet = map[netip.Prefix][]subnet{}
	for n, u := range c.units {
		for _, p := range u.addrs {
			sn := subnet{p, p.Masked(), n}
			c.subnets = append(c.subnets, sn)
			c.byNet[sn.net] = append(c.byNet[sn.net], sn)
		}
		if strings.HasPrefix(n, "gr-") {
			c.grs = append(c.grs, n)
		}
	}
	slices.SortFunc(c.subnets, func(a, b subnet) int {
		if a.addr.Bits() != b.addr.Bits() {
			return b.addr.Bits() - a.addr.Bits()
		}
		return strings.Compare(a.ifl, b.ifl)
	})
	for _, v := range c.byNet {
		slices.SortFunc(v, func(a, b subnet) int { return strings.Compare(a.ifl, b.ifl) })
	}
	slices.Sort(c.grs)
}

// defaultLabelBlock is the label block of a BGP VPLS or l2vpn instance
// without site-range.
const defaultLabelBlock = 1024

// assignLabels gives every l2circuit its incoming label and every VPLS or
// l2vpn instance its label base, from LabelBase upwards in configuration
// order. It depends on the configuration only, so it runs once per parsed
// tree and labels stay put when links change.
func (c *devCfg) assignLabels() {
	next := uint32(LabelBase)
	for _, p := range c.l2ckts {
		p.label = next
		next++
	}
	for _, name := range c.instOrder {
		in := c.insts[name]
		in.labelBase = next
		switch {
		case in.typ == "vpls" && in.ldpSignalled():
			k := uint32(len(in.neighbors))
			for _, m := range in.mesh {
				k += uint32(len(m.neighbors))
			}
			next += k
		case in.typ == "vpls" || in.typ == "l2vpn":
			in.labelBlock = defaultLabelBlock
			if in.siteRange > 0 {
				in.labelBlock = uint32(in.siteRange) + 1
			}
			next += in.labelBlock
		}
	}
	c.labelSvc = next
}

func (c *devCfg) parseInterface(w []string) {
	if len(w) < 3 {
		return
	}
	port := w[1]
	rest := w[2:]
	switch rest[0] {
	case "disable":
		c.portOff[port] = true
		return
	case "encapsulation":
		c.portEncap[port] = word(rest, 1)
		return
	case "unit":
	default:
		return
	}
	if len(rest) < 2 {
		return
	}
	name := port + "." + rest[1]
	u := c.units[name]
	if u == nil {
		u = &unitCfg{name: name, port: port, unit: rest[1]}
		c.units[name] = u
		c.portUnits[port] = append(c.portUnits[port], u)
	}
	r := rest[2:]
	if len(r) == 0 {
		return
	}
	switch r[0] {
	case "disable":
		u.disable = true
	case "encapsulation":
		u.encap = word(r, 1)
	case "vlan-id":
		u.vlan = word(r, 1)
	case "tunnel":
		a, _ := netip.ParseAddr(word(r, 2))
		switch word(r, 1) {
		case "source":
			u.tunSrc = a
		case "destination":
			u.tunDst = a
		}
	case "family":
		switch word(r, 1) {
		case "inet":
			u.inet = true
			if at(r, 2, "address") {
				if p, err := netip.ParsePrefix(word(r, 3)); err == nil {
					u.addrs = appendUniqPrefix(u.addrs, p)
				}
			}
		case "iso":
			u.iso = true
		case "mpls":
			u.mpls = true
		case "ccc":
			u.ccc = true
		}
	}
}

func (c *devCfg) parseProtocol(w []string, inst string, lsps map[string]*lspCfg, statics map[string]*staticLSPCfg,
	l2 map[string]*l2cktCfg, bgp func(inst, g string, rest []string), meps map[string]*mepCfg, mdLevel map[string]int) {
	switch w[0] {
	case "isis":
		if at(w, 1, "interface") && len(w) > 2 {
			ifc := c.igpIf(c.isis, unitName(w[2]))
			r := w[3:]
			switch {
			case at(r, 0, "passive"):
				ifc.passive = true
			case at(r, 0, "disable"):
				ifc.disable = true
			case at(r, 0, "level") && at(r, 2, "metric"):
				if m := int(parseU32(word(r, 3))); m > 0 && (ifc.metric == 0 || word(r, 1) == "2") {
					ifc.metric = m
				}
			case at(r, 0, "level") && at(r, 2, "passive"):
				ifc.passive = true
			case at(r, 0, "metric"):
				ifc.metric = int(parseU32(word(r, 1)))
			}
		}
	case "ospf", "ospf3":
		if w[0] == "ospf" && at(w, 1, "area") && at(w, 3, "interface") && len(w) > 4 {
			ifc := c.igpIf(c.ospf, unitName(w[4]))
			ifc.area = w[2]
			r := w[5:]
			switch {
			case at(r, 0, "passive"):
				ifc.passive = true
			case at(r, 0, "disable"):
				ifc.disable = true
			case at(r, 0, "metric"):
				ifc.metric = int(parseU32(word(r, 1)))
			}
		}
	case "ldp":
		if at(w, 1, "interface") && len(w) > 2 {
			if w[2] == "all" {
				c.ldpAll = true
			} else if len(w) == 3 || !at(w, 3, "disable") {
				c.ldp[unitName(w[2])] = true
			}
		}
	case "rsvp":
		if at(w, 1, "interface") && len(w) > 2 {
			n := unitName(w[2])
			if w[2] == "all" {
				c.rsvpAll = true
			} else {
				c.rsvpSet[n] = true
			}
			if at(w, 3, "bandwidth") {
				if b, err := parseBW(word(w, 4)); err == nil {
					c.rsvp[n] = b
				}
			}
		}
	case "mpls":
		c.parseMPLS(w, lsps, statics)
	case "l2circuit":
		if at(w, 1, "neighbor") && at(w, 3, "interface") && len(w) > 4 {
			nb, err := netip.ParseAddr(w[2])
			if err != nil {
				return
			}
			key := w[2] + " " + w[4]
			p := l2[key]
			if p == nil {
				p = &l2cktCfg{neighbor: nb, ifl: unitName(w[4])}
				l2[key] = p
				c.l2ckts = append(c.l2ckts, p)
			}
			r := w[5:]
			switch word(r, 0) {
			case "virtual-circuit-id":
				p.vcid = parseU32(word(r, 1))
			case "mtu":
				p.mtu = int(parseU32(word(r, 1)))
			case "encapsulation-type":
				p.encapType = word(r, 1)
			case "no-control-word":
				p.noCW = true
			case "control-word":
				p.noCW = false
			case "ignore-mtu-mismatch":
				p.ignMTU = true
			case "ignore-encapsulation-mismatch":
				p.ignEncap = true
			case "pseudowire-status-tlv":
				p.statusTLV = true
			case "backup-neighbor":
				b, err := netip.ParseAddr(word(r, 1))
				if err != nil {
					return
				}
				bk := l2[key+" backup "+b.String()]
				if bk == nil {
					bk = &l2cktCfg{neighbor: b, ifl: p.ifl, primary: p}
					l2[key+" backup "+b.String()] = bk
					c.l2ckts = append(c.l2ckts, bk)
				}
				switch word(r, 2) {
				case "virtual-circuit-id":
					bk.vcid = parseU32(word(r, 3))
				case "standby":
					bk.standby = true
				}
			}
		}
	case "bgp":
		if at(w, 1, "group") && len(w) > 3 {
			bgp(inst, w[2], w[3:])
		}
	case "oam":
		// oam ethernet connectivity-fault-management maintenance-domain MD ...
		if !(at(w, 1, "ethernet") && at(w, 2, "connectivity-fault-management") && at(w, 3, "maintenance-domain")) || len(w) < 6 {
			return
		}
		md := w[4]
		r := w[5:]
		if r[0] == "level" {
			mdLevel[md] = int(parseU32(word(r, 1)))
			return
		}
		if r[0] != "maintenance-association" || len(r) < 5 || r[2] != "mep" {
			return
		}
		ma, id := r[1], int(parseU32(r[3]))
		key := md + "\x00" + ma + "\x00" + r[3]
		m := meps[key]
		if m == nil {
			m = &mepCfg{md: md, ma: ma, id: id, dir: "down"}
			meps[key] = m
		}
		rr := r[4:]
		switch rr[0] {
		case "interface":
			m.ifl = unitName(word(rr, 1))
		case "direction":
			m.dir = word(rr, 1)
		case "remote-mep":
			if v := int(parseU32(word(rr, 1))); v > 0 && !containsInt(m.remotes, v) {
				m.remotes = append(m.remotes, v)
			}
		}
	case "ptp":
		switch {
		case at(w, 1, "clock-mode"):
			c.ptpMode = word(w, 2)
		case at(w, 1, "master") && at(w, 2, "interface") && len(w) > 3:
			c.ptpMaster = appendUniq(c.ptpMaster, unitName(w[3]))
		case at(w, 1, "slave") && at(w, 2, "interface") && len(w) > 3:
			c.ptpSlave = appendUniq(c.ptpSlave, unitName(w[3]))
		}
	}
}

func (c *devCfg) parseMPLS(w []string, lsps map[string]*lspCfg, statics map[string]*staticLSPCfg) {
	switch word(w, 1) {
	case "interface":
		if word(w, 2) == "all" {
			c.mplsAll = true
		} else if len(w) > 2 && !at(w, 3, "disable") {
			c.mpls[unitName(w[2])] = true
		}
	case "label-switched-path":
		if len(w) < 4 {
			return
		}
		l := lsps[w[2]]
		if l == nil {
			l = &lspCfg{name: w[2]}
			lsps[w[2]] = l
			c.lsps = append(c.lsps, l)
		}
		r := w[3:]
		switch r[0] {
		case "to":
			l.to, _ = netip.ParseAddr(word(r, 1))
		case "from":
			l.from, _ = netip.ParseAddr(word(r, 1))
		case "bandwidth":
			l.bw, _ = parseBW(word(r, 1))
		case "primary":
			l.primary = word(r, 1)
		case "secondary":
			l.secondary = appendUniq(l.secondary, word(r, 1))
		case "no-cspf":
			l.noCSPF = true
		case "p2mp":
			l.p2mp = word(r, 1)
			if l.p2mp == "" {
				l.p2mp = l.name
			}
		}
	case "path":
		if len(w) < 3 {
			return
		}
		hops := c.paths[w[2]]
		if len(w) > 3 {
			if a, err := netip.ParseAddr(w[3]); err == nil {
				hops = append(hops, pathHop{addr: a, strict: word(w, 4) != "loose"})
			}
		}
		c.paths[w[2]] = hops
	case "static-label-switched-path":
		if len(w) < 5 {
			return
		}
		s := statics[w[2]]
		if s == nil {
			s = &staticLSPCfg{name: w[2]}
			statics[w[2]] = s
			c.statics = append(c.statics, s)
		}
		if w[3] != "ingress" {
			return
		}
		s.ingress = true
		for i := 4; i+1 < len(w); i += 2 {
			switch w[i] {
			case "to":
				s.to, _ = netip.ParseAddr(w[i+1])
			case "next-hop":
				s.nh, _ = netip.ParseAddr(w[i+1])
			case "push":
				s.push = parseU32(w[i+1])
			}
		}
	}
}

func (c *devCfg) parseInstance(w []string) {
	if len(w) < 4 {
		return
	}
	name := w[1]
	in := c.insts[name]
	if in == nil {
		in = &instCfg{name: name, mesh: map[string]*meshCfg{}, sites: map[string]*siteCfg{}}
		c.insts[name] = in
		c.instOrder = append(c.instOrder, name)
	}
	r := w[2:]
	switch r[0] {
	case "instance-type":
		in.typ = word(r, 1)
	case "interface":
		in.ifls = appendUniq(in.ifls, unitName(word(r, 1)))
	case "route-distinguisher":
		in.rd = word(r, 1)
	case "vrf-target":
		switch word(r, 1) {
		case "import":
			in.imp = appendUniq(in.imp, word(r, 2))
		case "export":
			in.exp = appendUniq(in.exp, word(r, 2))
		case "auto", "":
		default:
			in.tgt = appendUniq(in.tgt, word(r, 1))
		}
	case "vrf-import":
		in.vrfImport = append(in.vrfImport, r[1:]...)
	case "vrf-export":
		in.vrfExport = append(in.vrfExport, r[1:]...)
	case "routing-options":
		if at(r, 1, "static") && at(r, 2, "route") {
			in.statics = addStatic(in.statics, r[3:])
		}
	case "protocols":
		if len(r) < 3 || (r[1] != "vpls" && r[1] != "l2vpn") {
			return
		}
		p := r[2:]
		switch p[0] {
		case "vpls-id":
			in.vplsID = parseU32(word(p, 1))
		case "neighbor":
			if a, err := netip.ParseAddr(word(p, 1)); err == nil {
				in.neighbors = appendUniqAddr(in.neighbors, a)
			}
		case "site-range":
			in.siteRange = int(parseU32(word(p, 1)))
		case "encapsulation-type":
			in.encapType = word(p, 1)
		case "mtu":
			in.mtu = int(parseU32(word(p, 1)))
		case "mesh-group":
			if len(p) < 3 {
				return
			}
			m := in.mesh[p[1]]
			if m == nil {
				m = &meshCfg{}
				in.mesh[p[1]] = m
				in.meshOrder = append(in.meshOrder, p[1])
			}
			switch p[2] {
			case "vpls-id":
				m.vplsID = parseU32(word(p, 3))
			case "neighbor":
				if a, err := netip.ParseAddr(word(p, 3)); err == nil {
					m.neighbors = appendUniqAddr(m.neighbors, a)
				}
			}
		case "site":
			if len(p) < 3 {
				return
			}
			s := in.sites[p[1]]
			if s == nil {
				s = &siteCfg{name: p[1], pref: 100, remote: map[string]uint32{}}
				in.sites[p[1]] = s
				in.siteOrder = append(in.siteOrder, p[1])
			}
			switch p[2] {
			case "site-identifier":
				s.id = parseU32(word(p, 3))
			case "site-preference":
				switch word(p, 3) {
				case "primary":
					s.pref = 65535
				case "backup":
					s.pref = 1
				default:
					s.pref = int(parseU32(word(p, 3)))
				}
			case "interface":
				ifl := unitName(word(p, 3))
				s.ifls = appendUniq(s.ifls, ifl)
				if at(p, 4, "remote-site-id") {
					s.remote[ifl] = parseU32(word(p, 5))
				}
			}
		}
	}
}

func (c *devCfg) parsePolicy(w []string) {
	switch word(w, 1) {
	case "community":
		if at(w, 3, "members") && len(w) > 4 {
			c.comms[w[2]] = appendUniq(c.comms[w[2]], w[4:]...)
		}
	case "policy-statement":
		if len(w) < 4 {
			return
		}
		p := c.policies[w[2]]
		if p == nil {
			p = &policyCfg{}
			c.policies[w[2]] = p
		}
		r := w[3:]
		tname := ""
		if r[0] == "term" && len(r) > 2 {
			tname = r[1]
			r = r[2:]
		}
		var t *termCfg
		for _, x := range p.terms {
			if x.name == tname {
				t = x
			}
		}
		if t == nil {
			t = &termCfg{name: tname}
			p.terms = append(p.terms, t)
		}
		switch {
		case at(r, 0, "from") && at(r, 1, "community"):
			t.from = append(t.from, r[2:]...)
		case at(r, 0, "then") && at(r, 1, "community") && (at(r, 2, "add") || at(r, 2, "set")) && len(r) > 3:
			t.add = append(t.add, r[3:]...)
		case at(r, 0, "then") && at(r, 1, "accept"):
			t.accept = true
		case at(r, 0, "then") && at(r, 1, "reject"):
			t.reject = true
		}
	}
}

func (c *devCfg) igpIf(m map[string]*igpIf, name string) *igpIf {
	i := m[name]
	if i == nil {
		i = &igpIf{}
		m[name] = i
	}
	return i
}

// ---- small helpers ----

func unitName(s string) string {
	if s == "all" || strings.IndexByte(s, '.') >= 0 {
		return s
	}
	return s + ".0"
}

func portOf(ifl string) string {
	if i := strings.IndexByte(ifl, '.'); i >= 0 {
		return ifl[:i]
	}
	return ifl
}

func at(w []string, i int, s string) bool { return i < len(w) && w[i] == s }

func word(w []string, i int) string {
	if i < len(w) {
		return w[i]
	}
	return ""
}

func parseU32(s string) uint32 {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(v)
}

// parseBW reads a Junos bandwidth ("100m", "1g", "10000000").
func parseBW(s string) (netid.Bitrate, error) {
	return netid.ParseBitrate(strings.ToUpper(s))
}

// addStatic folds one statement below "static route" (w[0] is the
// prefix) into rs: a route's statements arrive one by one, so they are
// merged by prefix.
func addStatic(rs []staticRoute, w []string) []staticRoute {
	p, err := netip.ParsePrefix(word(w, 0))
	if err != nil {
		return rs
	}
	i := -1
	for k := range rs {
		if rs[k].prefix == p {
			i = k
		}
	}
	if i < 0 {
		rs = append(rs, staticRoute{prefix: p})
		i = len(rs) - 1
	}
	r := &rs[i]
	switch word(w, 1) {
	case "next-hop":
		if a, err := netip.ParseAddr(word(w, 2)); err == nil {
			r.nhs = appendUniqAddr(r.nhs, a)
		}
	case "qualified-next-hop":
		a, err := netip.ParseAddr(word(w, 2))
		if err != nil {
			break
		}
		k := slices.IndexFunc(r.qual, func(q staticHop) bool { return q.addr == a })
		if k < 0 {
			r.qual = append(r.qual, staticHop{addr: a})
			k = len(r.qual) - 1
		}
		if at(w, 3, "preference") {
			r.qual[k].pref = int(parseU32(word(w, 4)))
		}
	case "preference":
		r.pref = int(parseU32(word(w, 2)))
	}
	return rs
}

func appendUniq(s []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, x := range s {
			if x == v {
				found = true
				break
			}
		}
		if !found {
			s = append(s, v)
		}
	}
	return s
}

func appendUniqAddr(s []netip.Addr, v netip.Addr) []netip.Addr {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func appendUniqPrefix(s []netip.Prefix, v netip.Prefix) []netip.Prefix {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
