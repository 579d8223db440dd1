package junosconf

import (
	"fmt"
	"strings"
)

const allFamilies = familyAll

// word is one statement word: a keyword or value, or a bracketed value list.
type word struct {
	s      string
	quoted bool
	list   []string // [ a b c ]
	isList bool
	line   int
}

// token kinds
const (
	tkEOF   = 0
	tkWord  = 'w'
	tkOpen  = '{'
	tkClose = '}'
	tkSemi  = ';'
	tkLBrak = '['
	tkRBrak = ']'
	tkNL    = '\n'
)

type token0 struct {
	kind   byte
	s      string
	quoted bool
	line   int
}

// lexer splits Junos configuration text into tokens. With nl set (set-line
// input) an unquoted newline is a token of its own.
type lexer struct {
	src  []byte
	pos  int
	line int
	nl   bool
}

func (l *lexer) next() (token0, *Error) {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\n':
			l.pos++
			l.line++
			if l.nl {
				return token0{kind: tkNL, line: l.line - 1}, nil
			}
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			start := l.line
			end := strings.Index(string(l.src[l.pos+2:]), "*/")
			if end < 0 {
				return token0{}, newErr(ErrSyntax, nil, "", "unterminated comment", start)
			}
			l.line += strings.Count(string(l.src[l.pos:l.pos+2+end]), "\n")
			l.pos += end + 4
		case c == '{' || c == '}' || c == ';' || c == '[' || c == ']':
			l.pos++
			return token0{kind: c, line: l.line}, nil
		case c == '"':
			start := l.line
			var b strings.Builder
			l.pos++
			for {
				if l.pos >= len(l.src) {
					return token0{}, newErr(ErrSyntax, nil, "", "unterminated quoted string", start)
				}
				c := l.src[l.pos]
				if c == '"' {
					l.pos++
					break
				}
				if c == '\\' && l.pos+1 < len(l.src) {
					l.pos++
					c = l.src[l.pos]
				}
				if c == '\n' {
					l.line++
				}
				b.WriteByte(c)
				l.pos++
			}
			return token0{kind: tkWord, s: b.String(), quoted: true, line: start}, nil
		default:
			start := l.pos
			for l.pos < len(l.src) {
				c := l.src[l.pos]
				if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' || c == '}' || c == ';' ||
					c == '[' || c == ']' || c == '"' {
					break
				}
				l.pos++
			}
			return token0{kind: tkWord, s: string(l.src[start:l.pos]), line: l.line}, nil
		}
	}
	return token0{kind: tkEOF, line: l.line}, nil
}

// stmtPrefix maps the text-format statement prefixes to edit flags.
var stmtPrefix = map[string]uint8{
	"inactive:":  fDeactivate,
	"active:":    fActivate,
	"replace:":   fReplace,
	"delete:":    fDelete,
	"protect:":   0,
	"unprotect:": 0,
}

// builder builds an edit tree from statements.
type builder struct {
	fam   Family
	group []word   // list keyword prepended to each statement of a grouped block
	path  []string // banner words of the current context
	line  int
}

// probeStatement reads one statement step (a container keyword, a list
// keyword with its keys, a leaf with its value …) under schema node parent
// and returns it as a detached elem plus the number of words used.
// allowNoValue lets a leaf or leaf-list stand without a value (delete).
func probeStatement(parent *snode, ws []word, fam Family) (*elem, int, *Error) {
	return probe(parent, ws, fam, true, nil, 0)
}

