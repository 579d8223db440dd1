package cli_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
	"github.com/carrierkit/carrierkit/device/internal/sshtest"
)

// stallShell is an SSH server with a minimal Junos-looking shell: it echoes
// what it is sent and prompts after every line, except that a line
// containing stallOn gets no answer at all.
func stallShell(t *testing.T, stallOn string) device.Target {
	t.Helper()
	return sshtest.Serve(t, "stall", func(typ string) bool { return typ == "pty-req" || typ == "shell" }, "shell",
		func(ch ssh.Channel) { serveStall(ch, stallOn) })
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
