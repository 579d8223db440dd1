package validate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Config is a device's configuration as a set of statements: each `set`
// line, split into unquoted words. It is what the live checks compare intent
// with. Build one with ParseSet (`show configuration | display set`) or
// ParseXML (a get-configuration <configuration> document). A Config is
// immutable and safe for concurrent use.
type Config struct {
	stmts  [][]string
	keys   []string         // canonical form of each statement
	index  map[string]int   // canonical statement → position in stmts
	byRoot map[string][]int // owner subtree (see root) → statements under it
}

// Statements returns the statements as canonical set lines without the
// leading "set", in configuration order. It allocates a new slice.
func (c *Config) Statements() []string {
	return append([]string(nil), c.keys...)
}

// Len returns the number of statements.
func (c *Config) Len() int { return len(c.stmts) }

// Has reports whether the statement (words after "set") is configured.
func (c *Config) Has(words ...string) bool {
	_, ok := c.index[canon(words)]
	return ok
}

// ErrSyntax is wrapped by the errors of ParseSet and ParseXML.
var ErrSyntax = errors.New("configuration syntax")

func newConfig(n int) *Config {
	return &Config{index: make(map[string]int, n), byRoot: make(map[string][]int, n/4+1)}
}

func (c *Config) add(words []string) {
	k := canon(words)
	if _, ok := c.index[k]; ok {
		return
	}
	c.index[k] = len(c.stmts)
	if r := rootLen(words); r > 0 && r < len(words) {
		rk := canon(words[:r])
		c.byRoot[rk] = append(c.byRoot[rk], len(c.stmts))
	}
	c.stmts = append(c.stmts, words)
	c.keys = append(c.keys, k)
}

// ParseSet reads set lines: one "set …" statement a line, words separated by
// spaces, values with spaces in double quotes (\" and \\ escaped). Blank
// lines, "#" comments and lines that are not "set" lines (deactivate,
// protect) are skipped. Errors wrap ErrSyntax and give the line number.
func ParseSet(b []byte) (*Config, error) {
	c := newConfig(bytes.Count(b, []byte{'\n'}) + 1)
	err := eachStatement(b, c.add)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// eachStatement calls fn with the words of every set line of b.
func eachStatement(b []byte, fn func([]string)) error {
	for n := 1; len(b) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || !bytes.HasPrefix(line, []byte("set ")) {
			continue
		}
		words, err := splitWords(string(line[4:]))
		if err != nil {
			return fmt.Errorf("validate: set line %d %q: %w", n, line, err)
		}
		if len(words) > 0 {
			fn(words)
		}
	}
	return nil
}

// splitWords splits a statement into words, removing quotes.
func splitWords(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		if s[i] == '"' {
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				ch := s[i]
				if ch == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if ch == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(ch)
				i++
			}
			if !closed {
				return nil, fmt.Errorf("%w: unterminated quote", ErrSyntax)
			}
			out = append(out, b.String())
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out, nil
}

