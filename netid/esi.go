package netid

import "bytes"

// ESI is an EVPN Ethernet segment identifier (RFC 7432 section 5): ten
// octets, the first of which is the ESI type. The zero ESI, which RFC 7432
// reserves for single-homed sites, means "unset" here and is invalid;
// every other value is valid.
//
// Its text form is ten lower-case hex octets separated by colons, such as
// "00:11:22:33:44:55:66:77:88:99".
type ESI [10]byte

const esiName = "ESI"

// ParseESI parses an ESI written as ten two-digit hex octets separated by
// colons, such as "00:11:22:33:44:55:66:77:88:99"; hex digits may be of
// either case. The all-zero ESI is rejected. Errors wrap [ErrInvalid]. It
// does not allocate on success.
func ParseESI(s string) (ESI, error) {
	e, reason := parseESI(s)
	if reason != "" {
		return ESI{}, parseError(esiName, s, reason)
	}
	return e, nil
}

func parseESI(s string) (ESI, string) {
	if s == "" {
		return ESI{}, "empty"
	}
	var e ESI
	if reason := parseOctets(e[:], s, ':'); reason != "" {
		if reason == "wrong length" {
			reason = "not ten colon-separated hex octets"
		}
		return ESI{}, reason
	}
	if e == (ESI{}) {
		return ESI{}, "all-zero ESI is not valid"
	}
	return e, ""
}

// MustParseESI is like [ParseESI] but panics if s is not a valid ESI. It is
// meant for tests and package-level constants, never for input.
func MustParseESI(s string) ESI {
	e, err := ParseESI(s)
	if err != nil {
		panic(err)
	}
	return e
}

// IsValid reports whether e is set (not all zero).
func (e ESI) IsValid() bool { return e != ESI{} }

// String returns e as lower-case colon-separated octets, or "invalid ESI"
// for the zero ESI.
func (e ESI) String() string {
	if !e.IsValid() {
		return invalidString(esiName, 0)
	}
	var buf [29]byte
	return string(appendOctets(buf[:0], e[:], ':'))
}

// AppendText implements [encoding.TextAppender]. It appends the
// [ESI.String] form of e to b, and nothing for the zero ESI. It never
// fails and does not allocate when b has room (29 bytes).
func (e ESI) AppendText(b []byte) ([]byte, error) {
	if !e.IsValid() {
		return b, nil
	}
	return appendOctets(b, e[:], ':'), nil
}

// MarshalText implements [encoding.TextMarshaler] like [ESI.AppendText]:
// the zero ESI marshals to empty text.
func (e ESI) MarshalText() ([]byte, error) {
	return e.AppendText(make([]byte, 0, 29))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets e
// to the zero ESI; anything else must be accepted by [ParseESI]. On error
// e is left unchanged.
func (e *ESI) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*e = ESI{}
		return nil
	}
	x, reason := parseESI(string(text))
	if reason != "" {
		return parseError(esiName, string(text), reason)
	}
	*e = x
	return nil
}

// Compare orders ESIs byte by byte, returning -1, 0 or +1.
func (e ESI) Compare(o ESI) int { return bytes.Compare(e[:], o[:]) }
