package sla

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// plain drops namespaces, which the scanner keeps as prefixes and
// encoding/xml resolves; the parsers read local names only.
func plain(n xnode) any {
	type pn struct {
		Name, Text string
		Kids       []any
	}
	p := pn{Name: n.XMLName.Local, Text: n.Text}
	for _, k := range n.Kids {
		p.Kids = append(p.Kids, plain(k))
	}
	return p
}

// FuzzScanTree: whenever the fast scanner accepts a document,
// encoding/xml accepts it too and reads the same tree.
func FuzzScanTree(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<a x="1"><b>t&amp;u</b><c/><!-- c --><d>  </d></a>`))
	f.Add([]byte(`<?xml version="1.0"?><j:a xmlns:j="u"><j:b>1</j:b></j:a>`))
	f.Add([]byte(`<a><b></a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := scanTree(b)
		if !ok {
			return
		}
		var want xnode
		if err := xml.Unmarshal(b, &want); err != nil {
			t.Fatalf("scanner accepted what encoding/xml refuses (%v): %q", err, b)
		}
		if diff := cmp.Diff(plain(want), plain(got)); diff != "" {
			t.Fatalf("%q (-encoding/xml +scanner)\n%s", b, diff)
		}
	})
}

func TestScanTreeDeclines(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`<a><b></a>`, `<a>&#65;</a>`, `<a><![CDATA[x]]></a>`, `<!DOCTYPE a><a/>`, `<a/><b/>`, `text`, `<a x=1/>`} {
		if _, ok := scanTree([]byte(s)); ok {
			t.Errorf("scanner took %q", s)
		}
	}
	if n, err := parseTree([]byte(`<a>&#65;</a>`)); err != nil || n.Text != "A" {
		t.Errorf("fallback: %+v %v", n, err)
	}
}
