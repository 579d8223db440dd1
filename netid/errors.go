package netid

import (
	"errors"
	"strconv"
)

// ErrInvalid is the sentinel behind every error returned by this package:
// text that does not parse as the requested identifier, a value that cannot
// be marshalled because it is out of range, and out-of-range arguments to
// [RDFrom] and [RTFrom]. Test for it with errors.Is.
var ErrInvalid = errors.New("netid: invalid identifier")

// idError is the one structured error of the package. It names the
// identifier type, the text or value that was rejected, and why.
type idError struct {
	op     string // "parse", "marshal" or "make"
	typ    string // human name of the type, such as "VLAN ID"
	input  string // the rejected text (quoted when op is "parse") or value
	reason string // lower-case, without a trailing period
}

func (e *idError) Error() string {
	s := "netid: " + e.op + " " + e.typ
	switch {
	case e.op == "parse":
		s += " " + strconv.Quote(e.input)
	case e.input != "":
		s += " " + e.input
	}
	return s + ": " + e.reason
}

// Unwrap returns [ErrInvalid], so errors.Is(err, ErrInvalid) holds for
// every error this package returns.
func (e *idError) Unwrap() error { return ErrInvalid }

func parseError(typ, input, reason string) error {
	return &idError{op: "parse", typ: typ, input: input, reason: reason}
}

func marshalError(typ string, value uint64, reason string) error {
	return &idError{op: "marshal", typ: typ, input: strconv.FormatUint(value, 10), reason: reason}
}

func makeError(typ, reason string) error {
	return &idError{op: "make", typ: typ, reason: reason}
}

// invalidString is what String returns for an invalid value: the bare
// phrase for the zero ("unset") value, and the number for anything else,
// which helps when debugging a value built by conversion.
func invalidString(typ string, value uint64) string {
	if value == 0 {
		return "invalid " + typ
	}
	return "invalid " + typ + " " + strconv.FormatUint(value, 10)
}
