package netid

import (
	"cmp"
	"strconv"
	"strings"
)

// Bitrate is a data rate in bits per second. Every value above zero is
// valid; the zero Bitrate means "unset" and is invalid.
//
// Its text form is a whole number followed by the largest decimal unit that
// divides it exactly: "K" (10^3), "M" (10^6), "G" (10^9) or "T" (10^12), or
// no unit at all. So 100000000 is "100M", 1500000000 is "1500M" and 1234 is
// "1234".
type Bitrate uint64

const bitrateName = "bitrate"

// bitrateUnits are the units String uses, largest first.
var bitrateUnits = [...]struct {
	div    Bitrate
	suffix byte
}{{1e12, 'T'}, {1e9, 'G'}, {1e6, 'M'}, {1e3, 'K'}}

// ParseBitrate parses a bit rate: a canonical decimal number, optionally
// with a decimal fraction, optionally followed by a unit k or K (10^3), m
// or M (10^6), g or G (10^9), t or T (10^12), optionally followed by
// "bps". Examples: "1000", "100M", "2.5g", "10Gbps", "64kbps".
//
// The result must be a whole number of bits per second ("1.5k" is 1500,
// "1.5" is rejected), above zero, and no more than 2^64-1. Signs, spaces,
// exponents and leading zeros ("0100M"; "0.5G" is fine) are rejected, as is
// a point without digits on both sides. Errors wrap [ErrInvalid]. It does
// not allocate on success.
func ParseBitrate(s string) (Bitrate, error) {
	r, reason := parseBitrate(s)
	if reason != "" {
		return 0, parseError(bitrateName, s, reason)
	}
	return r, nil
}

func parseBitrate(s string) (Bitrate, string) {
	const overflow = "out of range (more than 18446744073709551615 bit/s)"
	if s == "" {
		return 0, "empty"
	}
	s = strings.TrimSuffix(s, "bps")
	exp := 0
	if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			exp = 3
		case 'm', 'M':
			exp = 6
		case 'g', 'G':
			exp = 9
		case 't', 'T':
			exp = 12
		}
		if exp > 0 {
			s = s[:len(s)-1]
		}
	}
	if s == "" {
		return 0, "missing number"
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" || (hasPoint && frac == "") {
		return 0, "decimal point needs digits on both sides"
	}
	n, st := parseDecimal(whole, 1<<64-1)
	if st != numOK {
		return 0, st.reason("", overflow)
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, "not a decimal number"
		}
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > exp {
		return 0, "not a whole number of bit/s"
	}
	scale := pow10(exp)
	if n > (1<<64-1)/scale {
		return 0, overflow
	}
	n *= scale
	var f uint64
	for i := 0; i < len(frac); i++ {
		f = f*10 + uint64(frac[i]-'0')
	}
	f *= pow10(exp - len(frac)) // < 10^12, cannot overflow
	if n > 1<<64-1-f {
		return 0, overflow
	}
	n += f
	if n == 0 {
		return 0, "zero is not a valid bitrate"
	}
	return Bitrate(n), ""
}

func pow10(e int) uint64 {
	p := uint64(1)
	for range e {
		p *= 10
	}
	return p
}

// MustParseBitrate is like [ParseBitrate] but panics if s is not a valid
// bit rate. It is meant for tests and package-level constants, never for
// input.
func MustParseBitrate(s string) Bitrate {
	r, err := ParseBitrate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// IsValid reports whether r is set (above zero).
func (r Bitrate) IsValid() bool { return r != 0 }

// String returns r in its text form, such as "100M", or "invalid bitrate"
// for the zero Bitrate.
func (r Bitrate) String() string {
	if !r.IsValid() {
		return invalidString(bitrateName, 0)
	}
	var buf [20]byte
	b, _ := r.AppendText(buf[:0])
	return string(b)
}

// AppendText implements [encoding.TextAppender]. It appends the
// [Bitrate.String] form of r to b, and nothing for the zero Bitrate. It
// never fails and does not allocate when b has room (20 bytes).
func (r Bitrate) AppendText(b []byte) ([]byte, error) {
	if r == 0 {
		return b, nil
	}
	for _, u := range bitrateUnits {
		if r%u.div == 0 {
			return append(strconv.AppendUint(b, uint64(r/u.div), 10), u.suffix), nil
		}
	}
	return strconv.AppendUint(b, uint64(r), 10), nil
}

// MarshalText implements [encoding.TextMarshaler] like
// [Bitrate.AppendText]: the zero Bitrate marshals to empty text.
func (r Bitrate) MarshalText() ([]byte, error) {
	return r.AppendText(make([]byte, 0, 20))
}

// UnmarshalText implements [encoding.TextUnmarshaler]. Empty text sets r
// to zero; anything else must be accepted by [ParseBitrate]. On error r is
// left unchanged.
func (r *Bitrate) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*r = 0
		return nil
	}
	x, reason := parseBitrate(string(text))
	if reason != "" {
		return parseError(bitrateName, string(text), reason)
	}
	*r = x
	return nil
}

// Compare returns -1, 0 or +1 as r is less than, equal to or greater than
// o.
func (r Bitrate) Compare(o Bitrate) int { return cmp.Compare(r, o) }
