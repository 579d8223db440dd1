package pool_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// An E-LINE needs a VLAN on the UNI at each end and a VC ID; it gets all
// three in one claim, or nothing.
func ExampleManager_Claim() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"100-4000"}, Scoped: true})
	m.CreatePool(ctx, pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1000-9999"}})

	c, err := m.Claim(ctx, "eline-42",
		pool.Request{Name: "vc", Pool: "vcid"},
		pool.Request{Name: "a", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1"},
		pool.Request{Name: "z", Pool: "uni-vlan", Scope: "pe2:ge-0/0/2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range c.Items {
		fmt.Println(it.Name, it.Scope, it.Value)
	}
	vc, _ := c.Get("vc")
	fmt.Println("VC ID as netid.VCID:", vc.VCID())
	// Output:
	// vc  1000
	// a pe1:ge-0/0/1 100
	// z pe2:ge-0/0/2 100
	// VC ID as netid.VCID: 1000
}

// Asking again for the same owner returns what it holds, so an OSS can retry
// a claim whose answer it never saw.
func ExampleManager_Claim_idempotent() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1000-9999"}})

	first, _ := m.Claim(ctx, "eline-42", pool.Request{Name: "vc", Pool: "vcid"})
	again, _ := m.Claim(ctx, "eline-42", pool.Request{Name: "vc", Pool: "vcid"})
	fmt.Println(first.Items[0].Value, again.Items[0].Value, first.Revision == again.Revision)
	// Output:
	// 1000 1000 true
}

// Brownfield: mark what the network already uses, under an owner that says
// where it came from. A later request for the same value names the holder.
func ExampleManager_Claim_brownfield() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"100-4000"}, Scoped: true})

	m.Claim(ctx, "discovered:pe1:ge-0/0/1.100",
		pool.Request{Name: "vlan", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "100"})
	_, err := m.Claim(ctx, "eline-7",
		pool.Request{Name: "vlan", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "100"})
	fmt.Println(errors.Is(err, pool.ErrTaken))
	fmt.Println(err)
	// Output:
	// true
	// pool: claim "eline-7": pool "uni-vlan" scope "pe1:ge-0/0/1" value 100: taken by another owner "discovered:pe1:ge-0/0/1.100"
}

// SameAs asks for one number across pools: here VLAN = VC ID, at both ends.
func ExampleRequest_sameAs() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "vlan", Kind: pool.KindVLAN, Ranges: []string{"100-4000"}, Scoped: true})
	m.CreatePool(ctx, pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"100-4000"}})
	m.Claim(ctx, "old", pool.Request{Name: "v", Pool: "vlan", Scope: "pe2:ge-0/0/2", Value: "100"})

	c, _ := m.Claim(ctx, "eline-9",
		pool.Request{Name: "vc", Pool: "vcid"},
		pool.Request{Name: "a", Pool: "vlan", Scope: "pe1:ge-0/0/1", SameAs: "vc"},
		pool.Request{Name: "z", Pool: "vlan", Scope: "pe2:ge-0/0/2", SameAs: "vc"})
	fmt.Println(c.Items[0].Value, c.Items[1].Value, c.Items[2].Value)
	// Output:
	// 101 101 101
}

// Subnets and addresses come from prefix pools; each request may ask for its
// own length.
func ExampleManager_Claim_prefixes() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "pe-ce", Kind: pool.KindIPv4, Ranges: []string{"192.0.2.0/24"}, Length: 31})
	m.CreatePool(ctx, pool.Spec{Name: "lan6", Kind: pool.KindIPv6, Ranges: []string{"2001:db8::/32"}, Length: 64})

	c, _ := m.Claim(ctx, "l3vpn-blue/paris",
		pool.Request{Name: "link", Pool: "pe-ce"},
		pool.Request{Name: "mgmt", Pool: "pe-ce", Length: 29},
		pool.Request{Name: "lan", Pool: "lan6"})
	for _, it := range c.Items {
		fmt.Println(it.Name, it.Value)
	}
	// Output:
	// link 192.0.2.0/31
	// mgmt 192.0.2.8/29
	// lan 2001:db8::/64
}

// Preview is a dry run: it shows what a claim would get and keeps nothing.
func ExampleManager_Preview() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "rt", Kind: pool.KindRT, Admin: "65000", Ranges: []string{"100-199"}})

	p, _ := m.Preview(ctx, "l3vpn-blue", pool.Request{Name: "rt", Pool: "rt"})
	u, _ := m.Usage(ctx, "rt")
	fmt.Println(p.Items[0].Value, u.Held)
	// Output:
	// target:65000:100 0
}

// Release frees every value an owner holds; releasing again says so.
func ExampleManager_Release() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "rd", Kind: pool.KindRD, Admin: "192.0.2.1", Ranges: []string{"1-100"}})

	m.Claim(ctx, "vpls-3/pe1", pool.Request{Name: "rd", Pool: "rd"})
	c, _ := m.Release(ctx, "vpls-3/pe1")
	fmt.Println("released", c.Items[0].Value)
	_, err := m.Release(ctx, "vpls-3/pe1")
	fmt.Println(errors.Is(err, pool.ErrNoClaim))
	// Output:
	// released 192.0.2.1:1
	// true
}

// Usage counts what every process holds, per scope for scoped pools.
func ExampleManager_Usage() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	m.CreatePool(ctx, pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1-10"}, LowWater: 50})
	for i := range 6 {
		m.Claim(ctx, fmt.Sprint("pw-", i), pool.Request{Name: "vc", Pool: "vcid"})
	}
	u, _ := m.Usage(ctx, "vcid")
	fmt.Printf("size %d, held %d, free %d, low %t\n", u.Size, u.Held, u.Free, u.Low)
	// Output:
	// size 10, held 6, free 4, low true
}

// A pool grows freely and shrinks only where nothing is held.
func ExampleManager_UpdatePool() {
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	spec := pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1-10"}}
	m.CreatePool(ctx, spec)
	m.Claim(ctx, "pw-1", pool.Request{Name: "vc", Pool: "vcid", Value: "7"})

	spec.Ranges = []string{"1-5"}
	err := m.UpdatePool(ctx, spec)
	fmt.Println(errors.Is(err, pool.ErrPoolInUse))
	fmt.Println(err)

	spec.Ranges = []string{"1-10", "1000-1999"}
	fmt.Println(m.UpdatePool(ctx, spec))
	// Output:
	// true
	// pool: update: pool "vcid": pool in use: held values outside the new ranges: 7 (pw-1)
	// <nil>
}

// Validate names the field and quotes the input.
func ExampleSpec_Validate() {
	err := pool.Spec{Name: "metro", Kind: pool.KindVLAN, Ranges: []string{"100-4095"}}.Validate()
	fmt.Println(err)
	// Output:
	// pool: pool "metro": ranges: "100-4095" is outside 1-4094, the values a vlan pool can hold: invalid
}
