package netstate

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

type pwKey struct {
	dev  int32
	nbr  netip.Addr
	vcid uint32
}

// cccCapable reports whether u can carry an l2circuit (the rule Junos
// checks at commit: vlan-ccc/ethernet-ccc unit, family ccc, or a CCC
// encapsulation on the physical interface).
func (c *devCfg) cccCapable(u *unitCfg) bool {
	switch u.encap {
	case "vlan-ccc", "ethernet-ccc", "vlan-vpls", "ethernet-vpls":
		return u.encap == "vlan-ccc" || u.encap == "ethernet-ccc"
	}
	if u.ccc {
		return true
	}
	switch c.portEncap[u.port] {
	case "ethernet-ccc", "extended-vlan-ccc":
		return true
	}
	return false
}

// pwEncap is the pseudowire type a circuit signals: the configured
// encapsulation-type, else "ethernet" on a port-mode (ethernet-ccc)
// interface and "ethernet-vlan" otherwise.
func (c *devCfg) pwEncap(p *l2cktCfg) string {
	if p.encapType != "" {
		return p.encapType
	}
	if u := c.units[p.ifl]; u != nil && (u.encap == "ethernet-ccc" || c.portEncap[u.port] == "ethernet-ccc") {
		return "ethernet"
	}
	return "ethernet-vlan"
}

func pwMTU(p *l2cktCfg) int {
	if p.mtu > 0 {
		return p.mtu
	}
	return 1500
}

// vplsNbrLabel returns the label instance in of device d allocated for
// the LDP VPLS neighbour a, and whether a is one of its neighbours with
// VPLS id vcid (the instance's, or a mesh group's).
func vplsNbrLabel(in *instCfg, a netip.Addr, vcid uint32) (uint32, string, bool) {
	k := in.labelBase
	for _, n := range in.neighbors {
		if n == a && in.vplsID == vcid {
			return k, "", true
		}
		k++
	}
	for _, mn := range in.meshOrder {
		m := in.mesh[mn]
		id := m.vplsID
		if id == 0 {
			id = in.vplsID
		}
		for _, n := range m.neighbors {
			if n == a && id == vcid {
				return k, mn, true
			}
			k++
		}
	}
	return 0, "", false
}

func (s *State) computeL2Circuits() {
	idx := map[pwKey]*l2cktCfg{}
	byPair := map[directKey][]*l2cktCfg{}
	for _, d := range s.devs {
		for _, p := range d.cfg.l2ckts {
			idx[pwKey{int32(d.idx), p.neighbor, p.vcid}] = p
			byPair[directKey{int32(d.idx), p.neighbor}] = append(byPair[directKey{int32(d.idx), p.neighbor}], p)
		}
	}
	for _, d := range s.devs {
		primary := map[*l2cktCfg]string{}
		for _, p := range d.cfg.l2ckts {
			if p.primary != nil {
				continue
			}
			st := s.pseudowire(d, p, idx, byPair)
			primary[p] = st.Status
			d.pws = append(d.pws, st)
		}
		for _, p := range d.cfg.l2ckts {
			if p.primary == nil {
				continue
			}
			q := *p.primary
			q.neighbor, q.label, q.vcid, q.primary, q.standby = p.neighbor, p.label, p.vcid, p.primary, p.standby
			if q.vcid == 0 {
				q.vcid = p.primary.vcid
			}
			st := s.pseudowire(d, &q, idx, byPair)
			if primary[p.primary] == "Up" {
				switch {
				case !p.standby:
					st.Status, st.Reason, st.OutLabel, st.ref = "BK", "backup neighbor, primary is up", 0, pathRef{}
				case st.Status == "Up":
					st.Status, st.Reason = "ST", "hot-standby backup of the active primary"
				}
			}
			d.pws = append(d.pws, st)
		}
		slices.SortStableFunc(d.pws, func(a, b PW) int {
			return cmp.Or(a.Neighbor.Compare(b.Neighbor), strings.Compare(a.Interface, b.Interface))
		})
	}
}

