package junosconf

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t testing.TB, f Format, body string, fam Family) *Tree {
	t.Helper()
	tr, err := Parse(f, []byte(body), fam)
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", f, err, body)
	}
	return tr
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkRoundTrips asserts the three round trips of the contract.
func checkRoundTrips(t *testing.T, tr *Tree, fam Family) {
	t.Helper()
	if back := mustParse(t, FormatText, string(tr.Text()), fam); !back.Equal(tr) {
		t.Errorf("text round trip differs (-want +got):\n%s", cmp.Diff(string(tr.Text()), string(back.Text())))
	}
	var st Tree
	if err := st.Load(ActionSet, FormatSet, tr.SetLines(), fam); err != nil {
		t.Fatalf("set round trip: %v\n%s", err, tr.SetLines())
	} else if !st.Equal(tr) {
		t.Errorf("set round trip differs (-want +got):\n%s", cmp.Diff(string(tr.Text()), string(st.Text())))
	}
	if back := mustParse(t, FormatXML, string(tr.XML()), fam); !back.Equal(tr) {
		t.Errorf("xml round trip differs (-want +got):\n%s", cmp.Diff(string(tr.Text()), string(back.Text())))
	}
}

func TestTextPrintsAsJunos(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		fam  Family
	}{{"mx.conf", FamilyJunos}, {"srx.conf", FamilyES}, {"srx.conf", FamilyNFX}} {
		t.Run(tc.file+"/"+tc.fam.String(), func(t *testing.T) {
			in := readTestdata(t, tc.file)
			tr := mustParse(t, FormatText, in, tc.fam)
			if diff := cmp.Diff(in, string(tr.Text())); diff != "" {
				t.Errorf("Text() is not the input (-want +got):\n%s", diff)
			}
			checkRoundTrips(t, tr, tc.fam)
		})
	}
}

func TestSetLines(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, `
interfaces {
    ge-0/0/1 {
        description "uplink to \"core\"";
        unit 100 {
            vlan-id 100;
            family inet {
                address 10.0.0.1/24;
            }
        }
    }
}
policy-options {
    community C members [ target:1:1 target:1:2 ];
}
routing-instances {
    inactive: R1 {
        instance-type vrf;
        route-distinguisher 1.1.1.1:1;
    }
}
`, FamilyJunos)
	want := `set interfaces ge-0/0/1 description "uplink to \"core\""
set interfaces ge-0/0/1 unit 100 vlan-id 100
set interfaces ge-0/0/1 unit 100 family inet address 10.0.0.1/24
set policy-options community C members target:1:1
set policy-options community C members target:1:2
set routing-instances R1 instance-type vrf
set routing-instances R1 route-distinguisher 1.1.1.1:1
deactivate routing-instances R1
`
	if diff := cmp.Diff(want, string(tr.SetLines())); diff != "" {
		t.Errorf("SetLines (-want +got):\n%s", diff)
	}
	checkRoundTrips(t, tr, FamilyJunos)
}

func TestXMLShape(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatSet, `set routing-instances V instance-type vrf
set routing-instances V route-distinguisher 192.0.2.1:1
set routing-instances V vrf-target target:65000:1
set policy-options policy-statement P term 1 then community add C
set interfaces ge-0/0/1 unit 0 family ccc
set interfaces ge-0/0/1 description "a<b & \"c\""
`, FamilyJunos)
	got := regexp.MustCompile(`>\s+<`).ReplaceAllString(string(tr.XML()), "><")
	for _, want := range []string{
		"<route-distinguisher><rd-type>192.0.2.1:1</rd-type></route-distinguisher>",
		"<vrf-target><community>target:65000:1</community></vrf-target>",
		"<then><community><add/><community-name>C</community-name></community></then>",
		"<family><ccc/></family>",
		"<description>a&lt;b &amp; &#34;c&#34;</description>",
		"<routing-instances><instance><name>V</name>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("XML lacks %q:\n%s", want, got)
		}
	}
	checkRoundTrips(t, tr, FamilyJunos)
}

