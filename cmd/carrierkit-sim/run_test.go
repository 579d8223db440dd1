package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

const smallTopology = "../../sim/testdata/topologies/small.clab.yml"

// lockedBuffer is an io.Writer safe for the run goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var lineRE = regexp.MustCompile(`^(\S+) (\S+) netconf\+cli ssh://([^@]+)@(\S+) hostkey (ssh-ed25519 \S+)$`)

type listening struct{ host, platform, user, addr, key string }

func parseLines(t *testing.T, out string) []listening {
	t.Helper()
	var ls []listening
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		m := lineRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("bad device line %q", l)
		}
		ls = append(ls, listening{m[1], m[2], m[3], m[4], m[5]})
	}
	return ls
}

// execOverSSH runs one CLI command on a device, checking its host key
// against a known_hosts file (strict checking).
func execOverSSH(t *testing.T, addr, user, pass, knownHostsFile, cmd string) string {
	t.Helper()
	hk, err := knownhosts.New(knownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.Password(pass)},
		HostKeyCallback: hk, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Output(cmd)
	if err != nil {
		t.Fatalf("%s on %s: %v", cmd, addr, err)
	}
	return string(out)
}

func TestRunTopologyInProcess(t *testing.T) {
	t.Setenv("CARRIERKIT_SIM_PASSWORD", "")
	t.Setenv("CARRIERKIT_PASSWORD", "")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-topology", smallTopology, "-any-port", "-known-hosts", kh}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(stdout.String(), "\n") < 3 {
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no device lines; stderr:\n%s", stderr.String())
		}
	}
	ls := parseLines(t, stdout.String())
	want := map[string]string{"pe1": "mx480", "pe2": "acx2100", "p1": "ptx10003"}
	if len(ls) != 3 {
		t.Fatalf("lines: %+v", ls)
	}
	for i, l := range ls {
		if want[l.host] != l.platform || l.user != "admin" || !strings.HasPrefix(l.addr, "127.0.1.") {
			t.Errorf("line %d: %+v", i, l)
		}
		out := execOverSSH(t, l.addr, "admin", "admin@123", kh, "show version")
		if !strings.Contains(out, l.host) {
			t.Errorf("%s: show version: %q", l.host, out)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("stderr: %q", stderr.String())
	}
}

func TestRunSingleDevicePasswordFromEnv(t *testing.T) {
	t.Setenv("CARRIERKIT_SIM_PASSWORD", "from-env")
	t.Setenv("CARRIERKIT_PASSWORD", "not-this-one")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.1.77:0", "-platform", "srx345", "-hostname", "fw1", "-user", "ops", "-known-hosts", kh}, &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "\n") {
		if time.Now().After(deadline) {
			t.Fatalf("no device line; stderr:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	l := parseLines(t, stdout.String())[0]
	if l.host != "fw1" || l.platform != "srx345" || l.user != "ops" || !strings.HasPrefix(l.addr, "127.0.1.77:") {
		t.Errorf("line: %+v", l)
	}
	if out := execOverSSH(t, l.addr, "ops", "from-env", kh, "show version"); !strings.Contains(out, "fw1") {
		t.Errorf("show version: %q", out)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, v := range []string{"CARRIERKIT_SIM_PASSWORD", "CARRIERKIT_PASSWORD", "CARRIERKIT_HOSTNAME", "CARRIERKIT_PLATFORM", "CARRIERKIT_USER"} {
		t.Setenv(v, "")
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want string // the flag the message must name
	}{
		{"no hostname", []string{"-password", "x"}, "-hostname"},
		{"no password", []string{"-hostname", "pe1"}, "-password-file"},
		{"bad listen", []string{"-hostname", "pe1", "-password", "x", "-listen", "pe1:830"}, "-listen"},
		{"bad platform", []string{"-hostname", "pe1", "-password", "x", "-platform", "mx9"}, "-platform"},
		{"empty password file", []string{"-hostname", "pe1", "-password-file", pwFile}, "-password-file"},
		{"both passwords", []string{"-hostname", "pe1", "-password", "x", "-password-file", pwFile}, "-password-file"},
		{"topology and hostname", []string{"-topology", smallTopology, "-hostname", "pe1"}, "-hostname"},
		{"nodes without topology", []string{"-hostname", "pe1", "-password", "x", "-nodes", "pe1"}, "-nodes"},
		{"unknown flag", []string{"-bogus"}, "bogus"},
		{"stray argument", []string{"-hostname", "pe1", "extra"}, "extra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if !errors.Is(err, errUsage) {
				t.Fatalf("want a usage error, got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s", err, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	// A topology error names the file and the node.
	bad := filepath.Join(t.TempDir(), "bad.clab.yml")
	os.WriteFile(bad, []byte("name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: nope}}\n"), 0o600)
	err := run(context.Background(), []string{"-topology", bad}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"r1"`) || !strings.Contains(err.Error(), "bad.clab.yml") {
		t.Errorf("bad topology: %v", err)
	}
}

// TestBinary builds carrierkit-sim, runs it on the small topology, waits for
// its device lines, interrupts it and expects a clean exit.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "carrierkit-sim")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	cmd := exec.Command(bin, "-topology", smallTopology, "-any-port", "-known-hosts", kh)
	cmd.Env = append(os.Environ(), "CARRIERKIT_SIM_PASSWORD=bin-secret")
	stdout, _ := cmd.StdoutPipe()
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	timeout := time.After(20 * time.Second)
	for len(got) < 3 {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("binary exited early; stderr:\n%s", stderr.String())
			}
			got = append(got, l)
		case <-timeout:
			t.Fatalf("no device lines; stderr:\n%s", stderr.String())
		}
	}
	ls := parseLines(t, strings.Join(got, "\n"))
	// -password (here from the environment) overrides the topology's.
	if out := execOverSSH(t, ls[0].addr, "admin", "bin-secret", kh, "show version"); !strings.Contains(out, ls[0].host) {
		t.Errorf("show version: %q", out)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("exit after SIGINT: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("binary did not exit after SIGINT")
	}
}

// TestRunFromContainerEnv runs one device configured only by the CARRIERKIT_*
// variables a containerlab node's env provides.
func TestRunFromContainerEnv(t *testing.T) {
	t.Setenv("CARRIERKIT_SIM_PASSWORD", "")
	t.Setenv("CARRIERKIT_PLATFORM", "nfx250")
	t.Setenv("CARRIERKIT_HOSTNAME", "cpe7")
	t.Setenv("CARRIERKIT_USER", "lab")
	t.Setenv("CARRIERKIT_PASSWORD", "env-pw")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-listen", "127.0.1.78:0", "-known-hosts", kh}, &stdout, &stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "\n") {
		select {
		case err := <-done:
			t.Fatalf("run: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no device line; stderr:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	l := parseLines(t, stdout.String())[0]
	if l.host != "cpe7" || l.platform != "nfx250" || l.user != "lab" {
		t.Errorf("line: %+v", l)
	}
	if out := execOverSSH(t, l.addr, "lab", "env-pw", kh, "show version"); !strings.Contains(out, "cpe7") {
		t.Errorf("show version: %q", out)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
