package netconf_test

import (
	"context"
	"encoding/pem"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sim"
)

const testUser, testPass = "admin", "s3cret-Pa55"

// startSim starts a simulated MX on a free loopback port.
func startSim(t testing.TB, host string, clock sim.Clock) *sim.Device {
	t.Helper()
	o := sim.Options{Hostname: host, Platform: "mx480", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []sim.User{{Name: testUser, Password: testPass}}}
	if clock != nil {
		o.Clock = clock
	}
	d, err := sim.Start(context.Background(), o)
	if err != nil {
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func targetFor(d *sim.Device) device.Target {
	return device.Target{Name: d.Hostname(), Addr: d.Addr(),
		Credentials: device.Password(testUser, testPass),
		HostKeys:    device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newTextLogger(w *strings.Builder) *slog.Logger {
	return slog.New(slog.NewTextHandler(&lockedWriter{w: w}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func pemEncode(b *pem.Block) []byte { return pem.EncodeToMemory(b) }

// startSimWithUsers starts a device with a key-only user "keyuser" besides
// the password user.
func startSimWithUsers(t testing.TB, host string, key ssh.PublicKey) (*sim.Device, error) {
	o := sim.Options{Hostname: host, Platform: "mx480", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []sim.User{{Name: testUser, Password: testPass}, {Name: "keyuser", AuthorizedKeys: []ssh.PublicKey{key}}}}
	d, err := sim.Start(context.Background(), o)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { d.Close() })
	return d, nil
}
