package junosconf

import (
	"os"
	"testing"
)

// roundTripAll checks that a parsed tree re-prints in every format and
// re-parses to an equal tree.
func roundTripAll(t *testing.T, tr *Tree) {
	t.Helper()
	for _, f := range []Format{FormatText, FormatXML, FormatSet} {
		var out []byte
		switch f {
		case FormatText:
			out = tr.Text()
		case FormatXML:
			out = tr.XML()
		case FormatSet:
			out = tr.SetLines()
		}
		back, err := Parse(f, out, familyAll)
		if err != nil {
			t.Fatalf("%s output does not parse: %v\n%s", f, err, out)
		}
		if !back.Equal(tr) {
			t.Fatalf("%s round trip changed the tree:\n%s\nvs\n%s", f, tr.Text(), back.Text())
		}
	}
}

func addSeeds(f *testing.F) {
	for _, name := range []string{"mx.conf", "srx.conf"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		tr, err := Parse(FormatText, b, familyAll)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(tr.SetLines())
		f.Add(tr.XML())
	}
	f.Add([]byte(`interfaces { inactive: ge-0/0/1 { description "a \"b\" ; { c"; } }`))
	f.Add([]byte("set interfaces \"unit\" unit 0 description \"x\ny\"\ndeactivate interfaces unit"))
	f.Add([]byte(`<configuration><interfaces><interface inactive="inactive"><name>a&amp;b</name><description>&lt;x&gt;</description></interface></interfaces></configuration>`))
}

func FuzzParseText(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := Parse(FormatText, b, familyAll)
		if err != nil {
			return
		}
		roundTripAll(t, tr)
	})
}

func FuzzParseSet(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := Parse(FormatSet, b, familyAll)
		if err != nil {
			return
		}
		roundTripAll(t, tr)
	})
}

func FuzzParseXML(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := Parse(FormatXML, b, familyAll)
		if err != nil {
			return
		}
		roundTripAll(t, tr)
	})
}