func probe(parent *snode, ws []word, fam Family, allowNoValue bool, path []string, line int) (*elem, int, *Error) {
	w := ws[0]
	if w.line > 0 {
		line = w.line
	}
	var s *snode
	n := 0
	if !w.quoted && !w.isList {
		s = parent.byName[w.s]
	}
	if s != nil {
		n = 1
	} else if parent.nokwKid != nil && !w.isList {
		s = parent.nokwKid
	} else {
		el := w.s
		if w.isList {
			el = "["
		}
		return nil, 0, newErr(ErrSyntax, path, el, "syntax error", line)
	}
	if s.fam&fam == 0 {
		return nil, 0, newErr(ErrNotInFamily, path, s.name,
			fmt.Sprintf("syntax error: %s is not available on %s", s.name, fam), line)
	}
	e := &elem{s: s}
	value := func(what string) (string, *Error) {
		if n >= len(ws) {
			return "", newErr(ErrSyntax, path, s.name, "syntax error: missing "+what, line)
		}
		v := ws[n]
		if v.isList {
			return "", newErr(ErrSyntax, path, s.name, "syntax error: unexpected [ for "+what, line)
		}
		n++
		return v.s, nil
	}
	switch s.kind {
	case kList:
		for i, k := range s.keys {
			if k.kw != "" {
				if n >= len(ws) || ws[n].quoted || ws[n].s != k.kw {
					return nil, 0, newErr(ErrSyntax, path, s.name, "syntax error: missing "+k.kw, line)
				}
				n++
			}
			v, err := value(k.xml)
			if err != nil {
				return nil, 0, err
			}
			if msg := k.typ.check(v); msg != "" {
				return nil, 0, newErr(ErrInvalidValue, path, s.name, msg, line)
			}
			if i == 0 {
				e.val = v
			} else {
				e.more = append(e.more, v)
			}
		}
	case kLeaf:
		if n >= len(ws) && allowNoValue {
			e.val = noValueMarker
			break
		}
		v, err := value("value")
		if err != nil {
			return nil, 0, err
		}
		if msg := s.typ.check(v); msg != "" {
			return nil, 0, newErr(ErrInvalidValue, path, s.name, msg, line)
		}
		e.val = v
	case kLeafList:
		if n >= len(ws) && allowNoValue {
			break
		}
		if n < len(ws) && ws[n].isList {
			e.more = make([]string, 0, len(ws[n].list))
			for _, v := range ws[n].list {
				if msg := s.typ.check(v); msg != "" {
					return nil, 0, newErr(ErrInvalidValue, path, s.name, msg, line)
				}
				if !containsStr(e.more, v) {
					e.more = append(e.more, v)
				}
			}
			n++
			if len(e.more) == 0 && !allowNoValue {
				return nil, 0, newErr(ErrSyntax, path, s.name, "syntax error: empty value list", line)
			}
			break
		}
		v, err := value("value")
		if err != nil {
			return nil, 0, err
		}
		if msg := s.typ.check(v); msg != "" {
			return nil, 0, newErr(ErrInvalidValue, path, s.name, msg, line)
		}
		e.more = []string{v}
	}
	return e, n, nil
}

// stepWords returns the banner words of a statement: keyword and keys.
func stepWords(e *elem, dst []string) []string {
	s := e.s
	switch s.kind {
	case kList:
		if !s.nokw {
			dst = append(dst, s.name)
		}
		dst = append(dst, quoteValue(e.val))
		for i, k := range s.keys[1:] {
			if k.kw != "" {
				dst = append(dst, k.kw)
			}
			dst = append(dst, quoteValue(e.more[i]))
		}
	default:
		dst = append(dst, s.name)
	}
	return dst
}

// walk adds the statement ws under ctx in the edit tree and returns the
// chain of elems it went through (the last is the statement itself).
func (b *builder) walk(ctx *elem, ws []word, allowNoValue bool) ([]*elem, *Error) {
	var chain []*elem
	path := b.path
	cur := ctx
	for len(ws) > 0 {
		p, n, err := probe(cur.s, ws, b.fam, allowNoValue, path, b.line)
		if err != nil {
			return nil, err
		}
		ws = ws[n:]
		k := addEdit(cur, p)
		chain = append(chain, k)
		if p.s.kind.hasBlock() {
			cur = k
			path = stepWords(k, path[:len(path):len(path)])
		}
	}
	return chain, nil
}

// addEdit merges p into the children of parent (an edit tree).
func addEdit(parent *elem, p *elem) *elem {
	if i := parent.find(p); i >= 0 {
		k := parent.kids[i]
		switch p.s.kind {
		case kLeaf:
			k.val = p.val
		case kLeafList:
			for _, v := range p.more {
				if !containsStr(k.more, v) {
					k.more = append(k.more, v)
				}
			}
		}
		return k
	}
	i := parent.insertPos(p.s)
	parent.kids = append(parent.kids, nil)
	copy(parent.kids[i+1:], parent.kids[i:])
	parent.kids[i] = p
	return p
}

