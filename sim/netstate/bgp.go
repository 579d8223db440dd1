package netstate

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// bgpInfo is what later stages need from the BGP sessions.
type bgpInfo struct {
	// fam[family][dev] lists the devices dev has an established master
	// session with that negotiated family, sorted.
	fam map[string][][]int32
	// client[dev] holds the peers dev reflects to (its groups with cluster).
	client []map[int32]bool
	// flows[family][dev] is the bitset of devices whose routes of that
	// family reach dev (directly or through one route reflector).
	flows map[string][][]uint64
	// via[dev] maps a source device to the index in devs[dev].bgp of the
	// session its routes arrive on.
	via []map[int32]int
}

func (s *State) localAddrFor(d *devState, n *bgpNbr) netip.Addr {
	if n.localAddr.IsValid() {
		return n.localAddr
	}
	if ifl := s.subnetIfl(d, n.addr); ifl != "" {
		if u := d.cfg.units[ifl]; u != nil {
			for _, p := range u.addrs {
				if p.Masked().Contains(n.addr) {
					return p.Addr()
				}
			}
		}
	}
	if dst, ok := s.ownerOf(n.addr); ok {
		if es, ok := s.igpEdges(d.idx, dst); ok && len(es) > 0 {
			if u := d.cfg.units[s.edges[es[0]].outIfl]; u != nil {
				if a := firstV4(u.addrs); a.IsValid() {
					return a
				}
			}
		}
	}
	return d.cfg.loopback
}

func families(n *bgpNbr) []string {
	if len(n.families) == 0 {
		return []string{"inet-unicast"}
	}
	return n.families
}

func (s *State) computeBGP() {
	info := &bgpInfo{fam: map[string][][]int32{}, client: make([]map[int32]bool, len(s.devs)),
		flows: map[string][][]uint64{}, via: make([]map[int32]int, len(s.devs))}
	s.bgpInfo = info
	// index every neighbour statement by (device, neighbour address)
	type nref struct {
		d *devState
		n *bgpNbr
	}
	byAddr := map[directKey][]nref{}
	for _, d := range s.devs {
		info.client[d.idx] = map[int32]bool{}
		info.via[d.idx] = map[int32]int{}
		for _, n := range d.cfg.bgp {
			byAddr[directKey{int32(d.idx), n.addr}] = append(byAddr[directKey{int32(d.idx), n.addr}], nref{d, n})
		}
	}
	for _, d := range s.devs {
		for _, n := range d.cfg.bgp {
			p := BGPPeer{Peer: n.addr, Group: n.group, Instance: n.inst, Type: n.typ, LocalAS: d.cfg.as, PeerAS: n.peerAS}
			if p.Type == "" {
				p.Type = "external"
				if n.peerAS == 0 || n.peerAS == d.cfg.as {
					p.Type = "internal"
				}
			}
			if p.Type == "internal" {
				p.PeerAS = d.cfg.as
			}
			p.LocalAddress = s.localAddrFor(d, n)
			p.State, p.Reason = "Active", ""
			ro, known := s.ownerOf(n.addr)
			switch {
			case !d.in.Up:
				p.State, p.Reason = "Idle", "device down"
			case !known:
				p.Reason = fmt.Sprintf("no device owns %s", n.addr)
			case !s.devs[ro].in.Up:
				p.Reason = fmt.Sprintf("peer %s is down", s.devs[ro].in.Name)
			case !s.reach(d.idx, n.addr):
				p.Reason = fmt.Sprintf("no route to %s", n.addr)
			default:
				r := s.devs[ro]
				var rn *bgpNbr
				for _, x := range byAddr[directKey{int32(ro), p.LocalAddress}] {
					rn = x.n
					break
				}
				switch {
				case rn == nil:
					p.Reason = fmt.Sprintf("%s has no neighbor %s", r.in.Name, p.LocalAddress)
				case s.localAddrFor(r, rn) != n.addr:
					p.Reason = fmt.Sprintf("%s sources its session from %s, not %s", r.in.Name, s.localAddrFor(r, rn), n.addr)
				case !s.reach(ro, p.LocalAddress):
					p.Reason = fmt.Sprintf("%s has no route back to %s", r.in.Name, p.LocalAddress)
				case p.PeerAS != r.cfg.as:
					p.State, p.Reason = "Idle", fmt.Sprintf("peer AS %d configured, %s is AS %d", p.PeerAS, r.in.Name, r.cfg.as)
				case peerASOf(rn, r.cfg.as) != d.cfg.as:
					p.State, p.Reason = "Idle", fmt.Sprintf("%s expects AS %d, local AS is %d", r.in.Name, peerASOf(rn, r.cfg.as), d.cfg.as)
				default:
					p.State = "Established"
					rf := families(rn)
					for _, f := range families(n) {
						if slices.Contains(rf, f) {
							p.Families = append(p.Families, f)
						}
					}
					if n.inst == "" && rn.inst == "" {
						for _, f := range p.Families {
							if info.fam[f] == nil {
								info.fam[f] = make([][]int32, len(s.devs))
							}
							info.fam[f][d.idx] = append(info.fam[f][d.idx], int32(ro))
						}
						if n.cluster {
							info.client[d.idx][int32(ro)] = true
						}
					}
				}
			}
			d.bgp = append(d.bgp, p)
		}
		slices.SortStableFunc(d.bgp, func(a, b BGPPeer) int {
			return cmp.Or(strings.Compare(a.Instance, b.Instance), a.Peer.Compare(b.Peer))
		})
	}
	words := (len(s.devs) + 63) / 64
	for f, adj := range info.fam {
		fl := make([][]uint64, len(s.devs))
		for x := range s.devs {
			if len(adj[x]) == 0 {
				continue
			}
			b := make([]uint64, words)
			set := func(y int32) {
				if int(y) != x {
					b[y/64] |= 1 << (y % 64)
				}
			}
			for _, y := range adj[x] {
				set(y)
			}
			for _, r := range adj[x] {
				if len(info.client[r]) == 0 {
					continue // not a route reflector
				}
				xClient := info.client[r][int32(x)]
				for _, y := range adj[r] {
					if xClient || info.client[r][y] {
						set(y)
					}
				}
			}
			fl[x] = b
		}
		info.flows[f] = fl
	}
	// which session carries routes from each source (direct first)
	for _, d := range s.devs {
		for i, p := range d.bgp {
			if p.State != "Established" || p.Instance != "" {
				continue
			}
			if y, ok := s.ownerOf(p.Peer); ok {
				if _, dup := info.via[d.idx][int32(y)]; !dup {
					info.via[d.idx][int32(y)] = i
				}
			}
		}
	}
}

