package sim

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// maxChannelsPerConn bounds concurrent session channels per SSH connection.
const maxChannelsPerConn = 10

// handshakeTimeout bounds how long a client may take to authenticate.
const handshakeTimeout = 10 * time.Second

func (d *Device) newSSHConfig() *ssh.ServerConfig {
	users := map[string]User{}
	for _, u := range d.opts.Users {
		users[u.Name] = u
	}
	checkPassword := func(name, pass string) bool {
		u, ok := users[name]
		return ok && u.Password != "" && subtle.ConstantTimeCompare([]byte(u.Password), []byte(pass)) == 1
	}
	conf := &ssh.ServerConfig{
		ServerVersion: "SSH-2.0-OpenSSH_8.6",
		MaxAuthTries:  6,
		PasswordCallback: func(c ssh.ConnMetadata, pass []byte) (*ssh.Permissions, error) {
			if checkPassword(c.User(), string(pass)) {
				return nil, nil
			}
			return nil, fmt.Errorf("sim: password rejected for %q", c.User())
		},
		KeyboardInteractiveCallback: func(c ssh.ConnMetadata, ch ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ans, err := ch("", "", []string{"Password:"}, []bool{false})
			if err != nil {
				return nil, err
			}
			if len(ans) == 1 && checkPassword(c.User(), ans[0]) {
				return nil, nil
			}
			return nil, fmt.Errorf("sim: keyboard-interactive rejected for %q", c.User())
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			u, ok := users[c.User()]
			if ok {
				m := key.Marshal()
				for _, k := range u.AuthorizedKeys {
					if bytes.Equal(k.Marshal(), m) {
						return nil, nil
					}
				}
			}
			return nil, fmt.Errorf("sim: public key rejected for %q", c.User())
		},
	}
	conf.AddHostKey(d.signer)
	return conf
}

func (d *Device) acceptLoop() {
	defer d.wg.Done()
	for {
		nc, err := d.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			select {
			case <-d.ctx.Done():
				return
			case <-time.After(10 * time.Millisecond): // e.g. EMFILE: back off
			}
			continue
		}
		select {
		case d.connSema <- struct{}{}:
		default:
			nc.Close() // too many connections
			continue
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			defer func() { <-d.connSema }()
			d.serveConn(nc)
		}()
	}
}

func (d *Device) serveConn(nc net.Conn) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		nc.Close()
		return
	}
	d.conns[nc] = struct{}{}
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.conns, nc)
		d.mu.Unlock()
		nc.Close()
	}()
	nc.SetDeadline(time.Now().Add(handshakeTimeout))
	conn, chans, reqs, err := ssh.NewServerConn(nc, d.sshConf)
	if err != nil {
		return
	}
	nc.SetDeadline(time.Time{})

	// Global requests (keepalives such as go-netconf's KEEP_ALIVE) are
	// answered with a polite failure.
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		ssh.DiscardRequests(reqs)
	}()

	var chWG sync.WaitGroup
	chSema := make(chan struct{}, maxChannelsPerConn)
	for nch := range chans {
		if nch.ChannelType() != "session" {
			nch.Reject(ssh.UnknownChannelType, "only session channels are supported")
			continue
		}
		select {
		case chSema <- struct{}{}:
		default:
			nch.Reject(ssh.ResourceShortage, "too many sessions on this connection")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			<-chSema
			continue
		}
		chWG.Add(1)
		go func() {
			defer chWG.Done()
			defer func() { <-chSema }()
			d.serveChannel(conn, ch, creqs)
		}()
	}
	conn.Close()
	chWG.Wait()
}

// netconfExecCommands are exec requests that start NETCONF instead of a CLI
// command (ncclient's Junos fallback and Junos' own CLI forms).
var netconfExecCommands = map[string]bool{
	"netconf":                         true,
	"xml-mode netconf need-trailer":   true,
	"junoscript netconf need-trailer": true,
	"junoscript netconf":              true,
	"xml-mode netconf":                true,
}

// serveChannel handles one session channel: its requests and the one
// service (netconf, shell or exec) it starts.
func (d *Device) serveChannel(conn *ssh.ServerConn, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var (
		pty     bool
		started bool
		done    = make(chan struct{})
	)
	start := func(f func() uint32) {
		started = true
		go func() {
			defer close(done)
			status := f()
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], status)
			ch.SendRequest("exit-status", false, b[:])
			ch.CloseWrite()
			ch.Close()
		}()
	}
	for req := range reqs {
		ok := false
		switch req.Type {
		case "pty-req":
			pty, ok = true, true
		case "env", "window-change", "signal":
			ok = true
		case "subsystem":
			name := parseSSHString(req.Payload)
			if !started && name == "netconf" {
				ok = true
				req.Reply(true, nil)
				start(func() uint32 { return d.runNETCONF(conn.User(), ch) })
				continue
			}
		case "shell":
			if !started {
				ok = true
				req.Reply(true, nil)
				isPTY := pty
				start(func() uint32 {
					s := d.newSession(conn.User(), "cli")
					s.setKill(func() { ch.Close() })
					defer s.close()
					if err := d.serveCLI(d.ctx, ch, s, isPTY); err != nil && !errors.Is(err, io.EOF) {
						return 1
					}
					return 0
				})
				continue
			}
		case "exec":
			cmd := strings.TrimSpace(parseSSHString(req.Payload))
			if !started {
				ok = true
				req.Reply(true, nil)
				if netconfExecCommands[cmd] {
					start(func() uint32 { return d.runNETCONF(conn.User(), ch) })
				} else {
					start(func() uint32 {
						s := d.newSession(conn.User(), "cli")
						s.setKill(func() { ch.Close() })
						defer s.close()
						out, err := d.runExec(d.ctx, s, cmd)
						ch.Write(out)
						if err != nil {
							fmt.Fprintf(ch.Stderr(), "%v\n", err)
							return 1
						}
						return 0
					})
				}
				continue
			}
		}
		if req.WantReply {
			req.Reply(ok, nil)
		}
	}
	if started {
		<-done
	}
}

// runNETCONF runs a NETCONF session on ch and returns the exit status.
func (d *Device) runNETCONF(user string, ch ssh.Channel) uint32 {
	s := d.newSession(user, "netconf")
	defer s.close()
	nc := newNetconfSession(d, s, ch)
	s.setKill(func() { ch.Close() })
	if err := nc.serve(); err != nil {
		return 1
	}
	return 0
}

// parseSSHString reads an RFC 4251 string from an SSH request payload.
func parseSSHString(p []byte) string {
	if len(p) < 4 {
		return ""
	}
	n := binary.BigEndian.Uint32(p)
	if uint64(n) > uint64(len(p)-4) {
		return ""
	}
	return string(p[4 : 4+n])
}
