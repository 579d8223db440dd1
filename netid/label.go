package netid

import (
	"cmp"
	"strconv"
)

// Label is an MPLS label value (RFC 3032), a 20-bit number. Labels 0-15 are
// reserved for special purposes (explicit and implicit null, router alert
// and so on) and are not valid here, so valid labels are 16 to 1048575.
// The zero Label means "unset" and is invalid. Its text form is the decimal
// number.
type Label uint32

const (
	labelName     = "MPLS label"
	labelRange    = "out of range 16-1048575"
	labelReserved = "reserved (0-15)"
)

// ParseLabel parses an MPLS label written in canonical decimal, such as
// "299776". It rejects the reserved labels 0-15, numbers above 1048575,
// signs, spaces, leading zeros and the empty string. Errors wrap
// [ErrInvalid]. It does not allocate on success.
func ParseLabel(s string) (Label, error) {
	l, reason := parseLabel(s)
	if reason != "" {
		return 0, parseError(labelName, s, reason)
	}
	return l, nil
}

func parseLabel(s string) (Label, string) {
	n, st := parseDecimal(s, 1<<20-1)
	if st != numOK {
		return 0, st.reason("", labelRange)
	}
	if n < 16 {
		return 0, labelReserved
	}
	return Label(n), ""
}

// MustParseLabel is like [ParseLabel] but panics if s is not a valid label.
// It is meant for tests and package-level constants, never for input.
func MustParseLabel(s string) Label {
	l, err := ParseLabel(s)
	if err != nil {
		panic(err)
	}
	return l
}

// IsValid reports whether l is in the range 16-1048575.
func (l Label) IsValid() bool { return l >= 16 && l <= 1<<20-1 }

// String returns l in decimal, or "invalid MPLS label" (followed by the
// number if it is not zero) when l is not valid.
func (l Label) String() string {
	if !l.IsValid() {
		return invalidString(labelName, uint64(l))
	}
	return strconv.FormatUint(uint64(l), 10)
}

// AppendText implements [encoding.TextAppender]. It appends the decimal
// form of l to b, appends nothing for the zero Label, and fails with an
// error wrapping [ErrInvalid] for any other invalid value, including the
// reserved labels 1-15. It does not allocate when b has room.
func (l Label) AppendText(b []byte) ([]byte, error) {
	if l == 0 {
		return b, nil
	}
	if l < 16 {
		return b, marshalError(labelName, uint64(l), labelReserved)
	}
	if !l.IsValid() {
		return b, marshalError(labelName, uint64(l), labelRange)
	}
	return strconv.AppendUint(b, uint64(l), 10), nil
}

// MarshalText implements [encoding.TextMarshaler] like [Label.AppendText]:
// the zero Label marshals to empty text.
func (l Label) MarshalText() ([]byte, error) {
	return l.AppendText(make([]byte, 0, 7))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets l
// to zero; anything else must be accepted by [ParseLabel]. On error l is
// left unchanged.
func (l *Label) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*l = 0
		return nil
	}
	x, reason := parseLabel(string(text))
	if reason != "" {
		return parseError(labelName, string(text), reason)
	}
	*l = x
	return nil
}

// Compare returns -1, 0 or +1 as l is numerically less than, equal to or
// greater than m.
func (l Label) Compare(m Label) int { return cmp.Compare(l, m) }
