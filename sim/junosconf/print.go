package junosconf

import (
	"strings"
)

// quoteValue returns v as one configuration word, quoted as Junos does when
// it holds spaces or characters that would end a word, with " and \
// escaped.
func quoteValue(v string) string {
	if !needsQuote(v) {
		return v
	}
	return forceQuote(v)
}

func forceQuote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

func needsQuote(v string) bool {
	if v == "" || strings.HasPrefix(v, "/*") || v[0] == '#' {
		return true
	}
	if _, ok := stmtPrefix[v]; ok {
		return true
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', '\t', '\n', '\r', '"', '\\', ';', '{', '}', '[', ']', '\'':
			return true
		}
	}
	return false
}

// quoteFor quotes a value standing where a keyword could be (the first key
// of a keyword-less list, a keyword-less leaf) when it equals one.
func quoteFor(s *snode, v string) string {
	if s.nokw && s.parent.byName[v] != nil {
		return forceQuote(v)
	}
	return quoteValue(v)
}

// head returns the words of e's statement line without children:
// "unit 100", "description \"a b\"", "vrf-import [ A B ]".
func head(e *elem, b *strings.Builder) {
	s := e.s
	switch s.kind {
	case kList:
		if !s.nokw {
			b.WriteString(s.name)
			b.WriteByte(' ')
		}
		b.WriteString(quoteFor(s, e.val))
		for i, k := range s.keys[1:] {
			b.WriteByte(' ')
			if k.kw != "" {
				b.WriteString(k.kw)
				b.WriteByte(' ')
			}
			b.WriteString(quoteValue(e.more[i]))
		}
	case kLeaf:
		if s.nokw {
			b.WriteString(quoteFor(s, e.val))
			return
		}
		b.WriteString(s.name)
		b.WriteByte(' ')
		b.WriteString(quoteValue(e.val))
	case kLeafList:
		b.WriteString(s.name)
		b.WriteByte(' ')
		if len(e.more) == 1 {
			b.WriteString(quoteValue(e.more[0]))
			return
		}
		b.WriteString("[ ")
		for _, v := range e.more {
			b.WriteString(quoteValue(v))
			b.WriteByte(' ')
		}
		b.WriteByte(']')
	default:
		b.WriteString(s.name)
	}
}

// Text prints t as `show configuration` does: four spaces per level,
// "name value;" leaves, "name { … }" blocks, "inactive: " marks. For a tree
// returned by [Tree.Sub] it prints the contents of that statement.
func (t *Tree) Text() []byte {
	var b strings.Builder
	if t.IsEmpty() {
		return nil
	}
	e := t.root
	for d := 0; d < t.depth && len(e.kids) > 0; d++ {
		e = e.kids[0]
	}
	if t.depth > 0 && !e.s.kind.hasBlock() {
		printStmt(&b, e, 0, "")
	} else {
		for _, k := range e.kids {
			printStmt(&b, k, 0, "")
		}
	}
	return []byte(b.String())
}

const indentUnit = "    "

func writeIndent(b *strings.Builder, n int) {
	for range n {
		b.WriteString(indentUnit)
	}
}

// printStmt prints one statement and its children at the given depth.
// prefix holds the words of flattened ancestors ("family ").
func printStmt(b *strings.Builder, e *elem, depth int, prefix string) {
	s := e.s
	if s.flat && !e.inactive() && len(e.kids) > 0 {
		for _, k := range e.kids {
			printStmt(b, k, depth, prefix+s.name+" ")
		}
		return
	}
	writeIndent(b, depth)
	if e.inactive() {
		b.WriteString("inactive: ")
	}
	b.WriteString(prefix)
	head(e, b)
	if !s.kind.hasBlock() || len(e.kids) == 0 {
		b.WriteString(";\n")
		return
	}
	if len(e.kids) == 1 && e.kids[0].s.nokw && e.kids[0].s.kind == kLeaf && !e.kids[0].inactive() {
		b.WriteByte(' ')
		head(e.kids[0], b)
		b.WriteString(";\n")
		return
	}
	if s.oneliner && allLeaves(e) {
		for _, k := range e.kids {
			b.WriteByte(' ')
			head(k, b)
		}
		b.WriteString(";\n")
		return
	}
	b.WriteString(" {\n")
	for _, k := range e.kids {
		printStmt(b, k, depth+1, "")
	}
	writeIndent(b, depth)
	b.WriteString("}\n")
}