// canon joins words into one canonical statement, quoting words that need it.
func canon(words []string) string {
	n := 0
	for _, w := range words {
		n += len(w) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if w == "" || strings.ContainsAny(w, " \t\"\\;{}#") {
			b.WriteByte('"')
			for k := 0; k < len(w); k++ {
				if w[k] == '"' || w[k] == '\\' {
					b.WriteByte('\\')
				}
				b.WriteByte(w[k])
			}
			b.WriteByte('"')
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// rootLen returns how many leading words of a statement name the subtree a
// service owns whole (a logical unit, a pseudowire end, a routing instance,
// a policy, a community, an LSP), or 0 for statements outside any such
// subtree (a port's tagging mode, protocol base configuration).
func rootLen(w []string) int {
	switch {
	case len(w) >= 4 && w[0] == "interfaces" && w[2] == "unit":
		return 4
	case len(w) >= 2 && w[0] == "routing-instances":
		return 2
	case len(w) >= 3 && w[0] == "policy-options" && (w[1] == "policy-statement" || w[1] == "community"):
		return 3
	case len(w) >= 6 && w[0] == "protocols" && w[1] == "l2circuit" && w[2] == "neighbor" && w[4] == "interface":
		return 6
	case len(w) >= 4 && w[0] == "protocols" && w[1] == "mpls" &&
		(w[2] == "label-switched-path" || w[2] == "static-label-switched-path" || w[2] == "path" || w[2] == "p2mp-lsp"):
		return 4
	}
	return 0
}

// xmlFlat lists XML list elements whose name set form leaves out: the entry
// key stands alone ("interfaces ge-0/0/1", "routing-instances VRF-A").
var xmlFlat = map[string]string{"interfaces": "interface", "routing-instances": "instance", "path": "path-list"}

// xmlValue lists child elements (by parent) whose name set form leaves out,
// writing only their value after the parent's name ("route-distinguisher
// 65000:1", "vrf-target target:65000:1", "community add NAME").
var xmlValue = map[[2]string]bool{
	{"route-distinguisher", "rd-type"}:           true,
	{"vrf-target", "community"}:                  true,
	{"community", "community-name"}:              true,
	{"bandwidth", "per-traffic-class-bandwidth"}: true,
}

// xmlOperator lists keywords of <community> in a policy action ("then
// community add NAME"): they join the words of their parent.
var xmlOperator = map[string]bool{"add": true, "delete": true, "set": true}

// ParseXML reads a Junos <configuration> document (get-configuration's
// reply, with or without the rpc-reply around it) into statements. It knows
// the Junos XML conventions carrierkit's services use: list entries keyed by
// <name>, "interfaces" and "routing-instances" entries written without their
// element name, empty elements as keywords, <rd-type> and <community> values
// written after their container. Errors wrap ErrSyntax.
func ParseXML(b []byte) (*Config, error) {
	c := newConfig(256)
	d := xml.NewDecoder(bytes.NewReader(b))
	type frame struct {
		name     string
		words    []string // path of this element's parent plus this element
		text     strings.Builder
		children int
		keyed    bool // the first <name> child has been folded into words
	}
	var stack []*frame
	in := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("validate: configuration XML: %w: %v", ErrSyntax, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !in {
				if t.Name.Local == "configuration" {
					in = true
					stack = append(stack, &frame{name: "configuration"})
				}
				continue
			}
			if inactive(t) {
				if err := d.Skip(); err != nil {
					return nil, fmt.Errorf("validate: configuration XML: %w: %v", ErrSyntax, err)
				}
				continue
			}
			p := stack[len(stack)-1]
			p.children++
			var words []string
			words = append(words, p.words...)
			if !(len(stack) >= 2 && xmlFlat[p.name] == t.Name.Local) && !xmlValue[[2]string{p.name, t.Name.Local}] {
				words = append(words, t.Name.Local)
			}
			stack = append(stack, &frame{name: t.Name.Local, words: words})
		case xml.CharData:
			if len(stack) > 1 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if !in || len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				in = false
				continue
			}
			p := stack[len(stack)-1]
			txt := strings.TrimSpace(f.text.String())
			switch {
			case f.name == "name" && !p.keyed && p.children == 1 && len(stack) > 1:
				// The key of a list entry: it names the entry.
				p.words = append(p.words, txt)
				p.keyed = true
			case f.children == 0 && txt == "" && p.name == "community" && xmlOperator[f.name]:
				p.words = append(p.words, f.name)
			case f.children == 0 && txt == "":
				if len(f.words) > 0 {
					c.add(f.words)
				}
			case f.children == 0:
				c.add(append(f.words[:len(f.words):len(f.words)], txt))
			case f.keyed && f.children == 1:
				// A list entry holding only its key ("interface ge-0/0/1.100").
				c.add(f.words)
			}
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("validate: configuration XML: %w: unterminated document", ErrSyntax)
	}
	return c, nil
}

func inactive(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Local == "inactive" {
			return true
		}
	}
	return false
}