// Hostile values must survive every printer and parser as the same single
// statement.
func TestHostileValuesRoundTrip(t *testing.T) {
	t.Parallel()
	values := []string{
		`two words`, `say "hi"`, `semi;colon`, `{brace}`, `[bracket]`, "line\nbreak", `a<b`, `x&y`,
		`back\slash`, `trailing\`, `#hash`, `/* comment */`, `inactive:`, `replace:`, ``, `'single'`,
		"tab\there", `]]>]]>`, `<configuration/>`, "\r\n", `unit`, `disable`,
	}
	for _, v := range values {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			var tr Tree
			if err := tr.Set("interfaces ge-0/0/1 description "+forceQuote(v), FamilyJunos); err != nil {
				t.Fatal(err)
			}
			if err := tr.Set("interfaces "+forceQuote(v)+" unit 0 description "+forceQuote(v), FamilyJunos); err != nil {
				t.Fatal(err)
			}
			if err := tr.Set("policy-options community "+forceQuote(v)+" members "+forceQuote(v), FamilyJunos); err != nil {
				t.Fatal(err)
			}
			if got := tr.Sub("interfaces", "ge-0/0/1", "description"); got == nil || got.root.kids[0].kids[0].kids[0].val != v {
				t.Fatalf("description not stored verbatim")
			}
			if n := countStatements(tr.root); n != 3 {
				t.Errorf("want 3 statements, got %d:\n%s", n, tr.SetLines())
			}
			back := mustParse(t, FormatText, string(tr.Text()), FamilyJunos)
			if n := countStatements(back.root); n != 3 {
				t.Errorf("text reparse: want 3 statements, got %d:\n%s", n, tr.Text())
			}
			checkRoundTrips(t, &tr, FamilyJunos)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		f       Format
		fam     Family
		in      string
		want    error
		path    string
		element string
		line    int
	}{
		{"unknown statement", FormatText, FamilyJunos, "interfaces {\n ge-0/0/1 {\n unit 100 {\n vlan-idd 5;\n }\n }\n}\n",
			ErrSyntax, "[edit interfaces ge-0/0/1 unit 100]", "vlan-idd", 4},
		{"vlan-id range", FormatSet, FamilyJunos, "set interfaces ge-0/0/1 unit 100 vlan-id 5000",
			ErrInvalidValue, "[edit interfaces ge-0/0/1 unit 100]", "vlan-id", 1},
		{"vlan-id not a number", FormatSet, FamilyJunos, "set interfaces ge-0/0/1 unit 1 vlan-id ten",
			ErrInvalidValue, "[edit interfaces ge-0/0/1 unit 1]", "vlan-id", 1},
		{"bad ipv4", FormatSet, FamilyJunos, "set routing-options router-id 300.1.1.1",
			ErrInvalidValue, "[edit routing-options]", "router-id", 1},
		{"bad prefix", FormatSet, FamilyJunos, "set interfaces lo0 unit 0 family inet address 10.0.0.1",
			ErrInvalidValue, "[edit interfaces lo0 unit 0 family inet]", "address", 1},
		{"security on MX", FormatText, FamilyJunos, "security { zones; }",
			ErrNotInFamily, "[edit]", "security", 1},
		{"vnf on SRX", FormatSet, FamilyES, "set virtual-network-functions v1 virtual-cpu count 2",
			ErrNotInFamily, "[edit]", "virtual-network-functions", 1},
		{"missing brace", FormatText, FamilyJunos, "system {\n host-name a;\n", ErrSyntax, "[edit system]", "", 3},
		{"missing semicolon", FormatText, FamilyJunos, "system { host-name a }", ErrSyntax, "[edit system]", "a", 1},
		{"stray brace", FormatText, FamilyJunos, "}", ErrSyntax, "[edit]", "}", 1},
		{"leaf with block", FormatText, FamilyJunos, "system { host-name a { } }", ErrSyntax, "[edit system]", "host-name", 1},
		{"xml unknown", FormatXML, FamilyJunos, "<configuration><system><hostname>a</hostname></system></configuration>",
			ErrSyntax, "[edit system]", "hostname", 1},
		{"xml bad value", FormatXML, FamilyJunos,
			"<configuration>\n<interfaces><interface><name>ge-0/0/1</name><unit><name>1</name><vlan-id>0</vlan-id></unit></interface></interfaces></configuration>",
			ErrInvalidValue, "[edit interfaces ge-0/0/1 unit 1]", "vlan-id", 2},
		{"xml missing key", FormatXML, FamilyJunos, "<configuration><interfaces><interface><mtu>1500</mtu></interface></interfaces></configuration>",
			ErrSyntax, "[edit interfaces]", "interface", 1},
		{"xml malformed", FormatXML, FamilyJunos, "<configuration><system></configuration>", ErrSyntax, "[edit]", "", 1},
		{"set unknown verb", FormatSet, FamilyJunos, "sett system host-name a", ErrSyntax, "[edit]", "sett", 1},
		{"set missing value", FormatSet, FamilyJunos, "set system\nset system host-name", ErrSyntax, "[edit system]", "host-name", 2},
		{"control character", FormatSet, FamilyJunos, "set system host-name \"a\x01b\"", ErrInvalidValue, "[edit system]", "host-name", 1},
		{"quoted keyword", FormatText, FamilyJunos, `"system" { host-name a; }`, ErrSyntax, "[edit]", "system", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := mustParse(t, FormatText, "system { host-name before; }", tt.fam)
			snap := tr.Clone()
			a := ActionMerge
			if tt.f == FormatSet {
				a = ActionSet
			}
			err := tr.Load(a, tt.f, []byte(tt.in), tt.fam)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("no *Error in %v", err)
			}
			got := struct {
				Path, Element string
				Line          int
			}{je.Path, je.Element, je.Line}
			want := struct {
				Path, Element string
				Line          int
			}{tt.path, tt.element, tt.line}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error %q (-want +got):\n%s", je, diff)
			}
			if je.Severity != "error" {
				t.Errorf("severity %q", je.Severity)
			}
			if !tr.Equal(snap) {
				t.Errorf("failed load changed the tree:\n%s", tr.Text())
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	_, err := Parse(FormatSet, []byte("set interfaces ge-0/0/1 unit 100 vlan-idd 5"), FamilyJunos)
	want := "junosconf: [edit interfaces ge-0/0/1 unit 100] 'vlan-idd': syntax error (line 1)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

const baseConf = `interfaces {
    ge-0/0/1 {
        description old;
        mtu 1500;
        unit 0 {
            family inet {
                address 10.0.0.1/24;
            }
        }
    }
    ge-0/0/2 {
        unit 0;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`

func TestLoadActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a    Action
		f    Format
		in   string
		want string
	}{
		{"merge text", ActionMerge, FormatText, "interfaces { ge-0/0/1 { description new; unit 0 { family inet { address 10.0.0.2/24; } } } }", `interfaces {
    ge-0/0/1 {
        description new;
        mtu 1500;
        unit 0 {
            family inet {
                address 10.0.0.1/24;
                address 10.0.0.2/24;
            }
        }
    }
    ge-0/0/2 {
        unit 0;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
		{"replace tag", ActionReplace, FormatText, "interfaces { replace: ge-0/0/1 { mtu 9000; } }", `interfaces {
    ge-0/0/1 {
        mtu 9000;
    }
    ge-0/0/2 {
        unit 0;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
		{"replace tag ignored by merge", ActionMerge, FormatText, "interfaces { replace: ge-0/0/2 { mtu 9000; } }", `interfaces {
    ge-0/0/1 {
        description old;
        mtu 1500;
        unit 0 {
            family inet {
                address 10.0.0.1/24;
            }
        }
    }
    ge-0/0/2 {
        mtu 9000;
        unit 0;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
		{"override", ActionOverride, FormatText, "system { host-name r1; }", "system {\n    host-name r1;\n}\n"},
		{"update", ActionUpdate, FormatText, "protocols { ldp { interface ge-0/0/1.0; } }", "protocols {\n    ldp {\n        interface ge-0/0/1.0;\n    }\n}\n"},
		{"delete tag", ActionMerge, FormatText, "interfaces { ge-0/0/1 { delete: description; delete: unit 0; } delete: ge-0/0/2; }", `interfaces {
    ge-0/0/1 {
        mtu 1500;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
		{"set delete deactivate", ActionSet, FormatSet, `delete interfaces ge-0/0/2
set interfaces ge-0/0/1 mtu 9000
deactivate interfaces ge-0/0/1 unit 0
delete protocols
deactivate system
activate interfaces ge-0/0/1 description`, `interfaces {
    ge-0/0/1 {
        description old;
        mtu 9000;
        inactive: unit 0 {
            family inet {
                address 10.0.0.1/24;
            }
        }
    }
}
`},
		{"set via text format", ActionSet, FormatText, "set interfaces ge-0/0/2 description x\ndelete interfaces ge-0/0/1\ndelete protocols ldp interface ge-0/0/1.0", `interfaces {
    ge-0/0/2 {
        description x;
        unit 0;
    }
}
protocols {
    ldp;
}
`},
		{"xml operations", ActionMerge, FormatXML, `<configuration xmlns="http://yang.juniper.net/junos/conf/root" xmlns:junos="http://xml.juniper.net/junos/*/junos" junos:changed-seconds="1">
  <interfaces>
    <interface>
      <name>ge-0/0/1</name>
      <description operation="delete"/>
      <unit operation="replace"><name>0</name><description>new</description></unit>
    </interface>
    <interface delete="delete"><name>ge-0/0/2</name></interface>
  </interfaces>
  <protocols inactive="inactive"/>
</configuration>`, `interfaces {
    ge-0/0/1 {
        mtu 1500;
        unit 0 {
            description new;
        }
    }
}
inactive: protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
		{"xml replace attribute with replace action", ActionReplace, FormatXML, `<configuration><interfaces><interface replace="replace"><name>ge-0/0/1</name><mtu>9000</mtu></interface></interfaces></configuration>`, `interfaces {
    ge-0/0/1 {
        mtu 9000;
    }
    ge-0/0/2 {
        unit 0;
    }
}
protocols {
    ldp {
        interface ge-0/0/1.0;
    }
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := mustParse(t, FormatText, baseConf, FamilyJunos)
			orig := tr.Clone()
			if err := tr.Load(tt.a, tt.f, []byte(tt.in), FamilyJunos); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(tr.Text())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(baseConf, string(orig.Text())); diff != "" {
				t.Errorf("clone taken before the load changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateSharesUnchanged(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, baseConf, FamilyJunos)
	before := tr.root.kids[1] // protocols
	if err := tr.Load(ActionUpdate, FormatText, []byte(strings.Replace(baseConf, "description old", "description new", 1)), FamilyJunos); err != nil {
		t.Fatal(err)
	}
	if tr.root.kids[1] != before {
		t.Error("update rebuilt an unchanged subtree")
	}
	if !strings.Contains(string(tr.Text()), "description new;") {
		t.Error("update lost the change")
	}
}

func TestLoadCreateExisting(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, baseConf, FamilyJunos)
	err := tr.Load(ActionMerge, FormatXML, []byte(`<configuration><interfaces><interface operation="create"><name>ge-0/0/2</name></interface></interfaces></configuration>`), FamilyJunos)
	if !errors.Is(err, ErrSyntax) {
		t.Fatalf("create of an existing interface: %v", err)
	}
}

func TestParseFormatAction(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"text", "set", "xml"} {
		f, err := ParseFormat(s)
		if err != nil || f.String() != s {
			t.Errorf("ParseFormat(%q) = %v, %v", s, f, err)
		}
	}
	for _, s := range []string{"merge", "replace", "override", "update", "set"} {
		a, err := ParseAction(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseAction(%q) = %v, %v", s, a, err)
		}
	}
	if _, err := ParseFormat("json"); err == nil {
		t.Error("json accepted")
	}
	if _, err := ParseAction("patch"); err == nil {
		t.Error("patch accepted")
	}
	var tr Tree
	if err := tr.Load(ActionOverride, FormatSet, []byte("set system host-name a"), FamilyJunos); err == nil {
		t.Error("override with set format accepted")
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	old := mustParse(t, FormatText, baseConf, FamilyJunos)
	nw := old.Clone()
	for _, l := range []string{
		"set interfaces ge-0/0/1 description new",
		"delete interfaces ge-0/0/1 mtu",
		"set interfaces ge-0/0/3 unit 0 family inet address 10.1.0.1/24",
		"delete interfaces ge-0/0/2",
		"set protocols ldp interface lo0.0",
		"deactivate interfaces ge-0/0/1 unit 0",
	} {
		if err := nw.Load(ActionSet, FormatSet, []byte(l), FamilyJunos); err != nil {
			t.Fatal(err)
		}
	}
	want := `[edit interfaces ge-0/0/1]
-   description old;
+   description new;
-   mtu 1500;
!    inactive: unit 0 { ... }
[edit interfaces]
-   ge-0/0/2 {
-       unit 0;
-   }
+   ge-0/0/3 {
+       unit 0 {
+           family inet {
+               address 10.1.0.1/24;
+           }
+       }
+   }
[edit protocols ldp]
+    interface lo0.0;
`
	want = strings.Replace(want, "+    interface lo0.0;", "+   interface lo0.0;", 1)
	if diff := cmp.Diff(want, string(Diff(old, nw))); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if d := Diff(old, old.Clone()); d != nil {
		t.Errorf("equal trees: %q", d)
	}
	if d := Diff(nil, mustParse(t, FormatText, "system { host-name a; }", FamilyJunos)); string(d) != "[edit]\n+  system {\n+      host-name a;\n+  }\n" &&
		string(d) != "[edit]\n+   system {\n+       host-name a;\n+   }\n" {
		t.Errorf("from empty: %q", d)
	}
}

func TestSub(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, readTestdata(t, "mx.conf"), FamilyJunos)
	sub := tr.Sub("interfaces", "ge-0/0/1", "unit", "100")
	if sub == nil {
		t.Fatal("Sub returned nil")
	}
	wantText := `description EPL-CUST1-E-LINE;
encapsulation vlan-ccc;
vlan-id 100;
input-vlan-map pop;
output-vlan-map push;
family ccc;
`
	if diff := cmp.Diff(wantText, string(sub.Text())); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(string(sub.SetLines()), "set interfaces ge-0/0/1 unit 100 description EPL-CUST1-E-LINE\n") {
		t.Errorf("SetLines: %s", sub.SetLines())
	}
	if got := string(tr.Sub("system", "host-name").Text()); got != "host-name pe1;\n" {
		t.Errorf("leaf Sub: %q", got)
	}
	for _, p := range [][]string{{"interfaces", "ge-9/9/9"}, {"bogus"}, {"interfaces", "ge-0/0/1", "unit"}} {
		if s := tr.Sub(p...); s != nil {
			t.Errorf("Sub(%q) = %s", p, s.Text())
		}
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, readTestdata(t, "mx.conf"), FamilyJunos)
	tests := []struct {
		name, filter, want string
	}{
		{"one interface", `<configuration><interfaces><interface><name>ge-0/0/2</name></interface></interfaces></configuration>`,
			"interfaces {\n    ge-0/0/2 {\n        vlan-tagging;\n        unit 512 {\n            encapsulation vlan-ccc;\n            vlan-id 512;\n        }\n    }\n}\n"},
		{"selection leaf", `<filter><configuration><system><host-name/></system></configuration></filter>`,
			"system {\n    host-name pe1;\n}\n"},
		{"content match", `<configuration><routing-instances><instance><instance-type>vrf</instance-type><name/></instance></routing-instances></configuration>`,
			""},
		{"no match", `<configuration><interfaces><interface><name>xe-1/1/1</name></interface></interfaces></configuration>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tr.Filter([]byte(tt.filter))
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "content match" {
				if got.Sub("routing-instances", "VRF-CUST4-SPOKE") == nil || got.Sub("routing-instances", "VPLS-CUST3") != nil {
					t.Errorf("content match selected:\n%s", got.Text())
				}
				return
			}
			if diff := cmp.Diff(tt.want, string(got.Text())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if all, err := tr.Filter([]byte("<configuration/>")); err != nil || !all.Equal(tr) {
		t.Errorf("empty filter: %v", err)
	}
	if _, err := tr.Filter([]byte("<configuration>")); !errors.Is(err, ErrSyntax) {
		t.Errorf("malformed filter: %v", err)
	}
}

func TestActiveAndClone(t *testing.T) {
	t.Parallel()
	tr := mustParse(t, FormatText, "system { host-name a; inactive: domain-name b; }", FamilyJunos)
	if got := string(tr.Active().Text()); got != "system {\n    host-name a;\n}\n" {
		t.Errorf("Active: %q", got)
	}
	c := tr.Clone()
	if err := c.Set("system host-name z", FamilyJunos); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(tr.Text()), "z") || !strings.Contains(string(c.Text()), "host-name z") {
		t.Errorf("clone not independent:\n%s\n%s", tr.Text(), c.Text())
	}
	var zero Tree
	if !zero.IsEmpty() || zero.Text() != nil || !zero.Equal(&Tree{}) || string(zero.XML()) != "<configuration>\n</configuration>\n" {
		t.Error("zero tree")
	}
	if err := c.Delete(""); err != nil || !c.IsEmpty() {
		t.Errorf("delete everything: %v", err)
	}
}

// countStatements counts leaves, flags and leaf-list values.
func countStatements(e *elem) int {
	n := 0
	for _, k := range e.kids {
		switch {
		case k.s.kind == kLeafList:
			n += len(k.more)
		case len(k.kids) == 0:
			n++
		default:
			n += countStatements(k)
		}
	}
	return n
}

// Clones share storage; changing one in any way must leave the other (and
// concurrent readers of it) untouched. Run with -race.
func TestClonesAreIndependent(t *testing.T) {
	t.Parallel()
	base := mustParse(t, FormatText, readTestdata(t, "mx.conf"), FamilyJunos)
	want := string(base.Text())
	edits := []string{
		"delete policy-options community HUB members target:65000:1",
		"set policy-options community SPOKE members target:65000:9",
		"delete interfaces ge-0/0/1 unit 100",
		"set interfaces ge-0/0/0 description changed",
		"deactivate protocols mpls",
		"delete routing-instances VPLS-CUST3 protocols vpls site-range",
	}
	done := make(chan string, len(edits)*2)
	for _, e := range edits {
		go func() {
			c := base.Clone()
			if err := c.Load(ActionSet, FormatSet, []byte(e), FamilyJunos); err != nil {
				done <- err.Error()
				return
			}
			if c.Equal(base) {
				done <- "edit had no effect: " + e
				return
			}
			done <- ""
		}()
		go func() {
			_ = Diff(base, base.Clone())
			_ = Check(base, FamilyJunos)
			done <- ""
		}()
	}
	for range len(edits) * 2 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	if got := string(base.Text()); got != want {
		t.Errorf("base changed (-want +got):\n%s", cmp.Diff(want, got))
	}
}

// Junos also accepts a list keyword opening a block of its entries.
func TestGroupedListBlock(t *testing.T) {
	t.Parallel()
	got := mustParse(t, FormatText, `firewall { family inet { filter F { term T { from { source-address { 10.0.0.0/8; 192.0.2.0/24; } } } } } }
security { zones { security-zone trust { host-inbound-traffic { system-services { ping; ssh; } } } } }
protocols { mpls { interface { ge-0/0/0.0; lo0.0 { disable; } } } }`, FamilyES)
	want := mustParse(t, FormatSet, `set firewall family inet filter F term T from source-address 10.0.0.0/8
set firewall family inet filter F term T from source-address 192.0.2.0/24
set security zones security-zone trust host-inbound-traffic system-services ping
set security zones security-zone trust host-inbound-traffic system-services ssh
set protocols mpls interface ge-0/0/0.0
set protocols mpls interface lo0.0 disable`, FamilyES)
	if !got.Equal(want) {
		t.Errorf("(-want +got):\n%s", cmp.Diff(string(want.Text()), string(got.Text())))
	}
	if _, err := Parse(FormatText, []byte("security { zones { security-zone { trust; } } }"), FamilyJunos); !errors.Is(err, ErrNotInFamily) {
		t.Errorf("grouped block outside the family: %v", err)
	}
}

// TestStatements: Statements gives the active set commands' words with
// values unquoted, the same statements SetLines prints for Active().
func TestStatements(t *testing.T) {
	tree, err := Parse(FormatText, []byte(`interfaces {
    ge-0/0/1 {
        description "two words; {x}";
        unit 100 {
            vlan-id 100;
        }
    }
    inactive: ge-0/0/2 {
        description gone;
    }
}
policy-options {
    community C1 members [ target:65000:1 target:65000:2 ];
}
`), FamilyJunos)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"interfaces", "ge-0/0/1", "description", "two words; {x}"},
		{"interfaces", "ge-0/0/1", "unit", "100", "vlan-id", "100"},
		{"policy-options", "community", "C1", "members", "target:65000:1"},
		{"policy-options", "community", "C1", "members", "target:65000:2"},
	}
	got := tree.Statements()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Statements (-want +got):\n%s", diff)
	}
	// The same statements as the active configuration's set lines.
	lines := strings.Split(strings.TrimSpace(string(tree.Active().SetLines())), "\n")
	if len(lines) != len(got) {
		t.Fatalf("%d statements, %d set lines:\n%s", len(got), len(lines), strings.Join(lines, "\n"))
	}
	if (&Tree{}).Statements() != nil {
		t.Fatal("empty tree: want nil")
	}
}
