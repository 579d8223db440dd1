package sim

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// Options configures one simulated device. Hostname, Users and a known
// Platform are required; every other zero field is a documented default.
type Options struct {
	Hostname string         // required; also seeds serial numbers and the host key
	Platform string         // model key, e.g. "mx480"; "" means "mx480"
	Addr     netip.AddrPort // listen address; the zero value means 127.0.0.1:0; port 0 picks a free port
	Users    []User         // at least one

	// HostKeySeed seeds the ed25519 host key together with Hostname, so a
	// device keeps its key across restarts. nil uses a fixed project seed:
	// fine for labs, never for anything reachable by others.
	HostKeySeed []byte
	Clock       Clock  // nil means real time
	Serial      string // chassis serial; "" derives one from Hostname
	// Config is the initial committed configuration in Junos text format.
	// nil means a base configuration: host-name, login users, SSH and
	// NETCONF services, lo0 and the management interface.
	Config []byte
}

// User is one login account of a simulated device.
type User struct {
	Name           string
	Password       string          // "" disables password login for this user
	AuthorizedKeys []ssh.PublicKey // keys accepted for public-key login
	Class          string          // login class; "" means "super-user"
}

// Clock is the device's source of time. Tests pass a fake clock to fire
// confirmed-commit rollbacks without waiting.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d; stop cancels the call
	// and reports whether it did so before f started.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// defaultHostKeySeed is the documented lab-only seed used when
// Options.HostKeySeed is nil.
var defaultHostKeySeed = []byte("carrierkit-sim lab host key seed; not a secret")

const historySize = 50 // rollback 0..49

// Device is one simulated Junos device: an SSH server with NETCONF and a CLI
// in front of a configuration database. All methods are safe for concurrent
// use.
type Device struct {
	opts     Options
	plat     *Platform
	clock    Clock
	serial   string
	signer   ssh.Signer
	sshConf  *ssh.ServerConfig
	ln       net.Listener
	addr     netip.AddrPort
	started  time.Time
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	connSema chan struct{} // bounds concurrent SSH connections

	mu        sync.Mutex // guards everything below
	history   []*commitEntry
	shared    *junosconf.Tree // shared candidate
	lockedBy  *session
	sessions  map[int]*session
	nextID    int
	pending   *pendingConfirm
	conns     map[net.Conn]struct{}
	closed    bool
	netState  opState // network-derived operational state (see opstate.go)
	commitGen int
	onCommit  func() // called with mu held after rollback 0 changes; must not block or lock d

	// vnfFaults holds the VNF faults injected by name (SetVNFFault in vnf.go).
	vnfFaults map[string]string
}

// commitEntry is one committed configuration with its metadata.
type commitEntry struct {
	tree   *junosconf.Tree
	user   string
	client string // "netconf", "cli" or "junos" (system)
	at     time.Time
	log    string
}

// pendingConfirm is an unconfirmed "commit confirmed".
type pendingConfirm struct {
	restore  *junosconf.Tree // configuration to go back to
	deadline time.Time
	stop     func() bool
	gen      int
	persist  string
}

// maxConnsPerDevice bounds concurrent SSH connections per device.
const maxConnsPerDevice = 64

