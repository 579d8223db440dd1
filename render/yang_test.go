package render

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

// TestGoldenXMLValidAgainstYANG validates the XML of every Junos golden
// case — the configuration and its removal — against Juniper's 23.4R2
// models with yanglint (skipped, saying how to get them, when the models
// are missing).
func TestGoldenXMLValidAgainstYANG(t *testing.T) {
	c := yangcheck.ForTest(t)
	docs := map[yangcheck.Family][]yangcheck.Doc{}
	for _, gc := range goldenCases {
		for _, p := range gc.plats {
			svc := gc.build(p)
			for _, remove := range []bool{false, true} {
				render := All
				suffix := ""
				if remove {
					render, suffix = Remove, "-remove"
				}
				arts, err := render(svc, FormatXML)
				if err != nil {
					t.Fatalf("%s/%s: %v", gc.name, p.name, err)
				}
				for i, a := range arts {
					if a.Vendor != design.VendorJuniper {
						continue
					}
					fam := yangFamily(svc.Devices[i].Platform)
					docs[fam] = append(docs[fam], yangcheck.Doc{Name: goldenPath(gc.name+suffix, p.name, FormatXML) + " device " + a.Device, XML: a.Body})
				}
			}
		}
	}
	if len(docs[yangcheck.FamilyJunos]) < 50 || len(docs[yangcheck.FamilyES]) == 0 {
		t.Fatalf("only %d junos and %d junos-es documents", len(docs[yangcheck.FamilyJunos]), len(docs[yangcheck.FamilyES]))
	}
	for fam, ds := range docs {
		if err := c.Validate(context.Background(), fam, ds...); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d Junos XML documents valid against the 23.4R2 %s YANG", len(ds), fam)
	}
}

func yangFamily(p design.Platform) yangcheck.Family {
	switch familyOf(p) {
	case famES:
		return yangcheck.FamilyES
	case famNFX:
		return yangcheck.FamilyNFX
	}
	return yangcheck.FamilyJunos
}

// TestYANGCatchesBadRender proves the check is real: a rendered document
// with one misspelt statement is rejected.
func TestYANGCatchesBadRender(t *testing.T) {
	c := yangcheck.ForTest(t)
	arts, err := All(elineVLAN(platMX), FormatXML)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(arts[0].Body, []byte("vlan-id>"), []byte("vlan-idd>"), 2)
	if bytes.Equal(bad, arts[0].Body) {
		t.Fatal("test document has no vlan-id")
	}
	if err := c.Validate(context.Background(), yangcheck.FamilyJunos, yangcheck.Doc{Name: "bad", XML: bad}); err == nil ||
		!strings.Contains(err.Error(), "vlan-idd") {
		t.Fatalf("Validate = %v, want an error about vlan-idd", err)
	}
}
