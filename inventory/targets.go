package inventory

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// MaxTargets bounds how many addresses one target specification may expand
// to, so that a mistyped range ("10.0.0.0/8") does not start millions of
// dials.
const MaxTargets = 65536

// Target is one address to discover, with the name it was given by (a host
// name from the list, "" for an address from a range or subnet).
type Target struct {
	Host string         `json:"host,omitempty"`
	Addr netip.AddrPort `json:"addr"`
}

// String returns the host name and address, "pe1.lab (192.0.2.1:830)", or
// the address alone.
func (t Target) String() string {
	if t.Host != "" {
		return t.Host + " (" + t.Addr.String() + ")"
	}
	return t.Addr.String()
}

// Resolver looks up host names; *net.Resolver satisfies it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// ParseTargets expands target specifications into addresses on port:
//
//   - an address range, "127.0.1.1-127.0.1.20" (both ends included; the
//     second end may also be the last part alone, "127.0.1.1-20");
//   - a subnet, "127.0.1.0/28": every host address, without the network and
//     broadcast addresses of IPv4 subnets shorter than /31;
//   - an address, "192.0.2.1";
//   - a host name, "pe1.lab", looked up with r (nil means net.DefaultResolver);
//     the first address is used.
//
// A spec may list several, separated by commas or spaces. Duplicate
// addresses are kept once, in first-seen order. The error names the bad
// spec.
func ParseTargets(ctx context.Context, r Resolver, port uint16, specs ...string) ([]Target, error) {
	if port == 0 {
		port = DefaultPort
	}
	if r == nil {
		r = net.DefaultResolver
	}
	var out []Target
	seen := map[netip.Addr]bool{}
	add := func(host string, a netip.Addr) error {
		a = a.Unmap()
		if seen[a] {
			return nil
		}
		if len(out) >= MaxTargets {
			return fmt.Errorf("inventory: targets: more than %d addresses", MaxTargets)
		}
		seen[a] = true
		out = append(out, Target{Host: host, Addr: netip.AddrPortFrom(a, port)})
		return nil
	}
	for _, spec := range specs {
		for _, s := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
			if err := expand(ctx, r, s, add); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("inventory: targets %q: no address", strings.Join(specs, ","))
	}
	return out, nil
}

func expand(ctx context.Context, r Resolver, s string, add func(string, netip.Addr) error) error {
	bad := func(why string) error { return fmt.Errorf("inventory: target %q: %s", s, why) }
	lo, hi, isRange := strings.Cut(s, "-")
	first, err := netip.ParseAddr(lo)
	if isRange && err == nil { // "10-0-0-1.lab" is a host name
		last, err := netip.ParseAddr(hi)
		if err != nil && first.Is4() && !strings.ContainsAny(hi, ".:") {
			// "127.0.1.1-20": the last octet only.
			b := first.As4()
			n, perr := parseOctet(hi)
			if perr != nil {
				return bad("range end is not an address or an octet")
			}
			b[3] = n
			last, err = netip.AddrFrom4(b), nil
		}
		if err != nil {
			return bad("range end is not an address")
		}
		if first.Is4() != last.Is4() {
			return bad("range ends are of different address families")
		}
		if last.Less(first) {
			return bad("range end comes before its start")
		}
		for a := first; ; a = a.Next() {
			if err := add("", a); err != nil {
				return bad(err.Error())
			}
			if a == last {
				return nil
			}
		}
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return bad("not a subnet")
		}
		if p != p.Masked() {
			return bad("host bits set; the subnet is " + p.Masked().String())
		}
		first, last := p.Addr(), lastAddr(p)
		if p.Addr().Is4() && p.Bits() < 31 {
			first, last = first.Next(), last.Prev()
		}
		for a := first; ; a = a.Next() {
			if err := add("", a); err != nil {
				return bad(err.Error())
			}
			if a == last {
				return nil
			}
		}
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return add("", a)
	}
	if looksLikeAddr(s) {
		return bad("not an address")
	}
	addrs, err := r.LookupNetIP(ctx, "ip", s)
	if err != nil {
		return bad("host name lookup: " + err.Error())
	}
	if len(addrs) == 0 {
		return bad("host name has no address")
	}
	return add(s, addrs[0])
}

// looksLikeAddr tells address-shaped text from host names: digits and dots
// only, or anything with a colon.
func looksLikeAddr(s string) bool {
	if strings.Contains(s, ":") {
		return true
	}
	return s != "" && strings.Trim(s, "0123456789.") == ""
}

func parseOctet(s string) (byte, error) {
	if s == "" || len(s) > 3 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("bad octet")
	}
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	if n > 255 {
		return 0, fmt.Errorf("bad octet")
	}
	return byte(n), nil
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
