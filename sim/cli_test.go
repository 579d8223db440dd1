package sim

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// term is the client end of an in-memory terminal: a goroutine keeps reading
// what the shell writes so that the shell's echo never blocks on net.Pipe.
type cliTerm struct {
	t    *testing.T
	conn net.Conn

	mu   sync.Mutex
	cond *sync.Cond
	out  bytes.Buffer // everything not yet consumed by expect
	all  bytes.Buffer // everything, for failure messages
	eof  bool
}

func newCLITerm(t *testing.T, c net.Conn) *cliTerm {
	tm := &cliTerm{t: t, conn: c}
	tm.cond = sync.NewCond(&tm.mu)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := c.Read(b)
			tm.mu.Lock()
			tm.out.Write(b[:n])
			tm.all.Write(b[:n])
			if err != nil {
				tm.eof = true
			}
			tm.cond.Broadcast()
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return tm
}

// expect waits until the output contains want and returns the output up to
// and including it.
func (tm *cliTerm) expect(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	timer := time.AfterFunc(5*time.Second, func() { tm.mu.Lock(); tm.cond.Broadcast(); tm.mu.Unlock() })
	defer timer.Stop()
	tm.mu.Lock()
	defer tm.mu.Unlock()
	for {
		if i := strings.Index(tm.out.String(), want); i >= 0 {
			got := string(tm.out.Next(i + len(want)))
			return got
		}
		if tm.eof || time.Now().After(deadline) {
			tm.t.Fatalf("waiting for %q; session output so far:\n%s", want, tm.all.String())
		}
		tm.cond.Wait()
	}
}

// waitEOF waits until the shell closed its end.
func (tm *cliTerm) waitEOF() string {
	tm.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	timer := time.AfterFunc(5*time.Second, func() { tm.mu.Lock(); tm.cond.Broadcast(); tm.mu.Unlock() })
	defer timer.Stop()
	tm.mu.Lock()
	defer tm.mu.Unlock()
	for !tm.eof {
		if time.Now().After(deadline) {
			tm.t.Fatalf("session did not end; output:\n%s", tm.all.String())
		}
		tm.cond.Wait()
	}
	return tm.out.String()
}

func (tm *cliTerm) send(s string) {
	tm.t.Helper()
	if _, err := tm.conn.Write([]byte(s)); err != nil {
		tm.t.Fatalf("write %q: %v", s, err)
	}
}

// cmd types a line, waits for the echo (as scrapligo does) and returns the
// output up to the next prompt ending in promptEnd.
func (tm *cliTerm) cmd(line, promptEnd string) string {
	tm.t.Helper()
	tm.send(line)
	tm.expect(line)
	tm.send("\r")
	return tm.expect(promptEnd)
}

