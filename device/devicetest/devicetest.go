package devicetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/device"
)

// Call is one recorded call.
type Call struct {
	Op       string // "get", "load", "commit", "rollback", "lock", "unlock", "close"
	Query    device.Query
	Change   device.Change
	Commit   device.CommitOptions
	Rollback int
}

// String returns a short description, e.g. "commit confirmed 2m0s".
func (c Call) String() string {
	switch c.Op {
	case "load":
		return fmt.Sprintf("load %s %q", c.Change.Format, c.Change.Data)
	case "commit":
		switch {
		case c.Commit.Check:
			return "commit check"
		case c.Commit.Confirmed > 0:
			return "commit confirmed " + c.Commit.Confirmed.String()
		}
		return "commit"
	case "rollback":
		return fmt.Sprintf("rollback %d", c.Rollback)
	case "get":
		return fmt.Sprintf("get %+v", c.Query)
	}
	return c.Op
}

// Session is a fake device.Session; see the package documentation. Build it
// with [New]. It implements device.Session, device.Locker and
// device.Liveness.
type Session struct {
	// Hook, if set, is called with the call's ctx before every call is
	// applied (and after it is recorded); a non-nil error is returned
	// instead of applying it. A hook may block on ctx to play a slow
	// device. Set it before sharing the Session between goroutines.
	Hook func(context.Context, Call) error

	name      string
	mu        sync.Mutex
	committed []string
	candidate []string
	history   [][]string // history[0] = previous committed configuration
	pending   bool       // a confirmed commit awaits confirmation
	locked    bool
	closed    bool
	calls     []Call
	replies   map[string][]byte
}

var (
	_ device.Session  = (*Session)(nil)
	_ device.Locker   = (*Session)(nil)
	_ device.Liveness = (*Session)(nil)
)

// New returns a fake device named name whose committed configuration is the
// given set lines.
func New(name string, committed ...string) *Session {
	return &Session{name: name, committed: slices.Clone(committed), candidate: slices.Clone(committed), replies: map[string][]byte{}}
}

// Reply makes Get of the RPC or command key ("<get-software-information/>",
// "show version") return reply.
func (s *Session) Reply(key string, reply []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[key] = reply
}

// Calls returns the calls so far, in order.
func (s *Session) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Ops returns the calls so far as strings (Call.String), handy for
// cmp.Diff against an expected script.
func (s *Session) Ops() []string {
	var out []string
	for _, c := range s.Calls() {
		out = append(out, c.String())
	}
	return out
}

// Committed returns the committed configuration's set lines.
func (s *Session) Committed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.committed)
}

// Candidate returns the candidate configuration's set lines.
func (s *Session) Candidate() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.candidate)
}

// Pending reports whether a confirmed commit awaits confirmation.
func (s *Session) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Expire lets the confirmed-commit timer run out: if a confirmed commit is
// pending, the device rolls back to the configuration before it, as Junos
// does. It reports whether it rolled back.
func (s *Session) Expire() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pending {
		return false
	}
	s.pending = false
	s.committed = slices.Clone(s.history[0])
	s.history = s.history[1:]
	s.candidate = slices.Clone(s.committed)
	return true
}

// Drop simulates the device or network dropping the session: every later
// call fails with device.ErrClosed and Alive reports false. The device keeps
// its state (a pending confirmed commit stays pending).
func (s *Session) Drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

func (s *Session) begin(ctx context.Context, c Call) error {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return fmt.Errorf("device %s: %s: %w", s.name, c.Op, device.ErrClosed)
	}
	if s.Hook != nil {
		return s.Hook(ctx, c)
	}
	return nil
}

