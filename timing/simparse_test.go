package timing

import (
	"testing"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// TestRenderParsesInSim loads the rendered configuration into the
// simulator's Junos configuration engine in all three formats and checks
// that each format gives the same configuration.
func TestRenderParsesInSim(t *testing.T) {
	t.Parallel()
	cases := renderCases()
	if len(cases) < 3 {
		t.Fatalf("%d render cases, want the three designs", len(cases))
	}
	for name, c := range cases {
		p, err := NewPlan(c)
		if err != nil {
			t.Fatal(err)
		}
		sets, _ := Render(p, Set)
		texts, _ := Render(p, Text)
		xmls, _ := Render(p, XML)
		for i := range sets {
			ts, err := junosconf.Parse(junosconf.FormatSet, sets[i].Body, junosconf.FamilyJunos)
			if err != nil {
				t.Fatalf("%s %s set: %v\n%s", name, sets[i].Device, err, sets[i].Body)
			}
			tt, err := junosconf.Parse(junosconf.FormatText, texts[i].Body, junosconf.FamilyJunos)
			if err != nil {
				t.Fatalf("%s %s text: %v\n%s", name, texts[i].Device, err, texts[i].Body)
			}
			tx, err := junosconf.Parse(junosconf.FormatXML, xmls[i].Body, junosconf.FamilyJunos)
			if err != nil {
				t.Fatalf("%s %s xml: %v\n%s", name, xmls[i].Device, err, xmls[i].Body)
			}
			if d := junosconf.Diff(ts, tt); len(d) != 0 {
				t.Errorf("%s %s: set and text differ:\n%s", name, sets[i].Device, d)
			}
			if d := junosconf.Diff(ts, tx); len(d) != 0 {
				t.Errorf("%s %s: set and xml differ:\n%s", name, sets[i].Device, d)
			}
		}
	}
}
