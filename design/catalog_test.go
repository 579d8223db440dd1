package design_test

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
)

var (
	mx480 = design.Platform{Vendor: "juniper", Model: "mx480", Series: "MX"}
	mx204 = design.Platform{Vendor: "juniper", Model: "mx204", Series: "MX"}
	acx   = design.Platform{Vendor: "juniper", Model: "acx710", Series: "ACX"}
	ptx   = design.Platform{Vendor: "juniper", Model: "ptx10001-36mr", Series: "PTX"}
	sros  = design.Platform{Vendor: "nokia", Model: "7750-sr1", Series: "7750"}
)

func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }
func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func rd(s string) netid.RD      { return netid.MustParseRD(s) }
func rt(s string) netid.RT      { return netid.MustParseRT(s) }
func rts(s string) []netid.RT   { return []netid.RT{rt(s)} }
func ips(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, ip(s))
	}
	return out
}

func dev(name string, p design.Platform, lo string) design.DeviceIntent {
	return design.DeviceIntent{Device: name, Platform: p, Loopback: ip(lo)}
}

// vlanAtt is a VLAN-based attachment.
func vlanAtt(ifc string, vlan uint16, enc string) design.Attachment {
	return design.Attachment{Interface: ifc, Unit: uint32(vlan), Encapsulation: enc, VLAN: netid.VLANID(vlan)}
}

func pw(nbr, ifc string, vc uint32, enc string, mtu uint32) design.L2Circuit {
	return design.L2Circuit{Neighbor: ip(nbr), Interface: ifc, VCID: netid.VCID(vc), Encapsulation: enc, MTU: mtu}
}

func withDesc[T interface {
	design.Attachment | design.L2Circuit
}](x T, d string) T {
	switch v := any(&x).(type) {
	case *design.Attachment:
		v.Description = d
	case *design.L2Circuit:
		v.Description = d
	}
	return x
}

func l2params(sig, topo, enc string) design.Params {
	return design.Params{MTU: 9100, Encapsulation: enc, Signalling: sig, Topology: topo, VLANMode: design.VLANModeVLAN}
}

