package zonepolicy

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

var pairs = []Pair{
	{From: "trust", To: "untrust", Policies: []Policy{
		{Name: "web", Source: []string{"lan"}, Destination: []string{"any"}, Application: []string{"junos-http", "junos-https"},
			Action: Permit, UTMPolicy: "web filter", Log: true},
		{Name: "rest", Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"any"}, Action: Deny},
	}},
	{From: "untrust", To: "trust", Policies: []Policy{
		{Name: "no", Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"any"}, Action: Reject}}},
}

func TestAppendSet(t *testing.T) {
	t.Parallel()
	want := `set security policies from-zone trust to-zone untrust policy web match source-address lan
set security policies from-zone trust to-zone untrust policy web match destination-address any
set security policies from-zone trust to-zone untrust policy web match application junos-http
set security policies from-zone trust to-zone untrust policy web match application junos-https
set security policies from-zone trust to-zone untrust policy web then permit application-services utm-policy "web filter"
set security policies from-zone trust to-zone untrust policy web then log session-init
set security policies from-zone trust to-zone untrust policy web then log session-close
set security policies from-zone trust to-zone untrust policy rest match source-address any
set security policies from-zone trust to-zone untrust policy rest match destination-address any
set security policies from-zone trust to-zone untrust policy rest match application any
set security policies from-zone trust to-zone untrust policy rest then deny
set security policies from-zone untrust to-zone trust policy no match source-address any
set security policies from-zone untrust to-zone trust policy no match destination-address any
set security policies from-zone untrust to-zone trust policy no match application any
set security policies from-zone untrust to-zone trust policy no then reject
`
	if d := cmp.Diff(want, string(AppendSet([]byte{}, pairs))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	wantDel := `delete security policies from-zone trust to-zone untrust policy web
delete security policies from-zone trust to-zone untrust policy rest
delete security policies from-zone untrust to-zone trust policy no
`
	if d := cmp.Diff("x\n"+wantDel, string(AppendDeleteSet([]byte("x\n"), pairs))); d != "" {
		t.Errorf("delete (-want +got):\n%s", d)
	}
	nat := []SourceNAT{{RuleSet: "out", From: "trust", To: "untrust", Rules: []NATRule{
		{Name: "a", Source: []string{"10.0.0.0/24"}}, {Name: "b", Destination: []string{"0.0.0.0/0"}, Pool: "p1"}}}}
	wantNAT := `x
set security nat source rule-set out from zone trust
set security nat source rule-set out to zone untrust
set security nat source rule-set out rule a match source-address 10.0.0.0/24
set security nat source rule-set out rule a then source-nat interface
set security nat source rule-set out rule b match destination-address 0.0.0.0/0
set security nat source rule-set out rule b then source-nat pool p1
`
	if d := cmp.Diff(wantNAT, string(AppendNATSet([]byte("x\n"), nat))); d != "" {
		t.Errorf("nat (-want +got):\n%s", d)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	bad := []Pair{
		{From: "", To: "b", Policies: nil},
		{From: "a", To: "b", Policies: []Policy{{Name: "x\ny", Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"any"}, Action: Permit}}},
		{From: "a", To: "b", Policies: []Policy{{Name: "x", Destination: []string{"any"}, Application: []string{"any"}, Action: Permit}}},
		{From: "a", To: "b", Policies: []Policy{{Name: "x", Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"any"}, Action: "allow"}}},
	}
	for i, p := range bad {
		if err := Check([]Pair{p}); !errors.Is(err, jtree.ErrBadValue) {
			t.Errorf("bad[%d]: %v", i, err)
		}
	}
	if err := Check(pairs); err != nil {
		t.Error(err)
	}
	if err := CheckNAT([]SourceNAT{{RuleSet: "r", From: "a", To: "b", Rules: []NATRule{{Name: "n"}}}}); !errors.Is(err, jtree.ErrBadValue) {
		t.Errorf("empty nat match: %v", err)
	}
}

func TestXMLAgainstYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	nat := []SourceNAT{{RuleSet: "out", From: "trust", To: "untrust", Rules: []NATRule{{Name: "a", Source: []string{"10.0.0.0/24"}}}}}
	docs := []yangcheck.Doc{{Name: "policies", XML: AppendXML(nil, pairs, false)}, {Name: "removal", XML: AppendXML(nil, pairs, true)},
		{Name: "nat", XML: AppendNATXML(nil, nat)}}
	for _, fam := range []yangcheck.Family{yangcheck.FamilyES, yangcheck.FamilyNFX} {
		if err := chk.Validate(context.Background(), fam, docs...); err != nil {
			t.Errorf("%s: %v", fam, err)
		}
	}
}
