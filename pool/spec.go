package pool

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool/internal/numset"
)

// Kind is what a pool hands out. The zero Kind is invalid.
type Kind uint8

// The kinds of pool.
const (
	KindVLAN Kind = iota + 1 // IEEE 802.1Q VLAN IDs, 1–4094
	KindVCID                 // pseudowire VC IDs, 1–4294967295
	KindRD                   // route distinguishers: a fixed administrator and a range of assigned numbers
	KindRT                   // route targets, likewise
	KindASN                  // AS numbers
	KindIPv4                 // IPv4 subnets and addresses carved from prefixes
	KindIPv6                 // IPv6 subnets and addresses carved from prefixes
)

var kindNames = [...]string{KindVLAN: "vlan", KindVCID: "vcid", KindRD: "rd", KindRT: "rt", KindASN: "asn", KindIPv4: "ipv4", KindIPv6: "ipv6"}

// String returns the kind's name: "vlan", "vcid", "rd", "rt", "asn", "ipv4"
// or "ipv6".
func (k Kind) String() string {
	if k == 0 || int(k) >= len(kindNames) {
		return "kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// ParseKind parses a kind's name as printed by [Kind.String].
func ParseKind(s string) (Kind, error) {
	for k, n := range kindNames {
		if n != "" && n == s {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("pool: unknown kind %q (want vlan, vcid, rd, rt, asn, ipv4 or ipv6): %w", s, ErrInvalid)
}

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("pool: marshal %s: %w", k, ErrInvalid)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

func (k Kind) numeric() bool { return k >= KindVLAN && k <= KindASN }
func (k Kind) ip() bool      { return k == KindIPv4 || k == KindIPv6 }

// bitLen is the address length of an ip kind.
func (k Kind) bitLen() int {
	if k == KindIPv6 {
		return 128
	}
	return 32
}

// Strategy is how a pool picks the next value when a request names none.
type Strategy uint8

const (
	// FirstFree hands out the lowest free value (the zero Strategy).
	FirstFree Strategy = iota
	// RoundRobin hands out the next free value after the one handed out
	// last in the same scope, wrapping around at the end, so a value just
	// released is not reused at once. The position is kept in memory by
	// each [Manager]; a new Manager starts after the highest value held.
	RoundRobin
)

// String returns "first-free" or "round-robin".
func (s Strategy) String() string {
	switch s {
	case FirstFree:
		return "first-free"
	case RoundRobin:
		return "round-robin"
	}
	return "strategy(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText implements [encoding.TextMarshaler].
func (s Strategy) MarshalText() ([]byte, error) {
	if s > RoundRobin {
		return nil, fmt.Errorf("pool: marshal %s: %w", s, ErrInvalid)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]; the empty text is
// [FirstFree].
func (s *Strategy) UnmarshalText(b []byte) error {
	switch string(b) {
	case "", "first-free":
		*s = FirstFree
	case "round-robin":
		*s = RoundRobin
	default:
		return fmt.Errorf("pool: unknown strategy %q (want first-free or round-robin): %w", b, ErrInvalid)
	}
	return nil
}

// Spec defines a pool. It is plain data, read from JSON or YAML as well as
// built in Go; [Spec.Validate] reports what is wrong with it.
type Spec struct {
	// Name identifies the pool: 1–64 characters from letters, digits, '.',
	// '_' and '-', starting with a letter or digit.
	Name string `json:"name"`
	Kind Kind   `json:"kind"`

	// Ranges are the values the pool hands out. Numeric kinds take
	// "first-last" or single values ("100-199", "300"); for rd and rt they
	// are the assigned-number part. ipv4 and ipv6 take prefixes
	// ("10.0.0.0/16", "2001:db8::/32"). At least one is required.
	Ranges []string `json:"ranges"`
	// Exclude removes values or prefixes from Ranges, in the same syntax.
	Exclude []string `json:"exclude,omitempty"`

	// Admin is the administrator part of every rd and rt value: a 2-byte
	// AS number ("65000", type 0), an IPv4 address ("192.0.2.1", type 1)
	// or a 4-byte AS number ("4200000000" or "65000L", type 2). Required
	// for rd and rt, refused for other kinds.
	Admin string `json:"admin,omitempty"`

	// Scoped makes values unique within a scope named by each request
	// rather than across the pool: a VLAN pool is scoped by interface
	// ("pe1:ge-0/0/1"), so VLAN 100 can be used once on every UNI. A VC ID
	// pool is normally unscoped: a VC ID then identifies one pseudowire
	// network-wide, which keeps both ends' configuration and troubleshooting
	// simple; scope it by PE pair ("pe1|pe2") where the VC ID space must be
	// reused, which is all LDP signalling (RFC 4447) requires.
	Scoped bool `json:"scoped,omitempty"`

	// Strategy picks the next free value; the zero value is FirstFree.
	Strategy Strategy `json:"strategy,omitempty"`

	// Length is the prefix length handed out by ipv4 and ipv6 pools when a
	// request gives none; 0 means single addresses (/32 or /128).
	Length int `json:"length,omitempty"`

	// LowWater is the percentage of free values under which [Usage]
	// reports the pool (or a scope of it) as low; 0 means 10.
	LowWater int `json:"lowWater,omitempty"`
}

// Validate reports the first problem with s, as an error wrapping
// [ErrInvalid] that names the field and quotes the input.
func (s Spec) Validate() error {
	_, err := compile(s)
	return err
}

// compiled is a validated Spec in the form the allocator uses.
type compiled struct {
	spec Spec

	// numeric kinds
	ranges []numset.Range // Ranges minus Exclude, sorted and merged
	size   uint64         // values in ranges
	rdType netid.RDType   // rd, rt
	admin  uint32         // rd, rt

	// ip kinds
	prefixes []netip.Prefix // Ranges, masked, sorted
	blocked  []netip.Prefix // Exclude, masked
	length   int            // default allocation length
}

var poolNameOK = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['.'], t['_'], t['-'] = true, true, true
	return t
}()

func checkPoolName(name string) error {
	if name == "" || len(name) > 64 || name[0] == '.' || name[0] == '_' || name[0] == '-' {
		return fmt.Errorf("pool: pool name %q: want 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit: %w", name, ErrInvalid)
	}
	for i := 0; i < len(name); i++ {
		if !poolNameOK[name[i]] {
			return fmt.Errorf("pool: pool name %q: character %q not allowed: %w", name, name[i], ErrInvalid)
		}
	}
	return nil
}

func specErr(s Spec, field, format string, args ...any) error {
	return fmt.Errorf("pool: pool %q: %s: %s: %w", s.Name, field, fmt.Sprintf(format, args...), ErrInvalid)
}

// numberLimits returns the smallest and largest number a numeric kind holds.
func (c *compiled) numberLimits() (lo, hi uint64) {
	switch c.spec.Kind {
	case KindVLAN:
		return 1, 4094
	case KindVCID, KindASN:
		return 1, math.MaxUint32
	default: // rd, rt
		if c.rdType == netid.RDType0 {
			return 0, math.MaxUint32
		}
		return 0, math.MaxUint16
	}
}

func compile(s Spec) (*compiled, error) {
	if err := checkPoolName(s.Name); err != nil {
		return nil, err
	}
	c := &compiled{spec: s}
	switch {
	case s.Kind.numeric():
		if err := c.compileNumeric(); err != nil {
			return nil, err
		}
	case s.Kind.ip():
		if err := c.compileIP(); err != nil {
			return nil, err
		}
	default:
		return nil, specErr(s, "kind", "%s is not a kind of pool", s.Kind)
	}
	if s.Strategy > RoundRobin {
		return nil, specErr(s, "strategy", "%s is not a strategy", s.Strategy)
	}
	if s.LowWater < 0 || s.LowWater > 100 {
		return nil, specErr(s, "lowWater", "%d is not a percentage", s.LowWater)
	}
	if len(s.Ranges) == 0 {
		return nil, specErr(s, "ranges", "at least one range is required")
	}
	return c, nil
}

func (c *compiled) compileNumeric() error {
	s := c.spec
	switch s.Kind {
	case KindRD, KindRT:
		if s.Admin == "" {
			return specErr(s, "admin", "required for %s pools", s.Kind)
		}
		rd, err := netid.ParseRD(s.Admin + ":0")
		if err != nil {
			return specErr(s, "admin", "%q is neither an AS number nor an IPv4 address", s.Admin)
		}
		c.rdType, c.admin = rd.Type(), rd.Admin()
	default:
		if s.Admin != "" {
			return specErr(s, "admin", "only rd and rt pools have an administrator")
		}
	}
	if s.Length != 0 {
		return specErr(s, "length", "only ipv4 and ipv6 pools have a prefix length")
	}
	parse := func(field string, list []string) ([]numset.Range, error) {
		lo, hi := c.numberLimits()
		out := make([]numset.Range, 0, len(list))
		for _, r := range list {
			first, last, found := strings.Cut(r, "-")
			a, err1 := strconv.ParseUint(strings.TrimSpace(first), 10, 64)
			b, err2 := a, error(nil)
			if found {
				b, err2 = strconv.ParseUint(strings.TrimSpace(last), 10, 64)
			}
			switch {
			case err1 != nil || err2 != nil:
				return nil, specErr(s, field, "%q is not a number or a range first-last", r)
			case a > b:
				return nil, specErr(s, field, "%q runs backwards", r)
			case a < lo || b > hi:
				return nil, specErr(s, field, "%q is outside %d-%d, the values a %s pool can hold", r, lo, hi, s.Kind)
			}
			out = append(out, numset.Range{Lo: a, Hi: b})
		}
		return out, nil
	}
	ranges, err := parse("ranges", s.Ranges)
	if err != nil {
		return err
	}
	excl, err := parse("exclude", s.Exclude)
	if err != nil {
		return err
	}
	c.ranges = numset.Subtract(numset.Normalize(ranges), numset.Normalize(excl))
	c.size = numset.Size(c.ranges)
	return nil
}

func (c *compiled) compileIP() error {
	s := c.spec
	if s.Admin != "" {
		return specErr(s, "admin", "only rd and rt pools have an administrator")
	}
	maxBits := 32
	if s.Kind == KindIPv6 {
		maxBits = 128
	}
	parse := func(field string, list []string) ([]netip.Prefix, error) {
		out := make([]netip.Prefix, 0, len(list))
		for _, r := range list {
			p, err := netip.ParsePrefix(strings.TrimSpace(r))
			if err != nil || p.Addr().Zone() != "" {
				return nil, specErr(s, field, "%q is not a prefix", r)
			}
			if p.Addr().Is4() != (s.Kind == KindIPv4) || p.Addr().Is4In6() {
				return nil, specErr(s, field, "%q is not an %s prefix", r, s.Kind)
			}
			if p != p.Masked() {
				return nil, specErr(s, field, "%q has host bits set (did you mean %s?)", r, p.Masked())
			}
			out = append(out, p)
		}
		return out, nil
	}
	var err error
	if c.prefixes, err = parse("ranges", s.Ranges); err != nil {
		return err
	}
	if c.blocked, err = parse("exclude", s.Exclude); err != nil {
		return err
	}
	for i, p := range c.prefixes {
		for _, q := range c.prefixes[:i] {
			if p.Overlaps(q) {
				return specErr(s, "ranges", "%s overlaps %s", p, q)
			}
		}
	}
	sortPrefixes(c.prefixes)
	c.length = s.Length
	if c.length == 0 {
		c.length = maxBits
	}
	if c.length < 0 || c.length > maxBits {
		return specErr(s, "length", "/%d is not an %s prefix length", s.Length, s.Kind)
	}
	return nil
}

// inRange reports whether the numeric value n may be handed out.
func (c *compiled) inRange(n uint64) bool {
	for _, r := range c.ranges {
		if n >= r.Lo && n <= r.Hi {
			return true
		}
	}
	return false
}

// prefixOK reports whether p lies inside one of the pool's prefixes and
// clear of its exclusions.
func (c *compiled) prefixOK(p netip.Prefix) bool {
	inside := false
	for _, r := range c.prefixes {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			inside = true
			break
		}
	}
	if !inside {
		return false
	}
	for _, b := range c.blocked {
		if b.Overlaps(p) {
			return false
		}
	}
	return true
}

// container returns the pool prefix that contains p.
func (c *compiled) container(p netip.Prefix) netip.Prefix {
	for _, r := range c.prefixes {
		if r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return r
		}
	}
	return netip.Prefix{}
}
