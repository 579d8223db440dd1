package secpolicy

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

var (
	lan  = netip.MustParsePrefix("10.1.0.0/16")
	eng  = netip.MustParsePrefix("10.1.2.0/24")
	srv  = netip.MustParsePrefix("192.0.2.0/24")
	host = netip.MustParsePrefix("192.0.2.10/32")
)

func TestAnalyze(t *testing.T) {
	t.Parallel()
	base := Rule{Name: "web", From: "trust", To: "untrust", Sources: []netip.Prefix{lan}, Applications: []string{"junos-http", "junos-https"}, Action: Permit}
	tests := []struct {
		name   string
		rules  []Rule
		want   []Finding
		reason string
	}{
		{name: "disjoint rules: nothing",
			rules: []Rule{base, {Name: "dns", From: "trust", To: "untrust", Applications: []string{"junos-dns-udp"}, Action: Permit}}},
		{name: "deny after broader permit is shadowed",
			rules: []Rule{base, {Name: "no-eng-web", Group: "engineering", From: "trust", To: "untrust", Sources: []netip.Prefix{eng}, Applications: []string{"junos-http"}, Action: Deny}},
			want: []Finding{{Rule: "shadowed", Severity: Error, Path: "rules[1] no-eng-web", Group: "engineering",
				Message: `"no-eng-web" (deny) never takes effect: "web" (rules[0] web, permit) matches all its traffic first`}}},
		{name: "same effect is redundant",
			rules: []Rule{base, {Name: "eng-web", From: "trust", To: "untrust", Sources: []netip.Prefix{eng}, Applications: []string{"junos-https"}, Action: Permit}},
			want: []Finding{{Rule: "redundant", Severity: Warning, Path: "rules[1] eng-web",
				Message: `"eng-web" matches nothing "web" (rules[0] web) does not match first with the same effect`}}},
		{name: "same match other UTM is shadowed", reason: "the later rule's UTM profile would never apply",
			rules: []Rule{base, {Name: "web-utm", From: "trust", To: "untrust", Sources: []netip.Prefix{lan}, Applications: []string{"junos-http"}, Action: Permit, UTMProfile: "av"}},
			want: []Finding{{Rule: "shadowed", Severity: Error, Path: "rules[1] web-utm",
				Message: `"web-utm" (permit) never takes effect: "web" (rules[0] web, permit) matches all its traffic first`}}},
		{name: "partial overlap with other action",
			rules: []Rule{{Name: "no-srv", From: "trust", To: "untrust", Destinations: []netip.Prefix{host}, Action: Deny}, {Name: "srv", From: "trust", To: "untrust", Destinations: []netip.Prefix{srv}, Action: Permit}},
			want: []Finding{{Rule: "overlap", Severity: Info, Path: "rules[1] srv",
				Message: `"srv" (permit) and earlier "no-srv" (rules[0] no-srv, deny) both match some traffic; the earlier wins`}}},
		{name: "narrow first then broad: intended exception, overlap only",
			rules: []Rule{{Name: "no-eng", From: "trust", To: "untrust", Sources: []netip.Prefix{eng}, Action: Deny}, base},
			want: []Finding{{Rule: "overlap", Severity: Info, Path: "rules[1] web",
				Message: `"web" (permit) and earlier "no-eng" (rules[0] no-eng, deny) both match some traffic; the earlier wins`}}},
		{name: "other zone pair never shadows",
			rules: []Rule{base, {Name: "in", From: "untrust", To: "trust", Sources: []netip.Prefix{eng}, Action: Deny}}},
		{name: "any application covers a list",
			rules: []Rule{{Name: "all", From: "trust", To: "untrust", Action: Deny}, base},
			want: []Finding{{Rule: "shadowed", Severity: Error, Path: "rules[1] web",
				Message: `"web" (permit) never takes effect: "all" (rules[0] all, deny) matches all its traffic first`}}},
		{name: "a list does not cover any",
			rules: []Rule{base, {Name: "all", From: "trust", To: "untrust", Sources: []netip.Prefix{lan}, Action: Deny}},
			want: []Finding{{Rule: "overlap", Severity: Info, Path: "rules[1] all",
				Message: `"all" (deny) and earlier "web" (rules[0] web, permit) both match some traffic; the earlier wins`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Analyze(Policy{Tenant: "acme", Rules: tt.rules})
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	good := Rule{Name: "web", From: "trust", To: "untrust", Action: Permit}
	tests := []struct {
		name string
		mod  func(*Policy)
	}{
		{"hostile tenant", func(p *Policy) { p.Tenant = "a\"b" }},
		{"rule name with space", func(p *Policy) { p.Rules[0].Name = "allow web" }},
		{"rule name with newline", func(p *Policy) { p.Rules[0].Name = "x\nset system" }},
		{"duplicate rule", func(p *Policy) { p.Rules = append(p.Rules, p.Rules[0]) }},
		{"zone with brace", func(p *Policy) { p.Rules[0].To = "untrust}" }},
		{"no action", func(p *Policy) { p.Rules[0].Action = ActionNone }},
		{"host bits set", func(p *Policy) { p.Rules[0].Sources = []netip.Prefix{netip.MustParsePrefix("10.1.2.3/24")} }},
		{"application any spelled out", func(p *Policy) { p.Rules[0].Applications = []string{"any"} }},
		{"nat on deny", func(p *Policy) { p.Rules[0].Action, p.Rules[0].NAT = Deny, NAT{Interface: true} }},
		{"utm on reject", func(p *Policy) { p.Rules[0].Action, p.Rules[0].UTMProfile = Reject, "av" }},
		{"two nat targets", func(p *Policy) { p.Rules[0].NAT = NAT{Interface: true, Pool: "p"} }},
		{"hostile utm", func(p *Policy) { p.Rules[0].UTMProfile = "av;" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Policy{Tenant: "acme", Rules: []Rule{good}}
			tt.mod(&p)
			if _, _, err := Compile(p); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Compile: %v, want ErrInvalid", err)
			}
		})
	}
}

func sample() Policy {
	return Policy{Tenant: "acme", Rules: []Rule{
		{Name: "no-eng-ssh", Group: "engineering", From: "trust", To: "untrust", Sources: []netip.Prefix{eng}, Applications: []string{"junos-ssh"}, Action: Reject, Log: true},
		{Name: "web", Group: "lyon", From: "trust", To: "untrust", Sources: []netip.Prefix{lan}, Applications: []string{"junos-http", "junos-https"},
			Action: Permit, NAT: NAT{Interface: true}, UTMProfile: "web-filter"},
		{Name: "servers", From: "untrust", To: "dmz", Destinations: []netip.Prefix{srv}, Applications: []string{"junos-https"}, Action: Permit},
		{Name: "deny-rest", From: "trust", To: "untrust", Action: Deny},
	}}
}

func TestCompileYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	c, findings, err := Compile(sample())
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 2 || findings[0].Rule != "overlap" || findings[1].Rule != "overlap" {
		t.Errorf("findings: %+v", findings)
	}
	docs := []yangcheck.Doc{{Name: "addresses", XML: c.AddressXML}, {Name: "policies", XML: c.PoliciesXML}, {Name: "nat", XML: c.NATXML}}
	for _, fam := range []yangcheck.Family{yangcheck.FamilyES, yangcheck.FamilyNFX} {
		if err := chk.Validate(context.Background(), fam, docs...); err != nil {
			t.Errorf("%s: %v", fam, err)
		}
	}
	set := string(c.Set)
	for _, w := range []string{
		"set security address-book global address acme-10.1.0.0_16 10.1.0.0/16",
		"set security policies from-zone trust to-zone untrust policy acme-web then permit application-services utm-policy web-filter",
		"set security policies from-zone trust to-zone untrust policy acme-no-eng-ssh then reject",
		"set security nat source rule-set acme-trust-untrust rule web match source-address 10.1.0.0/16",
		"set security nat source rule-set acme-trust-untrust rule web then source-nat interface",
		"set security policies from-zone untrust to-zone dmz policy acme-servers match destination-address acme-192.0.2.0_24",
	} {
		if !strings.Contains(set, w) {
			t.Errorf("set lacks %q:\n%s", w, set)
		}
	}
	// Rules keep their order within a zone pair.
	if strings.Index(set, "policy acme-no-eng-ssh") > strings.Index(set, "policy acme-web") ||
		strings.Index(set, "policy acme-web") > strings.Index(set, "policy acme-deny-rest") {
		t.Errorf("rule order lost:\n%s", set)
	}
	if !strings.Contains(string(c.Delete), "delete security policies from-zone trust to-zone untrust policy acme-web\n") ||
		!strings.Contains(string(c.Delete), "delete security nat source rule-set acme-trust-untrust\n") {
		t.Errorf("delete:\n%s", c.Delete)
	}
}