func (s *State) pseudowire(d *devState, p *l2cktCfg, idx map[pwKey]*l2cktCfg, byPair map[directKey][]*l2cktCfg) PW {
	st := PW{Neighbor: p.neighbor, Interface: p.ifl, VCID: p.vcid, InLabel: p.label, MTU: pwMTU(p), Encap: d.cfg.pwEncap(p)}
	fail := func(code, format string, a ...any) PW {
		st.Status, st.Reason = code, fmt.Sprintf(format, a...)
		return st
	}
	u := d.cfg.units[p.ifl]
	st.LocalUp = u != nil && s.unitUp(d, p.ifl)
	switch {
	case !d.in.Up:
		return fail("Dn", "device down")
	case u == nil || !s.portExists(d, u.port):
		return fail("NP", "interface %s not present", p.ifl)
	case !d.cfg.cccCapable(u):
		return fail("NC", "interface %s encapsulation is not CCC", p.ifl)
	case st.Encap != "ethernet" && st.Encap != "ethernet-vlan":
		return fail("EI", "encapsulation-type %s is not valid on Ethernet interface %s", st.Encap, p.ifl)
	case !st.LocalUp:
		return fail("LD", "local interface %s down", p.ifl)
	}
	ro, ok := s.ownerOf(p.neighbor)
	if !ok {
		return fail("OL", "no device owns neighbor %s", p.neighbor)
	}
	r := s.devs[ro]
	st.Remote = r.in.Name
	if !s.ldpSession(d.idx, ro) {
		return fail("OL", "no LDP session with %s", p.neighbor)
	}
	me := d.cfg.loopback
	rp := idx[pwKey{int32(ro), me, p.vcid}]
	if rp == nil {
		// a hub's VPLS mesh group terminating this spoke
		for _, name := range r.cfg.instOrder {
			in := r.cfg.insts[name]
			if in.typ != "vpls" {
				continue
			}
			if lbl, _, ok := vplsNbrLabel(in, me, p.vcid); ok {
				if ref, ok := s.hasTransport(d.idx, p.neighbor); ok {
					st.Status, st.OutLabel, st.ref = "Up", lbl, ref
					return st
				}
				return fail("VC-Dn", "no LSP to %s", p.neighbor)
			}
		}
		if others := byPair[directKey{int32(ro), me}]; len(others) > 0 {
			ids := make([]string, len(others))
			for i, o := range others {
				ids[i] = fmt.Sprint(o.vcid)
			}
			return fail("OL", "remote VC ID %s differs from %d", strings.Join(ids, ","), p.vcid)
		}
		return fail("OL", "%s has no l2circuit to %s with VC ID %d", r.in.Name, me, p.vcid)
	}
	ru := r.cfg.units[rp.ifl]
	switch {
	case ru == nil || !s.portExists(r, ru.port) || !r.cfg.cccCapable(ru):
		return fail("OL", "remote interface %s on %s cannot carry the circuit", rp.ifl, r.in.Name)
	case d.cfg.pwEncap(p) != r.cfg.pwEncap(rp) && !p.ignEncap && !rp.ignEncap:
		return fail("EM", "encapsulation mismatch local %s remote %s", d.cfg.pwEncap(p), r.cfg.pwEncap(rp))
	case pwMTU(p) != pwMTU(rp) && !p.ignMTU && !rp.ignMTU:
		return fail("MM", "MTU mismatch local %d remote %d", pwMTU(p), pwMTU(rp))
	case p.noCW != rp.noCW:
		return fail("CM", "control word mismatch local %s remote %s", cwWord(p.noCW), cwWord(rp.noCW))
	case !s.unitUp(r, rp.ifl):
		if p.statusTLV && rp.statusTLV {
			return fail("RD", "remote interface %s on %s down", rp.ifl, r.in.Name)
		}
		return fail("OL", "remote interface %s on %s down (label withdrawn)", rp.ifl, r.in.Name)
	}
	ref, ok := s.hasTransport(d.idx, p.neighbor)
	if !ok {
		return fail("VC-Dn", "no LSP to %s", p.neighbor)
	}
	st.Status, st.OutLabel, st.ref = "Up", rp.label, ref
	return st
}

func cwWord(no bool) string {
	if no {
		return "no-control-word"
	}
	return "control-word"
}

// ---- VPLS and l2vpn ----

type siteRef struct {
	dev  int
	in   *instCfg
	site *siteCfg
}

func (s *State) siteUp(dev int, st *siteCfg) bool {
	d := s.devs[dev]
	if !d.in.Up {
		return false
	}
	for _, ifl := range st.ifls {
		if s.unitUp(d, ifl) {
			return true
		}
	}
	return false
}

func (in *instCfg) ldpSignalled() bool {
	return in.vplsID != 0 || len(in.neighbors) > 0 || len(in.mesh) > 0
}

func (s *State) computeVPLS() {
	byRT := map[string][]siteRef{}
	for _, d := range s.devs {
		for _, name := range d.cfg.instOrder {
			in := d.cfg.insts[name]
			if (in.typ != "vpls" && in.typ != "l2vpn") || (in.typ == "vpls" && in.ldpSignalled()) {
				continue
			}
			exp, _, _ := in.rts(d.cfg)
			for _, sn := range in.siteOrder {
				for _, rt := range exp {
					byRT[in.typ+" "+rt] = append(byRT[in.typ+" "+rt], siteRef{d.idx, in, in.sites[sn]})
				}
			}
		}
	}
	for _, d := range s.devs {
		for _, name := range d.cfg.instOrder {
			in := d.cfg.insts[name]
			switch {
			case in.typ == "vpls" && in.ldpSignalled():
				d.vpls[name] = s.ldpVPLS(d, in)
			case in.typ == "vpls" || in.typ == "l2vpn":
				d.vpls[name] = s.bgpVPN(d, in, byRT)
			case in.typ == "evpn" || in.typ == "evpn-vpws" || in.typ == "virtual-switch":
				d.vpls[name] = VPLSInstance{Name: name, Type: in.typ, Signalling: NotComputed}
			}
		}
	}
}

