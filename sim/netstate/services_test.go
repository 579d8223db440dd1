package netstate

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/netid"
)

// rrP is the P router's BGP: a session with every PE, without `cluster`,
// so it does not reflect and the PEs of most tests peer in a full mesh
// (TestRouteReflection covers reflection).
const rrP = `protocols { bgp { group RR { type internal; local-address 192.0.2.2;
  family inet-vpn unicast; family l2vpn signaling; neighbor 192.0.2.1; neighbor 192.0.2.3; neighbor 192.0.2.4; } } }`

func ibgpToRR(n int) string {
	return fmt.Sprintf(`protocols { bgp { group IBGP { type internal; local-address 192.0.2.%d;
  family inet-vpn unicast; family l2vpn signaling; neighbor 192.0.2.2; } } }`, n)
}

// ibgpMesh peers PE n with the P router and the other PEs 1, 3 and 4.
func ibgpMesh(n int) string {
	var b strings.Builder
	for _, o := range []int{1, 2, 3, 4} {
		if o != n {
			fmt.Fprintf(&b, "neighbor 192.0.2.%d; ", o)
		}
	}
	return fmt.Sprintf(`protocols { bgp { group IBGP { type internal; local-address 192.0.2.%d;
  family inet-vpn unicast; family l2vpn signaling; %s } } }`, n, b.String())
}

const hubSpokePolicies = `policy-options {
    community HUB members target:65000:1;
    community SPOKE members target:65000:2;
    policy-statement SPOKE-EXPORT { term 1 { then { community add SPOKE; accept; } } }
    policy-statement SPOKE-IMPORT { term 1 { from community HUB; then accept; } term 2 { then reject; } }
    policy-statement HUB-EXPORT { term 1 { then { community add HUB; accept; } } }
    policy-statement HUB-IMPORT { term 1 { from community SPOKE; then accept; } term 2 { then reject; } }
}`

func vrf(n int, role string) string {
	return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; unit 10 { vlan-id 10; family inet { address 172.16.%d.1/24; } } } }
routing-instances { CUST { instance-type vrf; interface ge-0/0/1.10; route-distinguisher 192.0.2.%d:4;
  vrf-import %s-IMPORT; vrf-export %s-EXPORT; vrf-table-label; } }
%s`, n, n, role, role, hubSpokePolicies)
}

// fourPE is pe1, p (route reflector), pe2 and pe3 in a star around p.
func fourPE(t *testing.T) *lab {
	return newLab(t, "pe1", "p", "pe2", "pe3").
		link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).link("p", "pe3", time.Millisecond).
		ce("pe1").ce("pe2").ce("pe3").
		add("p", rrP).add("pe1", ibgpMesh(1)).add("pe2", ibgpMesh(3)).add("pe3", ibgpMesh(4))
}

func prefixes(rs []Route, proto string) []string {
	var out []string
	for _, r := range rs {
		if r.Protocol == proto {
			out = append(out, r.Prefix.String())
		}
	}
	return out
}

func TestL3VPNHubAndSpoke(t *testing.T) {
	l := fourPE(t).add("pe1", vrf(1, "HUB")).add("pe2", vrf(3, "SPOKE")).add("pe3", vrf(4, "SPOKE"))
	s := Compute(l.input())
	for _, dev := range []string{"pe1", "pe2", "pe3"} {
		peers := s.BGPPeers(dev)
		for _, p := range peers {
			if len(peers) != 3 || p.State != "Established" || !slices.Contains(p.Families, "inet-vpn-unicast") {
				t.Fatalf("%s BGP %+v", dev, peers)
			}
		}
	}
	hub := prefixes(s.Routes("pe1", "CUST.inet.0"), "BGP")
	if want := []string{"172.16.3.0/24", "172.16.4.0/24"}; !slices.Equal(hub, want) {
		t.Fatalf("hub learned %v, want %v", hub, want)
	}
	for _, sp := range []string{"pe2", "pe3"} {
		got := prefixes(s.Routes(sp, "CUST.inet.0"), "BGP")
		if want := []string{"172.16.1.0/24"}; !slices.Equal(got, want) {
			t.Fatalf("spoke %s learned %v, want only the hub %v", sp, got, want)
		}
	}
	if r := s.Routes("pe2", "CUST.inet.0"); r[0].RD == "" || r[0].NextHop.IsValid() && r[0].NextHop.String() != "192.0.2.1" {
		t.Fatalf("imported route %+v", r[0])
	}
	// pe2 receives the hub's and the other spoke's routes, accepts only the
	// hub's.
	for _, p := range s.BGPPeers("pe2") {
		want := map[string][2]int{"192.0.2.1": {1, 1}, "192.0.2.2": {0, 0}, "192.0.2.4": {1, 0}}[p.Peer.String()]
		if p.Received != want[0] || p.Accepted != want[1] {
			t.Fatalf("pe2 from %s received %d accepted %d, want %v", p.Peer, p.Received, p.Accepted, want)
		}
	}
	if n := len(s.Routes("pe2", "bgp.l3vpn.0")); n != 2 {
		t.Fatalf("bgp.l3vpn.0 has %d routes, want 2", n)
	}
	// full mesh with vrf-target: everyone learns everyone
	full := func(n int) string {
		return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; unit 10 { vlan-id 10; family inet { address 172.16.%d.1/24; } } } }
routing-instances { CUST { instance-type vrf; interface ge-0/0/1.10; route-distinguisher 192.0.2.%d:4; vrf-target target:65000:9; } }`, n, n)
	}
	s = Compute(fourPE(t).add("pe1", full(1)).add("pe2", full(3)).add("pe3", full(4)).input())
	if got := prefixes(s.Routes("pe2", "CUST.inet.0"), "BGP"); len(got) != 2 {
		t.Fatalf("full mesh spoke learned %v", got)
	}
}

