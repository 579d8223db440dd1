package secpolicy

import (
	"fmt"
	"net/netip"
	"testing"
)

// BenchmarkCompile500 compiles and analyses 500 rules in one zone pair
// (Analyze compares every rule with the earlier ones: 124,750 pairs).
func BenchmarkCompile500(b *testing.B) {
	p := Policy{Tenant: "acme"}
	for i := range 500 {
		p.Rules = append(p.Rules, Rule{Name: fmt.Sprintf("r%d", i), From: "trust", To: "untrust",
			Sources:      []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)},
			Applications: []string{"junos-http"}, Action: Action(1 + i%3)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Compile(p); err != nil {
			b.Fatal(err)
		}
	}
}
