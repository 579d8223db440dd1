package design

import "slices"

// Names of the predefined catalog entries.
const (
	DefELineLDP        = "eline-ldp"        // LDP l2circuit, port- or VLAN-based, VLAN normalisation
	DefELineBGP        = "eline-bgp"        // BGP l2vpn instance (Kompella)
	DefVPLSBGP         = "vpls-bgp"         // BGP-signalled VPLS, full mesh by auto-discovery
	DefVPLSLDP         = "vpls-ldp"         // LDP-signalled VPLS, full mesh of neighbors
	DefVPLSHubSpoke    = "vpls-hub-spoke"   // H-VPLS: hubs in an LDP mesh, spokes as l2circuits into a mesh group
	DefVPLSMultihoming = "vpls-multihoming" // BGP VPLS with a site on two PEs (same site-id, primary/backup)
	DefL3VPNFullMesh   = "l3vpn-full-mesh"  // L3VPN, one RT, PE–CE static or BGP, IPv4/IPv6
	DefL3VPNHubSpoke   = "l3vpn-hub-spoke"  // L3VPN with hub and spoke RTs so spokes only see hubs
	DefLSPP2P          = "rsvp-lsp-p2p"     // one RSVP LSP from the first endpoint to the second
	DefLSPP2MP         = "rsvp-lsp-p2mp"    // a P2MP tree from the first endpoint (root) to the others
	DefLSPMesh         = "rsvp-lsp-mesh"    // an RSVP LSP between every ordered pair of PEs
	DefStaticLSP       = "static-lsp"       // a static LSP along the endpoints' NNIs
	DefMobileBackhaul  = "mobile-backhaul"  // one LDP pseudowire per cell site to the hub(s), in bulk
)

func fixed(name, def string) Parameter {
	f := false
	return Parameter{Name: name, Type: attributes[name].typ, Default: def, Overridable: &f}
}

func free(name, def string) Parameter {
	t := true
	return Parameter{Name: name, Type: attributes[name].typ, Default: def, Overridable: &t}
}

func bounded(p Parameter, min, max string) Parameter {
	p.Min, p.Max = min, max
	return p
}

// Builtins returns the predefined catalog: one definition per service the
// project knows how to realise, prefilled with attributes that follow
// common practice. It returns a fresh copy on every call.
func Builtins() []Definition {
	mtu := bounded(free("mtu", "9100"), "1500", "9216")
	l2 := func() []Parameter {
		return []Parameter{
			mtu,
			free("encapsulation", "auto"),
			free("controlWord", "false"),
			free("bandwidth", ""),
			free("qosProfile", ""),
			free("vlanMode", VLANModeVLAN),
			free("vlanMap", "none"),
			bounded(free("normalVlan", ""), "1", "4094"),
		}
	}
	vpls := func(sig, topo string) []Parameter {
		return append(l2()[:], fixed("signalling", sig), fixed("topology", topo),
			bounded(free("siteRange", "64"), "2", "65534"), free("macTableSize", ""))
	}
	l3 := func(topo string) []Parameter {
		return []Parameter{
			fixed("signalling", SignallingBGP), fixed("topology", topo),
			free("pece", PECEStatic), free("ipv4", "true"), free("ipv6", "false"),
			free("vlanMode", VLANModeVLAN), free("ceAs", ""), free("bandwidth", ""), free("qosProfile", ""),
		}
	}
	lsp := func(topo string) []Parameter {
		return []Parameter{fixed("signalling", SignallingRSVP), fixed("topology", topo),
			free("bandwidth", ""), free("noCspf", "false"), free("standbySecondary", "false")}
	}
	defs := []Definition{
		{Name: DefELineLDP, Type: TypeELine, Description: "Point-to-point Ethernet over an LDP-signalled pseudowire (l2circuit).",
			Parameters: append(l2(), fixed("signalling", SignallingLDP), fixed("topology", TopologyP2P))},
		{Name: DefELineBGP, Type: TypeELineBGP, Description: "Point-to-point Ethernet in a BGP-signalled l2vpn routing instance.",
			Parameters: append(l2(), fixed("signalling", SignallingBGP), fixed("topology", TopologyP2P))},
		{Name: DefVPLSBGP, Type: TypeVPLS, Description: "E-LAN: BGP-signalled VPLS, full mesh by auto-discovery.",
			Parameters: vpls(SignallingBGP, TopologyFullMesh)},
		{Name: DefVPLSLDP, Type: TypeVPLS, Description: "E-LAN: LDP-signalled VPLS, full mesh of PE neighbors.",
			Parameters: vpls(SignallingLDP, TopologyFullMesh)},
		{Name: DefVPLSHubSpoke, Type: TypeVPLS, Description: "H-VPLS: hub PEs in an LDP VPLS mesh, spokes attached by l2circuits into a mesh group.",
			Parameters: vpls(SignallingLDP, TopologyHubAndSpoke)},
		{Name: DefVPLSMultihoming, Type: TypeVPLS, Description: "BGP VPLS with a customer site multihomed to two PEs (same site-id, primary and backup).",
			Parameters: vpls(SignallingBGP, TopologyMultihomed)},
		{Name: DefL3VPNFullMesh, Type: TypeL3VPN, Description: "L3VPN, every site sees every other (one route target).",
			Parameters: l3(TopologyFullMesh)},
		{Name: DefL3VPNHubSpoke, Type: TypeL3VPN, Description: "L3VPN hub-and-spoke: spokes import only hub routes, hubs only spoke routes.",
			Parameters: l3(TopologyHubAndSpoke)},
		{Name: DefLSPP2P, Type: TypeLSP, Description: "An RSVP-TE LSP from the first endpoint to the second.", Parameters: lsp(TopologyP2P)},
		{Name: DefLSPP2MP, Type: TypeLSP, Description: "A point-to-multipoint RSVP-TE tree from the first endpoint to the others.", Parameters: lsp(TopologyP2MP)},
		{Name: DefLSPMesh, Type: TypeLSP, Description: "A full mesh of RSVP-TE LSPs between the endpoints.", Parameters: lsp(TopologyFullMesh)},
		{Name: DefStaticLSP, Type: TypeStaticLSP, Description: "A static LSP through the endpoints' NNIs, labels from the static-label pool.",
			Parameters: []Parameter{fixed("signalling", SignallingStatic), fixed("topology", TopologyP2P)}},
		{Name: DefMobileBackhaul, Type: TypeELine, Description: "Mobile backhaul: one LDP pseudowire per cell site to the hub, from one order.",
			Parameters: backhaul(append(l2(), fixed("signalling", SignallingLDP), fixed("topology", TopologyHubAndSpoke)))},
	}
	for i := range defs {
		defs[i].realisation = defs[i].Name
		defs[i].Parameters = slices.Clone(defs[i].Parameters)
		for j := range defs[i].Parameters {
			if err := defs[i].Parameters[j].validate(); err != nil {
				panic("design: builtin " + defs[i].Name + ": " + defs[i].Parameters[j].Name + ": " + err.Error())
			}
		}
		if err := defs[i].prime(); err != nil {
			panic("design: builtin " + defs[i].Name + ": " + err.Error())
		}
	}
	return defs
}

// backhaul pops the cell-site and hub VLANs by default, so each end keeps
// its own VLAN and the pseudowire carries untagged frames.
func backhaul(ps []Parameter) []Parameter {
	for i := range ps {
		if ps[i].Name == "vlanMap" {
			ps[i].Default = VLANMapPop
		}
	}
	return ps
}