func TestBGPSessionStates(t *testing.T) {
	tests := []struct {
		name   string
		pe1    string
		mod    func(Input) Input
		state  string
		reason string
	}{
		{name: "established", pe1: ibgpToRR(1), state: "Established"},
		{name: "remote does not configure us", pe1: `protocols { bgp { group X { type internal; local-address 192.0.2.1; neighbor 192.0.2.3; } } }`,
			state: "Active", reason: "has no neighbor 192.0.2.1"},
		{name: "wrong peer AS", pe1: `protocols { bgp { group X { type external; local-address 192.0.2.1; peer-as 65001; neighbor 192.0.2.2; } } }`,
			state: "Idle", reason: "peer AS 65001"},
		{name: "wrong local address", pe1: `protocols { bgp { group X { type internal; neighbor 192.0.2.2; } } }`,
			state: "Active", reason: "has no neighbor 10.0.0.1"},
		{name: "unreachable", pe1: ibgpToRR(1), state: "Active", reason: "no route to 192.0.2.2",
			mod: func(in Input) Input { return cut(in, "pe1", "p") }},
		{name: "peer down", pe1: ibgpToRR(1), state: "Active", reason: "is down",
			mod: func(in Input) Input { in.Devices[1].Up = false; return in }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, "pe1", "p", "pe2", "pe3").link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).
				add("p", rrP).add("pe1", tc.pe1)
			in := l.input()
			if tc.mod != nil {
				in = tc.mod(in)
			}
			peers := Compute(in).BGPPeers("pe1")
			if len(peers) != 1 || peers[0].State != tc.state || !strings.Contains(peers[0].Reason, tc.reason) {
				t.Fatalf("got %+v, want %s (%s)", peers, tc.state, tc.reason)
			}
		})
	}
}

// triangle is pe1, p and pe2 with a direct pe1–pe2 link: links 0 pe1–p,
// 1 p–pe2, 2 pe1–pe2, each of 1 Gbit/s.
func triangle(t *testing.T) *lab {
	l := newLab(t, "pe1", "p", "pe2").link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).
		link("pe1", "pe2", time.Millisecond)
	for i := range l.links {
		l.links[i].Bandwidth = netid.MustParseBitrate("1G")
	}
	return l
}

func TestRSVPBandwidthAdmission(t *testing.T) {
	l := triangle(t).add("pe1", `protocols { mpls {
  label-switched-path A { to 192.0.2.3; bandwidth 600m; }
  label-switched-path B { to 192.0.2.3; bandwidth 600m; }
  label-switched-path C { to 192.0.2.3; bandwidth 600m; }
  label-switched-path D { to 192.0.2.3; } } }`)
	s := Compute(l.input())
	a, b, c, d := s.LSP("pe1", "A"), s.LSP("pe1", "B"), s.LSP("pe1", "C"), s.LSP("pe1", "D")
	if !a.Up || len(a.Path.Hops) != 1 || a.LabelOut != 3 {
		t.Fatalf("A %+v, want up on the direct link", a)
	}
	if !b.Up || len(b.Path.Hops) != 2 || b.Path.Hops[0].Device != "p" || b.LabelOut < LabelBase {
		t.Fatalf("B %+v, want up through p", b)
	}
	if c.Up || !strings.Contains(c.Reason, "bandwidth") {
		t.Fatalf("C %+v, want down for lack of bandwidth", c)
	}
	if !d.Up {
		t.Fatalf("D (no bandwidth) %+v, want up", d)
	}
	if s.TransitLSPs("p") != 1 || s.EgressLSPs("pe2") != 3 {
		t.Fatalf("transit %d egress %d", s.TransitLSPs("p"), s.EgressLSPs("pe2"))
	}
	var first Route
	for _, r := range s.Routes("pe1", "inet.3") {
		if r.Prefix.String() == "192.0.2.3/32" {
			first = r
			break
		}
	}
	if first.Protocol != "RSVP" || first.LSP != "A" {
		t.Fatalf("inet.3 best route to pe2 %+v, want RSVP LSP A before LDP", first)
	}
}