// parseText builds an edit tree from curly-brace configuration text.
func parseText(body []byte, fam Family) (*elem, *Error) {
	lx := &lexer{src: body, line: 1}
	b := &builder{fam: fam}
	r := &elem{s: root}
	if err := b.block(lx, r, 0); err != nil {
		return nil, err
	}
	return r, nil
}

func (b *builder) block(lx *lexer, ctx *elem, depth int) *Error {
	for {
		t, err := lx.next()
		if err != nil {
			return err
		}
		b.line = t.line
		switch t.kind {
		case tkClose:
			if depth == 0 {
				return newErr(ErrSyntax, b.path, "}", "syntax error: unexpected }", t.line)
			}
			return nil
		case tkEOF:
			if depth > 0 {
				return newErr(ErrSyntax, b.path, "", "syntax error: missing }", t.line)
			}
			return nil
		case tkSemi:
			continue
		}
		var flags uint8
		for t.kind == tkWord && !t.quoted {
			f, ok := stmtPrefix[t.s]
			if !ok {
				break
			}
			flags |= f
			if t, err = lx.next(); err != nil {
				return err
			}
		}
		var ws []word
		for t.kind == tkWord || t.kind == tkLBrak {
			if t.kind == tkLBrak {
				w := word{isList: true, line: t.line}
				for {
					if t, err = lx.next(); err != nil {
						return err
					}
					if t.kind == tkRBrak {
						break
					}
					if t.kind != tkWord {
						return newErr(ErrSyntax, b.path, "[", "syntax error: unterminated [", t.line)
					}
					w.list = append(w.list, t.s)
				}
				ws = append(ws, w)
			} else {
				ws = append(ws, word{s: t.s, quoted: t.quoted, line: t.line})
			}
			if t, err = lx.next(); err != nil {
				return err
			}
		}
		if len(ws) == 0 {
			el := string(t.kind)
			if t.kind == tkEOF {
				el = ""
			}
			return newErr(ErrSyntax, b.path, el, "syntax error: expected a statement", t.line)
		}
		if t.kind != tkSemi && t.kind != tkOpen {
			return newErr(ErrSyntax, b.path, ws[len(ws)-1].s, "syntax error: missing ;", t.line)
		}
		if len(b.group) > 0 {
			ws = append(b.group[:len(b.group):len(b.group)], ws...)
		}
		if t.kind == tkOpen && flags == 0 {
			// "source-address { 10.0.0.0/8; 10.1.0.0/16; }": a list keyword
			// opening a block of its entries.
			if done, err := b.groupBlock(lx, ctx, ws, depth); done || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		chain, perr := b.walk(ctx, ws, flags&fDelete != 0)
		if perr != nil {
			return perr
		}
		last := chain[len(chain)-1]
		if flags&fDelete != 0 && last.s.kind == kLeaf && last.val == noValueMarker {
			last.val = ""
		}
		if last.s.kind == kLeaf && last.val == noValueMarker {
			return newErr(ErrSyntax, b.path, last.s.name, "syntax error: missing value", t.line)
		}
		last.flags |= flags
		if t.kind == tkOpen {
			if !last.s.kind.hasBlock() {
				return newErr(ErrSyntax, b.path, last.s.name, "syntax error: unexpected {", t.line)
			}
			saved := b.path
			p := b.path[:len(b.path):len(b.path)]
			for _, e := range chain {
				p = stepWords(e, p)
			}
			savedGroup := b.group
			b.path, b.group = p, nil
			if err := b.block(lx, last, depth+1); err != nil {
				return err
			}
			b.path, b.group = saved, savedGroup
		}
	}
}

// groupBlock handles a statement whose last word is a list keyword followed
// by a block of entries. It reports false when ws is not such a statement.
func (b *builder) groupBlock(lx *lexer, ctx *elem, ws []word, depth int) (bool, *Error) {
	last := ws[len(ws)-1]
	if last.quoted || last.isList {
		return false, nil
	}
	cur, path := ctx, b.path
	if len(ws) > 1 {
		// Find the context the last word would be read in, without
		// changing the edit tree unless this is a group.
		probeCtx := ctx.s
		rest := ws[:len(ws)-1]
		for len(rest) > 0 {
			p, n, err := probe(probeCtx, rest, b.fam, false, path, b.line)
			if err != nil {
				return false, nil
			}
			rest = rest[n:]
			if p.s.kind.hasBlock() {
				probeCtx = p.s
			}
		}
		if s := probeCtx.byName[last.s]; s == nil || s.kind != kList {
			return false, nil
		}
		chain, err := b.walk(ctx, ws[:len(ws)-1], false)
		if err != nil {
			return true, err
		}
		for _, e := range chain {
			path = stepWords(e, path[:len(path):len(path)])
			if e.s.kind.hasBlock() {
				cur = e
			}
		}
	}
	s := cur.s.byName[last.s]
	if s == nil || s.kind != kList {
		return false, nil
	}
	if s.fam&b.fam == 0 {
		return true, newErr(ErrNotInFamily, path, s.name, fmt.Sprintf("syntax error: %s is not available on %s", s.name, b.fam), b.line)
	}
	savedPath, savedGroup := b.path, b.group
	b.path, b.group = path, []word{last}
	err := b.block(lx, cur, depth+1)
	b.path, b.group = savedPath, savedGroup
	return true, err
}

// setCmd is one line of set-format input.
type setCmd struct {
	verb string
	ws   []word
	line int
}

// lexSet splits set-format input into commands.
func lexSet(body []byte) ([]setCmd, *Error) {
	lx := &lexer{src: body, line: 1, nl: true}
	var cmds []setCmd
	var cur []word
	flush := func(line int) *Error {
		if len(cur) == 0 {
			return nil
		}
		v := cur[0]
		if v.quoted || v.isList {
			return newErr(ErrSyntax, nil, v.s, "syntax error: expected set, delete, activate or deactivate", line)
		}
		cmds = append(cmds, setCmd{verb: v.s, ws: cur[1:], line: v.line})
		cur = nil
		return nil
	}
	for {
		t, err := lx.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tkEOF:
			if err := flush(t.line); err != nil {
				return nil, err
			}
			return cmds, nil
		case tkNL:
			if err := flush(t.line); err != nil {
				return nil, err
			}
		case tkWord:
			cur = append(cur, word{s: t.s, quoted: t.quoted, line: t.line})
		case tkLBrak:
			w := word{isList: true, line: t.line}
			for {
				t, err = lx.next()
				if err != nil {
					return nil, err
				}
				if t.kind == tkRBrak {
					break
				}
				if t.kind != tkWord {
					return nil, newErr(ErrSyntax, nil, "[", "syntax error: unterminated [", t.line)
				}
				w.list = append(w.list, t.s)
			}
			cur = append(cur, w)
		default:
			return nil, newErr(ErrSyntax, nil, string(t.kind), "syntax error: unexpected "+string(t.kind), t.line)
		}
	}
}

