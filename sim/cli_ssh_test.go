package sim

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scrapli/scrapligo/driver/options"
	"github.com/scrapli/scrapligo/platform"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// sshShell is a raw x/crypto/ssh client with a pty and a shell: the bytes a
// terminal would see, nothing interpreted.
type sshShell struct {
	t     *testing.T
	stdin io.WriteCloser
	sess  *ssh.Session
	conn  *ssh.Client

	mu   sync.Mutex
	cond *sync.Cond
	out  bytes.Buffer
	all  bytes.Buffer
	eof  bool
}

func dialShell(t *testing.T, d *Device, user, pass string) *sshShell {
	t.Helper()
	cfg := &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.Password(pass)},
		HostKeyCallback: ssh.FixedHostKey(d.HostKey()),
		Timeout:         5 * time.Second,
	}
	c, err := ssh.Dial("tcp", d.Addr().String(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	if err := sess.RequestPty("xterm", 24, 511, ssh.TerminalModes{ssh.ECHO: 1}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	sh := &sshShell{t: t, stdin: stdin, sess: sess, conn: c}
	sh.cond = sync.NewCond(&sh.mu)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := stdout.Read(b)
			sh.mu.Lock()
			sh.out.Write(b[:n])
			sh.all.Write(b[:n])
			sh.eof = err != nil
			sh.cond.Broadcast()
			sh.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { sess.Close(); c.Close() })
	return sh
}

func (sh *sshShell) expect(want string) string {
	sh.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	timer := time.AfterFunc(5*time.Second, func() { sh.mu.Lock(); sh.cond.Broadcast(); sh.mu.Unlock() })
	defer timer.Stop()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for {
		if i := strings.Index(sh.out.String(), want); i >= 0 {
			return string(sh.out.Next(i + len(want)))
		}
		if sh.eof || time.Now().After(deadline) {
			sh.t.Fatalf("waiting for %q; output so far:\n%s", want, sh.all.String())
		}
		sh.cond.Wait()
	}
}

// typeSlowly sends s one byte per write and checks each byte's echo.
func (sh *sshShell) typeSlowly(s string) {
	sh.t.Helper()
	for i := 0; i < len(s); i++ {
		if _, err := sh.stdin.Write([]byte{s[i]}); err != nil {
			sh.t.Fatal(err)
		}
		sh.expect(s[i : i+1])
	}
}

func TestCLIOverSSHByteByByte(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	sh := dialShell(t, d, "admin", "admin123")
	banner := sh.expect("admin@pe1> ")
	if !strings.Contains(banner, "JUNOS 23.4R2.13") {
		t.Errorf("banner: %q", banner)
	}
	sh.typeSlowly("show version")
	sh.stdin.Write([]byte("\r"))
	out := sh.expect("admin@pe1> ")
	if !strings.Contains(out, "pe1") || !strings.Contains(out, "\r\n") {
		t.Errorf("show version over SSH: %q", out)
	}

	sh.typeSlowly("configure")
	sh.stdin.Write([]byte("\r"))
	if out := sh.expect("admin@pe1# "); !strings.Contains(out, "Entering configuration mode\r\n\r\n[edit]\r\n") {
		t.Errorf("configure: %q", out)
	}
	sh.typeSlowly("edit system")
	sh.stdin.Write([]byte("\r"))
	if out := sh.expect("admin@pe1# "); !strings.HasSuffix(out, "[edit system]\r\nadmin@pe1# ") {
		t.Errorf("edit system: %q", out)
	}
	sh.typeSlowly("set domain-name lab.example")
	sh.stdin.Write([]byte("\r"))
	sh.expect("admin@pe1# ")
	sh.typeSlowly("up")
	sh.stdin.Write([]byte("\r"))
	if out := sh.expect("admin@pe1# "); !strings.HasSuffix(out, "\r\n[edit]\r\nadmin@pe1# ") {
		t.Errorf("up: %q", out)
	}
	sh.typeSlowly("commit and-quit")
	sh.stdin.Write([]byte("\r"))
	if out := sh.expect("admin@pe1> "); !strings.Contains(out, "commit complete") || !strings.Contains(out, "Exiting configuration mode") {
		t.Errorf("commit and-quit: %q", out)
	}
	if !strings.Contains(string(d.Committed().SetLines()), "set system domain-name lab.example") {
		t.Errorf("committed:\n%s", d.Committed().SetLines())
	}
	sh.typeSlowly("exit")
	sh.stdin.Write([]byte("\r"))
	done := make(chan error, 1)
	go func() { done <- sh.sess.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("session end: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("exit did not close the session")
	}
}

func TestCLIExecOverSSH(t *testing.T) {
	d := cliTestDevice(t, "pe1")
	c, err := ssh.Dial("tcp", d.Addr().String(), &ssh.ClientConfig{
		User: "admin", Auth: []ssh.AuthMethod{ssh.Password("admin123")},
		HostKeyCallback: ssh.FixedHostKey(d.HostKey()), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.Output("show configuration system | display set | match host-name")
	if err != nil || !strings.Contains(string(out), "set system host-name pe1") {
		t.Errorf("exec: %q, %v", out, err)
	}
}

// knownHostsFor writes a known_hosts file that lists d's host key.
func knownHostsFor(t *testing.T, ds ...*Device) string {
	t.Helper()
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(d.Addr().String())}, d.HostKey()) + "\n")
	}
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCLIScrapligoJuniperJunos drives the shell with scrapligo's juniper_junos
// platform over both of its SSH transports: "standard" (x/crypto/ssh) and
// "system" (the OpenSSH client under a local pty, password typed in
// channel), with strict host-key checking against a known_hosts file.
func TestCLIScrapligoJuniperJunos(t *testing.T) {
	for _, transport := range []string{"standard", "system"} {
		t.Run(transport, func(t *testing.T) {
			if transport == "system" {
				if _, err := exec.LookPath("ssh"); err != nil {
					t.Skip("the system transport needs the OpenSSH client (openssh-client)")
				}
			}
			testScrapligo(t, transport)
		})
	}
}

func testScrapligo(t *testing.T, transport string) {
	d := cliTestDevice(t, "pe1")
	host, port, _ := net.SplitHostPort(d.Addr().String())
	portN, _ := strconv.Atoi(port)
	p, err := platform.NewPlatform("juniper_junos", host,
		options.WithPort(portN),
		options.WithAuthUsername("admin"),
		options.WithAuthPassword("admin123"),
		options.WithTransportType(transport),
		options.WithSSHKnownHostsFile(knownHostsFor(t, d)),
		options.WithTimeoutOps(10*time.Second),
	)
	if err != nil {
		t.Fatal(err)
	}
	drv, err := p.GetNetworkDriver()
	if err != nil {
		t.Fatal(err)
	}
	if err := drv.Open(); err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer drv.Close()

	r, err := drv.SendCommand("show version")
	if err != nil || r.Failed != nil {
		t.Fatalf("show version: %v %v", err, r.Failed)
	}
	if !strings.Contains(r.Result, "pe1") || !strings.Contains(r.Result, "mx480") {
		t.Errorf("show version result: %q", r.Result)
	}

	mr, err := drv.SendConfigs([]string{
		"set interfaces ge-1/0/1 description \"to p1\"",
		"set interfaces ge-1/0/1 unit 0 family inet address 192.0.2.1/31",
		"commit",
	})
	if err != nil {
		t.Fatalf("SendConfigs: %v", err)
	}
	if mr.Failed != nil {
		t.Fatalf("SendConfigs failed: %v\n%s", mr.Failed, mr.JoinedResult())
	}
	if !strings.Contains(mr.JoinedResult(), "commit complete") {
		t.Errorf("commit output: %q", mr.JoinedResult())
	}

	r, err = drv.SendCommand("show configuration | display set")
	if err != nil || r.Failed != nil {
		t.Fatalf("show configuration: %v %v", err, r.Failed)
	}
	for _, want := range []string{
		`set interfaces ge-1/0/1 description "to p1"`,
		"set interfaces ge-1/0/1 unit 0 family inet address 192.0.2.1/31",
	} {
		if !strings.Contains(r.Result, want) {
			t.Errorf("show configuration | display set lacks %q:\n%s", want, r.Result)
		}
	}

	// A commit check that fails: the device says why and nothing changes.
	before := d.Committed()
	mr, err = drv.SendConfigs([]string{
		"set protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100 virtual-circuit-id 100",
		"commit check",
	})
	if err != nil {
		t.Fatalf("SendConfigs (check): %v", err)
	}
	if out := mr.JoinedResult(); !strings.Contains(out, "error: configuration check-out failed") {
		t.Errorf("commit check output: %q", out)
	}
	// A syntax error is reported as a failure by scrapligo (failed-when-contains).
	r, err = drv.SendConfig("set interfaces ge-1/0/1 bogus-statement")
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed == nil {
		t.Errorf("syntax error not detected by scrapligo: %q", r.Result)
	}
	r, err = drv.SendCommand("show bogus")
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed == nil {
		t.Errorf("unknown command not detected by scrapligo: %q", r.Result)
	}
	if !d.Committed().Equal(before) {
		t.Error("the failed check changed the committed configuration")
	}
}
