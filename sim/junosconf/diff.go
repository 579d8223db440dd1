package junosconf

import (
	"strings"
)

// Diff returns the changes from old to new in the patch format of Junos'
// `show | compare`: an "[edit …]" banner naming each hierarchy level that
// changed, then its removed ("-") and added ("+") statements indented four
// spaces per level below the banner. A changed leaf shows as its old line
// removed and its new line added; a statement whose only change is its
// inactive mark shows as "!" followed by "inactive:" or "active:" and the
// statement's header. Diff returns nil when the trees are equal; nil trees
// are empty.
func Diff(old, new *Tree) []byte {
	var o, n *elem
	if old != nil {
		o = old.root
	}
	if new != nil {
		n = new.root
	}
	if o == nil {
		o = &elem{s: root}
	}
	if n == nil {
		n = &elem{s: root}
	}
	d := &differ{}
	d.kids(o, n, nil)
	if d.b.Len() == 0 {
		return nil
	}
	return []byte(d.b.String())
}

type differ struct {
	b      strings.Builder
	banner string
}

func (d *differ) at(path []string) {
	bn := banner(path)
	if bn != d.banner {
		d.b.WriteString(bn)
		d.b.WriteByte('\n')
		d.banner = bn
	}
}

// stmt writes e as text lines, each starting with sign.
func (d *differ) stmt(path []string, sign byte, e *elem) {
	d.at(path)
	var tb strings.Builder
	printStmt(&tb, e, 1, "")
	for _, line := range strings.SplitAfter(tb.String(), "\n") {
		if line == "" {
			continue
		}
		d.b.WriteByte(sign)
		d.b.WriteString(line[1:])
	}
}

// kids compares the children of two matching statements at path.
func (d *differ) kids(o, n *elem, path []string) {
	j := 0
	done := make([]bool, len(o.kids))
	// flush reports the removed statements that come before nk.
	flush := func(nk *elem) {
		for x := j; x < len(o.kids); x++ {
			ok := o.kids[x]
			if done[x] || ok.s.ord > nk.s.ord {
				break
			}
			if ok.sameKey(nk) {
				break
			}
			if n.find(ok) < 0 {
				d.stmt(path, '-', ok)
				done[x] = true
			}
		}
	}
	for _, nk := range n.kids {
		flush(nk)
		m := -1
		for x := j; x < len(o.kids); x++ {
			if o.kids[x].sameKey(nk) {
				m = x
				break
			}
		}
		if m >= 0 {
			for x := j; x < m; x++ {
				if !done[x] && n.find(o.kids[x]) < 0 {
					d.stmt(path, '-', o.kids[x])
					done[x] = true
				}
			}
			j = m + 1
			d.pair(o.kids[m], nk, path)
			continue
		}
		if i := o.find(nk); i >= 0 {
			d.pair(o.kids[i], nk, path) // moved backwards: compare in place
			continue
		}
		d.stmt(path, '+', nk)
	}
	for x := j; x < len(o.kids); x++ {
		if !done[x] && n.find(o.kids[x]) < 0 {
			d.stmt(path, '-', o.kids[x])
		}
	}
}

func (d *differ) pair(o, n *elem, path []string) {
	if o == n || elemEqual(o, n) {
		return
	}
	if !n.s.kind.hasBlock() {
		if o.val != n.val || !strSliceEqual(o.more, n.more) {
			d.stmt(path, '-', o)
			d.stmt(path, '+', n)
			return
		}
	}
	if o.inactive() != n.inactive() {
		d.at(path)
		var hb strings.Builder
		head(n, &hb)
		if n.inactive() {
			d.b.WriteString("!    inactive: ")
		} else {
			d.b.WriteString("!    active: ")
		}
		d.b.WriteString(hb.String())
		if n.s.kind.hasBlock() && len(n.kids) > 0 {
			d.b.WriteString(" { ... }")
		} else {
			d.b.WriteByte(';')
		}
		d.b.WriteByte('\n')
	}
	if n.s.kind.hasBlock() {
		d.kids(o, n, stepWords(n, path[:len(path):len(path)]))
	}
}

func strSliceEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
