package netconf_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/internal/sshtest"
	"github.com/carrierkit/carrierkit/device/netconf"
)

func TestAuthFailure(t *testing.T) {
	d := startSim(t, "pe1", nil)
	tg := targetFor(d)
	tg.Credentials = device.Password(testUser, "wrong-Pa55word")
	_, err := netconf.Dial(ctxT(t), tg)
	if !errors.Is(err, device.ErrAuth) {
		t.Fatalf("wrong password: %v, want ErrAuth", err)
	}
	if strings.Contains(err.Error(), "wrong-Pa55word") || strings.Contains(fmt.Sprintf("%+v %#v", err, tg), "wrong-Pa55word") {
		t.Fatalf("the password leaks: %v", err)
	}
	// A private key the device does not accept.
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	blk, _ := ssh.MarshalPrivateKey(priv, "")
	pemKey := pemEncode(blk)
	tg.Credentials = device.PrivateKey(testUser, pemKey, "")
	if _, err := netconf.Dial(ctxT(t), tg); !errors.Is(err, device.ErrAuth) {
		t.Fatalf("unknown key: %v, want ErrAuth", err)
	}
}

func TestPrivateKeyLogin(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	d, err := startSimWithUsers(t, "pe-key", signer.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("key-passphrase"))
	tg := targetFor(d)
	tg.Credentials = device.PrivateKey("keyuser", pemEncode(blk), "key-passphrase")
	s, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatalf("key login: %v", err)
	}
	defer s.Close()
	mustContain(t, get(t, s, device.RPCQuery("<get-software-information/>")), "pe-key")
	// The wrong passphrase is a clear error that does not print it.
	tg.Credentials = device.PrivateKey("keyuser", pemEncode(blk), "not-the-phrase")
	_, err = netconf.Dial(ctxT(t), tg)
	if err == nil || strings.Contains(err.Error(), "not-the-phrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
}

