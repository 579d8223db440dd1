package junosconf

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckCleanConfigs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		fam  Family
	}{{"mx.conf", FamilyJunos}, {"srx.conf", FamilyES}, {"srx.conf", FamilyNFX}} {
		b, err := os.ReadFile("testdata/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		tr := mustParse(t, FormatText, string(b), tc.fam)
		if errs := Check(tr, tc.fam); errs != nil {
			t.Errorf("%s: %v", tc.file, errs)
		}
	}
}

func TestCheckRules(t *testing.T) {
	t.Parallel()
	const base = `
set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/30
set interfaces lo0 unit 0 family inet address 192.0.2.1/32
set interfaces ge-0/0/1 flexible-vlan-tagging
set interfaces ge-0/0/1 encapsulation flexible-ethernet-services
set interfaces ge-0/0/1 unit 100 encapsulation vlan-ccc
set interfaces ge-0/0/1 unit 100 vlan-id 100
set interfaces ge-0/0/1 unit 200 vlan-id 200
set interfaces ge-0/0/1 unit 200 family inet address 10.2.0.1/24
set protocols mpls interface ge-0/0/0.0
set protocols ldp interface lo0.0
set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 virtual-circuit-id 100
`
	type finding struct{ Path, Element, Message string }
	tests := []struct {
		name  string
		extra string
		fam   Family
		want  []finding
	}{
		{"clean", "", FamilyJunos, nil},
		{"missing unit for l2circuit", "set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/9.100 virtual-circuit-id 9", FamilyJunos,
			[]finding{{"[edit protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/9.100]", "interface", "referenced interface ge-0/0/9.100 is not configured under [edit interfaces]"}}},
		{"missing unit for mpls, unit 0 implied", "set protocols mpls interface ge-0/0/7", FamilyJunos,
			[]finding{{"[edit protocols mpls]", "interface", "referenced interface ge-0/0/7.0 is not configured under [edit interfaces]"}}},
		{"mpls all is fine", "set protocols mpls interface all", FamilyJunos, nil},
		{"l2circuit without ccc", "set protocols l2circuit neighbor 192.0.2.3 interface ge-0/0/1.200 virtual-circuit-id 200", FamilyJunos,
			[]finding{{"[edit protocols l2circuit neighbor 192.0.2.3 interface ge-0/0/1.200]", "interface", "interface ge-0/0/1.200 carries an l2circuit but has no circuit cross-connect encapsulation (vlan-ccc, ethernet-ccc or family ccc)"}}},
		{"same interface in two l2circuits", "set protocols l2circuit neighbor 192.0.2.3 interface ge-0/0/1.100 virtual-circuit-id 300", FamilyJunos,
			[]finding{{"[edit protocols l2circuit neighbor 192.0.2.3 interface ge-0/0/1.100]", "interface", "interface ge-0/0/1.100 is already used by the l2circuit to neighbor 192.0.2.2"}}},
		{"duplicate vlan-id", "set interfaces ge-0/0/1 unit 300 vlan-id 100", FamilyJunos,
			[]finding{{"[edit interfaces ge-0/0/1 unit 300]", "vlan-id", "vlan-id 100 is already used by unit 100 of ge-0/0/1"}}},
		{"vlan-id without tagging", "set interfaces ge-0/0/5 unit 5 vlan-id 5", FamilyJunos,
			[]finding{{"[edit interfaces ge-0/0/5 unit 5]", "vlan-id", "vlan-id 5 needs vlan-tagging, flexible-vlan-tagging or stacked-vlan-tagging on ge-0/0/5"}}},
		{"vrf without rd and target", "set routing-instances V instance-type vrf\nset routing-instances V interface ge-0/0/1.200", FamilyJunos,
			[]finding{
				{"[edit routing-instances V]", "route-distinguisher", "routing instance V of type vrf needs a route-distinguisher"},
				{"[edit routing-instances V]", "vrf-target", "routing instance V of type vrf needs vrf-target or both vrf-import and vrf-export"},
			}},
		{"vrf with import only", "set routing-instances V instance-type vrf\nset routing-instances V route-distinguisher 1:1\nset routing-instances V vrf-import P", FamilyJunos,
			[]finding{{"[edit routing-instances V]", "vrf-target", "routing instance V of type vrf needs vrf-target or both vrf-import and vrf-export"}}},
		{"ldp vpls needs no rd", "set routing-instances V instance-type vpls\nset routing-instances V protocols vpls vpls-id 5", FamilyJunos, nil},
		{"unit in two instances", "set routing-instances A interface ge-0/0/1.200\nset routing-instances B interface ge-0/0/1.200", FamilyJunos,
			[]finding{{"[edit routing-instances B]", "interface", "interface ge-0/0/1.200 already belongs to routing instance A"}}},
		{"vpls site interface missing", "set routing-instances V instance-type vpls\nset routing-instances V protocols vpls vpls-id 5\nset routing-instances V protocols vpls site S interface ge-0/0/4.1", FamilyJunos,
			[]finding{{"[edit routing-instances V protocols vpls site S]", "interface", "referenced interface ge-0/0/4.1 is not configured under [edit interfaces]"}}},
		{"lsp without to", "set protocols mpls label-switched-path L1 no-cspf", FamilyJunos,
			[]finding{{"[edit protocols mpls label-switched-path L1]", "to", "label-switched-path L1 needs a destination (to)"}}},
		{"inactive reference is ignored", "set protocols ldp interface ge-0/0/8.0\ndeactivate protocols ldp interface ge-0/0/8.0", FamilyJunos, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := mustParse(t, FormatSet, base+tt.extra, FamilyJunos)
			var got []finding
			for _, e := range Check(tr, tt.fam) {
				if !errors.Is(e, ErrCheck) {
					t.Errorf("%v does not wrap ErrCheck", e)
				}
				got = append(got, finding{e.Path, e.Element, e.Message})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckFamilyGuard(t *testing.T) {
	t.Parallel()
	nfx := mustParse(t, FormatSet, `set vmhost virtualization-options interfaces ge-1/0/1
set vlans vlan100 vlan-id 100
set virtual-network-functions vsrx-1 virtual-cpu count 2
set security zones security-zone trust interfaces ge-0/0/1.0
`, FamilyNFX)
	if errs := Check(nfx, FamilyNFX); errs != nil {
		t.Errorf("NFX config on NFX: %v", errs)
	}
	var els []string
	for _, e := range Check(nfx, FamilyJunos) {
		if !errors.Is(e, ErrNotInFamily) {
			t.Errorf("%v does not wrap ErrNotInFamily", e)
		}
		els = append(els, e.Element)
	}
	if diff := cmp.Diff([]string{"security", "vlans", "virtual-network-functions", "vmhost"}, els); diff != "" {
		t.Errorf("on MX (-want +got):\n%s", diff)
	}
	els = nil
	for _, e := range Check(nfx, FamilyES) {
		els = append(els, e.Element)
	}
	if diff := cmp.Diff([]string{"virtual-network-functions", "vmhost"}, els); diff != "" {
		t.Errorf("on SRX (-want +got):\n%s", diff)
	}
	if err := (&Tree{}).Load(ActionMerge, FormatText, []byte("vmhost;"), FamilyES); !errors.Is(err, ErrNotInFamily) ||
		!strings.Contains(err.Error(), "vmhost") {
		t.Errorf("vmhost on SRX: %v", err)
	}
}
