package prefixset

import (
	"math"
	"net/netip"
	"slices"
	"testing"
)

var (
	pfx  = netip.MustParsePrefix
	addr = netip.MustParseAddr
)

// setOf returns a set holding ps, failing the test if one does not add.
func setOf(t *testing.T, ps ...string) *Set {
	t.Helper()
	s := &Set{}
	for _, p := range ps {
		if !s.Add(pfx(p)) {
			t.Fatalf("setup: Add(%s) = false", p)
		}
	}
	return s
}

func TestAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pre    []string
		add    netip.Prefix
		want   bool
		reason string
	}{
		{name: "into empty", add: pfx("10.0.0.0/24"), want: true},
		{name: "equal", pre: []string{"10.0.0.0/24"}, add: pfx("10.0.0.0/24")},
		{name: "inside", pre: []string{"10.0.0.0/24"}, add: pfx("10.0.0.128/25")},
		{name: "host inside", pre: []string{"10.0.0.0/24"}, add: pfx("10.0.0.255/32")},
		{name: "contains", pre: []string{"10.0.0.0/24"}, add: pfx("10.0.0.0/16")},
		{name: "contains all", pre: []string{"10.0.0.7/32"}, add: pfx("0.0.0.0/0")},
		{name: "contains several", pre: []string{"10.0.0.0/31", "10.0.0.4/30"}, add: pfx("10.0.0.0/29")},
		{name: "neighbour", pre: []string{"10.0.0.0/24"}, add: pfx("10.0.1.0/24"), want: true},
		{name: "sibling host", pre: []string{"10.0.0.0/32"}, add: pfx("10.0.0.1/32"), want: true},
		{name: "gap between", pre: []string{"10.0.0.0/31", "10.0.0.4/30"}, add: pfx("10.0.0.2/31"), want: true},
		{name: "host bits set", add: pfx("10.0.0.1/24"), reason: "Add requires p == p.Masked()"},
		{name: "invalid", add: netip.Prefix{}},
		{name: "other family", pre: []string{"0.0.0.0/0"}, add: pfx("::/0"), want: true, reason: "IPv4 and IPv6 never overlap"},
		{name: "mapped is IPv6", pre: []string{"10.0.0.0/8"}, add: pfx("::ffff:10.0.0.0/104"), want: true},
		{name: "ipv6 inside", pre: []string{"2001:db8::/32"}, add: pfx("2001:db8:1::/48")},
		{name: "ipv6 128", pre: []string{"2001:db8::/127"}, add: pfx("2001:db8::2/128"), want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := setOf(t, tt.pre...)
			if got := s.Add(tt.add); got != tt.want {
				t.Fatalf("Add(%v) = %v, want %v (%s)", tt.add, got, tt.want, tt.reason)
			}
			wantLen := len(tt.pre)
			if tt.want {
				wantLen++
			}
			if got := s.Len(); got != wantLen {
				t.Errorf("Len() = %d, want %d", got, wantLen)
			}
			if tt.want && !s.Contains(tt.add) {
				t.Errorf("Contains(%v) = false after Add", tt.add)
			}
			s.checkInvariants(t)
		})
	}
}

