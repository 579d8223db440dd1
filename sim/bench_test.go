package sim

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// fleetAddr is the i-th fleet address: 127.0.1.1 … 127.0.1.250, 127.0.2.1 …,
// so 1,000 devices end at 127.0.4.250. Port 0 avoids clashing with other
// tests on the machine; each device still has its own address.
func fleetAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, byte(1 + i/250), byte(1 + i%250)}), 0)
}

func startFleet(b *testing.B, n int) []*Device {
	b.Helper()
	ds := make([]*Device, n)
	for i := range ds {
		d, err := Start(context.Background(), Options{Hostname: fmt.Sprintf("pe%d", i), Platform: "mx480", Addr: fleetAddr(i),
			Users: []User{{Name: testUser, Password: testPass}}})
		if err != nil {
			b.Fatalf("device %d on %v: %v", i, fleetAddr(i), err)
		}
		ds[i] = d
	}
	return ds
}

func closeFleet(ds []*Device) {
	var wg sync.WaitGroup
	for _, d := range ds {
		wg.Go(func() { d.Close() })
	}
	wg.Wait()
}

func heapStack() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// vmRSS is the process's resident set size from /proc (0 if unavailable).
// Freed memory is not always returned to the OS, so an RSS delta is an
// upper bound that depends on what ran before.
func vmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkFleetStart starts 1,000 devices (one op = the whole fleet) and
// reports devices/s and the idle memory per device: B/device is the
// HeapInuse+StackInuse delta after GC divided by the device count,
// rss-B/device the VmRSS delta of the first start divided likewise. The "listeners-only"
// baseline opens 1,000 bare TCP listeners with one accept goroutine each,
// the floor any per-address server pays.
func BenchmarkFleetStart(b *testing.B) {
	const n = 1000
	b.Run("devices", func(b *testing.B) {
		var mem, rss uint64
		var startNS int64
		for b.Loop() {
			before, rssBefore := heapStack(), vmRSS()
			t0 := time.Now()
			ds := startFleet(b, n)
			startNS += time.Since(t0).Nanoseconds()
			b.StopTimer()
			mem = heapStack() - before
			if r := vmRSS(); r > rssBefore {
				rss = r - rssBefore
			}
			closeFleet(ds)
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(b.N)/(float64(startNS)/1e9), "devices/s")
		b.ReportMetric(float64(mem)/n, "B/device")
		b.ReportMetric(float64(rss)/n, "rss-B/device")
	})
	b.Run("listeners-only", func(b *testing.B) {
		var mem uint64
		for b.Loop() {
			before := heapStack()
			lns := make([]net.Listener, n)
			var wg sync.WaitGroup
			for i := range lns {
				ln, err := net.Listen("tcp", fleetAddr(i).String())
				if err != nil {
					b.Fatal(err)
				}
				lns[i] = ln
				wg.Go(func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				})
			}
			b.StopTimer()
			mem = heapStack() - before
			for _, ln := range lns {
				ln.Close()
			}
			wg.Wait()
			b.StartTimer()
		}
		b.ReportMetric(float64(mem)/n, "B/device")
	})
}

// BenchmarkNETCONFRPCs measures small RPCs (get-software-information) over
// real SSH with 50 concurrent client sessions, each on its own device of a
// 1,000-device fleet ("fleet"), all on one device ("one-device"), and
// against a bare x/crypto/ssh server that answers every framed message with
// a canned reply of the same size ("ssh-echo" baseline: the cost of SSH and
// framing alone).
func BenchmarkNETCONFRPCs(b *testing.B) {
	const sessions = 50
	rpc := `<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-software-information/></rpc>`
	drive := func(b *testing.B, clients []*rawClient) {
		var left atomic.Int64
		left.Store(int64(b.N))
		b.ResetTimer()
		t0 := time.Now()
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Go(func() {
				for left.Add(-1) >= 0 {
					if err := c.w.write([]byte(rpc)); err != nil {
						b.Error(err)
						return
					}
					if _, err := c.r.next(); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "rpcs/s")
	}
	b.Run("fleet", func(b *testing.B) {
		ds := startFleet(b, 1000)
		defer closeFleet(ds)
		clients := make([]*rawClient, sessions)
		for i := range clients {
			clients[i] = dialRaw(b, ds[i*(len(ds)/sessions)], "")
		}
		drive(b, clients)
	})
	b.Run("one-device", func(b *testing.B) {
		ds := startFleet(b, 1)
		defer closeFleet(ds)
		clients := make([]*rawClient, sessions)
		for i := range clients {
			clients[i] = dialRaw(b, ds[0], "")
		}
		drive(b, clients)
	})
	b.Run("ssh-echo", func(b *testing.B) {
		d := startFleet(b, 1)[0] // only for its host key and reply size
		s := d.newSession(testUser, "netconf")
		canned := (&netconfSession{d: d, s: s}).handle([]byte(rpc))
		s.close()
		d.Close()
		addr, stop := echoServer(b, d.signer, canned)
		defer stop()
		clients := make([]*rawClient, sessions)
		for i := range clients {
			clients[i] = dialRawAddr(b, addr, d.HostKey())
		}
		drive(b, clients)
	})
}

// echoServer is the baseline: an SSH server whose netconf subsystem sends a
// hello and then answers each EOM-framed message with reply.
func echoServer(b *testing.B, signer ssh.Signer, reply []byte) (string, func()) {
	conf := &ssh.ServerConfig{PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }}
	conf.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { // ends when the client closes
				defer nc.Close()
				_, chans, reqs, err := ssh.NewServerConn(nc, conf)
				if err != nil {
					return
				}
				go ssh.DiscardRequests(reqs)
				for nch := range chans {
					ch, creqs, _ := nch.Accept()
					go func() {
						for r := range creqs {
							r.Reply(true, nil)
							if r.Type == "subsystem" {
								go func() {
									w := &frameWriter{w: ch}
									w.writeHello([]byte(`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>1</session-id></hello>`))
									r := newFrameReader(ch)
									for {
										if _, err := r.next(); err != nil {
											ch.Close()
											return
										}
										w.write(reply)
									}
								}()
							}
						}
					}()
				}
			}()
		}
	})
	return ln.Addr().String(), func() { ln.Close(); wg.Wait() }
}

// dialRawAddr is dialRaw for a server that is not a Device.
func dialRawAddr(b *testing.B, addr string, key ssh.PublicKey) *rawClient {
	c, err := ssh.Dial("tcp", addr, &ssh.ClientConfig{User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback: ssh.FixedHostKey(key)})
	if err != nil {
		b.Fatal(err)
	}
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.RequestSubsystem("netconf"); err != nil {
		b.Fatal(err)
	}
	rc := &rawClient{t: b, client: c, sess: s, in: in, r: newFrameReader(out), w: &frameWriter{w: in}}
	b.Cleanup(rc.close)
	if _, err := rc.r.next(); err != nil {
		b.Fatal(err)
	}
	io.WriteString(in, base10Hello+eomMarker)
	return rc
}
