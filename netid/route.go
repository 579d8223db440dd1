package netid

import (
	"cmp"
	"net/netip"
	"strconv"
	"strings"
)

// RDType is the layout of a route distinguisher's value field (RFC 4364
// section 4.2). Route targets use the same three layouts, as the
// two-octet-AS (RFC 4360), IPv4-address (RFC 4360) and four-octet-AS
// (RFC 5668) specific extended communities. The zero RDType is [RDType0],
// a real layout: the unset [RD] and [RT] are told apart by IsValid, not by
// their type.
type RDType uint8

// The layouts, with the RFC's numeric values.
const (
	// RDType0 has a 2-byte AS number administrator (1-65535) and a 4-byte
	// assigned number. Text form "65000:100".
	RDType0 RDType = 0
	// RDType1 has an IPv4 address administrator and a 2-byte assigned
	// number. Text form "192.0.2.1:7".
	RDType1 RDType = 1
	// RDType2 has a 4-byte AS number administrator and a 2-byte assigned
	// number. Text form "4200000000L:9".
	RDType2 RDType = 2
)

// String returns "type 0", "type 1" or "type 2", and "RDType(n)" for any
// other value.
func (t RDType) String() string {
	switch t {
	case RDType0:
		return "type 0"
	case RDType1:
		return "type 1"
	case RDType2:
		return "type 2"
	}
	return "RDType(" + strconv.Itoa(int(t)) + ")"
}

// adminLayout and numberLayout describe a layout's fields for error
// messages.
func (t RDType) adminLayout() string {
	switch t {
	case RDType0:
		return "2-byte AS"
	case RDType1:
		return "IPv4 address"
	}
	return "4-byte AS"
}

func (t RDType) numberLayout() string {
	if t == RDType0 {
		return "4-byte number"
	}
	return "2-byte number"
}

// noType is what Type returns for the unset RD and RT.
const noType RDType = 0xff

// routeID is the value shared by RD and RT: a layout, an administrator and
// an assigned number. The layout is stored as RDType+1 so that the zero
// routeID is unset. Field order makes == and compare agree with sorting by
// type, then administrator, then number.
type routeID struct {
	tag   uint8
	admin uint32
	num   uint32
}

func (id routeID) isValid() bool { return id.tag != 0 }

func (id routeID) typ() RDType {
	if id.tag == 0 {
		return noType
	}
	return RDType(id.tag - 1)
}

func (id routeID) adminAddr() netip.Addr {
	if id.typ() != RDType1 {
		return netip.Addr{}
	}
	a := id.admin
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}

func (id routeID) compare(o routeID) int {
	if c := cmp.Compare(id.tag, o.tag); c != 0 {
		return c
	}
	if c := cmp.Compare(id.admin, o.admin); c != 0 {
		return c
	}
	return cmp.Compare(id.num, o.num)
}

// makeRouteID checks that admin and num fit layout t and returns the
// reason when they do not.
func makeRouteID(t RDType, admin, num uint32) (routeID, string) {
	switch t {
	case RDType0:
		if admin == 0 {
			return routeID{}, "administrator must not be 0"
		}
		if admin > 0xffff {
			return routeID{}, "administrator " + strconv.FormatUint(uint64(admin), 10) +
				" does not fit " + t.String() + " (" + t.adminLayout() + ")"
		}
	case RDType1, RDType2:
		if admin == 0 {
			if t == RDType1 {
				return routeID{}, "administrator must not be 0.0.0.0"
			}
			return routeID{}, "administrator must not be 0"
		}
		if num > 0xffff {
			return routeID{}, "number " + strconv.FormatUint(uint64(num), 10) +
				" does not fit " + t.String() + " (" + t.numberLayout() + ")"
		}
	default:
		return routeID{}, "unknown layout " + t.String()
	}
	return routeID{tag: uint8(t) + 1, admin: admin, num: num}, ""
}

