package render

import (
	"fmt"
	"net/netip"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
)

// Test intents: one service per catalog entry, built in Go the way design
// builds them, for each platform family that can carry it.

// platform families of the golden files.
type plat struct {
	name     string // golden file component
	platform design.Platform
}

var (
	platMX   = plat{"mx", design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}}
	platACX  = plat{"acx", design.Platform{Vendor: design.VendorJuniper, Model: "acx7100-48l", Series: "ACX"}}
	platPTX  = plat{"ptx", design.Platform{Vendor: design.VendorJuniper, Model: "ptx10001-36mr", Series: "PTX"}}
	platSROS = plat{"sros", design.Platform{Vendor: design.VendorNokia, Model: "7750-sr1", Series: "7750"}}
	platSRX  = plat{"srx", design.Platform{Vendor: design.VendorJuniper, Model: "srx1500", Series: "SRX"}}
)

// port names UNI n of a platform: ge-0/0/n on Junos, 1/1/n on SR OS.
func (p plat) port(n int) string {
	if p.platform.Vendor == design.VendorNokia {
		return fmt.Sprintf("1/1/%d", n)
	}
	return fmt.Sprintf("ge-0/0/%d", n)
}

func lo(n int) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, 2, byte(n)}) }

func pe(p plat, n int) design.DeviceIntent {
	return design.DeviceIntent{Device: fmt.Sprintf("pe%d", n), Platform: p.platform, Loopback: lo(n)}
}

func vlanAtt(p plat, port int, vlan netid.VLANID, encap string) design.Attachment {
	return design.Attachment{Interface: p.port(port), Unit: uint32(vlan), Encapsulation: encap, VLAN: vlan}
}

type goldenCase struct {
	name  string
	plats []plat
	build func(p plat) design.Service
}

var goldenCases = []goldenCase{
	{design.DefELineLDP + "-vlan", []plat{platMX, platACX, platSROS}, elineVLAN},
	{design.DefELineLDP + "-port", []plat{platMX, platACX, platSROS}, elinePort},
	{design.DefELineLDP + "-qinq-swap", []plat{platMX}, elineQinQ}, // ACX: no double tags,
	{design.DefELineBGP, []plat{platMX, platACX}, elineBGP},
	{design.DefVPLSBGP, []plat{platMX, platACX}, vplsBGP},
	{design.DefVPLSLDP, []plat{platMX, platACX, platSROS}, vplsLDP},
	{design.DefVPLSHubSpoke, []plat{platMX, platACX, platSROS}, vplsHubSpoke},
	{design.DefVPLSMultihoming, []plat{platMX, platACX}, vplsMultihoming},
	{design.DefL3VPNFullMesh + "-static", []plat{platMX, platACX, platPTX, platSRX, platSROS}, l3vpnStatic},
	{design.DefL3VPNFullMesh + "-bgp", []plat{platMX, platACX, platPTX, platSROS}, l3vpnBGP},
	{design.DefL3VPNHubSpoke, []plat{platMX, platACX, platPTX, platSROS}, l3vpnHubSpoke},
	{design.DefLSPP2P, []plat{platMX, platACX, platPTX}, lspP2P},
	{design.DefLSPP2MP, []plat{platMX, platACX, platPTX}, lspP2MP},
	{design.DefLSPMesh, []plat{platMX, platACX, platPTX}, lspMesh},
	{design.DefStaticLSP, []plat{platMX, platACX, platPTX}, staticLSP},
	{design.DefMobileBackhaul, []plat{platMX, platACX, platSROS}, backhaul},
	{"eline-ldp-mixed-vendor", []plat{{"mx-sros", design.Platform{}}}, elineMixed},
}