func TestRSVPPrimarySecondary(t *testing.T) {
	l := triangle(t).add("pe1", `protocols { mpls {
  path DIRECT { 10.0.2.2 strict; }
  path VIA-P { 10.0.0.2 strict; 192.0.2.3 loose; }
  label-switched-path L { to 192.0.2.3; primary DIRECT; secondary VIA-P { standby; } }
  static-label-switched-path S { ingress { to 192.0.2.3; next-hop 10.0.2.2; push 1000123; } } } }`)
	in := l.input()
	steps := []struct {
		in     Input
		active string
		hops   int
		static bool
	}{
		{in, "primary DIRECT", 1, true},
		{cut(in, "pe1", "pe2"), "secondary VIA-P", 2, false},
		{cut(cut(in, "pe1", "pe2"), "p", "pe2"), "", 0, false},
	}
	for i, st := range steps {
		s := Compute(st.in)
		lsp := s.LSP("pe1", "L")
		if lsp.ActivePath != st.active || len(lsp.Path.Hops) != st.hops || lsp.Up != (st.active != "") {
			t.Fatalf("step %d: %+v, want %q with %d hops", i, lsp, st.active, st.hops)
		}
		if sl := s.LSP("pe1", "S"); sl.Up != st.static || sl.Kind != "static" || sl.LabelOut != 1000123 {
			t.Fatalf("step %d: static %+v", i, sl)
		}
	}
}

func TestP2MPBranches(t *testing.T) {
	l := newLab(t, "root", "p", "leaf1", "leaf2").link("root", "p", time.Millisecond).link("p", "leaf1", time.Millisecond).
		link("p", "leaf2", time.Millisecond).add("root", `protocols { mpls {
  label-switched-path BR1 { to 192.0.2.3; p2mp TREE; }
  label-switched-path BR2 { to 192.0.2.4; p2mp TREE; } } }`)
	s := Compute(cut(l.input(), "p", "leaf2"))
	br := s.LSPs("root")
	if len(br) != 2 || br[0].P2MP != "TREE" || !br[0].Up || br[1].Up {
		t.Fatalf("branches %+v, want BR1 up and BR2 down", br)
	}
}

func vplsMH(n, site int, pref string) string {
	return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; encapsulation vlan-vpls; unit 301 { encapsulation vlan-vpls; vlan-id 301; family vpls; } } }
