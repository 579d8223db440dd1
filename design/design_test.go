package design_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
)

// TestIdempotent designs every sample order twice on one Manager: the
// second run must return the same services and claims, and hold nothing
// more.
func TestIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, cat, m := testInventory(t), testCatalog(t), newPools(t)
	files := sampleOrders(t)
	first := map[string][]design.Result{}
	for _, f := range files {
		o := testOrder(t, f)
		def, _ := cat.Lookup(o.Definition)
		rs, err := design.DesignAll(ctx, m, inv, def, o)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		first[f] = rs
	}
	held, _ := m.Claims(ctx, "")
	for _, f := range files {
		o := testOrder(t, f)
		def, _ := cat.Lookup(o.Definition)
		rs, err := design.DesignAll(ctx, m, inv, def, o)
		if err != nil {
			t.Fatalf("%s again: %v", f, err)
		}
		if diff := cmp.Diff(first[f], rs, cmpOpts, cmp.Comparer(func(a, b pool.Value) bool { return a == b })); diff != "" {
			t.Errorf("%s designed twice differs (-first +second):\n%s", f, diff)
		}
	}
	again, _ := m.Claims(ctx, "")
	if len(again) != len(held) {
		t.Errorf("claims grew from %d to %d owners on the second run", len(held), len(again))
	}
	if err := m.Verify(ctx); err != nil {
		t.Error(err)
	}
	// On one Manager, services must not share values: the second E-LINE on
	// pe1 ge-0/0/1 (vpls-cust4 uses it too) got another VLAN.
	seen := map[string]string{}
	for _, c := range again {
		for _, it := range c.Items {
			k := it.Pool + "/" + it.Scope + "/" + it.Value.String()
			if other, dup := seen[k]; dup {
				t.Errorf("%s held by %s and %s", k, other, c.Owner)
			}
			seen[k] = c.Owner
		}
	}
}

func sampleOrders(t testing.TB) []string {
	return []string{"eline-ldp.yaml", "eline-ldp-port.yaml", "eline-ldp-swap.yaml", "eline-bgp.yaml", "gold-eline.yaml",
		"vpls-bgp.yaml", "vpls-ldp.yaml", "vpls-hub-spoke.yaml", "vpls-multihoming.yaml", "l3vpn-full-mesh.yaml",
		"l3vpn-hub-spoke.yaml", "rsvp-lsp-p2p.yaml", "rsvp-lsp-p2mp.yaml", "rsvp-lsp-mesh.yaml", "static-lsp.yaml", "mobile-backhaul.yaml"}
}

// TestPlan checks the dry run: it returns what Design will, and keeps
// nothing.
func TestPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, cat, m := testInventory(t), testCatalog(t), newPools(t)
	o := testOrder(t, "l3vpn-full-mesh.yaml")
	def, _ := cat.Lookup(o.Definition)
	plan, err := design.Plan(ctx, m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	if cs, _ := m.Claims(ctx, ""); len(cs) != 0 {
		t.Fatalf("Plan claimed %d owners", len(cs))
	}
	svc, err := design.Design(ctx, m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan[0].Service, svc, cmpOpts); diff != "" {
		t.Errorf("Plan and Design differ (-plan +design):\n%s", diff)
	}
	if plan[0].Claim.Revision != 0 {
		t.Errorf("a preview has revision %d", plan[0].Claim.Revision)
	}
}