func elineVLAN(p plat) design.Service {
	a, z := pe(p, 1), pe(p, 2)
	a.Attachments = []design.Attachment{vlanAtt(p, 1, 100, design.UnitVLANCCC)}
	a.Attachments[0].VLANMap = design.VLANMapPop
	a.Attachments[0].Description = "CUST1 site A"
	z.Attachments = []design.Attachment{vlanAtt(p, 2, 100, design.UnitVLANCCC)}
	z.Attachments[0].VLANMap = design.VLANMapPop
	a.L2Circuits = []design.L2Circuit{{Neighbor: z.Loopback, Interface: a.Attachments[0].Name(), VCID: 1100,
		Encapsulation: design.EncapEthernetVLAN, MTU: 9100}}
	z.L2Circuits = []design.L2Circuit{{Neighbor: a.Loopback, Interface: z.Attachments[0].Name(), VCID: 1100,
		Encapsulation: design.EncapEthernetVLAN, MTU: 9100}}
	if p.platform.Vendor == design.VendorJuniper {
		a.L2Circuits[0].Backup = &design.BackupNeighbor{Neighbor: lo(3), VCID: 2100, Standby: true}
	}
	return design.Service{Name: "eline-cust1-42", Definition: design.DefELineLDP, Type: design.TypeELine,
		Description: `E-LINE "CUST1" 100M`, Params: design.Params{MTU: 9100, Encapsulation: design.EncapEthernetVLAN,
			Signalling: design.SignallingLDP, Topology: design.TopologyP2P, VLANMode: design.VLANModeVLAN, VLANMap: design.VLANMapPop},
		Devices: []design.DeviceIntent{a, z}}
}

func elinePort(p plat) design.Service {
	a, z := pe(p, 1), pe(p, 2)
	a.Attachments = []design.Attachment{{Interface: p.port(3), Encapsulation: design.UnitEthernetCCC}}
	z.Attachments = []design.Attachment{{Interface: p.port(4), Encapsulation: design.UnitEthernetCCC}}
	a.L2Circuits = []design.L2Circuit{{Neighbor: z.Loopback, Interface: a.Attachments[0].Name(), VCID: 7, Encapsulation: design.EncapEthernet, ControlWord: true}}
	z.L2Circuits = []design.L2Circuit{{Neighbor: a.Loopback, Interface: z.Attachments[0].Name(), VCID: 7, Encapsulation: design.EncapEthernet, ControlWord: true}}
	return design.Service{Name: "epl-cust2", Definition: design.DefELineLDP, Type: design.TypeELine,
		Description: "EPL CUST2", Params: design.Params{Encapsulation: design.EncapEthernet, ControlWord: true, VLANMode: design.VLANModePort},
		Devices: []design.DeviceIntent{a, z}}
}

func elineQinQ(p plat) design.Service {
	a, z := pe(p, 1), pe(p, 2)
	a.Attachments = []design.Attachment{{Interface: p.port(1), Unit: 300, Encapsulation: design.UnitVLANCCC, VLAN: 300, InnerVLAN: 31}}
	z.Attachments = []design.Attachment{vlanAtt(p, 2, 555, design.UnitVLANCCC)}
	z.Attachments[0].VLANMap = design.VLANMapSwap
	z.Attachments[0].NormalVLAN = 300
	a.L2Circuits = []design.L2Circuit{{Neighbor: z.Loopback, Interface: a.Attachments[0].Name(), VCID: 300, Encapsulation: design.EncapEthernetVLAN}}
	z.L2Circuits = []design.L2Circuit{{Neighbor: a.Loopback, Interface: z.Attachments[0].Name(), VCID: 300, Encapsulation: design.EncapEthernetVLAN}}
	return design.Service{Name: "evpl-cust3", Definition: design.DefELineLDP, Type: design.TypeELine,
		Params:  design.Params{Encapsulation: design.EncapEthernetVLAN, VLANMap: design.VLANMapSwap, NormalVLAN: 300},
		Devices: []design.DeviceIntent{a, z}}
}