func TestHostKeyPolicy(t *testing.T) {
	d := startSim(t, "pe1", nil)
	good := targetFor(d)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, _ := ssh.NewPublicKey(other)
	dir := t.TempDir()
	writeKH := func(name string, k ssh.PublicKey) string {
		p := filepath.Join(dir, name)
		line := knownhosts.Line([]string{knownhosts.Normalize(d.Addr().String())}, k)
		if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		keys    device.HostKeys
		wantErr error
	}{
		{"pinned", good.HostKeys, nil},
		{"known_hosts", device.KnownHostsFile(writeKH("good", d.HostKey())), nil},
		{"wrong pinned key", device.PinnedKeys(string(ssh.MarshalAuthorizedKey(otherPub))), device.ErrHostKey},
		{"known_hosts mismatch", device.KnownHostsFile(writeKH("bad", otherPub)), device.ErrHostKey},
		{"zero policy refuses", device.HostKeys{}, device.ErrHostKey},
		{"insecure, explicitly", device.InsecureIgnoreHostKey(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := good
			tg.HostKeys = tt.keys
			var logs strings.Builder
			s, err := netconf.Dial(ctxT(t), tg, netconf.WithLogger(newTextLogger(&logs)))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Dial: %v, want %v", err, tt.wantErr)
			}
			if s != nil {
				s.Close()
			}
			if tt.keys.Insecure() && !strings.Contains(logs.String(), "DISABLED") {
				t.Errorf("insecure dial not logged loudly: %q", logs.String())
			}
			if strings.Contains(logs.String(), testPass) {
				t.Errorf("log contains the password: %q", logs.String())
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddrPort(ln.Addr().String())
	ln.Close() // nothing listens there now
	tg := device.Target{Name: "gone", Addr: addr, Credentials: device.Password("u", "p"), HostKeys: device.InsecureIgnoreHostKey()}
	_, err = netconf.Dial(ctxT(t), tg)
	if !errors.Is(err, device.ErrUnreachable) {
		t.Fatalf("Dial: %v, want ErrUnreachable", err)
	}
	if !strings.Contains(err.Error(), "gone") {
		t.Errorf("error does not name the target: %v", err)
	}
}

// TestDialTimeout: a TCP listener that accepts and never speaks.
func TestDialTimeout(t *testing.T) {
	tg := device.Target{Name: "mute", Addr: sshtest.Mute(t),
		Credentials: device.Password("u", "p"), HostKeys: device.InsecureIgnoreHostKey()}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := netconf.Dial(ctx, tg)
	if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial: %v, want ErrTimeout and DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Dial took %v after a 150ms deadline", took)
	}
}

// fakeServer is an SSH server whose netconf subsystem runs serve.
func fakeServer(t *testing.T, serve func(ch ssh.Channel)) device.Target {
	t.Helper()
	return sshtest.Serve(t, "fake", func(typ string) bool { return typ == "subsystem" }, "subsystem", serve)
}

const goodHello = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>42</session-id></hello>]]>]]>`

// readMsg reads up to the next end-of-message marker.
func readMsg(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "]]>]]>") {
		c, err := r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

func TestFailedHello(t *testing.T) {
	tests := []struct {
		name, hello, want string
	}{
		{"hello without namespace (go-netconf cannot parse it)",
			`<hello><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`, "no NETCONF hello"},
		{"no session-id",
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`, "session-id 0"},
		{"base:1.1 only (go-netconf frames 1.0 only)",
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>5</session-id></hello>`, "base:1.0"},
		{"not XML at all", `garbage`, "no NETCONF hello"},
		// The device hangs up right after its hello, before Dial refuses
		// it: go-netconf's Close then fails on the channel and would leave
		// the connection open (sshtest fails the test if it stays open).
		{"base:1.1 only, then the channel closed",
			`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities><session-id>6</session-id></hello>`, "base:1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := fakeServer(t, func(ch ssh.Channel) {
				fmt.Fprint(ch, tt.hello+"]]>]]>")
				if strings.Contains(tt.name, "closed") {
					return
				}
				readMsg(bufio.NewReader(ch))
			})
			_, err := netconf.Dial(ctxT(t), tg)
			if !errors.Is(err, device.ErrUnreachable) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Dial: %v, want ErrUnreachable mentioning %q", err, tt.want)
			}
		})
	}
}

// TestExecTimeout: the device answers the hello, then never replies to an
// RPC. The call returns promptly with ErrTimeout; the session is finished.
func TestExecTimeout(t *testing.T) {
	tg := fakeServer(t, func(ch ssh.Channel) {
		fmt.Fprint(ch, goodHello)
		r := bufio.NewReader(ch)
		for {
			if _, err := readMsg(r); err != nil {
				return
			}
		}
	})
	s, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	// The server never answers: only the ctx can end the call, so a Get
	// that ignores it fails here instead of hanging the test binary.
	got := make(chan error, 1)
	go func() {
		_, err := s.Get(ctx, device.RPCQuery("<get-software-information/>"))
		got <- err
	}()
	select {
	case err = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("Get still blocked 5s after a 100ms deadline")
	}
	if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get: %v, want ErrTimeout and DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Get took %v after a 100ms deadline", took)
	}
	if s.Alive() {
		t.Fatal("session alive after a timeout")
	}
	if _, err := s.Get(ctxT(t), device.RPCQuery("<get-software-information/>")); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("Get after timeout: %v, want ErrClosed", err)
	}
	// Cancellation is reported the same way, with context.Canceled.
	s2, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	cctx, ccancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, ccancel)
	if err := s2.Commit(cctx, device.CommitOptions{}); !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Commit cancelled: %v", err)
	}
}

// TestStaleReply: a reply with the wrong message-id is not accepted (go-netconf
// does not check it).
func TestStaleReply(t *testing.T) {
	tg := fakeServer(t, func(ch ssh.Channel) {
		fmt.Fprint(ch, goodHello)
		r := bufio.NewReader(ch)
		readMsg(r) // client hello
		readMsg(r)
		fmt.Fprint(ch, `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="999"><ok/></rpc-reply>]]>]]>`)
		readMsg(r)
	})
	s, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Lock(ctxT(t)); !errors.Is(err, device.ErrClosed) || !strings.Contains(err.Error(), "999") {
		t.Fatalf("Lock with a stale reply: %v, want ErrClosed naming the message-id", err)
	}
}

// TestDroppedSession: the device closes the connection mid-session.
func TestDroppedSession(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	d.Close()
	// The drop is noticed while the session is idle (a pool relies on it).
	for i := 0; s.Alive() && i < 200; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Alive() {
		t.Fatal("idle session still alive 2s after the device went away")
	}
	_, err := s.Get(ctxT(t), device.RPCQuery("<get-software-information/>"))
	if !errors.Is(err, device.ErrClosed) {
		t.Fatalf("Get on a dropped session: %v, want ErrClosed", err)
	}
	if s.Alive() {
		t.Fatal("dropped session reports alive")
	}
}