// TestCatalog designs every sample order in testdata/orders on fresh pools
// and compares the whole service with what the catalog entry should give.
func TestCatalog(t *testing.T) {
	t.Parallel()
	const ev, eth = design.EncapEthernetVLAN, design.EncapEthernet
	desc1 := `E-LINE for "Customer 1"`
	desc8 := "VLAN 200 at pe1, 300 at pe2, normalised to 500 on the pseudowire"
	mbh := "LTE backhaul, north region"
	vpls := func(name, sig string) *design.VPLSInstance {
		return &design.VPLSInstance{Name: name, Signalling: sig, NoTunnelServices: true, MTU: 9100}
	}
	bgpVPLS := func(name, r, site string, id, rng uint32, ifc string) *design.VPLSInstance {
		v := vpls(name, design.SignallingBGP)
		v.RD, v.RT, v.SiteName, v.SiteID, v.SiteRange, v.Interfaces = rd(r), rt("target:65000:1"), site, id, rng, []string{ifc}
		return v
	}
	ldpVPLS := func(name string, id uint32, ifc string, nbrs ...string) *design.VPLSInstance {
		v := vpls(name, design.SignallingLDP)
		v.VPLSID, v.Interfaces, v.Neighbors = netid.VCID(id), []string{ifc}, ips(nbrs...)
		return v
	}
	mh := func(v *design.VPLSInstance, pref string) *design.VPLSInstance {
		v.Multihomed, v.SitePreference = true, pref
		return v
	}
	hub := func(v *design.VPLSInstance) *design.VPLSInstance {
		v.MeshGroups = []design.MeshGroup{{Name: "spokes", VPLSID: 1001, LocalSwitching: true, Neighbors: ips("192.0.2.3", "192.0.2.4")}}
		return v
	}
	l3att := func(ifc string, vlan uint16, a4, a6, desc string) design.Attachment {
		a := vlanAtt(ifc, vlan, design.UnitInet)
		a.Description = desc
		if a4 != "" {
			a.Address = pfx(a4)
		}
		if a6 != "" {
			a.Address6 = pfx(a6)
		}
		return a
	}
	blue := func(r, ifc string, routes ...design.StaticRoute) *design.VRFInstance {
		return &design.VRFInstance{Name: "VRF-VPN-BLUE", Description: "Blue corp VPN", RD: rd(r), ImportRTs: rts("target:65000:1"), ExportRTs: rts("target:65000:1"),
			Interfaces: []string{ifc}, StaticRoutes: routes, VRFTableLabel: true}
	}
	red := func(role design.Role, r, peer string, as uint32, override bool) *design.VRFInstance {
		v := &design.VRFInstance{Name: "VRF-VPN-RED", RD: rd(r), Interfaces: []string{"ge-0/0/2.100"}, VRFTableLabel: true, BGPGroup: "CE",
			BGPNeighbors: []design.CEPeer{{Addr: ip(peer), PeerAS: netid.ASN(as), ASOverride: override}}}
		if role == design.RoleHub {
			v.ImportRTs, v.ExportRTs = rts("target:65000:2"), rts("target:65000:1")
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "VPN-RED-HUB-IMPORT", "VPN-RED-HUB-EXPORT", "VPN-RED-SPOKE", "VPN-RED-HUB"
		} else {
			v.ImportRTs, v.ExportRTs = rts("target:65000:1"), rts("target:65000:2")
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "VPN-RED-SPOKE-IMPORT", "VPN-RED-SPOKE-EXPORT", "VPN-RED-HUB", "VPN-RED-SPOKE"
		}
		return v
	}
	with := func(d design.DeviceIntent, f func(*design.DeviceIntent)) design.DeviceIntent { f(&d); return d }
	mbhSite := func(site, csr, lo string, csrPlat design.Platform, hubVLAN uint16, vc uint32) design.Service {
		pv := design.Params{MTU: 9100, Encapsulation: eth, Signalling: "ldp", Topology: "hub-and-spoke", VLANMode: "vlan", VLANMap: "pop"}
		att := func(ifc string, v uint16) design.Attachment {
			a := withDesc(vlanAtt(ifc, v, design.UnitVLANCCC), mbh)
			a.VLANMap = "pop"
			return a
		}
		return design.Service{Name: "mbh-north-" + site, Definition: "mobile-backhaul", Type: design.TypeELine, Description: mbh, Params: pv,
			Devices: []design.DeviceIntent{
				with(dev("agg1", design.Platform{Vendor: "juniper", Model: "mx960", Series: "MX"}, "192.0.2.30"), func(d *design.DeviceIntent) {
					d.Role = design.RoleHub
					d.Attachments = []design.Attachment{att("xe-0/1/0", hubVLAN)}
					d.L2Circuits = []design.L2Circuit{withDesc(pw(lo, "xe-0/1/0."+itoa(hubVLAN), vc, eth, 9100), mbh)}
				}),
				with(dev(csr, csrPlat, lo), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{att("ge-0/0/1", 100)}
					d.L2Circuits = []design.L2Circuit{withDesc(pw("192.0.2.30", "ge-0/0/1.100", vc, eth, 9100), mbh)}
				}),
			}}
	}
	lspParams := func(topo, bw string, standby bool) design.Params {
		p := design.Params{Signalling: "rsvp", Topology: topo, StandbySecondary: standby}
		if bw != "" {
			p.Bandwidth = netid.MustParseBitrate(bw)
		}
		return p
	}

	tests := []struct {
		file string
		want []design.Service
	}{
		{"eline-ldp.yaml", []design.Service{{Name: "eline-cust1", Definition: "eline-ldp", Type: design.TypeELine, Description: desc1,
			Params: l2params("ldp", "p2p", ev),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{withDesc(vlanAtt("ge-0/0/1", 100, design.UnitVLANCCC), desc1)}
					d.L2Circuits = []design.L2Circuit{withDesc(pw("192.0.2.2", "ge-0/0/1.100", 1000, ev, 9100), desc1)}
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{withDesc(vlanAtt("ge-0/0/1", 100, design.UnitVLANCCC), desc1)}
					d.L2Circuits = []design.L2Circuit{withDesc(pw("192.0.2.1", "ge-0/0/1.100", 1000, ev, 9100), desc1)}
				}),
			}}}},
		{"eline-ldp-port.yaml", []design.Service{{Name: "epl-cust7", Definition: "eline-ldp", Type: design.TypeELine,
			Params: design.Params{MTU: 9100, Encapsulation: eth, Signalling: "ldp", Topology: "p2p", VLANMode: "port"},
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{{Interface: "ge-0/0/3", Encapsulation: design.UnitEthernetCCC}}
					d.L2Circuits = []design.L2Circuit{pw("192.0.2.3", "ge-0/0/3.0", 1000, eth, 9100)}
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{{Interface: "ge-0/0/2", Encapsulation: design.UnitEthernetCCC}}
					d.L2Circuits = []design.L2Circuit{pw("192.0.2.1", "ge-0/0/2.0", 1000, eth, 9100)}
				}),
			}}}},
		{"eline-ldp-swap.yaml", []design.Service{{Name: "eline-cust8", Definition: "eline-ldp", Type: design.TypeELine, Description: desc8,
			Params: func() design.Params {
				p := l2params("ldp", "p2p", ev)
				p.VLANMap, p.NormalVLAN = "swap", 500
				return p
			}(),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					a := withDesc(vlanAtt("ge-0/0/2", 200, design.UnitVLANCCC), desc8)
					a.VLANMap, a.NormalVLAN = "swap", 500
					d.Attachments = []design.Attachment{a}
					d.L2Circuits = []design.L2Circuit{withDesc(pw("192.0.2.2", "ge-0/0/2.200", 1000, ev, 9100), desc8)}
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					a := withDesc(vlanAtt("ge-0/0/2", 300, design.UnitVLANCCC), desc8)
					a.VLANMap, a.NormalVLAN = "swap", 500
					d.Attachments = []design.Attachment{a}
					d.L2Circuits = []design.L2Circuit{withDesc(pw("192.0.2.1", "ge-0/0/2.300", 1000, ev, 9100), desc8)}
				}),
			}}}},
		{"gold-eline.yaml", []design.Service{{Name: "gold-cust9", Definition: "gold-eline", Type: design.TypeELine,
			Params: design.Params{MTU: 9000, Encapsulation: ev, ControlWord: true, Bandwidth: 2e9, QoSProfile: "gold", Signalling: "ldp", Topology: "p2p", VLANMode: "vlan"},
			Devices: []design.DeviceIntent{
				with(dev("pe4", mx204, "192.0.2.4"), func(d *design.DeviceIntent) {
					a := vlanAtt("ge-0/0/1", 100, design.UnitVLANCCC)
					a.Bandwidth, a.QoSProfile = 2e9, "gold"
					d.Attachments = []design.Attachment{a}
					c := pw("192.0.2.20", "ge-0/0/1.100", 1000, ev, 9000)
					c.ControlWord = true
					d.L2Circuits = []design.L2Circuit{c}
				}),
				with(dev("sr1", sros, "192.0.2.20"), func(d *design.DeviceIntent) {
					a := vlanAtt("1/1/c2/1", 100, design.UnitVLANCCC)
					a.Bandwidth, a.QoSProfile = 2e9, "gold"
					d.Attachments = []design.Attachment{a}
					c := pw("192.0.2.4", "1/1/c2/1.100", 1000, ev, 9000)
					c.ControlWord = true
					d.L2Circuits = []design.L2Circuit{c}
				}),
			}}}},
		{"eline-bgp.yaml", []design.Service{{Name: "eline-cust2", Definition: "eline-bgp", Type: design.TypeELineBGP,
			Params: l2params("bgp", "p2p", ev),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/2", 100, design.UnitVLANCCC)}
					d.L2VPN = &design.L2VPNInstance{Name: "L2VPN-ELINE-CUST2", RD: rd("65000:1"), RT: rt("target:65000:1"), Encapsulation: ev, MTU: 9100,
						SiteName: "paris", SiteID: 1, RemoteSiteID: 2, Interface: "ge-0/0/2.100"}
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/2", 100, design.UnitVLANCCC)}
					d.L2VPN = &design.L2VPNInstance{Name: "L2VPN-ELINE-CUST2", RD: rd("65000:2"), RT: rt("target:65000:1"), Encapsulation: ev, MTU: 9100,
						SiteName: "lyon", SiteID: 2, RemoteSiteID: 1, Interface: "ge-0/0/2.100"}
				}),
			}}}},
		{"vpls-bgp.yaml", []design.Service{{Name: "vpls-cust3", Definition: "vpls-bgp", Type: design.TypeVPLS,
			Params: func() design.Params { p := l2params("bgp", "full-mesh", eth); p.SiteRange = 10; return p }(),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/3", 100, design.UnitVLANVPLS)}
					d.VPLS = bgpVPLS("VPLS-VPLS-CUST3", "65000:1", "pe1", 1, 10, "ge-0/0/3.100")
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/3", 100, design.UnitVLANVPLS)}
					d.VPLS = bgpVPLS("VPLS-VPLS-CUST3", "65000:2", "pe2", 2, 10, "ge-0/0/3.100")
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = bgpVPLS("VPLS-VPLS-CUST3", "65000:3", "pe3", 3, 10, "ge-0/0/1.100")
				}),
			}}}},
		{"vpls-ldp.yaml", []design.Service{{Name: "vpls-cust4", Definition: "vpls-ldp", Type: design.TypeVPLS,
			Params: func() design.Params { p := l2params("ldp", "full-mesh", eth); p.SiteRange = 64; return p }(),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = ldpVPLS("VPLS-VPLS-CUST4", 1000, "ge-0/0/1.100", "192.0.2.2", "192.0.2.3")
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = ldpVPLS("VPLS-VPLS-CUST4", 1000, "ge-0/0/1.100", "192.0.2.1", "192.0.2.3")
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = ldpVPLS("VPLS-VPLS-CUST4", 1000, "ge-0/0/1.100", "192.0.2.1", "192.0.2.2")
				}),
			}}}},
		{"vpls-hub-spoke.yaml", []design.Service{{Name: "hvpls-cust5", Definition: "vpls-hub-spoke", Type: design.TypeVPLS,
			Params: func() design.Params { p := l2params("ldp", "hub-and-spoke", eth); p.SiteRange = 64; return p }(),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Role = design.RoleHub
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = hub(ldpVPLS("VPLS-HVPLS-CUST5", 1000, "ge-0/0/1.100", "192.0.2.2"))
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Role = design.RoleHub
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = hub(ldpVPLS("VPLS-HVPLS-CUST5", 1000, "ge-0/0/1.100", "192.0.2.1"))
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Role = design.RoleSpoke
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANCCC)}
					c := pw("192.0.2.1", "ge-0/0/1.100", 1001, eth, 9100)
					c.Backup = &design.BackupNeighbor{Neighbor: ip("192.0.2.2"), Standby: true}
					d.L2Circuits = []design.L2Circuit{c}
				}),
				with(dev("pe4", mx204, "192.0.2.4"), func(d *design.DeviceIntent) {
					d.Role = design.RoleSpoke
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANCCC)}
					c := pw("192.0.2.1", "ge-0/0/1.100", 1001, eth, 9100)
					c.Backup = &design.BackupNeighbor{Neighbor: ip("192.0.2.2"), Standby: true}
					d.L2Circuits = []design.L2Circuit{c}
				}),
			}}}},
		{"vpls-multihoming.yaml", []design.Service{{Name: "vpls-mh6", Definition: "vpls-multihoming", Type: design.TypeVPLS,
			Params: func() design.Params { p := l2params("bgp", "multihomed", eth); p.SiteRange = 64; return p }(),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = mh(bgpVPLS("VPLS-VPLS-MH6", "65000:1", "ce-mh", 1, 64, "ge-0/0/1.100"), "primary")
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = mh(bgpVPLS("VPLS-VPLS-MH6", "65000:2", "ce-mh", 1, 64, "ge-0/0/1.100"), "backup")
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{vlanAtt("ge-0/0/1", 100, design.UnitVLANVPLS)}
					d.VPLS = bgpVPLS("VPLS-VPLS-MH6", "65000:3", "branch", 2, 64, "ge-0/0/1.100")
				}),
			}}}},
		{"l3vpn-full-mesh.yaml", []design.Service{{Name: "vpn-blue", Definition: "l3vpn-full-mesh", Type: design.TypeL3VPN, Description: "Blue corp VPN",
			Params: design.Params{Signalling: "bgp", Topology: "full-mesh", PECE: "static", VLANMode: "vlan", IPv4: true, IPv6: true},
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{l3att("ge-0/0/1", 100, "100.64.0.0/31", "fd00:ce::/127", "Blue corp VPN")}
					d.VRF = blue("65000:1", "ge-0/0/1.100",
						design.StaticRoute{Prefix: pfx("172.16.1.0/24"), NextHop: ip("100.64.0.1")},
						design.StaticRoute{Prefix: pfx("2001:db8:1::/48"), NextHop: ip("fd00:ce::1")})
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{l3att("ge-0/0/1", 100, "10.20.0.0/31", "fd00:ce::2/127", "Blue corp VPN")}
					d.VRF = blue("65000:2", "ge-0/0/1.100", design.StaticRoute{Prefix: pfx("172.16.2.0/24"), NextHop: ip("10.20.0.1")})
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Attachments = []design.Attachment{l3att("ge-0/0/1", 120, "100.64.0.2/31", "fd00:ce::4/127", "Blue corp VPN")}
					d.VRF = blue("65000:3", "ge-0/0/1.120")
				}),
			}}}},
		{"l3vpn-hub-spoke.yaml", []design.Service{{Name: "vpn-red", Definition: "l3vpn-hub-spoke", Type: design.TypeL3VPN,
			Params: design.Params{Signalling: "bgp", Topology: "hub-and-spoke", PECE: "bgp", VLANMode: "vlan", IPv4: true, CEAS: 64600},
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.Role = design.RoleHub
					d.Attachments = []design.Attachment{l3att("ge-0/0/2", 100, "100.64.0.0/31", "", "")}
					d.VRF = red(design.RoleHub, "65000:1", "100.64.0.1", 64601, false)
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.Role = design.RoleSpoke
					d.Attachments = []design.Attachment{l3att("ge-0/0/2", 100, "100.64.0.2/31", "", "")}
					d.VRF = red(design.RoleSpoke, "65000:2", "100.64.0.3", 64600, true)
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.Role = design.RoleSpoke
					d.Attachments = []design.Attachment{l3att("ge-0/0/2", 100, "100.64.0.4/31", "", "")}
					d.VRF = red(design.RoleSpoke, "65000:3", "100.64.0.5", 64600, true)
				}),
			}}}},
		{"rsvp-lsp-p2p.yaml", []design.Service{{Name: "lsp-pe1-pe2", Definition: "rsvp-lsp-p2p", Type: design.TypeLSP,
			Params: lspParams("p2p", "100M", true),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.LSPs = []design.LSP{{Name: "lsp-pe1-pe2", To: ip("192.0.2.2"), Bandwidth: 100e6,
						Primary:   &design.LSPPath{Name: "lsp-pe1-pe2-via", Hops: []design.Hop{{Addr: ip("192.0.2.10")}}},
						Secondary: &design.LSPPath{Name: "lsp-pe1-pe2-secondary", Standby: true}}}
				}),
				dev("pe2", mx480, "192.0.2.2"),
			}}}},
		{"rsvp-lsp-p2mp.yaml", []design.Service{{Name: "p2mp-tv", Definition: "rsvp-lsp-p2mp", Type: design.TypeLSP,
			Params: lspParams("p2mp", "50M", false),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.LSPs = []design.LSP{
						{Name: "p2mp-tv-pe2", To: ip("192.0.2.2"), Bandwidth: 50e6, P2MP: "p2mp-tv"},
						{Name: "p2mp-tv-pe3", To: ip("192.0.2.3"), Bandwidth: 50e6, P2MP: "p2mp-tv"},
					}
				}),
				dev("pe2", mx480, "192.0.2.2"),
				dev("pe3", mx204, "192.0.2.3"),
			}}}},
		{"rsvp-lsp-mesh.yaml", []design.Service{{Name: "core-mesh", Definition: "rsvp-lsp-mesh", Type: design.TypeLSP,
			Params: lspParams("full-mesh", "", false),
			Devices: []design.DeviceIntent{
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.LSPs = []design.LSP{{Name: "core-mesh-pe1-pe2", To: ip("192.0.2.2")}, {Name: "core-mesh-pe1-pe3", To: ip("192.0.2.3")}}
				}),
				with(dev("pe2", mx480, "192.0.2.2"), func(d *design.DeviceIntent) {
					d.LSPs = []design.LSP{{Name: "core-mesh-pe2-pe1", To: ip("192.0.2.1")}, {Name: "core-mesh-pe2-pe3", To: ip("192.0.2.3")}}
				}),
				with(dev("pe3", mx204, "192.0.2.3"), func(d *design.DeviceIntent) {
					d.LSPs = []design.LSP{{Name: "core-mesh-pe3-pe1", To: ip("192.0.2.1")}, {Name: "core-mesh-pe3-pe2", To: ip("192.0.2.2")}}
				}),
			}}}},
		{"static-lsp.yaml", []design.Service{{Name: "static-pe1-pe2", Definition: "static-lsp", Type: design.TypeStaticLSP,
			Params: design.Params{Signalling: "static", Topology: "p2p"},
			Devices: []design.DeviceIntent{
				with(dev("p1", ptx, "192.0.2.10"), func(d *design.DeviceIntent) {
					d.StaticLSPs = []design.StaticLSP{{Name: "static-pe1-pe2", NextHop: ip("10.0.0.2"), InLabel: 1000000}}
				}),
				with(dev("pe1", mx480, "192.0.2.1"), func(d *design.DeviceIntent) {
					d.StaticLSPs = []design.StaticLSP{{Name: "static-pe1-pe2", Ingress: true, To: ip("192.0.2.2"), NextHop: ip("10.0.0.1"), Push: 1000000}}
				}),
				dev("pe2", mx480, "192.0.2.2"),
			}}}},
		{"mobile-backhaul.yaml", []design.Service{
			mbhSite("site-001", "csr1", "192.0.2.101", acx, 100, 1000),
			mbhSite("site-002", "csr2", "192.0.2.102", acx, 101, 1001),
			mbhSite("site-003", "csr3", "192.0.2.103", acx, 102, 1002),
		}},
	}
	inv, cat := testInventory(t), testCatalog(t)
	files, _ := filepath.Glob("testdata/orders/*.yaml")
	if len(files) != len(tests) {
		t.Errorf("%d sample orders, %d test cases: every sample needs a case", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			o := testOrder(t, tt.file)
			def, ok := cat.Lookup(o.Definition)
			if !ok {
				t.Fatalf("no definition %q", o.Definition)
			}
			rs, err := design.DesignAll(context.Background(), newPools(t), inv, def, o)
			if err != nil {
				t.Fatal(err)
			}
			var got []design.Service
			for _, r := range rs {
				if err := r.Service.Validate(); err != nil {
					t.Errorf("designed service does not validate: %v", err)
				}
				got = append(got, r.Service)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("DesignAll(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

// cmpOpts compares the identifier and address value types by ==.
var cmpOpts = cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}, netid.RD{}, netid.RT{})

func itoa(v uint16) string { return netid.VLANID(v).String() }
