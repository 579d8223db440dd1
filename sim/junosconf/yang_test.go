package junosconf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The YANG cross-check: every schema node is checked against Juniper's
// published 23.4R2 models with yanglint. For each leaf of the schema (a node
// without children) the test builds a configuration holding just the path to
// it (list keys filled in), prints it with Tree.XML, adds the module
// namespaces the device XML leaves out, and has yanglint validate all of them
// at once. A node that does not exist in the models, or exists with another
// kind (a leaf where the model has a container, a list without its key …),
// fails validation. One path per document keeps YANG choices from clashing.
//
// The realistic configurations in testdata (less system) are validated too.
//
// Not covered: the system hierarchy (the model subset in shared/junos-yang has
// no junos-conf-system module), and presence versus non-presence containers,
// which validation cannot tell apart.

const yangHelp = "get Juniper's YANG models (github.com/Juniper/yang, release 23.4R2, the native conf-and-rpcs " +
	"folders for junos, junos-es and junos-nfx, plus common) and point CARRIERKIT_JUNOS_YANG at them"

func yangModels(t *testing.T) (dir, bin string) {
	t.Helper()
	dir = os.Getenv("CARRIERKIT_JUNOS_YANG")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "junos-yang")
	}
	if _, err := os.Stat(filepath.Join(dir, "junos", "conf", "junos-conf-root@2023-01-01.yang")); err != nil {
		t.Skipf("Junos YANG models not found in %s: %s", dir, yangHelp)
	}
	bin, err := exec.LookPath("yanglint")
	if err != nil {
		t.Skip("yanglint not found: `make test` installs it (Debian package libyang2-tools)")
	}
	return dir, bin
}

// yangFamily names the model folder and module prefix of a family.
type yangFamily struct{ folder, prefix string }

var (
	yfJunos = yangFamily{"junos", "junos"}
	yfES    = yangFamily{"junos-es", "junos-es"}
	yfNFX   = yangFamily{"junos-nfx", "junos-nfx"}
)

func (f yangFamily) module(dir, area string) string {
	return filepath.Join(dir, f.folder, "conf", f.prefix+"-conf-"+area+"@2023-01-01.yang")
}

// forYANG rewrites device XML for yanglint: namespaces on <configuration> and
// each top-level child, and Junos' keyword keys (<community><add/>…) in the
// models' choice-ident/choice-value form. It returns the areas used.
func forYANG(f yangFamily, doc []byte) ([]byte, []string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out bytes.Buffer
	var stack []string
	var areas []string
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out.Bytes(), areas, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := tk.Name.Local
			n := len(stack)
			if n >= 2 && stack[n-1] == "community" && stack[n-2] == "then" {
				if name == "add" || name == "delete" || name == "set" {
					fmt.Fprintf(&out, "<choice-ident>%s</choice-ident><choice-value>%s</choice-value>", name, name)
					if _, err := d.RawToken(); err != nil { // the end of the empty element
						return nil, nil, err
					}
					continue
				}
			}
			out.WriteString("<" + name)
			switch n {
			case 0:
				fmt.Fprintf(&out, ` xmlns="http://yang.juniper.net/%s/conf/root"`, f.prefix)
			case 1:
				if name == "version" { // a leaf of the root module itself
					break
				}
				fmt.Fprintf(&out, ` xmlns="http://yang.juniper.net/%s/conf/%s"`, f.prefix, name)
				areas = append(areas, name)
			}
			out.WriteString(">")
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			out.WriteString("</" + tk.Name.Local + ">")
		case xml.CharData:
			if len(bytes.TrimSpace(tk)) == 0 {
				out.WriteByte('\n')
				continue
			}
			_ = xml.EscapeText(&out, tk)
		}
	}
}

// yangSample gives values that satisfy the models' string patterns.
var yangSample = map[string]string{
	"bandwidth":                   "100m",
	"per-traffic-class-bandwidth": "100m",
	"bandwidth-limit":             "10m",
	"burst-size-limit":            "625k",
	"peer-as":                     "65000",
	"as-number":                   "65000",
	"rd-type":                     "192.0.2.1:1",
	"community":                   "target:65000:1",
	"import":                      "target:65000:1",
	"export":                      "target:65000:2",
	"members":                     "target:65000:1",
	"outer":                       "100",
	"inner":                       "10",
	"site-preference":             "primary",
	"area":                        "0.0.0.0",
	"speed":                       "1g",
	"protocol":                    "tcp",
	"destination-port":            "ssh",
}

func sampleValue(name string, v *vtype) string {
	switch v.base {
	case tUint:
		return fmt.Sprint(v.min)
	case tEnum:
		return v.enums[0]
	case tIPv4, tIP:
		return "192.0.2.1"
	case tIPv6:
		return "2001:db8::1"
	case tPrefix, tPrefix4:
		return "192.0.2.0/24"
	case tPrefix6:
		return "2001:db8::/64"
	}
	if s, ok := yangSample[name]; ok {
		return s
	}
	if strings.HasSuffix(name, "interface") || name == "interface-name" || name == "bind-interface" {
		return "ge-0/0/1.0"
	}
	return "x1"
}

