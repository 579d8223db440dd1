package netstate

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
)

var protoPref = map[string]int{"Direct": 0, "Local": 0, "Static": 5, "RSVP": 7, "LDP": 9, "OSPF": 10, "IS-IS": 18, "BGP": 170, "L2CKT": 7, "VPLS": 7}

func sortRoutes(rs []Route) {
	slices.SortStableFunc(rs, func(a, b Route) int {
		return cmp.Or(a.Prefix.Addr().Compare(b.Prefix.Addr()), cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits()),
			cmp.Compare(protoPref[a.Protocol], protoPref[b.Protocol]), strings.Compare(a.RD, b.RD))
	})
}

func (s *State) routes(d *devState, table string) []Route {
	var out []Route
	switch {
	case table == "inet.0":
		out = s.inet0(d)
	case table == "inet.3":
		for _, l := range d.lsps {
			if l.Up && l.Kind == "rsvp" {
				out = append(out, Route{Prefix: netip.PrefixFrom(l.To, 32), Protocol: "RSVP", LSP: l.Name, Label: l.LabelOut,
					NextHop: firstHopAddr(l.Path), Via: firstHopOut(l.Path), Metric: len(l.Path.Hops)})
			}
		}
		for v, dv := range s.devs {
			if s.hasLDPLSP(d.idx, v) {
				es, _ := s.igpEdges(d.idx, v)
				e := s.edges[es[0]]
				lbl := uint32(3)
				if len(es) > 1 {
					lbl = s.devs[e.to].ldpBase + uint32(v)
				}
				out = append(out, Route{Prefix: netip.PrefixFrom(dv.cfg.loopback, 32), Protocol: "LDP", NextHop: e.inAddr,
					Via: e.outIfl, Metric: int(s.spt[d.idx].dist[v]), Label: lbl})
			}
		}
	case table == "mpls.0":
		for _, p := range d.pws {
			if p.Status == "Up" {
				out = append(out, Route{Protocol: "L2CKT", Label: p.InLabel, Via: p.Interface, NextHop: p.Neighbor})
			}
		}
		for _, name := range d.cfg.instOrder {
			for _, c := range d.vpls[name].Connections {
				if c.Status == "Up" {
					out = append(out, Route{Protocol: "VPLS", Label: c.InLabel, Via: name, NextHop: c.Neighbor})
				}
			}
		}
		slices.SortStableFunc(out, func(a, b Route) int { return cmp.Compare(a.Label, b.Label) })
		return out
	case table == "bgp.l3vpn.0":
		for _, r := range s.devs {
			if r.idx == d.idx || !s.bgpFlows("inet-vpn-unicast", r.idx, d.idx) {
				continue
			}
			for _, name := range r.cfg.instOrder {
				if v := r.vrfs[name]; v != nil {
					for _, rt := range v.local {
						if rt.Protocol != "Local" {
							rt.Protocol, rt.NextHop, rt.Via = "BGP", r.cfg.loopback, ""
							out = append(out, rt)
						}
					}
				}
			}
		}
	case strings.HasSuffix(table, ".inet.0"):
		v := d.vrfs[strings.TrimSuffix(table, ".inet.0")]
		if v == nil {
			return nil
		}
		out = append(slices.Clone(v.local), v.imported...)
	default:
		return nil
	}
	sortRoutes(out)
	return out
}

func firstHopAddr(p Path) netip.Addr {
	if len(p.Hops) > 0 {
		return p.Hops[0].Addr
	}
	return netip.Addr{}
}

func firstHopOut(p Path) string {
	if len(p.Hops) > 0 {
		return p.Hops[0].OutInterface
	}
	return ""
}

func (s *State) inet0(d *devState) []Route {
	var out []Route
	have := map[netip.Prefix]bool{}
	inVRF := map[string]bool{}
	for _, in := range d.cfg.insts {
		for _, ifl := range in.ifls {
			inVRF[ifl] = true
		}
	}
	names := make([]string, 0, len(d.cfg.units))
	for n := range d.cfg.units {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if inVRF[n] || !s.unitUp(d, n) {
			continue
		}
		for _, p := range d.cfg.units[n].addrs {
			if !have[p.Masked()] {
				have[p.Masked()] = true
				out = append(out, Route{Prefix: p.Masked(), Protocol: "Direct", Via: n})
			}
			host := netip.PrefixFrom(p.Addr(), p.Addr().BitLen())
			if p.Bits() != p.Addr().BitLen() {
				out = append(out, Route{Prefix: host, Protocol: "Local", Via: n})
			}
			have[host] = true
		}
	}
	for i := range d.cfg.statRts {
		sr := &d.cfg.statRts[i]
		if h, ifl, ok := s.activeHop(d, sr, true); ok && !have[sr.prefix] {
			have[sr.prefix] = true
			out = append(out, Route{Prefix: sr.prefix, Protocol: "Static", NextHop: h.addr, Via: ifl, Preference: h.pref})
		}
	}
	type cand struct {
		r    Route
		dist int64
	}
	best := map[netip.Prefix]cand{}
	t := s.spt[d.idx]
	for v, dv := range s.devs {
		if v == d.idx || t.dist == nil || t.dist[v] == inf {
			continue
		}
		es, _ := s.igpEdges(d.idx, v)
		e := s.edges[es[0]]
		for a := range dv.adv {
			p := s.owner[a].prefix.Masked()
			if have[p] {
				continue
			}
			if c, ok := best[p]; ok && c.dist <= t.dist[v] {
				continue
			}
			best[p] = cand{Route{Prefix: p, Protocol: e.proto, NextHop: e.inAddr, Via: e.outIfl, Metric: int(t.dist[v])}, t.dist[v]}
		}
	}
	for _, c := range best {
		out = append(out, c.r)
	}
	return out
}
