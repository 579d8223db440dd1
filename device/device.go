package device

import (
	"context"
	"fmt"
	"time"
)

// Session is an open management session to one network element.
//
// Every method that talks to the device takes a ctx first. When ctx ends
// before the device answers, the method returns promptly with an error that
// wraps [ErrTimeout] and ctx.Err() (so errors.Is(err,
// context.DeadlineExceeded) holds for a deadline), and the session is then
// unusable: later calls return [ErrClosed]. A device that refuses a request
// yields a [*RejectedError]; the session stays usable after one.
//
// Implementations are safe for concurrent use and serialize requests
// internally: two goroutines calling Load at once get two exchanges, one after
// the other, never an interleaving.
type Session interface {
	// Get reads configuration or operational state, as q says, and returns
	// the device's answer: configuration text, set lines or XML, the
	// operational RPC's reply XML, or a command's output.
	// Errors: [*RejectedError], [ErrUnsupported] (this adapter cannot
	// answer that kind of query), [ErrTimeout], [ErrClosed], or an error
	// naming q when q is invalid.
	Get(ctx context.Context, q Query) ([]byte, error)

	// Load stages c into the candidate configuration; nothing is active
	// until Commit. A change the device refuses is a [*RejectedError]
	// carrying its message and edit path; Junos then keeps the statements
	// it did accept in the candidate, so callers roll back (Rollback(ctx, 0))
	// after a refused load.
	// Errors: [*RejectedError], [ErrUnsupported], [ErrTimeout],
	// [ErrClosed], or an error naming c when c is invalid.
	Load(ctx context.Context, c Change) error

	// Commit checks or activates the candidate configuration, as o says:
	// a commit check (o.Check), a confirmed commit that the device rolls
	// back by itself unless confirmed within o.Confirmed, or a plain commit.
	// On Junos a plain commit also confirms a pending confirmed commit; see
	// [Confirm]. A failed check or commit is a [*RejectedError] with the
	// device's message and path, and leaves the active configuration as it
	// was.
	// Errors: [*RejectedError], [ErrTimeout], [ErrClosed], or an error
	// naming o when o is invalid.
	Commit(ctx context.Context, o CommitOptions) error

	// Rollback replaces the candidate configuration with the committed one
	// (n == 0: discard uncommitted changes) or with the configuration that
	// was active n commits ago (1 ≤ n ≤ 49); the latter takes effect only
	// after a Commit.
	// Errors: [*RejectedError] (e.g. no such rollback), [ErrTimeout],
	// [ErrClosed], or an error naming n when it is out of range.
	Rollback(ctx context.Context, n int) error

	// Close ends the session. Uncommitted changes in a private candidate
	// are lost, and a lock the session holds is released by the device.
	// Close is idempotent; it does not block on the device.
	Close() error
}

// Confirm confirms a pending confirmed commit. On Junos that is a plain
// commit, which is what Confirm sends; it is a function, not a method, so
// that every [Session] has it.
func Confirm(ctx context.Context, s Session) error {
	return s.Commit(ctx, CommitOptions{})
}

// Check runs a commit check: the device validates the candidate without
// activating it.
func Check(ctx context.Context, s Session) error {
	return s.Commit(ctx, CommitOptions{Check: true})
}

// Optional capabilities. A caller finds them by type assertion:
//
//	if l, ok := s.(device.Locker); ok { err = l.Lock(ctx) }
type (
	// Locker takes and releases the exclusive lock on the candidate
	// configuration (Junos lock-configuration). Lock fails with a
	// [*RejectedError] when another session holds the lock or the
	// candidate has uncommitted changes. Releasing the lock discards
	// uncommitted changes, as on Junos.
	Locker interface {
		Lock(ctx context.Context) error
		Unlock(ctx context.Context) error
	}

	// Liveness reports whether a session can still carry requests: false
	// once it was closed, timed out, or the device or network dropped it.
	// A [Pool] uses it to replace dropped sessions.
	Liveness interface {
		Alive() bool
	}
)

