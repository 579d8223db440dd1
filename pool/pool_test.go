package pool_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// newManager returns a Manager over a fresh in-memory store holding specs.
func newManager(t *testing.T, specs ...pool.Spec) (*pool.Manager, store.Store) {
	t.Helper()
	st := store.NewMemory()
	t.Cleanup(func() { st.Close() })
	m := pool.New(st)
	for _, s := range specs {
		if err := m.CreatePool(context.Background(), s); err != nil {
			t.Fatalf("CreatePool(%s): %v", s.Name, err)
		}
	}
	return m, st
}

var (
	uniVLANs = pool.Spec{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"100-199"}, Scoped: true}
	vcids    = pool.Spec{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1000-1999"}}
)

func eline(n int, a, b string) []pool.Request {
	return []pool.Request{
		{Name: "a", Pool: "uni-vlan", Scope: a},
		{Name: "b", Pool: "uni-vlan", Scope: b},
		{Name: "vc", Pool: "vcid"},
	}
}

// values renders a claim as "name=value" pairs for comparisons.
func values(c pool.Claim) string {
	var parts []string
	for _, it := range c.Items {
		parts = append(parts, it.Name+"="+it.Value.String())
	}
	return strings.Join(parts, " ")
}

func TestClaimELine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, _ := newManager(t, uniVLANs, vcids)

	c1, err := m.Claim(ctx, "eline-1", eline(1, "pe1:ge-0/0/1", "pe2:ge-0/0/2")...)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(c1), "a=100 b=100 vc=1000"; got != want {
		t.Errorf("first E-LINE got %q, want %q (VLANs are per interface)", got, want)
	}
	c2, err := m.Claim(ctx, "eline-2", eline(2, "pe1:ge-0/0/1", "pe3:ge-0/0/3")...)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(c2), "a=101 b=100 vc=1001"; got != want {
		t.Errorf("second E-LINE got %q, want %q", got, want)
	}
	if v, _ := c2.Get("vc"); v.VCID() != 1001 || v.Kind() != pool.KindVCID {
		t.Errorf("Get(vc) = %v (%v), want VC ID 1001", v, v.Kind())
	}
	if c2.Revision <= c1.Revision {
		t.Errorf("revisions %d then %d, want increasing", c1.Revision, c2.Revision)
	}

	// Idempotent: the same owner gets the same values, not new ones.
	again, err := m.Claim(ctx, "eline-1", eline(1, "pe1:ge-0/0/1", "pe2:ge-0/0/2")...)
	if err != nil {
		t.Fatal(err)
	}
	if values(again) != values(c1) || again.Revision != c1.Revision {
		t.Errorf("repeated claim got %q rev %d, want %q rev %d", values(again), again.Revision, values(c1), c1.Revision)
	}
	// A different request under the same owner is refused.
	_, err = m.Claim(ctx, "eline-1", eline(1, "pe1:ge-0/0/1", "pe9:ge-0/0/9")...)
	if !errors.Is(err, pool.ErrMismatch) {
		t.Errorf("mismatched repeat: err = %v, want ErrMismatch", err)
	}

	// Release frees everything; the lowest values come back.
	rel, err := m.Release(ctx, "eline-1")
	if err != nil {
		t.Fatal(err)
	}
	if values(rel) != values(c1) {
		t.Errorf("Release returned %q, want %q", values(rel), values(c1))
	}
	if _, err := m.Release(ctx, "eline-1"); !errors.Is(err, pool.ErrNoClaim) {
		t.Errorf("second Release: err = %v, want ErrNoClaim", err)
	}
	if _, err := m.Lookup(ctx, "eline-1"); !errors.Is(err, pool.ErrNoClaim) {
		t.Errorf("Lookup after release: err = %v, want ErrNoClaim", err)
	}
	c3, err := m.Claim(ctx, "eline-3", eline(3, "pe1:ge-0/0/1", "pe2:ge-0/0/2")...)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(c3), "a=100 b=100 vc=1000"; got != want {
		t.Errorf("claim after release got %q, want %q", got, want)
	}
}

func TestClaimAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tiny := pool.Spec{Name: "tiny", Kind: pool.KindVCID, Ranges: []string{"1-1"}}
	m, st := newManager(t, uniVLANs, tiny)

	if _, err := m.Claim(ctx, "first", pool.Request{Name: "vc", Pool: "tiny"}); err != nil {
		t.Fatal(err)
	}
	// The VLANs would fit, the VC ID does not: nothing may be kept.
	_, err := m.Claim(ctx, "second",
		pool.Request{Name: "a", Pool: "uni-vlan", Scope: "pe1:xe-0/0/0"},
		pool.Request{Name: "b", Pool: "uni-vlan", Scope: "pe2:xe-0/0/0"},
		pool.Request{Name: "vc", Pool: "tiny"})
	if !errors.Is(err, pool.ErrExhausted) {
		t.Fatalf("err = %v, want ErrExhausted", err)
	}
	var pe *pool.Error
	if !errors.As(err, &pe) || pe.Pool != "tiny" || pe.Owner != "second" {
		t.Errorf("error %v does not name pool tiny and owner second", err)
	}
	if !strings.Contains(err.Error(), `"tiny"`) {
		t.Errorf("message %q does not name the pool", err)
	}
	u, err := m.Usage(ctx, "uni-vlan")
	if err != nil {
		t.Fatal(err)
	}
	if u.Held != 0 {
		t.Errorf("uni-vlan holds %d values after a failed claim, want 0", u.Held)
	}
	n := 0
	st.List(ctx, "pool/alloc/uni-vlan/", func(store.Item) error { n++; return nil })
	if n != 0 {
		t.Errorf("store holds %d uni-vlan allocations after a failed claim", n)
	}
	if _, err := m.Lookup(ctx, "second"); !errors.Is(err, pool.ErrNoClaim) {
		t.Errorf("Lookup(second) err = %v, want ErrNoClaim", err)
	}
}

func TestBrownfieldAndOwnerConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, _ := newManager(t, uniVLANs, vcids)

	// Mark what the network already uses.
	c, err := m.Claim(ctx, "brownfield:pe1:ge-0/0/1.150",
		pool.Request{Name: "vlan", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "150"},
		pool.Request{Name: "vc", Pool: "vcid", Value: "1500"})
	if err != nil {
		t.Fatal(err)
	}
	if got := values(c); got != "vlan=150 vc=1500" {
		t.Errorf("brownfield claim = %q", got)
	}
	tests := []struct {
		name    string
		req     pool.Request
		wantErr error
		holder  string
	}{
		{"taken", pool.Request{Name: "v", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "150"}, pool.ErrTaken, "brownfield:pe1:ge-0/0/1.150"},
		{"taken vcid", pool.Request{Name: "v", Pool: "vcid", Value: "1500"}, pool.ErrTaken, "brownfield:pe1:ge-0/0/1.150"},
		{"other interface is free", pool.Request{Name: "v", Pool: "uni-vlan", Scope: "pe1:ge-0/0/2", Value: "150"}, nil, ""},
		{"out of range", pool.Request{Name: "v", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "99"}, pool.ErrOutOfRange, ""},
		{"not a VLAN", pool.Request{Name: "v", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "4095"}, pool.ErrInvalid, ""},
		{"unknown pool", pool.Request{Name: "v", Pool: "nope"}, pool.ErrUnknownPool, ""},
		{"scope missing", pool.Request{Name: "v", Pool: "uni-vlan"}, pool.ErrInvalid, ""},
		{"scope on unscoped pool", pool.Request{Name: "v", Pool: "vcid", Scope: "x"}, pool.ErrInvalid, ""},
	}
	for i, tt := range tests {
		_, err := m.Claim(ctx, fmt.Sprintf("svc-%d", i), tt.req)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.holder != "" {
			var pe *pool.Error
			if !errors.As(err, &pe) || pe.Holder != tt.holder || !strings.Contains(err.Error(), tt.holder) {
				t.Errorf("%s: error %q does not name holder %q", tt.name, err, tt.holder)
			}
		}
	}
	// Automatic claims skip the brownfield value.
	u, _ := m.Usage(ctx, "vcid")
	if u.Held != 1 {
		t.Errorf("vcid holds %d, want 1", u.Held)
	}
}

