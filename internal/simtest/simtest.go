// Package simtest starts simulated devices for other packages' tests and
// talks NETCONF to them: the few lines every test that commits rendered
// configuration to the simulator needs.
//
// # Concurrency
//
// Each function is safe to call from parallel tests; what it starts
// belongs to the calling test and closes when it ends.
package simtest

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
)

// User and Password log in to the devices Start starts.
const User, Password = "admin", "admin123"

// Start starts a simulated device called name of platform (a sim.Platforms
// model key) on a free loopback port, with the User/Password login. It is
// closed when the test ends.
func Start(t testing.TB, ctx context.Context, name, platform string) *sim.Device {
	t.Helper()
	d, err := sim.Start(ctx, sim.Options{Hostname: name, Platform: platform,
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: User, Password: Password}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Target is the device.Target of d for user and password, with d's host
// key pinned.
func Target(d *sim.Device, user, password string) device.Target {
	return device.Target{Name: d.Hostname(), Addr: d.Addr(), Credentials: device.Password(user, password),
		HostKeys: device.PinnedKeys(strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey()))))}
}

// Dial opens a NETCONF session to d as user; it is closed when the test
// ends.
func Dial(t testing.TB, ctx context.Context, d *sim.Device, user, password string) *netconf.Session {
	t.Helper()
	s, err := netconf.Dial(ctx, Target(d, user, password))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Commit loads each XML document (nil ones are skipped) into s, commits
// them in one commit and returns the committed configuration as set lines.
func Commit(t testing.TB, ctx context.Context, s device.Session, docs ...[]byte) string {
	t.Helper()
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		if err := s.Load(ctx, device.Change{Format: device.XML, Data: doc}); err != nil {
			t.Fatalf("load: %v\n%s", err, doc)
		}
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatalf("commit: %v", err)
	}
	b, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	return string(b)
}
