package oam_test

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/oam"
)

func loop(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 255, byte(i / 256), byte(i % 256)}) }

func pe(i int) string { return fmt.Sprintf("pe%03d", i) }

// meshService builds an n-site service of type typ without pools.
func meshService(typ design.ServiceType, n int) design.Service {
	svc := design.Service{Name: "s1", Type: typ}
	for i := 1; i <= n; i++ {
		d := design.DeviceIntent{Device: pe(i), Platform: mx(), Loopback: loop(i)}
		att := design.Attachment{Interface: "xe-0/0/1", Unit: 100, VLAN: 100,
			Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, byte(i), 0}), 31)}
		switch typ {
		case design.TypeVPLS:
			d.Attachments = []design.Attachment{att}
			d.VPLS = &design.VPLSInstance{Name: "VPLS-S1", Signalling: design.SignallingLDP, VPLSID: 1, Interfaces: []string{"xe-0/0/1.100"}}
		case design.TypeL3VPN:
			d.Attachments = []design.Attachment{att}
			d.VRF = &design.VRFInstance{Name: "VRF-S1", Interfaces: []string{"xe-0/0/1.100"}}
			d.Role = design.RoleSpoke
			if i == 1 {
				d.Role = design.RoleHub
			}
		case design.TypeLSP:
			for j := 1; j <= n; j++ {
				if j != i {
					d.LSPs = append(d.LSPs, design.LSP{Name: fmt.Sprintf("S1-%s-%s", pe(i), pe(j)), To: loop(j)})
				}
			}
		case design.TypeELineBGP:
			d.L2VPN = &design.L2VPNInstance{Name: "L2VPN-S1", Interface: "xe-0/0/1.100", SiteID: uint32(i), RemoteSiteID: uint32(3 - i)}
		case design.TypeELine:
			d.L2Circuits = []design.L2Circuit{{Neighbor: loop(3 - i), Interface: "xe-0/0/1.100", VCID: netid.VCID(1000)}}
		}
		svc.Devices = append(svc.Devices, d)
	}
	return svc
}

func TestPlanServiceCounts(t *testing.T) {
	t.Parallel()
	hubSpoke := meshService(design.TypeL3VPN, 4)
	hubSpoke.Params.Topology = design.TopologyHubAndSpoke
	tests := []struct {
		name     string
		svc      design.Service
		want     int
		kind     oam.Kind
		wantErr  error
		reason   string
		firstRPC string
	}{
		{name: "eline", svc: meshService(design.TypeELine, 2), want: 2, kind: oam.KindL2CircuitInterface,
			firstRPC: "<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name><count>3</count></request-ping-l2circuit-interface>"},
		{name: "eline bgp", svc: meshService(design.TypeELineBGP, 2), want: 2, kind: oam.KindL2VPNInterface,
			firstRPC: "<request-ping-l2vpn-interface><interface-name>xe-0/0/1.100</interface-name><count>3</count></request-ping-l2vpn-interface>"},
		{name: "vpls 5", svc: meshService(design.TypeVPLS, 5), want: 20, kind: oam.KindLSPEndPoint,
			firstRPC: "<request-ping-lsp-end-point><prefix>10.255.0.2/32</prefix><count>3</count></request-ping-lsp-end-point>"},
		{name: "vpls 50", svc: meshService(design.TypeVPLS, 50), want: 2450, kind: oam.KindLSPEndPoint},
		{name: "l3vpn 4", svc: meshService(design.TypeL3VPN, 4), want: 12, kind: oam.KindL3VPN,
			firstRPC: "<request-ping-l3vpn><l3vpn-name>VRF-S1</l3vpn-name><prefix>100.64.2.0/31</prefix><count>3</count></request-ping-l3vpn>"},
		{name: "l3vpn hub and spoke", svc: hubSpoke, want: 6, kind: oam.KindL3VPN, reason: "spoke pairs are not planned: they must not reach each other"},
		{name: "rsvp mesh 3", svc: meshService(design.TypeLSP, 3), want: 6, kind: oam.KindRSVP,
			firstRPC: "<request-ping-rsvp-lsp><lsp-name>S1-pe001-pe002</lsp-name><count>3</count></request-ping-rsvp-lsp>"},
		{name: "static lsp", svc: meshService(design.TypeStaticLSP, 2), wantErr: oam.ErrUnsupported},
		{name: "one site", svc: meshService(design.TypeVPLS, 1), wantErr: oam.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := oam.PlanService(tt.svc, oam.PlanOptions{Count: 3})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if len(p.Probes) != tt.want {
				t.Fatalf("%d probes, want %d (%s)", len(p.Probes), tt.want, tt.reason)
			}
			seen := map[string]bool{}
			for _, pr := range p.Probes {
				if pr.Kind != tt.kind || pr.From == pr.To || seen[pr.ID()] {
					t.Fatalf("bad probe %+v (kind want %s, duplicate %v)", pr, tt.kind, seen[pr.ID()])
				}
				seen[pr.ID()] = true
			}
			if tt.firstRPC != "" {
				if diff := cmp.Diff(tt.firstRPC, p.Probes[0].RPC()); diff != "" {
					t.Errorf("first RPC (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestPlanByVirtualCircuitAndInvolving(t *testing.T) {
	t.Parallel()
	p, err := oam.PlanService(meshService(design.TypeELine, 2), oam.PlanOptions{ByVirtualCircuit: true})
	if err != nil {
		t.Fatal(err)
	}
	want := "<request-ping-l2circuit-virtual-circuit><neighbor>10.255.0.2</neighbor><virtual-circuit-id>1000</virtual-circuit-id></request-ping-l2circuit-virtual-circuit>"
	if got := p.Probes[0].RPC(); got != want {
		t.Errorf("RPC = %s, want %s", got, want)
	}
	mesh, _ := oam.PlanService(meshService(design.TypeVPLS, 6), oam.PlanOptions{})
	added := mesh.Involving(pe(6))
	if len(added.Probes) != 10 || len(added.Sites) != 6 {
		t.Fatalf("adding a 6th site: %d probes over %d sites, want 10 over 6", len(added.Probes), len(added.Sites))
	}
	for _, pr := range added.Probes {
		if pr.From != pe(6) && pr.To != pe(6) {
			t.Errorf("probe %s does not involve the new site", pr.ID())
		}
	}
}

func TestPlanRejectsBadInput(t *testing.T) {
	t.Parallel()
	svc := meshService(design.TypeELine, 2)
	svc.Devices[1].L2Circuits[0].VCID = 1001
	if _, err := oam.PlanService(svc, oam.PlanOptions{}); !errors.Is(err, oam.ErrInvalid) {
		t.Errorf("unmatched pseudowire end: err = %v, want ErrInvalid", err)
	}
	if _, err := oam.PlanService(meshService(design.TypeVPLS, 2), oam.PlanOptions{Count: -1}); !errors.Is(err, oam.ErrInvalid) {
		t.Errorf("negative count: err = %v, want ErrInvalid", err)
	}
	// An RPC value cannot inject XML.
	pr := oam.Probe{Kind: oam.KindRSVP, LSP: "a</lsp-name><x>"}
	if got := pr.RPC(); got != "<request-ping-rsvp-lsp><lsp-name>a&lt;/lsp-name&gt;&lt;x&gt;</lsp-name></request-ping-rsvp-lsp>" {
		t.Errorf("escaping: %s", got)
	}
}