// TestClaimErrors checks that pool refusals reach the caller with their
// cause: a brownfield VLAN held by another owner, a changed order.
func TestClaimErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, cat, m := testInventory(t), testCatalog(t), newPools(t)
	if _, err := m.Claim(ctx, "discovered:pe2:ge-0/0/1.100", pool.Request{Name: "v", Pool: design.PoolVLAN, Scope: "pe2:ge-0/0/1", Value: "100"}); err != nil {
		t.Fatal(err)
	}
	o := testOrder(t, "eline-ldp.yaml")
	def, _ := cat.Lookup(o.Definition)
	svc, err := design.Design(ctx, m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	// VLAN 100 is taken on pe2, so both ends moved to 101.
	for _, d := range svc.Devices {
		if d.Attachments[0].VLAN != 101 || d.Attachments[0].Unit != 101 {
			t.Errorf("%s: VLAN %v unit %d, want 101 at both ends", d.Device, d.Attachments[0].VLAN, d.Attachments[0].Unit)
		}
	}
	// An explicit VLAN someone else holds is refused, naming the holder.
	o2 := testOrder(t, "eline-ldp.yaml")
	o2.Name = "eline-other"
	o2.Endpoints[1].VLAN = 100
	_, err = design.Design(ctx, m, inv, def, o2)
	if !errors.Is(err, pool.ErrTaken) || !strings.Contains(err.Error(), "discovered:pe2:ge-0/0/1.100") {
		t.Errorf("explicit taken VLAN: %v", err)
	}
	// Changing a designed order is a mismatch, not a silent second claim.
	o.Endpoints[0].VLAN = 333
	o.Endpoints[1].VLAN = 333
	if _, err := design.Design(ctx, m, inv, def, o); !errors.Is(err, pool.ErrMismatch) {
		t.Errorf("changed order: %v", err)
	}
	// A bulk order through Design is refused.
	mb := testOrder(t, "mobile-backhaul.yaml")
	mdef, _ := cat.Lookup(mb.Definition)
	if _, err := design.Design(ctx, m, inv, mdef, mb); !errors.Is(err, design.ErrInvalid) {
		t.Errorf("bulk order through Design: %v", err)
	}
}

// TestHostileText checks that free text with configuration syntax in it is
// carried as data, and that names which become identifiers are refused.
func TestHostileText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, cat := testInventory(t), testCatalog(t)
	hostile := "x\"; }\nset system root-authentication plain-text-password <&>\n"
	o := testOrder(t, "vpls-bgp.yaml")
	o.Description = hostile
	o.Endpoints[1].Description = hostile + "2"
	def, _ := cat.Lookup(o.Definition)
	svc, err := design.Design(ctx, newPools(t), inv, def, o)
	if err != nil {
		t.Fatalf("free text refused: %v", err)
	}
	if svc.Description != hostile || svc.Devices[0].VPLS.Description != hostile || svc.Devices[1].Attachments[0].Description != hostile+"2" {
		t.Errorf("descriptions changed: %q", svc.Description)
	}
	if err := svc.Validate(); err != nil {
		t.Errorf("service with hostile description does not validate: %v", err)
	}
	names := []string{"a b", "a\nb", `a"b`, "a;b", "a{b", "-a", "", "a/b", "a<b", strings.Repeat("x", 65)}
	eline, _ := cat.Lookup("eline-bgp")
	if _, err := design.Design(ctx, newPools(t), inv, eline, testOrder(t, "eline-bgp.yaml")); err != nil {
		t.Fatalf("the order before its name is spoiled: %v", err)
	}
	for _, n := range names {
		o := testOrder(t, "eline-bgp.yaml")
		o.Name = n
		if _, err := design.Design(ctx, newPools(t), inv, eline, o); !errors.Is(err, design.ErrInvalid) || !strings.Contains(err.Error(), "name") {
			t.Errorf("order name %q: %v", n, err)
		}
		o = testOrder(t, "eline-bgp.yaml")
		o.Endpoints[0].Site = n
		if n != "" { // empty site defaults to the device name
			if err := o.Validate(inv, eline); !errors.Is(err, design.ErrInvalid) {
				t.Errorf("site %q: %v", n, err)
			}
		}
		if err := design.CheckName("f", n); err == nil {
			t.Errorf("CheckName(%q) accepted", n)
		}
	}
	for _, n := range []string{"a", "A.b_c-9", "9x"} {
		if err := design.CheckName("f", n); err != nil {
			t.Errorf("CheckName(%q): %v", n, err)
		}
	}
	// Intent built by hand is checked the same way.
	bad := design.Service{Name: "s", Type: design.TypeELine, Devices: []design.DeviceIntent{{
		Device: "pe1", Platform: mx480, Loopback: ip("192.0.2.1"),
		Attachments: []design.Attachment{{Interface: "ge-0/0/1\n", Encapsulation: design.UnitVLANCCC, VLAN: 5, Unit: 5}},
	}}}
	if err := bad.Validate(); !errors.Is(err, design.ErrInvalid) || !strings.Contains(err.Error(), "attachments[0]: interface") {
		t.Errorf("hostile interface in intent: %v", err)
	}
}

