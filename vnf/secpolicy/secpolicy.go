package secpolicy

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/vnf/internal/zonepolicy"
)

// ErrInvalid is wrapped by errors for policies that cannot be compiled.
var ErrInvalid = errors.New("secpolicy: invalid")

// Action is what a rule does with matching traffic. The zero Action is
// invalid.
type Action uint8

const (
	// ActionNone is the zero value: unset.
	ActionNone Action = iota
	// Permit lets the session through (with NAT and UTM if the rule says).
	Permit
	// Deny drops it silently.
	Deny
	// Reject drops it and answers with a TCP reset or ICMP unreachable.
	Reject
)

func (a Action) String() string {
	return [...]string{"", "permit", "deny", "reject", "?"}[min(int(a), 4)]
}

// NAT is the source translation a permit rule applies.
type NAT struct {
	// Interface translates to the egress interface's address.
	Interface bool
	// Pool names a source NAT pool (defined elsewhere) instead.
	Pool string
}

// Rule is one intent: traffic from a zone and sources to a zone and
// destinations, for some applications, is permitted or refused.
type Rule struct {
	// Name identifies the rule within the policy: 1–32 of [a-z0-9-],
	// starting with a letter.
	Name string
	// Group is the site or department the rule belongs to (same naming;
	// "" none); it only groups findings and output.
	Group string
	// From and To are the security zones.
	From, To string
	// Sources and Destinations are prefixes; empty means any.
	Sources, Destinations []netip.Prefix
	// Applications are Junos application names ("junos-http"); empty
	// means any.
	Applications []string
	Action       Action
	// NAT and UTMProfile apply to Permit rules only.
	NAT        NAT
	UTMProfile string
	// Log records session start and end.
	Log bool
}

// Policy is one tenant's ordered rule list: the first matching rule wins.
type Policy struct {
	Tenant string
	Rules  []Rule
}

// Validate reports the first malformed field. Errors wrap ErrInvalid.
func (p Policy) Validate() error {
	if err := checkName("tenant", p.Tenant, 16); err != nil {
		return fmt.Errorf("secpolicy: %w", err)
	}
	seen := map[string]bool{}
	for i, r := range p.Rules {
		bad := func(format string, a ...any) error {
			return fmt.Errorf("secpolicy: tenant %q rules[%d] %q: %s: %w", p.Tenant, i, r.Name, fmt.Sprintf(format, a...), ErrInvalid)
		}
		if err := checkName("rule", r.Name, 32); err != nil {
			return bad("%v", err)
		}
		if seen[r.Name] {
			return bad("name used twice")
		}
		seen[r.Name] = true
		for _, f := range [...]struct{ what, v string }{{"group", r.Group}, {"utm profile", r.UTMProfile}, {"nat pool", r.NAT.Pool}} {
			if f.v != "" {
				if err := checkName(f.what, f.v, 32); err != nil {
					return bad("%v", err)
				}
			}
		}
		for _, z := range []string{r.From, r.To} {
			if err := checkName("zone", z, 32); err != nil {
				return bad("%v", err)
			}
		}
		for _, a := range r.Applications {
			if err := checkName("application", a, 64); err != nil || a == "any" {
				return bad("application %q: want a name of a-z, 0-9 and '-' (leave the list empty for any)", a)
			}
		}
		for _, pf := range slices.Concat(r.Sources, r.Destinations) {
			if !pf.IsValid() || pf != pf.Masked() {
				return bad("prefix %v: want a valid network prefix (host bits zero)", pf)
			}
		}
		if r.Action < Permit || r.Action > Reject {
			return bad("no action")
		}
		if r.Action != Permit && (r.NAT != NAT{} || r.UTMProfile != "") {
			return bad("NAT and UTM apply to permit rules only")
		}
		if r.NAT.Interface && r.NAT.Pool != "" {
			return bad("NAT to the interface and to pool %q at once", r.NAT.Pool)
		}
	}
	return nil
}

func checkName(what, s string, max int) error {
	ok := len(s) > 0 && len(s) <= max && s[0] >= 'a' && s[0] <= 'z' && s[len(s)-1] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("%s %q: want 1-%d of a-z, 0-9 and '-', starting with a letter: %w", what, s, max, ErrInvalid)
	}
	return nil
}

// Severity of a Finding.
type Severity uint8