// Start builds a device and starts its SSH listener; the device accepts
// connections when Start returns. ctx bounds only the start-up; call Close
// to stop the device.
func Start(ctx context.Context, o Options) (*Device, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if o.Hostname == "" {
		return nil, errors.New("sim: Options.Hostname is required")
	}
	if len(o.Users) == 0 {
		return nil, fmt.Errorf("sim: device %q: Options.Users needs at least one user", o.Hostname)
	}
	for _, u := range o.Users {
		if u.Name == "" {
			return nil, fmt.Errorf("sim: device %q: a user has no name", o.Hostname)
		}
	}
	if o.Platform == "" {
		o.Platform = "mx480"
	}
	plat, err := LookupPlatform(o.Platform)
	if err != nil {
		return nil, fmt.Errorf("sim: device %q: %w", o.Hostname, err)
	}
	if !o.Addr.IsValid() {
		o.Addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	}
	d := &Device{opts: o, plat: plat, clock: o.Clock, sessions: map[int]*session{},
		conns: map[net.Conn]struct{}{}, connSema: make(chan struct{}, maxConnsPerDevice)}
	if d.clock == nil {
		d.clock = realClock{}
	}
	d.started = d.clock.Now()
	d.serial = chassisSerial(plat, o.Hostname, o.Serial)
	d.nextID = 1000 + int(serialHash(o.Hostname)%20000)

	cfg := o.Config
	if cfg == nil {
		cfg = baseConfig(o, plat)
	}
	tree, err := junosconf.Parse(junosconf.FormatText, cfg, plat.Family)
	if err != nil {
		return nil, fmt.Errorf("sim: device %q: initial configuration: %w", o.Hostname, err)
	}
	if errs := junosconf.Check(tree, plat.Family); hasErrors(errs) {
		return nil, fmt.Errorf("sim: device %q: initial configuration: %w", o.Hostname, errs)
	}
	d.history = []*commitEntry{{tree: tree, user: "root", client: "junos", at: d.started, log: "initial configuration"}}
	d.shared = tree.Clone()

	seed := o.HostKeySeed
	if seed == nil {
		seed = defaultHostKeySeed
	}
	d.signer, err = hostSigner(seed, o.Hostname)
	if err != nil {
		return nil, fmt.Errorf("sim: device %q: host key: %w", o.Hostname, err)
	}
	d.sshConf = d.newSSHConfig()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.Addr.String())
	if err != nil {
		return nil, fmt.Errorf("sim: device %q: listen: %w", o.Hostname, err)
	}
	d.ln = ln
	d.addr = ln.Addr().(*net.TCPAddr).AddrPort()
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.wg.Add(1)
	go d.acceptLoop()
	return d, nil
}

// hasErrors reports whether errs holds an error-severity entry (warnings
// alone do not fail a commit).
func hasErrors(errs junosconf.Errors) bool {
	for _, e := range errs {
		if e.Severity != "warning" {
			return true
		}
	}
	return false
}

// hostSigner derives the ed25519 host key from seed and hostname.
func hostSigner(seed []byte, hostname string) (ssh.Signer, error) {
	h := sha256.New()
	h.Write([]byte("carrierkit-sim-hostkey\x00"))
	h.Write(seed)
	h.Write([]byte{0})
	h.Write([]byte(hostname))
	key := ed25519.NewKeyFromSeed(h.Sum(nil))
	return ssh.NewSignerFromKey(key)
}

func serialHash(s string) uint32 {
	h := sha256.Sum256([]byte(s))
	return uint32(h[0])<<24 | uint32(h[1])<<16 | uint32(h[2])<<8 | uint32(h[3])
}

// baseConfig is the default initial configuration.
func baseConfig(o Options, p *Platform) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "system {\n    host-name %s;\n    login {\n", o.Hostname)
	for _, u := range o.Users {
		class := u.Class
		if class == "" {
			class = "super-user"
		}
		fmt.Fprintf(&b, "        user %s {\n            class %s;\n        }\n", u.Name, class)
	}
	b.WriteString("    }\n    services {\n        ssh;\n        netconf {\n            ssh;\n        }\n    }\n}\n")
	b.WriteString("interfaces {\n")
	mgmt := o.Addr.Addr()
	if mgmt.Is4() && !mgmt.IsUnspecified() {
		fmt.Fprintf(&b, "    %s {\n        unit 0 {\n            family inet {\n                address %s/8;\n            }\n        }\n    }\n", p.Mgmt, mgmt)
	}
	b.WriteString("    lo0 {\n        unit 0 {\n            family inet;\n        }\n    }\n}\n")
	return []byte(b.String())
}

// Addr returns the address the SSH server listens on.
func (d *Device) Addr() netip.AddrPort { return d.addr }

// HostKey returns the device's SSH host public key.
func (d *Device) HostKey() ssh.PublicKey { return d.signer.PublicKey() }

// Hostname returns Options.Hostname.
func (d *Device) Hostname() string { return d.opts.Hostname }

// Platform returns the device's personality.
func (d *Device) Platform() *Platform { return d.plat }

