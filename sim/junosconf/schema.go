package junosconf

import (
	_ "embed"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Family is a set of Junos software families. A schema node carries the
// families it exists in; a configuration is parsed for one family.
type Family uint8

// The software families the schema knows.
const (
	FamilyJunos Family = 1 << iota // MX, ACX, PTX ("junos")
	FamilyES                       // SRX, vSRX ("junos-es")
	FamilyNFX                      // NFX250, NFX350 ("junos-nfx")

	familyAll = FamilyJunos | FamilyES | FamilyNFX
)

// String names the families in f, e.g. "junos|junos-es".
func (f Family) String() string {
	var parts []string
	if f&FamilyJunos != 0 {
		parts = append(parts, "junos")
	}
	if f&FamilyES != 0 {
		parts = append(parts, "junos-es")
	}
	if f&FamilyNFX != 0 {
		parts = append(parts, "junos-nfx")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

type kind uint8

const (
	kContainer kind = iota
	kPresence
	kList
	kLeaf
	kLeafList
	kFlag
)

// hasBlock reports whether statements of this kind can hold children.
func (k kind) hasBlock() bool { return k == kContainer || k == kPresence || k == kList }

type base uint8

const (
	tString base = iota
	tUint
	tEnum
	tIPv4
	tIPv6
	tIP
	tPrefix
	tPrefix4
	tPrefix6
)

// vtype is the value type of a leaf, leaf-list value or list key.
type vtype struct {
	base     base
	min, max uint64
	enums    []string
}

// check validates s against the type and returns a message on failure.
func (v *vtype) check(s string) string {
	if !validChars(s) {
		return "invalid value: contains a character not allowed in configuration text"
	}
	switch v.base {
	case tString:
		return ""
	case tUint:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || (len(s) > 1 && s[0] == '0') {
			return fmt.Sprintf("invalid value: %s (want a number in %d..%d)", s, v.min, v.max)
		}
		if n < v.min || n > v.max {
			return fmt.Sprintf("invalid value: %s (out of range %d..%d)", s, v.min, v.max)
		}
	case tEnum:
		for _, e := range v.enums {
			if e == s {
				return ""
			}
		}
		return fmt.Sprintf("invalid value: %s (want one of %s)", s, strings.Join(v.enums, ", "))
	case tIPv4, tIPv6, tIP:
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" || (v.base == tIPv4 && !a.Is4()) || (v.base == tIPv6 && !a.Is6()) ||
			a.String() != s {
			return fmt.Sprintf("invalid value: %s (want an %s address)", s, v.addrWord())
		}
	case tPrefix, tPrefix4, tPrefix6:
		p, err := netip.ParsePrefix(s)
		if err != nil || (v.base == tPrefix4 && !p.Addr().Is4()) || (v.base == tPrefix6 && !p.Addr().Is6()) ||
			p.String() != s {
			return fmt.Sprintf("invalid value: %s (want an %s prefix)", s, v.addrWord())
		}
	}
	return ""
}

func (v *vtype) addrWord() string {
	switch v.base {
	case tIPv4, tPrefix4:
		return "IPv4"
	case tIPv6, tPrefix6:
		return "IPv6"
	}
	return "IP"
}

// validChars reports whether s is valid UTF-8 made only of characters XML 1.0
// can carry, so that every printer can represent it exactly.
func validChars(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false
			}
		}
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || r == 0x7f:
			return false
		case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// keyDef is one key leaf of a list.
type keyDef struct {
	xml   string // element name of the key in XML
	kw    string // CLI keyword before the value; empty for the first key and keyword-less keys
	typ   vtype
	ident bool // XML writes the value as an empty element named after it (<add/>)
}

// snode is one node of the schema. The schema is built once and never
// changes; trees point into it.
type snode struct {
	name     string // CLI keyword
	xml      string // XML element name
	kind     kind
	typ      vtype    // leaf, leaf-list
	keys     []keyDef // list
	kids     []*snode
	parent   *snode
	byName   map[string]*snode // CLI keyword → child with a keyword
	byXML    map[string]*snode // XML element name → child
	nokwKid  *snode            // the child written without a keyword, if any
	nokw     bool              // this node is written without its keyword
	flat     bool              // text prints children as "name child …" (family inet {…})
	oneliner bool              // list entry printed on one line when it holds only leaves
	ord      int               // position among the parent's children
	fam      Family
}

func (s *snode) isKeyXML(name string) int {
	for i, k := range s.keys {
		if k.xml == name || (k.ident && k.typ.base == tEnum && containsStr(k.typ.enums, name)) {
			return i
		}
	}
	return -1
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

//go:embed schema.txt
var schemaText string

// root is the schema root, the <configuration> element.
var root = mustBuildSchema(schemaText)

type schemaLine struct {
	indent int
	fields []string
	line   int
}

// mustBuildSchema parses the embedded schema description. A broken schema is
// a programming error, so it panics.
func mustBuildSchema(src string) *snode {
	var lines []schemaLine
	for i, l := range strings.Split(src, "\n") {
		if j := strings.Index(l, "#"); j >= 0 {
			l = l[:j]
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		if ind%2 != 0 {
			panic(fmt.Sprintf("junosconf: schema line %d: odd indentation", i+1))
		}
		lines = append(lines, schemaLine{ind / 2, strings.Fields(l), i + 1})
	}
	// Split into groups (top-level "group NAME") and the configuration.
	groups := map[string][]schemaLine{}
	var cfg []schemaLine
	for i := 0; i < len(lines); {
		l := lines[i]
		if l.indent != 0 {
			panic(fmt.Sprintf("junosconf: schema line %d: unexpected indentation", l.line))
		}
		j := i + 1
		for j < len(lines) && lines[j].indent > 0 {
			j++
		}
		if l.fields[0] == "group" {
			body := make([]schemaLine, 0, j-i-1)
			for _, b := range lines[i+1 : j] {
				b.indent--
				body = append(body, b)
			}
			groups[l.fields[1]] = body
		} else {
			cfg = append(cfg, lines[i:j]...)
		}
		i = j
	}
	r := &snode{name: "configuration", xml: "configuration", kind: kContainer, fam: familyAll}
	expand(r, cfg, groups, 0)
	return r
}

// expand builds the children of parent from lines at the given depth.
func expand(parent *snode, lines []schemaLine, groups map[string][]schemaLine, depth int) {
	for i := 0; i < len(lines); {
		l := lines[i]
		j := i + 1
		for j < len(lines) && lines[j].indent > l.indent {
			j++
		}
		body := lines[i+1 : j]
		if l.fields[0] == "use" {
			g, ok := groups[l.fields[1]]
			if !ok {
				panic(fmt.Sprintf("junosconf: schema line %d: unknown group %s", l.line, l.fields[1]))
			}
			shifted := make([]schemaLine, len(g))
			for k, b := range g {
				b.indent += l.indent
				shifted[k] = b
			}
			expand(parent, shifted, groups, depth)
			i = j
			continue
		}
		n := newNode(parent, l)
		expand(n, body, groups, depth+1)
		i = j
	}
}

func newNode(parent *snode, l schemaLine) *snode {
	f := l.fields
	bad := func(msg string) { panic(fmt.Sprintf("junosconf: schema line %d: %s", l.line, msg)) }
	if len(f) < 2 {
		bad("want NAME KIND")
	}
	n := &snode{name: f[0], xml: f[0], parent: parent, fam: parent.fam}
	rest := f[2:]
	switch f[1] {
	case "c":
		n.kind = kContainer
	case "p":
		n.kind = kPresence
	case "flag":
		n.kind = kFlag
	case "leaf", "ll":
		n.kind = kLeaf
		if f[1] == "ll" {
			n.kind = kLeafList
		}
		if len(rest) == 0 {
			bad("leaf without type")
		}
		n.typ = parseType(rest[0], bad)
		rest = rest[1:]
	case "list":
		n.kind = kList
		if len(rest) == 0 {
			bad("list without keys")
		}
		for _, k := range strings.Split(rest[0], ",") {
			var kd keyDef
			if strings.HasSuffix(k, "!") {
				kd.ident = true
				k = strings.TrimSuffix(k, "!")
			}
			typ := "string"
			if a, b, ok := strings.Cut(k, "="); ok {
				k, typ = a, b
			}
			if a, b, ok := strings.Cut(k, "/"); ok {
				k, kd.kw = a, b
			}
			kd.xml = k
			kd.typ = parseType(typ, bad)
			n.keys = append(n.keys, kd)
		}
		rest = rest[1:]
	default:
		bad("unknown kind " + f[1])
	}
	for _, a := range rest {
		switch {
		case a == "nokw":
			n.nokw = true
		case a == "flat":
			n.flat = true
		case a == "oneliner":
			n.oneliner = true
		case strings.HasPrefix(a, "xml="):
			n.xml = a[4:]
		case strings.HasPrefix(a, "fam="):
			var m Family
			for _, x := range strings.Split(a[4:], ",") {
				switch x {
				case "junos":
					m |= FamilyJunos
				case "es":
					m |= FamilyES
				case "nfx":
					m |= FamilyNFX
				default:
					bad("unknown family " + x)
				}
			}
			n.fam = m & parent.fam
		default:
			bad("unknown attribute " + a)
		}
	}
	if parent.byName == nil {
		parent.byName = map[string]*snode{}
		parent.byXML = map[string]*snode{}
	}
	if n.nokw {
		if parent.nokwKid != nil {
			bad("two keyword-less children")
		}
		parent.nokwKid = n
	} else {
		if _, dup := parent.byName[n.name]; dup {
			bad("duplicate child " + n.name)
		}
		parent.byName[n.name] = n
	}
	if _, dup := parent.byXML[n.xml]; dup {
		bad("duplicate element " + n.xml)
	}
	parent.byXML[n.xml] = n
	n.ord = len(parent.kids)
	parent.kids = append(parent.kids, n)
	return n
}

func parseType(s string, bad func(string)) vtype {
	name, arg, _ := strings.Cut(s, ":")
	switch name {
	case "string":
		return vtype{base: tString}
	case "uint":
		v := vtype{base: tUint, max: 1<<32 - 1}
		if arg != "" {
			a, b, ok := strings.Cut(arg, "-")
			lo, err1 := strconv.ParseUint(a, 10, 64)
			hi, err2 := strconv.ParseUint(b, 10, 64)
			if !ok || err1 != nil || err2 != nil {
				bad("bad range " + arg)
			}
			v.min, v.max = lo, hi
		}
		return v
	case "enum":
		return vtype{base: tEnum, enums: strings.Split(arg, "|")}
	case "ipv4":
		return vtype{base: tIPv4}
	case "ipv6":
		return vtype{base: tIPv6}
	case "ip":
		return vtype{base: tIP}
	case "prefix":
		return vtype{base: tPrefix}
	case "prefix4":
		return vtype{base: tPrefix4}
	case "prefix6":
		return vtype{base: tPrefix6}
	}
	bad("unknown type " + s)
	return vtype{}
}

// path returns the CLI keywords from the root to s (schema only, no keys).
func (s *snode) path() []string {
	var p []string
	for n := s; n != nil && n.parent != nil; n = n.parent {
		p = append(p, n.name)
	}
	for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
		p[i], p[j] = p[j], p[i]
	}
	return p
}
