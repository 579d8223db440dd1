package pool

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/carrierkit/carrierkit/netid"
)

// Value is one value handed out by a pool: a VLAN ID, VC ID, RD, RT, ASN or
// IP prefix. The zero Value is invalid. Values are comparable and immutable.
type Value struct {
	kind   Kind
	n      uint64       // numeric kinds; for rd and rt the assigned number
	rdType netid.RDType // rd, rt
	admin  uint32       // rd, rt
	bits   uint8        // ip kinds: prefix length
	a      [16]byte     // ip kinds: address, IPv4 as IPv4-mapped IPv6
}

// prefixValue makes the value of an ip pool of kind k holding p. Values hold
// no pointers (unlike netip.Prefix), which keeps claims cheap for the
// garbage collector.
func prefixValue(k Kind, p netip.Prefix) Value {
	if !p.IsValid() {
		return Value{}
	}
	return Value{kind: k, bits: uint8(p.Bits()), a: p.Addr().As16()}
}

// Kind returns the kind of pool the value came from.
func (v Value) Kind() Kind { return v.kind }

// IsValid reports whether v is a value rather than the zero Value.
func (v Value) IsValid() bool { return v.kind != 0 }

// Number returns the numeric part of a numeric value: the VLAN ID, VC ID or
// AS number, or the assigned number of an RD or RT. It is 0 for ip kinds.
func (v Value) Number() uint64 {
	if v.kind.numeric() {
		return v.n
	}
	return 0
}

// VLAN returns the value as a VLAN ID, or the zero VLANID if it is not one.
func (v Value) VLAN() netid.VLANID {
	if v.kind != KindVLAN {
		return 0
	}
	return netid.VLANID(v.n)
}

// VCID returns the value as a VC ID, or the zero VCID if it is not one.
func (v Value) VCID() netid.VCID {
	if v.kind != KindVCID {
		return 0
	}
	return netid.VCID(v.n)
}

// ASN returns the value as an AS number, or the zero ASN if it is not one.
func (v Value) ASN() netid.ASN {
	if v.kind != KindASN {
		return 0
	}
	return netid.ASN(v.n)
}

// RD returns the value as a route distinguisher, or the zero RD if it is not
// one.
func (v Value) RD() netid.RD {
	if v.kind != KindRD {
		return netid.RD{}
	}
	rd, _ := netid.RDFrom(v.rdType, v.admin, uint32(v.n))
	return rd
}

// RT returns the value as a route target, or the zero RT if it is not one.
func (v Value) RT() netid.RT {
	if v.kind != KindRT {
		return netid.RT{}
	}
	rt, _ := netid.RTFrom(v.rdType, v.admin, uint32(v.n))
	return rt
}

// Prefix returns the value of an ipv4 or ipv6 pool: a subnet, or a single
// address as a /32 or /128. It is the zero Prefix for other kinds.
func (v Value) Prefix() netip.Prefix {
	switch v.kind {
	case KindIPv4:
		return netip.PrefixFrom(netip.AddrFrom4([4]byte(v.a[12:])), int(v.bits))
	case KindIPv6:
		return netip.PrefixFrom(netip.AddrFrom16(v.a), int(v.bits))
	}
	return netip.Prefix{}
}

// Addr returns the address of a single-address ipv4 or ipv6 value, and the
// first address of a subnet.
func (v Value) Addr() netip.Addr { return v.Prefix().Addr() }

// String returns the value in the text operators write: "100",
// "65000:100", "target:65000:100", "10.0.0.4/31".
func (v Value) String() string { return string(v.appendTo(nil)) }

func (v Value) appendTo(b []byte) []byte {
	switch v.kind {
	case 0:
		return append(b, "invalid pool value"...)
	case KindRD:
		b, _ = v.RD().AppendText(b)
		return b
	case KindRT:
		b, _ = v.RT().AppendText(b)
		return b
	case KindIPv4, KindIPv6:
		b, _ = v.Prefix().AppendText(b)
		return b
	default:
		return strconv.AppendUint(b, v.n, 10)
	}
}

