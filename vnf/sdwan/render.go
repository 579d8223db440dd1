package sdwan

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/vnf/internal/zonepolicy"
)

// Config is one site's rendered configuration.
type Config struct {
	Site string
	// XML is a <configuration> document with the interfaces, IKE, IPsec
	// and zones; RoutingXML holds the static routes, PoliciesXML the
	// security policies and NATXML (nil without local breakout) the source
	// NAT: load them all. Set is all of it as set lines.
	XML, RoutingXML, PoliciesXML, NATXML, Set []byte
}

// Zone names used at every site.
const (
	ZoneLAN     = "trust"
	ZoneWAN     = "untrust"
	ZoneOverlay = "sdwan"
)

// Render writes one site's SD-WAN configuration for an SRX or an NFX (both
// take the same statements): each WAN link's address on its interface, an
// st0 unit per tunnel with its /31, IKE and
// IPsec (one proposal and policy per network, a gateway and a route-based
// VPN per tunnel, established at once or on traffic), security zones (LAN,
// WAN links accepting IKE, overlay), policies between LAN and overlay, a
// static route to every other site's LAN whose next hop is the best tunnel
// and whose qualified next hops are the others in order of preference, a
// host route to each tunnel peer's underlay address through the local
// link's Gateway (when it has one, so IKE leaves by the link of its
// transport), and the Internet route the breakout calls for (with source NAT on local
// breakout). Every tunnel must have its address (AssignAddresses). Render is
// pure and deterministic. Errors wrap ErrInvalid.
func Render(d Design, site string) (Config, error) {
	n := d.Network
	s := n.site(site)
	if s == nil {
		return Config{}, fmt.Errorf("sdwan: render %s/%s: site %q: not in the network: %w", n.Tenant, n.Name, site, ErrInvalid)
	}
	var mine []Tunnel
	for _, t := range d.Tunnels {
		if !t.has(site) {
			continue
		}
		if !t.Address.IsValid() || t.Address.Bits() != 31 || n.Encapsulation == GREoverIPsec && !t.GREAddress.IsValid() {
			return Config{}, fmt.Errorf("sdwan: render %s: tunnel %s has no /31 address: %w", site, t.ID(), ErrInvalid)
		}
		mine = append(mine, t)
	}
	t := jtree.New()
	prefix := n.Tenant + "-" + n.Name

	// interfaces: the WAN links' addresses, then the tunnels
	ifs := t.Container(jtree.Root, "interfaces")
	for _, l := range s.Links {
		port, unit, _ := strings.Cut(l.Interface, ".")
		u := t.Entry(t.NamelessEntry(ifs, "interface", port), "unit", unit)
		t.Own(t.Entry(t.Container(t.SetStyle(t.Container(u, "family"), jtree.Flat), "inet"), "address", l.Address.String()))
	}
	st0 := t.NamelessEntry(ifs, "interface", "st0")
	for _, tu := range mine {
		u := t.Own(t.Entry(st0, "unit", strconv.Itoa(tu.unit(site))))
		t.Leaf(u, "description", "sdwan "+prefix+" to "+tu.peer(site)+" over "+tu.Transport)
		local, far := tu.ends(site)
		t.Entry(t.Container(t.SetStyle(t.Container(u, "family"), jtree.Flat), "inet"), "address", local.String())
		if n.Encapsulation == GREoverIPsec {
			gr := t.NamelessEntry(ifs, "interface", "gr-0/0/0")
			gu := t.Own(t.Entry(gr, "unit", strconv.Itoa(tu.unit(site))))
			t.Leaf(gu, "description", "sdwan "+prefix+" gre to "+tu.peer(site)+" over "+tu.Transport)
			tn := t.Container(gu, "tunnel")
			t.Leaf(tn, "source", local.Addr().String())
			t.Leaf(tn, "destination", far.Addr().String())
			gl, _ := tu.hopEnds(site)
			t.Entry(t.Container(t.SetStyle(t.Container(gu, "family"), jtree.Flat), "inet"), "address", gl.String())
		}
	}

	// routing-options static, in a tree of its own
	rt := jtree.New()
	static := rt.Container(rt.Container(jtree.Root, "routing-options"), "static")
	for _, o := range n.Sites {
		if o.Name == site {
			continue
		}
		ts, _ := d.candidates(site, o.Name)
		addRoute(rt, static, o.LAN.Masked(), site, ts, netip.Addr{})
	}
	// underlay: a host route to every tunnel peer's address over the
	// local link of that transport, when the link names its gateway
	for _, tu := range mine {
		if gw := s.link(tu.Transport).Gateway; gw.IsValid() {
			far := n.site(tu.peer(site)).link(tu.Transport).Address.Addr()
			r := rt.Own(rt.Entry(static, "route", netip.PrefixFrom(far, 32).String()))
			rt.LeafList(r, "next-hop", gw.String())
		}
	}
	if n.hubRank(site) == 0 && n.CentralSite != site {
		var ts []Tunnel
		var gw netip.Addr
		switch n.Breakout {
		case BreakoutLocal:
			gw = s.Links[slices.IndexFunc(s.Links, func(l Link) bool { return l.Transport == n.BreakoutTransport })].Gateway
			ts, _ = d.candidates(site, "")
		case BreakoutHub:
			ts, _ = d.candidates(site, "")
		case BreakoutCentral:
			ts, _ = d.candidates(site, n.CentralSite)
		}
		addRoute(rt, static, netip.MustParsePrefix("0.0.0.0/0"), site, ts, gw)
	}

	// security
	sec := t.Container(jtree.Root, "security")
	ike := t.Container(sec, "ike")
	ikeName := prefix
	ip := t.Own(t.Entry(ike, "proposal", ikeName))
	t.Leaf(ip, "authentication-method", "pre-shared-keys")
	t.Leaf(ip, "dh-group", "group14")
	t.Leaf(ip, "authentication-algorithm", "sha-256")
	t.Leaf(ip, "encryption-algorithm", "aes-256-cbc")
	pol := t.Own(t.Entry(ike, "policy", ikeName))
	t.Leaf(pol, "mode", "main")
	t.LeafList(pol, "proposals", ikeName)
	t.Leaf(t.Container(pol, "pre-shared-key"), "ascii-text", n.PreSharedKey)
	for _, tu := range mine {
		gw := t.Own(t.Entry(ike, "gateway", gatewayName(prefix, site, tu)))
		t.Leaf(gw, "ike-policy", ikeName)
		t.LeafList(gw, "address", n.site(tu.peer(site)).link(tu.Transport).Address.Addr().String())
		t.Leaf(gw, "external-interface", s.link(tu.Transport).Interface)
	}
	ipsec := t.Container(sec, "ipsec")
	pp := t.Own(t.Entry(ipsec, "proposal", ikeName))
	t.Leaf(pp, "protocol", "esp")
	t.Leaf(pp, "authentication-algorithm", "hmac-sha-256-128")
	t.Leaf(pp, "encryption-algorithm", "aes-256-cbc")
	t.LeafList(t.Own(t.Entry(ipsec, "policy", ikeName)), "proposals", ikeName)
	for _, tu := range mine {
		v := t.Own(t.Entry(ipsec, "vpn", gatewayName(prefix, site, tu)))
		t.Leaf(v, "bind-interface", "st0."+strconv.Itoa(tu.unit(site)))
		vi := t.Container(v, "ike")
		t.Leaf(vi, "gateway", gatewayName(prefix, site, tu))
		t.Leaf(vi, "ipsec-policy", ikeName)
		est := "immediately"
		if tu.OnTraffic {
			est = "on-traffic"
		}
		t.Leaf(v, "establish-tunnels", est)
	}
	var nat []zonepolicy.SourceNAT
	if n.Breakout == BreakoutLocal && n.hubRank(site) == 0 {
		nat = append(nat, zonepolicy.SourceNAT{RuleSet: prefix + "-breakout", From: ZoneLAN, To: ZoneWAN,
			Rules: []zonepolicy.NATRule{{Name: "internet", Source: []string{s.LAN.Masked().String()}, Destination: []string{"0.0.0.0/0"}}}})
	}
	var pairs []zonepolicy.Pair
	for _, p := range []struct{ from, to string }{{ZoneLAN, ZoneOverlay}, {ZoneOverlay, ZoneLAN}, {ZoneLAN, ZoneWAN}} {
		if p.to == ZoneWAN && (n.Breakout != BreakoutLocal || n.hubRank(site) > 0) {
			continue
		}
		pairs = append(pairs, zonepolicy.Pair{From: p.from, To: p.to, Policies: []zonepolicy.Policy{{
			Name: prefix + "-" + p.to, Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"any"},
			Action: zonepolicy.Permit}}})
	}
	zones := t.Container(sec, "zones")
	lan := t.Entry(zones, "security-zone", ZoneLAN)
	t.Own(t.Entry(lan, "interfaces", s.LANInterface))
	wan := t.Entry(zones, "security-zone", ZoneWAN)
	for _, l := range s.Links {
		wi := t.Own(t.Entry(wan, "interfaces", l.Interface))
		t.Entry(t.Container(wi, "host-inbound-traffic"), "system-services", "ike")
	}
	ov := t.Entry(zones, "security-zone", ZoneOverlay)
	for _, tu := range mine {
		t.Own(t.Entry(ov, "interfaces", "st0."+strconv.Itoa(tu.unit(site))))
		if n.Encapsulation == GREoverIPsec {
			t.Own(t.Entry(ov, "interfaces", "gr-0/0/0."+strconv.Itoa(tu.unit(site))))
		}
	}
	for _, err := range []error{t.Err(), rt.Err(), zonepolicy.Check(pairs), zonepolicy.CheckNAT(nat)} {
		if err != nil {
			return Config{}, fmt.Errorf("sdwan: render %s: %w: %w", site, ErrInvalid, err)
		}
	}
	c := Config{Site: site, XML: t.AppendXML(nil), RoutingXML: rt.AppendXML(nil), PoliciesXML: zonepolicy.AppendXML(nil, pairs, false)}
	if len(nat) > 0 {
		c.NATXML = zonepolicy.AppendNATXML(nil, nat)
	}
	c.Set = zonepolicy.AppendNATSet(zonepolicy.AppendSet(rt.AppendSet(t.AppendSet(nil)), pairs), nat)
	return c, nil
}

func gatewayName(prefix, site string, tu Tunnel) string {
	return prefix + "-" + tu.peer(site) + "-" + tu.Transport
}

func (s *Site) link(tr string) Link {
	return s.Links[slices.IndexFunc(s.Links, func(l Link) bool { return l.Transport == tr })]
}

// addRoute writes route p: next hop the first candidate tunnel's far end
// (or gw, when set, with the tunnels as fallbacks), then qualified next
// hops with rising preference.
func addRoute(t *jtree.Tree, static jtree.Ref, p netip.Prefix, site string, ts []Tunnel, gw netip.Addr) {
	var hops []netip.Addr
	if gw.IsValid() {
		hops = append(hops, gw)
	}
	for _, tu := range ts {
		_, far := tu.hopEnds(site)
		if !slices.Contains(hops, far.Addr()) {
			hops = append(hops, far.Addr())
		}
	}
	if len(hops) == 0 {
		return
	}
	r := t.Own(t.Entry(static, "route", p.String()))
	t.LeafList(r, "next-hop", hops[0].String())
	for i, h := range hops[1:] {
		t.Leaf(t.Entry(r, "qualified-next-hop", h.String()), "preference", strconv.Itoa(6+i))
	}
}