routing-instances { VPLS-MH { instance-type vpls; interface ge-0/0/1.301; route-distinguisher 192.0.2.%d:301;
  vrf-target target:65000:301;
  protocols { vpls { site-range 10; no-tunnel-services;
    site S%d { site-identifier %d; %s interface ge-0/0/1.301; } } } } }`, n, site, site, pref)
}

func connTo(v VPLSInstance, nbr string, site uint32) VPLSConn {
	for _, c := range v.Connections {
		if c.Neighbor.String() == nbr && c.RemoteSite == site {
			return c
		}
	}
	return VPLSConn{Status: "missing"}
}

func TestVPLSMultihoming(t *testing.T) {
	l := fourPE(t).add("pe1", vplsMH(1, 5, "site-preference primary;")).add("pe2", vplsMH(3, 5, "site-preference backup;")).
		add("pe3", vplsMH(4, 3, ""))
	in := l.input()
	s := Compute(in)
	if v := s.VPLS("pe1", "VPLS-MH"); v.Signalling != "bgp" || v.Sites[0].State != "active" {
		t.Fatalf("pe1 %+v", v)
	}
	if v := s.VPLS("pe2", "VPLS-MH"); v.Sites[0].State != "standby" || connTo(v, "192.0.2.4", 3).Status != "LN" {
		t.Fatalf("pe2 %+v", v)
	}
	v3 := s.VPLS("pe3", "VPLS-MH")
	up, rn := connTo(v3, "192.0.2.1", 5), connTo(v3, "192.0.2.3", 5)
	if up.Status != "Up" || rn.Status != "RN" || up.InLabel == 0 || up.OutLabel == 0 {
		t.Fatalf("pe3 connections %+v", v3.Connections)
	}
	if back := connTo(s.VPLS("pe1", "VPLS-MH"), "192.0.2.4", 3); back.Status != "Up" || back.OutLabel != up.InLabel || back.InLabel != up.OutLabel {
		t.Fatalf("pe1→pe3 %+v vs pe3→pe1 %+v", back, up)
	}
	// the primary's attachment circuit fails: the backup takes over
	s = Compute(cut(in, "pe1", "ce-pe1"))
	v3 = s.VPLS("pe3", "VPLS-MH")
	if connTo(v3, "192.0.2.3", 5).Status != "Up" || connTo(v3, "192.0.2.1", 5).Status != "RN" {
		t.Fatalf("after failover %+v", v3.Connections)
	}
	if s.VPLS("pe1", "VPLS-MH").Sites[0].State != "down" {
		t.Fatalf("pe1 site %+v", s.VPLS("pe1", "VPLS-MH").Sites)
	}
	if c := connTo(s.VPLS("pe1", "VPLS-MH"), "192.0.2.4", 3); c.Status != "LD" {
		t.Fatalf("pe1 with its site down %+v", c)
	}
	// a site id beyond the local site-range
	s = Compute(fourPE(t).add("pe1", vplsMH(1, 5, "")).add("pe3", vplsMH(4, 12, "")).input())
	if c := connTo(s.VPLS("pe1", "VPLS-MH"), "192.0.2.4", 12); c.Status != "OR" {
		t.Fatalf("out of range %+v", c)
	}
}

func TestVPLSLDPAndHVPLS(t *testing.T) {
	ldpVPLS := func(nbrs ...string) string {
		var b strings.Builder
		for _, n := range nbrs {
			b.WriteString("neighbor " + n + "; ")
		}
		return `interfaces { ge-0/0/1 { vlan-tagging; encapsulation vlan-vpls; unit 400 { encapsulation vlan-vpls; vlan-id 400; } } }
routing-instances { V { instance-type vpls; interface ge-0/0/1.400; protocols { vpls { vpls-id 400; ` + b.String() + `
  mesh-group SPOKES { vpls-id 100; local-switching; neighbor 192.0.2.4; } } } } }`
	}
	spoke := `interfaces { ge-0/0/1 { encapsulation ethernet-ccc; unit 0 { family ccc; } } }
protocols { l2circuit { neighbor 192.0.2.1 { interface ge-0/0/1.0 { virtual-circuit-id 100; encapsulation-type ethernet; } } } }`
	l := fourPE(t).add("pe1", ldpVPLS("192.0.2.3")).add("pe2", strings.Replace(ldpVPLS("192.0.2.1"), "neighbor 192.0.2.4;", "", 1)).
		add("pe3", spoke)
	s := Compute(l.input())
	v := s.VPLS("pe1", "V")
	core, sp := connTo(v, "192.0.2.3", 0), connTo(v, "192.0.2.4", 0)
	if v.Signalling != "ldp" || core.Status != "Up" || sp.Status != "Up" || sp.MeshGroup != "SPOKES" {
		t.Fatalf("hub %+v", v)
	}
	pw := s.Pseudowire("pe3", "192.0.2.1", "ge-0/0/1.0", 100)
	if pw.Status != "Up" || pw.OutLabel != sp.InLabel || pw.InLabel != sp.OutLabel {
		t.Fatalf("spoke %+v vs hub %+v", pw, sp)
	}
	// pe2 does not list pe1's spoke; pe2 lists pe1, so that is up; a
	// neighbour that does not list us is OL.
	l2 := fourPE(t).add("pe1", ldpVPLS("192.0.2.3")).add("pe2", strings.Replace(ldpVPLS(), "neighbor 192.0.2.4;", "", 1))
	if c := connTo(Compute(l2.input()).VPLS("pe1", "V"), "192.0.2.3", 0); c.Status != "OL" {
		t.Fatalf("unlisted neighbour %+v", c)
	}
}

func TestL2VPNBGP(t *testing.T) {
	site := func(n, id, remote int, encap, extra string) string {
		return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; encapsulation vlan-ccc; unit 512 { encapsulation vlan-ccc; vlan-id 512; } } }
routing-instances { L2 { instance-type l2vpn; interface ge-0/0/1.512; route-distinguisher 192.0.2.%d:512; vrf-target target:65000:512;
  protocols { l2vpn { encapsulation-type %s; %s site S { site-identifier %d; interface ge-0/0/1.512 { remote-site-id %d; } } } } } }`, n, encap, extra, id, remote)
	}
	tests := []struct {
		name, pe1, pe2 string
		want, reason   string
	}{
		{"up", "", site(3, 2, 1, "ethernet-vlan", ""), "Up", ""},
		{"encapsulation mismatch", "", site(3, 2, 1, "ethernet", ""), "EM", "local ethernet-vlan remote ethernet"},
		{"MTU mismatch", "mtu 9100;", site(3, 2, 1, "ethernet-vlan", "mtu 1500;"), "MM", "local 9100 remote 1500"},
		{"same MTU", "mtu 9100;", site(3, 2, 1, "ethernet-vlan", "mtu 9100;"), "Up", ""},
		{"remote points elsewhere", "", site(3, 2, 7, "ethernet-vlan", ""), "OL", "no interface to site 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := fourPE(t).add("pe1", site(1, 1, 2, "ethernet-vlan", tc.pe1)).add("pe2", tc.pe2)
			v := Compute(l.input()).L2VPN("pe1", "L2")
			if len(v.Connections) != 1 || v.Connections[0].Status != tc.want || !strings.Contains(v.Connections[0].Reason, tc.reason) {
				t.Fatalf("%+v, want %s (%q)", v, tc.want, tc.reason)
			}
		})
	}
}