// Serial returns the chassis serial number.
func (d *Device) Serial() string { return d.serial }

// Committed returns a copy of the committed configuration (rollback 0).
func (d *Device) Committed() *junosconf.Tree {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.history[0].tree.Clone()
}

// Close stops the listener, ends every session and waits for all of the
// device's goroutines. A pending confirmed commit stays unconfirmed (its
// timer is stopped). Close is idempotent.
func (d *Device) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	if d.pending != nil {
		d.pending.stop()
		d.pending = nil
	}
	conns := make([]net.Conn, 0, len(d.conns))
	for c := range d.conns {
		conns = append(conns, c)
	}
	d.mu.Unlock()
	d.cancel()
	err := d.ln.Close()
	for _, c := range conns {
		c.Close()
	}
	d.wg.Wait()
	return err
}

// ---- sessions and the configuration database ----

// session is one logged-in user's management session (NETCONF or CLI).
type session struct {
	d        *Device
	sid      int
	user     string
	kind     string // "netconf" or "cli"
	since    time.Time
	private  *junosconf.Tree // non-nil while "configure private" is open
	privBase *junosconf.Tree // committed configuration when private was opened
	privOps  []privOp        // edits made in the private copy, replayed at commit
	killFn   func()          // ends the transport; set by the SSH layer
	closed   bool
}

// privOp is one edit of a private candidate, kept so that a private commit
// can apply the session's changes on top of whatever was committed since
// "configure private" (Junos merges private changes into the current
// configuration rather than replacing it).
type privOp func(t *junosconf.Tree) error

// newSession registers a session for user.
func (d *Device) newSession(user, kind string) *session {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nextID++
	s := &session{d: d, sid: d.nextID, user: user, kind: kind, since: d.clock.Now()}
	d.sessions[s.sid] = s
	return s
}

func (s *session) id() int { return s.sid }

// close releases the session's lock and private copy; if it held the
// exclusive lock, the shared candidate's uncommitted changes are discarded.
func (s *session) close() {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	s.closeLocked()
}

func (s *session) closeLocked() {
	if s.closed {
		return
	}
	s.closed = true
	d := s.d
	if d.lockedBy == s {
		d.lockedBy = nil
		d.shared = d.history[0].tree.Clone()
	}
	s.private = nil
	delete(d.sessions, s.sid)
}

// lockMessage is Junos' text when another session holds the exclusive lock.
func (s *session) lockMessageLocked(holder *session) string {
	term := "netconf"
	if holder.kind == "cli" {
		term = "terminal"
	}
	return fmt.Sprintf("configuration database locked by:\n  %s %s (pid %d) on since %s\n  exclusive [edit]",
		holder.user, term, holder.sid, holder.since.UTC().Format("2006-01-02 15:04:05 MST"))
}

// dbError is a configuration-database refusal (lock held, database
// modified, no such rollback, …). Tag is the RFC 6241 error-tag to use.
type dbError struct {
	Tag string
	Msg string
}

func (e *dbError) Error() string { return e.Msg }

// target returns the tree this session edits; the caller holds d.mu.
// It fails if the shared candidate is locked by another session.
func (s *session) targetLocked(forWrite bool) (*junosconf.Tree, error) {
	d := s.d
	if s.closed {
		return nil, &dbError{"operation-failed", "session closed"}
	}
	if s.private != nil {
		return s.private, nil
	}
	if forWrite && d.lockedBy != nil && d.lockedBy != s {
		return nil, &dbError{"in-use", s.lockMessageLocked(d.lockedBy)}
	}
	return d.shared, nil
}

// load applies a configuration load to the session's candidate; atomic.
func (s *session) load(a junosconf.Action, f junosconf.Format, body []byte) error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := s.targetLocked(true)
	if err != nil {
		return err
	}
	if err := t.Load(a, f, body, d.plat.Family); err != nil {
		return err
	}
	if s.private != nil {
		fam := d.plat.Family
		s.privOps = append(s.privOps, func(t *junosconf.Tree) error { return t.Load(a, f, body, fam) })
	}
	return nil
}