// parseRouteID parses "administrator:number". When auto is set the layout
// is chosen from the text as [ParseRD] documents; otherwise the text must
// fit layout want. It returns the reason on failure and never allocates on
// success.
func parseRouteID(s string, want RDType, auto bool) (routeID, string) {
	if !auto && want > RDType2 {
		return routeID{}, "unknown layout " + want.String()
	}
	if s == "" {
		return routeID{}, "empty"
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return routeID{}, "missing ':' between administrator and number"
	}
	adminText, numText := s[:colon], s[colon+1:]

	var t RDType
	var admin uint64
	switch {
	case strings.IndexByte(adminText, '.') >= 0:
		a, ok := parseIPv4(adminText)
		if !ok {
			return routeID{}, "administrator is not an IPv4 address"
		}
		t, admin = RDType1, uint64(a)
	case strings.HasSuffix(adminText, "L"):
		n, st := parseDecimal(adminText[:len(adminText)-1], 1<<32-1)
		if st != numOK {
			return routeID{}, st.reason("administrator", "administrator out of range 1-4294967295")
		}
		t, admin = RDType2, n
	default:
		n, st := parseDecimal(adminText, 1<<32-1)
		if st != numOK {
			return routeID{}, st.reason("administrator", "administrator out of range 1-4294967295")
		}
		t, admin = RDType0, n
		if n > 0xffff || (!auto && want == RDType2) {
			t = RDType2
		}
	}
	if !auto && t != want {
		return routeID{}, "administrator " + adminText + " does not fit " +
			want.String() + " (" + want.adminLayout() + ")"
	}

	num, st := parseDecimal(numText, 1<<32-1)
	if st != numOK {
		return routeID{}, st.reason("number", "number out of range 0-4294967295")
	}
	return makeRouteID(t, uint32(admin), uint32(num))
}

// parseIPv4 reads a dotted-quad IPv4 address with canonical decimal
// octets, returning it as a big-endian uint32.
func parseIPv4(s string) (uint32, bool) {
	var a uint32
	for i := range 4 {
		part := s
		if i < 3 {
			dot := strings.IndexByte(s, '.')
			if dot < 0 {
				return 0, false
			}
			part, s = s[:dot], s[dot+1:]
		}
		n, st := parseDecimal(part, 255)
		if st != numOK {
			return 0, false
		}
		a = a<<8 | uint32(n)
	}
	return a, true
}

func appendIPv4(b []byte, a uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(byte(a>>(8*i))), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}

// appendTo appends the canonical text form; id must be valid.
func (id routeID) appendTo(b []byte) []byte {
	switch id.typ() {
	case RDType0:
		b = strconv.AppendUint(b, uint64(id.admin), 10)
	case RDType1:
		b = appendIPv4(b, id.admin)
	case RDType2:
		b = strconv.AppendUint(b, uint64(id.admin), 10)
		b = append(b, 'L')
	}
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(id.num), 10)
}

// maxRouteIDLen is the length of the longest text form; the longest type 0
// and type 2 forms, "65535:4294967295" and "4294967295L:65535", are
// shorter.
const maxRouteIDLen = len("255.255.255.255:65535")

// RD is a BGP/MPLS VPN route distinguisher (RFC 4364): a layout
// ([RDType]), an administrator and an assigned number. The zero RD means
// "unset" and is invalid; every RD made by [RDFrom], [ParseRD] or
// [ParseRDAs] is valid. RD is comparable, so it can be a map key.
//
// RD and [RT] share their layouts and text forms but are distinct types,
// so one cannot be passed where the other is expected.
type RD struct {
	id routeID
}

const rdName = "RD"

// RDFrom returns the RD with layout t, administrator admin and assigned
// number number. For [RDType1], admin is the IPv4 address as a big-endian
// integer (192.0.2.1 is 0xC0000201). The arguments must fit the layout:
//
//   - [RDType0]: admin 1-65535, any number;
//   - [RDType1]: admin not 0.0.0.0, number 0-65535;
//   - [RDType2]: admin not 0, number 0-65535.
//
// Otherwise, or for an unknown layout, it returns an error wrapping
// [ErrInvalid]. It does not allocate on success.
func RDFrom(t RDType, admin, number uint32) (RD, error) {
	id, reason := makeRouteID(t, admin, number)
	if reason != "" {
		return RD{}, makeError(rdName, reason)
	}
	return RD{id}, nil
}

// ParseRD parses a route distinguisher written as administrator:number.
// The layout is chosen from the administrator:
//
//   - a dotted-quad IPv4 address ("192.0.2.1:7") gives [RDType1];
//   - a decimal number followed by "L" ("65000L:100", Junos' notation)
//     gives [RDType2], whatever its size;
//   - a decimal number up to 65535 ("65000:100") gives [RDType0];
//   - a larger decimal number ("4200000000:9") gives [RDType2].
//
// So a small AS number without "L" is always read as type 0; use the L
// suffix or [ParseRDAs] for a type 2 RD with a small AS number. Asdot
// administrators ("1.10:5") are not accepted. Numbers must be canonical
// decimal (no sign, spaces or leading zeros) and fit the chosen layout
// (see [RDFrom]). [RD.String] output always parses back to the same RD.
// Errors wrap [ErrInvalid]. It does not allocate on success.
func ParseRD(s string) (RD, error) {
	id, reason := parseRouteID(s, 0, true)
	if reason != "" {
		return RD{}, parseError(rdName, s, reason)
	}
	return RD{id}, nil
}

