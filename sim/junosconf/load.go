package junosconf

import (
	"fmt"
	"slices"
)

// Format is a configuration syntax.
type Format uint8

// The formats Junos loads and prints.
const (
	FormatText Format = iota // curly braces, as `show configuration`
	FormatSet                // set / delete / activate / deactivate lines
	FormatXML                // <configuration> as get-configuration returns
)

// String returns "text", "set" or "xml".
func (f Format) String() string {
	switch f {
	case FormatText:
		return "text"
	case FormatSet:
		return "set"
	case FormatXML:
		return "xml"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat parses "text", "set" or "xml" (the load-configuration format
// attribute).
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text":
		return FormatText, nil
	case "set":
		return FormatSet, nil
	case "xml":
		return FormatXML, nil
	}
	return 0, fmt.Errorf("junosconf: unknown format %q (want text, set or xml)", s)
}

// Action is a load-configuration action.
type Action uint8

// The load actions of Junos' load-configuration.
const (
	ActionMerge    Action = iota // combine with the existing configuration
	ActionReplace                // merge, but replace: statements replace whole subtrees
	ActionOverride               // the input becomes the whole configuration
	ActionUpdate                 // like override; only changed statements are touched
	ActionSet                    // set / delete / activate / deactivate commands
)

// String returns the action's load-configuration name.
func (a Action) String() string {
	switch a {
	case ActionMerge:
		return "merge"
	case ActionReplace:
		return "replace"
	case ActionOverride:
		return "override"
	case ActionUpdate:
		return "update"
	case ActionSet:
		return "set"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// ParseAction parses "merge", "replace", "override", "update" or "set".
func ParseAction(s string) (Action, error) {
	switch s {
	case "merge":
		return ActionMerge, nil
	case "replace":
		return ActionReplace, nil
	case "override":
		return ActionOverride, nil
	case "update":
		return ActionUpdate, nil
	case "set":
		return ActionSet, nil
	}
	return 0, fmt.Errorf("junosconf: unknown action %q (want merge, replace, override, update or set)", s)
}

// Parse reads a whole configuration in format f for family fam into a new
// tree (a load merge into an empty configuration). Errors are [Errors]
// wrapping [ErrSyntax], [ErrNotInFamily] or [ErrInvalidValue].
func Parse(f Format, body []byte, fam Family) (*Tree, error) {
	t := &Tree{}
	a := ActionMerge
	if f == FormatSet {
		a = ActionSet
	}
	if err := t.Load(a, f, body, fam); err != nil {
		return nil, err
	}
	return t, nil
}

// Load applies body to t as Junos' load-configuration does with action a and
// format f, for a device of family fam. It is atomic: on error t is
// unchanged. Statement attributes:
//   - text: "inactive:" and "active:" set or clear the inactive mark;
//     "delete:" removes the statement; "replace:" replaces the statement's
//     subtree, honoured with ActionReplace only (merged otherwise).
//   - XML: inactive="inactive", active="active", delete="delete" and
//     operation="delete|remove" remove; replace="replace" replaces with
//     ActionReplace only; operation="replace" (NETCONF) replaces with every
//     action; operation="create" fails if the statement exists; namespaces and
//     junos: attributes are ignored.
//
// ActionSet takes set-format commands (FormatSet, or FormatText as Junos'
// action="set" format="text"); FormatSet is accepted with ActionMerge too.
// Deleting, activating or deactivating a statement that is not there does
// nothing (Junos warns "statement not found").
func (t *Tree) Load(a Action, f Format, body []byte, fam Family) error {
	if fam&familyAll == 0 {
		return Errors{newErr(ErrNotInFamily, nil, "", "no software family given", 0)}
	}
	var base *elem
	if t.root != nil && a != ActionOverride && a != ActionUpdate {
		base = t.root
	}
	w := newWorking(base)
	if a == ActionSet || f == FormatSet {
		if f == FormatXML || (a != ActionSet && a != ActionMerge) {
			return Errors{newErr(ErrSyntax, nil, "", fmt.Sprintf("action %s does not take format %s", a, f), 0)}
		}
		cmds, err := lexSet(body)
		if err != nil {
			return Errors{err}
		}
		for _, c := range cmds {
			ed, err := editForCmd(c, fam)
			if err != nil {
				return Errors{err}
			}
			if ed.flags&fDelete != 0 {
				w.root = &elem{s: root, own: w.tok}
				continue
			}
			if err := w.apply(w.root, ed, ActionMerge, nil); err != nil {
				err.Line = c.line
				return Errors{err}
			}
		}
		t.root, t.depth = w.root, 0
		return nil
	}
	var ed *elem
	var perr *Error
	switch f {
	case FormatText:
		ed, perr = parseText(body, fam)
	case FormatXML:
		ed, perr = parseXML(body, fam)
	default:
		return Errors{newErr(ErrSyntax, nil, "", "unknown format "+f.String(), 0)}
	}
	if perr != nil {
		return Errors{perr}
	}
	if err := w.apply(w.root, ed, a, nil); err != nil {
		return Errors{err}
	}
	if a == ActionUpdate && t.root != nil {
		w.root = share(w.root, t.root)
	}
	t.root, t.depth = w.root, 0
	return nil
}

// apply merges the edit tree src into dst, which w owns.
func (w *working) apply(dst, src *elem, a Action, path []string) *Error {
	for _, sk := range src.kids {
		i := dst.find(sk)
		if sk.flags&fDelete != 0 {
			if i < 0 {
				continue
			}
			d := dst.kids[i]
			if sk.s.kind == kLeafList && len(sk.more) > 0 {
				d = w.child(dst, i)
				d.more = slices.DeleteFunc(slices.Clone(d.more), func(v string) bool { return containsStr(sk.more, v) })
				if len(d.more) > 0 {
					continue
				}
			}
			dst.kids = slices.Delete(dst.kids, i, i+1)
			continue
		}
		if sk.flags&fPathOnly != 0 && i < 0 {
			continue
		}
		if sk.flags&fCreate != 0 && i >= 0 {
			return newErr(ErrSyntax, path, sk.s.name, "statement already exists", 0)
		}
		replace := sk.flags&fReplaceNow != 0 || (a == ActionReplace && sk.flags&fReplace != 0)
		var d *elem
		switch {
		case sk.flags&fPathOnly != 0:
			d = w.child(dst, i)
		case i < 0 || replace:
			d = w.materialize(sk)
			if i < 0 {
				i = w.insert(dst, d)
			} else {
				d.flags |= dst.kids[i].flags & fInactive
				dst.kids[i] = d
			}
		default:
			d = w.child(dst, i)
			switch sk.s.kind {
			case kLeaf:
				d.val = sk.val
			case kLeafList:
				for _, v := range sk.more {
					if !containsStr(d.more, v) {
						d.more = append(d.more, v)
					}
				}
			}
			if len(sk.kids) > 0 {
				if err := w.apply(d, sk, a, stepWords(d, path[:len(path):len(path)])); err != nil {
					return err
				}
			}
		}
		if sk.flags&fPathOnly != 0 && len(sk.kids) > 0 {
			if err := w.apply(d, sk, a, stepWords(d, path[:len(path):len(path)])); err != nil {
				return err
			}
		}
		if sk.flags&fDeactivate != 0 {
			d.flags |= fInactive
		}
		if sk.flags&fActivate != 0 {
			d.flags &^= fInactive
		}
	}
	return nil
}

// materialize turns an edit subtree into stored statements: edit markers
// are dropped and delete statements vanish.
func (w *working) materialize(sk *elem) *elem {
	d := &elem{s: sk.s, val: sk.val, more: sk.more, own: w.tok}
	if sk.flags&fDeactivate != 0 {
		d.flags |= fInactive
	}
	if d.s.kind == kLeaf && d.val == noValueMarker {
		d.val = ""
	}
	if len(sk.kids) > 0 {
		d.kids = make([]*elem, 0, len(sk.kids))
		for _, k := range sk.kids {
			if k.flags&(fDelete|fPathOnly) != 0 {
				continue
			}
			d.kids = append(d.kids, w.materialize(k))
		}
	}
	return d
}

// share returns n with every subtree equal to the matching one in o replaced
// by o's, so that an update keeps untouched statements as they were.
func share(n, o *elem) *elem {
	if elemEqual(n, o) {
		return o
	}
	for i, k := range n.kids {
		if j := o.find(k); j >= 0 {
			n.kids[i] = share(k, o.kids[j])
		}
	}
	return n
}

// Set applies one configuration-mode set command, without the word "set":
// t.Set("interfaces ge-0/0/1 description uplink", fam). Atomic.
func (t *Tree) Set(line string, fam Family) error {
	return t.Load(ActionSet, FormatSet, []byte("set "+line), fam)
}

// Delete removes the statement at a configuration-mode path, without the
// word "delete": t.Delete("interfaces ge-0/0/1 unit 100"). Deleting what is
// not there is no error. The whole configuration goes with an empty path.
func (t *Tree) Delete(path string) error {
	return t.Load(ActionSet, FormatSet, []byte("delete "+path), allFamilies)
}