func TestCFM(t *testing.T) {
	mep := func(md string, level, id, remote int, ifl, dir string) string {
		return fmt.Sprintf(`protocols { oam { ethernet { connectivity-fault-management { maintenance-domain %s { level %d;
  maintenance-association MA1 { continuity-check { interval 1s; } mep %d { interface %s; direction %s; remote-mep %d; } } } } } } }`,
			md, level, id, ifl, dir, remote)
	}
	l := newLab(t, "pe1", "p", "pe2").link("pe1", "p", 2*time.Millisecond).link("p", "pe2", 3*time.Millisecond).ce("pe1").ce("pe2")
	l.links[0].Jitter, l.links[1].Loss = 100*time.Microsecond, 0.01
	l.add("pe1", eline("192.0.2.3", 1100, ""), mep("SVC", 5, 101, 102, "ge-0/0/1.100", "up"), mep("LINK", 1, 1, 2, "xe-0/1/0.0", "down"))
	l.add("pe2", eline("192.0.2.1", 1100, ""), mep("SVC", 5, 102, 101, "ge-0/0/1.100", "up"))
	l.add("p", mep("LINK", 1, 2, 1, "xe-0/1/0.0", "down"))
	in := l.input()
	s := Compute(in)
	svc := s.RemoteMEP("pe1", "SVC", "MA1", 101, 102)
	if svc.State != "ok" || svc.Path.Delay != 5*time.Millisecond || svc.Path.Jitter != 100*time.Microsecond || svc.Path.Loss < 0.0099 || svc.RemoteMAC == "" {
		t.Fatalf("service MEP %+v", svc)
	}
	if lk := s.RemoteMEP("p", "LINK", "MA1", 2, 1); lk.State != "ok" || lk.Path.Delay != 2*time.Millisecond {
		t.Fatalf("link MEP %+v", lk)
	}
	if bad := s.RemoteMEP("pe1", "SVC", "MA1", 101, 999); bad.State != "failed" {
		t.Fatalf("unknown remote MEP %+v", bad)
	}
	// the pseudowire breaks: the service MEP fails, the link MEP stays
	s = Compute(cut(in, "pe2", "ce-pe2"))
	if st := s.RemoteMEP("pe1", "SVC", "MA1", 101, 102).State; st != "failed" {
		t.Fatalf("service MEP after AC cut: %s", st)
	}
	// a level mismatch never matches
	l2 := newLab(t, "pe1", "p").link("pe1", "p", time.Millisecond).
		add("pe1", mep("LINK", 1, 1, 2, "xe-0/1/0.0", "down")).add("p", mep("LINK", 2, 2, 1, "xe-0/1/0.0", "down"))
	if st := Compute(l2.input()).RemoteMEP("pe1", "LINK", "MA1", 1, 2); st.State != "failed" {
		t.Fatalf("level mismatch %+v", st)
	}
}

