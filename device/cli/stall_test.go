package cli_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
)

// stallShell is an SSH server with a minimal Junos-looking shell: it echoes
// what it is sent and prompts after every line, except that a line
// containing stallOn gets no answer at all.
func stallShell(t *testing.T, stallOn string) device.Target {
	t.Helper()
	_, hk, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(hk)
	cfg := &ssh.ServerConfig{PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
				if err != nil {
					return
				}
				defer sc.Close()
				go ssh.DiscardRequests(reqs)
				for nc := range chans {
					ch, creqs, err := nc.Accept()
					if err != nil {
						return
					}
					go func() {
						for r := range creqs {
							r.Reply(r.Type == "pty-req" || r.Type == "shell", nil)
							if r.Type == "shell" {
								go serveStall(ch, stallOn)
							}
						}
					}()
				}
			}()
		}
	}()
	return device.Target{Name: "stall", Addr: netip.MustParseAddrPort(ln.Addr().String()),
		Credentials: device.Password("u", "p"), HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))}
}

func serveStall(ch ssh.Channel, stallOn string) {
	defer ch.Close()
	const prompt = "u@stall> "
	ch.Write([]byte("\r\n" + prompt))
	var line strings.Builder
	buf := make([]byte, 256)
	for {
		n, err := ch.Read(buf)
		if err != nil {
			return
		}
		for _, b := range buf[:n] {
			if b != '\n' && b != '\r' {
				line.WriteByte(b)
				ch.Write([]byte{b})
				continue
			}
			if strings.Contains(line.String(), stallOn) {
				continue // swallow the return and never answer
			}
			line.Reset()
			ch.Write([]byte("\r\n" + prompt))
		}
	}
}

// TestCLIExecTimeout: the device stops answering mid-command; the call
// returns promptly with ErrTimeout and the session is finished.
func TestCLIExecTimeout(t *testing.T) {
	tg := stallShell(t, "show version")
	s, err := cli.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Get(ctx, device.CommandQuery("show version", device.Text))
	if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get: %v, want ErrTimeout and DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Get took %v after a 200ms deadline", took)
	}
	if s.Alive() {
		t.Fatal("alive after a timeout")
	}
	if _, err := s.Get(ctxT(t), device.CommandQuery("show chassis hardware", device.Text)); !errors.Is(err, device.ErrClosed) {
		t.Fatalf("after timeout: %v, want ErrClosed", err)
	}

	// Cancelling a ctx that has no deadline ends the call the same way,
	// with context.Canceled (scrapligo's own timeout only follows deadlines).
	s2, err := cli.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer s2.Close()
	cctx, ccancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, ccancel)
	got := make(chan error, 1)
	go func() {
		_, err := s2.Get(cctx, device.CommandQuery("show version", device.Text))
		got <- err
	}()
	select {
	case err = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("Get still blocked 5s after its ctx was cancelled")
	}
	if !errors.Is(err, device.ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Get: %v, want ErrTimeout and context.Canceled", err)
	}
}
