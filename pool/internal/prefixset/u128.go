package prefixset

import (
	"encoding/binary"
	"math"
	"math/bits"
	"net/netip"
)

// u128 is a 128-bit unsigned integer. As a key it holds an address with its
// first bit in the top bit of hi: an IPv6 address fills all 128 bits, an IPv4
// address fills the top 32 bits of hi and leaves the rest zero, so a prefix
// length means the same number of leading key bits in both families.
type u128 struct{ hi, lo uint64 }

var maxU128 = u128{math.MaxUint64, math.MaxUint64}

func keyOf(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{hi: uint64(binary.BigEndian.Uint32(b[:])) << 32}
	}
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func addrOf(k u128, fam int) netip.Addr {
	if fam == fam4 {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(k.hi>>32))
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], k.hi)
	binary.BigEndian.PutUint64(b[8:], k.lo)
	return netip.AddrFrom16(b)
}

// bit returns bit d of k, counting from the top (d in [0, 128)).
func (k u128) bit(d int) int {
	if d < 64 {
		return int(k.hi>>(63-d)) & 1
	}
	return int(k.lo>>(127-d)) & 1
}

// setBit returns k with bit d (counting from the top) set.
func (k u128) setBit(d int) u128 {
	if d < 64 {
		k.hi |= 1 << (63 - d)
	} else {
		k.lo |= 1 << (127 - d)
	}
	return k
}

// hostMask returns the mask of the 128-n low bits, n in [0, 128].
func hostMask(n int) u128 {
	if n <= 64 {
		return u128{math.MaxUint64 >> n, math.MaxUint64} // a shift by 64 gives 0
	}
	return u128{0, math.MaxUint64 >> (n - 64)}
}

// masked returns k with all but the top n bits cleared.
func (k u128) masked(n int) u128 {
	m := hostMask(n)
	return u128{k.hi &^ m.hi, k.lo &^ m.lo}
}

func (k u128) less(o u128) bool {
	return k.hi < o.hi || k.hi == o.hi && k.lo < o.lo
}

// alignUp returns the smallest multiple of 2^(128-n) that is >= k, and
// false when it would exceed the 128-bit space.
func alignUp(k u128, n int) (u128, bool) {
	m := hostMask(n)
	if k.hi&m.hi == 0 && k.lo&m.lo == 0 {
		return k, true
	}
	lo, carry := bits.Add64(k.lo|m.lo, 1, 0)
	hi, carry := bits.Add64(k.hi|m.hi, 0, carry)
	return u128{hi, lo}, carry == 0
}

// commonLen returns the number of leading bits a and b share (128 if equal).
func commonLen(a, b u128) int {
	if x := a.hi ^ b.hi; x != 0 {
		return bits.LeadingZeros64(x)
	}
	return 64 + bits.LeadingZeros64(a.lo^b.lo)
}

// pow2 returns 2^e for e in [0, 128], saturating 2^128 to the largest u128.
func pow2(e int) u128 {
	switch {
	case e < 64:
		return u128{0, 1 << e}
	case e < 128:
		return u128{1 << (e - 64), 0}
	default:
		return maxU128
	}
}

// addSat returns a+b, saturating at the largest u128.
func (k u128) addSat(o u128) u128 {
	lo, carry := bits.Add64(k.lo, o.lo, 0)
	hi, carry := bits.Add64(k.hi, o.hi, carry)
	if carry != 0 {
		return maxU128
	}
	return u128{hi, lo}
}

// shr returns k >> n for n in [0, 128].
func (k u128) shr(n int) u128 {
	switch {
	case n == 0:
		return k
	case n < 64:
		return u128{k.hi >> n, k.lo>>n | k.hi<<(64-n)}
	default:
		return u128{0, k.hi >> (n - 64)} // n == 128 shifts by 64: 0
	}
}

// sat64 returns k as a uint64, saturating at math.MaxUint64.
func (k u128) sat64() uint64 {
	if k.hi != 0 {
		return math.MaxUint64
	}
	return k.lo
}

// rangeMask returns the mask of key positions [d, lim), counted from the
// top, for 0 <= d <= lim <= 128.
func rangeMask(d, lim int) u128 {
	a, b := hostMask(d), hostMask(lim)
	return u128{a.hi &^ b.hi, a.lo &^ b.lo}
}

// firstOne returns the first position in [d, lim) where k has a 1 bit.
func firstOne(k u128, d, lim int) (int, bool) {
	m := rangeMask(d, lim)
	if x := k.hi & m.hi; x != 0 {
		return bits.LeadingZeros64(x), true
	}
	if x := k.lo & m.lo; x != 0 {
		return 64 + bits.LeadingZeros64(x), true
	}
	return 0, false
}

// lastZero returns the last position in [d, lim) where k has a 0 bit.
func lastZero(k u128, d, lim int) (int, bool) {
	m := rangeMask(d, lim)
	if x := ^k.lo & m.lo; x != 0 {
		return 127 - bits.TrailingZeros64(x), true
	}
	if x := ^k.hi & m.hi; x != 0 {
		return 63 - bits.TrailingZeros64(x), true
	}
	return 0, false
}