// ParseRDAs parses s like [ParseRD] but with the layout fixed to t, and
// rejects text that does not fit it: ParseRDAs(RDType0, "65536:1") fails
// because 65536 needs 4 bytes. For [RDType2] the administrator may be
// written with or without the "L" suffix. Errors wrap [ErrInvalid]. It does
// not allocate on success.
func ParseRDAs(t RDType, s string) (RD, error) {
	id, reason := parseRouteID(s, t, false)
	if reason != "" {
		return RD{}, parseError(rdName, s, reason)
	}
	return RD{id}, nil
}

// MustParseRD is like [ParseRD] but panics if s is not a valid route
// distinguisher. It is meant for tests and package-level constants, never
// for input.
func MustParseRD(s string) RD {
	r, err := ParseRD(s)
	if err != nil {
		panic(err)
	}
	return r
}

// IsValid reports whether r is set (not the zero RD).
func (r RD) IsValid() bool { return r.id.isValid() }

// Type returns the layout of r. For the zero RD it returns an RDType that
// is none of [RDType0], [RDType1] and [RDType2].
func (r RD) Type() RDType { return r.id.typ() }

// Admin returns the administrator field: an AS number for [RDType0] and
// [RDType2], the IPv4 address as a big-endian integer for [RDType1]. It
// returns 0 for the zero RD.
func (r RD) Admin() uint32 { return r.id.admin }

// AdminAddr returns the administrator of an [RDType1] RD as an IPv4
// address, and the invalid zero netip.Addr for any other RD.
func (r RD) AdminAddr() netip.Addr { return r.id.adminAddr() }

// Number returns the assigned number field, or 0 for the zero RD.
func (r RD) Number() uint32 { return r.id.num }

// String returns the canonical text form of r: "65000:100" for type 0,
// "192.0.2.1:7" for type 1 and "4200000000L:9" or "65000L:100" for type 2
// (always with the "L", so that the layout survives a round trip through
// [ParseRD]). It returns "invalid RD" for the zero RD.
func (r RD) String() string {
	if !r.IsValid() {
		return invalidString(rdName, 0)
	}
	var buf [maxRouteIDLen]byte
	return string(r.id.appendTo(buf[:0]))
}

// AppendText implements [encoding.TextAppender]. It appends the
// [RD.String] form of r to b, and nothing for the zero RD. It never fails
// and does not allocate when b has room (21 bytes are always enough).
func (r RD) AppendText(b []byte) ([]byte, error) {
	if !r.IsValid() {
		return b, nil
	}
	return r.id.appendTo(b), nil
}

// MarshalText implements [encoding.TextMarshaler] like [RD.AppendText]:
// the zero RD marshals to empty text.
func (r RD) MarshalText() ([]byte, error) {
	return r.AppendText(make([]byte, 0, maxRouteIDLen))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets r
// to the zero RD; anything else must be accepted by [ParseRD]. On error r
// is left unchanged.
func (r *RD) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*r = RD{}
		return nil
	}
	id, reason := parseRouteID(string(text), 0, true)
	if reason != "" {
		return parseError(rdName, string(text), reason)
	}
	*r = RD{id}
	return nil
}

// Compare orders route distinguishers by layout, then administrator, then
// assigned number, returning -1, 0 or +1. The zero RD sorts first.
func (r RD) Compare(o RD) int { return r.id.compare(o.id) }

// RT is a BGP route target: a route target extended community (RFC 4360,
// RFC 5668) whose value uses the same three layouts as an [RD]. The zero
// RT means "unset" and is invalid; every RT made by [RTFrom], [ParseRT] or
// [ParseRTAs] is valid. RT is comparable, so it can be a map key.
//
// Its text form is Junos' community notation, "target:" followed by the
// [RD] text form: "target:65000:100", "target:192.0.2.1:7",
// "target:4200000000L:9".
type RT struct {
	id routeID
}