func peerASOf(n *bgpNbr, ownAS uint32) uint32 {
	if n.typ == "internal" || (n.typ == "" && (n.peerAS == 0 || n.peerAS == ownAS)) {
		return ownAS
	}
	return n.peerAS
}

// bgpFlows reports whether routes of family f from src reach dst.
func (s *State) bgpFlows(f string, src, dst int) bool {
	fl := s.bgpInfo.flows[f]
	if fl == nil || fl[dst] == nil {
		return false
	}
	return fl[dst][src/64]&(1<<(src%64)) != 0
}

// sessionVia returns the index in dst's BGP peers of the session that
// carries routes from src, or -1.
func (s *State) sessionVia(src, dst int) int {
	if i, ok := s.bgpInfo.via[dst][int32(src)]; ok {
		return i
	}
	// through a reflector: the first established session to a device that
	// has a session with src
	d := s.devs[dst]
	for i, p := range d.bgp {
		if p.State != "Established" || p.Instance != "" {
			continue
		}
		if r, ok := s.ownerOf(p.Peer); ok {
			if _, ok := s.bgpInfo.via[r][int32(src)]; ok {
				return i
			}
		}
	}
	return -1
}

// ---- L3VPN ----

type vrfState struct {
	name      string
	rd        string
	exportRT  []string
	importRT  []string
	acceptAll bool
	local     []Route
	imported  []Route
}

func (c *devCfg) policyRTs(names []string, export bool) (rts []string, all bool) {
	for _, pn := range names {
		p := c.policies[pn]
		if p == nil {
			continue
		}
		for _, t := range p.terms {
			if export {
				if t.accept || len(t.add) > 0 {
					for _, cn := range t.add {
						rts = appendUniq(rts, c.comms[cn]...)
					}
				}
				continue
			}
			if !t.accept {
				continue
			}
			if len(t.from) == 0 {
				all = true
			}
			for _, cn := range t.from {
				rts = appendUniq(rts, c.comms[cn]...)
			}
		}
	}
	return rts, all
}

