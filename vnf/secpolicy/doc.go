// Package secpolicy compiles intent-based firewall rules into SRX security
// policy and reports rules that conflict with or shadow one another.
//
// # Rules
//
// A [Policy] is one tenant's ordered list of [Rule]s: from a zone and source
// prefixes to a zone and destination prefixes, for some applications, an
// [Action] (permit, deny, reject), with optional source [NAT] and a UTM
// profile on permit rules, grouped by site or department. The first rule
// that matches a session decides, as on an SRX.
//
// # Findings
//
// [Analyze] compares each rule with the earlier rules of its zone pair and
// returns [Finding]s: "shadowed" (an Error: an earlier rule matches all its
// traffic with another effect, so it never applies), "redundant" (a
// Warning: the same, with the same effect) and "overlap" (Info: an earlier
// rule with another action matches part of its traffic).
//
// # Compiling
//
// [Compile] writes the global address book entries, the zone-pair policies
// and the source NAT rule sets as <configuration> documents and set lines,
// plus the lines that delete them. Every name it writes starts with the
// tenant, so two tenants' policies on one firewall never collide and one
// tenant's removal never touches another's. The tests check the documents
// against Juniper's junos-es and junos-nfx YANG models and commit a policy
// to the simulator's SRX.
//
// # Concurrency
//
// The package is pure: plain values in, plain values out, no shared state.
package secpolicy