// editForCmd builds the edit tree of one set-format command.
func editForCmd(c setCmd, fam Family) (*elem, *Error) {
	r := &elem{s: root}
	b := &builder{fam: fam, line: c.line}
	var flag uint8
	switch c.verb {
	case "set":
		if len(c.ws) == 0 {
			return nil, newErr(ErrSyntax, nil, "set", "syntax error: set needs a statement", c.line)
		}
	case "delete":
		flag = fDelete
	case "deactivate":
		flag = fDeactivate
	case "activate":
		flag = fActivate
	default:
		return nil, newErr(ErrSyntax, nil, c.verb, "syntax error: expected set, delete, activate or deactivate", c.line)
	}
	if len(c.ws) == 0 {
		if flag == fDelete {
			r.flags |= fDelete
			return r, nil
		}
		return nil, newErr(ErrSyntax, nil, c.verb, "syntax error: "+c.verb+" needs a statement", c.line)
	}
	chain, err := b.walk(r, c.ws, flag != 0)
	if err != nil {
		return nil, err
	}
	last := chain[len(chain)-1]
	if flag == 0 && last.s.kind == kLeaf && last.val == noValueMarker {
		return nil, newErr(ErrSyntax, nil, last.s.name, "syntax error: missing value", c.line)
	}
	if flag != 0 {
		for _, e := range chain[:len(chain)-1] {
			e.flags |= fPathOnly
		}
		last.flags |= flag
		if flag != fDelete {
			last.flags |= fPathOnly
		}
	}
	return r, nil
}
