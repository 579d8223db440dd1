package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scrapli/scrapligo/driver/network"
	"github.com/scrapli/scrapligo/driver/opoptions"
	"github.com/scrapli/scrapligo/driver/options"
	"github.com/scrapli/scrapligo/platform"
	"github.com/scrapli/scrapligo/response"
	"github.com/scrapli/scrapligo/transport"
	"github.com/scrapli/scrapligo/util"
	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/internal/sshconf"
)

// Option is an optional knob for [Dial].
type Option func(*options_)

type options_ struct {
	log     *slog.Logger
	timeout time.Duration
}

// WithLogger sends the adapter's log records to l (the default discards
// them). Dialing with device.InsecureIgnoreHostKey logs a warning.
func WithLogger(l *slog.Logger) Option { return func(o *options_) { o.log = l } }

// WithTimeout bounds operations whose ctx has no deadline (default 60s).
// scrapligo v1 has no contexts: each operation gets scrapligo's own timeout
// set to the time left on ctx, or this.
func WithTimeout(d time.Duration) Option { return func(o *options_) { o.timeout = d } }

const privLevel = "configuration-private"

// Session is a Junos CLI session; it implements device.Session and
// device.Liveness. Configuration changes go to a private candidate
// ("configure private"), so they are invisible to other sessions until
// committed and vanish if the session ends uncommitted. Safe for
// concurrent use; commands are sent one at a time.
type Session struct {
	target  string
	log     *slog.Logger
	timeout time.Duration
	drv     *network.Driver
	watch   *watchTransport
	cleanup func()

	turn     chan struct{}
	closed   atomic.Bool
	once     sync.Once
	inConfig bool // guarded by turn
}

var (
	_ device.Session  = (*Session)(nil)
	_ device.Liveness = (*Session)(nil)
)

// Dialer returns a device.DialFunc that opens CLI sessions with opts.
func Dialer(opts ...Option) device.DialFunc {
	return func(ctx context.Context, t device.Target) (device.Session, error) {
		s, err := Dial(ctx, t, opts...)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// Dial logs in to t's CLI over SSH with scrapligo's pure-Go "standard"
// transport and the juniper_junos platform, with strict host-key checking
// against a known_hosts file (the Target's, or a temporary one holding its
// pinned keys). If ctx ends first Dial returns at once with
// device.ErrTimeout; the login still running in the background is closed
// when it finishes.
// Errors: device.ErrUnreachable, device.ErrAuth, device.ErrHostKey,
// device.ErrTimeout, or an error naming t when t is invalid.
func Dial(ctx context.Context, t device.Target, opts ...Option) (*Session, error) {
	o := options_{log: slog.New(slog.DiscardHandler), timeout: 60 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	key := t.Key()
	popts := []util.Option{
		options.WithTransportType("standard"),
		options.WithPort(int(t.Addr.Port())),
		options.WithAuthUsername(t.Credentials.Username()),
		options.WithTimeoutSocket(remaining(ctx, o.timeout)),
		options.WithTimeoutOps(remaining(ctx, o.timeout)),
	}
	cleanup := func() {}
	switch h := t.HostKeys; {
	case h.Insecure():
		o.log.Warn("device: host key verification DISABLED (InsecureIgnoreHostKey): the device can be impersonated",
			"device", key, "addr", t.Addr.String())
		popts = append(popts, options.WithAuthNoStrictKey())
	case h.IsZero():
		return nil, fmt.Errorf("device %s: %w: no known_hosts file or pinned keys given (device.KnownHostsFile, device.PinnedKeys)", key, device.ErrHostKey)
	default:
		path, c, err := sshconf.KnownHostsFile(t)
		if err != nil {
			return nil, err
		}
		cleanup = c
		popts = append(popts, options.WithSSHKnownHostsFile(path))
	}
	if t.Credentials.IsPassword() {
		pw, _, _ := t.Credentials.Secret()
		popts = append(popts, options.WithAuthPassword(pw))
	} else {
		// scrapligo's standard transport ignores the passphrase; hand it
		// an unencrypted copy of the key, in memory only.
		if _, err := sshconf.Signer(t); err != nil { // a clear error for a bad key or passphrase
			cleanup()
			return nil, err
		}
		raw, err := rawKey(t)
		if err != nil {
			cleanup()
			return nil, err
		}
		popts = append(popts, options.WithStandardTransportPrivateKeyBytes(raw, ""))
	}
	p, err := platform.NewPlatform("juniper_junos", t.Addr.Addr().String(), popts...)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("device %s: cli: %w", key, err)
	}
	drv, err := p.GetNetworkDriver()
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("device %s: cli: %w", key, err)
	}
	// Watch the transport's reads so that a dropped connection is noticed
	// at once, idle or mid-command (scrapligo's channel would otherwise
	// wait for its operation timeout).
	w := &watchTransport{Implementation: drv.Transport.Impl, dead: make(chan struct{})}
	drv.Transport.Impl = w
	done := make(chan error, 1)
	go func() { done <- drv.Open() }()
	select {
	case err := <-done:
		if err != nil {
			cleanup()
			return nil, sshconf.Classify(ctx, t, "dial", err)
		}
	case <-ctx.Done():
		go func() {
			if err := <-done; err == nil {
				drv.Channel.Close()
			}
			cleanup()
		}()
		return nil, device.TimeoutError(ctx, key, "dial")
	}
	o.log.Debug("cli: session open", "device", key)
	return &Session{target: key, log: o.log, timeout: o.timeout, drv: drv, watch: w, cleanup: cleanup, turn: make(chan struct{}, 1)}, nil
}

// watchTransport wraps scrapligo's transport and closes dead when a read
// fails (the device or network dropped the connection, or Close).
type watchTransport struct {
	transport.Implementation
	dead chan struct{}
	once sync.Once
}

func (w *watchTransport) Read(n int) ([]byte, error) {
	b, err := w.Implementation.Read(n)
	if err != nil {
		w.once.Do(func() { close(w.dead) })
	}
	return b, err
}

func (w *watchTransport) isDead() bool {
	select {
	case <-w.dead:
		return true
	default:
		return false
	}
}

func rawKey(t device.Target) ([]byte, error) {
	_, key, pass := t.Credentials.Secret()
	if pass == "" {
		return key, nil
	}
	k, err := ssh.ParseRawPrivateKeyWithPassphrase(key, []byte(pass))
	if err != nil {
		return nil, fmt.Errorf("device %s: private key of user %q: %w", t.Key(), t.Credentials.Username(), err)
	}
	blk, err := ssh.MarshalPrivateKey(k, "")
	if err != nil {
		return nil, fmt.Errorf("device %s: private key: %w", t.Key(), err)
	}
	return pemEncode(blk), nil
}

func remaining(ctx context.Context, def time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if d := time.Until(dl); d > 0 {
			return d
		}
		return time.Millisecond
	}
	return def
}