func elineBGP(p plat) design.Service {
	a, z := pe(p, 1), pe(p, 2)
	a.Attachments = []design.Attachment{vlanAtt(p, 2, 512, design.UnitVLANCCC)}
	z.Attachments = []design.Attachment{vlanAtt(p, 2, 512, design.UnitVLANCCC)}
	rt := netid.MustParseRT("target:65000:512")
	a.L2VPN = &design.L2VPNInstance{Name: "L2VPN-cust2", RD: netid.MustParseRD("192.0.2.1:512"), RT: rt, Encapsulation: design.EncapEthernetVLAN,
		SiteName: "pe1", SiteID: 1, RemoteSiteID: 2, Interface: a.Attachments[0].Name()}
	z.L2VPN = &design.L2VPNInstance{Name: "L2VPN-cust2", RD: netid.MustParseRD("192.0.2.2:512"), RT: rt, Encapsulation: design.EncapEthernetVLAN,
		SiteName: "pe2", SiteID: 2, RemoteSiteID: 1, Interface: z.Attachments[0].Name()}
	return design.Service{Name: "cust2", Definition: design.DefELineBGP, Type: design.TypeELineBGP, Description: "Kompella E-LINE",
		Params: design.Params{Signalling: design.SignallingBGP}, Devices: []design.DeviceIntent{a, z}}
}

func vplsBGP(p plat) design.Service {
	var devs []design.DeviceIntent
	rt := netid.MustParseRT("target:65000:300")
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{vlanAtt(p, 3, 300, design.UnitVLANVPLS)}
		d.VPLS = &design.VPLSInstance{Name: "VPLS-cust3", Signalling: design.SignallingBGP,
			RD: netid.MustParseRD(fmt.Sprintf("192.0.2.%d:300", n)), RT: rt, SiteName: fmt.Sprintf("pe%d-site", n), SiteID: uint32(n),
			SiteRange: 10, NoTunnelServices: true, MACTableSize: 1000, Interfaces: []string{d.Attachments[0].Name()}}
		devs = append(devs, d)
	}
	return design.Service{Name: "cust3", Definition: design.DefVPLSBGP, Type: design.TypeVPLS, Description: "E-LAN cust3",
		Params: design.Params{Signalling: design.SignallingBGP, Topology: design.TopologyFullMesh}, Devices: devs}
}

func vplsLDP(p plat) design.Service {
	var devs []design.DeviceIntent
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{vlanAtt(p, 4, 400, design.UnitVLANVPLS)}
		var nbs []netip.Addr
		for m := 1; m <= 3; m++ {
			if m != n {
				nbs = append(nbs, lo(m))
			}
		}
		d.VPLS = &design.VPLSInstance{Name: "VPLS-cust4", Signalling: design.SignallingLDP, VPLSID: 400, NoTunnelServices: true,
			MTU: 1500, Interfaces: []string{d.Attachments[0].Name()}, Neighbors: nbs}
		devs = append(devs, d)
	}
	return design.Service{Name: "cust4", Definition: design.DefVPLSLDP, Type: design.TypeVPLS, Description: "LDP E-LAN",
		Params: design.Params{Signalling: design.SignallingLDP, Topology: design.TopologyFullMesh}, Devices: devs}
}

func vplsHubSpoke(p plat) design.Service {
	hubs := []int{1, 2}
	spokes := []int{21, 22}
	var devs []design.DeviceIntent
	for _, h := range hubs {
		d := pe(p, h)
		d.Role = design.RoleHub
		d.Attachments = []design.Attachment{vlanAtt(p, 4, 401, design.UnitVLANVPLS)}
		other := lo(3 - h)
		d.VPLS = &design.VPLSInstance{Name: "VPLS-hub5", Signalling: design.SignallingLDP, VPLSID: 401, NoTunnelServices: true,
			Interfaces: []string{d.Attachments[0].Name()}, Neighbors: []netip.Addr{other},
			MeshGroups: []design.MeshGroup{{Name: "spokes", VPLSID: 100, LocalSwitching: true, Neighbors: []netip.Addr{lo(21), lo(22)}}}}
		devs = append(devs, d)
	}
	for _, s := range spokes {
		d := pe(p, s)
		d.Role = design.RoleSpoke
		d.Attachments = []design.Attachment{{Interface: p.port(1), Encapsulation: design.UnitEthernetCCC}}
		c := design.L2Circuit{Neighbor: lo(1), Interface: d.Attachments[0].Name(), VCID: 100, Encapsulation: design.EncapEthernet}
		if p.platform.Vendor == design.VendorJuniper {
			c.Backup = &design.BackupNeighbor{Neighbor: lo(2), Standby: true}
		}
		d.L2Circuits = []design.L2Circuit{c}
		devs = append(devs, d)
	}
	return design.Service{Name: "hvpls5", Definition: design.DefVPLSHubSpoke, Type: design.TypeVPLS,
		Params: design.Params{Signalling: design.SignallingLDP, Topology: design.TopologyHubAndSpoke}, Devices: devs}
}

