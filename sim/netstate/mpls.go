package netstate

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

type lspJob struct {
	dev int
	cfg *lspCfg
}

// computeRSVP signals every ingress RSVP LSP in a deterministic order
// (device input order, then LSP name), admitting each one's bandwidth on
// every link it crosses, then resolves static LSPs.
func (s *State) computeRSVP(in Input) {
	s.rsvpTo = make([]map[netip.Addr]string, len(s.devs))
	avail := make([]int64, len(s.edges))
	for i, e := range s.edges {
		avail[i] = e.bw
	}
	var jobs []lspJob
	for _, d := range s.devs {
		s.rsvpTo[d.idx] = map[netip.Addr]string{}
		for _, l := range d.cfg.lsps {
			jobs = append(jobs, lspJob{d.idx, l})
		}
	}
	slices.SortStableFunc(jobs, func(a, b lspJob) int {
		return cmp.Or(cmp.Compare(a.dev, b.dev), strings.Compare(a.cfg.name, b.cfg.name))
	})
	s.nLSPAll = len(jobs)
	for gi, j := range jobs {
		d := s.devs[j.dev]
		l := j.cfg
		st := LSP{Name: l.name, Kind: "rsvp", P2MP: l.p2mp, From: d.cfg.loopback, To: l.to, Bandwidth: l.bw}
		if l.from.IsValid() {
			st.From = l.from
		}
		if l.p2mp != "" {
			st.Kind = "p2mp"
		}
		var es []int32
		switch {
		case !d.in.Up:
			st.Reason = "device down"
		case !l.to.IsValid():
			st.Reason = "no destination"
		default:
			type cand struct{ label, path string }
			var cands []cand
			if l.primary != "" {
				cands = append(cands, cand{"primary " + l.primary, l.primary})
			}
			for _, sec := range l.secondary {
				cands = append(cands, cand{"secondary " + sec, sec})
			}
			if len(cands) == 0 {
				cands = append(cands, cand{"", ""})
			}
			reasons := []string{}
			for _, c := range cands {
				hops, known := d.cfg.paths[c.path]
				if c.path != "" && !known {
					reasons = append(reasons, fmt.Sprintf("%s: path %q not configured", c.label, c.path))
					continue
				}
				var p []int32
				var why string
				if l.noCSPF && len(hops) == 0 {
					p, why = s.igpRSVP(j.dev, l.to, int64(l.bw), avail)
				} else {
					p, why = s.cspf(j.dev, hops, l.to, int64(l.bw), avail)
				}
				if p == nil && why != "" {
					if c.label != "" {
						why = c.label + ": " + why
					}
					reasons = append(reasons, why)
					continue
				}
				es, st.ActivePath, st.Up = p, c.label, true
				break
			}
			if !st.Up {
				st.Reason = strings.Join(reasons, "; ")
			}
		}
		if st.Up {
			for _, ei := range es {
				if avail[ei] >= 0 {
					avail[ei] -= int64(l.bw)
				}
			}
			st.Path = s.edgesPath(es)
			st.LabelOut = 3
			if len(es) > 1 {
				st.LabelOut = s.devs[s.edges[es[0]].to].rsvpBase + uint32(gi)
			}
			for k, ei := range es {
				v := s.devs[s.edges[ei].to]
				if k == len(es)-1 {
					v.egress++
				} else {
					v.transit++
				}
			}
			if _, dup := s.rsvpTo[j.dev][l.to]; !dup && l.p2mp == "" {
				s.rsvpTo[j.dev][l.to] = l.name
			}
		}
		d.lsps = append(d.lsps, st)
	}
	for _, d := range s.devs {
		for _, sl := range d.cfg.statics {
			if !sl.ingress {
				continue
			}
			st := LSP{Name: sl.name, Kind: "static", From: d.cfg.loopback, To: sl.to, LabelOut: sl.push}
			ifl := s.subnetIfl(d, sl.nh)
			switch {
			case ifl == "":
				st.Reason = fmt.Sprintf("next hop %s not on a connected subnet", sl.nh)
			case !s.unitUp(d, ifl):
				st.Reason = fmt.Sprintf("next-hop interface %s down", ifl)
			default:
				st.Up = true
				st.Path.Hops = []Hop{{OutInterface: ifl, Addr: sl.nh}}
				if o, ok := s.owner[sl.nh]; ok {
					st.Path = Path{}
					if p, ok := s.pathTo(d.idx, sl.nh); ok {
						st.Path = p
					}
					st.Path.Hops = []Hop{{Device: s.devs[o.dev].in.Name, OutInterface: ifl, InInterface: o.ifl, Addr: sl.nh}}
				}
			}
			d.lsps = append(d.lsps, st)
		}
		slices.SortStableFunc(d.lsps, func(a, b LSP) int { return strings.Compare(a.Name, b.Name) })
	}
}

