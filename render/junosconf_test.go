package render

import (
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// The simulator's Junos parser is independent of render (it never imports
// it); these tests use it only from _test.go files to check that the three
// forms render writes are one and the same configuration to a device.

func famOf(p design.Platform) junosconf.Family {
	switch familyOf(p) {
	case famES:
		return junosconf.FamilyES
	case famNFX:
		return junosconf.FamilyNFX
	}
	return junosconf.FamilyJunos
}

// parseAll reads one device's set, text and XML renderings with junosconf.
func parseAll(t *testing.T, set, text, xml []byte, fam junosconf.Family) (fromSet, fromText, fromXML *junosconf.Tree) {
	t.Helper()
	fromSet = &junosconf.Tree{}
	if err := fromSet.Load(junosconf.ActionSet, junosconf.FormatSet, set, fam); err != nil {
		t.Fatalf("junosconf rejects the set lines: %v\n%s", err, set)
	}
	var err error
	if fromText, err = junosconf.Parse(junosconf.FormatText, text, fam); err != nil {
		t.Fatalf("junosconf rejects the text: %v\n%s", err, text)
	}
	if fromXML, err = junosconf.Parse(junosconf.FormatXML, xml, fam); err != nil {
		t.Fatalf("junosconf rejects the XML: %v\n%s", err, xml)
	}
	return
}

// TestJunosconfReadsAllFormats: for every golden case, junosconf parses
// the set, text and XML forms into equal trees, prints the same set lines
// render wrote, and the removal output applied to the configuration leaves
// nothing the service owns.
func TestJunosconfReadsAllFormats(t *testing.T) {
	for _, gc := range goldenCases {
		for _, p := range gc.plats {
			svc := gc.build(p)
			t.Run(gc.name+"/"+p.name, func(t *testing.T) {
				var forms [3][]Artifact
				for i, f := range allFormats {
					arts, err := All(svc, f)
					if err != nil {
						t.Fatal(err)
					}
					forms[i] = arts
				}
				rm, err := Remove(svc, FormatSet)
				if err != nil {
					t.Fatal(err)
				}
				for i, d := range svc.Devices {
					if d.Platform.Vendor != design.VendorJuniper {
						continue
					}
					fam := famOf(d.Platform)
					s, x, m := parseAll(t, forms[0][i].Body, forms[1][i].Body, forms[2][i].Body, fam)
					if !s.Equal(x) || !s.Equal(m) {
						t.Fatalf("%s: forms differ:\nset:\n%s\ntext:\n%s\nxml:\n%s", d.Device, s.SetLines(), x.SetLines(), m.SetLines())
					}
					if got := string(s.SetLines()); got != string(forms[0][i].Body) {
						t.Errorf("%s: junosconf prints other set lines:\n%s\nrender:\n%s", d.Device, got, forms[0][i].Body)
					}
					// Decommission: delete lines remove what render owns.
					if err := s.Load(junosconf.ActionSet, junosconf.FormatSet, rm[i].Body, fam); err != nil {
						t.Fatalf("%s: removal rejected: %v\n%s", d.Device, err, rm[i].Body)
					}
					var r Renderer
					kept, err := r.keptSet(&svc, &svc.Devices[i])
					if err != nil {
						t.Fatal(err)
					}
					if got := string(s.SetLines()); got != string(kept) {
						t.Errorf("%s: after removal the device keeps:\n%s\nwant only the shared statements:\n%s", d.Device, got, kept)
					}
				}
			})
		}
	}
}

// TestJunosconfCommitChecks: every device's rendered configuration passes
// the simulator's commit-time checks (referenced interfaces configured,
// l2circuit units with a CCC encapsulation, instances complete …).
func TestJunosconfCommitChecks(t *testing.T) {
	for _, gc := range goldenCases {
		for _, p := range gc.plats {
			svc := gc.build(p)
			arts, err := All(svc, FormatText)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range arts {
				if a.Vendor != design.VendorJuniper {
					continue
				}
				fam := famOf(svc.Devices[i].Platform)
				tree, err := junosconf.Parse(junosconf.FormatText, a.Body, fam)
				if err != nil {
					t.Fatalf("%s/%s/%s: %v", gc.name, p.name, a.Device, err)
				}
				if errs := junosconf.Check(tree, fam); len(errs) > 0 {
					t.Errorf("%s/%s/%s: commit check: %v\n%s", gc.name, p.name, a.Device, errs, a.Body)
				}
			}
		}
	}
}
