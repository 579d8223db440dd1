package secpolicy_test

import (
	"fmt"
	"net/netip"

	"github.com/carrierkit/carrierkit/vnf/secpolicy"
)

// Example compiles a three-rule policy whose last rule can never match.
func Example() {
	lan := netip.MustParsePrefix("10.1.0.0/16")
	eng := netip.MustParsePrefix("10.1.2.0/24")
	p := secpolicy.Policy{Tenant: "acme", Rules: []secpolicy.Rule{
		{Name: "web", Group: "lyon", From: "trust", To: "untrust", Sources: []netip.Prefix{lan},
			Applications: []string{"junos-http", "junos-https"}, Action: secpolicy.Permit, NAT: secpolicy.NAT{Interface: true}},
		{Name: "rest", From: "trust", To: "untrust", Action: secpolicy.Deny},
		{Name: "no-eng-web", Group: "engineering", From: "trust", To: "untrust", Sources: []netip.Prefix{eng},
			Applications: []string{"junos-http"}, Action: secpolicy.Reject},
	}}
	c, findings, err := secpolicy.Compile(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(c.Set))
	for _, f := range findings {
		fmt.Println(f.Severity, f.Rule, f.Path)
	}
	// Output:
	// set security address-book global address acme-10.1.0.0_16 10.1.0.0/16
	// set security address-book global address acme-10.1.2.0_24 10.1.2.0/24
	// set security policies from-zone trust to-zone untrust policy acme-web match source-address acme-10.1.0.0_16
	// set security policies from-zone trust to-zone untrust policy acme-web match destination-address any
	// set security policies from-zone trust to-zone untrust policy acme-web match application junos-http
	// set security policies from-zone trust to-zone untrust policy acme-web match application junos-https
	// set security policies from-zone trust to-zone untrust policy acme-web then permit
	// set security policies from-zone trust to-zone untrust policy acme-rest match source-address any
	// set security policies from-zone trust to-zone untrust policy acme-rest match destination-address any
	// set security policies from-zone trust to-zone untrust policy acme-rest match application any
	// set security policies from-zone trust to-zone untrust policy acme-rest then deny
	// set security policies from-zone trust to-zone untrust policy acme-no-eng-web match source-address acme-10.1.2.0_24
	// set security policies from-zone trust to-zone untrust policy acme-no-eng-web match destination-address any
	// set security policies from-zone trust to-zone untrust policy acme-no-eng-web match application junos-http
	// set security policies from-zone trust to-zone untrust policy acme-no-eng-web then reject
	// set security nat source rule-set acme-trust-untrust from zone trust
	// set security nat source rule-set acme-trust-untrust to zone untrust
	// set security nat source rule-set acme-trust-untrust rule web match source-address 10.1.0.0/16
	// set security nat source rule-set acme-trust-untrust rule web match destination-address 0.0.0.0/0
	// set security nat source rule-set acme-trust-untrust rule web then source-nat interface
	// info overlap rules[1] rest
	// error shadowed rules[2] no-eng-web
}
