package sim

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// FuzzNETCONFFramer feeds arbitrary bytes to both frame decoders (no panic,
// no hang) and checks that messages framed by the encoder reassemble.
func FuzzNETCONFFramer(f *testing.F) {
	f.Add([]byte("<rpc/>]]>]]>"), uint8(3))
	f.Add([]byte("\n#5\nabcde\n##\n"), uint8(1))
	f.Add([]byte("\n#4294967296\nx"), uint8(7))
	f.Add([]byte("]]>]]]>]]>]]>"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		for _, chunked := range []bool{false, true} {
			r := newFrameReader(bytes.NewReader(data))
			r.chunked = chunked
			for i := 0; i <= len(data); i++ { // each message consumes input
				if _, err := r.next(); err != nil {
					break
				}
			}
		}
		// Round trip: cut data into messages and frame them.
		n := int(split%8) + 1
		var msgs [][]byte
		for i := 0; i < len(data); i += n {
			msgs = append(msgs, data[i:min(i+n, len(data))])
		}
		for _, chunked := range []bool{false, true} {
			var wire []byte
			var want [][]byte
			for _, m := range msgs {
				if !chunked {
					m = bytes.TrimSpace(m)
					if len(m) == 0 || bytes.Contains(m, []byte(eomMarker)) {
						continue // not representable with end-of-message framing
					}
				}
				wire = appendFrame(wire, m, chunked)
				want = append(want, m)
			}
			r := newFrameReader(bytes.NewReader(wire))
			r.chunked = chunked
			for i, w := range want {
				got, err := r.next()
				if err != nil {
					t.Fatalf("chunked=%v message %d: %v", chunked, i, err)
				}
				if !chunked {
					w = bytes.TrimSpace(w)
				}
				if !bytes.Equal(got, w) {
					t.Fatalf("chunked=%v message %d: got %q want %q", chunked, i, got, w)
				}
			}
			if _, err := r.next(); err != io.EOF {
				t.Fatalf("chunked=%v: trailing data: %v", chunked, err)
			}
		}
	})
}

// FuzzNETCONFRPC feeds arbitrary messages to the RPC handler: every answer
// is one well-formed <rpc-reply>, whatever the input.
func FuzzNETCONFRPC(f *testing.F) {
	d := startTestDevice(f, nil)
	for _, s := range []string{
		`<rpc message-id="1"><get-software-information/></rpc>`,
		`<rpc message-id="1"><load-configuration action="set" format="text"><configuration-set>set system domain-name x</configuration-set></load-configuration></rpc>`,
		`<rpc message-id="1"><get-configuration compare="rollback" rollback="0"/></rpc>`,
		`<rpc message-id="1"><edit-config><target><candidate/></target><config><configuration><system><host-name>a</host-name></system></configuration></config></edit-config></rpc>`,
		`<rpc message-id="1"><command>show interfaces terse</command></rpc>`,
		`<rpc message-id="1"><get-config><source><running/></source><filter><configuration><interfaces/></configuration></filter></get-config></rpc>`,
		`<rpc`, `<rpc message-id="1"><kill-session><session-id>x</session-id></kill-session></rpc>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		s := d.newSession(testUser, "netconf")
		defer s.close()
		n := &netconfSession{d: d, s: s}
		rep := n.handle(msg)
		if !bytes.HasPrefix(rep, []byte("<rpc-reply ")) {
			t.Fatalf("reply does not start with <rpc-reply: %q", rep)
		}
		if _, err := parseXML(rep); err != nil {
			t.Fatalf("reply not well-formed: %v\n%s", err, rep)
		}
		if strings.Contains(string(rep), "internal error") {
			t.Fatalf("handler panicked on %q:\n%s", msg, rep)
		}
	})
}