// setLine applies one CLI configuration statement ("set …", "delete …",
// "deactivate …", "activate …").
func (s *session) setLine(line string) error {
	return s.load(junosconf.ActionSet, junosconf.FormatSet, []byte(line))
}

// candidate returns a copy of what this session edits.
func (s *session) candidate() *junosconf.Tree {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.private != nil {
		return s.private.Clone()
	}
	return d.shared.Clone()
}

// committed returns a copy of rollback 0.
func (s *session) committed() *junosconf.Tree { return s.d.Committed() }

func (d *Device) historyLocked(n int) (*commitEntry, error) {
	if n < 0 || n >= historySize {
		return nil, &dbError{"invalid-value", fmt.Sprintf("rollback %d: value out of range (0..%d)", n, historySize-1)}
	}
	if n >= len(d.history) {
		return nil, &dbError{"invalid-value", fmt.Sprintf("rollback %d: no such rollback configuration (have 0..%d)", n, len(d.history)-1)}
	}
	return d.history[n], nil
}

// rollbackConfig returns a copy of history entry n.
func (s *session) rollbackConfig(n int) (*junosconf.Tree, error) {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	e, err := d.historyLocked(n)
	if err != nil {
		return nil, err
	}
	return e.tree.Clone(), nil
}

// rollback loads history entry n into the candidate (CLI "rollback n").
func (s *session) rollback(n int) error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	e, err := d.historyLocked(n)
	if err != nil {
		return err
	}
	if _, err := s.targetLocked(true); err != nil {
		return err
	}
	if s.private != nil {
		s.private = e.tree.Clone()
		text, fam := e.tree.Text(), d.plat.Family
		s.privOps = append(s.privOps[:0], func(t *junosconf.Tree) error {
			return t.Load(junosconf.ActionOverride, junosconf.FormatText, text, fam)
		})
	} else {
		d.shared = e.tree.Clone()
	}
	return nil
}

// commitOptions are the knobs of one commit.
type commitOptions struct {
	Check          bool
	Confirmed      bool
	ConfirmTimeout time.Duration // 0 means 10 minutes
	Log            string
	Persist        string // RFC 6241 <persist>: token a later commit must quote
	PersistID      string // RFC 6241 <persist-id>: confirms a persistent confirmed commit
}

// commitResult is what a successful commit reports.
type commitResult struct{ Message string }

// commitError is a commit refused for a reason other than configuration
// errors (those come back as junosconf.Errors).
type commitError = dbError

// commit checks and commits the session's candidate.
func (s *session) commit(o commitOptions) (commitResult, error) {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := s.targetLocked(true)
	if err != nil {
		return commitResult{}, err
	}
	if errs := junosconf.Check(t, d.plat.Family); hasErrors(errs) {
		return commitResult{}, errs
	}
	if o.Check {
		return commitResult{Message: "configuration check succeeds"}, nil
	}
	if s.private != nil && d.lockedBy != nil && d.lockedBy != s {
		return commitResult{}, &dbError{"in-use", s.lockMessageLocked(d.lockedBy)}
	}
	if s.private != nil && !d.history[0].tree.Equal(s.privBase) {
		// Someone committed since "configure private": apply this
		// session's edits on top of the current configuration.
		merged := d.history[0].tree.Clone()
		for _, op := range s.privOps {
			if err := op(merged); err != nil {
				return commitResult{}, err
			}
		}
		if errs := junosconf.Check(merged, d.plat.Family); hasErrors(errs) {
			return commitResult{}, errs
		}
		t = merged
	}
	sharedClean := d.shared.Equal(d.history[0].tree)
	if s.private != nil && !sharedClean {
		return commitResult{}, &dbError{"operation-failed", "shared configuration database modified; private commit not allowed"}
	}
	if d.pending != nil && d.pending.persist != "" && o.PersistID != d.pending.persist {
		return commitResult{}, &dbError{"invalid-value", "a persistent confirmed commit is pending; give its persist-id"}
	}
	if d.pending == nil && o.PersistID != "" {
		return commitResult{}, &dbError{"invalid-value", "no confirmed commit with persist-id " + o.PersistID + " is pending"}
	}
	restore := d.history[0].tree
	if d.pending != nil {
		restore = d.pending.restore // a chain of confirmed commits rolls back to before the first
		d.pending.stop()
		d.pending = nil
	}
	d.pushLocked(&commitEntry{tree: t.Clone(), user: s.user, client: s.kind, at: d.clock.Now(), log: o.Log})
	if s.private != nil {
		s.privBase = d.history[0].tree
		s.private = d.history[0].tree.Clone()
		s.privOps = nil
	}
	if s.private == nil || sharedClean {
		d.shared = d.history[0].tree.Clone()
	}
	msg := "commit complete"
	if o.Confirmed {
		timeout := o.ConfirmTimeout
		if timeout <= 0 {
			timeout = 10 * time.Minute
		}
		d.commitGen++
		gen := d.commitGen
		pc := &pendingConfirm{restore: restore, deadline: d.clock.Now().Add(timeout), gen: gen, persist: o.Persist}
		pc.stop = d.clock.AfterFunc(timeout, func() { d.confirmExpired(gen) })
		d.pending = pc
		msg = fmt.Sprintf("commit confirmed will be automatically rolled back in %s unless confirmed\ncommit complete", minutesText(timeout))
	}
	return commitResult{Message: msg}, nil
}

