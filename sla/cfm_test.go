package sla

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/yangcheck"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/render"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

var mx = design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}

func uni(ifc string, vlan uint16) design.Attachment {
	return design.Attachment{Interface: ifc, Unit: uint32(vlan), Encapsulation: design.UnitVLANCCC, VLAN: netid.VLANID(vlan)}
}

func eline() design.Service {
	return design.Service{Name: "EVC-1100", Type: design.TypeELine, Devices: []design.DeviceIntent{
		{Device: "pe1", Platform: mx, Attachments: []design.Attachment{uni("ge-0/0/1", 1100)}},
		{Device: "pe2", Platform: mx, Attachments: []design.Attachment{uni("ge-0/0/3", 1100)}},
	}}
}

func vplsHubSpoke() design.Service {
	return design.Service{Name: "LAN-7", Type: design.TypeVPLS, Devices: []design.DeviceIntent{
		{Device: "hub1", Platform: mx, Role: design.RoleHub, Attachments: []design.Attachment{uni("ge-0/0/1", 700)}},
		{Device: "sp1", Platform: mx, Role: design.RoleSpoke, Attachments: []design.Attachment{uni("ge-0/0/2", 700), uni("ge-0/0/2", 701)}},
		{Device: "sp2", Platform: mx, Role: design.RoleSpoke, Attachments: []design.Attachment{uni("xe-0/0/0", 700)}},
	}}
}

func fullSpec() CFMSpec {
	return CFMSpec{CCInterval: CC100ms, LossThreshold: 4, Port: true,
		Profiles: []IteratorProfile{
			{Name: "DM", Type: MeasureTwoWayDelay, CycleTime: 1000 * ms, IterationPeriod: 60, DelayWeight: 1, DelayVariationWeight: 2},
			{Name: "LM", Type: MeasureLoss, IterationPeriod: 60},
			{Name: "SLM", Type: MeasureSyntheticLoss, CycleTime: 100 * ms},
		},
		Action: &ActionProfile{Name: "AP-DOWN", AdjacencyLoss: true, RDI: true, InterfaceStatusDown: true, InterfaceDown: true, LogAndGenerateAIS: true},
	}
}

func TestDesignMEPIDs(t *testing.T) {
	t.Parallel()
	p, err := Design(vplsHubSpoke(), CFMSpec{Fixed: map[string]MEPID{"sp2:xe-0/0/0.700": 1}})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Dev, Ifl string
		ID       MEPID
		Remote   []MEPID
	}
	var got []row
	for _, m := range p.MEPs {
		got = append(got, row{m.Device, m.Interface, m.ID, m.Remote})
	}
	// sp2 keeps its pinned 1; the others take 2, 3, 4 in attachment order.
	// Spokes expect only the hub (2); the hub expects every spoke.
	want := []row{
		{"hub1", "ge-0/0/1.700", 2, []MEPID{1, 3, 4}},
		{"sp1", "ge-0/0/2.700", 3, []MEPID{2}},
		{"sp1", "ge-0/0/2.701", 4, []MEPID{2}},
		{"sp2", "xe-0/0/0.700", 1, []MEPID{2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if p.MEPs[0].Domain != "MD-L5" || p.MEPs[0].Level != 5 || p.MEPs[0].MA != "LAN-7" || !p.MEPs[0].Up {
		t.Errorf("MEP %+v", p.MEPs[0])
	}
	if k := p.MEPs[0].Key(1); k != "hub1/MD-L5/LAN-7/2/1" {
		t.Errorf("Key = %q", k)
	}
}

func TestDesignErrors(t *testing.T) {
	t.Parallel()
	lvl := func(n int) *int { return &n }
	one := eline()
	one.Devices = one.Devices[:1]
	l3 := eline()
	l3.Type = design.TypeL3VPN
	tests := []struct {
		name string
		svc  design.Service
		spec CFMSpec
		want string
	}{
		{"level 8", eline(), CFMSpec{Level: lvl(8)}, "level 8"},
		{"port level above service", eline(), CFMSpec{Port: true, PortLevel: lvl(6)}, "port level 6"},
		{"cc interval", eline(), CFMSpec{CCInterval: CCInterval(2 * ms)}, "continuity-check interval 2ms"},
		{"loss threshold", eline(), CFMSpec{LossThreshold: 2}, "loss threshold 2"},
		{"duplicate fixed", eline(), CFMSpec{Fixed: map[string]MEPID{"a": 5, "b": 5}}, `given to both "a" and "b"`},
		{"fixed out of range", eline(), CFMSpec{Fixed: map[string]MEPID{"a": 9000}}, "9000"},
		{"weights on loss", eline(), CFMSpec{Profiles: []IteratorProfile{{Name: "LM", Type: MeasureLoss, DelayWeight: 1}}}, "delay measurements only"},
		{"cycle time", eline(), CFMSpec{Profiles: []IteratorProfile{{Name: "DM", Type: MeasureTwoWayDelay, CycleTime: 5 * ms}}}, "cycle time 5ms"},
		{"profile name", eline(), CFMSpec{Profiles: []IteratorProfile{{Name: "a b", Type: MeasureLoss}}}, `"a b"`},
		{"action without event", eline(), CFMSpec{Action: &ActionProfile{Name: "AP", InterfaceDown: true}}, "no event"},
		{"one attachment", one, CFMSpec{}, "1 attachments"},
		{"l3vpn", l3, CFMSpec{}, "E-LINE or VPLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Design(tt.svc, tt.spec)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrInvalid naming %q", err, tt.want)
			}
		})
	}
}