func TestSameAs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	vl := pool.Spec{Name: "vl", Kind: pool.KindVLAN, Ranges: []string{"100-4094"}, Scoped: true}
	vc := pool.Spec{Name: "vc", Kind: pool.KindVCID, Ranges: []string{"100-4094"}}
	m, _ := newManager(t, vl, vc)
	// Make 100 and 101 busy on one side, 102 in the VC ID pool.
	for _, r := range []pool.Request{
		{Name: "x", Pool: "vl", Scope: "pe1:ge-0/0/1", Value: "100"},
		{Name: "y", Pool: "vl", Scope: "pe1:ge-0/0/1", Value: "101"},
		{Name: "z", Pool: "vc", Value: "102"},
	} {
		if _, err := m.Claim(ctx, "busy-"+r.Name, r); err != nil {
			t.Fatal(err)
		}
	}
	c, err := m.Claim(ctx, "eline-same",
		pool.Request{Name: "vc", Pool: "vc"},
		pool.Request{Name: "a", Pool: "vl", Scope: "pe1:ge-0/0/1", SameAs: "vc"},
		pool.Request{Name: "b", Pool: "vl", Scope: "pe2:ge-0/0/1", SameAs: "vc"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(c), "vc=103 a=103 b=103"; got != want {
		t.Errorf("VLAN = VC ID claim got %q, want %q", got, want)
	}
	// Same value twice in one scope is impossible, and says so.
	_, err = m.Claim(ctx, "bad",
		pool.Request{Name: "a", Pool: "vl", Scope: "s"},
		pool.Request{Name: "b", Pool: "vl", Scope: "s", SameAs: "a"})
	if !errors.Is(err, pool.ErrInvalid) {
		t.Errorf("sameAs within one scope: err = %v, want ErrInvalid", err)
	}
	// Idempotent repeat of a sameAs claim.
	again, err := m.Claim(ctx, "eline-same",
		pool.Request{Name: "vc", Pool: "vc"},
		pool.Request{Name: "a", Pool: "vl", Scope: "pe1:ge-0/0/1", SameAs: "vc"},
		pool.Request{Name: "b", Pool: "vl", Scope: "pe2:ge-0/0/1", SameAs: "vc"})
	if err != nil || values(again) != values(c) {
		t.Errorf("repeat = %q, %v; want %q", values(again), err, values(c))
	}
}

func TestStrategies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rr := pool.Spec{Name: "rr", Kind: pool.KindVCID, Ranges: []string{"1-3"}, Strategy: pool.RoundRobin}
	ff := pool.Spec{Name: "ff", Kind: pool.KindVCID, Ranges: []string{"1-3"}}
	m, _ := newManager(t, rr, ff)
	claimRelease := func(p string) string {
		c, err := m.Claim(ctx, "o", pool.Request{Name: "v", Pool: p})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Release(ctx, "o"); err != nil {
			t.Fatal(err)
		}
		return c.Items[0].Value.String()
	}
	var gotRR, gotFF []string
	for range 5 {
		gotRR = append(gotRR, claimRelease("rr"))
		gotFF = append(gotFF, claimRelease("ff"))
	}
	if got, want := strings.Join(gotRR, ","), "1,2,3,1,2"; got != want {
		t.Errorf("round-robin handed out %s, want %s", got, want)
	}
	if got, want := strings.Join(gotFF, ","), "1,1,1,1,1"; got != want {
		t.Errorf("first-free handed out %s, want %s", got, want)
	}
}