func minutesText(d time.Duration) string {
	if d%time.Minute == 0 {
		m := int(d / time.Minute)
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d seconds", int(d/time.Second))
}

// pushLocked makes e rollback 0, keeping at most historySize entries, and
// tells the network (onCommit). Every change of the committed configuration
// (commit, confirmed-commit rollback, cancel-commit) goes through here.
func (d *Device) pushLocked(e *commitEntry) {
	d.history = append(d.history, nil)
	copy(d.history[1:], d.history)
	d.history[0] = e
	if len(d.history) > historySize {
		d.history = d.history[:historySize]
	}
	if d.onCommit != nil {
		d.onCommit()
	}
}

// setCommitHook installs f, called after every change of the committed
// configuration with the device lock held: f must return at once and must
// not call back into the device.
func (d *Device) setCommitHook(f func()) {
	d.mu.Lock()
	d.onCommit = f
	d.mu.Unlock()
}

// committedRef returns rollback 0 without copying it. History entries are
// never modified after they are pushed, so the tree may be read without the
// lock; callers must not modify it.
func (d *Device) committedRef() *junosconf.Tree {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.history[0].tree
}

// committedAt returns the time of the last change of rollback 0.
func (d *Device) committedAt() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.history[0].at
}

// confirmExpired rolls back an unconfirmed confirmed commit.
func (d *Device) confirmExpired(gen int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed || d.pending == nil || d.pending.gen != gen {
		return
	}
	d.rollbackPendingLocked("commit confirmed rollback")
}

func (d *Device) rollbackPendingLocked(log string) {
	restore := d.pending.restore
	d.pending = nil
	d.pushLocked(&commitEntry{tree: restore.Clone(), user: "root", client: "junos", at: d.clock.Now(), log: log})
	d.shared = restore.Clone()
}

// cancelCommit cancels a pending confirmed commit, rolling back now.
// persistID must match the pending commit's persist token, if it has one.
func (s *session) cancelCommit(persistID string) error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		return &dbError{"operation-failed", "No confirmed commit pending"}
	}
	if d.pending.persist != persistID {
		return &dbError{"invalid-value", "persist-id does not match the pending confirmed commit"}
	}
	if d.lockedBy != nil && d.lockedBy != s {
		return &dbError{"in-use", s.lockMessageLocked(d.lockedBy)}
	}
	d.pending.stop()
	d.rollbackPendingLocked("cancel-commit")
	return nil
}

// confirmPending reports the pending confirmed commit's deadline, if any.
func (d *Device) confirmPending() (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		return time.Time{}, false
	}
	return d.pending.deadline, true
}