func allLeaves(e *elem) bool {
	for _, k := range e.kids {
		if k.inactive() || k.s.kind.hasBlock() || k.s.nokw {
			return false
		}
	}
	return true
}

// SetLines prints t as `show configuration | display set` does: one set
// command per leaf, flag, leaf-list value and childless statement, in
// order, and a deactivate command after each inactive statement.
func (t *Tree) SetLines() []byte {
	if t.IsEmpty() {
		return nil
	}
	var b strings.Builder
	var words []string
	for _, k := range t.root.kids {
		setLines(&b, k, words)
	}
	return []byte(b.String())
}

// setWords appends the words of e's own statement (without leaf values).
func setWords(e *elem, dst []string) []string {
	s := e.s
	switch s.kind {
	case kList:
		if !s.nokw {
			dst = append(dst, s.name)
		}
		dst = append(dst, quoteFor(s, e.val))
		for i, k := range s.keys[1:] {
			if k.kw != "" {
				dst = append(dst, k.kw)
			}
			dst = append(dst, quoteValue(e.more[i]))
		}
	case kLeaf:
		if s.nokw {
			return append(dst, quoteFor(s, e.val))
		}
		dst = append(dst, s.name, quoteValue(e.val))
	default:
		dst = append(dst, s.name)
	}
	return dst
}

func writeCmd(b *strings.Builder, verb string, words []string) {
	b.WriteString(verb)
	for _, w := range words {
		b.WriteByte(' ')
		b.WriteString(w)
	}
	b.WriteByte('\n')
}

func setLines(b *strings.Builder, e *elem, prefix []string) {
	words := setWords(e, prefix[:len(prefix):len(prefix)])
	switch {
	case e.s.kind == kLeafList:
		for _, v := range e.more {
			writeCmd(b, "set", append(words, quoteValue(v)))
		}
	case len(e.kids) == 0:
		writeCmd(b, "set", words)
	default:
		for _, k := range e.kids {
			setLines(b, k, words)
		}
	}
	if e.inactive() {
		writeCmd(b, "deactivate", words)
	}
}

// Statements returns the active configuration as the words of its set
// commands, without the leading "set" and with values unquoted: one slice
// per leaf, flag, leaf-list value and childless statement, in the order
// SetLines prints them. Inactive statements and everything below them are
// left out. It is the form programs that read a configuration (the
// simulated network, operational replies) walk, with no quoting to undo.
// The slices are fresh; callers own them.
func (t *Tree) Statements() [][]string {
	if t.IsEmpty() {
		return nil
	}
	var out [][]string
	for _, k := range t.root.kids {
		out = statements(out, k, nil)
	}
	return out
}

// rawWords appends the words of e's own statement with unquoted values.
func rawWords(e *elem, dst []string) []string {
	s := e.s
	switch s.kind {
	case kList:
		if !s.nokw {
			dst = append(dst, s.name)
		}
		dst = append(dst, e.val)
		for i, k := range s.keys[1:] {
			if k.kw != "" {
				dst = append(dst, k.kw)
			}
			dst = append(dst, e.more[i])
		}
	case kLeaf:
		if s.nokw {
			return append(dst, e.val)
		}
		dst = append(dst, s.name, e.val)
	default:
		dst = append(dst, s.name)
	}
	return dst
}

func statements(out [][]string, e *elem, prefix []string) [][]string {
	if e.inactive() {
		return out
	}
	words := rawWords(e, prefix[:len(prefix):len(prefix)])
	switch {
	case e.s.kind == kLeafList:
		for _, v := range e.more {
			out = append(out, append(words[:len(words):len(words)], v))
		}
	case len(e.kids) == 0:
		out = append(out, words)
	default:
		for _, k := range e.kids {
			out = statements(out, k, words)
		}
	}
	return out
}