// Source says which configuration a [Query] reads.
type Source uint8

// Sources. The zero Source means no configuration (an RPC or a command).
const (
	_ Source = iota
	// Committed is the active configuration (Junos "rollback 0").
	Committed
	// Candidate is the configuration being edited, with uncommitted
	// changes.
	Candidate
	// Compare is the candidate's difference from the committed
	// configuration, in Junos patch format ("[edit …]", "+ …", "- …"),
	// as "show | compare" prints it. Format is ignored.
	Compare
)

var sourceNames = [...]string{"", "committed", "candidate", "compare"}

// String returns "committed", "candidate", "compare", or "source(N)".
func (s Source) String() string {
	if int(s) < len(sourceNames) && s != 0 {
		return sourceNames[s]
	}
	return fmt.Sprintf("source(%d)", uint8(s))
}

// Format is the encoding of configuration or command output.
type Format uint8

// Formats. The zero Format means [Text] wherever a format is optional.
const (
	_ Format = iota
	// Text is Junos' curly-brace configuration text, or plain command
	// output.
	Text
	// Set is a list of "set …" lines (Junos "| display set").
	Set
	// XML is Junos XML (a <configuration> element, or an RPC reply).
	XML
)

var formatNames = [...]string{"", "text", "set", "xml"}

// String returns "text", "set", "xml", or "format(N)"; the zero Format is
// "text".
func (f Format) String() string {
	if f == 0 {
		return "text"
	}
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("format(%d)", uint8(f))
}

func (f Format) valid() bool { return f <= XML }

// Query says what [Session.Get] reads. Exactly one of Source, RPC and
// Command is set; build one with [ConfigQuery], [RPCQuery] or
// [CommandQuery].
type Query struct {
	// Source selects configuration; Format its encoding (zero: Text).
	Source Source
	// Format is the encoding of configuration or command output. Commands
	// accept Text and XML ("| display xml"); RPC replies are always XML.
	Format Format
	// RPC is an operational RPC as one XML element, e.g.
	// "<get-software-information/>". The reply's content is returned.
	RPC string
	// Command is an operational CLI command, e.g. "show version".
	Command string
}

// ConfigQuery reads configuration from src in format f.
func ConfigQuery(src Source, f Format) Query { return Query{Source: src, Format: f} }

// RPCQuery runs an operational RPC given as one XML element.
func RPCQuery(rpc string) Query { return Query{RPC: rpc} }

// CommandQuery runs an operational command; f is Text or XML.
func CommandQuery(cmd string, f Format) Query { return Query{Command: cmd, Format: f} }

// Validate reports whether q asks for exactly one thing in a format that
// thing has. The error quotes the query.
func (q Query) Validate() error {
	n := 0
	if q.Source != 0 {
		n++
		if q.Source > Compare {
			return fmt.Errorf("device: query: unknown source %d", uint8(q.Source))
		}
	}
	if q.RPC != "" {
		n++
		if q.Format != 0 && q.Format != XML {
			return fmt.Errorf("device: query rpc %q: replies are XML, not %s", q.RPC, q.Format)
		}
	}
	if q.Command != "" {
		n++
		if q.Format == Set {
			return fmt.Errorf("device: query command %q: format set is for configuration only", q.Command)
		}
	}
	if !q.Format.valid() {
		return fmt.Errorf("device: query: unknown format %d", uint8(q.Format))
	}
	switch n {
	case 0:
		return fmt.Errorf("device: empty query: set Source, RPC or Command")
	case 1:
		return nil
	}
	return fmt.Errorf("device: query %+v: set only one of Source, RPC and Command", q)
}

// Action says how a [Change] combines with the candidate configuration.
type Action uint8

