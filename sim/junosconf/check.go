package junosconf

import (
	"fmt"
	"strings"
)

// Check runs the semantic checks `commit check` does beyond the schema on the
// active part of t (inactive statements are ignored) for a device of family
// fam, and returns every failure, each wrapping [ErrCheck] (or
// [ErrNotInFamily]); nil means the configuration would commit. The rules:
//
//   - family: every statement must exist in fam (security only on junos-es
//     and junos-nfx; virtual-network-functions and vmhost only on junos-nfx).
//   - interface references: an interface named in protocols l2circuit,
//     mpls, ldp or rsvp, or in a routing instance (its interface list, vpls
//     and l2vpn sites) must be configured as a unit under interfaces; a name
//     without a unit means unit 0.
//   - l2circuit encapsulation: an l2circuit's unit needs encapsulation
//     vlan-ccc or ethernet-ccc, family ccc, or an IFD encapsulation of
//     ethernet-ccc or extended-vlan-ccc.
//   - one l2circuit per interface, across all neighbors.
//   - routing instances: vrf and l2vpn instances, and vpls instances
//     without LDP signalling (vpls-id or neighbor), need a
//     route-distinguisher and either vrf-target or both vrf-import and
//     vrf-export; a unit belongs to at most one routing instance.
//   - VLANs: a unit with vlan-id needs vlan-tagging, flexible-vlan-tagging or
//     stacked-vlan-tagging on its interface, and vlan-id is unique per
//     physical interface.
//   - MPLS: a label-switched-path needs "to".
func Check(t *Tree, fam Family) Errors {
	var errs Errors
	add := func(path []string, el, format string, args ...any) {
		errs = append(errs, &Error{Severity: "error", Path: banner(path), Element: el,
			Message: fmt.Sprintf(format, args...), err: ErrCheck})
	}
	if t.IsEmpty() {
		return nil
	}
	checkFamily(t.root, fam, nil, &errs)
	a := t.Active()
	if a.IsEmpty() {
		return errs
	}
	r := a.root

	type unitInfo struct {
		ifd, unit *elem
	}
	units := map[string]unitInfo{}
	if ifs := kid(r, "interfaces"); ifs != nil {
		for _, ifd := range kidsOf(ifs, "interface") {
			tagged := kid(ifd, "vlan-tagging") != nil || kid(ifd, "flexible-vlan-tagging") != nil ||
				kid(ifd, "stacked-vlan-tagging") != nil
			vlans := map[string]string{}
			for _, u := range kidsOf(ifd, "unit") {
				units[ifd.val+"."+u.val] = unitInfo{ifd, u}
				v := kid(u, "vlan-id")
				if v == nil {
					continue
				}
				path := []string{"interfaces", quoteValue(ifd.val), "unit", u.val}
				if !tagged {
					add(path, "vlan-id", "vlan-id %s needs vlan-tagging, flexible-vlan-tagging or stacked-vlan-tagging on %s", v.val, ifd.val)
				}
				if other, dup := vlans[v.val]; dup {
					add(path, "vlan-id", "vlan-id %s is already used by unit %s of %s", v.val, other, ifd.val)
				} else {
					vlans[v.val] = u.val
				}
			}
		}
	}
	unitName := func(n string) string {
		if n == "all" || strings.Contains(n, ".") {
			return n
		}
		return n + ".0"
	}
	ref := func(path []string, el, name string) (unitInfo, bool) {
		n := unitName(name)
		if n == "all" {
			return unitInfo{}, false
		}
		u, ok := units[n]
		if !ok {
			add(path, el, "referenced interface %s is not configured under [edit interfaces]", n)
		}
		return u, ok
	}
	if p := kid(r, "protocols"); p != nil {
		for _, proto := range []string{"mpls", "ldp", "rsvp"} {
			if pe := kid(p, proto); pe != nil {
				for _, i := range kidsOf(pe, "interface") {
					ref([]string{"protocols", proto}, "interface", i.val)
				}
			}
		}
		if mpls := kid(p, "mpls"); mpls != nil {
			for _, lsp := range kidsOf(mpls, "label-switched-path") {
				if kid(lsp, "to") == nil {
					add([]string{"protocols", "mpls", "label-switched-path", quoteValue(lsp.val)}, "to",
						"label-switched-path %s needs a destination (to)", lsp.val)
				}
			}
		}
		if l2c := kid(p, "l2circuit"); l2c != nil {
			seen := map[string]string{}
			for _, nb := range kidsOf(l2c, "neighbor") {
				for _, i := range kidsOf(nb, "interface") {
					path := []string{"protocols", "l2circuit", "neighbor", nb.val, "interface", quoteValue(i.val)}
					n := unitName(i.val)
					if other, dup := seen[n]; dup {
						add(path, "interface", "interface %s is already used by the l2circuit to neighbor %s", n, other)
					} else {
						seen[n] = nb.val
					}
					u, ok := ref(path, "interface", i.val)
					if !ok {
						continue
					}
					enc := leafVal(u.unit, "encapsulation")
					ifdEnc := leafVal(u.ifd, "encapsulation")
					fam := kid(u.unit, "family")
					ccc := fam != nil && kid(fam, "ccc") != nil
					if enc != "vlan-ccc" && enc != "ethernet-ccc" && !ccc && ifdEnc != "ethernet-ccc" &&
						ifdEnc != "extended-vlan-ccc" {
						add(path, "interface", "interface %s carries an l2circuit but has no circuit cross-connect encapsulation (vlan-ccc, ethernet-ccc or family ccc)", n)
					}
				}
			}
		}
	}
	if ris := kid(r, "routing-instances"); ris != nil {
		owner := map[string]string{}
		for _, ri := range kidsOf(ris, "instance") {
			path := []string{"routing-instances", quoteValue(ri.val)}
			claim := func(p []string, name string) {
				n := unitName(name)
				if other, dup := owner[n]; dup && other != ri.val {
					add(p, "interface", "interface %s already belongs to routing instance %s", n, other)
				} else {
					owner[n] = ri.val
				}
			}
			for _, i := range kidsOf(ri, "interface") {
				ref(path, "interface", i.val)
				claim(path, i.val)
			}
			typ := leafVal(ri, "instance-type")
			needVPN := typ == "vrf" || typ == "l2vpn"
			if typ == "vpls" {
				needVPN = true
				if pr := kid(ri, "protocols"); pr != nil {
					if v := kid(pr, "vpls"); v != nil && (kid(v, "vpls-id") != nil || len(kidsOf(v, "neighbor")) > 0) {
						needVPN = false
					}
				}
			}
			if needVPN {
				if kid(ri, "route-distinguisher") == nil {
					add(path, "route-distinguisher", "routing instance %s of type %s needs a route-distinguisher", ri.val, typ)
				}
				if kid(ri, "vrf-target") == nil && (kid(ri, "vrf-import") == nil || kid(ri, "vrf-export") == nil) {
					add(path, "vrf-target", "routing instance %s of type %s needs vrf-target or both vrf-import and vrf-export", ri.val, typ)
				}
			}
			if pr := kid(ri, "protocols"); pr != nil {
				for _, proto := range []string{"vpls", "l2vpn"} {
					pe := kid(pr, proto)
					if pe == nil {
						continue
					}
					for _, site := range kidsOf(pe, "site") {
						sp := append(path[:len(path):len(path)], "protocols", proto, "site", quoteValue(site.val))
						for _, i := range kidsOf(site, "interface") {
							ref(sp, "interface", i.val)
						}
					}
				}
			}
		}
	}
	return errs
}

func checkFamily(e *elem, fam Family, path []string, errs *Errors) {
	for _, k := range e.kids {
		if k.s.fam&fam == 0 {
			*errs = append(*errs, &Error{Severity: "error", Path: banner(path), Element: k.s.name,
				Message: fmt.Sprintf("syntax error: %s is not available on %s", k.s.name, fam), err: ErrNotInFamily})
			continue
		}
		if k.s.kind.hasBlock() {
			checkFamily(k, fam, stepWords(k, path[:len(path):len(path)]), errs)
		}
	}
}

// kid returns the first child of e with CLI name n.
func kid(e *elem, n string) *elem {
	for _, k := range e.kids {
		if k.s.name == n {
			return k
		}
	}
	return nil
}

func kidsOf(e *elem, n string) []*elem {
	var out []*elem
	for _, k := range e.kids {
		if k.s.name == n {
			out = append(out, k)
		}
	}
	return out
}

func leafVal(e *elem, n string) string {
	if k := kid(e, n); k != nil {
		return k.val
	}
	return ""
}
