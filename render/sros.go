package render

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/jtree"
)

// SR OS rendering: MD-CLI flat commands with absolute paths, one per line,
// for a private or exclusive candidate ("edit-config private", paste,
// "commit"):
//
//	/configure service epipe "eline-1" service-id 1100
//	/configure service epipe "eline-1" sap 1/1/1:100 admin-state enable
//
// Removal is one "delete /configure service … "NAME"" per service.

// mdcli collects MD-CLI lines.
type mdcli struct {
	b   []byte
	err error
}

// word is one element of a command: bare (keywords, numbers, SAP and SDP
// ids, addresses) or a quoted string.
type word struct {
	s      string
	quoted bool
}

func kw(s string) word  { return word{s: s} }
func str(s string) word { return word{s: s, quoted: true} }

func (m *mdcli) line(prefix []word, rest ...word) {
	m.b = append(m.b, "/configure"...)
	for _, ws := range [2][]word{prefix, rest} {
		for _, w := range ws {
			m.b = append(m.b, ' ')
			m.b = m.appendWord(m.b, w)
		}
	}
	m.b = append(m.b, '\n')
}

func (m *mdcli) appendWord(b []byte, w word) []byte {
	if err := jtree.CheckValue(w.s); err != nil {
		if m.err == nil {
			m.err = err
		}
		return b
	}
	if !w.quoted {
		if jtree.NeedsQuotes(w.s) {
			w.quoted = true
		} else {
			return append(b, w.s...)
		}
	}
	// MD-CLI strings: double quotes, with '"' and '\' escaped by a
	// backslash.
	b = append(b, '"')
	for i := 0; i < len(w.s); i++ {
		if c := w.s[i]; c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, w.s[i])
	}
	return append(b, '"')
}

// srosCustomer is the customer every service is created under.
const srosCustomer = "1"

// sdpID derives the SDP id for a far end from its loopback: the low 15
// bits of an IPv4 loopback, plus one (1–32768 would overflow, so 0x7fff
// maps to 32767). SDPs are transport shared by every service to that far
// end and are never removed.
func sdpID(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	v := a.As4()
	id := (uint32(v[2])<<8|uint32(v[3]))&0x7fff + 1
	if id > 32767 {
		id = 32767
	}
	return id
}

// sap writes the SAP id of an attachment: port, port:vlan or
// port:outer.inner.
func sap(a *design.Attachment) string {
	switch {
	case a.VLAN == 0:
		return a.Interface
	case a.InnerVLAN != 0:
		return a.Interface + ":" + a.VLAN.String() + "." + a.InnerVLAN.String()
	}
	return a.Interface + ":" + a.VLAN.String()
}

func u(v uint64) word { return kw(strconv.FormatUint(v, 10)) }