func vplsMultihoming(p plat) design.Service {
	rt := netid.MustParseRT("target:65000:301")
	var devs []design.DeviceIntent
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{vlanAtt(p, 3, 301, design.UnitVLANVPLS)}
		v := &design.VPLSInstance{Name: "VPLS-MH", Signalling: design.SignallingBGP, RD: netid.MustParseRD(fmt.Sprintf("192.0.2.%d:301", n)),
			RT: rt, SiteRange: 10, NoTunnelServices: true, Interfaces: []string{d.Attachments[0].Name()}}
		switch n {
		case 1, 2:
			v.SiteName, v.SiteID, v.Multihomed = "CE-MH", 5, true
			v.SitePreference = map[int]string{1: design.SitePrimary, 2: design.SiteBackup}[n]
		default:
			v.SiteName, v.SiteID = "CE-3", 3
		}
		d.VPLS = v
		devs = append(devs, d)
	}
	return design.Service{Name: "mh6", Definition: design.DefVPLSMultihoming, Type: design.TypeVPLS,
		Params: design.Params{Signalling: design.SignallingBGP, Topology: design.TopologyMultihomed}, Devices: devs}
}

func l3Att(p plat, n int, vlan netid.VLANID) design.Attachment {
	a := vlanAtt(p, 5, vlan, design.UnitInet)
	a.Address = netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/31", n))
	a.Address6 = netip.MustParsePrefix(fmt.Sprintf("2001:db8:%d::/127", n))
	return a
}

func l3vpnStatic(p plat) design.Service {
	rt := netid.MustParseRT("target:65000:5")
	var devs []design.DeviceIntent
	for n := 1; n <= 2; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{l3Att(p, n, 10)}
		d.VRF = &design.VRFInstance{Name: "VRF-cust5", RD: netid.MustParseRD(fmt.Sprintf("192.0.2.%d:5", n)), ImportRTs: []netid.RT{rt}, ExportRTs: []netid.RT{rt},
			Interfaces: []string{d.Attachments[0].Name()}, VRFTableLabel: true,
			StaticRoutes: []design.StaticRoute{
				{Prefix: netip.MustParsePrefix(fmt.Sprintf("172.16.%d.0/24", n)), NextHop: netip.MustParseAddr(fmt.Sprintf("10.%d.0.1", n))},
				{Prefix: netip.MustParsePrefix(fmt.Sprintf("2001:db8:100:%d::/64", n)), NextHop: netip.MustParseAddr(fmt.Sprintf("2001:db8:%d::1", n))},
			}}
		devs = append(devs, d)
	}
	return design.Service{Name: "cust5", Definition: design.DefL3VPNFullMesh, Type: design.TypeL3VPN, Description: "L3VPN cust5 <static> & v6",
		Params: design.Params{PECE: design.PECEStatic, IPv4: true, IPv6: true, Topology: design.TopologyFullMesh}, Devices: devs}
}