func TestPTPRingAndHoldover(t *testing.T) {
	ptp := func(masters, slaves []string) string {
		var b strings.Builder
		b.WriteString("protocols { ptp { clock-mode boundary; ")
		if len(masters) > 0 {
			b.WriteString("master { ")
			for _, m := range masters {
				fmt.Fprintf(&b, "interface %s { multicast-mode { transport { ieee-802.3; } } } ", m)
			}
			b.WriteString("} ")
		}
		if len(slaves) > 0 {
			b.WriteString("slave { ")
			for _, m := range slaves {
				fmt.Fprintf(&b, "interface %s { multicast-mode { transport { ieee-802.3; } } } ", m)
			}
			b.WriteString("} ")
		}
		b.WriteString("} }")
		return b.String()
	}
	// ring gm –0– a –1– b –2– c –3– gm
	l := newLab(t, "gm", "a", "b", "c").link("gm", "a", 0).link("a", "b", 0).link("b", "c", 0).link("c", "gm", 0)
	l.add("gm", ptp([]string{"xe-0/1/0.0", "xe-0/1/3.0"}, nil))
	l.add("a", ptp([]string{"xe-0/1/1.0"}, []string{"xe-0/1/0.0"}))
	l.add("b", ptp(nil, []string{"xe-0/1/1.0", "xe-0/1/2.0"}))
	l.add("c", ptp([]string{"xe-0/1/2.0"}, []string{"xe-0/1/3.0"}))
	l.add("gm", "chassis { synchronization { network-option option-1; } }")
	l.add("a", "chassis { synchronization { network-option option-1; source { interfaces xe-0/1/0 { priority 1; } } } }")
	in := l.input()
	s := Compute(in)
	if p := s.PTP("gm"); p.Role != "master" || p.Lock != "PHASE ALIGNED" {
		t.Fatalf("gm %+v", p)
	}
	if p := s.PTP("b"); p.Role != "slave" || p.Lock != "PHASE ALIGNED" || p.Hops != 2 || p.GMID != s.PTP("gm").GMID {
		t.Fatalf("b %+v", p)
	}
	if se := s.SyncE("a"); se.State != "locked" || se.Upstream != "gm" {
		t.Fatalf("a synce %+v", se)
	}
	in2 := cut(in, "gm", "a")
	in2.Previous = s
	s2 := Compute(in2)
	if p := s2.PTP("a"); p.Lock != "HOLDOVER" || p.ClockClass != 7 {
		t.Fatalf("a after cut %+v, want HOLDOVER", p)
	}
	if p := s2.PTP("b"); p.Lock != "PHASE ALIGNED" || p.Master != "c" || p.Hops != 2 {
		t.Fatalf("b after cut %+v, want locked through c", p)
	}
	if se := s2.SyncE("a"); se.State != "holdover" {
		t.Fatalf("a synce after cut %+v", se)
	}
	// without a previous state the clock free-runs
	if p := Compute(cut(in, "gm", "a")).PTP("a"); p.Lock != "FREERUN" {
		t.Fatalf("a without history %+v", p)
	}
}

func TestIGPAndRoutes(t *testing.T) {
	l := triangle(t)
	s := Compute(l.input())
	if adj := s.ISISAdjacencies("pe1"); len(adj) != 2 || adj[0].Protocol != "IS-IS" || adj[0].Neighbor != "p" {
		t.Fatalf("adjacencies %+v", adj)
	}
	p, ok := s.Path("pe1", netip.MustParseAddr("192.0.2.3"))
	if !ok || len(p.Hops) != 1 || p.Hops[0].Device != "pe2" || p.Hops[0].InInterface != "xe-0/1/2.0" {
		t.Fatalf("path %+v", p)
	}
	if s.Loopback("pe2").String() != "192.0.2.3" {
		t.Fatal(s.Loopback("pe2"))
	}
	rs := s.Routes("pe1", "inet.0")
	if got := prefixes(rs, "IS-IS"); !slices.Contains(got, "192.0.2.3/32") || !slices.Contains(got, "10.0.1.0/30") {
		t.Fatalf("IS-IS routes %v", got)
	}
	if len(s.LDPSessions("pe1")) != 2 || s.Stats().LDPSessionsUp != 3 {
		t.Fatalf("LDP %+v stats %+v", s.LDPSessions("pe1"), s.Stats())
	}
	// a disabled port takes the adjacency down on both sides
	in := l.input()
	in.Devices[2].Config = mustParse(t, l.config("pe2")+"interfaces { xe-0/1/2 { disable; } }")
	s = Compute(in)
	if s.LinkUp("pe1", "xe-0/1/2") || len(s.ISISAdjacencies("pe1")) != 1 {
		t.Fatalf("disabled port: up=%v adj=%+v", s.LinkUp("pe1", "xe-0/1/2"), s.ISISAdjacencies("pe1"))
	}
	if p, _ := s.Path("pe1", netip.MustParseAddr("192.0.2.3")); len(p.Hops) != 2 {
		t.Fatalf("path around the disabled port %+v", p)
	}
}

func TestComputerReusesViews(t *testing.T) {
	in := triangle(t).input()
	var c Computer
	a := c.Compute(in)
	b := c.Compute(cut(in, "pe1", "pe2"))
	if a.devs[0].cfg != b.devs[0].cfg {
		t.Fatal("parsed view not reused for an unchanged tree")
	}
	if !a.LinkUp("pe1", "xe-0/1/2") || b.LinkUp("pe1", "xe-0/1/2") {
		t.Fatal("states share link state")
	}
}