// Alive reports whether the session can still carry commands: false after
// Close or a timeout, and as soon as the connection is seen to drop.
func (s *Session) Alive() bool { return !s.closed.Load() && !s.watch.isDead() }

// Close ends the session without waiting for the device; a private
// candidate's uncommitted changes are lost. Idempotent.
func (s *Session) Close() error {
	s.abort()
	return nil
}

func (s *Session) abort() {
	s.closed.Store(true)
	s.once.Do(func() {
		s.drv.Channel.Close()
		s.cleanup()
	})
}

// do runs f (a scrapligo call bounded by timeout) with the session's turn,
// returning early with device.ErrTimeout when ctx ends; the session is then
// closed under the call.
func (s *Session) do(ctx context.Context, op string, f func(timeout time.Duration) (string, error)) (string, error) {
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return "", device.TimeoutError(ctx, s.target, op)
	}
	if !s.Alive() {
		<-s.turn
		s.abort()
		return "", fmt.Errorf("device %s: %s: %w", s.target, op, device.ErrClosed)
	}
	if ctx.Err() != nil {
		<-s.turn
		return "", device.TimeoutError(ctx, s.target, op)
	}
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-s.turn }()
		out, err := f(remaining(ctx, s.timeout))
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			s.abort() // a scrapligo error leaves the channel in an unknown state
			if ctx.Err() != nil {
				return "", device.TimeoutError(ctx, s.target, op)
			}
			return "", fmt.Errorf("device %s: %s: %w: %w", s.target, op, device.ErrClosed, r.err)
		}
		return r.out, nil
	case <-s.watch.dead:
		s.closed.Store(true)
		go s.abort()
		return "", fmt.Errorf("device %s: %s: %w: connection dropped", s.target, op, device.ErrClosed)
	case <-ctx.Done():
		s.closed.Store(true)
		go s.abort() // closing the channel can take scrapligo a few tens of ms
		return "", device.TimeoutError(ctx, s.target, op)
	}
}

// command runs an operational command, in configuration mode as "run …".
func (s *Session) command(ctx context.Context, op, cmd string) (string, error) {
	return s.do(ctx, op, func(to time.Duration) (string, error) {
		var r *response.Response
		var err error
		if s.inConfig {
			r, err = s.drv.SendConfig("run "+cmd, opoptions.WithPrivilegeLevel(privLevel), opoptions.WithTimeoutOps(to))
		} else {
			r, err = s.drv.SendCommand(cmd, opoptions.WithTimeoutOps(to))
		}
		if err != nil {
			return "", err
		}
		return r.Result, nil
	})
}

// config runs lines in the private candidate and returns their output.
func (s *Session) config(ctx context.Context, op string, lines ...string) (string, error) {
	return s.do(ctx, op, func(to time.Duration) (string, error) {
		mr, err := s.drv.SendConfigs(lines, opoptions.WithPrivilegeLevel(privLevel), opoptions.WithTimeoutOps(to))
		if err != nil {
			return "", err
		}
		s.inConfig = true
		var b strings.Builder
		for _, r := range mr.Responses {
			b.WriteString(r.Result)
			b.WriteString("\n")
		}
		return b.String(), nil
	})
}

