package netid

// numStatus says why parseDecimal rejected its input.
type numStatus uint8

const (
	numOK numStatus = iota
	numEmpty
	numSyntax
	numLeadingZero
	numRange
)

// parseDecimal reads s as an unsigned decimal number in canonical form:
// ASCII digits only, no sign, no spaces, and no leading zero unless the
// number is "0" itself. Numbers above max report numRange. It never
// allocates.
func parseDecimal(s string, max uint64) (uint64, numStatus) {
	if s == "" {
		return 0, numEmpty
	}
	var v uint64
	over := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, numSyntax
		}
		d := uint64(c - '0')
		if !over {
			if v > (max-d)/10 {
				over = true
			} else {
				v = v*10 + d
			}
		}
	}
	if s[0] == '0' && len(s) > 1 {
		return 0, numLeadingZero
	}
	if over {
		return 0, numRange
	}
	return v, numOK
}

// reason turns a failed status into an error reason. what names the part
// of the input that was being read ("" for the whole input); outOfRange is
// the complete reason to use for numRange.
func (st numStatus) reason(what, outOfRange string) string {
	if what == "" {
		switch st {
		case numEmpty:
			return "empty"
		case numSyntax:
			return "not a decimal number"
		case numLeadingZero:
			return "leading zero"
		}
		return outOfRange
	}
	switch st {
	case numEmpty:
		return "empty " + what
	case numSyntax:
		return what + " is not a decimal number"
	case numLeadingZero:
		return what + " has a leading zero"
	}
	return outOfRange
}