func l3vpnBGP(p plat) design.Service {
	rt := netid.MustParseRT("target:65000:6")
	var devs []design.DeviceIntent
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{l3Att(p, n, 11)}
		d.VRF = &design.VRFInstance{Name: "VRF-cust6", RD: netid.MustParseRD(fmt.Sprintf("192.0.2.%d:6", n)), ImportRTs: []netid.RT{rt}, ExportRTs: []netid.RT{rt},
			Interfaces: []string{d.Attachments[0].Name()}, VRFTableLabel: true, BGPGroup: "CE",
			BGPNeighbors: []design.CEPeer{
				{Addr: netip.MustParseAddr(fmt.Sprintf("10.%d.0.1", n)), PeerAS: 65100},
				{Addr: netip.MustParseAddr(fmt.Sprintf("2001:db8:%d::1", n)), PeerAS: 65100},
			}}
		devs = append(devs, d)
	}
	return design.Service{Name: "cust6", Definition: design.DefL3VPNFullMesh, Type: design.TypeL3VPN,
		Params: design.Params{PECE: design.PECEBGP, IPv4: true, IPv6: true, CEAS: 65100, Topology: design.TopologyFullMesh}, Devices: devs}
}

func l3vpnHubSpoke(p plat) design.Service {
	hub, spoke := netid.MustParseRT("target:65000:1"), netid.MustParseRT("target:65000:2")
	var devs []design.DeviceIntent
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		d.Attachments = []design.Attachment{l3Att(p, n, 12)}
		v := &design.VRFInstance{Name: "VRF-cust7", RD: netid.MustParseRD(fmt.Sprintf("192.0.2.%d:7", n)),
			Interfaces: []string{d.Attachments[0].Name()}, VRFTableLabel: true, BGPGroup: "CE",
			BGPNeighbors: []design.CEPeer{{Addr: netip.MustParseAddr(fmt.Sprintf("10.%d.0.1", n)), PeerAS: 65104, ASOverride: true}}}
		if n == 1 {
			d.Role = design.RoleHub
			v.ImportRTs, v.ExportRTs = []netid.RT{spoke}, []netid.RT{hub}
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "cust7-HUB-IMPORT", "cust7-HUB-EXPORT", "cust7-SPOKE", "cust7-HUB"
		} else {
			d.Role = design.RoleSpoke
			v.ImportRTs, v.ExportRTs = []netid.RT{hub}, []netid.RT{spoke}
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "cust7-SPOKE-IMPORT", "cust7-SPOKE-EXPORT", "cust7-HUB", "cust7-SPOKE"
		}
		d.VRF = v
		devs = append(devs, d)
	}
	return design.Service{Name: "cust7", Definition: design.DefL3VPNHubSpoke, Type: design.TypeL3VPN, Description: "hub & spoke",
		Params: design.Params{PECE: design.PECEBGP, IPv4: true, Topology: design.TopologyHubAndSpoke}, Devices: devs}
}

func lspP2P(p plat) design.Service {
	a, z := pe(p, 1), pe(p, 2)
	a.LSPs = []design.LSP{{Name: "lsp8-pe1-pe2", To: lo(2), Bandwidth: netid.MustParseBitrate("100M"),
		Primary:   &design.LSPPath{Name: "lsp8-via-p1", Hops: []design.Hop{{Addr: netip.MustParseAddr("10.0.0.2"), Strict: true}, {Addr: lo(2)}}},
		Secondary: &design.LSPPath{Name: "any", Standby: true}}}
	return design.Service{Name: "lsp8", Definition: design.DefLSPP2P, Type: design.TypeLSP,
		Params:  design.Params{Signalling: design.SignallingRSVP, Topology: design.TopologyP2P, Bandwidth: netid.MustParseBitrate("100M")},
		Devices: []design.DeviceIntent{a, z}}
}

func lspP2MP(p plat) design.Service {
	root := pe(p, 1)
	for n := 2; n <= 4; n++ {
		root.LSPs = append(root.LSPs, design.LSP{Name: fmt.Sprintf("p2mp9-pe%d", n), To: lo(n), P2MP: "p2mp9", NoCSPF: true})
	}
	return design.Service{Name: "p2mp9", Definition: design.DefLSPP2MP, Type: design.TypeLSP,
		Params: design.Params{Signalling: design.SignallingRSVP, Topology: design.TopologyP2MP}, Devices: []design.DeviceIntent{root}}
}