const (
	rtName   = "RT"
	rtPrefix = "target:"
)

// RTFrom returns the RT with layout t, administrator admin and assigned
// number number, with the same rules as [RDFrom]. Errors wrap
// [ErrInvalid]. It does not allocate on success.
func RTFrom(t RDType, admin, number uint32) (RT, error) {
	id, reason := makeRouteID(t, admin, number)
	if reason != "" {
		return RT{}, makeError(rtName, reason)
	}
	return RT{id}, nil
}

// ParseRT parses a route target written as "target:" followed by
// administrator:number, or as the bare administrator:number. The layout
// is chosen as [ParseRD] chooses it, so "target:65000:100" is type 0 and
// "target:65000L:100" is type 2. [RT.String] output always parses back to
// the same RT. Errors wrap [ErrInvalid] and quote the whole input. It does
// not allocate on success.
func ParseRT(s string) (RT, error) {
	id, reason := parseRouteID(strings.TrimPrefix(s, rtPrefix), 0, true)
	if reason != "" {
		return RT{}, parseError(rtName, s, reason)
	}
	return RT{id}, nil
}

// ParseRTAs parses s like [ParseRT] but with the layout fixed to t, as
// [ParseRDAs] does. Errors wrap [ErrInvalid]. It does not allocate on
// success.
func ParseRTAs(t RDType, s string) (RT, error) {
	id, reason := parseRouteID(strings.TrimPrefix(s, rtPrefix), t, false)
	if reason != "" {
		return RT{}, parseError(rtName, s, reason)
	}
	return RT{id}, nil
}

// MustParseRT is like [ParseRT] but panics if s is not a valid route
// target. It is meant for tests and package-level constants, never for
// input.
func MustParseRT(s string) RT {
	r, err := ParseRT(s)
	if err != nil {
		panic(err)
	}
	return r
}

// IsValid reports whether r is set (not the zero RT).
func (r RT) IsValid() bool { return r.id.isValid() }

// Type returns the layout of r. For the zero RT it returns an RDType that
// is none of [RDType0], [RDType1] and [RDType2].
func (r RT) Type() RDType { return r.id.typ() }

// Admin returns the administrator field: an AS number for [RDType0] and
// [RDType2], the IPv4 address as a big-endian integer for [RDType1]. It
// returns 0 for the zero RT.
func (r RT) Admin() uint32 { return r.id.admin }

// AdminAddr returns the administrator of an [RDType1] RT as an IPv4
// address, and the invalid zero netip.Addr for any other RT.
func (r RT) AdminAddr() netip.Addr { return r.id.adminAddr() }

// Number returns the assigned number field, or 0 for the zero RT.
func (r RT) Number() uint32 { return r.id.num }

// String returns the canonical text form of r, such as "target:65000:100",
// "target:192.0.2.1:7" or "target:4200000000L:9" (type 2 always carries
// the "L"). It returns "invalid RT" for the zero RT.
func (r RT) String() string {
	if !r.IsValid() {
		return invalidString(rtName, 0)
	}
	var buf [len(rtPrefix) + maxRouteIDLen]byte
	return string(r.id.appendTo(append(buf[:0], rtPrefix...)))
}

// AppendText implements [encoding.TextAppender]. It appends the
// [RT.String] form of r to b, and nothing for the zero RT. It never fails
// and does not allocate when b has room (28 bytes are always enough).
func (r RT) AppendText(b []byte) ([]byte, error) {
	if !r.IsValid() {
		return b, nil
	}
	return r.id.appendTo(append(b, rtPrefix...)), nil
}

// MarshalText implements [encoding.TextMarshaler] like [RT.AppendText]:
// the zero RT marshals to empty text.
func (r RT) MarshalText() ([]byte, error) {
	return r.AppendText(make([]byte, 0, len(rtPrefix)+maxRouteIDLen))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets r
// to the zero RT; anything else must be accepted by [ParseRT]. On error r
// is left unchanged.
func (r *RT) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*r = RT{}
		return nil
	}
	id, reason := parseRouteID(strings.TrimPrefix(string(text), rtPrefix), 0, true)
	if reason != "" {
		return parseError(rtName, string(text), reason)
	}
	*r = RT{id}
	return nil
}

// Compare orders route targets by layout, then administrator, then
// assigned number, returning -1, 0 or +1. The zero RT sorts first.
func (r RT) Compare(o RT) int { return r.id.compare(o.id) }
