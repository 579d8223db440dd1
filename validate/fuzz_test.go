package validate_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/validate"
)

// FuzzParseSet checks that ParseSet never panics and that its canonical
// statements parse back to themselves.
func FuzzParseSet(f *testing.F) {
	f.Add([]byte("set interfaces ge-0/0/1 unit 100 vlan-id 100\nset interfaces ge-0/0/1 description \"a \\\"b\\\" c\"\n"))
	f.Add([]byte("set a \"\"\n# x\ndeactivate a\nset b \\\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := validate.ParseSet(b)
		if err != nil {
			return
		}
		st := c.Statements()
		var sb strings.Builder
		for _, s := range st {
			sb.WriteString("set " + s + "\n")
		}
		c2, err := validate.ParseSet([]byte(sb.String()))
		if err != nil {
			t.Fatalf("canonical statements do not parse: %v\n%s", err, sb.String())
		}
		// Statements that lose words to trimming (a trailing space inside
		// the line) may merge; everything re-parsed must come from st.
		for _, s := range c2.Statements() {
			if !slices.Contains(st, s) {
				t.Fatalf("statement %q appeared on re-parse of %q", s, st)
			}
		}
	})
}

// FuzzParseXML checks that ParseXML never panics.
func FuzzParseXML(f *testing.F) {
	f.Add([]byte("<configuration><interfaces><interface><name>ge-0/0/1</name><unit><name>1</name><vlan-id>1</vlan-id></unit></interface></interfaces></configuration>"))
	f.Add([]byte("<rpc-reply><configuration><policy-options><policy-statement><name>P</name><then><community><add/><community-name>C</community-name></community></then></policy-statement></policy-options></configuration></rpc-reply>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		validate.ParseXML(b)
	})
}
