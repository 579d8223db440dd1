package sim

import (
	"strconv"

	"github.com/carrierkit/carrierkit/sim/netstate"
)

// netOpState is the opState a Network installs in each of its devices: it
// answers from the latest computed netstate snapshot. name is the device's
// node name in the topology (the name netstate knows it by).
type netOpState struct {
	nw   *Network
	name string
}

func (s *netOpState) net(*Device) (*netstate.State, string) { return s.nw.State(), s.name }

func (s *netOpState) linkUp(_ *Device, ifname string) bool {
	return s.nw.State().LinkUp(s.name, ifname)
}

func labelText(l uint32) string {
	if l == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(l), 10)
}

func (s *netOpState) pseudowire(_ *Device, neighbor, ifname, vcid string) pwState {
	vc, _ := strconv.ParseUint(vcid, 10, 32)
	pw := s.nw.State().Pseudowire(s.name, neighbor, ifname, uint32(vc))
	st := pw.Status
	if st == "" {
		st = "OL"
	}
	ev := s.nw.pwEventOf(s.name, neighbor, ifname)
	return pwState{Status: st, InLabel: labelText(pw.InLabel), OutLabel: labelText(pw.OutLabel), LastChange: ev.last, UpTransitions: ev.ups}
}

func (s *netOpState) lsp(_ *Device, name, _ string) lspState {
	l := s.nw.State().LSP(s.name, name)
	out := ""
	if l.Up {
		out = strconv.FormatUint(uint64(l.LabelOut), 10)
	}
	return lspState{Up: l.Up, ActivePath: l.ActivePath, LabelOut: out}
}

func (s *netOpState) remoteMEP(_ *Device, md, ma, mep, rmep string) string {
	m, _ := strconv.Atoi(mep)
	r, _ := strconv.Atoi(rmep)
	return s.nw.State().RemoteMEP(s.name, md, ma, m, r).State
}

func (s *netOpState) timing(*Device) timingState {
	st := s.nw.State()
	p, se := st.PTP(s.name), st.SyncE(s.name)
	ts := timingState{PTPLock: p.Lock, PTPMaster: p.Master, SyncClock: se.State, SyncSrc: se.Source}
	if ts.PTPLock == "" {
		ts.PTPLock = "FREERUN"
	}
	if ts.SyncClock == "" {
		ts.SyncClock = "free-run"
	}
	return ts
}

// statsMap returns the netstate counters by name, for the admin API.
func statsMap(st *netstate.State) map[string]int {
	if st == nil {
		return nil
	}
	c := st.Stats()
	return map[string]int{
		"devices": c.Devices, "links": c.Links, "links_up": c.LinksUp, "adjacencies": c.Adjacencies,
		"ldp_sessions_up": c.LDPSessionsUp, "bgp_sessions": c.BGPSessions, "bgp_established": c.BGPEstablished,
		"lsps_up": c.LSPsUp, "lsps_down": c.LSPsDown, "pws_up": c.PWsUp, "pws_down": c.PWsDown,
		"vpls_conns_up": c.VPLSConnsUp, "vpls_conns_down": c.VPLSConnsDown, "vrf_routes": c.VRFRoutes,
	}
}