func TestOverlapping(t *testing.T) {
	t.Parallel()
	s := setOf(t, "10.0.0.0/31", "10.0.0.4/30", "10.0.1.0/24", "2001:db8::/64")
	tests := []struct {
		name   string
		p      netip.Prefix
		want   netip.Prefix
		wantOK bool
	}{
		{name: "exact", p: pfx("10.0.0.4/30"), want: pfx("10.0.0.4/30"), wantOK: true},
		{name: "inside stored", p: pfx("10.0.1.77/32"), want: pfx("10.0.1.0/24"), wantOK: true},
		{name: "contains lowest", p: pfx("10.0.0.0/23"), want: pfx("10.0.0.0/31"), wantOK: true},
		{name: "inside small", p: pfx("10.0.0.6/31"), want: pfx("10.0.0.4/30"), wantOK: true},
		{name: "free gap", p: pfx("10.0.0.2/31")},
		{name: "free after", p: pfx("10.0.0.8/29")},
		{name: "host bits ignored", p: pfx("10.0.0.9/29")},
		{name: "ipv6", p: pfx("2001:db8::1/128"), want: pfx("2001:db8::/64"), wantOK: true},
		{name: "ipv6 free", p: pfx("2001:db8:0:1::/64")},
		{name: "invalid", p: netip.Prefix{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := s.Overlapping(tt.p)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Overlapping(%v) = %v, %v; want %v, %v", tt.p, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pre     []string
		remove  netip.Prefix
		want    bool
		wantAll []string
	}{
		{name: "empty", remove: pfx("10.0.0.0/24")},
		{name: "only", pre: []string{"10.0.0.0/24"}, remove: pfx("10.0.0.0/24"), want: true},
		{name: "inside is not exact", pre: []string{"10.0.0.0/24"}, remove: pfx("10.0.0.0/25"), wantAll: []string{"10.0.0.0/24"}},
		{name: "container is not exact", pre: []string{"10.0.0.0/24"}, remove: pfx("10.0.0.0/23"), wantAll: []string{"10.0.0.0/24"}},
		{
			name: "middle", pre: []string{"10.0.0.0/31", "10.0.0.2/31", "10.0.0.4/31"}, remove: pfx("10.0.0.2/31"), want: true,
			wantAll: []string{"10.0.0.0/31", "10.0.0.4/31"},
		},
		{
			name: "deep", pre: []string{"10.0.0.0/32", "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/29"}, remove: pfx("10.0.0.1/32"), want: true,
			wantAll: []string{"10.0.0.0/32", "10.0.0.2/31", "10.0.0.4/30", "10.0.0.8/29"},
		},
		{name: "other family kept", pre: []string{"10.0.0.0/8", "::/8"}, remove: pfx("::/8"), want: true, wantAll: []string{"10.0.0.0/8"}},
		{name: "host bits", pre: []string{"10.0.0.0/24"}, remove: pfx("10.0.0.1/24"), wantAll: []string{"10.0.0.0/24"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := setOf(t, tt.pre...)
			if got := s.Remove(tt.remove); got != tt.want {
				t.Fatalf("Remove(%v) = %v, want %v", tt.remove, got, tt.want)
			}
			var want []netip.Prefix
			for _, p := range tt.wantAll {
				want = append(want, pfx(p))
			}
			if got := slices.Collect(s.All()); !slices.Equal(got, want) {
				t.Errorf("All() = %v, want %v", got, want)
			}
			if s.Len() != len(want) {
				t.Errorf("Len() = %d, want %d", s.Len(), len(want))
			}
			s.checkInvariants(t)
		})
	}
}

func TestNextFree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		set    []string
		within netip.Prefix
		bits   int
		from   netip.Addr
		want   netip.Prefix
		wantOK bool
		reason string
	}{
		{name: "/31 from empty /24", within: pfx("10.0.0.0/24"), bits: 31, want: pfx("10.0.0.0/31"), wantOK: true},
		{name: "/31 after /31s", set: []string{"10.0.0.0/31", "10.0.0.2/31"}, within: pfx("10.0.0.0/24"), bits: 31, want: pfx("10.0.0.4/31"), wantOK: true},
		{name: "/31 in gap", set: []string{"10.0.0.0/31", "10.0.0.4/31"}, within: pfx("10.0.0.0/24"), bits: 31, want: pfx("10.0.0.2/31"), wantOK: true},
		{
			name: "/30 after /31s", set: []string{"10.0.0.0/31", "10.0.0.2/31", "10.0.0.4/31"}, within: pfx("10.0.0.0/24"), bits: 30,
			want: pfx("10.0.0.8/30"), wantOK: true, reason: "10.0.0.4/30 holds 10.0.0.4/31",
		},
		{
			name: "/29 skips mixed", set: []string{"10.0.0.0/30", "10.0.0.9/32", "10.0.0.22/31"}, within: pfx("10.0.0.0/24"), bits: 29,
			want: pfx("10.0.0.24/29"), wantOK: true,
		},
		{name: "/32 addresses", set: []string{"10.0.0.0/32", "10.0.0.1/32", "10.0.0.3/32"}, within: pfx("10.0.0.0/24"), bits: 32, want: pfx("10.0.0.2/32"), wantOK: true},
		{name: "whole within free", within: pfx("10.0.0.0/24"), bits: 24, want: pfx("10.0.0.0/24"), wantOK: true},
		{name: "whole within used", set: []string{"10.0.0.200/32"}, within: pfx("10.0.0.0/24"), bits: 24},
		{name: "within host bits ignored", within: pfx("10.0.0.77/24"), bits: 31, want: pfx("10.0.0.0/31"), wantOK: true},
		{name: "from inside block", within: pfx("10.0.0.0/24"), bits: 31, from: addr("10.0.0.5"), want: pfx("10.0.0.6/31"), wantOK: true},
		{name: "from at block", within: pfx("10.0.0.0/24"), bits: 31, from: addr("10.0.0.6"), want: pfx("10.0.0.6/31"), wantOK: true},
		{name: "from taken", set: []string{"10.0.0.6/31"}, within: pfx("10.0.0.0/24"), bits: 31, from: addr("10.0.0.6"), want: pfx("10.0.0.8/31"), wantOK: true},
		{name: "from skips free", set: []string{"10.0.0.6/31"}, within: pfx("10.0.0.0/24"), bits: 31, from: addr("10.0.0.7"), want: pfx("10.0.0.8/31"), wantOK: true},
		{name: "from below within", within: pfx("10.0.0.0/24"), bits: 31, from: addr("9.255.255.255"), want: pfx("10.0.0.0/31"), wantOK: true},
		{name: "from above within", within: pfx("10.0.0.0/24"), bits: 31, from: addr("10.0.1.0")},
		{name: "from in last block", within: pfx("10.0.0.0/24"), bits: 30, from: addr("10.0.0.253")},
		{name: "from other family", within: pfx("10.0.0.0/24"), bits: 31, from: addr("::1")},
		{name: "from past the end of the space", within: pfx("0.0.0.0/0"), bits: 31, from: addr("255.255.255.255"), reason: "aligning up overflows"},
		{name: "last block of the space", within: pfx("0.0.0.0/0"), bits: 31, from: addr("255.255.255.254"), want: pfx("255.255.255.254/31"), wantOK: true},
		{name: "exhausted", set: []string{"10.0.0.0/31", "10.0.0.2/31"}, within: pfx("10.0.0.0/30"), bits: 31},
		{name: "exhausted by container", set: []string{"10.0.0.0/16"}, within: pfx("10.0.0.0/24"), bits: 31},
		{name: "exhausted by exact", set: []string{"10.0.0.0/24"}, within: pfx("10.0.0.0/24"), bits: 32},
		{name: "free only after within", set: []string{"10.0.0.0/31", "10.0.0.2/31"}, within: pfx("10.0.0.0/30"), bits: 32},
		{name: "free only before from", set: []string{"10.0.0.4/30"}, within: pfx("10.0.0.0/29"), bits: 30, from: addr("10.0.0.1")},
		{name: "bits below within", within: pfx("10.0.0.0/24"), bits: 23},
		{name: "bits above family", within: pfx("10.0.0.0/24"), bits: 33},
		{name: "invalid within", within: netip.Prefix{}, bits: 32},
		{name: "whole space", within: pfx("0.0.0.0/0"), bits: 0, want: pfx("0.0.0.0/0"), wantOK: true},
		{name: "other family stored", set: []string{"::/0"}, within: pfx("0.0.0.0/0"), bits: 8, want: pfx("0.0.0.0/8"), wantOK: true},
		{name: "/127 from /64", set: []string{"2001:db8::/127", "2001:db8::2/127"}, within: pfx("2001:db8::/64"), bits: 127, want: pfx("2001:db8::4/127"), wantOK: true},
		{
			name: "/64 from /32", set: []string{"2001:db8::/64", "2001:db8:0:1::/64", "2001:db8:0:3::/64"}, within: pfx("2001:db8::/32"), bits: 64,
			want: pfx("2001:db8:0:2::/64"), wantOK: true,
		},
		{name: "/64 from /32 with from", within: pfx("2001:db8::/32"), bits: 64, from: addr("2001:db8:0:5::1"), want: pfx("2001:db8:0:6::/64"), wantOK: true},
		{name: "/128", set: []string{"2001:db8::/128"}, within: pfx("2001:db8::/120"), bits: 128, want: pfx("2001:db8::1/128"), wantOK: true},
		{name: "/56 skips used /64", set: []string{"2001:db8:0:ff::/64"}, within: pfx("2001:db8::/48"), bits: 56, want: pfx("2001:db8:0:100::/56"), wantOK: true},
		{name: "ipv6 exhausted", set: []string{"2001:db8::/127"}, within: pfx("2001:db8::/127"), bits: 128},
		{name: "ipv6 end of space", set: []string{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128"}, within: pfx("::/0"), bits: 128, from: addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), want: pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), wantOK: true},
		{name: "ipv6 past end of space", set: []string{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"}, within: pfx("::/0"), bits: 128, from: addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), want: pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128"), wantOK: true},
		{name: "ipv6 full at end", set: []string{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"}, within: pfx("::/0"), bits: 127, from: addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := setOf(t, tt.set...)
			got, ok := s.NextFree(tt.within, tt.bits, tt.from)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("NextFree(%v, %d, %v) = %v, %v; want %v, %v (%s)", tt.within, tt.bits, tt.from, got, ok, tt.want, tt.wantOK, tt.reason)
			}
		})
	}
}

func TestCountIn(t *testing.T) {
	t.Parallel()
	s := setOf(t, "10.0.0.0/31", "10.0.0.4/30", "10.0.1.0/24", "10.1.0.7/32", "2001:db8::/64", "2001:db8:0:1::/64", "2001:db8:1::/127")
	tests := []struct {
		name      string
		r         netip.Prefix
		wantN     int
		wantAddrs uint64
		blockBits int
		wantBlks  uint64
	}{
		{name: "everything v4", r: pfx("0.0.0.0/0"), wantN: 4, wantAddrs: 2 + 4 + 256 + 1, blockBits: 32, wantBlks: 263},
		{name: "/8", r: pfx("10.0.0.0/8"), wantN: 4, wantAddrs: 263, blockBits: 24, wantBlks: 1},
		{name: "/16", r: pfx("10.0.0.0/16"), wantN: 3, wantAddrs: 262, blockBits: 31, wantBlks: 131},
		{name: "exact", r: pfx("10.0.0.4/30"), wantN: 1, wantAddrs: 4, blockBits: 30, wantBlks: 1},
		{name: "inside a stored prefix", r: pfx("10.0.1.0/25"), wantN: 0, wantAddrs: 0, blockBits: 32, wantBlks: 0},
		{name: "host bits ignored", r: pfx("10.0.0.5/30"), wantN: 1, wantAddrs: 4, blockBits: 32, wantBlks: 4},
		{name: "empty area", r: pfx("192.168.0.0/16"), blockBits: 32},
		{name: "ipv6 saturates", r: pfx("2001:db8::/32"), wantN: 3, wantAddrs: math.MaxUint64, blockBits: 64, wantBlks: 2},
		{name: "ipv6 small", r: pfx("2001:db8:1::/64"), wantN: 1, wantAddrs: 2, blockBits: 128, wantBlks: 2},
		{name: "ipv6 blocks of 63", r: pfx("::/0"), wantN: 3, wantAddrs: math.MaxUint64, blockBits: 63, wantBlks: 1},
		{name: "blocks bits out of range", r: pfx("10.0.0.0/8"), wantN: 4, wantAddrs: 263, blockBits: 33, wantBlks: 0},
		{name: "invalid", r: netip.Prefix{}, blockBits: 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, addrs := s.CountIn(tt.r)
			if n != tt.wantN || addrs != tt.wantAddrs {
				t.Errorf("CountIn(%v) = %d, %d; want %d, %d", tt.r, n, addrs, tt.wantN, tt.wantAddrs)
			}
			if got := s.BlocksIn(tt.r, tt.blockBits); got != tt.wantBlks {
				t.Errorf("BlocksIn(%v, %d) = %d, want %d", tt.r, tt.blockBits, got, tt.wantBlks)
			}
		})
	}
}