func lspMesh(p plat) design.Service {
	var devs []design.DeviceIntent
	for n := 1; n <= 3; n++ {
		d := pe(p, n)
		for m := 1; m <= 3; m++ {
			if m != n {
				d.LSPs = append(d.LSPs, design.LSP{Name: fmt.Sprintf("mesh10-pe%d-pe%d", n, m), To: lo(m), Bandwidth: netid.MustParseBitrate("1G")})
			}
		}
		devs = append(devs, d)
	}
	return design.Service{Name: "mesh10", Definition: design.DefLSPMesh, Type: design.TypeLSP,
		Params: design.Params{Signalling: design.SignallingRSVP, Topology: design.TopologyFullMesh}, Devices: devs}
}

func staticLSP(p plat) design.Service {
	a, b := pe(p, 1), pe(p, 2)
	a.StaticLSPs = []design.StaticLSP{{Name: "static11", Ingress: true, To: lo(3), NextHop: netip.MustParseAddr("10.0.0.6"), Push: 1000123}}
	b.StaticLSPs = []design.StaticLSP{{Name: "static11", NextHop: netip.MustParseAddr("10.0.0.10"), InLabel: 1000123, Swap: 1000124}}
	c := pe(p, 3)
	c.StaticLSPs = []design.StaticLSP{{Name: "static11", NextHop: netip.MustParseAddr("10.0.0.14"), InLabel: 1000124}}
	return design.Service{Name: "static11", Definition: design.DefStaticLSP, Type: design.TypeStaticLSP,
		Params: design.Params{Signalling: design.SignallingStatic}, Devices: []design.DeviceIntent{a, b, c}}
}

// backhaul is one bulk order: cell sites on the platform, each with a
// pseudowire to an MX hub that terminates them all.
func backhaul(p plat) design.Service {
	hub := pe(platMX, 1)
	hub.Device = "agg1"
	var cells []design.DeviceIntent
	for n := 0; n < 4; n++ {
		vc := netid.VCID(5000 + n)
		vlan := netid.VLANID(1000 + n)
		c := pe(p, 30+n)
		c.Device = fmt.Sprintf("cell%02d", n)
		c.Attachments = []design.Attachment{vlanAtt(p, 1, 200, design.UnitVLANCCC)}
		c.Attachments[0].Description = fmt.Sprintf("eNB %02d", n)
		c.L2Circuits = []design.L2Circuit{{Neighbor: hub.Loopback, Interface: c.Attachments[0].Name(), VCID: vc, Encapsulation: design.EncapEthernetVLAN}}
		hub.Attachments = append(hub.Attachments, vlanAtt(platMX, 9, vlan, design.UnitVLANCCC))
		hub.L2Circuits = append(hub.L2Circuits, design.L2Circuit{Neighbor: c.Loopback, Interface: hub.Attachments[n].Name(), VCID: vc,
			Encapsulation: design.EncapEthernetVLAN})
		cells = append(cells, c)
	}
	return design.Service{Name: "backhaul12", Definition: design.DefMobileBackhaul, Type: design.TypeELine, Description: "mobile backhaul",
		Params:  design.Params{Signalling: design.SignallingLDP, Topology: design.TopologyHubAndSpoke, Encapsulation: design.EncapEthernetVLAN},
		Devices: append([]design.DeviceIntent{hub}, cells...)}
}

// elineMixed is one E-LINE with an MX at one end and a 7750 at the other.
func elineMixed(plat) design.Service {
	a := elineVLAN(platMX).Devices[0]
	a.L2Circuits[0].Backup = nil
	z := elineVLAN(platSROS).Devices[1]
	return design.Service{Name: "eline-mixed", Definition: design.DefELineLDP, Type: design.TypeELine, Description: "MX to 7750",
		Params: design.Params{Encapsulation: design.EncapEthernetVLAN, VLANMap: design.VLANMapPop}, Devices: []design.DeviceIntent{a, z}}
}