const (
	// Info: worth knowing, order-dependent but intended.
	Info Severity = iota + 1
	// Warning: a rule has no effect but changes nothing (redundant).
	Warning
	// Error: a rule never takes effect and would have done something else.
	Error
)

func (s Severity) String() string {
	return [...]string{"", "info", "warning", "error", "?"}[min(int(s), 4)]
}

// Finding is one problem Analyze found.
type Finding struct {
	// Rule is the check: "shadowed", "redundant" or "overlap".
	Rule     string
	Severity Severity
	// Path names the affected rule: "rules[3] allow-web"; Group is its
	// site or department.
	Path    string
	Group   string
	Message string
}

// covers reports whether every prefix of inner lies within some prefix of
// outer (an empty list is any).
func covers(outer, inner []netip.Prefix) bool {
	if len(outer) == 0 {
		return true
	}
	if len(inner) == 0 {
		return false
	}
	for _, in := range inner {
		if !slices.ContainsFunc(outer, func(o netip.Prefix) bool { return o.Bits() <= in.Bits() && o.Contains(in.Addr()) }) {
			return false
		}
	}
	return true
}

func overlaps(a, b []netip.Prefix) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, x := range a {
		if slices.ContainsFunc(b, x.Overlaps) {
			return true
		}
	}
	return false
}

func appsCover(outer, inner []string) bool {
	if len(outer) == 0 {
		return true
	}
	return len(inner) > 0 && !slices.ContainsFunc(inner, func(a string) bool { return !slices.Contains(outer, a) })
}

func appsOverlap(a, b []string) bool {
	return len(a) == 0 || len(b) == 0 || slices.ContainsFunc(a, func(x string) bool { return slices.Contains(b, x) })
}

func sameEffect(a, b Rule) bool {
	return a.Action == b.Action && a.NAT == b.NAT && a.UTMProfile == b.UTMProfile && a.Log == b.Log
}

