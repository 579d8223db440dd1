package netid

import (
	"cmp"
	"strconv"
)

// VCID is a pseudowire (virtual circuit) identifier as signalled by LDP
// (RFC 8077) or configured on an l2circuit. Every value from 1 to
// 4294967295 is valid; the zero VCID means "unset" and is invalid. Its text
// form is the decimal number.
type VCID uint32

const (
	vcidName  = "VC ID"
	vcidRange = "out of range 1-4294967295"
)

// ParseVCID parses a VC ID written in canonical decimal, such as "1001".
// It rejects signs, spaces, leading zeros, the empty string, "0" and
// numbers above 4294967295. Errors wrap [ErrInvalid]. It does not allocate
// on success.
func ParseVCID(s string) (VCID, error) {
	v, reason := parseVCID(s)
	if reason != "" {
		return 0, parseError(vcidName, s, reason)
	}
	return v, nil
}

func parseVCID(s string) (VCID, string) {
	n, st := parseDecimal(s, 1<<32-1)
	if st == numOK && n == 0 {
		st = numRange
	}
	if st != numOK {
		return 0, st.reason("", vcidRange)
	}
	return VCID(n), ""
}

// MustParseVCID is like [ParseVCID] but panics if s is not a valid VC ID.
// It is meant for tests and package-level constants, never for input.
func MustParseVCID(s string) VCID {
	v, err := ParseVCID(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsValid reports whether v is set (not zero).
func (v VCID) IsValid() bool { return v != 0 }

// String returns v in decimal, or "invalid VC ID" for the zero VCID.
func (v VCID) String() string {
	if !v.IsValid() {
		return invalidString(vcidName, uint64(v))
	}
	return strconv.FormatUint(uint64(v), 10)
}

// AppendText implements [encoding.TextAppender]. It appends the decimal
// form of v to b, and nothing for the zero VCID. It never fails and does
// not allocate when b has room.
func (v VCID) AppendText(b []byte) ([]byte, error) {
	if v == 0 {
		return b, nil
	}
	return strconv.AppendUint(b, uint64(v), 10), nil
}

// MarshalText implements [encoding.TextMarshaler] like [VCID.AppendText]:
// the zero VCID marshals to empty text.
func (v VCID) MarshalText() ([]byte, error) {
	return v.AppendText(make([]byte, 0, 10))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets v
// to zero; anything else must be accepted by [ParseVCID]. On error v is
// left unchanged.
func (v *VCID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*v = 0
		return nil
	}
	x, reason := parseVCID(string(text))
	if reason != "" {
		return parseError(vcidName, string(text), reason)
	}
	*v = x
	return nil
}

// Compare returns -1, 0 or +1 as v is numerically less than, equal to or
// greater than w.
func (v VCID) Compare(w VCID) int { return cmp.Compare(v, w) }
