package netid

const hexDigits = "0123456789abcdef"

// unhex returns the value of one hexadecimal digit of either case.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseOctets fills dst from s, which must be len(dst) two-digit hex octets
// separated by sep. It reports a reason on failure and never allocates on
// success.
func parseOctets(dst []byte, s string, sep byte) string {
	if len(s) != 3*len(dst)-1 {
		return "wrong length"
	}
	for i := range dst {
		if i > 0 && s[3*i-1] != sep {
			return "separators must all be " + string(rune(sep))
		}
		hi, ok1 := unhex(s[3*i])
		lo, ok2 := unhex(s[3*i+1])
		if !ok1 || !ok2 {
			return "invalid hex digit"
		}
		dst[i] = hi<<4 | lo
	}
	return ""
}

// appendOctets appends src as two-digit lower-case hex octets separated by
// sep.
func appendOctets(b, src []byte, sep byte) []byte {
	for i, o := range src {
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, hexDigits[o>>4], hexDigits[o&0xf])
	}
	return b
}
