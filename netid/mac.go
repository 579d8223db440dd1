package netid

import "bytes"

// MAC is an IEEE 802 48-bit MAC address. Unlike net.HardwareAddr it is a
// fixed-size array, so it is comparable and can be a map key. The zero
// (all-zero) MAC means "unset" and is invalid; every other value is valid,
// including broadcast and multicast addresses.
//
// Its text form is six lower-case hex octets separated by colons, such as
// "00:11:22:aa:bb:cc".
type MAC [6]byte

const macName = "MAC"

// ParseMAC parses a MAC address in any of these forms, with hex digits of
// either case:
//
//   - "00:11:22:aa:bb:cc", colon-separated octets;
//   - "00-11-22-AA-BB-CC", hyphen-separated octets;
//   - "0011.22aa.bbcc", dot-separated groups of four digits (Cisco, Junos).
//
// Every octet needs both digits and the separators may not be mixed. The
// all-zero address is rejected. Errors wrap [ErrInvalid]. It does not
// allocate on success.
func ParseMAC(s string) (MAC, error) {
	m, reason := parseMAC(s)
	if reason != "" {
		return MAC{}, parseError(macName, s, reason)
	}
	return m, nil
}

func parseMAC(s string) (MAC, string) {
	var m MAC
	switch {
	case s == "":
		return MAC{}, "empty"
	case len(s) == 17 && (s[2] == ':' || s[2] == '-'):
		if reason := parseOctets(m[:], s, s[2]); reason != "" {
			return MAC{}, reason
		}
	case len(s) == 14 && s[4] == '.' && s[9] == '.':
		for g := range 3 {
			for i := range 2 {
				p := 5*g + 2*i
				hi, ok1 := unhex(s[p])
				lo, ok2 := unhex(s[p+1])
				if !ok1 || !ok2 {
					return MAC{}, "invalid hex digit"
				}
				m[2*g+i] = hi<<4 | lo
			}
		}
	default:
		return MAC{}, "not in a MAC address format (xx:xx:xx:xx:xx:xx, xx-xx-xx-xx-xx-xx or xxxx.xxxx.xxxx)"
	}
	if m == (MAC{}) {
		return MAC{}, "all-zero address is not valid"
	}
	return m, ""
}

// MustParseMAC is like [ParseMAC] but panics if s is not a valid MAC
// address. It is meant for tests and package-level constants, never for
// input.
func MustParseMAC(s string) MAC {
	m, err := ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// IsValid reports whether m is set (not all zero).
func (m MAC) IsValid() bool { return m != MAC{} }

// String returns m as lower-case colon-separated octets, such as
// "00:11:22:aa:bb:cc", or "invalid MAC" for the zero MAC.
func (m MAC) String() string {
	if !m.IsValid() {
		return invalidString(macName, 0)
	}
	var buf [17]byte
	return string(appendOctets(buf[:0], m[:], ':'))
}

// AppendText implements [encoding.TextAppender]. It appends the
// [MAC.String] form of m to b, and nothing for the zero MAC. It never
// fails and does not allocate when b has room (17 bytes).
func (m MAC) AppendText(b []byte) ([]byte, error) {
	if !m.IsValid() {
		return b, nil
	}
	return appendOctets(b, m[:], ':'), nil
}

// MarshalText implements [encoding.TextMarshaler] like [MAC.AppendText]:
// the zero MAC marshals to empty text.
func (m MAC) MarshalText() ([]byte, error) {
	return m.AppendText(make([]byte, 0, 17))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets m
// to the zero MAC; anything else must be accepted by [ParseMAC]. On error
// m is left unchanged.
func (m *MAC) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*m = MAC{}
		return nil
	}
	x, reason := parseMAC(string(text))
	if reason != "" {
		return parseError(macName, string(text), reason)
	}
	*m = x
	return nil
}

// Compare orders MAC addresses as big-endian 48-bit numbers (byte by
// byte), returning -1, 0 or +1.
func (m MAC) Compare(o MAC) int { return bytes.Compare(m[:], o[:]) }