// MarshalText implements [encoding.TextMarshaler] with the text of
// [Value.String]. The zero Value marshals as empty text. A Value does not
// know its kind from text alone; [Item] carries the kind beside it.
func (v Value) MarshalText() ([]byte, error) {
	if !v.IsValid() {
		return []byte{}, nil
	}
	return v.appendTo(nil), nil
}

// Compare orders values by kind, then number (administrator first for RDs and
// RTs) or prefix.
func (v Value) Compare(w Value) int {
	if c := cmpInt(v.kind, w.kind); c != 0 {
		return c
	}
	if v.kind.ip() {
		return v.Prefix().Addr().Compare(w.Prefix().Addr())*2 + cmpInt(v.Prefix().Bits(), w.Prefix().Bits())
	}
	if c := cmpInt(v.rdType, w.rdType); c != 0 {
		return c
	}
	if c := cmpInt(v.admin, w.admin); c != 0 {
		return c
	}
	return cmpInt(v.n, w.n)
}

func cmpInt[T int | uint8 | uint32 | uint64 | Kind | netid.RDType](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// numberValue makes the numeric value n of pool c.
func (c *compiled) numberValue(n uint64) Value {
	return Value{kind: c.spec.Kind, n: n, rdType: c.rdType, admin: c.admin}
}

// parseValue parses the text of a value of pool c, as a request's Value
// field or a stored record gives it.
func (c *compiled) parseValue(s string) (Value, error) {
	bad := func(why string) (Value, error) {
		return Value{}, fmt.Errorf("%q is not a %s value: %s: %w", s, c.spec.Kind, why, ErrInvalid)
	}
	switch c.spec.Kind {
	case KindVLAN:
		id, err := netid.ParseVLANID(s)
		if err != nil {
			return bad(err.Error())
		}
		return c.numberValue(uint64(id)), nil
	case KindVCID:
		id, err := netid.ParseVCID(s)
		if err != nil {
			return bad(err.Error())
		}
		return c.numberValue(uint64(id)), nil
	case KindASN:
		a, err := netid.ParseASN(s)
		if err != nil {
			return bad(err.Error())
		}
		return c.numberValue(uint64(a)), nil
	case KindRD, KindRT:
		var t netid.RDType
		var admin, num uint32
		if c.spec.Kind == KindRD {
			rd, err := netid.ParseRD(s)
			if err != nil {
				// A bare assigned number is accepted too.
				if v, ok := c.bareNumber(s); ok {
					return v, nil
				}
				return bad(err.Error())
			}
			t, admin, num = rd.Type(), rd.Admin(), rd.Number()
		} else {
			rt, err := netid.ParseRT(s)
			if err != nil {
				if v, ok := c.bareNumber(s); ok {
					return v, nil
				}
				return bad(err.Error())
			}
			t, admin, num = rt.Type(), rt.Admin(), rt.Number()
		}
		if t != c.rdType || admin != c.admin {
			return bad("its administrator is not the pool's " + strconv.Quote(c.spec.Admin))
		}
		return c.numberValue(uint64(num)), nil
	default: // ip kinds
		var p netip.Prefix
		if a, err := netip.ParseAddr(s); err == nil {
			p = netip.PrefixFrom(a, a.BitLen())
		} else if p, err = netip.ParsePrefix(s); err != nil {
			return bad("not an address or prefix")
		}
		if p.Addr().Zone() != "" || p.Addr().Is4() != (c.spec.Kind == KindIPv4) || p.Addr().Is4In6() {
			return bad("wrong address family")
		}
		if p != p.Masked() {
			return bad("host bits set")
		}
		return prefixValue(c.spec.Kind, p), nil
	}
}

// bareNumber parses the assigned number of an rd or rt value given without
// its administrator.
func (c *compiled) bareNumber(s string) (Value, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	if _, hi := c.numberLimits(); err != nil || n > hi || (len(s) > 1 && s[0] == '0') {
		return Value{}, false
	}
	return c.numberValue(n), true
}

func sortPrefixes(ps []netip.Prefix) {
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return cmpInt(a.Bits(), b.Bits())
	})
}