func TestAllAndClone(t *testing.T) {
	t.Parallel()
	in := []string{"2001:db8::/64", "10.0.0.4/30", "::/8", "10.0.0.0/31", "192.168.0.0/16", "0.0.0.0/8", "2001:db8:0:1::/64"}
	s := setOf(t, in...)
	want := make([]netip.Prefix, 0, len(in))
	for _, p := range in {
		want = append(want, pfx(p))
	}
	slices.SortFunc(want, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	if got := slices.Collect(s.All()); !slices.Equal(got, want) {
		t.Fatalf("All() = %v, want %v", got, want)
	}
	c := s.Clone()
	c.Remove(pfx("10.0.0.4/30"))
	c.Add(pfx("172.16.0.0/12"))
	if got := slices.Collect(s.All()); !slices.Equal(got, want) {
		t.Errorf("original changed after editing the clone: %v", got)
	}
	if !c.Contains(pfx("172.16.0.0/12")) || c.Contains(pfx("10.0.0.4/30")) || c.Len() != len(in) {
		t.Errorf("clone edits lost")
	}
	for range s.All() {
		break // stopping early must not panic
	}
	var empty Set
	if got := slices.Collect(empty.All()); len(got) != 0 || empty.Len() != 0 {
		t.Errorf("zero Set: All() = %v, Len() = %d", got, empty.Len())
	}
	for _, p := range in {
		s.Remove(pfx(p))
	}
	if s.chunks != nil || s.next != 0 || s.Len() != 0 {
		t.Errorf("emptied set keeps %d nodes", s.next)
	}
}

func TestCountInWholeSpace(t *testing.T) {
	t.Parallel()
	s := setOf(t, "::/1", "8000::/1", "0.0.0.0/1", "128.0.0.0/1")
	if n, addrs := s.CountIn(pfx("::/0")); n != 2 || addrs != math.MaxUint64 {
		t.Errorf("CountIn(::/0) = %d, %d; want 2, saturated", n, addrs)
	}
	if n, addrs := s.CountIn(pfx("0.0.0.0/0")); n != 2 || addrs != 1<<32 {
		t.Errorf("CountIn(0.0.0.0/0) = %d, %d; want 2, 2^32", n, addrs)
	}
	if got := s.BlocksIn(pfx("::/0"), 64); got != math.MaxUint64 {
		t.Errorf("BlocksIn(::/0, 64) = %d, want saturated", got)
	}
	if got := s.BlocksIn(pfx("::/0"), 2); got != 3 {
		t.Errorf("BlocksIn(::/0, 2) = %d, want 3 (2^128 is held as 2^128-1)", got)
	}
	if s.Contains(netip.Prefix{}) || s.Contains(pfx("::1/1")) {
		t.Errorf("Contains accepts an invalid or unmasked prefix")
	}
}

// TestNoAllocs checks that the query paths do not allocate.
//
// It does not call t.Parallel: AllocsPerRun counts allocations process-wide.
func TestNoAllocs(t *testing.T) {
	s := setOf(t, "10.0.0.0/31", "10.0.0.4/30", "2001:db8::/64")
	allocs := testing.AllocsPerRun(100, func() {
		s.NextFree(pfx("10.0.0.0/24"), 31, netip.Addr{})
		s.NextFree(pfx("2001:db8::/32"), 64, addr("2001:db8::1"))
		s.Contains(pfx("10.0.0.4/30"))
		s.Overlapping(pfx("10.0.0.0/24"))
		s.CountIn(pfx("10.0.0.0/8"))
		s.Add(pfx("10.0.0.0/24")) // refused
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}

// checkInvariants verifies the trie's structure and summaries.
func (s *Set) checkInvariants(t *testing.T) {
	t.Helper()
	if s.next == 0 {
		if s.roots != [2]uint32{} || s.chunks != nil {
			t.Fatalf("roots %v or chunks without nodes", s.roots)
		}
		return
	}
	if *s.at(0) != (node{}) {
		t.Fatalf("sentinel node modified: %+v", *s.at(0))
	}
	// Count live nodes: every node is the sentinel, on the spare list or
	// reachable from a root.
	spare := 0
	for i := s.spare; i != 0; i = s.at(i).child[0] {
		spare++
	}
	reachable := 0
	var walk func(i uint32, fam int) (n uint32, addrs u128)
	walk = func(i uint32, fam int) (uint32, u128) {
		reachable++
		nd := *s.at(i)
		if nd.key != nd.key.masked(int(nd.bits)) {
			t.Fatalf("node %d: key has host bits", i)
		}
		if nd.leaf() {
			if nd.child[1] != 0 || nd.n != 1 || nd.free != noFree || nd.addrs != pow2(width(fam)-int(nd.bits)) {
				t.Fatalf("leaf %d: %+v", i, nd)
			}
			return 1, nd.addrs
		}
		var n uint32
		var addrs u128
		for d, c := range nd.child {
			cn := *s.at(c)
			if c == 0 || cn.bits <= nd.bits || commonLen(cn.key, nd.key) < int(nd.bits) || cn.key.bit(int(nd.bits)) != d {
				t.Fatalf("node %d child %d (%d) misplaced", i, d, c)
			}
			cnt, a := walk(c, fam)
			n += cnt
			addrs = addrs.addSat(a)
		}
		want := min(childFree(s.at(nd.child[0]), nd.bits), childFree(s.at(nd.child[1]), nd.bits))
		if nd.n != n || nd.addrs != addrs || nd.free != want {
			t.Fatalf("node %d summary n=%d addrs=%v free=%d, want %d %v %d", i, nd.n, nd.addrs, nd.free, n, addrs, want)
		}
		return n, addrs
	}
	wantReachable := 0
	for fam, r := range s.roots {
		if r != 0 {
			n, _ := walk(r, fam)
			wantReachable += 2*int(n) - 1 // n leaves, n-1 inner nodes
		}
	}
	if reachable != wantReachable || 1+spare+reachable != int(s.next) {
		t.Fatalf("%d nodes: %d spare, %d reachable (want %d), 1 sentinel", s.next, spare, reachable, wantReachable)
	}
}
