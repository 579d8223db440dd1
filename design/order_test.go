package design_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
)

// TestOrderValidate runs every check of Order.Validate: each case changes
// a valid sample order and names the field the error must name, and a
// fragment that locates it (endpoint index and device).
func TestOrderValidate(t *testing.T) {
	t.Parallel()
	two := func(i int) *int { return &i }
	tests := []struct {
		name   string
		file   string
		change func(o *design.Order)
		field  string // FieldError.Field
		where  string // must appear in the message
	}{
		{"unknown device", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[1].Device = "pe99" }, "device", `endpoints[1] (pe99`},
		{"unknown interface", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[1].Interface = "ge-0/0/9" }, "interface", `endpoints[1] (pe2 ge-0/0/9)`},
		{"interface is an NNI", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[0].Interface = "ge-0/0/0" }, "interface", `endpoints[0] (pe1 ge-0/0/0)`},
		{"missing interface", "vpls-bgp.yaml", func(o *design.Order) { o.Endpoints[2].Interface = "" }, "interface", `endpoints[2] (pe3)`},
		{"one endpoint for p2p", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints = o.Endpoints[:1] }, "endpoints", `order "eline-cust1"`},
		{"three endpoints for p2p", "eline-bgp.yaml", func(o *design.Order) {
			o.Endpoints = append(o.Endpoints, design.Endpoint{Device: "pe3", Interface: "ge-0/0/1"})
		}, "endpoints", `need exactly 2`},
		{"one endpoint for multipoint", "vpls-ldp.yaml", func(o *design.Order) { o.Endpoints = o.Endpoints[:1] }, "endpoints", "at least 2"},
		{"same device at both ends", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[1] = design.Endpoint{Device: "pe1", Interface: "ge-0/0/2"} }, "device", `endpoints[1] (pe1`},
		{"duplicate endpoint", "vpls-ldp.yaml", func(o *design.Order) { o.Endpoints[2] = o.Endpoints[0] }, "interface", "duplicate of endpoints[0]"},
		{"duplicate explicit VLAN", "vpls-ldp.yaml", func(o *design.Order) {
			o.Endpoints[0].VLAN, o.Endpoints[2] = 300, design.Endpoint{Device: "pe1", Interface: "ge-0/0/1", VLAN: 300}
		}, "interface", "duplicate of endpoints[0]"},
		{"VLAN on a port-based service", "eline-ldp-port.yaml", func(o *design.Order) { o.Endpoints[0].VLAN = 100 }, "vlan", `endpoints[0] (pe1 ge-0/0/3)`},
		{"VLAN on a custom port-based definition", "gold-eline.yaml", func(o *design.Order) {
			o.Definition = "epl"
			o.Attributes = nil
			o.Endpoints[1].VLAN = 7
		}, "vlan", `endpoints[1] (sr1 1/1/c2/1)`},
		{"invalid VLAN", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[0].VLAN = 4095 }, "vlan", `endpoints[0]`},
		{"inner VLAN without outer", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[0].InnerVLAN = 10 }, "innerVlan", `endpoints[0]`},
		{"spoke without a hub", "vpls-hub-spoke.yaml", func(o *design.Order) {
			o.Endpoints[0].Role, o.Endpoints[1].Role = design.RoleSpoke, design.RoleSpoke
		}, "role", "spoke without a hub"},
		{"L3VPN spoke without a hub", "l3vpn-hub-spoke.yaml", func(o *design.Order) { o.Endpoints = o.Endpoints[1:] }, "role", "spoke without a hub"},
		{"hub without spokes", "vpls-hub-spoke.yaml", func(o *design.Order) {
			o.Endpoints[2].Role, o.Endpoints[3].Role = design.RoleHub, design.RoleHub
		}, "endpoints", "at least one spoke"},
		{"role missing in hub-and-spoke", "l3vpn-hub-spoke.yaml", func(o *design.Order) { o.Endpoints[2].Role = "" }, "role", `endpoints[2] (pe3`},
		{"role on a full mesh", "vpls-ldp.yaml", func(o *design.Order) { o.Endpoints[0].Role = design.RoleHub }, "role", `endpoints[0]`},
		{"unknown role", "vpls-hub-spoke.yaml", func(o *design.Order) { o.Endpoints[0].Role = "leaf" }, "role", `endpoints[0]`},
		{"non-overridable attribute", "gold-eline.yaml", func(o *design.Order) { o.Attributes["mtu"] = "1600" }, "attributes.mtu", "not overridable"},
		{"fixed signalling", "vpls-bgp.yaml", func(o *design.Order) { o.Attributes["signalling"] = "ldp" }, "attributes.signalling", "not overridable"},
		{"unknown attribute", "eline-ldp.yaml", func(o *design.Order) { o.Attributes["colour"] = "blue" }, "attributes.colour", "no such parameter"},
		{"attribute above max", "eline-ldp.yaml", func(o *design.Order) { o.Attributes["mtu"] = "9500" }, "attributes.mtu", "above max 9216"},
		{"attribute of the wrong type", "eline-ldp.yaml", func(o *design.Order) { o.Attributes["controlWord"] = "yes" }, "attributes.controlWord", "true or false"},
		{"bitrate below custom min", "gold-eline.yaml", func(o *design.Order) { o.Attributes["bandwidth"] = "1M" }, "attributes.bandwidth", "below min 10M"},
		{"string against pattern", "gold-eline.yaml", func(o *design.Order) { o.Attributes["qosProfile"] = "silver" }, "attributes.qosProfile", "pattern"},
		{"enum outside its values", "eline-ldp.yaml", func(o *design.Order) { o.Attributes["vlanMap"] = "flip" }, "attributes.vlanMap", "want one of"},
		{"push without a normal VLAN", "eline-ldp.yaml", func(o *design.Order) { o.Attributes["vlanMap"] = "push" }, "normalVlan", "required"},
		{"differing VLANs without normalisation", "eline-ldp.yaml", func(o *design.Order) {
			o.Endpoints[0].VLAN, o.Endpoints[1].VLAN = 200, 201
		}, "vlan", `endpoints[1] (pe2 ge-0/0/1)`},
		{"address on an L2 service", "eline-ldp.yaml", func(o *design.Order) { o.Endpoints[0].Address = netip.MustParsePrefix("10.0.0.0/31") }, "address", `endpoints[0]`},
		{"IPv6 address with IPv6 off", "l3vpn-hub-spoke.yaml", func(o *design.Order) { o.Endpoints[1].Address6 = netip.MustParsePrefix("fd00::/127") }, "address6", `endpoints[1] (pe2`},
		{"IPv4 address too short", "l3vpn-full-mesh.yaml", func(o *design.Order) { o.Endpoints[1].Address = netip.MustParsePrefix("10.20.0.0/8") }, "address", `endpoints[1]`},
		{"route with host bits", "l3vpn-full-mesh.yaml", func(o *design.Order) { o.Endpoints[0].Routes[0] = netip.MustParsePrefix("172.16.1.1/24") }, "routes[0]", `endpoints[0]`},
		{"static routes with BGP", "l3vpn-full-mesh.yaml", func(o *design.Order) { o.Attributes["pece"] = "bgp"; o.Attributes["ceAs"] = "64512" }, "routes", `endpoints[0]`},
		{"BGP without a peer AS", "l3vpn-hub-spoke.yaml", func(o *design.Order) { delete(o.Attributes, "ceAs") }, "peerAs", `endpoints[1] (pe2`},
		{"peer AS with static", "l3vpn-full-mesh.yaml", func(o *design.Order) { o.Endpoints[2].PeerAS = netid.ASN(64512) }, "peerAs", `endpoints[2]`},
		{"second site on a BGP VPLS PE", "vpls-bgp.yaml", func(o *design.Order) {
			o.Endpoints[0].Site = "a"
			o.Endpoints = append(o.Endpoints, design.Endpoint{Device: "pe1", Interface: "ge-0/0/2", Site: "b"})
		}, "site", `endpoints[3] (pe1`},
		{"multihoming without a shared site", "vpls-multihoming.yaml", func(o *design.Order) { o.Endpoints[1].Site = "other" }, "endpoints", "no site is attached to two PEs"},
		{"site on three PEs", "vpls-multihoming.yaml", func(o *design.Order) { o.Endpoints[2].Site = "ce-mh" }, "site", `endpoints[2] (pe3`},
		{"two primaries", "vpls-multihoming.yaml", func(o *design.Order) { o.Endpoints[1].SitePreference = "primary" }, "sitePreference", `endpoints[1] (pe2`},
		{"site preference outside multihoming", "vpls-bgp.yaml", func(o *design.Order) { o.Endpoints[0].SitePreference = "primary" }, "sitePreference", `endpoints[0]`},
		{"hostile site name", "eline-bgp.yaml", func(o *design.Order) { o.Endpoints[0].Site = "paris\nset system root-authentication" }, "site", `endpoints[0]`},
		{"hostile order name", "eline-ldp.yaml", func(o *design.Order) { o.Name = `x"; delete` }, "name", `order "x\"; delete"`},
		{"order name too long", "eline-ldp.yaml", func(o *design.Order) { o.Name = strings.Repeat("a", 65) }, "name", "longer than 64"},
		{"definition mismatch", "eline-ldp.yaml", func(o *design.Order) { o.Definition = "vpls-bgp" }, "definition", "another definition"},
		{"static LSP too short", "static-lsp.yaml", func(o *design.Order) { o.Endpoints = o.Endpoints[1:] }, "endpoints", "ingress, transit and egress"},
		{"static LSP through a UNI", "static-lsp.yaml", func(o *design.Order) { o.Endpoints[0].Interface = "ge-0/0/1" }, "interface", `endpoints[0] (pe1 ge-0/0/1)`},
		{"via an unknown device", "rsvp-lsp-p2p.yaml", func(o *design.Order) { o.Via = []string{"p9"} }, "via[0]", `order "lsp-pe1-pe2"`},
		{"via on a layer-2 service", "eline-ldp.yaml", func(o *design.Order) { o.Via = []string{"p1"} }, "via", `order "eline-cust1"`},
		{"via on an LSP mesh", "rsvp-lsp-mesh.yaml", func(o *design.Order) { o.Via = []string{"p1"} }, "via", `order "core-mesh"`},
		{"LSP to itself", "rsvp-lsp-p2p.yaml", func(o *design.Order) { o.Endpoints[1].Device = "pe1" }, "device", `endpoints[1] (pe1)`},
		{"cell sites on another service", "eline-ldp.yaml", func(o *design.Order) {
			o.CellSites = []design.CellSite{{Name: "s", Device: "csr1", Interface: "ge-0/0/1"}}
		}, "cellSites", `order "eline-cust1"`},
		{"backhaul without cell sites", "mobile-backhaul.yaml", func(o *design.Order) { o.CellSites = nil }, "cellSites", "at least one"},
		{"cell site duplicate", "mobile-backhaul.yaml", func(o *design.Order) { o.CellSites[2].Name = "site-001" }, "name", `cellSites[2] (site-001)`},
		{"cell site unknown interface", "mobile-backhaul.yaml", func(o *design.Order) { o.CellSites[1].Interface = "ge-0/0/7" }, "interface", `cellSites[1] (site-002)`},
		{"cell site on the hub", "mobile-backhaul.yaml", func(o *design.Order) { o.CellSites[0].Device, o.CellSites[0].Interface = "agg1", "xe-0/1/0" }, "device", `cellSites[0]`},
		{"cell site hub out of range", "mobile-backhaul.yaml", func(o *design.Order) { o.CellSites[0].Hub = two(2) }, "hub", `cellSites[0]`},
		{"backhaul spoke endpoint", "mobile-backhaul.yaml", func(o *design.Order) { o.Endpoints[0].Role = design.RoleSpoke }, "role", `endpoints[0] (agg1`},
	}
	inv, cat := testInventory(t), testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := testOrder(t, tt.file)
			if o.Attributes == nil {
				o.Attributes = map[string]string{}
			}
			def, _ := cat.Lookup(o.Definition)
			if err := o.Validate(inv, def); err != nil {
				t.Fatalf("sample order %s does not validate: %v", tt.file, err)
			}
			tt.change(o)
			if d, ok := cat.Lookup(o.Definition); ok && o.Definition == "epl" {
				def = d
			}
			err := o.Validate(inv, def)
			if err == nil {
				t.Fatal("Validate accepted the order")
			}
			if !errors.Is(err, design.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			var fe *design.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %v", err)
			}
			if fe.Field != tt.field {
				t.Errorf("error names field %q, want %q: %v", fe.Field, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.where) {
				t.Errorf("error %q does not say %q", err, tt.where)
			}
			if !strings.Contains(err.Error(), `order "`) {
				t.Errorf("error %q does not name the order", err)
			}
			// Design refuses the same order before claiming anything.
			m := newPools(t)
			if _, err := design.DesignAll(context.Background(), m, inv, def, o); err == nil {
				t.Error("DesignAll accepted the order")
			}
			if cs, _ := m.Claims(context.Background(), ""); len(cs) != 0 {
				t.Errorf("a refused order claimed %d owners", len(cs))
			}
		})
	}
}