// pathTree builds a configuration holding the path from the root to s.
func pathTree(s *snode) *Tree {
	var chain []*snode
	for n := s; n.parent != nil; n = n.parent {
		chain = append([]*snode{n}, chain...)
	}
	r := &elem{s: root}
	cur := r
	for _, n := range chain {
		e := &elem{s: n}
		switch n.kind {
		case kList:
			for i, k := range n.keys {
				v := sampleValue(n.name, &k.typ)
				if k.typ.base == tString {
					v = sampleValue(k.xml, &k.typ)
					if n.name == "interface" || n.name == "interfaces" {
						v = "ge-0/0/1"
					}
				}
				if i == 0 {
					e.val = v
				} else {
					e.more = append(e.more, v)
				}
			}
		case kLeaf:
			e.val = sampleValue(n.name, &n.typ)
		case kLeafList:
			e.more = []string{sampleValue(n.name, &n.typ)}
		}
		cur.kids = append(cur.kids, e)
		cur = e
	}
	return &Tree{root: r}
}

func schemaLeaves(s *snode, out *[]*snode) {
	if len(s.kids) == 0 && s.parent != nil {
		*out = append(*out, s)
	}
	for _, k := range s.kids {
		if s == root && k.name == "system" {
			continue // no junos-conf-system module in the model subset
		}
		schemaLeaves(k, out)
	}
}

func TestSchemaAgainstYANG(t *testing.T) {
	dir, bin := yangModels(t)
	tmp := t.TempDir()
	var leaves []*snode
	schemaLeaves(root, &leaves)
	famOf := func(s *snode) yangFamily {
		switch {
		case s.fam&FamilyJunos != 0:
			return yfJunos
		case s.fam&FamilyNFX != 0:
			return yfNFX
		}
		return yfES
	}
	// Own round trip first: each path prints and parses back unchanged.
	for _, s := range leaves {
		tr := pathTree(s)
		back, err := Parse(FormatXML, tr.XML(), s.fam)
		if err != nil {
			t.Errorf("%s: own XML does not parse: %v", strings.Join(s.path(), " "), err)
		} else if !back.Equal(tr) {
			t.Errorf("%s: XML round trip changed the tree", strings.Join(s.path(), " "))
		}
	}
	// Then yanglint: the paths of one family are spread over a few merged
	// documents (neighbouring siblings, often the cases of one YANG choice,
	// land in different documents); yanglint's message names the bad node.
	const spread = 12
	for _, f := range []yangFamily{yfJunos, yfES, yfNFX} {
		var mine []*snode
		for _, s := range leaves {
			top := s.path()[0]
			if famOf(s) == f || (f == yfES && s.fam&FamilyES != 0 && s.fam&FamilyJunos == 0 && top != "vlans") {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		t.Run(f.folder, func(t *testing.T) {
			groups := make([][]*snode, spread)
			for i, s := range mine {
				groups[i%spread] = append(groups[i%spread], s)
			}
			areas := map[string]bool{}
			write := func(name string, nodes []*snode) string {
				w := newWorking(nil)
				for _, s := range nodes {
					if err := w.apply(w.root, pathTree(s).root, ActionMerge, nil); err != nil {
						t.Fatal(err)
					}
				}
				y, used, err := forYANG(f, (&Tree{root: w.root}).XML())
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range used {
					areas[a] = true
				}
				p := filepath.Join(tmp, f.folder+name+".xml")
				if err := os.WriteFile(p, y, 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			}
			var files []string
			for i, g := range groups {
				if len(g) > 0 {
					files = append(files, write(fmt.Sprintf("-group%d", i), g))
				}
			}
			// The realistic configurations in testdata, as the device prints them.
			for _, name := range map[yangFamily][]string{yfJunos: {"mx.conf"}, yfES: {"srx.conf"}, yfNFX: {"srx.conf"}}[f] {
				b, err := os.ReadFile(filepath.Join("testdata", name))
				if err != nil {
					t.Fatal(err)
				}
				var tr *Tree
				tr, err = Parse(FormatText, b, familyAll)
				if err != nil {
					t.Fatal(err)
				}
				tr = tr.Clone()
				if err := tr.Delete("system"); err != nil {
					t.Fatal(err)
				}
				y, used, err := forYANG(f, tr.XML())
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range used {
					areas[a] = true
				}
				p := filepath.Join(tmp, f.folder+"-"+name+".xml")
				if err := os.WriteFile(p, y, 0o600); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
			run := func(files []string) (string, bool) {
				args := []string{"-t", "config", "-p", filepath.Join(dir, "common"), "-p", filepath.Join(dir, f.folder, "conf"),
					f.module(dir, "root")}
				for a := range areas {
					m := f.module(dir, a)
					if a == "class-of-service" {
						m = fixBackslashes(t, m, tmp)
					}
					args = append(args, m)
				}
				out, err := exec.Command(bin, append(args, files...)...).CombinedOutput()
				return string(out), err == nil
			}
			if _, ok := run(files); ok {
				return
			}
			// Report the first error yanglint finds in each failing document.
			for _, f := range files {
				if out, ok := run([]string{f}); !ok {
					t.Errorf("%s: schema not valid in the YANG: %s", filepath.Base(f), firstLine(out))
				}
			}
		})
	}
}

func firstLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400]
	}
	return s
}

// fixBackslashes copies a module doubling the backslashes libyang rejects in
// double-quoted strings (class-of-service has a few).
func fixBackslashes(t *testing.T, path, tmp string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\\([^nt"\\])`)
	b = re.ReplaceAll(b, []byte(`\\$1`))
	out := filepath.Join(tmp, filepath.Base(path))
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