// testDevice starts a device for CLI tests; it is closed when the test ends.
func cliTestDevice(t testing.TB, host string) *Device {
	t.Helper()
	d, err := Start(context.Background(), Options{
		Hostname: host, Platform: "mx480",
		Addr:  netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []User{{Name: "admin", Password: "admin123"}},
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// openShell runs serveCLI on an in-memory pipe and returns the client end.
// The returned channel yields serveCLI's result.
func cliOpenShell(t *testing.T, d *Device, pty bool) (*cliTerm, <-chan error) {
	t.Helper()
	client, server := net.Pipe()
	s := d.newSession("admin", "cli")
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer s.close()
		done <- d.serveCLI(ctx, server, s, pty)
		server.Close()
	}()
	t.Cleanup(func() { cancel(); client.Close() })
	return newCLITerm(t, client), done
}

func TestCLIBannerPromptAndEcho(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, true)
	got := tm.expect("admin@pe1> ")
	if !strings.HasPrefix(got, "--- JUNOS 23.4R2.13 Kernel 64-bit") {
		t.Errorf("banner: got %q", got)
	}
	tm.send("show version")
	if echo := tm.expect("show version"); echo != "show version" {
		t.Errorf("echo before return: got %q, want exactly the typed text", echo)
	}
	tm.send("\r")
	out := tm.expect("admin@pe1> ")
	if !strings.HasPrefix(out, "\r\n") || !strings.Contains(out, "pe1") {
		t.Errorf("show version output: %q", out)
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Errorf("with a pty every line must end in CR LF: %q", out)
	}
}

func TestCLILineEditing(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, true)
	tm.expect("admin@pe1> ")

	// Backspace and DEL erase; the echo shows the erasure.
	tm.send("show verq\x7fsiom\bn")
	tm.expect("show verq\b \bsiom\b \bn")
	tm.send("\r\n") // CR LF is one line end, not two
	out := tm.expect("admin@pe1> ")
	if strings.Contains(out, "unknown command") || strings.Contains(out, "syntax error") {
		t.Fatalf("edited line not understood: %q", out)
	}
	// The LF after CR must not produce an empty extra prompt.
	tm.send("show version\r")
	out = tm.expect("admin@pe1> ")
	if strings.Count(out, "admin@pe1>") != 1 || !strings.Contains(out, "show version") {
		t.Errorf("CR LF produced an extra line: %q", out)
	}

	// Ctrl-C drops the line and gives a new prompt.
	tm.send("configure\x03")
	out = tm.expect("admin@pe1> ")
	if !strings.Contains(out, "^C\r\n") || strings.Contains(out, "Entering configuration mode") {
		t.Errorf("Ctrl-C: %q", out)
	}

	// Ctrl-U clears the line; arrow keys are ignored.
	tm.send("bogus\x15\x1b[A\x1b[Dshow version\r")
	out = tm.expect("admin@pe1> ")
	if strings.Contains(out, "unknown command") {
		t.Errorf("Ctrl-U / arrows: %q", out)
	}
}

func TestCLIEndOfSession(t *testing.T) {
	tests := []struct {
		name, input string
	}{
		{"exit", "exit\r"},
		{"quit", "quit\r"},
		{"ctrl-d", "\x04"},
		{"eof", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cliTestDevice(t, "pe1")
			tm, done := cliOpenShell(t, d, true)
			tm.expect("admin@pe1> ")
			if tt.input == "" {
				tm.conn.Close()
			} else {
				tm.send(tt.input)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serveCLI: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("session did not end")
			}
		})
	}
}

func TestCLIContextCancelEndsSession(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	client, server := net.Pipe()
	defer client.Close()
	go io.Copy(io.Discard, client)
	s := d.newSession("admin", "cli")
	defer s.close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.serveCLI(ctx, server, s, true) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("serveCLI ignored ctx cancellation")
	}
}

func TestCLIErrorsHaveCarets(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, false) // no pty: no echo, plain LF
	tm.expect("admin@pe1> ")
	tests := []struct {
		line, caretUnder, msg string
	}{
		{"bogus", "bogus", "unknown command."},
		{"show bogus", "bogus", "syntax error"},
		{"show version | bogus", "bogus", "syntax error."},
		{"set cli screen-width wide", "wide", "syntax error, expecting <number>."},
		{"configure sideways", "sideways", "syntax error, expecting <command>."},
	}
	for _, tt := range tests {
		tm.send(tt.line + "\n")
		out := tm.expect("admin@pe1> ")
		lines := strings.Split(out, "\n")
		if len(lines) < 2 {
			t.Errorf("%q: output %q", tt.line, out)
			continue
		}
		col := len("admin@pe1> ") + strings.Index(tt.line, tt.caretUnder)
		if want := strings.Repeat(" ", col) + "^"; lines[0] != want {
			t.Errorf("%q: caret line %q, want %q", tt.line, lines[0], want)
		}
		if !strings.HasPrefix(lines[1], tt.msg) {
			t.Errorf("%q: message %q, want prefix %q", tt.line, lines[1], tt.msg)
		}
		if strings.Contains(out, "\r") {
			t.Errorf("%q: CR in output without a pty: %q", tt.line, out)
		}
	}
}

