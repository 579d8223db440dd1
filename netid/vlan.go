package netid

import (
	"cmp"
	"strconv"
)

// VLANID is an IEEE 802.1Q VLAN identifier. Valid IDs are 1 to 4094; 0 and
// 4095 are reserved by the standard. The zero VLANID means "unset" and is
// invalid.
//
// A VLANID converted from an arbitrary integer may be out of range; check it
// with [VLANID.IsValid]. Its text form is the decimal number, such as "100".
type VLANID uint16

const (
	vlanName  = "VLAN ID"
	vlanRange = "out of range 1-4094"
)

// ParseVLANID parses a VLAN ID written in canonical decimal, such as "100".
// It rejects signs, spaces, leading zeros ("0100"), the empty string and
// numbers outside 1-4094. Errors wrap [ErrInvalid]. It does not allocate
// on success.
func ParseVLANID(s string) (VLANID, error) {
	v, reason := parseVLANID(s)
	if reason != "" {
		return 0, parseError(vlanName, s, reason)
	}
	return v, nil
}

func parseVLANID(s string) (VLANID, string) {
	n, st := parseDecimal(s, 4094)
	if st == numOK && n == 0 {
		st = numRange
	}
	if st != numOK {
		return 0, st.reason("", vlanRange)
	}
	return VLANID(n), ""
}

// MustParseVLANID is like [ParseVLANID] but panics if s is not a valid VLAN
// ID. It is meant for tests and package-level constants, never for input.
func MustParseVLANID(s string) VLANID {
	v, err := ParseVLANID(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsValid reports whether v is in the range 1-4094.
func (v VLANID) IsValid() bool { return v >= 1 && v <= 4094 }

// String returns v in decimal, or "invalid VLAN ID" (followed by the number
// if it is not zero) when v is not valid.
func (v VLANID) String() string {
	if !v.IsValid() {
		return invalidString(vlanName, uint64(v))
	}
	return strconv.FormatUint(uint64(v), 10)
}

// AppendText implements [encoding.TextAppender]. It appends the decimal
// form of v to b, appends nothing for the zero VLANID, and fails with an
// error wrapping [ErrInvalid] for any other invalid value. It does not
// allocate when b has room.
func (v VLANID) AppendText(b []byte) ([]byte, error) {
	if v == 0 {
		return b, nil
	}
	if !v.IsValid() {
		return b, marshalError(vlanName, uint64(v), vlanRange)
	}
	return strconv.AppendUint(b, uint64(v), 10), nil
}

// MarshalText implements [encoding.TextMarshaler] like
// [VLANID.AppendText]: the zero VLANID marshals to empty text, so optional
// fields round-trip.
func (v VLANID) MarshalText() ([]byte, error) {
	return v.AppendText(make([]byte, 0, 4))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets v
// to zero; anything else must be accepted by [ParseVLANID]. On error v is
// left unchanged.
func (v *VLANID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*v = 0
		return nil
	}
	x, reason := parseVLANID(string(text))
	if reason != "" {
		return parseError(vlanName, string(text), reason)
	}
	*v = x
	return nil
}

// Compare returns -1, 0 or +1 as v is numerically less than, equal to or
// greater than w.
func (v VLANID) Compare(w VLANID) int { return cmp.Compare(v, w) }