func TestPrefixPools(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v4 := pool.Spec{Name: "p2p", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/29"}, Length: 31}
	lo := pool.Spec{Name: "lo", Kind: pool.KindIPv4, Ranges: []string{"192.0.2.0/29"}, Exclude: []string{"192.0.2.4/31"}}
	v6 := pool.Spec{Name: "v6", Kind: pool.KindIPv6, Ranges: []string{"2001:db8::/32"}, Length: 64}
	m, _ := newManager(t, v4, lo, v6)

	claim := func(owner string, reqs ...pool.Request) (string, error) {
		c, err := m.Claim(ctx, owner, reqs...)
		return values(c), err
	}
	steps := []struct {
		owner   string
		req     pool.Request
		want    string
		wantErr error
	}{
		{"l1", pool.Request{Name: "p", Pool: "p2p"}, "p=10.0.0.0/31", nil},
		{"l2", pool.Request{Name: "p", Pool: "p2p", Length: 30}, "p=10.0.0.4/30", nil},
		{"l3", pool.Request{Name: "p", Pool: "p2p"}, "p=10.0.0.2/31", nil},
		{"l4", pool.Request{Name: "p", Pool: "p2p"}, "", pool.ErrExhausted},
		{"l5", pool.Request{Name: "p", Pool: "p2p", Value: "10.0.0.4/31"}, "", pool.ErrTaken},
		{"l6", pool.Request{Name: "p", Pool: "p2p", Value: "10.0.0.0/29"}, "", pool.ErrTaken},
		{"l7", pool.Request{Name: "p", Pool: "p2p", Length: 28}, "", pool.ErrInvalid},
		// Single addresses skip the network address, the exclusion and the broadcast address.
		{"a1", pool.Request{Name: "p", Pool: "lo"}, "p=192.0.2.1/32", nil},
		{"a2", pool.Request{Name: "p", Pool: "lo"}, "p=192.0.2.2/32", nil},
		{"a3", pool.Request{Name: "p", Pool: "lo"}, "p=192.0.2.3/32", nil},
		{"a4", pool.Request{Name: "p", Pool: "lo"}, "p=192.0.2.6/32", nil},
		{"a5", pool.Request{Name: "p", Pool: "lo"}, "", pool.ErrExhausted},
		{"a6", pool.Request{Name: "p", Pool: "lo", Value: "192.0.2.5"}, "", pool.ErrOutOfRange},
		{"a7", pool.Request{Name: "p", Pool: "lo", Value: "192.0.2.7"}, "p=192.0.2.7/32", nil},
		{"v1", pool.Request{Name: "p", Pool: "v6"}, "p=2001:db8::/64", nil},
		{"v2", pool.Request{Name: "p", Pool: "v6", Length: 127}, "p=2001:db8:0:1::/127", nil},
		{"v3", pool.Request{Name: "p", Pool: "v6"}, "p=2001:db8:0:2::/64", nil},
		{"v4", pool.Request{Name: "p", Pool: "v6", Value: "10.0.0.0/31"}, "", pool.ErrInvalid},
	}
	for _, s := range steps {
		got, err := claim(s.owner, s.req)
		if !errors.Is(err, s.wantErr) || (s.wantErr == nil) != (err == nil) || got != s.want {
			t.Errorf("%s: got %q, %v; want %q, %v", s.owner, got, err, s.want, s.wantErr)
		}
	}
	u, err := m.Usage(ctx, "p2p")
	if err != nil {
		t.Fatal(err)
	}
	if u.Size != 8 || u.Used != 8 || u.Free != 0 || u.Held != 3 || !u.Low {
		t.Errorf("p2p usage = %+v, want size 8 used 8 free 0 held 3 low", u)
	}
}

func TestRouteTargetsAndDistinguishers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rd := pool.Spec{Name: "rd", Kind: pool.KindRD, Admin: "192.0.2.1", Ranges: []string{"1-65535"}}
	rt := pool.Spec{Name: "rt", Kind: pool.KindRT, Admin: "65000", Ranges: []string{"100-200"}}
	rt4 := pool.Spec{Name: "rt4", Kind: pool.KindRT, Admin: "4200000000", Ranges: []string{"1-10"}}
	asn := pool.Spec{Name: "asn", Kind: pool.KindASN, Ranges: []string{"64512-65534", "4200000000-4294967294"}}
	m, _ := newManager(t, rd, rt, rt4, asn)
	c, err := m.Claim(ctx, "l3vpn-7/site-1",
		pool.Request{Name: "rd", Pool: "rd"},
		pool.Request{Name: "rt", Pool: "rt"},
		pool.Request{Name: "rt4", Pool: "rt4"},
		pool.Request{Name: "as", Pool: "asn"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := values(c), "rd=192.0.2.1:1 rt=target:65000:100 rt4=target:4200000000L:1 as=64512"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if v, _ := c.Get("rt"); v.RT().String() != "target:65000:100" {
		t.Errorf("RT() = %v", v.RT())
	}
	if v, _ := c.Get("rd"); v.RD().Number() != 1 {
		t.Errorf("RD() = %v", v.RD())
	}
	// Brownfield in full text form, and refusal of a foreign administrator.
	if _, err := m.Claim(ctx, "bf", pool.Request{Name: "rt", Pool: "rt", Value: "target:65000:150"}); err != nil {
		t.Errorf("brownfield RT: %v", err)
	}
	if _, err := m.Claim(ctx, "bf2", pool.Request{Name: "rt", Pool: "rt", Value: "target:65001:150"}); !errors.Is(err, pool.ErrInvalid) {
		t.Errorf("foreign administrator: err = %v, want ErrInvalid", err)
	}
}

func TestPreviewKeepsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, st := newManager(t, uniVLANs, vcids)
	p, err := m.Preview(ctx, "eline-9", eline(9, "pe1:ge-1/0/0", "pe2:ge-1/0/0")...)
	if err != nil {
		t.Fatal(err)
	}
	if p.Revision != 0 || values(p) != "a=100 b=100 vc=1000" {
		t.Errorf("preview = %q rev %d", values(p), p.Revision)
	}
	n := 0
	st.List(ctx, "pool/alloc/", func(store.Item) error { n++; return nil })
	if n != 0 {
		t.Errorf("preview wrote %d allocations", n)
	}
	c, err := m.Claim(ctx, "eline-9", eline(9, "pe1:ge-1/0/0", "pe2:ge-1/0/0")...)
	if err != nil || values(c) != values(p) {
		t.Errorf("claim after preview = %q, %v; want the previewed %q", values(c), err, values(p))
	}
}

func TestUpdateAndDeletePool(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	spec := pool.Spec{Name: "vc", Kind: pool.KindVCID, Ranges: []string{"1-10"}}
	m, _ := newManager(t, spec)
	for i := range 3 {
		if _, err := m.Claim(ctx, fmt.Sprintf("svc-%d", i), pool.Request{Name: "v", Pool: "vc"}); err != nil {
			t.Fatal(err)
		}
	}
	// Creating the same pool again is fine; a different one is not.
	if err := m.CreatePool(ctx, spec); err != nil {
		t.Errorf("re-create identical: %v", err)
	}
	if err := m.CreatePool(ctx, pool.Spec{Name: "vc", Kind: pool.KindVCID, Ranges: []string{"1-20"}}); !errors.Is(err, pool.ErrPoolExists) {
		t.Errorf("re-create different: err = %v, want ErrPoolExists", err)
	}
	// Shrinking over held values fails, names them, and changes nothing.
	shrink := spec
	shrink.Ranges = []string{"3-10"}
	err := m.UpdatePool(ctx, shrink)
	if !errors.Is(err, pool.ErrPoolInUse) || !strings.Contains(err.Error(), "1 (svc-0)") || !strings.Contains(err.Error(), "2 (svc-1)") {
		t.Fatalf("shrink over held values: err = %v, want ErrPoolInUse naming 1 (svc-0) and 2 (svc-1)", err)
	}
	excl := spec
	excl.Exclude = []string{"3"}
	if err := m.UpdatePool(ctx, excl); !errors.Is(err, pool.ErrPoolInUse) {
		t.Errorf("exclude a held value: err = %v, want ErrPoolInUse", err)
	}
	c, err := m.Claim(ctx, "svc-3", pool.Request{Name: "v", Pool: "vc"})
	if err != nil || values(c) != "v=4" {
		t.Errorf("claim after failed shrink = %q, %v; want v=4", values(c), err)
	}
	// Shrinking where nothing is held works; growing works.
	shrink.Ranges = []string{"1-5"}
	if err := m.UpdatePool(ctx, shrink); err != nil {
		t.Fatal(err)
	}
	c, err = m.Claim(ctx, "svc-4", pool.Request{Name: "v", Pool: "vc"})
	if err != nil || values(c) != "v=5" {
		t.Fatalf("claim = %q, %v; want v=5", values(c), err)
	}
	if _, err := m.Claim(ctx, "svc-5", pool.Request{Name: "v", Pool: "vc"}); !errors.Is(err, pool.ErrExhausted) {
		t.Errorf("after shrink to 1-5: err = %v, want ErrExhausted", err)
	}
	grow := spec
	grow.Ranges = []string{"1-5", "100-200"}
	if err := m.UpdatePool(ctx, grow); err != nil {
		t.Fatal(err)
	}
	if c, err := m.Claim(ctx, "svc-5", pool.Request{Name: "v", Pool: "vc"}); err != nil || values(c) != "v=100" {
		t.Errorf("after grow = %q, %v; want v=100", values(c), err)
	}
	// Kind never changes.
	bad := grow
	bad.Kind = pool.KindVLAN
	bad.Ranges = []string{"1-100"}
	if err := m.UpdatePool(ctx, bad); !errors.Is(err, pool.ErrInvalid) {
		t.Errorf("kind change: err = %v, want ErrInvalid", err)
	}
	// Delete only when empty.
	if err := m.DeletePool(ctx, "vc"); !errors.Is(err, pool.ErrPoolInUse) {
		t.Errorf("delete in use: err = %v, want ErrPoolInUse", err)
	}
	claims, err := m.Claims(ctx, "svc-")
	if err != nil || len(claims) != 6 {
		t.Fatalf("Claims = %d, %v; want 6", len(claims), err)
	}
	for _, c := range claims {
		if _, err := m.Release(ctx, c.Owner); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.DeletePool(ctx, "vc"); err != nil {
		t.Fatalf("delete empty pool: %v", err)
	}
	if _, err := m.Claim(ctx, "svc-x", pool.Request{Name: "v", Pool: "vc"}); !errors.Is(err, pool.ErrUnknownPool) {
		t.Errorf("claim from deleted pool: err = %v, want ErrUnknownPool", err)
	}
	if specs, _ := m.Pools(ctx); len(specs) != 0 {
		t.Errorf("Pools after delete = %v", specs)
	}
}

func TestUsageAndLowWater(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	vl := pool.Spec{Name: "vl", Kind: pool.KindVLAN, Ranges: []string{"1-10"}, Exclude: []string{"5"}, Scoped: true, LowWater: 50}
	m, _ := newManager(t, vl)
	for i := range 5 {
		if _, err := m.Claim(ctx, fmt.Sprintf("s%d", i), pool.Request{Name: "v", Pool: "vl", Scope: "pe1:ge-0/0/0"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Claim(ctx, "t", pool.Request{Name: "v", Pool: "vl", Scope: "pe2:ge-0/0/0"}); err != nil {
		t.Fatal(err)
	}
	u, err := m.Usage(ctx, "vl")
	if err != nil {
		t.Fatal(err)
	}
	want := pool.Usage{Pool: "vl", Kind: pool.KindVLAN, Scoped: true, Size: 9, Held: 6, Used: 6, Free: 4, Low: true,
		Scopes: []pool.ScopeUsage{
			{Scope: "pe1:ge-0/0/0", Held: 5, Used: 5, Free: 4, Low: true},
			{Scope: "pe2:ge-0/0/0", Held: 1, Used: 1, Free: 8, Low: false},
		}}
	if fmt.Sprintf("%+v", u) != fmt.Sprintf("%+v", want) {
		t.Errorf("Usage =\n%+v\nwant\n%+v", u, want)
	}
}

func TestSpecValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec pool.Spec
		want string // part of the error message
	}{
		{"bad name", pool.Spec{Name: "a/b", Kind: pool.KindVLAN, Ranges: []string{"1-2"}}, `"a/b"`},
		{"no kind", pool.Spec{Name: "a", Ranges: []string{"1-2"}}, "kind"},
		{"no ranges", pool.Spec{Name: "a", Kind: pool.KindVLAN}, "ranges"},
		{"vlan 4095", pool.Spec{Name: "a", Kind: pool.KindVLAN, Ranges: []string{"1-4095"}}, `"1-4095"`},
		{"backwards", pool.Spec{Name: "a", Kind: pool.KindVCID, Ranges: []string{"9-1"}}, "backwards"},
		{"junk", pool.Spec{Name: "a", Kind: pool.KindVCID, Ranges: []string{"x"}}, `"x"`},
		{"rd without admin", pool.Spec{Name: "a", Kind: pool.KindRD, Ranges: []string{"1-2"}}, "admin"},
		{"rd bad admin", pool.Spec{Name: "a", Kind: pool.KindRD, Admin: "x", Ranges: []string{"1-2"}}, `"x"`},
		{"type 1 number too big", pool.Spec{Name: "a", Kind: pool.KindRT, Admin: "192.0.2.1", Ranges: []string{"1-70000"}}, "65535"},
		{"host bits", pool.Spec{Name: "a", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.1/24"}}, "10.0.0.0/24"},
		{"family", pool.Spec{Name: "a", Kind: pool.KindIPv6, Ranges: []string{"10.0.0.0/24"}}, "ipv6"},
		{"overlap", pool.Spec{Name: "a", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/24", "10.0.0.0/25"}}, "overlaps"},
		{"length", pool.Spec{Name: "a", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/24"}, Length: 33}, "length"},
		{"low water", pool.Spec{Name: "a", Kind: pool.KindVLAN, Ranges: []string{"1"}, LowWater: 101}, "lowWater"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.spec.Validate()
			if !errors.Is(err, pool.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want ErrInvalid mentioning %s", err, tt.want)
			}
		})
	}
}

func TestRequestValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, _ := newManager(t, vcids)
	tests := []struct {
		name  string
		owner string
		reqs  []pool.Request
	}{
		{"empty owner", "", []pool.Request{{Name: "v", Pool: "vcid"}}},
		{"newline in owner", "a\nb", []pool.Request{{Name: "v", Pool: "vcid"}}},
		{"no requests", "o", nil},
		{"duplicate name", "o", []pool.Request{{Name: "v", Pool: "vcid"}, {Name: "v", Pool: "vcid"}}},
		{"tab in scope", "o", []pool.Request{{Name: "v", Pool: "vcid", Scope: "a\tb"}}},
		{"sameAs later", "o", []pool.Request{{Name: "v", Pool: "vcid", SameAs: "w"}, {Name: "w", Pool: "vcid"}}},
		{"negative length", "o", []pool.Request{{Name: "v", Pool: "vcid", Length: -1}}},
	}
	for _, tt := range tests {
		if _, err := m.Claim(ctx, tt.owner, tt.reqs...); !errors.Is(err, pool.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", tt.name, err)
		}
	}
}

// TestRepeatWithOtherNames asks again for an owner's claim with the same
// number of requests under other names: a mismatch, reported, not a crash.
func TestRepeatWithOtherNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m, _ := newManager(t, vcids)
	if _, err := m.Claim(ctx, "pw-1", pool.Request{Name: "vc", Pool: "vcid"}); err != nil {
		t.Fatal(err)
	}
	_, err := m.Claim(ctx, "pw-1", pool.Request{Name: "vc-id", Pool: "vcid"})
	if !errors.Is(err, pool.ErrMismatch) || !strings.Contains(err.Error(), `"vc-id"`) {
		t.Errorf("err = %v, want ErrMismatch naming \"vc-id\"", err)
	}
}