func TestCLISetCLICommands(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, true)
	tm.expect("admin@pe1> ")
	for line, want := range map[string]string{
		"set cli screen-width 511":        "Screen width set to 511",
		"set cli screen-length 0":         "Screen length set to 0",
		"set cli complete-on-space off":   "Disabling complete-on-space",
		"set cli complete-on-space on":    "Enabling complete-on-space",
		"show version | count":            "Count: ",
		"show version | match PE1":        "pe1",
		"show version | no-more | last 1": "",
	} {
		out := tm.cmd(line, "admin@pe1> ")
		if !strings.Contains(out, want) {
			t.Errorf("%q: output %q, want %q", line, out, want)
		}
	}
}

func TestCLIConfigureCommitShow(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, true)
	tm.expect("admin@pe1> ")

	out := tm.cmd("configure", "admin@pe1# ")
	if !strings.Contains(out, "Entering configuration mode\r\n\r\n[edit]\r\n") {
		t.Errorf("configure: %q", out)
	}
	out = tm.cmd("set interfaces ge-1/0/1 description \"to p1\"", "admin@pe1# ")
	if out != "\r\n\r\n[edit]\r\nadmin@pe1# " {
		t.Errorf("set: %q", out)
	}
	out = tm.cmd("show | compare", "admin@pe1# ")
	if !strings.Contains(out, "+") || !strings.Contains(out, "to p1") {
		t.Errorf("show | compare: %q", out)
	}
	out = tm.cmd("edit interfaces", "admin@pe1# ")
	if !strings.Contains(out, "[edit interfaces]\r\nadmin@pe1# ") {
		t.Errorf("edit interfaces: %q", out)
	}
	out = tm.cmd("show | display set", "admin@pe1# ")
	if !strings.Contains(out, "set interfaces ge-1/0/1 description") {
		t.Errorf("show | display set at [edit interfaces]: %q", out)
	}
	out = tm.cmd("top", "admin@pe1# ")
	if !strings.Contains(out, "\r\n[edit]\r\n") {
		t.Errorf("top: %q", out)
	}
	out = tm.cmd("commit", "admin@pe1# ")
	if !strings.Contains(out, "commit complete") {
		t.Errorf("commit: %q", out)
	}
	out = tm.cmd("exit", "admin@pe1> ")
	if !strings.Contains(out, "Exiting configuration mode") || strings.Contains(out, "uncommitted") {
		t.Errorf("exit after commit: %q", out)
	}
	out = tm.cmd("show configuration | display set | match description", "admin@pe1> ")
	if !strings.Contains(out, "set interfaces ge-1/0/1 description") {
		t.Errorf("show configuration | display set: %q", out)
	}
	out = tm.cmd("show configuration | compare rollback 1", "admin@pe1> ")
	if !strings.Contains(out, "+") || !strings.Contains(out, "to p1") {
		t.Errorf("compare rollback 1: %q", out)
	}
	out = tm.cmd("show configuration | display xml", "admin@pe1> ")
	if !strings.Contains(out, "<rpc-reply") || !strings.Contains(out, "<configuration") {
		t.Errorf("display xml: %q", out)
	}
	out = tm.cmd("show version | display xml rpc", "admin@pe1> ")
	if !strings.Contains(out, "<get-software-information") {
		t.Errorf("display xml rpc: %q", out)
	}
	if got := string(d.Committed().SetLines()); !strings.Contains(got, "to p1") {
		t.Errorf("device committed config lacks the change:\n%s", got)
	}
}