func (s *Session) reject(op, in, out string, indented bool) error {
	if rej := device.NewRejected(s.target, op, issues(out, indented), out); rej != nil {
		rej.Input = in
		return rej
	}
	return nil
}

// Get runs "show configuration" (committed), "show" in the private
// candidate (candidate), "show | compare" (compare), or an operational
// command; Set and XML formats add "| display set" / "| display xml". An
// XML RPC is device.ErrUnsupported over the CLI.
// Errors: see device.Session.Get.
func (s *Session) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("device %s: get: %w", s.target, err)
	}
	pipe := map[device.Format]string{device.Set: " | display set", device.XML: " | display xml"}[q.Format]
	var out, in string
	var err error
	op := "get"
	switch {
	case q.RPC != "":
		return nil, fmt.Errorf("device %s: get rpc %q: %w over the CLI (use a command)", s.target, q.RPC, device.ErrUnsupported)
	case q.Source == device.Committed:
		op = "get committed configuration"
		in = "show configuration" + pipe + " | no-more"
		out, err = s.command(ctx, op, in)
	case q.Source == device.Candidate:
		op = "get candidate configuration"
		in = "show" + pipe + " | no-more"
		out, err = s.config(ctx, op, in)
	case q.Source == device.Compare:
		op = "get compare"
		in = "show | compare | no-more"
		out, err = s.config(ctx, op, in)
	default:
		op = "command"
		in = q.Command + pipe
		out, err = s.command(ctx, op, in)
	}
	if err != nil {
		return nil, err
	}
	// Configuration and command output is data: only the CLI's own error
	// lines count, not indented text that looks like a commit message.
	if err := s.reject(op, in, out, false); err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// Load sends set lines into the private candidate, one by one. Curly-brace
// text and XML need "load … terminal", which scrapligo cannot drive:
// device.ErrUnsupported. A refused line is a *device.RejectedError;
// the lines before it stay in the candidate (Rollback(ctx, 0) drops them).
// Errors: see device.Session.Load.
func (s *Session) Load(ctx context.Context, c device.Change) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("device %s: load: %w", s.target, err)
	}
	if c.Format != device.Set {
		return fmt.Errorf("device %s: load %s: %w over the CLI (use set lines)", s.target, c.Format, device.ErrUnsupported)
	}
	var lines []string
	for _, l := range strings.Split(string(c.Data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.ContainsAny(l, "\r\x03\x04\x15") {
			return fmt.Errorf("device %s: load: control character in line %q", s.target, l)
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return fmt.Errorf("device %s: load: no set lines in %q", s.target, c.Data)
	}
	out, err := s.config(ctx, "load", lines...)
	if err != nil {
		return err
	}
	return s.reject("load", strings.Join(lines, "\n"), out, true)
}

// Commit sends "commit check", "commit confirmed N" (minutes) or "commit",
// with "comment" if one is given, and checks the device's answer.
// Errors: see device.Session.Commit.
func (s *Session) Commit(ctx context.Context, o device.CommitOptions) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("device %s: %w", s.target, err)
	}
	cmd, op, want := "commit", "commit", "commit complete"
	switch {
	case o.Check:
		cmd, op, want = "commit check", "commit check", "configuration check succeeds"
	case o.Confirmed > 0:
		cmd, op = "commit confirmed "+strconv.Itoa(o.ConfirmMinutes()), "commit confirmed"
	}
	if o.Comment != "" {
		cmd += " comment " + strconv.Quote(o.Comment)
	}
	out, err := s.config(ctx, op, cmd)
	if err != nil {
		return err
	}
	if err := s.reject(op, cmd, out, true); err != nil {
		return err
	}
	if !strings.Contains(out, want) {
		return device.NewRejected(s.target, op, []device.Issue{{Severity: "error",
			Message: fmt.Sprintf("no %q in the output: %.200s", want, out)}}, out)
	}
	return nil
}

// Rollback sends "rollback N" in the private candidate.
// Errors: see device.Session.Rollback.
func (s *Session) Rollback(ctx context.Context, n int) error {
	if err := device.ValidateRollback(n); err != nil {
		return fmt.Errorf("device %s: %w", s.target, err)
	}
	out, err := s.config(ctx, "rollback", "rollback "+strconv.Itoa(n))
	if err != nil {
		return err
	}
	if err := s.reject("rollback", "rollback "+strconv.Itoa(n), out, true); err != nil {
		return err
	}
	if !strings.Contains(out, "load complete") {
		return device.NewRejected(s.target, "rollback", []device.Issue{{Severity: "error",
			Message: fmt.Sprintf("no \"load complete\" in the output: %.200s", out)}}, out)
	}
	return nil
}
