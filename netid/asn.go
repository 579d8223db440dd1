package netid

import (
	"cmp"
	"strconv"
	"strings"
)

// ASN is a BGP autonomous system number. Four-octet AS numbers (RFC 6793)
// make every value from 1 to 4294967295 valid; the zero ASN means "unset"
// and is invalid (AS 0 is reserved by RFC 7607).
//
// Its text form is asplain (RFC 5396), the decimal number such as
// "4200000000". [ParseASN] also reads asdot; [ASN.DotString] writes it.
type ASN uint32

const (
	asnName  = "ASN"
	asnRange = "out of range 1-4294967295"
)

// ParseASN parses an AS number in either notation of RFC 5396:
//
//   - asplain, a decimal number from 1 to 4294967295, such as "65000";
//   - asdot, two decimal numbers from 0 to 65535 joined by a dot, standing
//     for high*65536+low, such as "1.10" (65546) or "0.65000" (65000).
//
// Both halves, and asplain numbers, must be canonical decimal: no sign,
// spaces or leading zeros. "0" and "0.0" are rejected because AS 0 is not
// valid. Errors wrap [ErrInvalid]. It does not allocate on success.
func ParseASN(s string) (ASN, error) {
	a, reason := parseASN(s)
	if reason != "" {
		return 0, parseError(asnName, s, reason)
	}
	return a, nil
}

func parseASN(s string) (ASN, string) {
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		const halfRange = "out of range 0-65535"
		hi, st := parseDecimal(s[:dot], 0xffff)
		if st != numOK {
			return 0, st.reason("asdot high part", "asdot high part "+halfRange)
		}
		lo, st := parseDecimal(s[dot+1:], 0xffff)
		if st != numOK {
			return 0, st.reason("asdot low part", "asdot low part "+halfRange)
		}
		if hi == 0 && lo == 0 {
			return 0, "AS 0 is reserved"
		}
		return ASN(hi<<16 | lo), ""
	}
	n, st := parseDecimal(s, 1<<32-1)
	if st == numOK && n == 0 {
		return 0, "AS 0 is reserved"
	}
	if st != numOK {
		return 0, st.reason("", asnRange)
	}
	return ASN(n), ""
}

// MustParseASN is like [ParseASN] but panics if s is not a valid AS number.
// It is meant for tests and package-level constants, never for input.
func MustParseASN(s string) ASN {
	a, err := ParseASN(s)
	if err != nil {
		panic(err)
	}
	return a
}

// IsValid reports whether a is set (not zero).
func (a ASN) IsValid() bool { return a != 0 }

// Is2Byte reports whether a is a valid two-octet AS number (1-65535), one
// that fits the AS field of a BGP OPEN message or a type 0 [RD].
func (a ASN) Is2Byte() bool { return a != 0 && a <= 0xffff }

// String returns a in asplain, such as "4200000000", or "invalid ASN" for
// the zero ASN.
func (a ASN) String() string {
	if !a.IsValid() {
		return invalidString(asnName, 0)
	}
	return strconv.FormatUint(uint64(a), 10)
}

// DotString returns a in the asdot notation of RFC 5396: numbers up to
// 65535 in plain decimal ("65000"), larger ones as high.low ("1.10" for
// 65546). It returns "invalid ASN" for the zero ASN. [ParseASN] reads the
// result back to a.
func (a ASN) DotString() string {
	if !a.IsValid() {
		return invalidString(asnName, 0)
	}
	if a <= 0xffff {
		return strconv.FormatUint(uint64(a), 10)
	}
	var buf [11]byte
	b := strconv.AppendUint(buf[:0], uint64(a>>16), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(a&0xffff), 10)
	return string(b)
}

// AppendText implements [encoding.TextAppender]. It appends the asplain
// form of a to b, and nothing for the zero ASN. It never fails and does
// not allocate when b has room.
func (a ASN) AppendText(b []byte) ([]byte, error) {
	if a == 0 {
		return b, nil
	}
	return strconv.AppendUint(b, uint64(a), 10), nil
}

// MarshalText implements [encoding.TextMarshaler] like [ASN.AppendText]:
// asplain, and empty text for the zero ASN.
func (a ASN) MarshalText() ([]byte, error) {
	return a.AppendText(make([]byte, 0, 10))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets a
// to zero; anything else must be accepted by [ParseASN], so asdot is read
// too. On error a is left unchanged.
func (a *ASN) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*a = 0
		return nil
	}
	x, reason := parseASN(string(text))
	if reason != "" {
		return parseError(asnName, string(text), reason)
	}
	*a = x
	return nil
}

// Compare returns -1, 0 or +1 as a is numerically less than, equal to or
// greater than b.
func (a ASN) Compare(b ASN) int { return cmp.Compare(a, b) }
