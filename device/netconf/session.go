package netconf

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gonetconf "github.com/Juniper/go-netconf/netconf"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/internal/sshconf"
)

// Option is an optional knob for [Dial].
type Option func(*options)

type options struct {
	log    *slog.Logger
	dialer *net.Dialer
}

// WithLogger sends the adapter's log records to l (the default discards
// them). Successful operations log at Debug only; dialing with
// device.InsecureIgnoreHostKey logs a warning.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithDialer dials TCP with d instead of a zero net.Dialer (for a source
// address or keep-alive settings). ctx still bounds the dial.
func WithDialer(d *net.Dialer) Option { return func(o *options) { o.dialer = d } }

// Session is a NETCONF session to one Junos device; it implements
// device.Session, device.Locker and device.Liveness. It is safe for
// concurrent use: requests are sent one at a time, in the order their callers
// got the session's turn.
type Session struct {
	target string
	log    *slog.Logger
	conn   *watchConn
	nc     *gonetconf.Session
	tr     *gonetconf.TransportSSH
	caps   []string
	id     int

	turn   chan struct{} // a one-slot semaphore: holding it = owning the wire
	closed atomic.Bool
	once   sync.Once
	nextID atomic.Uint64
}

var (
	_ device.Session  = (*Session)(nil)
	_ device.Locker   = (*Session)(nil)
	_ device.Liveness = (*Session)(nil)
)