// sros renders d for an SR OS device.
func sros(svc *design.Service, d *design.DeviceIntent, remove bool) ([]byte, error) {
	unsupported := func(field, what string) error {
		return fieldErr(svc, d, field, ErrUnsupported, "%s is not rendered for Nokia SR OS", what)
	}
	switch {
	case len(d.LSPs) > 0:
		return nil, unsupported("lsps", "RSVP LSPs")
	case len(d.StaticLSPs) > 0:
		return nil, unsupported("staticLsps", "static LSPs")
	case d.L2VPN != nil:
		return nil, unsupported("l2vpn", "a BGP-signalled E-LINE (l2vpn)")
	case d.VPLS != nil && d.VPLS.Signalling != design.SignallingLDP:
		return nil, unsupported("vpls.signalling", "BGP-signalled VPLS")
	}
	att := func(field, ifname string) (*design.Attachment, error) {
		for i := range d.Attachments {
			if d.Attachments[i].Name() == ifname {
				return &d.Attachments[i], nil
			}
		}
		return nil, fieldErr(svc, d, field, ErrInvalid, "interface %s is not one of the device's attachments", ifname)
	}
	m := &mdcli{}
	sdps := map[uint32]netip.Addr{}
	sdp := func(field string, far netip.Addr) (string, error) {
		id := sdpID(far)
		if id == 0 {
			return "", fieldErr(svc, d, field, ErrUnsupported, "SDP far end %s is not IPv4", far)
		}
		if prev, ok := sdps[id]; ok && prev != far {
			return "", fieldErr(svc, d, field, ErrUnsupported, "far ends %s and %s map to the same SDP id %d", prev, far, id)
		}
		sdps[id] = far
		return strconv.FormatUint(uint64(id), 10), nil
	}
	serviceID := func(field string, v uint64) (word, error) {
		if v == 0 || v > 2147483647 {
			return word{}, fieldErr(svc, d, field, ErrUnsupported, "service-id %d outside 1-2147483647", v)
		}
		return u(v), nil
	}
	var sdpOrder []uint32
	note := func(id string) {
		n, _ := strconv.ParseUint(id, 10, 32)
		for _, x := range sdpOrder {
			if x == uint32(n) {
				return
			}
		}
		sdpOrder = append(sdpOrder, uint32(n))
	}

	// E-LINE: one epipe per pseudowire.
	for i := range d.L2Circuits {
		c := &d.L2Circuits[i]
		field := fmt.Sprintf("l2circuits[%d]", i)
		if c.Backup != nil {
			return nil, unsupported(field+".backup", "a backup pseudowire")
		}
		a, err := att(field+".interface", c.Interface)
		if err != nil {
			return nil, err
		}
		if a.VLANMap == design.VLANMapPush || a.VLANMap == design.VLANMapSwap {
			return nil, unsupported(field+".vlanMap", "VLAN map "+a.VLANMap)
		}
		name := svc.Name
		if len(d.L2Circuits) > 1 {
			name = svc.Name + "-" + c.VCID.String()
		}
		sid, err := serviceID(field+".vcid", uint64(c.VCID))
		if err != nil {
			return nil, err
		}
		s, err := sdp(field+".neighbor", c.Neighbor)
		if err != nil {
			return nil, err
		}
		note(s)
		p := []word{kw("service"), kw("epipe"), str(name)}
		if remove {
			m.b = append(m.b, "delete "...)
			m.line(p)
			continue
		}
		m.line(p, kw("admin-state"), kw("enable"))
		if desc := pick(c.Description, svc.Description); desc != "" {
			m.line(p, kw("description"), str(desc))
		}
		m.line(p, kw("service-id"), sid)
		m.line(p, kw("customer"), str(srosCustomer))
		if c.MTU != 0 {
			// SR OS service-mtu counts the Ethernet header that the
			// Junos pseudowire MTU leaves out.
			m.line(p, kw("service-mtu"), u(uint64(c.MTU)+14))
		}
		sp := append(p[:len(p):len(p)], kw("sap"), kw(sap(a)))
		m.line(sp, kw("admin-state"), kw("enable"))
		if desc := Description(a.Description); desc != "" {
			m.line(sp, kw("description"), str(desc))
		}
		spoke := append(p[:len(p):len(p)], kw("spoke-sdp"), kw(s+":"+c.VCID.String()))
		m.line(spoke, kw("admin-state"), kw("enable"))
		if c.Encapsulation == design.EncapEthernetVLAN {
			m.line(spoke, kw("vc-type"), kw("vlan"))
		}
		if c.ControlWord {
			m.line(spoke, kw("control-word"), kw("true"))
		}
	}

	// VPLS (LDP): mesh-sdp per neighbor, spoke-sdp per mesh-group member.
	if v := d.VPLS; v != nil {
		sid, err := serviceID("vpls.vplsId", uint64(v.VPLSID))
		if err != nil {
			return nil, err
		}
		p := []word{kw("service"), kw("vpls"), str(v.Name)}
		if remove {
			m.b = append(m.b, "delete "...)
			m.line(p)
		} else {
			m.line(p, kw("admin-state"), kw("enable"))
			if desc := pick(v.Description, svc.Description); desc != "" {
				m.line(p, kw("description"), str(desc))
			}
			m.line(p, kw("service-id"), sid)
			m.line(p, kw("customer"), str(srosCustomer))
			if v.MTU != 0 {
				m.line(p, kw("service-mtu"), u(uint64(v.MTU)+14))
			}
			for _, g := range v.MeshGroups {
				if !g.LocalSwitching {
					m.line(append(p[:len(p):len(p)], kw("split-horizon-group"), str(g.Name)))
				}
			}
		}
		for i, n := range v.Interfaces {
			a, err := att(fmt.Sprintf("vpls.interfaces[%d]", i), n)
			if err != nil {
				return nil, err
			}
			if !remove {
				m.line(append(p[:len(p):len(p)], kw("sap"), kw(sap(a))), kw("admin-state"), kw("enable"))
			}
		}
		for i, n := range v.Neighbors {
			s, err := sdp(fmt.Sprintf("vpls.neighbors[%d]", i), n)
			if err != nil {
				return nil, err
			}
			note(s)
			if !remove {
				m.line(append(p[:len(p):len(p)], kw("mesh-sdp"), kw(s+":"+v.VPLSID.String())), kw("admin-state"), kw("enable"))
			}
		}
		for gi, g := range v.MeshGroups {
			for i, n := range g.Neighbors {
				s, err := sdp(fmt.Sprintf("vpls.meshGroups[%d].neighbors[%d]", gi, i), n)
				if err != nil {
					return nil, err
				}
				note(s)
				if remove {
					continue
				}
				sp := append(p[:len(p):len(p)], kw("spoke-sdp"), kw(s+":"+g.VPLSID.String()))
				m.line(sp, kw("admin-state"), kw("enable"))
				if !g.LocalSwitching {
					m.line(sp, kw("split-horizon-group"), str(g.Name))
				}
			}
		}
	}

	// L3VPN: vprn.
	if v := d.VRF; v != nil {
		if len(v.ImportRTs) != 1 || len(v.ExportRTs) != 1 {
			return nil, unsupported("vrf.importRts", "more than one route target per direction")
		}
		sid, err := serviceID("vrf.rd", uint64(v.RD.Number()))
		if err != nil {
			return nil, err
		}
		p := []word{kw("service"), kw("vprn"), str(v.Name)}
		if remove {
			m.b = append(m.b, "delete "...)
			m.line(p)
		} else {
			m.line(p, kw("admin-state"), kw("enable"))
			if desc := pick(v.Description, svc.Description); desc != "" {
				m.line(p, kw("description"), str(desc))
			}
			m.line(p, kw("service-id"), sid)
			m.line(p, kw("customer"), str(srosCustomer))
			m.line(p, kw("route-distinguisher"), str(v.RD.String()))
			vt := append(p[:len(p):len(p)], kw("vrf-target"))
			if v.ImportRTs[0] == v.ExportRTs[0] {
				m.line(vt, kw("community"), str(v.ImportRTs[0].String()))
			} else {
				m.line(vt, kw("import-community"), str(v.ImportRTs[0].String()))
				m.line(vt, kw("export-community"), str(v.ExportRTs[0].String()))
			}
			m.line(p, kw("auto-bind-tunnel"), kw("resolution"), kw("any"))
		}
		for i, n := range v.Interfaces {
			a, err := att(fmt.Sprintf("vrf.interfaces[%d]", i), n)
			if err != nil {
				return nil, err
			}
			if remove {
				continue
			}
			ip := append(p[:len(p):len(p)], kw("interface"), str(n))
			m.line(ip, kw("admin-state"), kw("enable"))
			if desc := Description(a.Description); desc != "" {
				m.line(ip, kw("description"), str(desc))
			}
			if a.Address.IsValid() {
				m.line(ip, kw("ipv4"), kw("primary"), kw("address"), kw(a.Address.Addr().String()))
				m.line(ip, kw("ipv4"), kw("primary"), kw("prefix-length"), u(uint64(a.Address.Bits())))
			}
			if a.Address6.IsValid() {
				m.line(ip, kw("ipv6"), kw("address"), kw(a.Address6.Addr().String()), kw("prefix-length"), u(uint64(a.Address6.Bits())))
			}
			m.line(append(ip, kw("sap"), kw(sap(a))), kw("admin-state"), kw("enable"))
		}
		if !remove {
			for _, s := range v.StaticRoutes {
				rp := append(p[:len(p):len(p)], kw("static-routes"), kw("route"), kw(s.Prefix.Masked().String()), kw("route-type"), kw("unicast"),
					kw("next-hop"), str(s.NextHop.String()))
				m.line(rp, kw("admin-state"), kw("enable"))
			}
			if len(v.BGPNeighbors) > 0 {
				gp := append(p[:len(p):len(p)], kw("bgp"), kw("group"), str(v.BGPGroup))
				m.line(gp, kw("admin-state"), kw("enable"))
				for _, n := range v.BGPNeighbors {
					if n.ASOverride {
						m.line(gp, kw("as-override"), kw("true"))
						break
					}
				}
				for _, n := range v.BGPNeighbors {
					np := append(p[:len(p):len(p)], kw("bgp"), kw("neighbor"), str(n.Addr.String()))
					m.line(np, kw("group"), str(v.BGPGroup))
					m.line(np, kw("peer-as"), kw(n.PeerAS.String()))
					if n.Addr.Is6() {
						m.line(np, kw("family"), kw("ipv6"), kw("true"))
					}
				}
			}
		}
	}
	if !remove {
		// The SDPs the services ride on: shared transport, written so a
		// fresh device works, never removed.
		var sb []byte
		old := m.b
		m.b = sb
		for _, id := range sdpOrder {
			p := []word{kw("service"), kw("sdp"), u(uint64(id))}
			m.line(p, kw("admin-state"), kw("enable"))
			m.line(p, kw("delivery-type"), kw("mpls"))
			m.line(p, kw("ldp"), kw("true"))
			m.line(p, kw("signaling"), kw("tldp"))
			m.line(p, kw("far-end"), kw("ip-address"), kw(sdps[id].String()))
		}
		m.b = append(m.b, old...)
	}
	if m.err != nil {
		return nil, &Error{Service: svc.Name, Device: d.Device, Err: fmt.Errorf("%w: %w", ErrInvalid, m.err)}
	}
	return m.b, nil
}
