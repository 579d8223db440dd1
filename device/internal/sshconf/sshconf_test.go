package sshconf

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
)

func testKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := ssh.NewPublicKey(pub)
	return k
}

func TestKnownHostsFileFromPinnedKeys(t *testing.T) {
	k := testKey(t)
	tg := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("127.0.1.1:830"),
		Credentials: device.Password("u", "p"), HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(k)))}
	path, cleanup, err := KnownHostsFile(tg)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "[127.0.1.1]:830 ssh-ed25519 ") {
		t.Fatalf("known_hosts line: %q", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	cleanup()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cleanup left %s: %v", path, err)
	}
	// A bad pinned key is an error that names it.
	tg.HostKeys = device.PinnedKeys("ssh-ed25519 not-base64")
	if _, _, err := KnownHostsFile(tg); err == nil || !strings.Contains(err.Error(), "not-base64") {
		t.Fatalf("bad key: %v", err)
	}
}

func TestHostKeyCallback(t *testing.T) {
	k, other := testKey(t), testKey(t)
	tg := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("127.0.1.1:830"),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(k)))}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cb, algos, err := HostKeyCallback(tg, log)
	if err != nil {
		t.Fatal(err)
	}
	if len(algos) != 1 || algos[0] != ssh.KeyAlgoED25519 {
		t.Errorf("algorithms %v", algos)
	}
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 1, 1), Port: 830}
	if err := cb("127.0.1.1:830", addr, k); err != nil {
		t.Fatalf("pinned key refused: %v", err)
	}
	if err := cb("127.0.1.1:830", addr, other); !errors.Is(err, device.ErrHostKey) {
		t.Fatalf("other key: %v", err)
	}
	tg.HostKeys = device.HostKeys{}
	if _, _, err := HostKeyCallback(tg, log); !errors.Is(err, device.ErrHostKey) {
		t.Fatalf("zero policy: %v", err)
	}
}

func TestClassify(t *testing.T) {
	tg := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("127.0.1.1:830"), Credentials: device.Password("admin", "pw")}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want error
	}{
		{"auth", context.Background(), errors.New("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], no supported methods remain"), device.ErrAuth},
		{"host key", context.Background(), fmt.Errorf("ssh: handshake failed: %w", fmt.Errorf("%w: mismatch", device.ErrHostKey)), device.ErrHostKey},
		{"knownhosts text", context.Background(), errors.New("ssh: handshake failed: knownhosts: key mismatch"), device.ErrHostKey},
		{"refused", context.Background(), errors.New("dial tcp 127.0.1.1:830: connect: connection refused"), device.ErrUnreachable},
		{"ctx ended", expired, errors.New("use of closed network connection"), device.ErrTimeout},
		{"i/o deadline", context.Background(), fmt.Errorf("read: %w", os.ErrDeadlineExceeded), device.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.ctx, tg, "dial", tt.err)
			if !errors.Is(got, tt.want) || !strings.Contains(got.Error(), "pe1") {
				t.Fatalf("Classify: %v, want %v", got, tt.want)
			}
		})
	}
}
