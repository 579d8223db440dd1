package jtree

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// unquote reads one word written by AppendQuoted: bare, or in double
// quotes with \" and \\ escapes. ok is false if the word is malformed or
// does not end where it should.
func unquote(w string) (string, bool) {
	if !strings.HasPrefix(w, `"`) {
		return w, !strings.ContainsAny(w, " \t;{}[]\"#")
	}
	var sb strings.Builder
	for i := 1; i < len(w); i++ {
		switch c := w[i]; {
		case c == '\\' && i+1 < len(w):
			i++
			sb.WriteByte(w[i])
		case c == '"':
			return sb.String(), i == len(w)-1
		default:
			sb.WriteByte(c)
		}
	}
	return "", false
}

// FuzzQuoting: any value the tree accepts reads back unchanged from the
// set/text word and from the XML text, and any value it refuses never
// reaches the output.
func FuzzQuoting(f *testing.F) {
	for _, s := range []string{"\uFFFE", "\uFFFF", "", "plain", `a "b" \c\`, "x; set y", "</a><b>&amp;", "delete:", "\n", "2001:db8::", "Zürich"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr := New()
		tr.Leaf(tr.Entry(Root, "interface", "ge-0/0/1"), "description", s)
		if err := CheckValue(s); err != nil {
			if tr.Err() == nil || strings.Contains(string(tr.AppendSet(nil)), "description") {
				t.Fatalf("refused value %q reached the tree", s)
			}
			return
		}
		if tr.Err() != nil {
			t.Fatal(tr.Err())
		}
		w := string(AppendQuoted(nil, s))
		got, ok := unquote(w)
		if !ok || got != s {
			t.Fatalf("word %s reads back as %q (ok %v), want %q", w, got, ok, s)
		}
		if strings.ContainsAny(w, "\n\r") {
			t.Fatalf("word %q holds a line break", w)
		}
		set := string(tr.AppendSet(nil))
		if want := "set interface ge-0/0/1 description " + w + "\n"; set != want {
			t.Fatalf("set = %q, want %q", set, want)
		}
		var doc struct {
			Interface struct {
				Name        string `xml:"name"`
				Description string `xml:"description"`
			} `xml:"interface"`
		}
		if err := xml.NewDecoder(bytes.NewReader(tr.AppendXML(nil))).Decode(&doc); err != nil {
			t.Fatalf("XML: %v", err)
		}
		if doc.Interface.Description != s {
			t.Fatalf("XML description = %q, want %q", doc.Interface.Description, s)
		}
	})
}