func TestCLICommitCheckFailure(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, false)
	tm.expect("admin@pe1> ")
	tm.send("configure\n")
	tm.expect("admin@pe1# ")
	tm.send("set protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100 virtual-circuit-id 100\n")
	if out := tm.expect("admin@pe1# "); strings.Contains(out, "error") {
		t.Fatalf("set: %q", out)
	}
	tm.send("commit check\n")
	out := tm.expect("admin@pe1# ")
	if !strings.Contains(out, "error: configuration check-out failed") {
		t.Errorf("commit check: %q", out)
	}
	before := d.Committed()
	tm.send("commit\n")
	out = tm.expect("admin@pe1# ")
	if !strings.Contains(out, "error: configuration check-out failed") {
		t.Errorf("commit: %q", out)
	}
	if !d.Committed().Equal(before) {
		t.Error("a failed commit changed the committed configuration")
	}
	// Leaving with the bad change still in the candidate asks (interactive
	// exit) and "no" stays in configuration mode.
	tm.send("exit\n")
	out = tm.expect("(yes) ")
	if !strings.Contains(out, "The configuration has been changed but not committed") {
		t.Errorf("exit: %q", out)
	}
	tm.send("no\n")
	tm.expect("admin@pe1# ")
	tm.send("rollback\n")
	if out := tm.expect("admin@pe1# "); !strings.Contains(out, "load complete") {
		t.Errorf("rollback: %q", out)
	}
	tm.send("exit configuration-mode\n")
	if out := tm.expect("admin@pe1> "); strings.Contains(out, "uncommitted") {
		t.Errorf("exit after rollback: %q", out)
	}
}

func TestCLISyntaxErrorInConfigMode(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, false)
	tm.expect("admin@pe1> ")
	tm.send("configure\n")
	tm.expect("admin@pe1# ")
	line := "set interfaces ge-1/0/1 bogus-statement 1"
	tm.send(line + "\n")
	out := tm.expect("admin@pe1# ")
	lines := strings.Split(out, "\n")
	col := len("admin@pe1# ") + strings.Index(line, "bogus-statement")
	if lines[0] != strings.Repeat(" ", col)+"^" || !strings.HasPrefix(lines[1], "syntax error") {
		t.Errorf("syntax error output: %q", out)
	}
	tm.send("frobnicate\n")
	out = tm.expect("admin@pe1# ")
	if !strings.Contains(out, "unknown command.") {
		t.Errorf("unknown command: %q", out)
	}
}

func TestCLIRunExec(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	s := d.newSession("admin", "cli")
	defer s.close()
	out, err := d.runExec(context.Background(), s, "show version | match pe1")
	if err != nil || !strings.Contains(string(out), "pe1") {
		t.Errorf("runExec show version: %q, %v", out, err)
	}
	out, err = d.runExec(context.Background(), s, "show bogus")
	if err == nil || !strings.Contains(string(out), "^") {
		t.Errorf("runExec show bogus: %q, %v", out, err)
	}
	if _, err := d.runExec(context.Background(), s, "configure"); err == nil {
		t.Error("runExec configure: want an error")
	}
}

func TestCLIExclusiveAndPrivate(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	a, _ := cliOpenShell(t, d, false)
	b, _ := cliOpenShell(t, d, false)
	a.expect("admin@pe1> ")
	b.expect("admin@pe1> ")

	a.send("configure exclusive\n")
	if out := a.expect("admin@pe1# "); !strings.Contains(out, "warning: uncommitted changes will be discarded on exit") {
		t.Errorf("configure exclusive: %q", out)
	}
	a.send("set system domain-name a.example\n")
	a.expect("admin@pe1# ")

	// Another session cannot take the lock or open a private candidate.
	b.send("configure exclusive\n")
	if out := b.expect("admin@pe1> "); !strings.Contains(out, "error: ") || strings.Contains(out, "Entering configuration mode") {
		t.Errorf("second configure exclusive: %q", out)
	}
	b.send("configure private\n")
	if out := b.expect("admin@pe1> "); !strings.Contains(out, "error: ") {
		t.Errorf("configure private while locked: %q", out)
	}

	// Leaving exclusive mode discards the change and releases the lock.
	a.send("exit configuration-mode\n")
	if out := a.expect("admin@pe1> "); !strings.Contains(out, "The configuration has been changed but not committed") {
		t.Errorf("exit exclusive: %q", out)
	}
	b.send("configure private\n")
	b.expect("admin@pe1# ")
	b.send("show | compare\n")
	if out := b.expect("admin@pe1# "); strings.Contains(out, "a.example") {
		t.Errorf("exclusive change survived exit: %q", out)
	}
	b.send("set system domain-name b.example\n")
	b.expect("admin@pe1# ")
	b.send("commit\n")
	if out := b.expect("admin@pe1# "); !strings.Contains(out, "commit complete") {
		t.Errorf("private commit: %q", out)
	}
	b.send("exit\n")
	b.expect("admin@pe1> ")
	if got := string(d.Committed().SetLines()); !strings.Contains(got, "domain-name b.example") || strings.Contains(got, "a.example") {
		t.Errorf("committed:\n%s", got)
	}
}

