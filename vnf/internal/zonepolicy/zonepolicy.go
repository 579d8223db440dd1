// Package zonepolicy prints SRX security policies — the list keyed by two
// zones ("from-zone A to-zone B policy P"), which the shared Junos tree
// cannot express — as set lines and as a <configuration> document.
//
// # Concurrency
//
// Everything here is pure; values are plain data.
package zonepolicy

import (
	"fmt"
	"strings"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// Action is what a policy does with matching traffic.
type Action string

// The actions a policy takes.
const (
	Permit Action = "permit"
	Deny   Action = "deny"
	Reject Action = "reject"
)

// Policy is one rule in a zone pair, in evaluation order.
type Policy struct {
	Name                string
	Source, Destination []string // address-book names or "any"
	Application         []string // "any", "junos-http" …
	Action              Action
	// UTMPolicy, when set with Permit, applies that UTM policy
	// (then permit application-services utm-policy).
	UTMPolicy string
	// Log records session init and close.
	Log bool
}

// Pair is the policies from one zone to another.
type Pair struct {
	From, To string
	Policies []Policy
}

// Check reports a value no form can carry (control characters, empty names).
func Check(pairs []Pair) error {
	for _, p := range pairs {
		for _, v := range []string{p.From, p.To} {
			if v == "" || jtree.CheckValue(v) != nil {
				return fmt.Errorf("zone %q: %w", v, jtree.ErrBadValue)
			}
		}
		for _, pol := range p.Policies {
			vals := append([]string{pol.Name, string(pol.Action), pol.UTMPolicy}, pol.Source...)
			vals = append(append(vals, pol.Destination...), pol.Application...)
			for _, v := range vals {
				if jtree.CheckValue(v) != nil {
					return fmt.Errorf("policy %q value %q: %w", pol.Name, v, jtree.ErrBadValue)
				}
			}
			if pol.Name == "" || len(pol.Source) == 0 || len(pol.Destination) == 0 || len(pol.Application) == 0 {
				return fmt.Errorf("policy %q from %s to %s: empty name or match: %w", pol.Name, p.From, p.To, jtree.ErrBadValue)
			}
			switch pol.Action {
			case Permit, Deny, Reject:
			default:
				return fmt.Errorf("policy %q: action %q: %w", pol.Name, pol.Action, jtree.ErrBadValue)
			}
		}
	}
	return nil
}

func word(b []byte, s string) []byte { return jtree.AppendQuoted(append(b, ' '), s) }

// AppendSet appends the set lines of pairs (Check them first).
func AppendSet(b []byte, pairs []Pair) []byte {
	for _, p := range pairs {
		for _, pol := range p.Policies {
			head := word(word(word([]byte("set security policies from-zone"), p.From), "to-zone"), p.To)
			head = word(word(head, "policy"), pol.Name)
			line := func(words ...string) {
				b = append(b, head...)
				for _, w := range words {
					b = word(b, w)
				}
				b = append(b, '\n')
			}
			for _, v := range pol.Source {
				line("match", "source-address", v)
			}
			for _, v := range pol.Destination {
				line("match", "destination-address", v)
			}
			for _, v := range pol.Application {
				line("match", "application", v)
			}
			switch {
			case pol.Action == Permit && pol.UTMPolicy != "":
				line("then", "permit", "application-services", "utm-policy", pol.UTMPolicy)
			default:
				line("then", string(pol.Action))
			}
			if pol.Log {
				line("then", "log", "session-init")
				line("then", "log", "session-close")
			}
		}
	}
	return b
}

// AppendDeleteSet appends delete lines removing each policy of pairs.
func AppendDeleteSet(b []byte, pairs []Pair) []byte {
	for _, p := range pairs {
		for _, pol := range p.Policies {
			b = word(word(word(word(word(append(b, "delete security policies from-zone"...), p.From), "to-zone"), p.To), "policy"), pol.Name)
			b = append(b, '\n')
		}
	}
	return b
}

func elem(b []byte, indent int, name, val string) []byte {
	b = append(b, strings.Repeat("  ", indent)...)
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = jtree.AppendXMLEscaped(b, val)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, ">\n"...)
}

func line(b []byte, indent int, s string) []byte {
	return append(append(append(b, strings.Repeat("  ", indent)...), s...), '\n')
}

// AppendXML appends pairs as a <configuration> document. With remove, each
// policy is marked operation="delete" and carries only its name.
func AppendXML(b []byte, pairs []Pair, remove bool) []byte {
	b = line(b, 0, "<configuration>")
	b = line(b, 1, "<security>")
	b = line(b, 2, "<policies>")
	for _, p := range pairs {
		b = line(b, 3, "<policy>")
		b = elem(b, 4, "from-zone-name", p.From)
		b = elem(b, 4, "to-zone-name", p.To)
		for _, pol := range p.Policies {
			if remove {
				b = line(b, 4, `<policy operation="delete">`)
				b = elem(b, 5, "name", pol.Name)
				b = line(b, 4, "</policy>")
				continue
			}
			b = line(b, 4, "<policy>")
			b = elem(b, 5, "name", pol.Name)
			b = line(b, 5, "<match>")
			for _, v := range pol.Source {
				b = elem(b, 6, "source-address", v)
			}
			for _, v := range pol.Destination {
				b = elem(b, 6, "destination-address", v)
			}
			for _, v := range pol.Application {
				b = elem(b, 6, "application", v)
			}
			b = line(b, 5, "</match>")
			b = line(b, 5, "<then>")
			switch {
			case pol.Action == Permit && pol.UTMPolicy != "":
				b = line(b, 6, "<permit>")
				b = line(b, 7, "<application-services>")
				b = elem(b, 8, "utm-policy", pol.UTMPolicy)
				b = line(b, 7, "</application-services>")
				b = line(b, 6, "</permit>")
			default:
				b = line(b, 6, "<"+string(pol.Action)+"/>")
			}
			if pol.Log {
				b = line(b, 6, "<log>")
				b = line(b, 7, "<session-init/>")
				b = line(b, 7, "<session-close/>")
				b = line(b, 6, "</log>")
			}
			b = line(b, 5, "</then>")
			b = line(b, 4, "</policy>")
		}
		b = line(b, 3, "</policy>")
	}
	b = line(b, 2, "</policies>")
	b = line(b, 1, "</security>")
	return line(b, 0, "</configuration>")
}