// Actions, as Junos' load-configuration names them. The zero Action is
// [Merge]. Changes in [Set] format are always applied line by line (Junos
// action "set") and take only the zero Action.
const (
	// Merge adds the change to the candidate; existing statements it does
	// not mention stay.
	Merge Action = iota
	// Replace replaces the hierarchies the change marks with "replace:"
	// (text) or replace="replace" (XML).
	Replace
	// Override replaces the whole candidate with the change.
	Override
	// Update replaces what differs, like Override but without touching
	// unchanged statements.
	Update
)

var actionNames = [...]string{"merge", "replace", "override", "update"}

// String returns the Junos name of the action ("merge", …).
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// Change is configuration to load into the candidate.
type Change struct {
	// Format of Data; the zero value means Text.
	Format Format
	// Action says how Data combines with the candidate; zero is Merge.
	Action Action
	// Data is the configuration: curly-brace text, set lines (one per
	// line; "delete …", "deactivate …" are fine too), or a <configuration>
	// XML element.
	Data []byte
}

// Validate reports whether c has data and a format/action pair Junos
// accepts.
func (c Change) Validate() error {
	if !c.Format.valid() {
		return fmt.Errorf("device: change: unknown format %d", uint8(c.Format))
	}
	if int(c.Action) >= len(actionNames) {
		return fmt.Errorf("device: change: unknown action %d", uint8(c.Action))
	}
	if c.Format == Set && c.Action != Merge {
		return fmt.Errorf("device: change: set lines take no action, got %q", c.Action)
	}
	if len(c.Data) == 0 {
		return fmt.Errorf("device: change (%s, %s): no data", c.Format, c.Action)
	}
	return nil
}

// CommitOptions says what [Session.Commit] does. The zero value is a plain
// commit (which also confirms a pending confirmed commit).
type CommitOptions struct {
	// Check validates the candidate without activating it (commit check).
	// It cannot be combined with Confirmed.
	Check bool
	// Confirmed, if not zero, makes a confirmed commit: the device rolls
	// back to the previous configuration by itself unless a commit follows
	// within this time. Junos counts in whole minutes: the duration is
	// rounded up to the next minute, and must be at most 65535 minutes.
	Confirmed time.Duration
	// Comment is recorded with the commit (Junos "commit comment", the
	// <log> element); empty means none.
	Comment string
}

// MaxConfirmTimeout is the longest confirmed-commit timeout Junos accepts.
const MaxConfirmTimeout = 65535 * time.Minute

// Validate reports whether o is a consistent set of commit options.
func (o CommitOptions) Validate() error {
	switch {
	case o.Check && o.Confirmed != 0:
		return fmt.Errorf("device: commit: check cannot be confirmed (confirmed %v)", o.Confirmed)
	case o.Confirmed < 0:
		return fmt.Errorf("device: commit: negative confirm timeout %v", o.Confirmed)
	case o.Confirmed > MaxConfirmTimeout:
		return fmt.Errorf("device: commit: confirm timeout %v is over %v", o.Confirmed, MaxConfirmTimeout)
	}
	return nil
}

// ConfirmMinutes returns o.Confirmed in whole minutes, rounded up (at least
// 1 when Confirmed is set, 0 otherwise), as Junos wants it.
func (o CommitOptions) ConfirmMinutes() int {
	if o.Confirmed <= 0 {
		return 0
	}
	return int((o.Confirmed + time.Minute - 1) / time.Minute)
}

// MaxRollback is the highest rollback number Junos keeps.
const MaxRollback = 49

// ValidateRollback reports whether n is a rollback number Junos keeps.
func ValidateRollback(n int) error {
	if n < 0 || n > MaxRollback {
		return fmt.Errorf("device: rollback %d: want 0..%d", n, MaxRollback)
	}
	return nil
}

// DialFunc opens a [Session] to t. Adapters provide one (netconf.Dialer,
// cli.Dialer); a [Pool] calls it.
type DialFunc func(ctx context.Context, t Target) (Session, error)