func TestMAName(t *testing.T) {
	t.Parallel()
	long1, long2 := strings.Repeat("a", 50)+"1", strings.Repeat("a", 50)+"2"
	if MAName("EVC-1") != "EVC-1" {
		t.Error("short name changed")
	}
	a, b := MAName(long1), MAName(long2)
	if len(a) != 45 || a == b || MAName(long1) != a {
		t.Errorf("long names %q %q", a, b)
	}
}

func TestMEPIDText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "8192", "01", "-1", "x", ""} {
		if _, err := ParseMEPID(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseMEPID(%q) err %v", s, err)
		}
	}
	var m MEPID
	if err := m.UnmarshalText([]byte("8191")); err != nil || m != 8191 || m.String() != "8191" {
		t.Errorf("8191: %v %v", m, err)
	}
	if _, err := MEPID(0).MarshalText(); err == nil {
		t.Error("zero MEPID marshals")
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sla -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got)\n%s", name, diff)
	}
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	p, err := Design(eline(), fullSpec())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []render.Format{render.FormatSet, render.FormatText, render.FormatXML} {
		arts, err := Render(p, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 2 || arts[0].Device != "pe1" || arts[1].Device != "pe2" {
			t.Fatalf("artifacts %v", arts)
		}
		golden(t, "eline.pe1."+f.Ext(), arts[0].Body)
	}
	if _, err := RenderDevice(p, "pe9", render.FormatSet); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown device: %v", err)
	}
	if _, err := RenderDevice(p, "pe1", render.FormatMDCLI); !errors.Is(err, ErrInvalid) {
		t.Errorf("MD-CLI: %v", err)
	}
	// The owned part is the service's MA: removing it leaves the shared domain.
	del := Tree(p, "pe1").AppendDeleteSet(nil)
	if want := "delete protocols oam ethernet connectivity-fault-management maintenance-domain MD-L5 maintenance-association EVC-1100\n"; string(del) != want {
		t.Errorf("delete = %q", del)
	}
}

func TestRenderYANG(t *testing.T) {
	c := yangcheck.ForTest(t)
	var docs []yangcheck.Doc
	for name, svc := range map[string]design.Service{"eline": eline(), "vpls": vplsHubSpoke()} {
		p, err := Design(svc, fullSpec())
		if err != nil {
			t.Fatal(err)
		}
		arts, err := Render(p, render.FormatXML)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			docs = append(docs, yangcheck.Doc{Name: name + " " + a.Device, XML: a.Body})
		}
	}
	if err := c.Validate(context.Background(), yangcheck.FamilyJunos, docs...); err != nil {
		t.Fatal(err)
	}
	// The check is real: a misspelt statement is refused.
	bad := bytes.Replace(docs[0].XML, []byte("cycle-time>"), []byte("cycle-tme>"), 2)
	if err := c.Validate(context.Background(), yangcheck.FamilyJunos, yangcheck.Doc{Name: "bad", XML: bad}); !errors.Is(err, yangcheck.ErrInvalid) {
		t.Fatalf("misspelt document: %v", err)
	}
}