// SourceNAT is a source NAT rule set translating traffic from one zone to
// another to the egress interface's address or to a pool.
type SourceNAT struct {
	RuleSet, From, To string
	Rules             []NATRule
}

// NATRule is one rule of a SourceNAT rule set.
type NATRule struct {
	Name                string
	Source, Destination []string // prefixes
	// Pool names a source pool; "" translates to the interface address.
	Pool string
}

// CheckNAT reports a value no form can carry.
func CheckNAT(sets []SourceNAT) error {
	for _, s := range sets {
		vals := []string{s.RuleSet, s.From, s.To}
		for _, r := range s.Rules {
			vals = append(append(append(vals, r.Name), r.Source...), r.Destination...)
			if r.Pool != "" {
				vals = append(vals, r.Pool)
			}
			if len(r.Source) == 0 && len(r.Destination) == 0 {
				return fmt.Errorf("nat rule %q: empty match: %w", r.Name, jtree.ErrBadValue)
			}
		}
		for _, v := range vals {
			if v == "" || jtree.CheckValue(v) != nil {
				return fmt.Errorf("nat rule-set %q value %q: %w", s.RuleSet, v, jtree.ErrBadValue)
			}
		}
	}
	return nil
}

// AppendNATSet appends the set lines of sets.
func AppendNATSet(b []byte, sets []SourceNAT) []byte {
	for _, s := range sets {
		out := func(words ...string) {
			b = word(append(b, "set security nat source rule-set"...), s.RuleSet)
			for _, w := range words {
				b = word(b, w)
			}
			b = append(b, '\n')
		}
		out("from", "zone", s.From)
		out("to", "zone", s.To)
		for _, r := range s.Rules {
			for _, v := range r.Source {
				out("rule", r.Name, "match", "source-address", v)
			}
			for _, v := range r.Destination {
				out("rule", r.Name, "match", "destination-address", v)
			}
			if r.Pool == "" {
				out("rule", r.Name, "then", "source-nat", "interface")
			} else {
				out("rule", r.Name, "then", "source-nat", "pool", r.Pool)
			}
		}
	}
	return b
}

// AppendNATXML appends sets as a <configuration> document.
func AppendNATXML(b []byte, sets []SourceNAT) []byte {
	b = line(b, 0, "<configuration>")
	b = line(b, 1, "<security>")
	b = line(b, 2, "<nat>")
	b = line(b, 3, "<source>")
	for _, s := range sets {
		b = line(b, 4, "<rule-set>")
		b = elem(b, 5, "name", s.RuleSet)
		b = line(b, 5, "<from>")
		b = elem(b, 6, "zone", s.From)
		b = line(b, 5, "</from>")
		b = line(b, 5, "<to>")
		b = elem(b, 6, "zone", s.To)
		b = line(b, 5, "</to>")
		for _, r := range s.Rules {
			b = line(b, 5, "<rule>")
			b = elem(b, 6, "name", r.Name)
			b = line(b, 6, "<src-nat-rule-match>")
			for _, v := range r.Source {
				b = elem(b, 7, "source-address", v)
			}
			for _, v := range r.Destination {
				b = elem(b, 7, "destination-address", v)
			}
			b = line(b, 6, "</src-nat-rule-match>")
			b = line(b, 6, "<then>")
			b = line(b, 7, "<source-nat>")
			if r.Pool == "" {
				b = line(b, 8, "<interface/>")
			} else {
				b = line(b, 8, "<pool>")
				b = elem(b, 9, "pool-name", r.Pool)
				b = line(b, 8, "</pool>")
			}
			b = line(b, 7, "</source-nat>")
			b = line(b, 6, "</then>")
			b = line(b, 5, "</rule>")
		}
		b = line(b, 4, "</rule-set>")
	}
	b = line(b, 3, "</source>")
	b = line(b, 2, "</nat>")
	b = line(b, 1, "</security>")
	return line(b, 0, "</configuration>")
}

// Address is one entry of the global address book: a name for a prefix.
type Address struct{ Name, Prefix string }

// AppendAddressSet appends the set lines of the global address book entries.
func AppendAddressSet(b []byte, as []Address) []byte {
	for _, a := range as {
		b = append(word(word(append(b, "set security address-book global address"...), a.Name), a.Prefix), '\n')
	}
	return b
}

// AppendAddressXML appends the global address book entries as a
// <configuration> document.
func AppendAddressXML(b []byte, as []Address) []byte {
	b = line(b, 0, "<configuration>")
	b = line(b, 1, "<security>")
	b = line(b, 2, "<address-book>")
	b = elem(b, 3, "name", "global")
	for _, a := range as {
		b = line(b, 3, "<address>")
		b = elem(b, 4, "name", a.Name)
		b = elem(b, 4, "ip-prefix", a.Prefix)
		b = line(b, 3, "</address>")
	}
	b = line(b, 2, "</address-book>")
	b = line(b, 1, "</security>")
	return line(b, 0, "</configuration>")
}