func (in *instCfg) rts(c *devCfg) (exp, imp []string, all bool) {
	exp = appendUniq(appendUniq(nil, in.tgt...), in.exp...)
	imp = appendUniq(appendUniq(nil, in.tgt...), in.imp...)
	e, _ := c.policyRTs(in.vrfExport, true)
	i, a := c.policyRTs(in.vrfImport, false)
	return appendUniq(exp, e...), appendUniq(imp, i...), a
}

type vrfRef struct {
	dev int
	v   *vrfState
}

func (s *State) computeL3VPN() {
	byRT := map[string][]vrfRef{}
	var all []vrfRef
	for _, d := range s.devs {
		for _, name := range d.cfg.instOrder {
			in := d.cfg.insts[name]
			if in.typ != "vrf" {
				continue
			}
			v := &vrfState{name: name, rd: in.rd}
			v.exportRT, v.importRT, v.acceptAll = in.rts(d.cfg)
			if d.in.Up {
				for _, ifl := range in.ifls {
					u := d.cfg.units[ifl]
					if u == nil || !s.unitUp(d, ifl) {
						continue
					}
					for _, p := range u.addrs {
						v.local = append(v.local, Route{Prefix: p.Masked(), Protocol: "Direct", Via: ifl})
						v.local = append(v.local, Route{Prefix: netip.PrefixFrom(p.Addr(), p.Addr().BitLen()), Protocol: "Local", Via: ifl})
					}
				}
				for _, sr := range in.statics {
					via, nh := "", sr.primary()
					ok := !nh.IsValid()
					for _, ifl := range in.ifls {
						if u := d.cfg.units[ifl]; u != nil && s.unitUp(d, ifl) {
							for _, p := range u.addrs {
								if p.Masked().Contains(nh) {
									ok, via = true, ifl
								}
							}
						}
					}
					if ok {
						v.local = append(v.local, Route{Prefix: sr.prefix, Protocol: "Static", NextHop: nh, Via: via})
					}
				}
			}
			for i := range v.local {
				v.local[i].RD = v.rd
				v.local[i].Communities = v.exportRT
			}
			d.vrfs[name] = v
			for _, rt := range v.exportRT {
				byRT[rt] = append(byRT[rt], vrfRef{d.idx, v})
			}
			all = append(all, vrfRef{d.idx, v})
		}
	}
	for _, d := range s.devs {
		if !d.in.Up {
			continue
		}
		recv := map[int]int{}
		acc := map[int]int{}
		for _, name := range d.cfg.instOrder {
			v := d.vrfs[name]
			if v == nil {
				continue
			}
			var cands []vrfRef
			if v.acceptAll {
				cands = all
			} else {
				for _, rt := range v.importRT {
					cands = append(cands, byRT[rt]...)
				}
			}
			seen := map[*vrfState]bool{}
			for _, c := range cands {
				if seen[c.v] || c.v == v {
					continue
				}
				seen[c.v] = true
				if c.dev == d.idx {
					for _, r := range c.v.local {
						if r.Protocol != "Local" {
							v.imported = append(v.imported, r)
						}
					}
					continue
				}
				if !s.bgpFlows("inet-vpn-unicast", c.dev, d.idx) {
					continue
				}
				nh := s.devs[c.dev].cfg.loopback
				if _, ok := s.hasTransport(d.idx, nh); !ok {
					continue
				}
				for _, r := range c.v.local {
					if r.Protocol == "Local" {
						continue
					}
					r.Protocol, r.NextHop, r.Via = "BGP", nh, ""
					v.imported = append(v.imported, r)
					acc[c.dev]++
				}
			}
			slices.SortStableFunc(v.imported, func(a, b Route) int {
				return cmp.Or(a.Prefix.Addr().Compare(b.Prefix.Addr()), cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits()), strings.Compare(a.RD, b.RD))
			})
		}
		// received: every VPN route of every PE whose routes reach d
		for _, c := range all {
			if c.dev != d.idx && s.bgpFlows("inet-vpn-unicast", c.dev, d.idx) {
				recv[c.dev] += c.v.exported()
			}
		}
		for src, n := range recv {
			if i := s.sessionVia(src, d.idx); i >= 0 {
				d.bgp[i].Received += n
				d.bgp[i].Accepted += acc[src]
			}
		}
	}
}

func (v *vrfState) exported() int {
	n := 0
	for _, r := range v.local {
		if r.Protocol != "Local" {
			n++
		}
	}
	return n
}
