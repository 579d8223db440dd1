package netstate

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

func sortedMEPs(m map[string]*mepCfg) []*mepCfg {
	out := make([]*mepCfg, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *mepCfg) int {
		return cmp.Or(strings.Compare(a.md, b.md), strings.Compare(a.ma, b.ma), cmp.Compare(a.id, b.id))
	})
	return out
}

// macOf derives a stable locally administered MAC for an interface.
func macOf(dev, ifl string) string {
	h := fnv.New32a()
	h.Write([]byte(dev + "/" + ifl))
	v := h.Sum32()
	return fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

type l2node struct {
	dev int
	ifl string
}

// l2Neighbours returns where a frame leaving (dev, ifl) arrives at layer 2:
// across the physical link (the far end's unit of the same number or VLAN)
// and, when ifl is the attachment circuit of an up pseudowire or VPLS
// connection, at the far attachment circuits.
type l2edge struct {
	n    l2node
	p    Path
	link bool
}

func (s *State) l2Neighbours(n l2node, viaLink bool) []l2edge {
	var out []l2edge
	d := s.devs[n.dev]
	u := d.cfg.units[n.ifl]
	if u == nil || !s.unitUp(d, n.ifl) {
		return nil
	}
	if !viaLink {
		if li, ok := d.portLnk[u.port]; ok && s.linkOK[li] {
			peer, pport := s.peerEnd(li, n.dev)
			l := s.links[li]
			pifl := pport + "." + u.unit
			for _, pu := range s.devs[peer].cfg.portUnits[pport] {
				if unitKey(pu) == unitKey(u) {
					pifl = pu.name
				}
			}
			out = append(out, l2edge{l2node{peer, pifl}, Path{Hops: []Hop{{Device: s.devs[peer].in.Name, OutInterface: n.ifl, InInterface: pifl}},
				Delay: l.Delay, Jitter: l.Jitter, Loss: l.Loss}, true})
		}
	}
	for _, p := range d.pws {
		if p.Interface != n.ifl || p.Status != "Up" {
			continue
		}
		ro, _ := s.ownerOf(p.Neighbor)
		for _, rp := range s.devs[ro].cfg.l2ckts {
			if rp.neighbor == d.cfg.loopback && rp.vcid == p.VCID {
				out = append(out, l2edge{l2node{ro, rp.ifl}, s.refPath(p.ref), false})
			}
		}
	}
	for _, name := range d.cfg.instOrder {
		in := d.cfg.insts[name]
		if in.typ != "vpls" || !slices.Contains(in.ifls, n.ifl) {
			continue
		}
		// other local interfaces of the instance
		for _, x := range in.ifls {
			if x != n.ifl {
				out = append(out, l2edge{l2node{n.dev, x}, Path{}, false})
			}
		}
		for _, c := range d.vpls[name].Connections {
			if c.Status != "Up" {
				continue
			}
			ro, _ := s.ownerOf(c.Neighbor)
			path, _, _ := s.transport(n.dev, c.Neighbor)
			r := s.devs[ro]
			for _, rn := range r.cfg.instOrder {
				rin := r.cfg.insts[rn]
				if rin.typ != "vpls" {
					continue
				}
				for _, x := range rin.ifls {
					out = append(out, l2edge{l2node{ro, x}, path, false})
				}
			}
		}
	}
	return out
}

func addPath(a, b Path) Path {
	return Path{Hops: append(slices.Clone(a.Hops), b.Hops...), Delay: a.Delay + b.Delay, Jitter: a.Jitter + b.Jitter,
		Loss: 1 - (1-a.Loss)*(1-b.Loss)}
}

func (s *State) remoteMEP(d *devState, md, ma string, mep, rmep int) MEPState {
	var lm *mepCfg
	for _, m := range d.cfg.meps {
		if m.md == md && m.ma == ma && m.id == mep {
			lm = m
		}
	}
	if lm == nil {
		return MEPState{State: "failed", Reason: fmt.Sprintf("no local MEP %d in %s/%s", mep, md, ma)}
	}
	out := MEPState{State: "failed", Level: lm.level}
	if !d.in.Up {
		out.Reason = "device down"
		return out
	}
	var target []l2node
	for _, r := range s.devs {
		if r.idx == d.idx {
			continue
		}
		for _, m := range r.cfg.meps {
			if m.md == md && m.ma == ma && m.id == rmep && m.level == lm.level && slices.Contains(m.remotes, mep) {
				target = append(target, l2node{r.idx, m.ifl})
			}
		}
	}
	if len(target) == 0 {
		out.Reason = fmt.Sprintf("no MEP %d configured in %s level %d / %s on another device", rmep, md, lm.level, ma)
		return out
	}
	// breadth-first search over layer-2 hops, at most 4 deep
	type item struct {
		n       l2node
		path    Path
		viaLink bool
		depth   int
	}
	seen := map[l2node]bool{{d.idx, lm.ifl}: true}
	q := []item{{l2node{d.idx, lm.ifl}, Path{}, false, 0}}
	for len(q) > 0 {
		it := q[0]
		q = q[1:]
		if it.depth >= 4 {
			continue
		}
		for _, e := range s.l2Neighbours(it.n, it.viaLink) {
			nx := e.n
			if seen[nx] || !s.unitUp(s.devs[nx.dev], nx.ifl) {
				continue
			}
			seen[nx] = true
			p := addPath(it.path, e.p)
			if slices.Contains(target, nx) {
				out.State, out.Path = "ok", p
				out.RemoteMAC = macOf(s.devs[nx.dev].in.Name, nx.ifl)
				return out
			}
			q = append(q, item{nx, p, e.link, it.depth + 1})
		}
	}
	out.Reason = fmt.Sprintf("no layer-2 path to MEP %d", rmep)
	return out
}

// clockID derives an EUI-64 style PTP clock identity from a device name.
func clockID(name string) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	v := h.Sum64()
	b := []byte{byte(v >> 56), byte(v >> 48), byte(v >> 40), 0xff, 0xfe, byte(v >> 16), byte(v >> 8), byte(v)}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// farUnit returns the device and logical interface at the other end of the
// link of d's logical interface ifl, when the link is up.
func (s *State) farUnit(d *devState, ifl string) (int, string, bool) {
	u := d.cfg.units[ifl]
	port := portOf(ifl)
	li, ok := d.portLnk[port]
	if !ok || !s.linkOK[li] || (u != nil && u.disable) {
		return 0, "", false
	}
	peer, pport := s.peerEnd(li, d.idx)
	unit := ifl[len(port):]
	return peer, pport + unit, true
}

func (s *State) computeTiming(prev *State) {
	// PTP: breadth-first from every grandmaster over master→slave ports.
	type qi struct{ dev, hops int }
	var q []qi
	locked := make([]bool, len(s.devs))
	for _, d := range s.devs {
		c := d.cfg
		d.ptp = PTPState{Role: "none", Lock: "FREERUN", ClockClass: 248}
		switch {
		case len(c.ptpMaster) > 0 && len(c.ptpSlave) == 0:
			d.ptp.Role = "master"
		case len(c.ptpMaster) > 0:
			d.ptp.Role = "boundary"
		case len(c.ptpSlave) > 0:
			d.ptp.Role = "slave"
		}
		if d.ptp.Role == "master" && d.in.Up {
			d.ptp.Lock, d.ptp.ClockClass, d.ptp.GMID = "PHASE ALIGNED", 6, clockID(d.in.Name)
			locked[d.idx] = true
			q = append(q, qi{d.idx, 0})
		}
	}
	for len(q) > 0 {
		it := q[0]
		q = q[1:]
		m := s.devs[it.dev]
		for _, mifl := range m.cfg.ptpMaster {
			if !s.unitUp(m, mifl) {
				continue
			}
			peer, pifl, ok := s.farUnit(m, mifl)
			if !ok || locked[peer] {
				continue
			}
			y := s.devs[peer]
			if !slices.Contains(y.cfg.ptpSlave, pifl) || !s.unitUp(y, pifl) {
				continue
			}
			locked[peer] = true
			y.ptp.Lock, y.ptp.ClockClass = "PHASE ALIGNED", 6
			y.ptp.Master, y.ptp.SlavePort, y.ptp.Hops, y.ptp.GMID = m.in.Name, pifl, it.hops+1, m.ptp.GMID
			q = append(q, qi{peer, it.hops + 1})
		}
	}
	for _, d := range s.devs {
		if locked[d.idx] || d.ptp.Role == "none" || d.ptp.Role == "master" || prev == nil {
			continue
		}
		if p := prev.dev(d.in.Name); p != nil && (p.ptp.Lock == "PHASE ALIGNED" || p.ptp.Lock == "HOLDOVER") {
			d.ptp.Lock, d.ptp.ClockClass, d.ptp.GMID = "HOLDOVER", 7, p.ptp.GMID
		}
	}
	// SyncE: a device with synchronization but no interface source is a
	// reference; others lock to the best-priority source whose far end is
	// clocked, repeated until nothing changes.
	clocked := make([]bool, len(s.devs))
	for _, d := range s.devs {
		d.synce = SyncEState{Configured: d.cfg.syncConf, State: "free-run"}
		if d.cfg.syncConf && len(d.cfg.syncSrc) == 0 && d.in.Up {
			clocked[d.idx] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range s.devs {
			if clocked[d.idx] || !d.in.Up || len(d.cfg.syncSrc) == 0 {
				continue
			}
			srcs := slices.Clone(d.cfg.syncSrc)
			slices.SortStableFunc(srcs, func(a, b syncSource) int { return cmp.Compare(a.priority, b.priority) })
			for _, src := range srcs {
				li, ok := d.portLnk[src.port]
				if !ok || !s.linkOK[li] {
					continue
				}
				peer, _ := s.peerEnd(li, d.idx)
				if clocked[peer] && s.devs[peer].cfg.syncConf {
					clocked[d.idx], changed = true, true
					d.synce.State, d.synce.Source, d.synce.Upstream = "locked", src.port, s.devs[peer].in.Name
					break
				}
			}
		}
	}
	if prev != nil {
		for _, d := range s.devs {
			if d.synce.State == "free-run" && len(d.cfg.syncSrc) > 0 {
				if p := prev.dev(d.in.Name); p != nil && (p.synce.State == "locked" || p.synce.State == "holdover") {
					d.synce.State = "holdover"
				}
			}
		}
	}
}
