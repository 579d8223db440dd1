package jtree

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestNoDuplicates(t *testing.T) {
	tr := New()
	for range 3 {
		ifd := tr.NamelessEntry(tr.Container(Root, "interfaces"), "interface", "ge-0/0/1")
		tr.Flag(ifd, "flexible-vlan-tagging")
		u := tr.Own(tr.Entry(ifd, "unit", "100"))
		tr.Leaf(u, "vlan-id", "100")
	}
	// Enough entries to switch to the index, added twice.
	l2 := tr.Container(tr.Container(Root, "protocols"), "l2circuit")
	for range 2 {
		for i := range 40 {
			tr.Entry(l2, "neighbor", fmt.Sprintf("192.0.2.%d", i))
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	set := string(tr.AppendSet(nil))
	if n := strings.Count(set, "\n"); n != 42 {
		t.Fatalf("%d set lines, want 42:\n%s", n, set)
	}
	if !strings.HasPrefix(set, "set interfaces ge-0/0/1 flexible-vlan-tagging\nset interfaces ge-0/0/1 unit 100 vlan-id 100\n") {
		t.Fatalf("unexpected set lines:\n%s", set)
	}
	if got := string(tr.AppendDeleteSet(nil)); got != "delete interfaces ge-0/0/1 unit 100\n" {
		t.Fatalf("delete lines = %q", got)
	}
}

func TestLeafConflict(t *testing.T) {
	tr := New()
	ifd := tr.Entry(Root, "interface", "ge-0/0/1")
	tr.Leaf(ifd, "encapsulation", "vlan-ccc")
	tr.Leaf(ifd, "encapsulation", "vlan-ccc")
	if tr.Err() != nil {
		t.Fatal(tr.Err())
	}
	tr.Leaf(ifd, "encapsulation", "vlan-vpls")
	if !errors.Is(tr.Err(), ErrConflict) {
		t.Fatalf("Err = %v, want ErrConflict", tr.Err())
	}
}

func TestControlCharactersRefused(t *testing.T) {
	for _, v := range []string{"a\nb", "a\rb", "\x00", "a\x7f", "a\u0085", "a\u2028", "bad\xff"} {
		tr := New()
		tr.Leaf(tr.Container(Root, "system"), "host-name", v)
		if !errors.Is(tr.Err(), ErrBadValue) {
			t.Errorf("value %q: Err = %v, want ErrBadValue", v, tr.Err())
		}
		if strings.Contains(string(tr.AppendSet(nil)), "host-name") {
			t.Errorf("value %q was added", v)
		}
	}
	if err := CheckValue("Zürich \uFFFD ok"); err != nil {
		t.Errorf("a literal U+FFFD is valid text: %v", err)
	}
}

func TestQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"ge-0/0/1.100":     "ge-0/0/1.100",
		"target:65000:1":   "target:65000:1",
		"2001:db8::":       "2001:db8::",
		"delete:":          `"delete:"`,
		"":                 `""`,
		"two words":        `"two words"`,
		`say "hi" \ bye`:   `"say \"hi\" \\ bye"`,
		"a;b{c}d#e[f]":     `"a;b{c}d#e[f]"`,
		"Zürich":           `"Zürich"`,
		"set":              "set",
		"192.0.2.1:100":    "192.0.2.1:100",
		"100m":             "100m",
		"<x>&amp;":         `"<x>&amp;"`,
		"inactive:foo":     "inactive:foo",
		"replace:":         `"replace:"`,
		"eline-cust1-42.a": "eline-cust1-42.a",
	} {
		if got := string(AppendQuoted(nil, in)); got != want {
			t.Errorf("AppendQuoted(%q) = %s, want %s", in, got, want)
		}
	}
	if got := string(AppendXMLEscaped(nil, `<a href="x">&'</a>`)); got != "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;" {
		t.Errorf("AppendXMLEscaped = %s", got)
	}
}

func TestTextForms(t *testing.T) {
	tr := New()
	u := tr.Entry(tr.NamelessEntry(tr.Container(Root, "interfaces"), "interface", "ge-0/0/1"), "unit", "0")
	fam := tr.SetStyle(tr.Container(u, "family"), Flat)
	tr.Entry(tr.Container(fam, "inet"), "address", "10.0.0.0/31")
	tr.Flag(fam, "mpls")
	vt := tr.SetStyle(tr.Container(u, "vlan-tags"), Oneliner)
	tr.Leaf(vt, "outer", "100")
	tr.Leaf(vt, "inner", "200")
	pol := tr.Container(tr.Entry(Root, "policy-statement", "P"), "then")
	tr.KeywordEntry(pol, "community", "add", "community-name", "C")
	ri := tr.Entry(Root, "instance", "V")
	tr.LeafList(ri, "vrf-import", "A")
	tr.LeafList(ri, "vrf-import", "B")
	tr.LeafList(ri, "vrf-import", "A")
	tr.WrappedLeaf(ri, "route-distinguisher", "rd-type", "65000:1")
	want := `interfaces {
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 10.0.0.0/31;
            }
            family mpls;
            vlan-tags outer 100 inner 200;
        }
    }
}
policy-statement P {
    then {
        community add C;
    }
}
instance V {
    vrf-import [ A B ];
    route-distinguisher 65000:1;
}
`
	if got := string(tr.AppendText(nil)); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	wantSet := `set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.0/31
set interfaces ge-0/0/1 unit 0 family mpls
set interfaces ge-0/0/1 unit 0 vlan-tags outer 100
set interfaces ge-0/0/1 unit 0 vlan-tags inner 200
set policy-statement P then community add C
set instance V vrf-import A
set instance V vrf-import B
set instance V route-distinguisher 65000:1
`
	if got := string(tr.AppendSet(nil)); got != wantSet {
		t.Errorf("set:\n%s\nwant:\n%s", got, wantSet)
	}
	xml := string(tr.AppendXML(nil))
	for _, w := range []string{"<community>\n        <add/>\n        <community-name>C</community-name>",
		"<route-distinguisher><rd-type>65000:1</rd-type></route-distinguisher>", "<vrf-import>A</vrf-import>\n    <vrf-import>B</vrf-import>",
		"<interface>\n      <name>ge-0/0/1</name>"} {
		if !strings.Contains(xml, w) {
			t.Errorf("XML lacks %q:\n%s", w, xml)
		}
	}
}
