package sim

// Operational RPCs answered from the network's computed control plane
// (sim/netstate): routing tables, BGP/LDP/IGP sessions, l2vpn connections
// and PTP clocks. A lone device (no Network) has no neighbours, so these
// list only what the configuration alone implies, or nothing.

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/sim/netstate"
)

// netView returns the network state and this device's name in it; st is
// nil for a lone device.
func (d *Device) netView() (st *netstate.State, name string) {
	return d.state().net(d)
}

// routePreference is Junos' default preference per protocol.
func routePreference(proto string) int {
	switch proto {
	case "Direct", "Local":
		return 0
	case "Static":
		return 5
	case "RSVP":
		return 7
	case "LDP":
		return 9
	case "OSPF":
		return 10
	case "IS-IS":
		return 18
	case "BGP":
		return 170
	}
	return 200
}

// tablesOf lists the routing tables a device has: the master tables plus
// NAME.inet.0 for each VRF, plus bgp.l3vpn.0 when a VRF exists.
func tablesOf(v cfgView) []string {
	out := []string{"inet.0", "inet.3", "mpls.0"}
	vrf := false
	for _, n := range v.keys("routing-instances") {
		if t := v.value("routing-instances", n, "instance-type"); t == "vrf" || t == "virtual-router" {
			out = append(out, n+".inet.0")
			vrf = vrf || t == "vrf"
		}
	}
	if vrf {
		out = append(out, "bgp.l3vpn.0")
	}
	return out
}

func routeDest(r netstate.Route, table string) string {
	if table == "bgp.l3vpn.0" && r.RD != "" {
		return r.RD + ":" + r.Prefix.String()
	}
	return r.Prefix.String()
}