// TestIntentValidate runs Validate on broken intents.
func TestIntentValidate(t *testing.T) {
	t.Parallel()
	good := func() design.Service {
		return design.Service{Name: "s", Type: design.TypeELine, Devices: []design.DeviceIntent{
			{Device: "a", Platform: mx480, Loopback: ip("192.0.2.1"),
				Attachments: []design.Attachment{vlanAtt("ge-0/0/1", 10, design.UnitVLANCCC)},
				L2Circuits:  []design.L2Circuit{pw("192.0.2.2", "ge-0/0/1.10", 7, design.EncapEthernetVLAN, 0)}},
			{Device: "b", Platform: mx480, Loopback: ip("192.0.2.2")},
		}}
	}
	if s := good(); s.Validate() != nil {
		t.Fatal(s.Validate())
	}
	tests := []struct {
		name   string
		change func(*design.Service)
		want   string
	}{
		{"unsorted devices", func(s *design.Service) { s.Devices[0], s.Devices[1] = s.Devices[1], s.Devices[0] }, "not sorted"},
		{"no type", func(s *design.Service) { s.Type = 0 }, "type"},
		{"no devices", func(s *design.Service) { s.Devices = nil }, "devices: empty"},
		{"port unit with VLAN", func(s *design.Service) { s.Devices[0].Attachments[0].Encapsulation = design.UnitEthernetCCC }, "port-based unit"},
		{"vlan-ccc without VLAN", func(s *design.Service) { s.Devices[0].Attachments[0].VLAN = 0 }, "vlan: required"},
		{"pw without VC ID", func(s *design.Service) { s.Devices[0].L2Circuits[0].VCID = 0 }, "vcid"},
		{"backup is primary", func(s *design.Service) {
			s.Devices[0].L2Circuits[0].Backup = &design.BackupNeighbor{Neighbor: ip("192.0.2.2")}
		}, "same as neighbor"},
		{"vrf without RD", func(s *design.Service) {
			s.Devices[0].VRF = &design.VRFInstance{Name: "V", ImportRTs: rts("target:1:1"), ExportRTs: rts("target:1:1"), Interfaces: []string{"ge-0/0/1.10"}}
		}, "vrf: rd"},
		{"vrf two RTs without policy", func(s *design.Service) {
			s.Devices[0].VRF = &design.VRFInstance{Name: "V", RD: rd("1:1"), ImportRTs: []netid.RT{rt("target:1:1"), rt("target:1:2")}, ExportRTs: rts("target:1:1"), Interfaces: []string{"x.1"}}
		}, "importPolicy"},
		{"bgp vpls without site", func(s *design.Service) {
			s.Devices[0].VPLS = &design.VPLSInstance{Name: "V", Signalling: "bgp", RD: rd("1:1"), RT: rt("target:1:1"), Interfaces: []string{"x.1"}}
		}, "siteName"},
		{"ldp vpls multihomed", func(s *design.Service) {
			s.Devices[0].VPLS = &design.VPLSInstance{Name: "V", Signalling: "ldp", VPLSID: 5, Multihomed: true, Interfaces: []string{"x.1"}}
		}, "multihomed"},
		{"p2mp with secondary", func(s *design.Service) {
			s.Devices[0].LSPs = []design.LSP{{Name: "l", To: ip("192.0.2.2"), P2MP: "t", Secondary: &design.LSPPath{Name: "p"}}}
		}, "secondary"},
		{"static ingress without label", func(s *design.Service) {
			s.Devices[0].StaticLSPs = []design.StaticLSP{{Name: "l", Ingress: true, To: ip("192.0.2.2"), NextHop: ip("10.0.0.1")}}
		}, "push"},
		{"l2vpn same site ids", func(s *design.Service) {
			s.Devices[0].L2VPN = &design.L2VPNInstance{Name: "L", RD: rd("1:1"), RT: rt("target:1:1"), Encapsulation: "ethernet", SiteName: "a", SiteID: 1, RemoteSiteID: 1, Interface: "x.1"}
		}, "siteId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.change(&s)
			err := s.Validate()
			if err == nil || !errors.Is(err, design.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}

// bulkOrder builds a mobile backhaul order of n cell sites on n cell-site
// routers, spread over hubs hub interfaces of agg1.
func bulkOrder(n, hubs int) (*design.Inventory, *design.Order) {
	agg := design.Device{Name: "agg1", Platform: mx480, Loopback: ip("10.255.0.1")}
	o := &design.Order{Name: "mbh", Definition: design.DefMobileBackhaul}
	for h := range hubs {
		ifc := fmt.Sprintf("xe-0/%d/0", h)
		agg.Interfaces = append(agg.Interfaces, design.Interface{Name: ifc, Role: design.UNI})
		o.Endpoints = append(o.Endpoints, design.Endpoint{Device: "agg1", Interface: ifc, Role: design.RoleHub})
	}
	devs := []design.Device{agg}
	for i := range n {
		name := fmt.Sprintf("csr%05d", i)
		k := i + 1
		lo := netip.AddrFrom4([4]byte{10, byte(k >> 16), byte(k >> 8), byte(k)})
		devs = append(devs, design.Device{Name: name, Platform: acx, Loopback: lo, Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: design.UNI}}})
		o.CellSites = append(o.CellSites, design.CellSite{Name: fmt.Sprintf("s%05d", i), Device: name, Interface: "ge-0/0/1", VLAN: 100})
	}
	inv, err := design.NewInventory(devs)
	if err != nil {
		panic(err)
	}
	return inv, o
}

// TestBulkBackhaul designs 10,000 cell-site pseudowires from one order.
func TestBulkBackhaul(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const n = 10000
	inv, o := bulkOrder(n, 3)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefMobileBackhaul)
	m := newPools(t)
	rs, err := design.DesignAll(ctx, m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != n {
		t.Fatalf("%d services, want %d", len(rs), n)
	}
	vcs := map[netid.VCID]bool{}
	hubUnits := map[string]bool{}
	for i, r := range rs {
		s := r.Service
		if s.Name != fmt.Sprintf("mbh-s%05d", i) || len(s.Devices) != 2 {
			t.Fatalf("service %d: %s with %d devices", i, s.Name, len(s.Devices))
		}
		hub := s.Devices[0]
		if hub.Device != "agg1" || hub.Role != design.RoleHub {
			t.Fatalf("service %d: first device %s role %q", i, hub.Device, hub.Role)
		}
		vc := hub.L2Circuits[0].VCID
		if vcs[vc] || s.Devices[1].L2Circuits[0].VCID != vc {
			t.Fatalf("service %d: VC ID %v reused or different at the ends", i, vc)
		}
		vcs[vc] = true
		u := hub.Attachments[0].Name()
		if hubUnits[u] {
			t.Fatalf("service %d: hub unit %s reused", i, u)
		}
		hubUnits[u] = true
		if want := fmt.Sprintf("xe-0/%d/0", i%3); hub.Attachments[0].Interface != want {
			t.Fatalf("service %d on hub interface %s, want %s", i, hub.Attachments[0].Interface, want)
		}
	}
	// Designing again is idempotent and fast: nothing new is claimed.
	again, err := design.DesignAll(ctx, m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rs[n-1].Service, again[n-1].Service, cmpOpts); diff != "" {
		t.Errorf("second run differs:\n%s", diff)
	}
	// 4,000 sites on one hub port exhaust its VLANs (100-3999): the error
	// names the pool and scope.
	inv2, o2 := bulkOrder(4000, 1)
	_, err = design.DesignAll(ctx, newPools(t), inv2, def, o2)
	if !errors.Is(err, pool.ErrExhausted) || !strings.Contains(err.Error(), `"agg1:xe-0/0/0"`) {
		t.Errorf("exhausted hub port: %v", err)
	}
}

// TestHubSpokeIsolation checks the point of hub-and-spoke L3VPN route
// targets: no spoke imports what another spoke exports, every spoke imports
// what the hub exports and the hub imports what spokes export.
func TestHubSpokeIsolation(t *testing.T) {
	t.Parallel()
	inv, cat := testInventory(t), testCatalog(t)
	o := testOrder(t, "l3vpn-hub-spoke.yaml")
	def, _ := cat.Lookup(o.Definition)
	svc, err := design.Design(context.Background(), newPools(t), inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	meets := func(a, b []netid.RT) bool {
		for _, x := range a {
			for _, y := range b {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	var hubs, spokes []*design.VRFInstance
	for i := range svc.Devices {
		d := &svc.Devices[i]
		if d.Role == design.RoleHub {
			hubs = append(hubs, d.VRF)
		} else {
			spokes = append(spokes, d.VRF)
		}
	}
	if len(hubs) != 1 || len(spokes) != 2 {
		t.Fatalf("%d hubs, %d spokes", len(hubs), len(spokes))
	}
	for i, a := range spokes {
		if !meets(a.ImportRTs, hubs[0].ExportRTs) || !meets(hubs[0].ImportRTs, a.ExportRTs) {
			t.Errorf("spoke %d and the hub do not exchange routes", i)
		}
		for j, b := range spokes {
			if i != j && meets(a.ImportRTs, b.ExportRTs) {
				t.Errorf("spoke %d imports spoke %d's routes", i, j)
			}
		}
	}
}

// TestPortExclusive checks that a port used whole by one service cannot be
// used whole by another.
func TestPortExclusive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inv, cat, m := testInventory(t), testCatalog(t), newPools(t)
	o := testOrder(t, "eline-ldp-port.yaml")
	def, _ := cat.Lookup(o.Definition)
	if _, err := design.Design(ctx, m, inv, def, o); err != nil {
		t.Fatal(err)
	}
	o2 := testOrder(t, "eline-ldp-port.yaml")
	o2.Name = "epl-other"
	o2.Endpoints[1] = design.Endpoint{Device: "pe4", Interface: "ge-0/0/1"}
	_, err := design.Design(ctx, m, inv, def, o2)
	if !errors.Is(err, pool.ErrTaken) || !strings.Contains(err.Error(), `"epl-cust7"`) || !strings.Contains(err.Error(), "pe1:ge-0/0/3") {
		t.Errorf("second service on port pe1 ge-0/0/3: %v", err)
	}
}

// TestVPLSEncapsulation checks that an H-VPLS's spokes signal the same
// pseudowire type as the hubs' instance, by default and when overridden.
func TestVPLSEncapsulation(t *testing.T) {
	t.Parallel()
	inv, cat := testInventory(t), testCatalog(t)
	for _, enc := range []string{"", design.EncapEthernetVLAN} {
		o := testOrder(t, "vpls-hub-spoke.yaml")
		if enc != "" {
			o.Attributes = design.Attributes{"encapsulation": enc}
		}
		def, _ := cat.Lookup(o.Definition)
		svc, err := design.Design(context.Background(), newPools(t), inv, def, o)
		if err != nil {
			t.Fatal(err)
		}
		hub, _ := svc.Device("pe1")
		spoke, _ := svc.Device("pe3")
		wantPW := design.EncapEthernet
		if enc != "" {
			wantPW = enc
		}
		if hub.VPLS.Encapsulation != enc || spoke.L2Circuits[0].Encapsulation != wantPW {
			t.Errorf("encapsulation %q: hub instance %q, spoke pseudowire %q", enc, hub.VPLS.Encapsulation, spoke.L2Circuits[0].Encapsulation)
		}
	}
}

// TestVPLSSiteRange: BGP VPLS site identifiers run 1..n and Junos wants
// each below the site range, so n sites need a site range above n.
func TestVPLSSiteRange(t *testing.T) {
	t.Parallel()
	inv, cat := testInventory(t), testCatalog(t)
	for _, tt := range []struct {
		siteRange string
		ok        bool
	}{{"3", false}, {"4", true}} {
		o := testOrder(t, "vpls-bgp.yaml") // three sites
		o.Attributes = design.Attributes{"siteRange": tt.siteRange}
		def, _ := cat.Lookup(o.Definition)
		svc, err := design.Design(context.Background(), newPools(t), inv, def, o)
		if tt.ok {
			if err != nil {
				t.Errorf("site range %s for 3 sites: %v", tt.siteRange, err)
			} else if d, _ := svc.Device("pe3"); d.VPLS.SiteID != 3 || d.VPLS.SiteRange != 4 {
				t.Errorf("pe3 site %d of range %d, want 3 of 4", d.VPLS.SiteID, d.VPLS.SiteRange)
			}
			continue
		}
		if !errors.Is(err, design.ErrInvalid) || !strings.Contains(err.Error(), "siteRange") {
			t.Errorf("site range %s for 3 sites: %v, want an ErrInvalid naming siteRange", tt.siteRange, err)
		}
	}
}

// TestVPLSMultihomingPreference: a multihomed site's primary PE is the one
// the order names, else the site's first PE; the others are backups.
func TestVPLSMultihomingPreference(t *testing.T) {
	t.Parallel()
	inv, cat := testInventory(t), testCatalog(t)
	for _, tt := range []struct {
		name     string
		pe1, pe2 string // sitePreference in the order
		want1    string // resulting preference of pe1 (pe2 gets the other)
	}{
		{"none named: first PE is primary", "", "", design.SitePrimary},
		{"second PE named primary", "", design.SitePrimary, design.SiteBackup},
		{"first PE named backup: the other is primary", design.SiteBackup, "", design.SiteBackup},
		{"second PE named backup", "", design.SiteBackup, design.SitePrimary},
	} {
		o := testOrder(t, "vpls-multihoming.yaml")
		o.Endpoints[0].SitePreference, o.Endpoints[1].SitePreference = tt.pe1, tt.pe2
		def, _ := cat.Lookup(o.Definition)
		svc, err := design.Design(context.Background(), newPools(t), inv, def, o)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		d1, _ := svc.Device("pe1")
		d2, _ := svc.Device("pe2")
		want2 := design.SitePrimary
		if tt.want1 == design.SitePrimary {
			want2 = design.SiteBackup
		}
		if d1.VPLS.SitePreference != tt.want1 || d2.VPLS.SitePreference != want2 {
			t.Errorf("%s: pe1 %q pe2 %q, want %q %q", tt.name, d1.VPLS.SitePreference, d2.VPLS.SitePreference, tt.want1, want2)
		}
	}
	// Both PEs named backup: the site would have no primary; refused.
	o := testOrder(t, "vpls-multihoming.yaml")
	o.Endpoints[0].SitePreference, o.Endpoints[1].SitePreference = design.SiteBackup, design.SiteBackup
	def, _ := cat.Lookup(o.Definition)
	_, err := design.Design(context.Background(), newPools(t), inv, def, o)
	var fe *design.FieldError
	if !errors.Is(err, design.ErrInvalid) || !errors.As(err, &fe) || fe.Field != "sitePreference" || !strings.Contains(err.Error(), "no primary") {
		t.Errorf("two backups: err %v, want a sitePreference error saying the site has no primary", err)
	}
}
