package netstate

import "net/netip"

type vrfState struct {
	local, imported []Route
}

func (s *State) computeRSVP(in Input) {
	s.rsvpTo = make([]map[netip.Addr]string, len(s.devs))
	for _, d := range s.devs {
		for _, l := range d.cfg.lsps {
			d.lsps = append(d.lsps, LSP{Name: l.name, To: l.to, Reason: NotComputed})
		}
	}
}
func (s *State) computeBGP()   {}
func (s *State) computeL3VPN() {}
func (s *State) computeL2Circuits() {
	for _, d := range s.devs {
		for _, p := range d.cfg.l2ckts {
			d.pws = append(d.pws, PW{Neighbor: p.neighbor, Interface: p.ifl, VCID: p.vcid, Status: NotComputed, Reason: NotComputed})
		}
	}
}
func (s *State) computeVPLS()                             {}
func (s *State) computeTiming(prev *State)                {}
func (s *State) routes(d *devState, table string) []Route { return nil }
func (s *State) remoteMEP(d *devState, md, ma string, mep, rmep int) MEPState {
	return MEPState{State: "failed", Reason: NotComputed}
}
func sortedMEPs(m map[string]*mepCfg) []*mepCfg { return nil }