func opRoutes(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st, name := d.netView()
	tables := tablesOf(v)
	if t := r.arg("table"); t != "" {
		if !containsStr(tables, t) {
			return nil, &dbError{"invalid-value", fmt.Sprintf("error: Invalid table name: %s", t)}
		}
		tables = []string{t}
	}
	var dest netip.Prefix
	if a := r.arg("destination"); a != "" {
		var err error
		if dest, err = parsePrefixOrAddr(a); err != nil {
			return nil, &dbError{"invalid-value", fmt.Sprintf("error: invalid destination %q: want an address or prefix", a)}
		}
	}
	var w xw
	w.open("route-information", "xmlns", d.ns("junos-routing"))
	var text strings.Builder
	for _, t := range tables {
		var routes []netstate.Route
		if st != nil {
			routes = st.Routes(name, t)
		}
		if dest.IsValid() {
			// Junos shows the longest match covering the destination.
			best := -1
			for _, rt := range routes {
				if rt.Prefix.Bits() <= dest.Bits() && rt.Prefix.Contains(dest.Addr()) && rt.Prefix.Bits() > best {
					best = rt.Prefix.Bits()
				}
			}
			var keep []netstate.Route
			for _, rt := range routes {
				if rt.Prefix.Bits() == best && rt.Prefix.Contains(dest.Addr()) {
					keep = append(keep, rt)
				}
			}
			routes = keep
			if len(routes) == 0 {
				continue
			}
		}
		dests := map[string]bool{}
		for _, rt := range routes {
			dests[routeDest(rt, t)] = true
		}
		w.open("route-table").leaf("table-name", t).leaf("destination-count", strconv.Itoa(len(dests)))
		w.leaf("total-route-count", strconv.Itoa(len(routes))).leaf("active-route-count", strconv.Itoa(len(dests)))
		w.leaf("holddown-route-count", "0").leaf("hidden-route-count", "0")
		fmt.Fprintf(&text, "\n%s: %d destinations, %d routes (%d active, 0 holddown, 0 hidden)\n+ = Active Route, - = Last Active, * = Both\n\n",
			t, len(dests), len(routes), len(dests))
		prev := ""
		for i, rt := range routes {
			ds := routeDest(rt, t)
			first := ds != prev
			if first {
				if i > 0 {
					w.close("rt")
				}
				w.open("rt", "junos:style", "brief").leaf("rt-destination", ds)
			}
			prev = ds
			pref := routePreference(rt.Protocol)
			if rt.Preference != 0 {
				pref = rt.Preference
			}
			w.open("rt-entry")
			if first {
				w.leaf("active-tag", "*").empty("current-active").empty("last-active")
			}
			w.leaf("protocol-name", rt.Protocol).leaf("preference", strconv.Itoa(pref))
			if rt.Metric != 0 {
				w.leaf("metric", strconv.Itoa(rt.Metric))
			}
			if rt.Protocol == "BGP" {
				w.leaf("local-preference", "100")
				if rt.NextHop.IsValid() {
					w.leaf("learned-from", rt.NextHop.String())
				}
				w.leaf("as-path", "I")
				if len(rt.Communities) > 0 {
					w.open("communities")
					for _, c := range rt.Communities {
						w.leaf("community", c)
					}
					w.close("communities")
				}
			}
			w.open("nh")
			if first {
				w.empty("selected-next-hop")
			}
			if rt.NextHop.IsValid() && rt.Protocol != "Local" && rt.Protocol != "Direct" {
				w.leaf("to", rt.NextHop.String())
			}
			if rt.Via != "" {
				w.leaf("via", rt.Via)
			}
			if rt.LSP != "" {
				w.leaf("lsp-name", rt.LSP)
			}
			if rt.Label != 0 {
				w.leaf("mpls-label", "Push "+strconv.FormatUint(uint64(rt.Label), 10))
			}
			w.close("nh").close("rt-entry")
			tag := " "
			if first {
				tag = "*"
			}
			col := ds
			if !first {
				col = ""
			}
			metric := ""
			if rt.Metric != 0 {
				metric = fmt.Sprintf(", metric %d", rt.Metric)
			}
			fmt.Fprintf(&text, "%-19s%s[%s/%d] 00:00:00%s\n", col, tag, rt.Protocol, pref, metric)
			hop := ""
			switch {
			case rt.Protocol == "Local":
				hop = "Local via " + rt.Via
			case rt.NextHop.IsValid() && rt.Via != "":
				hop = "> to " + rt.NextHop.String() + " via " + rt.Via
			case rt.NextHop.IsValid():
				hop = "> to " + rt.NextHop.String()
			case rt.Via != "":
				hop = "> via " + rt.Via
			}
			if rt.LSP != "" {
				hop += ", label-switched-path " + rt.LSP
			}
			if rt.Label != 0 {
				hop += ", Push " + strconv.FormatUint(uint64(rt.Label), 10)
			}
			if hop != "" {
				fmt.Fprintf(&text, "                    %s\n", hop)
			}
		}
		if len(routes) > 0 {
			w.close("rt")
		}
		w.close("route-table")
	}
	w.close("route-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

// parsePrefixOrAddr accepts "10.0.0.1" or "10.0.0.0/24".
func parsePrefixOrAddr(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// bestRoute returns the longest-prefix match for a in routes.
func bestRoute(routes []netstate.Route, a netip.Addr) (netstate.Route, bool) {
	best, ok := netstate.Route{}, false
	for _, r := range routes {
		if r.Prefix.Contains(a) && (!ok || r.Prefix.Bits() > best.Prefix.Bits()) {
			best, ok = r, true
		}
	}
	return best, ok
}

func opBGPSummary(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st, name := d.netView()
	var peers []netstate.BGPPeer
	if st != nil {
		peers = st.BGPPeers(name)
	}
	if f := r.arg("instance"); f != "" {
		var keep []netstate.BGPPeer
		for _, p := range peers {
			if p.Instance == f || (f == "master" && p.Instance == "") {
				keep = append(keep, p)
			}
		}
		peers = keep
	}
	if !v.exists("protocols", "bgp") && len(peers) == 0 {
		return nil, &dbError{"operation-failed", "error: the routing subsystem is not running BGP"}
	}
	groups := map[string]bool{}
	down := 0
	for _, p := range peers {
		groups[p.Instance+"/"+p.Group] = true
		if p.State != "Established" {
			down++
		}
	}
	var w xw
	w.open("bgp-information", "xmlns", d.ns("junos-routing"))
	w.leaf("group-count", strconv.Itoa(len(groups))).leaf("peer-count", strconv.Itoa(len(peers))).leaf("down-peer-count", strconv.Itoa(down))
	var text strings.Builder
	fmt.Fprintf(&text, "Threading mode: BGP I/O\nGroups: %d Peers: %d Down peers: %d\n", len(groups), len(peers), down)
	text.WriteString("Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...\n")
	for _, p := range peers {
		w.open("bgp-peer").leaf("peer-address", p.Peer.String()).leaf("peer-as", strconv.FormatUint(uint64(p.PeerAS), 10))
		w.leaf("input-messages", "0").leaf("output-messages", "0").leaf("route-queue-count", "0").leaf("flap-count", "0")
		w.leaf("elapsed-time", "0", "junos:seconds", "0")
		w.leaf("peer-state", p.State)
		if p.Instance != "" {
			w.leaf("peer-instance", p.Instance)
		}
		if p.Reason != "" && p.State != "Established" {
			w.leaf("peer-down-reason", p.Reason)
		}
		stateCol := p.State
		if p.State == "Established" {
			for _, fam := range p.Families {
				rib := bgpRIB(fam, p.Instance)
				w.open("bgp-rib").leaf("name", rib).leaf("active-prefix-count", strconv.Itoa(p.Accepted))
				w.leaf("received-prefix-count", strconv.Itoa(p.Received)).leaf("accepted-prefix-count", strconv.Itoa(p.Accepted))
				w.leaf("suppressed-prefix-count", "0").close("bgp-rib")
			}
			stateCol = fmt.Sprintf("Establ\n  %s: %d/%d/%d/0", bgpRIB(firstOr(p.Families, "inet-unicast"), p.Instance), p.Accepted, p.Received, p.Accepted)
		}
		w.close("bgp-peer")
		fmt.Fprintf(&text, "%-25s%-8d%10d%11d%8d%8d %11s %s\n", p.Peer, p.PeerAS, 0, 0, 0, 0, "0", stateCol)
	}
	w.close("bgp-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func firstOr(l []string, def string) string {
	if len(l) > 0 {
		return l[0]
	}
	return def
}

// bgpRIB names the table a BGP family's routes land in.
func bgpRIB(family, instance string) string {
	switch family {
	case "inet-vpn-unicast", "inet-vpn":
		return "bgp.l3vpn.0"
	case "l2vpn-signaling", "l2vpn":
		return "bgp.l2vpn.0"
	}
	if instance != "" {
		return instance + ".inet.0"
	}
	return "inet.0"
}

func opLDPSessions(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	if !v.exists("protocols", "ldp") {
		return nil, &dbError{"operation-failed", "error: LDP instance is not running"}
	}
	st, name := d.netView()
	var sess []netstate.LDPSession
	if st != nil {
		sess = st.LDPSessions(name)
	}
	var w xw
	w.open("ldp-session-information", "xmlns", d.ns("junos-routing"))
	var text strings.Builder
	text.WriteString("  Address                           State       Connection  Hold time  Adv. Mode\n")
	for _, x := range sess {
		conn, hold := "Closed", "0"
		if x.State == "Operational" {
			conn, hold = "Open", "26"
		}
		w.open("ldp-session").leaf("ldp-neighbor-address", x.Peer.String()).leaf("ldp-session-state", x.State)
		w.leaf("ldp-connection-state", conn).leaf("ldp-remaining-time", hold).leaf("ldp-session-adv-mode", "DU").close("ldp-session")
		fmt.Fprintf(&text, "%-36s%-12s%-12s%-11s%s\n", x.Peer, x.State, conn, hold, "DU")
	}
	w.close("ldp-session-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func (d *Device) igpAdjacencies(s *session, proto string) []netstate.Adjacency {
	st, name := d.netView()
	if st == nil {
		return nil
	}
	var out []netstate.Adjacency
	for _, a := range st.ISISAdjacencies(name) {
		if a.Protocol == proto {
			out = append(out, a)
		}
	}
	return out
}

func opISISAdjacency(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	if !v.exists("protocols", "isis") {
		return nil, &dbError{"operation-failed", "error: IS-IS instance is not running"}
	}
	var w xw
	w.open("isis-adjacency-information", "xmlns", d.ns("junos-routing"), "junos:style", "brief")
	var text strings.Builder
	text.WriteString("Interface             System         L State         Hold (secs) SNPA\n")
	for _, a := range d.igpAdjacencies(s, "IS-IS") {
		w.open("isis-adjacency").leaf("interface-name", a.Interface).leaf("system-name", a.Neighbor).leaf("level", "2")
		w.leaf("adjacency-state", a.State).leaf("holdtime", "24").close("isis-adjacency")
		fmt.Fprintf(&text, "%-22s%-15s%-2s%-14s%-12s\n", a.Interface, a.Neighbor, "2", a.State, "24")
	}
	w.close("isis-adjacency-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func opOSPFNeighbors(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	if !v.exists("protocols", "ospf") {
		return nil, &dbError{"operation-failed", "error: OSPF instance is not running"}
	}
	st, _ := d.netView()
	var w xw
	w.open("ospf-neighbor-information", "xmlns", d.ns("junos-routing"))
	var text strings.Builder
	text.WriteString("Address          Interface              State           ID               Pri  Dead\n")
	for _, a := range d.igpAdjacencies(s, "OSPF") {
		id := ""
		if st != nil {
			id = st.Loopback(a.Neighbor).String()
		}
		w.open("ospf-neighbor").leaf("neighbor-address", a.Address.String()).leaf("interface-name", a.Interface)
		w.leaf("ospf-neighbor-state", "Full").leaf("neighbor-id", id).leaf("neighbor-priority", "128").leaf("activity-timer", "35").close("ospf-neighbor")
		fmt.Fprintf(&text, "%-17s%-23s%-16s%-17s%-5s%s\n", a.Address, a.Interface, "Full", id, "128", "35")
	}
	w.close("ospf-neighbor-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

// opVPLSNet answers get-vpls-connection-information and
// get-l2vpn-connection-information from the computed instances.
func opVPLSNet(typ string) opHandler {
	return func(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
		v := newCfgView(s.committed())
		st, name := d.netView()
		root := "vpls-connection-information"
		if typ == "l2vpn" {
			root = "l2vpn-connection-information"
		}
		var w xw
		w.open(root, "xmlns", d.ns("junos-l2vpn"))
		var text strings.Builder
		text.WriteString("Layer-2 VPN connections:\n\nLegend for connection status (St)\nEI -- encapsulation invalid      NC -- interface encapsulation not CCC/TCC/VPLS\nEM -- encapsulation mismatch     WE -- interface and instance encaps not same\nVC-Dn -- Virtual circuit down    NP -- interface hardware not present\nCM -- control-word mismatch      -> -- only outbound connection is up\nCN -- circuit not provisioned    <- -- only inbound connection is up\nOR -- out of range               Up -- operational\nOL -- no outgoing label          Dn -- down\nLD -- local site signaled down   CF -- call admission control failure\nRD -- remote site signaled down  SC -- local and remote site ID collision\nLN -- local site not designated  LM -- local site ID not minimum designated\nRN -- remote site not designated RM -- remote site ID not minimum designated\nXX -- unknown connection status  IL -- no incoming label\nMM -- MTU mismatch               MI -- Mesh-Group ID not available\n\n")
		up, down := 0, 0
		for _, inst := range v.keys("routing-instances") {
			if v.value("routing-instances", inst, "instance-type") != typ {
				continue
			}
			if f := r.arg("instance"); f != "" && f != inst {
				continue
			}
			var vi netstate.VPLSInstance
			if st != nil {
				if typ == "l2vpn" {
					vi = st.L2VPN(name, inst)
				} else {
					vi = st.VPLS(name, inst)
				}
			}
			if vi.Signalling == "" {
				vi = lonelyInstance(v, inst, typ)
			}
			w.open("instance").leaf("instance-name", inst)
			fmt.Fprintf(&text, "Instance: %s\n", inst)
			if vi.Signalling == "ldp" {
				vid := strconv.FormatUint(uint64(vi.VPLSID), 10)
				w.open("ldp-vpls-reference-site").leaf("vpls-id", vid)
				fmt.Fprintf(&text, "  VPLS-id: %s\n    Neighbor                  Type  St     Time last up          # Up trans\n", vid)
				for _, c := range vi.Connections {
					if !stateWanted(r, c.Status) {
						continue
					}
					countStatus(c.Status, &up, &down)
					id := fmt.Sprintf("%s(vpls-id %s)", c.Neighbor, vid)
					w.open("connection").leaf("connection-id", id).leaf("connection-type", "rmt").leaf("connection-status", c.Status).leaf("remote-pe", c.Neighbor.String())
					labels(&w, c.InLabel, c.OutLabel)
					if c.MeshGroup != "" {
						w.leaf("mesh-group", c.MeshGroup)
					}
					w.close("connection")
					fmt.Fprintf(&text, "    %-26s%-6s%-7s%-22s%d\n", id, "rmt", c.Status, "", 0)
				}
				w.close("ldp-vpls-reference-site")
			}
			for _, site := range vi.Sites {
				sid := strconv.FormatUint(uint64(site.ID), 10)
				w.open("reference-site").leaf("local-site-id", sid).leaf("site-name", site.Name)
				w.leaf("num-local-interfaces", strconv.Itoa(len(site.Interfaces)))
				w.leaf("site-state", site.State).leaf("site-preference", strconv.Itoa(site.Preference))
				fmt.Fprintf(&text, "  Local site: %s (%s)\n", site.Name, sid)
				n := 0
				for _, c := range vi.Connections {
					if c.LocalSite != site.ID || !stateWanted(r, c.Status) {
						continue
					}
					if n == 0 {
						text.WriteString("    connection-site           Type  St     Time last up          # Up trans\n")
					}
					n++
					countStatus(c.Status, &up, &down)
					rs := strconv.FormatUint(uint64(c.RemoteSite), 10)
					w.open("connection").leaf("connection-id", rs).leaf("connection-type", "rmt").leaf("connection-status", c.Status)
					if c.Neighbor.IsValid() {
						w.leaf("remote-pe", c.Neighbor.String())
					}
					labels(&w, c.InLabel, c.OutLabel)
					if c.Interface != "" {
						w.open("local-interface").leaf("interface-name", c.Interface).close("local-interface")
					}
					w.close("connection")
					fmt.Fprintf(&text, "    %-26s%-6s%-7s%-22s%d\n", rs, "rmt", c.Status, "", 0)
					if c.Neighbor.IsValid() {
						fmt.Fprintf(&text, "      Remote PE: %s\n", c.Neighbor)
					}
				}
				if n == 0 {
					text.WriteString("    No connections found.\n")
				}
				w.close("reference-site")
			}
			w.close("instance")
			text.WriteString("\n")
		}
		w.open("connections-summary").leaf("vc-up-count", strconv.Itoa(up)).leaf("vc-down-count", strconv.Itoa(down)).close("connections-summary")
		w.close(root)
		return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
	}
}

// lonelyInstance is an instance as a device with no network sees it: its
// sites and configured LDP neighbours, all without outgoing labels.
func lonelyInstance(v cfgView, inst, typ string) netstate.VPLSInstance {
	vi := netstate.VPLSInstance{Name: inst, Type: typ, Signalling: "bgp"}
	base := []string{"routing-instances", inst, "protocols", typ}
	var peers []string
	peers = append(peers, v.keys(cat(base, "neighbor")...)...)
	for _, mg := range v.keys(cat(base, "mesh-group")...) {
		peers = append(peers, v.keys(cat(base, "mesh-group", mg, "neighbor")...)...)
	}
	if len(peers) > 0 {
		vi.Signalling = "ldp"
		id, _ := strconv.ParseUint(v.value(cat(base, "vpls-id")...), 10, 32)
		vi.VPLSID = uint32(id)
		for _, p := range peers {
			a, _ := netip.ParseAddr(p)
			vi.Connections = append(vi.Connections, netstate.VPLSConn{Neighbor: a, Status: "OL"})
		}
	}
	for _, site := range v.keys(cat(base, "site")...) {
		id, _ := strconv.ParseUint(v.value(cat(base, "site", site, "site-identifier")...), 10, 32)
		vi.Sites = append(vi.Sites, netstate.Site{Name: site, ID: uint32(id), Preference: 100, State: "active"})
	}
	return vi
}

func stateWanted(r opRequest, status string) bool {
	switch {
	case r.flag("up"):
		return status == "Up"
	case r.flag("down"):
		return status != "Up"
	}
	return true
}

func countStatus(status string, up, down *int) {
	if status == "Up" {
		*up++
	} else {
		*down++
	}
}

func labels(w *xw, in, out uint32) {
	if in != 0 {
		w.leaf("inbound-label", strconv.FormatUint(uint64(in), 10))
	}
	if out != 0 {
		w.leaf("outbound-label", strconv.FormatUint(uint64(out), 10))
	}
}

func opPTPClock(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	if !v.exists("protocols", "ptp") {
		return nil, &dbError{"operation-failed", "error: the ptp subsystem is not running"}
	}
	st, name := d.netView()
	p := netstate.PTPState{Role: "none", Lock: "FREERUN", ClockClass: 248}
	if st != nil {
		p = st.PTP(name)
	}
	self := ptpClockID(d.Hostname())
	parent, gm := self, self
	if p.Master != "" {
		parent = ptpClockID(p.Master)
	}
	if p.GMID != "" {
		gm = p.GMID
	}
	slaveOnly := "false"
	if p.Role == "slave" {
		slaveOnly = "true"
	}
	var w xw
	w.open("ptp-clock", "xmlns", d.ns("junos-ptp"))
	w.leaf("ptp-clock-id-default", self).leaf("ptp-clock-parent-id", parent).leaf("ptp-clock-class", strconv.Itoa(p.ClockClass))
	w.leaf("ptp-clock-accuracy", "0xfe").leaf("ptp-clock-priority1", "128").leaf("ptp-clock-priority2", "128")
	w.leaf("ptp-clock-steps-removed", strconv.Itoa(p.Hops)).leaf("ptp-gmc-id", gm).leaf("ptp-gmc-class", strconv.Itoa(gmClass(p)))
	w.leaf("ptp-number-of-ports", strconv.Itoa(len(v.keys("protocols", "ptp", "slave", "interface"))+len(v.keys("protocols", "ptp", "master", "interface"))))
	w.leaf("ptp-clock-slave-only", slaveOnly).leaf("ptp-clock-role", p.Role).leaf("ptp-lock-state", p.Lock)
	w.close("ptp-clock")
	text := fmt.Sprintf("Clock Info:\n  Local clock ID      : %s\n  Parent clock ID     : %s\n  Clock class         : %d\n  Steps removed       : %d\n  GM clock ID         : %s\n  Role                : %s\n  Lock state          : %s\n",
		self, parent, p.ClockClass, p.Hops, gm, p.Role, p.Lock)
	return &reply{xml: w.bytes(), text: text}, nil
}

func gmClass(p netstate.PTPState) int {
	if p.Lock == "PHASE ALIGNED" || p.Role == "master" {
		return 6
	}
	return p.ClockClass
}

// ptpClockID derives an EUI-64 style clock identity from a device name.
func ptpClockID(name string) string {
	h := serialHash("ptp/" + name)
	return fmt.Sprintf("00:05:86:ff:fe:%02x:%02x:%02x", byte(h>>16), byte(h>>8), byte(h))
}

// ribCounts returns active route counts per table for get-instance-information.
func (d *Device) ribCounts(tables []string) map[string]int {
	st, name := d.netView()
	out := map[string]int{}
	if st == nil {
		return out
	}
	for _, t := range tables {
		seen := map[string]bool{}
		for _, r := range st.Routes(name, t) {
			seen[routeDest(r, t)] = true
		}
		out[t] = len(seen)
	}
	return out
}