func TestCLIConfigModeCommands(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, false)
	tm.expect("admin@pe1> ")
	steps := []struct {
		line, want, not string
	}{
		{"configure", "Entering configuration mode", ""},
		{"up", "Already at the top of the configuration", ""},
		{"set interfaces ge-1/0/2 description uplink", "", "error"},
		{"commit", "commit complete", ""},
		{"deactivate interfaces ge-1/0/2", "", "error"},
		{"show | display set | match ge-1/0/2", "deactivate interfaces ge-1/0/2", ""},
		{"activate interfaces ge-1/0/2", "", "error"},
		{"show | display set | match ge-1/0/2", "set interfaces ge-1/0/2 description uplink", "deactivate"},
		{"edit interfaces ge-1/0/2", "[edit interfaces ge-1/0/2]", ""},
		{"set mtu 9192", "", "error"},
		{"top show interfaces ge-1/0/2", "mtu 9192;", ""},
		{"show", "[edit]", ""}, // "top show" left the level at the top
		{"edit interfaces ge-1/0/2 unit 7", "[edit interfaces ge-1/0/2 unit 7]", ""},
		{"up", "[edit interfaces ge-1/0/2]", ""},
		{"exit", "[edit]", "Exiting"},
		{"run show version | match Hostname", "pe1", ""},
		{"run configure", "syntax error", "Entering"},
		{"commit confirmed 3", "commit complete", ""},
		{"commit", "commit complete", ""},
		{"show | compare rollback 2", "mtu 9192", ""},
		{"rollback 2", "load complete", ""},
		{"show | compare", "mtu 9192", ""},
		{"rollback 77", "syntax error, expecting <number>.", ""},
		{"commit check and-quit", "syntax error.", ""},
		{"delete interfaces ge-1/0/2 mtu", "", "error"},
		{"show interfaces ge-1/0/2", "description uplink;", "mtu"},
		{"set", "missing argument.", ""},
		{"edit interfaces", "[edit interfaces]", ""},
		{"edit ge-1/0/2 unit 7", "[edit interfaces ge-1/0/2 unit 7]", ""},
		{"exit", "[edit interfaces]\n", ""},
		{"exit", "\n[edit]\n", ""},
		{"edit bogus-top", "syntax error", ""},
	}
	for _, st := range steps {
		tm.send(st.line + "\n")
		out := tm.expect("admin@pe1# ")
		if st.want != "" && !strings.Contains(out, st.want) {
			t.Errorf("%q: output %q lacks %q", st.line, out, st.want)
		}
		if st.not != "" && strings.Contains(out, st.not) {
			t.Errorf("%q: output %q contains %q", st.line, out, st.not)
		}
	}
}