// Dialer returns a device.DialFunc that opens NETCONF sessions with opts,
// for a device.Pool.
func Dialer(opts ...Option) device.DialFunc {
	return func(ctx context.Context, t device.Target) (device.Session, error) {
		s, err := Dial(ctx, t, opts...)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}

// Dial connects to t over SSH, opens the netconf subsystem and exchanges
// hellos. ctx bounds all of it: when it ends, the connection is closed and
// Dial returns. Host keys are checked as t.HostKeys says.
// Errors: device.ErrUnreachable (nothing listening, network, a failed
// hello), device.ErrAuth, device.ErrHostKey, device.ErrTimeout, or an error
// naming t when t is invalid.
func Dial(ctx context.Context, t device.Target, opts ...Option) (*Session, error) {
	o := options{log: slog.New(slog.DiscardHandler), dialer: &net.Dialer{}}
	for _, f := range opts {
		f(&o)
	}
	cfg, err := sshconf.ClientConfig(t, o.log)
	if err != nil {
		return nil, err
	}
	key := t.Key()
	raw, err := o.dialer.DialContext(ctx, "tcp", t.Addr.String())
	if err != nil {
		return nil, sshconf.Classify(ctx, t, "dial", err)
	}
	conn := &watchConn{Conn: raw}
	// ctx bounds the handshake twice over: its deadline is the
	// connection's, and its end (deadline or cancel) closes the connection.
	dl, hasDL := ctx.Deadline()
	if hasDL {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	// NewSSHSession does the SSH handshake, opens the subsystem and swaps
	// hellos; go-netconf ignores hello errors (bug 1), checked below.
	nc, err := gonetconf.NewSSHSession(conn, cfg)
	if !stop() {
		if nc != nil {
			nc.Close()
		}
		conn.Close()
		return nil, device.TimeoutError(ctx, key, "dial")
	}
	if err != nil {
		conn.Close()
		if hasDL && !time.Now().Before(dl) {
			return nil, fmt.Errorf("%w (%v)", device.TimeoutError(ctx, key, "dial"), err)
		}
		return nil, sshconf.Classify(ctx, t, "dial", err)
	}
	conn.SetDeadline(time.Time{})
	// go-netconf's Close stops at its first error and leaves the SSH
	// connection open when the device has already closed the channel: a
	// session refused here closes the connection itself too.
	refuse := func() { nc.Close(); conn.Close() }
	tr, ok := nc.Transport.(*gonetconf.TransportSSH)
	if !ok {
		refuse()
		return nil, fmt.Errorf("device %s: dial: unexpected go-netconf transport %T", key, nc.Transport)
	}
	if nc.SessionID == 0 || len(nc.ServerCapabilities) == 0 {
		refuse()
		return nil, fmt.Errorf("device %s: dial: %w: no NETCONF hello (session-id %d, %d capabilities)",
			key, device.ErrUnreachable, nc.SessionID, len(nc.ServerCapabilities))
	}
	base10 := false
	for _, c := range nc.ServerCapabilities {
		if strings.TrimSpace(c) == "urn:ietf:params:netconf:base:1.0" {
			base10 = true
		}
	}
	if !base10 {
		refuse()
		return nil, fmt.Errorf("device %s: dial: %w: the device does not offer NETCONF base:1.0 framing", key, device.ErrUnreachable)
	}
	s := &Session{target: key, log: o.log, conn: conn, nc: nc, tr: tr, caps: nc.ServerCapabilities, id: nc.SessionID,
		turn: make(chan struct{}, 1)}
	o.log.Debug("netconf: session open", "device", key, "session-id", nc.SessionID)
	return s, nil
}

// SessionID returns the session-id from the device's hello.
func (s *Session) SessionID() int { return s.id }

// Capabilities returns the capabilities from the device's hello.
func (s *Session) Capabilities() []string { return append([]string(nil), s.caps...) }

// Alive reports whether the session can still carry requests: false after
// Close, a timeout or a broken exchange, and as soon as the connection is
// seen to have dropped (x/crypto/ssh reads it all the time, so a device that
// goes away is noticed even while the session is idle).
func (s *Session) Alive() bool { return !s.closed.Load() && !s.conn.dead.Load() }

// watchConn notes when reading the connection fails: the peer closed it or
// the network broke.
type watchConn struct {
	net.Conn
	dead atomic.Bool
}

func (c *watchConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if err != nil {
		c.dead.Store(true)
	}
	return n, err
}

// Close ends the session; it is idempotent and does not wait for a request
// in flight (that request fails with device.ErrClosed).
func (s *Session) Close() error {
	s.abort()
	return nil
}

func (s *Session) abort() {
	s.closed.Store(true)
	s.once.Do(func() {
		s.nc.Close()
		s.conn.Close()
	})
}

// Exec sends one RPC (body is the operation element, without <rpc>) and
// returns the whole <rpc-reply>'s content. Unlike go-netconf's Exec it
// checks the reply's message-id, honours ctx, serializes callers, and
// reports every rpc-error of severity error as a *device.RejectedError
// (warnings alone are not errors). op names the operation in errors.
// Errors: *device.RejectedError, device.ErrTimeout, device.ErrClosed.
func (s *Session) Exec(ctx context.Context, op, body string) ([]byte, error) {
	r, err := s.exec(ctx, op, body)
	if err != nil {
		return nil, err
	}
	return r.inner, nil
}

func (s *Session) exec(ctx context.Context, op, body string) (*reply, error) {
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, device.TimeoutError(ctx, s.target, op)
	}
	defer func() { <-s.turn }()
	if s.closed.Load() {
		return nil, fmt.Errorf("device %s: %s: %w", s.target, op, device.ErrClosed)
	}
	if ctx.Err() != nil {
		return nil, device.TimeoutError(ctx, s.target, op)
	}
	id := strconv.FormatUint(s.nextID.Add(1), 10)
	msg := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rpc message-id="` + id +
		`" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` + body + "</rpc>]]>]]>\n"

	// A ctx that ends mid-exchange closes the connection under the
	// blocked read or write (go-netconf has no ctx and no deadlines).
	stop := context.AfterFunc(ctx, s.abort)
	start := time.Now()
	// One Write with its error checked: go-netconf's Send drops write
	// errors (bug 7). The padding go-netconf adds at 4096-byte boundaries is
	// for old Junos framers that split on reads; EOM framing needs none.
	_, werr := s.tr.Write([]byte(msg))
	var raw []byte
	var rerr error
	if werr == nil {
		raw, rerr = s.tr.Receive()
	}
	if !stop() {
		return nil, device.TimeoutError(ctx, s.target, op)
	}
	if err := firstErr(werr, rerr); err != nil {
		s.abort()
		return nil, fmt.Errorf("device %s: %s: %w: %w", s.target, op, device.ErrClosed, err)
	}
	r, err := parseReply(raw)
	if err != nil {
		s.abort() // the stream is out of step; nothing after this can be trusted
		return nil, fmt.Errorf("device %s: %s: %w: %w", s.target, op, device.ErrClosed, err)
	}
	if r.messageID != id {
		s.abort()
		return nil, fmt.Errorf("device %s: %s: %w: reply message-id %q, want %q", s.target, op, device.ErrClosed, r.messageID, id)
	}
	s.log.Debug("netconf: rpc", "device", s.target, "op", op, "bytes", len(raw), "took", time.Since(start))
	if rej := r.rejected(s.target, op); rej != nil {
		rej.Input = body
		return nil, rej
	}
	for _, i := range r.issues {
		s.log.Debug("netconf: device warning", "device", s.target, "op", op, "warning", i.String())
	}
	return r, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var junosFormat = map[device.Format]string{0: "text", device.Text: "text", device.Set: "set", device.XML: "xml"}

// Get reads configuration (Junos get-configuration), runs an operational RPC
// or a command (Junos <command>). Configuration in text or set format and
// command output in text are returned as plain text; XML comes back as the
// <configuration> element or the RPC's reply elements.
// Errors: see device.Session.Get.
func (s *Session) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("device %s: get: %w", s.target, err)
	}
	switch {
	case q.Source == device.Compare:
		r, err := s.exec(ctx, "get compare", `<get-configuration compare="rollback" rollback="0" format="text"/>`)
		if err != nil {
			return nil, err
		}
		out, _ := r.childText("configuration-output")
		return []byte(out), nil
	case q.Source != 0:
		db := "committed"
		if q.Source == device.Candidate {
			db = "candidate"
		}
		f := junosFormat[q.Format]
		op := "get " + db + " configuration"
		r, err := s.exec(ctx, op, `<get-configuration database="`+db+`" format="`+f+`"/>`)
		if err != nil {
			return nil, err
		}
		switch q.Format {
		case device.XML:
			if b, ok := r.childXML("configuration"); ok {
				return b, nil
			}
		case device.Set:
			if t, ok := r.childText("configuration-set"); ok {
				return []byte(t), nil
			}
		default:
			if t, ok := r.childText("configuration-text"); ok {
				return []byte(t), nil
			}
		}
		return nil, fmt.Errorf("device %s: %s: reply has no configuration in format %s", s.target, op, q.Format)
	case q.RPC != "":
		if err := checkElement(q.RPC); err != nil {
			return nil, fmt.Errorf("device %s: get: rpc %q is not one XML element: %v", s.target, q.RPC, err)
		}
		return s.Exec(ctx, "rpc", q.RPC)
	default:
		f := "text"
		if q.Format == device.XML {
			f = "xml"
		}
		r, err := s.exec(ctx, "command", `<command format="`+f+`">`+escape(q.Command)+`</command>`)
		if err != nil {
			return nil, err
		}
		if f == "text" {
			if t, ok := r.childText("output"); ok {
				return []byte(t), nil
			}
		}
		return r.inner, nil
	}
}

