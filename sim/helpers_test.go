package sim

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// newFakeClock returns the virtual clock tests advance instead of waiting.
func newFakeClock() *VirtualClock {
	return NewVirtualClock(time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC))
}

const testUser, testPass = "admin", "admin123"

func startTestDevice(t testing.TB, mod func(*Options)) *Device {
	t.Helper()
	o := Options{Hostname: "pe1", Platform: "mx480", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []User{{Name: testUser, Password: testPass}}}
	if mod != nil {
		mod(&o)
	}
	d, err := Start(context.Background(), o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func sshConfig(d *Device) *ssh.ClientConfig {
	return &ssh.ClientConfig{User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback: ssh.FixedHostKey(d.HostKey()), Timeout: 5 * time.Second}
}

// rawClient drives the NETCONF subsystem byte for byte.
type rawClient struct {
	t      testing.TB
	client *ssh.Client
	sess   *ssh.Session
	in     io.WriteCloser
	r      *frameReader
	w      *frameWriter
	hello  string
	sid    int
	nextID int
}

const base10Hello = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`
const base11Hello = `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>`

// dialRaw opens a NETCONF session and exchanges hellos (clientHello "" =
// base:1.0 only).
func dialRaw(t testing.TB, d *Device, clientHello string) *rawClient {
	t.Helper()
	c, err := ssh.Dial("tcp", d.Addr().String(), sshConfig(d))
	if err != nil {
		t.Fatalf("ssh dial: %v", err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.RequestSubsystem("netconf"); err != nil {
		t.Fatal(err)
	}
	rc := &rawClient{t: t, client: c, sess: s, in: in, r: newFrameReader(out), w: &frameWriter{w: in}, nextID: 100}
	t.Cleanup(rc.close)
	h, err := rc.r.next()
	if err != nil {
		t.Fatalf("reading server hello: %v", err)
	}
	rc.hello = string(h)
	m := regexp.MustCompile(`<session-id>(\d+)</session-id>`).FindStringSubmatch(rc.hello)
	if m == nil {
		t.Fatalf("no session-id in hello:\n%s", rc.hello)
	}
	fmt.Sscan(m[1], &rc.sid)
	if clientHello == "" {
		clientHello = base10Hello
	}
	if _, err := in.Write([]byte(clientHello + eomMarker)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(clientHello, capBase11) {
		rc.r.chunked, rc.w.chunked = true, true
	}
	return rc
}

func (c *rawClient) close() {
	c.sess.Close()
	c.client.Close()
}

// rpc sends body inside <rpc> and returns the reply.
func (c *rawClient) rpc(body string) string {
	c.t.Helper()
	c.nextID++
	return c.send(fmt.Sprintf(`<rpc message-id="%d" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</rpc>`, c.nextID, body))
}

// send sends one whole message and returns the reply.
func (c *rawClient) send(msg string) string {
	c.t.Helper()
	if err := c.w.write([]byte(msg)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
	rep, err := c.r.next()
	if err != nil {
		c.t.Fatalf("read reply to %.80s: %v", msg, err)
	}
	return string(rep)
}

func mustContain(t testing.TB, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("reply lacks %q:\n%s", w, got)
		}
	}
}

func mustNotContain(t testing.TB, got string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(got, w) {
			t.Fatalf("reply unexpectedly contains %q:\n%s", w, got)
		}
	}
}

func loadSet(lines ...string) string {
	return `<load-configuration action="set" format="text"><configuration-set>` + strings.Join(lines, "\n") + `</configuration-set></load-configuration>`
}

const commitRPC = `<commit-configuration/>`

func countGoroutines() int { return runtime.NumGoroutine() }

func waitForGoroutines(t *testing.T, want int) {
	t.Helper()
	var n int
	for i := 0; i < 300; i++ {
		n = runtime.NumGoroutine()
		if n <= want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Fatalf("goroutine leak: %d running, want <= %d\n%s", n, want, buf[:runtime.Stack(buf, true)])
}
