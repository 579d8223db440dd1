package prefixset_test

import (
	"fmt"
	"net/netip"

	"github.com/carrierkit/carrierkit/pool/internal/prefixset"
)

func ExampleSet_NextFree() {
	pool := netip.MustParsePrefix("10.0.0.0/24")
	var used prefixset.Set
	used.Add(netip.MustParsePrefix("10.0.0.0/31"))
	used.Add(netip.MustParsePrefix("10.0.0.4/32"))

	p31, _ := used.NextFree(pool, 31, netip.Addr{})
	p30, _ := used.NextFree(pool, 30, netip.Addr{})
	after, _ := used.NextFree(pool, 31, netip.MustParseAddr("10.0.0.9"))
	fmt.Println(p31, p30, after)
	// Output: 10.0.0.2/31 10.0.0.8/30 10.0.0.10/31
}

func ExampleSet_Add() {
	var used prefixset.Set
	fmt.Println(used.Add(netip.MustParsePrefix("2001:db8::/64")))
	fmt.Println(used.Add(netip.MustParsePrefix("2001:db8::/48"))) // contains the /64
	other, _ := used.Overlapping(netip.MustParsePrefix("2001:db8::/48"))
	fmt.Println(other)
	// Output:
	// true
	// false
	// 2001:db8::/64
}
