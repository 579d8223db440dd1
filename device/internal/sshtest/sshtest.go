// Package sshtest is a scriptable SSH server for the device adapters' tests:
// it accepts any password, replies to channel requests as told, and hands
// the channel to a function when the request that starts the session
// arrives. It lets tests play devices that stall, garble or lie, which the
// simulator never does.
//
// # Concurrency
//
// Each connection is served on its own goroutines; the server stops, and
// Serve's cleanup waits for them, when the test ends. A connection the
// client leaves open fails the test after ten seconds.
package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
)

// leakWait is how long Serve's cleanup waits for the test's connections to
// end before it fails the test: a client that leaks its connection is an
// error, not a hang.
const leakWait = 10 * time.Second

// Serve starts a server on a free loopback port and returns a Target for it
// named name, with user "u", password "p" and the server's host key pinned.
// Channel requests whose type ok accepts are answered true, others false;
// when a request of type start arrives, serve runs with the channel, which
// is closed when serve returns.
func Serve(t testing.TB, name string, ok func(reqType string) bool, start string, serve func(ssh.Channel)) device.Target {
	t.Helper()
	_, hk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(hk)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(leakWait):
			t.Errorf("sshtest: %s: a connection is still open %v after the test: the client never closed it", name, leakWait)
		}
	})
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
							r.Reply(ok(r.Type), nil)
							if r.Type == start {
								go func() { serve(ch); ch.Close() }()
							}
						}
					}()
				}
			}()
		}
	}()
	return device.Target{Name: name, Addr: netip.MustParseAddrPort(ln.Addr().String()),
		Credentials: device.Password("u", "p"), HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))}
}

// Mute starts a TCP listener on a free loopback port that accepts
// connections and never says anything: a device that hangs before the SSH
// handshake. It and its connections close when the test ends.
func Mute(t testing.TB) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return netip.MustParseAddrPort(ln.Addr().String())
}
