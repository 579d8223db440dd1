package validate_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/validate"
)

// designed designs one of design's sample orders over design's sample
// inventory, with fresh pools.
func designed(t testing.TB, order string) design.Service {
	t.Helper()
	svc, _ := designedIn(t, order)
	return svc
}

// designedIn is designed, also returning the pools.
func designedIn(t testing.TB, order string) (design.Service, *pool.Manager) {
	t.Helper()
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "design", "testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	inv, err := design.DecodeInventory("inventory.yaml", read("inventory.yaml"), design.FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	o, err := design.DecodeOrder(order, read("orders/"+order), design.FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(o.Definition)
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := m.CreatePool(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := design.Design(context.Background(), m, inv, def, o)
	if err != nil {
		t.Fatal(err)
	}
	return svc, m
}

// brief is a finding without its message: rule, severity, device.
type brief struct {
	Rule   string
	Sev    validate.Severity
	Device string
}

func briefs(fs []validate.Finding) []brief {
	out := []brief{}
	for _, f := range fs {
		out = append(out, brief{f.Rule, f.Severity, f.Device})
	}
	return out
}

func dev(svc *design.Service, name string) *design.DeviceIntent {
	d, _ := svc.Device(name)
	return d
}

func TestDesignRules(t *testing.T) {
	t.Parallel()
	rt := netid.MustParseRT("target:65000:999")
	tests := []struct {
		name   string
		order  string
		mutate func(*design.Service)
		rule   validate.Rule
		want   []brief
	}{
		{name: "hub-spoke isolates spokes", order: "l3vpn-hub-spoke.yaml", rule: validate.SpokeIsolation, want: []brief{}},
		{name: "hub-spoke leaky spoke import", order: "l3vpn-hub-spoke.yaml",
			mutate: func(s *design.Service) {
				// pe2 also imports the spokes' export RT: it sees pe3 directly.
				v := dev(s, "pe2").VRF
				v.ImportRTs = append(slices.Clone(v.ImportRTs), dev(s, "pe3").VRF.ExportRTs...)
			},
			rule: validate.SpokeIsolation, want: []brief{{validate.RuleSpokeIsolation, validate.Error, "pe2"}}},
		{name: "hub-spoke reachable", order: "l3vpn-hub-spoke.yaml", rule: validate.Reachability, want: []brief{}},
		{name: "spoke imports no hub", order: "l3vpn-hub-spoke.yaml",
			mutate: func(s *design.Service) { dev(s, "pe3").VRF.ImportRTs = []netid.RT{rt} },
			rule:   validate.Reachability,
			// pe3 cannot reach the hub, and imports no hub at all.
			want: []brief{{validate.RuleReachability, validate.Error, "pe3"}, {validate.RuleReachability, validate.Error, "pe3"}}},
		{name: "full mesh reachable", order: "l3vpn-full-mesh.yaml", rule: validate.Reachability, want: []brief{}},
		{name: "full mesh site with wrong RT", order: "l3vpn-full-mesh.yaml",
			mutate: func(s *design.Service) {
				v := dev(s, "pe3").VRF
				v.ImportRTs, v.ExportRTs = []netid.RT{rt}, []netid.RT{rt}
			},
			rule: validate.Reachability,
			want: []brief{{validate.RuleReachability, validate.Error, "pe1"}, {validate.RuleReachability, validate.Error, "pe2"},
				{validate.RuleReachability, validate.Error, "pe3"}, {validate.RuleReachability, validate.Error, "pe3"}}},
		{name: "ldp vpls full mesh", order: "vpls-ldp.yaml", rule: validate.Reachability, want: []brief{}},
		{name: "ldp vpls missing neighbor", order: "vpls-ldp.yaml",
			mutate: func(s *design.Service) { dev(s, "pe1").VPLS.Neighbors = dev(s, "pe1").VPLS.Neighbors[:1] },
			rule:   validate.Reachability, want: []brief{{validate.RuleReachability, validate.Error, "pe1"}}},
		{name: "h-vpls reachable", order: "vpls-hub-spoke.yaml", rule: validate.Reachability, want: []brief{}},
		{name: "h-vpls spokes agree with hubs", order: "vpls-hub-spoke.yaml", rule: validate.PseudowireAgreement, want: []brief{}},
		{name: "h-vpls spoke mtu differs from hub", order: "vpls-hub-spoke.yaml",
			mutate: func(s *design.Service) {
				for i := range s.Devices {
					if len(s.Devices[i].L2Circuits) > 0 {
						s.Devices[i].L2Circuits[0].MTU = 1234
						return
					}
				}
			},
			rule: validate.PseudowireAgreement, want: []brief{{validate.RulePWAgreement, validate.Error, "pe3"}}},
		{name: "multihomed vpls", order: "vpls-multihoming.yaml", rule: func(s *design.Service) []validate.Finding { return validate.Check(s, validate.DesignRules()...) }, want: []brief{}},
		{name: "bgp vpls reachable", order: "vpls-bgp.yaml", rule: validate.Reachability, want: []brief{}},
		{name: "eline ends agree", order: "eline-ldp.yaml", rule: validate.PseudowireAgreement, want: []brief{}},
		{name: "eline mtu mismatch", order: "eline-ldp.yaml",
			mutate: func(s *design.Service) { dev(s, "pe2").L2Circuits[0].MTU = 1500 },
			rule:   validate.PseudowireAgreement, want: []brief{{validate.RulePWAgreement, validate.Error, "pe1"}}},
		{name: "eline encapsulation mismatch", order: "eline-ldp.yaml",
			mutate: func(s *design.Service) { dev(s, "pe1").L2Circuits[0].Encapsulation = design.EncapEthernet },
			rule:   validate.PseudowireAgreement, want: []brief{{validate.RulePWAgreement, validate.Error, "pe1"}}},
		{name: "eline vc id mismatch", order: "eline-ldp.yaml",
			mutate: func(s *design.Service) { dev(s, "pe2").L2Circuits[0].VCID++ },
			rule:   validate.PseudowireAgreement,
			want:   []brief{{validate.RulePWAgreement, validate.Error, "pe1"}, {validate.RulePWAgreement, validate.Error, "pe2"}}},
		{name: "vpls mtu differs between PEs", order: "vpls-bgp.yaml",
			mutate: func(s *design.Service) { s.Devices[len(s.Devices)-1].VPLS.MTU = 1400 },
			rule:   validate.PseudowireAgreement, want: []brief{{validate.RulePWAgreement, validate.Error, "pe3"}}},
		{name: "ldp on both ends covers the pseudowire", order: "eline-ldp.yaml",
			rule: validate.LSPCoverage(validate.Transport{LDP: map[string]bool{"pe1": true, "pe2": true}}), want: []brief{}},
		{name: "no transport to the far end", order: "eline-ldp.yaml",
			rule: validate.LSPCoverage(validate.Transport{LDP: map[string]bool{"pe1": true},
				LSPs: map[string][]netip.Addr{"pe1": {netip.MustParseAddr("192.0.2.2")}}}),
			want: []brief{{validate.RuleLSPCoverage, validate.Error, "pe2"}}},
		{name: "l3vpn needs every importing pair", order: "l3vpn-full-mesh.yaml",
			rule: validate.LSPCoverage(validate.Transport{LSPs: map[string][]netip.Addr{
				"pe1": {netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("192.0.2.3")},
				"pe2": {netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.3")},
				"pe3": {netip.MustParseAddr("192.0.2.1")}}}),
			want: []brief{{validate.RuleLSPCoverage, validate.Error, "pe3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc := designed(t, tt.order)
			if tt.mutate != nil {
				tt.mutate(&svc)
			}
			got := validate.Check(&svc, tt.rule)
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Errorf("(-want +got)\n%s\nfindings: %v", diff, got)
			}
			for _, f := range got {
				if f.Service != svc.Name || f.Message == "" || f.Path == "" {
					t.Errorf("finding lacks service, path or message: %+v", f)
				}
			}
		})
	}
}

func TestCustomRule(t *testing.T) {
	t.Parallel()
	svc := designed(t, "eline-ldp.yaml")
	svc.Description = ""
	noDesc := func(s *design.Service) []validate.Finding {
		if s.Description == "" {
			return []validate.Finding{{Rule: "description-required", Path: "description", Message: "orders need a description"}}
		}
		return nil
	}
	fs := validate.Check(&svc, noDesc, nil)
	want := []validate.Finding{{Rule: "description-required", Severity: validate.Error, Service: svc.Name, Path: "description", Message: "orders need a description"}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestLeakyHubSpokeMessage(t *testing.T) {
	t.Parallel()
	svc := designed(t, "l3vpn-hub-spoke.yaml")
	v := dev(&svc, "pe3").VRF
	v.ImportRTs = append(slices.Clone(v.ImportRTs), dev(&svc, "pe2").VRF.ExportRTs...)
	fs := validate.Check(&svc, validate.DesignRules()...)
	err := validate.Refuse(fs)
	if err == nil || !strings.Contains(err.Error(), "spoke pe3 imports "+dev(&svc, "pe2").VRF.ExportRTs[0].String()+", which spoke pe2 exports") {
		t.Fatalf("Refuse = %v", err)
	}
}

func TestConfigCollisions(t *testing.T) {
	t.Parallel()
	svc := designed(t, "l3vpn-full-mesh.yaml")
	pe1 := dev(&svc, "pe1")
	a := pe1.Attachments[0]
	rd, rt := pe1.VRF.RD.String(), pe1.VRF.ImportRTs[0].String()
	el := designed(t, "eline-ldp.yaml")
	c := dev(&el, "pe1").L2Circuits[0]
	port := designed(t, "eline-ldp-port.yaml")
	portIf := dev(&port, "pe1").Attachments[0].Interface
	tests := []struct {
		name  string
		svc   design.Service
		lines []string
		want  []brief
	}{
		{name: "empty device", svc: svc, want: []brief{}},
		{name: "own deployed service", svc: svc, lines: setOf(t, svc, "pe1"), want: []brief{}},
		{name: "vlan on another unit", svc: svc,
			lines: []string{"set interfaces " + a.Interface + " unit 4000 vlan-id " + a.VLAN.String()},
			want:  []brief{{validate.RuleVLANCollision, validate.Error, "pe1"}}},
		{name: "unit exists with another vlan", svc: svc,
			lines: []string{fmt.Sprintf("set interfaces %s unit %d vlan-id %d", a.Interface, a.Unit, a.VLAN+1)},
			want:  []brief{{validate.RuleVLANCollision, validate.Error, "pe1"}}},
		{name: "port-based service on a port with units", svc: port, lines: []string{"set interfaces " + portIf + " unit 5 vlan-id 5"},
			want: []brief{{validate.RuleVLANCollision, validate.Error, "pe1"}}},
		{name: "unit in another instance", svc: svc,
			lines: []string{"set routing-instances OTHER interface " + a.Name()},
			want:  []brief{{validate.RuleVLANCollision, validate.Error, "pe1"}}},
		{name: "rd of another instance", svc: svc,
			lines: []string{"set routing-instances OTHER route-distinguisher " + rd},
			want:  []brief{{validate.RuleRDCollision, validate.Error, "pe1"}}},
		{name: "rt of another instance and community", svc: svc,
			lines: []string{"set routing-instances OTHER vrf-target " + rt, "set policy-options community X members " + rt},
			want:  []brief{{validate.RuleRTCollision, validate.Error, "pe1"}, {validate.RuleRTCollision, validate.Error, "pe1"}}},
		{name: "vc id on another pseudowire", svc: el,
			lines: []string{"set protocols l2circuit neighbor 192.0.2.9 interface ge-0/0/3.7 virtual-circuit-id " + c.VCID.String()},
			want:  []brief{{validate.RuleVCIDCollision, validate.Error, "pe1"}}},
		{name: "unrelated configuration", svc: el,
			lines: []string{"set interfaces ge-0/0/3 unit 7 vlan-id 7", "set protocols l2circuit neighbor 192.0.2.9 interface ge-0/0/3.7 virtual-circuit-id 7"},
			want:  []brief{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := validate.ParseSet([]byte(strings.Join(tt.lines, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			got := validate.Check(&tt.svc, validate.ConfigCollisions(map[string]*validate.Config{"pe1": cfg}))
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Errorf("(-want +got)\n%s\nfindings: %v", diff, got)
			}
		})
	}
}

func TestPoolCollisions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, m := designedIn(t, "l3vpn-full-mesh.yaml")
	pe2 := dev(&svc, "pe2")
	// The service's values go back to the pools and another owner takes
	// pe2's RD: the design now collides with it.
	if _, err := m.Release(ctx, svc.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Claim(ctx, "vpn-green", pool.Request{Name: "rd", Pool: design.PoolRD, Value: pe2.VRF.RD.String()}); err != nil {
		t.Fatal(err)
	}
	claims, err := m.Claims(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	got := validate.Check(&svc, validate.PoolCollisions(claims))
	want := []brief{{validate.RuleRDCollision, validate.Error, "pe2"}}
	if diff := cmp.Diff(want, briefs(got)); diff != "" || !strings.Contains(got[0].Message, "vpn-green") {
		t.Errorf("(-want +got)\n%s\n%v", diff, got)
	}
	// The same RD on two PEs of one service.
	dev(&svc, "pe3").VRF.RD = pe2.VRF.RD
	got = validate.Check(&svc, validate.PoolCollisions(nil))
	if diff := cmp.Diff([]brief{{validate.RuleRDCollision, validate.Error, "pe3"}}, briefs(got)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// setOf renders svc's set lines for one device.
func setOf(t testing.TB, svc design.Service, device string) []string {
	t.Helper()
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Device == device {
			return strings.Split(strings.TrimSpace(string(a.Body)), "\n")
		}
	}
	t.Fatalf("no artifact for %s", device)
	return nil
}
