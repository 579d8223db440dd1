package junosconf

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinels matched with errors.Is through an [*Error] or [Errors].
var (
	// ErrSyntax: a statement, keyword or token the schema does not allow.
	ErrSyntax = errors.New("syntax error")
	// ErrNotInFamily: a statement that exists in Junos but not in the
	// family being parsed (security on MX, virtual-network-functions on SRX).
	ErrNotInFamily = errors.New("statement not in this family")
	// ErrInvalidValue: a value that does not fit its leaf's type or range.
	ErrInvalidValue = errors.New("invalid value")
	// ErrCheck: a commit-time rule of [Check] failed.
	ErrCheck = errors.New("commit check failed")
)

var errNotFound = errors.New("statement not found")

// Error is one problem with a configuration, shaped like a Junos rpc-error.
type Error struct {
	Severity string // "error" or "warning"
	Path     string // Junos error-path banner, e.g. "[edit interfaces ge-0/0/1 unit 100]"
	Element  string // the offending statement word (bad-element), e.g. "vlan-idd"
	Message  string // e.g. "syntax error", "invalid value: 5000 (out of range 1..4094)"
	Line     int    // 1-based line in the input, 0 if none

	err error // sentinel
}

// Error formats e as "junosconf: [edit …] 'element': message", followed by
// " (line N)" when the line is known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("junosconf: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteByte(' ')
	}
	if e.Element != "" {
		b.WriteString("'" + e.Element + "': ")
	}
	b.WriteString(e.Message)
	if e.Line > 0 {
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(')')
	}
	return b.String()
}

// Unwrap returns the sentinel behind e ([ErrSyntax], [ErrNotInFamily],
// [ErrInvalidValue], [ErrCheck]) or nil.
func (e *Error) Unwrap() error { return e.err }

// Errors is a list of problems; a load or a commit check can report several.
type Errors []*Error

// Error joins the messages, one per line.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the errors for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func newErr(sentinel error, path []string, element, msg string, line int) *Error {
	return &Error{Severity: "error", Path: banner(path), Element: element, Message: msg, Line: line, err: sentinel}
}

// banner formats an edit path as Junos does: "[edit]" or "[edit a b]".
func banner(path []string) string {
	if len(path) == 0 {
		return "[edit]"
	}
	return "[edit " + strings.Join(path, " ") + "]"
}
