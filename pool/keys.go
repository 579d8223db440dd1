package pool

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Store layout. Every key the package writes starts with "pool/":
//
//	pool/def/<pool>                      the pool's definition (JSON)
//	pool/alloc/<pool>/<scope>/<value>    one held value; its item value is "<owner>\n<name>"
//	pool/claim/<owner>                   the owner's claim: every item, see encodeClaim
//
// <scope> is the request's scope with '%' and '/' escaped as %25 and %2F, so
// it never contains '/' (the unscoped scope is empty). <value> is the
// number of a numeric value (the assigned number for rd and rt) in ten
// zero-padded decimal digits and, for ip pools, the prefix's leading bits as
// a string of '0' and '1'. With that encoding the keys of every prefix inside
// p start with p's key, which lets one store condition (no key under this
// prefix) rule out overlapping allocations, whichever process makes them;
// and the keys of neighbouring values share a key prefix, which lets a
// Manager that lost a race read the neighbourhood of the value it lost in
// one List (see Manager.learn).
const (
	defPrefix   = "pool/def/"
	allocPrefix = "pool/alloc/"
	claimPrefix = "pool/claim/"
)

func defKey(pool string) string    { return defPrefix + pool }
func claimKey(owner string) string { return claimPrefix + owner }

var scopeEscaper = strings.NewReplacer("%", "%25", "/", "%2F")
var scopeUnescaper = strings.NewReplacer("%25", "%", "%2F", "/")

// scopeAllocPrefix returns the key prefix of every value of pool held in
// scope.
func scopeAllocPrefix(pool, scope string) string {
	return allocPrefix + pool + "/" + scopeEscaper.Replace(scope) + "/"
}

// valueKeySuffix returns the <value> part of v's key.
func valueKeySuffix(v Value) string {
	if !v.kind.ip() {
		// Ten digits hold every number a pool can hand out (all fit 32
		// bits), so key order is numeric order.
		var b [10]byte
		n := v.n
		for i := len(b) - 1; i >= 0; i-- {
			b[i] = '0' + byte(n%10)
			n /= 10
		}
		return string(b[:])
	}
	return prefixBits(v.Prefix(), v.Prefix().Bits())
}

// prefixBits returns the first n bits of p's address as '0' and '1'.
func prefixBits(p netip.Prefix, n int) string {
	a := p.Addr().AsSlice()
	b := make([]byte, n)
	for i := range n {
		b[i] = '0' + (a[i/8]>>(7-i%8))&1
	}
	return string(b)
}

// parseAllocKey splits an alloc key into its pool, scope and value part.
func parseAllocKey(key string) (pool, scope, value string, err error) {
	rest, ok := strings.CutPrefix(key, allocPrefix)
	if ok {
		var esc string
		pool, rest, ok = strings.Cut(rest, "/")
		if ok {
			esc, value, ok = strings.Cut(rest, "/")
			scope = scopeUnescaper.Replace(esc)
		}
	}
	if !ok {
		return "", "", "", fmt.Errorf("malformed allocation key %q", key)
	}
	return pool, scope, value, nil
}

// valueFromKeySuffix is the inverse of valueKeySuffix for pool c.
func (c *compiled) valueFromKeySuffix(s string) (Value, error) {
	if !c.spec.Kind.ip() {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return Value{}, fmt.Errorf("malformed %s value %q in allocation key", c.spec.Kind, s)
		}
		return c.numberValue(n), nil
	}
	var a [16]byte
	size := 4
	if c.spec.Kind == KindIPv6 {
		size = 16
	}
	if len(s) > size*8 {
		return Value{}, fmt.Errorf("malformed %s prefix bits %q in allocation key", c.spec.Kind, s)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '1':
			a[i/8] |= 1 << (7 - i%8)
		case '0':
		default:
			return Value{}, fmt.Errorf("malformed %s prefix bits %q in allocation key", c.spec.Kind, s)
		}
	}
	var addr netip.Addr
	if size == 4 {
		addr = netip.AddrFrom4([4]byte(a[:4]))
	} else {
		addr = netip.AddrFrom16(a)
	}
	return prefixValue(c.spec.Kind, netip.PrefixFrom(addr, len(s))), nil
}
