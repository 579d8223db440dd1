package device

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Adapters wrap them with %w, together with the cause, so
// callers test with errors.Is and still see what happened.
var (
	// ErrUnreachable: no session could be set up: nothing listens, the
	// network or the SSH/NETCONF handshake failed.
	ErrUnreachable = errors.New("unreachable")
	// ErrAuth: the device refused the credentials.
	ErrAuth = errors.New("authentication failed")
	// ErrHostKey: the device's SSH host key is not the one expected (or no
	// host-key policy was given).
	ErrHostKey = errors.New("host key not verified")
	// ErrTimeout: ctx ended before the device answered. The error also
	// wraps ctx.Err(), so errors.Is(err, context.DeadlineExceeded) holds
	// for a deadline and context.Canceled for a cancellation.
	ErrTimeout = errors.New("timed out")
	// ErrClosed: the session was closed — by Close, after a timeout, or by
	// the device or the network dropping it.
	ErrClosed = errors.New("session closed")
	// ErrUnsupported: this adapter cannot do what was asked (an XML RPC
	// over the CLI, for example).
	ErrUnsupported = errors.New("not supported")
)

// TimeoutError returns the error for an operation op on target whose ctx
// ended: it wraps [ErrTimeout] and ctx.Err() (or [context.DeadlineExceeded]
// if ctx has not ended). Adapters use it so that all of them say the same.
func TimeoutError(ctx context.Context, target, op string) error {
	cause := ctx.Err()
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return fmt.Errorf("device %s: %s: %w: %w", target, op, ErrTimeout, cause)
}

// Issue is one error or warning a device reported.
type Issue struct {
	Severity string // "error" or "warning"
	Tag      string // NETCONF error-tag, e.g. "operation-failed"; "" for CLI
	Path     string // Junos edit path, e.g. "[edit interfaces ge-0/0/1]"; "" if none
	Element  string // the offending statement or element (bad-element); "" if none
	Message  string // the device's message, trimmed
}

// String returns "severity: path element: message" with empty parts left
// out.
func (i Issue) String() string {
	var b strings.Builder
	if i.Severity != "" {
		b.WriteString(i.Severity + ": ")
	}
	if i.Path != "" {
		b.WriteString(i.Path + " ")
	}
	if i.Element != "" {
		b.WriteString("'" + i.Element + "' ")
	}
	b.WriteString(i.Message)
	return strings.TrimSpace(b.String())
}

// RejectedError reports that the device understood a request and said no:
// a NETCONF rpc-error of severity error, or CLI error output. Message, Path,
// Element and Severity are those of the first error; Issues holds every
// error and warning the device sent, in order. The session stays usable.
type RejectedError struct {
	Target   string  // Target.Name (or its address)
	Op       string  // what was asked: "load", "commit check", "commit", …
	Message  string  // the device's first error message, trimmed
	Path     string  // its edit path, e.g. "[edit protocols l2circuit]"; "" if none
	Element  string  // its bad element / statement; "" if none
	Severity string  // "error"
	Issues   []Issue // all errors and warnings, in the device's order
	Input    string  // what was sent (NETCONF RPC body, CLI lines), for logs; may be long
	Output   string  // raw CLI output or NETCONF reply, for logs; may be long
}

// Error returns `device pe1: commit check rejected: [edit …] 'elem':
// message`; it never includes Input or Output.
func (e *RejectedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "device %s: %s rejected: ", e.Target, e.Op)
	if e.Path != "" {
		b.WriteString(e.Path + " ")
	}
	if e.Element != "" {
		b.WriteString("'" + e.Element + "': ")
	}
	b.WriteString(e.Message)
	if n := e.errorCount(); n > 1 {
		fmt.Fprintf(&b, " (and %d more)", n-1)
	}
	return b.String()
}

func (e *RejectedError) errorCount() int {
	n := 0
	for _, i := range e.Issues {
		if i.Severity != "warning" {
			n++
		}
	}
	return n
}

// NewRejected builds a RejectedError from the issues a device reported,
// taking Message, Path, Element and Severity from the first error. It returns
// nil if issues holds no error (only warnings).
func NewRejected(target, op string, issues []Issue, output string) *RejectedError {
	for _, i := range issues {
		if i.Severity == "warning" {
			continue
		}
		sev := i.Severity
		if sev == "" {
			sev = "error"
		}
		return &RejectedError{Target: target, Op: op, Message: i.Message, Path: i.Path, Element: i.Element,
			Severity: sev, Issues: issues, Output: output}
	}
	return nil
}