func TestCLICommitWhileLockedElsewhere(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	a, _ := cliOpenShell(t, d, false)
	b, _ := cliOpenShell(t, d, false)
	a.expect("admin@pe1> ")
	b.expect("admin@pe1> ")
	b.send("configure\n")
	b.expect("admin@pe1# ")
	a.send("configure exclusive\n")
	a.expect("admin@pe1# ")
	b.send("set system domain-name b.example\n")
	b.expect("admin@pe1# ")
	b.send("commit\n")
	out := b.expect("admin@pe1# ")
	if !strings.HasPrefix(out, "error: ") || strings.Contains(out, "check-out failed") {
		t.Errorf("commit while another session holds the lock: %q", out)
	}
}

func TestCLIPromptFollowsCommittedHostname(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, false)
	tm.expect("admin@pe1> ")
	tm.send("configure\n")
	tm.expect("admin@pe1# ")
	tm.send("set system host-name pe1-new\n")
	tm.expect("admin@pe1# ") // not committed yet
	tm.send("commit and-quit\n")
	tm.expect("admin@pe1-new> ")
	// A new session shows the committed name too.
	tm2, _ := cliOpenShell(t, d, false)
	tm2.expect("admin@pe1-new> ")
}

// BenchmarkCLIExec runs one operational command with pipes through the CLI
// (no SSH): the cost the shell adds around the command table.
func BenchmarkCLIExec(b *testing.B) {
	d := cliTestDevice(b, "pe1")
	s := d.newSession("admin", "cli")
	defer s.close()
	ctx := context.Background()
	for b.Loop() {
		if _, err := d.runExec(ctx, s, "show configuration | display set | match host-name"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCLIShellRoundTrip types a configuration command into an echoing
// shell over an in-memory pipe and waits for the next prompt.
func BenchmarkCLIShellRoundTrip(b *testing.B) {
	d := cliTestDevice(b, "pe1")
	client, server := net.Pipe()
	defer client.Close()
	s := d.newSession("admin", "cli")
	defer s.close()
	go d.serveCLI(context.Background(), server, s, true)
	r := bufio.NewReader(client)
	readUntil := func(want string) {
		var got []byte
		for !bytes.HasSuffix(got, []byte(want)) {
			c, err := r.ReadByte()
			if err != nil {
				b.Fatal(err)
			}
			got = append(got, c)
		}
	}
	// net.Pipe is synchronous: write in a goroutine while reading the echo.
	send := func(line string) {
		go client.Write([]byte(line + "\r"))
	}
	readUntil("admin@pe1> ")
	send("configure")
	readUntil("admin@pe1# ")
	for i := 0; b.Loop(); i++ {
		send("set system domain-name d" + strconv.Itoa(i%100) + ".example")
		readUntil("admin@pe1# ")
	}
}

func TestCLILoadTerminal(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	tm, _ := cliOpenShell(t, d, true)
	tm.expect("admin@pe1> ")
	tm.cmd("configure", "admin@pe1# ")
	tm.send("load merge terminal\r")
	tm.expect("[Type ^D at a new line to end input]\r\n")
	tm.send("interfaces {\r    ge-1/0/3 {\r        description \"pasted in\";\r    }\r}\r\x04")
	if out := tm.expect("admin@pe1# "); !strings.Contains(out, "load complete") {
		t.Fatalf("load merge: %q", out)
	}
	if out := tm.cmd("show | compare", "admin@pe1# "); !strings.Contains(out, "pasted in") {
		t.Errorf("after load: %q", out)
	}
	tm.send("load set terminal\r")
	tm.expect("end input]\r\n")
	tm.send("set interfaces ge-1/0/3 mtu 9000\rset bogus-thing 1\r\x04")
	out := tm.expect("admin@pe1# ")
	if !strings.Contains(out, "nothing loaded") || !strings.Contains(out, "bogus-thing") {
		t.Errorf("bad load set: %q", out)
	}
	if out := tm.cmd("show | compare", "admin@pe1# "); strings.Contains(out, "9000") {
		t.Errorf("a failed load changed the candidate: %q", out)
	}
}