// lock takes the exclusive configuration lock ("configure exclusive",
// lock-configuration). It fails if another session holds it or the shared
// candidate has uncommitted changes.
func (s *session) lock() error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lockedBy == s {
		return nil
	}
	if d.lockedBy != nil {
		return &dbError{"lock-denied", s.lockMessageLocked(d.lockedBy)}
	}
	if !d.shared.Equal(d.history[0].tree) {
		return &dbError{"lock-denied", "configuration database modified"}
	}
	d.lockedBy = s
	return nil
}

// unlock releases the exclusive lock and discards uncommitted changes.
func (s *session) unlock() error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.lockedBy != s {
		if d.lockedBy == nil {
			return &dbError{"operation-failed", "configuration database not locked"}
		}
		return &dbError{"in-use", s.lockMessageLocked(d.lockedBy)}
	}
	d.lockedBy = nil
	d.shared = d.history[0].tree.Clone()
	return nil
}

// openPrivate starts a private candidate ("configure private").
func (s *session) openPrivate() error {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.private != nil {
		return nil
	}
	if d.lockedBy != nil && d.lockedBy != s {
		return &dbError{"in-use", s.lockMessageLocked(d.lockedBy)}
	}
	if !d.shared.Equal(d.history[0].tree) {
		return &dbError{"operation-failed", "shared configuration database modified\nUsers currently editing the configuration must commit or discard first"}
	}
	s.privBase = d.history[0].tree
	s.private = d.history[0].tree.Clone()
	s.privOps = nil
	return nil
}

// closePrivate ends a private candidate, discarding its changes.
func (s *session) closePrivate() {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	s.private = nil
	s.privBase = nil
	s.privOps = nil
}

// discard drops this session's uncommitted changes.
func (s *session) discard() {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.private != nil {
		s.private = d.history[0].tree.Clone()
		s.privBase = d.history[0].tree
		s.privOps = nil
		return
	}
	if d.lockedBy == nil || d.lockedBy == s {
		d.shared = d.history[0].tree.Clone()
	}
}

// discardErr is discard for callers that must report a lock conflict.
func (s *session) discardErr() error {
	d := s.d
	d.mu.Lock()
	if s.private == nil && d.lockedBy != nil && d.lockedBy != s {
		msg := s.lockMessageLocked(d.lockedBy)
		d.mu.Unlock()
		return &dbError{"in-use", msg}
	}
	d.mu.Unlock()
	s.discard()
	return nil
}

// compare returns the candidate against rollback n in patch format; an
// out-of-range n compares against the oldest entry.
func (s *session) compare(n int) []byte {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if n >= len(d.history) {
		n = len(d.history) - 1
	}
	if n < 0 {
		n = 0
	}
	cand := d.shared
	if s.private != nil {
		cand = s.private
	}
	return junosconf.Diff(d.history[n].tree, cand)
}

// compareErr is compare with range checking (NETCONF compare="rollback").
func (s *session) compareErr(n int) ([]byte, error) {
	d := s.d
	d.mu.Lock()
	_, err := d.historyLocked(n)
	d.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return s.compare(n), nil
}

// commitMeta returns the metadata of rollback 0.
func (d *Device) commitMeta() commitEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := *d.history[0]
	e.tree = nil
	return e
}

// commitLog returns metadata of every history entry, newest first.
func (d *Device) commitLog() []commitEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]commitEntry, len(d.history))
	for i, e := range d.history {
		out[i] = *e
		out[i].tree = nil
	}
	return out
}

// kill ends session id on behalf of s (kill-session): the victim's
// uncommitted changes are rolled back and its transport closed.
func (s *session) kill(id int) error {
	d := s.d
	d.mu.Lock()
	victim, ok := d.sessions[id]
	if !ok {
		d.mu.Unlock()
		return &dbError{"invalid-value", fmt.Sprintf("session %d does not exist", id)}
	}
	if victim == s {
		d.mu.Unlock()
		return &dbError{"invalid-value", "cannot kill own session"}
	}
	victim.closeLocked()
	kill := victim.killFn
	d.mu.Unlock()
	if kill != nil {
		kill()
	}
	return nil
}

// setKill records how to end this session's transport.
func (s *session) setKill(f func()) {
	s.d.mu.Lock()
	s.killFn = f
	s.d.mu.Unlock()
}