// Load stages c into the candidate with Junos load-configuration. The
// candidate is the shared one; take the lock first (Lock) so that no other
// session changes it meanwhile.
// Errors: see device.Session.Load.
func (s *Session) Load(ctx context.Context, c device.Change) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("device %s: load: %w", s.target, err)
	}
	var b strings.Builder
	switch c.Format {
	case device.Set:
		b.WriteString(`<load-configuration action="set" format="text"><configuration-set>`)
		b.WriteString(escape(string(c.Data)))
		b.WriteString(`</configuration-set></load-configuration>`)
	case device.XML:
		data := bytes.TrimSpace(c.Data)
		if err := checkElement(string(data)); err != nil || !bytes.HasPrefix(data, []byte("<configuration")) {
			return fmt.Errorf("device %s: load: XML data is not one <configuration> element: %.60q", s.target, data)
		}
		fmt.Fprintf(&b, `<load-configuration action="%s" format="xml">`, c.Action)
		b.Write(data)
		b.WriteString(`</load-configuration>`)
	default:
		fmt.Fprintf(&b, `<load-configuration action="%s" format="text"><configuration-text>`, c.Action)
		b.WriteString(escape(string(c.Data)))
		b.WriteString(`</configuration-text></load-configuration>`)
	}
	r, err := s.exec(ctx, "load", b.String())
	if err != nil {
		return err
	}
	if !r.ok {
		return s.unexpected("load", r)
	}
	return nil
}

// unexpected reports a reply that has neither errors nor the success
// element it should have.
func (s *Session) unexpected(op string, r *reply) error {
	return device.NewRejected(s.target, op, []device.Issue{{Severity: "error",
		Message: fmt.Sprintf("reply without success indication: %.200s", r.inner)}}, string(r.inner))
}

// Commit runs Junos commit-configuration: check, confirmed (confirm-timeout
// in minutes, rounded up) or plain.
// Errors: see device.Session.Commit.
func (s *Session) Commit(ctx context.Context, o device.CommitOptions) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("device %s: %w", s.target, err)
	}
	var b strings.Builder
	b.WriteString("<commit-configuration>")
	op, want := "commit", "commit-success"
	switch {
	case o.Check:
		b.WriteString("<check/>")
		op, want = "commit check", "commit-check-success"
	case o.Confirmed > 0:
		fmt.Fprintf(&b, "<confirmed/><confirm-timeout>%d</confirm-timeout>", o.ConfirmMinutes())
		op = "commit confirmed"
	}
	if o.Comment != "" {
		b.WriteString("<log>" + escape(o.Comment) + "</log>")
	}
	b.WriteString("</commit-configuration>")
	r, err := s.exec(ctx, op, b.String())
	if err != nil {
		return err
	}
	if !r.elems[want] {
		return s.unexpected(op, r)
	}
	return nil
}

// Rollback loads rollback n into the candidate (load-configuration
// rollback="n"); n == 0 discards uncommitted changes.
// Errors: see device.Session.Rollback.
func (s *Session) Rollback(ctx context.Context, n int) error {
	if err := device.ValidateRollback(n); err != nil {
		return fmt.Errorf("device %s: %w", s.target, err)
	}
	r, err := s.exec(ctx, "rollback", `<load-configuration rollback="`+strconv.Itoa(n)+`"/>`)
	if err != nil {
		return err
	}
	if !r.ok {
		return s.unexpected("rollback", r)
	}
	return nil
}

// Lock takes the exclusive configuration lock (lock-configuration).
func (s *Session) Lock(ctx context.Context) error {
	return s.simple(ctx, "lock", "<lock-configuration/>")
}

// Unlock releases it (unlock-configuration); uncommitted changes are
// discarded by the device.
func (s *Session) Unlock(ctx context.Context) error {
	return s.simple(ctx, "unlock", "<unlock-configuration/>")
}

func (s *Session) simple(ctx context.Context, op, body string) error {
	r, err := s.exec(ctx, op, body)
	if err != nil {
		return err
	}
	if !r.ok {
		return s.unexpected(op, r)
	}
	return nil
}