// Get answers configuration queries from the fake datastore (set lines in
// any format: the fake does not render text or XML) and RPCs or commands
// from the replies given to Reply; others are a *device.RejectedError.
func (s *Session) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.begin(ctx, Call{Op: "get", Query: q}); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, device.TimeoutError(ctx, s.name, "get")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch q.Source {
	case device.Committed:
		return []byte(strings.Join(s.committed, "\n")), nil
	case device.Candidate:
		return []byte(strings.Join(s.candidate, "\n")), nil
	case device.Compare:
		var b strings.Builder
		for _, l := range s.committed {
			if !slices.Contains(s.candidate, l) {
				b.WriteString("- " + l + "\n")
			}
		}
		for _, l := range s.candidate {
			if !slices.Contains(s.committed, l) {
				b.WriteString("+ " + l + "\n")
			}
		}
		return []byte(b.String()), nil
	}
	key := q.RPC + q.Command
	if r, ok := s.replies[key]; ok {
		return slices.Clone(r), nil
	}
	return nil, device.NewRejected(s.name, "get", []device.Issue{{Severity: "error", Message: "syntax error", Element: key}}, "")
}

// Load applies set lines to the candidate: "set X" adds X, "delete X"
// removes every line that starts with "set X". Other formats are
// device.ErrUnsupported.
func (s *Session) Load(ctx context.Context, c device.Change) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.begin(ctx, Call{Op: "load", Change: c}); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return device.TimeoutError(ctx, s.name, "load")
	}
	if c.Format != device.Set {
		return fmt.Errorf("device %s: load %s: %w by devicetest", s.name, c.Format, device.ErrUnsupported)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, line := range strings.Split(string(c.Data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "set "):
			if !slices.Contains(s.candidate, line) {
				s.candidate = append(s.candidate, line)
			}
		case strings.HasPrefix(line, "delete "):
			prefix := "set " + strings.TrimPrefix(line, "delete ")
			s.candidate = slices.DeleteFunc(s.candidate, func(l string) bool {
				return l == prefix || strings.HasPrefix(l, prefix+" ")
			})
		default:
			return device.NewRejected(s.name, "load", []device.Issue{{Severity: "error", Message: "syntax error", Element: line}}, "")
		}
	}
	return nil
}

// Commit checks (always succeeds unless Hook says otherwise), commits, or
// commits confirmed; a plain commit confirms a pending confirmed commit.
func (s *Session) Commit(ctx context.Context, o device.CommitOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if err := s.begin(ctx, Call{Op: "commit", Commit: o}); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return device.TimeoutError(ctx, s.name, "commit")
	}
	if o.Check {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.history = append([][]string{slices.Clone(s.committed)}, s.history...)
	if len(s.history) > device.MaxRollback {
		s.history = s.history[:device.MaxRollback]
	}
	s.committed = slices.Clone(s.candidate)
	s.pending = o.Confirmed > 0
	return nil
}

// Rollback discards candidate changes (0) or loads history entry n.
func (s *Session) Rollback(ctx context.Context, n int) error {
	if err := device.ValidateRollback(n); err != nil {
		return err
	}
	if err := s.begin(ctx, Call{Op: "rollback", Rollback: n}); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return device.TimeoutError(ctx, s.name, "rollback")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n == 0 {
		s.candidate = slices.Clone(s.committed)
		return nil
	}
	if n > len(s.history) {
		return device.NewRejected(s.name, "rollback", []device.Issue{{Severity: "error", Message: fmt.Sprintf("rollback %d does not exist", n)}}, "")
	}
	s.candidate = slices.Clone(s.history[n-1])
	return nil
}

// Lock takes the fake's lock; a second Lock without Unlock is refused.
func (s *Session) Lock(ctx context.Context) error {
	if err := s.begin(ctx, Call{Op: "lock"}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locked {
		return device.NewRejected(s.name, "lock", []device.Issue{{Severity: "error", Message: "configuration database locked"}}, "")
	}
	s.locked = true
	return nil
}

// Unlock releases the lock and, as on Junos, discards uncommitted changes.
func (s *Session) Unlock(ctx context.Context) error {
	if err := s.begin(ctx, Call{Op: "unlock"}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locked = false
	s.candidate = slices.Clone(s.committed)
	return nil
}

// Alive reports false after Close or Drop.
func (s *Session) Alive() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.closed
}

// Close marks the session closed; uncommitted changes are discarded and the
// lock released. It is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.calls = append(s.calls, Call{Op: "close"})
	}
	s.closed = true
	s.locked = false
	s.candidate = slices.Clone(s.committed)
	return nil
}

// Reopen makes a closed or dropped fake usable again, as a new session to
// the same device would be (for a device.Pool's dial function).
func (s *Session) Reopen() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = false
}