// elect returns the designated site among sites with the same id: up
// sites first, then the highest site-preference, then the lowest loopback.
func (s *State) elect(sites []siteRef) siteRef {
	best := sites[0]
	bu := s.siteUp(best.dev, best.site)
	for _, c := range sites[1:] {
		cu := s.siteUp(c.dev, c.site)
		switch {
		case cu != bu:
			if cu {
				best, bu = c, cu
			}
		case c.site.pref != best.site.pref:
			if c.site.pref > best.site.pref {
				best = c
			}
		case s.devs[c.dev].cfg.loopback.Less(s.devs[best.dev].cfg.loopback):
			best = c
		}
	}
	return best
}

func (s *State) bgpVPN(d *devState, in *instCfg, byRT map[string][]siteRef) VPLSInstance {
	out := VPLSInstance{Name: in.name, Type: in.typ, Signalling: "bgp"}
	_, imp, _ := in.rts(d.cfg)
	// every site visible through the import targets, plus our own
	seen := map[*siteCfg]bool{}
	byID := map[uint32][]siteRef{}
	for _, sn := range in.siteOrder {
		st := in.sites[sn]
		seen[st] = true
		byID[st.id] = append(byID[st.id], siteRef{d.idx, in, st})
	}
	for _, rt := range imp {
		for _, c := range byRT[in.typ+" "+rt] {
			if !seen[c.site] && c.dev != d.idx {
				seen[c.site] = true
				byID[c.site.id] = append(byID[c.site.id], c)
			}
		}
	}
	ids := make([]uint32, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	fam := "l2vpn-signaling"
	for _, sn := range in.siteOrder {
		st := in.sites[sn]
		site := Site{Name: st.name, ID: st.id, Preference: st.pref, Interfaces: slices.Clone(st.ifls), State: "active"}
		local := s.siteUp(d.idx, st)
		designated := s.elect(byID[st.id])
		switch {
		case !local:
			site.State = "down"
		case designated.site != st:
			site.State = "standby"
		}
		out.Sites = append(out.Sites, site)
		if in.typ == "l2vpn" {
			out.Connections = append(out.Connections, s.l2vpnConns(d, in, st, byID)...)
			continue
		}
		for _, id := range ids {
			if id == st.id {
				continue
			}
			win := s.elect(byID[id])
			for _, c := range byID[id] {
				if c.dev == d.idx {
					continue
				}
				r := s.devs[c.dev]
				conn := VPLSConn{Neighbor: r.cfg.loopback, RemoteSite: id, LocalSite: st.id, Status: "Up"}
				if id < in.labelBlock {
					conn.InLabel = in.labelBase + id
				}
				if st.id < c.in.labelBlock {
					conn.OutLabel = c.in.labelBase + st.id
				}
				conn.Status, conn.Reason = s.bgpConnStatus(d, site.State, c, win, fam, in.siteRange)
				if conn.Status != "Up" {
					conn.InLabel, conn.OutLabel = 0, 0
				}
				out.Connections = append(out.Connections, conn)
			}
		}
	}
	return out
}

func (s *State) bgpConnStatus(d *devState, localState string, c, win siteRef, fam string, siteRange int) (string, string) {
	r := s.devs[c.dev]
	switch {
	case localState == "down":
		return "LD", "no local interface up"
	case localState == "standby":
		return "LN", "local site not designated (multihoming standby)"
	case siteRange > 0 && int(c.site.id) > siteRange:
		return "OR", fmt.Sprintf("remote site %d out of site-range %d", c.site.id, siteRange)
	case !s.bgpFlows(fam, c.dev, d.idx):
		return "OL", fmt.Sprintf("no BGP l2vpn route from %s", r.in.Name)
	case win.site != c.site:
		return "RN", fmt.Sprintf("remote site %d on %s not designated", c.site.id, r.in.Name)
	case !s.siteUp(c.dev, c.site):
		return "RD", fmt.Sprintf("remote site %d on %s down", c.site.id, r.in.Name)
	}
	if _, ok := s.hasTransport(d.idx, r.cfg.loopback); !ok {
		return "OL", fmt.Sprintf("no LSP to %s", r.cfg.loopback)
	}
	return "Up", ""
}

func (s *State) l2vpnConns(d *devState, in *instCfg, st *siteCfg, byID map[uint32][]siteRef) []VPLSConn {
	var out []VPLSConn
	for _, ifl := range st.ifls {
		rid, ok := st.remote[ifl]
		if !ok {
			continue
		}
		conn := VPLSConn{RemoteSite: rid, LocalSite: st.id, Interface: ifl, Status: "Up"}
		var cands []siteRef
		for _, c := range byID[rid] {
			if c.dev != d.idx {
				cands = append(cands, c)
			}
		}
		set := func(code, f string, a ...any) {
			conn.Status, conn.Reason = code, fmt.Sprintf(f, a...)
		}
		switch {
		case !s.unitUp(d, ifl):
			set("LD", "local interface %s down", ifl)
		case len(cands) == 0:
			set("OL", "no remote site %d", rid)
		default:
			win := s.elect(cands)
			r := s.devs[win.dev]
			conn.Neighbor = r.cfg.loopback
			rifl := ""
			for _, x := range win.site.ifls {
				if id, ok := win.site.remote[x]; ok && id == st.id {
					rifl = x
				}
			}
			rEnc, lEnc := win.in.encapType, in.encapType
			switch {
			case !s.bgpFlows("l2vpn-signaling", win.dev, d.idx):
				set("OL", "no BGP l2vpn route from %s", r.in.Name)
			case rifl == "":
				set("OL", "remote site %d has no interface to site %d", rid, st.id)
			case rEnc != lEnc:
				set("EM", "encapsulation mismatch local %s remote %s", lEnc, rEnc)
			case in.mtu != win.in.mtu:
				set("MM", "MTU mismatch local %d remote %d", in.mtu, win.in.mtu)
			case !s.unitUp(r, rifl):
				set("RD", "remote interface %s on %s down", rifl, r.in.Name)
			default:
				if _, ok := s.hasTransport(d.idx, r.cfg.loopback); !ok {
					set("OL", "no LSP to %s", r.cfg.loopback)
				} else if rid < in.labelBlock && st.id < win.in.labelBlock {
					conn.InLabel = in.labelBase + rid
					conn.OutLabel = win.in.labelBase + st.id
				}
			}
		}
		out = append(out, conn)
	}
	return out
}

func (s *State) ldpVPLS(d *devState, in *instCfg) VPLSInstance {
	out := VPLSInstance{Name: in.name, Type: "vpls", Signalling: "ldp", VPLSID: in.vplsID}
	localUp := false
	for _, ifl := range in.ifls {
		if s.unitUp(d, ifl) {
			localUp = true
		}
	}
	if len(in.ifls) == 0 {
		localUp = d.in.Up
	}
	me := d.cfg.loopback
	add := func(a netip.Addr, mesh string, vcid uint32) {
		lbl, _, _ := vplsNbrLabel(in, a, vcid)
		conn := VPLSConn{Neighbor: a, MeshGroup: mesh, InLabel: lbl, Status: "Up"}
		set := func(code, f string, x ...any) {
			conn.Status, conn.Reason, conn.InLabel = code, fmt.Sprintf(f, x...), 0
		}
		ro, ok := s.ownerOf(a)
		switch {
		case !d.in.Up:
			set("Dn", "device down")
		case !localUp:
			set("LD", "no local interface up")
		case !ok:
			set("OL", "no device owns neighbor %s", a)
		case !s.ldpSession(d.idx, ro):
			set("OL", "no LDP session with %s", a)
		default:
			r := s.devs[ro]
			ol := uint32(0)
			found := false
			for _, name := range r.cfg.instOrder {
				rin := r.cfg.insts[name]
				if rin.typ == "vpls" {
					if l, _, ok := vplsNbrLabel(rin, me, vcid); ok {
						ol, found = l, true
						break
					}
				}
			}
			if !found {
				for _, p := range r.cfg.l2ckts {
					if p.neighbor == me && p.vcid == vcid {
						if !s.unitUp(r, p.ifl) {
							set("OL", "spoke interface %s on %s down", p.ifl, r.in.Name)
							out.Connections = append(out.Connections, conn)
							return
						}
						ol, found = p.label, true
					}
				}
			}
			switch {
			case !found:
				set("OL", "%s has no VPLS neighbor %s with vpls-id %d", r.in.Name, me, vcid)
			default:
				if _, ok := s.hasTransport(d.idx, a); !ok {
					set("VC-Dn", "no LSP to %s", a)
				} else {
					conn.OutLabel = ol
				}
			}
		}
		out.Connections = append(out.Connections, conn)
	}
	for _, a := range in.neighbors {
		add(a, "", in.vplsID)
	}
	for _, mn := range in.meshOrder {
		m := in.mesh[mn]
		id := m.vplsID
		if id == 0 {
			id = in.vplsID
		}
		for _, a := range m.neighbors {
			add(a, mn, id)
		}
	}
	return out
}