// subnetIfl returns d's logical interface whose subnet holds a: the most
// specific, the first by name among equals.
func (s *State) subnetIfl(d *devState, a netip.Addr) string {
	for _, n := range d.cfg.subnets {
		if n.net.Contains(a) {
			return n.ifl
		}
	}
	return ""
}

// cspf finds a path from src through hops (strict or loose) to the address
// to over RSVP links with at least bw bit/s left. It returns nil and a
// reason when there is none.
func (s *State) cspf(src int, hops []pathHop, to netip.Addr, bw int64, avail []int64) ([]int32, string) {
	dstDev, ok := s.ownerOf(to)
	if !ok {
		return nil, fmt.Sprintf("no route to %s", to)
	}
	usable := func(ei int32) bool {
		e := &s.edges[ei]
		return e.rsvp && (avail[ei] < 0 || avail[ei] >= bw)
	}
	cur := src
	var out []int32
	for _, h := range append(slices.Clone(hops), pathHop{addr: to}) {
		target, ok := s.ownerOf(h.addr)
		if !ok {
			return nil, fmt.Sprintf("hop %s unknown", h.addr)
		}
		if target == cur {
			continue
		}
		if h.strict {
			found := int32(-1)
			for _, ei := range s.out[cur] {
				e := &s.edges[ei]
				if int(e.to) == target && usable(ei) && (e.inAddr == h.addr || s.devs[target].cfg.loopback == h.addr) {
					found = ei
					break
				}
			}
			if found < 0 {
				return nil, fmt.Sprintf("no RSVP link with enough bandwidth to strict hop %s", h.addr)
			}
			out = append(out, found)
			cur = target
			continue
		}
		seg := s.constrainedSPF(cur, target, usable)
		if seg == nil {
			if bw > 0 {
				return nil, fmt.Sprintf("no route toward %s with %d bps of RSVP bandwidth", h.addr, bw)
			}
			return nil, fmt.Sprintf("no RSVP route toward %s", h.addr)
		}
		out = append(out, seg...)
		cur = target
	}
	if cur != dstDev {
		return nil, fmt.Sprintf("no route to %s", to)
	}
	return out, ""
}

// constrainedSPF is Dijkstra from src to dst over the edges usable accepts.
func (s *State) constrainedSPF(src, dst int, usable func(int32) bool) []int32 {
	n := len(s.devs)
	dist := make([]int64, n)
	dly := make([]int64, n)
	pred := make([]int32, n)
	for i := range dist {
		dist[i], dly[i], pred[i] = inf, inf, -1
	}
	done := make([]bool, n)
	dist[src], dly[src] = 0, 0
	h := &spHeap{{0, 0, int32(src)}}
	for h.Len() > 0 {
		it := h.pop()
		v := it.node
		if done[v] {
			continue
		}
		done[v] = true
		if int(v) == dst {
			break
		}
		for _, ei := range s.out[v] {
			if !usable(ei) {
				continue
			}
			e := &s.edges[ei]
			m, d := dist[v]+e.metric, dly[v]+int64(e.delay)
			if m < dist[e.to] || (m == dist[e.to] && d < dly[e.to]) {
				dist[e.to], dly[e.to], pred[e.to] = m, d, ei
				h.push(spItem{m, d, e.to})
			}
		}
	}
	if dist[dst] == inf {
		return nil
	}
	var es []int32
	for v := dst; v != src; v = int(s.edges[pred[v]].from) {
		es = append(es, pred[v])
	}
	slices.Reverse(es)
	return es
}

// igpRSVP routes a no-cspf LSP: it follows the IGP shortest path, and
// every hop must run RSVP and have the bandwidth left.
func (s *State) igpRSVP(src int, to netip.Addr, bw int64, avail []int64) ([]int32, string) {
	dst, ok := s.ownerOf(to)
	if !ok {
		return nil, fmt.Sprintf("no route to %s", to)
	}
	es, ok := s.igpEdges(src, dst)
	if !ok || len(es) == 0 {
		return nil, fmt.Sprintf("no route to %s", to)
	}
	for _, ei := range es {
		e := &s.edges[ei]
		if !e.rsvp {
			return nil, fmt.Sprintf("RSVP not enabled on %s towards %s", e.outIfl, s.devs[e.to].in.Name)
		}
		if avail[ei] >= 0 && avail[ei] < bw {
			return nil, fmt.Sprintf("not enough bandwidth on %s", e.outIfl)
		}
	}
	return es, ""
}