// Analyze reports, for each rule, the earlier rule of the same zone pair
// that matches everything it matches (the rule never takes effect:
// "shadowed", an Error when the effects differ, "redundant", a Warning,
// when they are the same), and earlier rules that match part of its
// traffic with another action ("overlap", Info: order decides). Findings
// are sorted by rule position, then check. Analyze does not validate p.
func Analyze(p Policy) []Finding {
	var out []Finding
	path := func(i int) string { return "rules[" + strconv.Itoa(i) + "] " + p.Rules[i].Name }
	for j, rj := range p.Rules {
		for i := range j {
			ri := p.Rules[i]
			if ri.From != rj.From || ri.To != rj.To {
				continue
			}
			full := covers(ri.Sources, rj.Sources) && covers(ri.Destinations, rj.Destinations) && appsCover(ri.Applications, rj.Applications)
			switch {
			case full && sameEffect(ri, rj):
				out = append(out, Finding{Rule: "redundant", Severity: Warning, Path: path(j),
					Message: fmt.Sprintf("%q matches nothing %q (%s) does not match first with the same effect", rj.Name, ri.Name, path(i))})
			case full:
				out = append(out, Finding{Rule: "shadowed", Severity: Error, Path: path(j),
					Message: fmt.Sprintf("%q (%s) never takes effect: %q (%s, %s) matches all its traffic first", rj.Name, rj.Action, ri.Name, path(i), ri.Action)})
			case ri.Action != rj.Action && overlaps(ri.Sources, rj.Sources) && overlaps(ri.Destinations, rj.Destinations) && appsOverlap(ri.Applications, rj.Applications):
				out = append(out, Finding{Rule: "overlap", Severity: Info, Path: path(j),
					Message: fmt.Sprintf("%q (%s) and earlier %q (%s, %s) both match some traffic; the earlier wins", rj.Name, rj.Action, ri.Name, path(i), ri.Action)})
			default:
				continue
			}
			out[len(out)-1].Group = rj.Group
			if full {
				break // one shadowing rule is enough
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		ia, _ := strconv.Atoi(a.Path[len("rules["):strings.IndexByte(a.Path, ']')])
		ib, _ := strconv.Atoi(b.Path[len("rules["):strings.IndexByte(b.Path, ']')])
		return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// Config is a compiled policy for an SRX (or an NFX's security): the global
// address book entries, the zone-pair policies and the source NAT, each a
// <configuration> document (NATXML is nil without NAT), and all of it as
// set lines.
type Config struct {
	AddressXML, PoliciesXML, NATXML, Set []byte
	// Delete holds the set lines that remove the tenant's policies, NAT
	// rule sets and address book entries.
	Delete []byte
}

// addrName names a prefix in the address book: "<tenant>-10.1.0.0_16".
func addrName(tenant string, p netip.Prefix) string {
	return tenant + "-" + p.Addr().String() + "_" + strconv.Itoa(p.Bits())
}

// Compile validates p, analyses it, and writes its SRX configuration:
// policy names are "<tenant>-<rule>", so tenants never collide; zone pairs
// keep first-use order and rules their order within each pair; each permit
// rule with NAT adds a rule to the tenant's source NAT rule set of that zone
// pair. Compile is pure; the findings are Analyze's. Errors wrap ErrInvalid.
func Compile(p Policy) (Config, []Finding, error) {
	if err := p.Validate(); err != nil {
		return Config{}, nil, err
	}
	var addrs []zonepolicy.Address
	seenAddr := map[netip.Prefix]bool{}
	names := func(ps []netip.Prefix) []string {
		if len(ps) == 0 {
			return []string{"any"}
		}
		var out []string
		for _, pf := range ps {
			if !seenAddr[pf] {
				seenAddr[pf] = true
				addrs = append(addrs, zonepolicy.Address{Name: addrName(p.Tenant, pf), Prefix: pf.String()})
			}
			out = append(out, addrName(p.Tenant, pf))
		}
		return out
	}
	prefixes := func(ps []netip.Prefix, anyv string) []string {
		if len(ps) == 0 {
			return []string{anyv}
		}
		var out []string
		for _, pf := range ps {
			out = append(out, pf.String())
		}
		return out
	}
	var pairs []zonepolicy.Pair
	var nat []zonepolicy.SourceNAT
	for _, r := range p.Rules {
		i := slices.IndexFunc(pairs, func(x zonepolicy.Pair) bool { return x.From == r.From && x.To == r.To })
		if i < 0 {
			pairs = append(pairs, zonepolicy.Pair{From: r.From, To: r.To})
			i = len(pairs) - 1
		}
		apps := r.Applications
		if len(apps) == 0 {
			apps = []string{"any"}
		}
		pairs[i].Policies = append(pairs[i].Policies, zonepolicy.Policy{Name: p.Tenant + "-" + r.Name,
			Source: names(r.Sources), Destination: names(r.Destinations), Application: slices.Clone(apps),
			Action: zonepolicy.Action(r.Action.String()), UTMPolicy: r.UTMProfile, Log: r.Log})
		if r.NAT != (NAT{}) {
			rs := p.Tenant + "-" + r.From + "-" + r.To
			k := slices.IndexFunc(nat, func(x zonepolicy.SourceNAT) bool { return x.RuleSet == rs })
			if k < 0 {
				nat = append(nat, zonepolicy.SourceNAT{RuleSet: rs, From: r.From, To: r.To})
				k = len(nat) - 1
			}
			nat[k].Rules = append(nat[k].Rules, zonepolicy.NATRule{Name: r.Name,
				Source: prefixes(r.Sources, "0.0.0.0/0"), Destination: prefixes(r.Destinations, "0.0.0.0/0"), Pool: r.NAT.Pool})
		}
	}
	if err := errors.Join(zonepolicy.Check(pairs), zonepolicy.CheckNAT(nat)); err != nil {
		return Config{}, nil, fmt.Errorf("secpolicy: tenant %q: %w: %w", p.Tenant, ErrInvalid, err)
	}
	c := Config{PoliciesXML: zonepolicy.AppendXML(nil, pairs, false)}
	if len(addrs) > 0 {
		c.AddressXML = zonepolicy.AppendAddressXML(nil, addrs)
	}
	if len(nat) > 0 {
		c.NATXML = zonepolicy.AppendNATXML(nil, nat)
	}
	c.Set = zonepolicy.AppendNATSet(zonepolicy.AppendSet(zonepolicy.AppendAddressSet(nil, addrs), pairs), nat)
	c.Delete = zonepolicy.AppendDeleteSet(nil, pairs)
	for _, n := range nat {
		c.Delete = append(append(c.Delete, "delete security nat source rule-set "+n.RuleSet...), '\n')
	}
	for _, a := range addrs {
		c.Delete = append(append(c.Delete, "delete security address-book global address "+a.Name...), '\n')
	}
	return c, Analyze(p), nil
}