func TestConcurrentReaders(t *testing.T) {
	l := fourPE(t).add("pe1", vrf(1, "HUB")).add("pe2", vrf(3, "SPOKE")).add("pe3", vrf(4, "SPOKE")).
		add("pe1", eline("192.0.2.3", 5, "")).add("pe2", eline("192.0.2.1", 5, ""))
	s := Compute(l.input())
	want := s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 5)
	done := make(chan PW)
	for range 8 {
		go func() {
			for range 50 {
				s.Routes("pe2", "CUST.inet.0")
				s.Routes("pe1", "inet.0")
				s.Path("pe3", netip.MustParseAddr("192.0.2.1"))
			}
			done <- s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 5)
		}()
	}
	for range 8 {
		if got := <-done; got.Status != want.Status || got.Path.Delay != want.Path.Delay {
			t.Fatalf("concurrent read %+v, want %+v", got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := triangle(t).input()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		mod  func(*Input)
		want string
	}{
		{"duplicate device", func(in *Input) { in.Devices[1].Name = "pe1" }, `device "pe1" defined twice`},
		{"unknown device", func(in *Input) { in.Links[0].B.Device = "nope" }, `unknown device "nope"`},
		{"port cabled twice", func(in *Input) { in.Links[1].A = in.Links[0].A }, "already cabled by link 0"},
		{"loss", func(in *Input) { in.Links[2].Loss = 2 }, "loss 2 outside"},
	}
	for _, tc := range tests {
		in := triangle(t).input()
		tc.mod(&in)
		err := in.Validate()
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if got := Compute(good).Addresses("pe1", "xe-0/1/0.0"); len(got) != 1 || got[0].String() != "10.0.0.1/30" {
		t.Errorf("addresses %v", got)
	}
}

func TestOSPF(t *testing.T) {
	cfg := func(host int, area string) string {
		return fmt.Sprintf(`interfaces { ge-0/0/0 { unit 0 { family inet { address 10.1.1.%d/30; } } } lo0 { unit 0 { family inet { address 192.0.2.%d/32; } } } }
protocols { ospf { area %s { interface ge-0/0/0.0 { metric 7; } interface lo0.0 { passive; } } } }`, host, host, area)
	}
	tests := []struct {
		name     string
		a, b     string
		adjacent bool
	}{
		{"same subnet and area", cfg(1, "0.0.0.0"), cfg(2, "0.0.0.0"), true},
		{"different area", cfg(1, "0.0.0.0"), cfg(2, "0.0.0.1"), false},
		{"different subnet", cfg(1, "0.0.0.0"), cfg(6, "0.0.0.0"), false},
	}
	for _, tc := range tests {
		in := Input{
			Devices: []Device{{Name: "r1", Up: true, Config: mustParse(t, tc.a)}, {Name: "r2", Up: true, Config: mustParse(t, tc.b)}},
			Links:   []Link{{A: Endpoint{"r1", "ge-0/0/0"}, B: Endpoint{"r2", "ge-0/0/0"}, Up: true}},
		}
		s := Compute(in)
		adj := s.ISISAdjacencies("r1")
		if (len(adj) == 1 && adj[0].Protocol == "OSPF" && adj[0].Metric == 7) != tc.adjacent {
			t.Errorf("%s: adjacencies %+v", tc.name, adj)
		}
		lo2 := s.Loopback("r2")
		if s.Reachable("r1", lo2) != tc.adjacent {
			t.Errorf("%s: r2 loopback %s reachable=%v", tc.name, lo2, !tc.adjacent)
		}
	}
}

func TestL3VPNFollowsTransport(t *testing.T) {
	full := func(n int) string {
		return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; unit 10 { vlan-id 10; family inet { address 172.16.%d.1/24; } } } }
routing-instances { CUST { instance-type vrf; interface ge-0/0/1.10; route-distinguisher 192.0.2.%d:4; vrf-target target:65000:9;
  routing-options { static { route 198.51.%d.0/24 next-hop 172.16.%d.2; } } } }`, n, n, n, n)
	}
	in := fourPE(t).add("pe1", full(1)).add("pe2", full(3)).add("pe3", full(4)).input()
	got := prefixes(Compute(in).Routes("pe1", "CUST.inet.0"), "BGP")
	if want := []string{"172.16.3.0/24", "172.16.4.0/24", "198.51.3.0/24", "198.51.4.0/24"}; !slices.Equal(got, want) {
		t.Fatalf("routes %v, want %v", got, want)
	}
	// pe3's core link is cut: its routes leave pe1's VRF, pe2's stay
	got = prefixes(Compute(cut(in, "p", "pe3")).Routes("pe1", "CUST.inet.0"), "BGP")
	if want := []string{"172.16.3.0/24", "198.51.3.0/24"}; !slices.Equal(got, want) {
		t.Fatalf("after cut %v, want %v", got, want)
	}
	// pe2's customer port goes down: its connected and static routes go
	got = prefixes(Compute(cut(in, "pe2", "ce-pe2")).Routes("pe1", "CUST.inet.0"), "BGP")
	if want := []string{"172.16.4.0/24", "198.51.4.0/24"}; !slices.Equal(got, want) {
		t.Fatalf("after CE cut %v, want %v", got, want)
	}
}

func TestRSVPNoCSPF(t *testing.T) {
	// the IGP path is the direct link; with its bandwidth taken, a no-cspf
	// LSP does not detour through p, a CSPF LSP does.
	l := triangle(t).add("pe1", `protocols { mpls {
  label-switched-path A { to 192.0.2.3; bandwidth 900m; }
  label-switched-path B { to 192.0.2.3; bandwidth 200m; no-cspf; }
  label-switched-path C { to 192.0.2.3; bandwidth 200m; } } }`)
	s := Compute(l.input())
	if a, b, c := s.LSP("pe1", "A"), s.LSP("pe1", "B"), s.LSP("pe1", "C"); !a.Up || b.Up || !c.Up || len(c.Path.Hops) != 2 || !strings.Contains(b.Reason, "bandwidth") {
		t.Fatalf("A %+v\nB %+v\nC %+v", a, b, c)
	}
}

// TestRouteReflection: with `cluster` on the P router's group, PEs that
// peer only with it still learn each other's VPN routes; without it they
// do not (iBGP does not re-advertise what it learned from an iBGP peer).
func TestRouteReflection(t *testing.T) {
	full := func(n int) string {
		return fmt.Sprintf(`interfaces { ge-0/0/1 { vlan-tagging; unit 10 { vlan-id 10; family inet { address 172.16.%d.1/24; } } } }
routing-instances { CUST { instance-type vrf; interface ge-0/0/1.10; route-distinguisher 192.0.2.%d:4; vrf-target target:65000:9; } }`, n, n)
	}
	star := func(rr string) *lab {
		return newLab(t, "pe1", "p", "pe2", "pe3").
			link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).link("p", "pe3", time.Millisecond).
			ce("pe1").ce("pe2").ce("pe3").
			add("p", rr).add("pe1", ibgpToRR(1)).add("pe2", ibgpToRR(3)).add("pe3", ibgpToRR(4)).
			add("pe1", full(1)).add("pe2", full(3)).add("pe3", full(4))
	}
	reflector := `protocols { bgp { group RR { type internal; local-address 192.0.2.2; cluster 192.0.2.2;
  family inet-vpn unicast; family l2vpn signaling; neighbor 192.0.2.1; neighbor 192.0.2.3; neighbor 192.0.2.4; } } }`

	s := Compute(star(reflector).input())
	if got, want := prefixes(s.Routes("pe1", "CUST.inet.0"), "BGP"), []string{"172.16.3.0/24", "172.16.4.0/24"}; !slices.Equal(got, want) {
		t.Fatalf("with a route reflector pe1 learned %v, want %v", got, want)
	}
	s = Compute(star(rrP).input())
	if got := prefixes(s.Routes("pe1", "CUST.inet.0"), "BGP"); len(got) != 0 {
		t.Fatalf("without cluster pe1 learned %v through an iBGP peer, want nothing", got)
	}
}

// TestCoreFamiliesRequired: two classic mistakes on a core link. Without
// family iso on one end IS-IS forms no adjacency; without family mpls LDP
// forms no session over it although IS-IS is up.
func TestCoreFamiliesRequired(t *testing.T) {
	for _, tt := range []struct {
		name, drop  string
		isis, ldpUp int
	}{
		{"complete", "", 1, 1},
		{"no family iso", " family iso;", 0, 0},
		{"no family mpls", " family mpls;", 1, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, "pe1", "p").link("pe1", "p", time.Millisecond)
			if tt.drop != "" {
				l.core["pe1"][0] = strings.Replace(l.core["pe1"][0], tt.drop, "", 1)
			}
			s := Compute(l.input())
			if n := len(s.ISISAdjacencies("pe1")); n != tt.isis {
				t.Errorf("%d IS-IS adjacencies, want %d: %+v", n, tt.isis, s.ISISAdjacencies("pe1"))
			}
			if n := s.Stats().LDPSessionsUp; n != tt.ldpUp {
				t.Errorf("%d LDP sessions up, want %d: %+v", n, tt.ldpUp, s.LDPSessions("pe1"))
			}
		})
	}
}
