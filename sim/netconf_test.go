package sim

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"
)

func TestHelloAndEOMFraming(t *testing.T) {
	d := startTestDevice(t, nil)
	c, err := ssh.Dial("tcp", d.Addr().String(), sshConfig(d))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.RequestSubsystem("netconf"); err != nil {
		t.Fatal(err)
	}
	// Read the raw hello bytes up to the marker.
	var buf bytes.Buffer
	b := make([]byte, 1)
	for !bytes.HasSuffix(buf.Bytes(), []byte(eomMarker)) {
		if _, err := out.Read(b); err != nil {
			t.Fatalf("reading hello: %v (got %q)", err, buf.String())
		}
		buf.Write(b)
	}
	hello := buf.String()
	mustContain(t, hello, `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`,
		"\n    <capability>urn:ietf:params:netconf:base:1.0</capability>\n",
		"<capability>http://xml.juniper.net/netconf/junos/1.0</capability>", "<session-id>")
	for _, l := range strings.Split(hello, "\n") {
		if strings.Contains(l, "<capability") && !regexp.MustCompile(`^\s*<capability>[^<\s]+</capability>$`).MatchString(l) {
			t.Errorf("capability line not of the form <capability>URI</capability>: %q", l)
		}
	}
	in.Write([]byte(base10Hello + eomMarker))
	in.Write([]byte(`<rpc message-id="7"><get-software-information/></rpc>` + eomMarker))
	buf.Reset()
	for !bytes.HasSuffix(buf.Bytes(), []byte(eomMarker+"\n")) {
		if _, err := out.Read(b); err != nil {
			t.Fatalf("reading reply: %v", err)
		}
		buf.Write(b)
	}
	rep := buf.String()
	if !strings.HasPrefix(rep, `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:junos="http://xml.juniper.net/junos/23.4R2.13/junos" message-id="7">`) {
		t.Fatalf("reply start: %q", rep)
	}
	mustContain(t, rep, "<host-name>pe1</host-name>", "<product-model>mx480</product-model>", "</rpc-reply>\n]]>]]>\n")
}

func TestChunkedFramingWhenBothAdvertise11(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, base11Hello)
	// Read raw bytes to see the chunk header.
	first := `<rpc message-id="1"><get-system-information/></rpc>`
	fmt.Fprintf(c.in, "\n#%d\n%s\n#3\n   \n##\n", len(first), first)
	got, err := c.r.next()
	if err != nil {
		t.Fatalf("chunked reply: %v", err)
	}
	mustContain(t, string(got), `message-id="1"`, "<hardware-model>mx480</hardware-model>")
	// A message split in many chunks reassembles.
	msg := `<rpc message-id="2"><get-software-information/></rpc>`
	var wire bytes.Buffer
	for i := 0; i < len(msg); i += 5 {
		j := min(i+5, len(msg))
		fmt.Fprintf(&wire, "\n#%d\n%s", j-i, msg[i:j])
	}
	wire.WriteString("\n##\n")
	c.in.Write(wire.Bytes())
	got, err = c.r.next()
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(got), `message-id="2"`, "<junos-version>23.4R2.13</junos-version>")
	// Bad chunk header ends the session after an rpc-error.
	c.in.Write([]byte("\n#0x\nabc"))
	got, err = c.r.next()
	if err != nil {
		t.Fatalf("expected a malformed-message reply, got %v", err)
	}
	mustContain(t, string(got), "<error-tag>malformed-message</error-tag>")
	if _, err := c.r.next(); err == nil {
		t.Fatal("session stayed open after a framing error")
	}
}

func TestEOMWhenClientLacks11(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	rep := c.rpc(`<get-software-information/>`)
	mustContain(t, rep, "<software-information>")
}

func TestAttributesEchoedAndBothEmptyForms(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	rep := c.send(`<rpc message-id='urn:uuid:1&amp;2' xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" extra="a&quot;b"><get-software-information></get-software-information></rpc>`)
	mustContain(t, rep, `message-id="urn:uuid:1&amp;2"`, `extra="a&quot;b"`, "<software-information>")
	rep2 := c.send(`<nc:rpc xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="9"><nc:get-software-information/></nc:rpc>`)
	mustContain(t, rep2, `message-id="9"`, "<software-information>")
}

func TestMalformedInput(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	for _, in := range []string{
		`<rpc message-id="1"><get-software-information></rpc>`,
		`not xml at all`,
		`<rpc message-id="1"><a><b></a></b></rpc>`,
		`<!DOCTYPE x [<!ENTITY a "b">]><rpc message-id="1"/>`,
		`<rpc message-id="1"/><rpc message-id="2"/>`,
	} {
		rep := c.send(in)
		mustContain(t, rep, "<rpc-error>", "<error-tag>malformed-message</error-tag>")
	}
	mustContain(t, c.send(`<rpc><get-software-information/></rpc>`), "<error-tag>missing-attribute</error-tag>")
	mustContain(t, c.send(`<hello/>`), "<error-tag>unknown-element</error-tag>")
	rep := c.rpc(`<get-bogus-information/>`)
	mustContain(t, rep, "<error-message>\nsyntax error\n</error-message>", "<bad-element>get-bogus-information</bad-element>")
	// the session still works
	mustContain(t, c.rpc(`<get-software-information/>`), "<software-information>")
}

func TestLoadCommitAndGetConfiguration(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	rep := c.rpc(loadSet("set interfaces ge-1/0/1 description \"uplink to p1\"", "set interfaces ge-1/0/1 unit 0 family inet address 192.0.2.1/30"))
	mustContain(t, rep, "<load-configuration-results>\n<ok/>\n</load-configuration-results>")
	// candidate has it, committed not yet
	mustContain(t, c.rpc(`<get-configuration database="candidate" format="set"/>`), `set interfaces ge-1/0/1 description "uplink to p1"`)
	mustNotContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "ge-1/0/1")
	rep = c.rpc(`<commit-configuration><log>first change</log></commit-configuration>`)
	mustContain(t, rep, `<routing-engine junos:style="normal">`, "<name>re0</name>", "<commit-success/>")
	rep = c.rpc(`<get-configuration database="committed" format="text"/>`)
	mustContain(t, rep, "<configuration-text>", "ge-1/0/1 {", "address 192.0.2.1/30;")
	rep = c.rpc(`<get-configuration database="committed"><configuration><interfaces/></configuration></get-configuration>`)
	mustContain(t, rep, `junos:commit-user="admin"`, `junos:commit-seconds="`, "<name>ge-1/0/1</name>")
	mustNotContain(t, rep, "<system>")
	mustContain(t, c.rpc(`<command format="text">show system commit</command>`), "first change", "by admin via netconf")

	// XML load with replace and delete
	rep = c.rpc(`<load-configuration action="merge" format="xml"><configuration><interfaces><interface><name>ge-1/0/1</name><description operation="delete"/></interface></interfaces></configuration></load-configuration>`)
	mustContain(t, rep, "<ok/>")
	mustNotContain(t, c.rpc(`<get-configuration format="set"/>`), "uplink to p1")
	// text override replaces everything
	rep = c.rpc(`<load-configuration action="override" format="text"><configuration-text>system { host-name pe1-new; }</configuration-text></load-configuration>`)
	mustContain(t, rep, "<ok/>")
	cand := c.rpc(`<get-configuration format="text"/>`)
	mustContain(t, cand, "host-name pe1-new;")
	mustNotContain(t, cand, "interfaces")
	mustContain(t, c.rpc(`<discard-changes/>`), "<ok/>")
	mustContain(t, c.rpc(`<get-configuration format="set"/>`), "ge-1/0/1")
}

func TestLoadErrorsAreAtomic(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	before := c.rpc(`<get-configuration format="set"/>`)
	rep := c.rpc(`<load-configuration format="text"><configuration-text>interfaces { ge-1/0/1 { descriptionn x; } }</configuration-text></load-configuration>`)
	mustContain(t, rep, "<load-configuration-results>", "<rpc-error>", "<error-path>[edit interfaces ge-1/0/1]</error-path>",
		"<bad-element>descriptionn</bad-element>", "<load-error-count>1</load-error-count>")
	mustNotContain(t, rep, "<ok/>")
	if after := c.rpc(`<get-configuration format="set"/>`); stripID(after) != stripID(before) {
		t.Fatalf("failed load changed the candidate:\n%s\nvs\n%s", before, after)
	}
	mustContain(t, c.rpc(`<load-configuration action="bogus" format="text"><configuration-text/></load-configuration>`), "<bad-element>action</bad-element>")
	// security is not an MX statement
	mustContain(t, c.rpc(loadSet("set security zones security-zone trust")), "<rpc-error>", "<load-error-count>1</load-error-count>")
}

func stripID(s string) string {
	return regexp.MustCompile(`message-id="[^"]*"`).ReplaceAllString(s, "")
}

func TestCommitCheckFailure(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(loadSet("set protocols mpls label-switched-path to-pe2 no-cspf")), "<ok/>")
	rep := c.rpc(`<commit-configuration><check/></commit-configuration>`)
	mustContain(t, rep, "<commit-results>", "<rpc-error>", "<error-path>[edit protocols mpls label-switched-path to-pe2]</error-path>",
		"configuration check-out failed")
	mustNotContain(t, rep, "commit-check-success")
	rep = c.rpc(`<validate><source><candidate/></source></validate>`)
	mustContain(t, rep, "<rpc-error>", "label-switched-path to-pe2")
	rep = c.rpc(`<commit/>`)
	mustContain(t, rep, "<rpc-error>")
	mustNotContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "to-pe2")
	mustContain(t, c.rpc(loadSet("set protocols mpls label-switched-path to-pe2 to 192.0.2.2")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><check/></commit-configuration>`), "<commit-check-success/>")
	mustContain(t, c.rpc(`<validate><source><candidate/></source></validate>`), "<ok/>")
}

func TestLockContention(t *testing.T) {
	d := startTestDevice(t, nil)
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(`<lock-configuration/>`), "<ok/>")
	rep := b.rpc(loadSet("set system domain-name example.net"))
	mustContain(t, rep, "configuration database locked by:", "admin netconf (pid "+fmt.Sprint(a.sid)+")", "exclusive")
	mustContain(t, b.rpc(`<lock-configuration/>`), "<rpc-error>", "locked by")
	mustContain(t, b.rpc(`<lock><target><candidate/></target></lock>`), "<error-tag>lock-denied</error-tag>")
	mustContain(t, b.rpc(commitRPC), "locked by")
	// the holder edits, then unlocks: its uncommitted change is discarded
	mustContain(t, a.rpc(loadSet("set system domain-name a.example")), "<ok/>")
	mustContain(t, a.rpc(`<unlock-configuration/>`), "<ok/>")
	mustNotContain(t, b.rpc(`<get-configuration format="set"/>`), "a.example")
	// RFC lock fails while the candidate has uncommitted changes
	mustContain(t, b.rpc(loadSet("set system domain-name b.example")), "<ok/>")
	mustContain(t, a.rpc(`<lock><target><candidate/></target></lock>`), "<error-tag>lock-denied</error-tag>", "modified")
	mustContain(t, b.rpc(`<discard-changes/>`), "<ok/>")
	mustContain(t, a.rpc(`<lock><target><candidate/></target></lock>`), "<ok/>")
	// session end releases the lock and discards
	mustContain(t, a.rpc(loadSet("set system domain-name c.example")), "<ok/>")
	mustContain(t, a.rpc(`<close-session/>`), "<ok/>")
	waitFor(t, func() bool {
		return strings.Contains(b.rpc(`<lock><target><candidate/></target></lock>`), "<ok/>")
	})
	mustNotContain(t, b.rpc(`<get-configuration format="set"/>`), "c.example")
}

func waitFor(t *testing.T, f func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if f() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

func TestConfirmedCommitRollsBack(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(loadSet("set system domain-name confirmed.example")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>`), "<commit-success/>")
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "confirmed.example")
	clk.Advance(119 * time.Second)
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "confirmed.example")
	clk.Advance(time.Second)
	mustNotContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "confirmed.example")
	// the rollback is itself a commit: rollback 1 holds the confirmed config
	mustContain(t, c.rpc(`<get-configuration database="committed" rollback="1" format="set"/>`), "confirmed.example")
	mustContain(t, c.rpc(`<command format="text">show system commit</command>`), "commit confirmed rollback")
}

func TestConfirmedCommitConfirmedBySecondCommit(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(loadSet("set system domain-name keep.example")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><confirmed/></commit-configuration>`), "<commit-success/>")
	if dl, ok := d.confirmPending(); !ok || dl.Sub(clk.Now()) != 10*time.Minute {
		t.Fatalf("default confirm-timeout: pending=%v deadline in %v", ok, dl.Sub(clk.Now()))
	}
	mustContain(t, c.rpc(commitRPC), "<commit-success/>")
	clk.Advance(time.Hour)
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "keep.example")
}

func TestRFCCommitConfirmedAndCancel(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(`<edit-config><target><candidate/></target><config><configuration><system><domain-name>rfc.example</domain-name></system></configuration></config></edit-config>`), "<ok/>")
	mustContain(t, c.rpc(`<commit><confirmed/><confirm-timeout>30</confirm-timeout></commit>`), "<ok/>")
	if dl, _ := d.confirmPending(); dl.Sub(clk.Now()) != 30*time.Second {
		t.Fatalf("confirm-timeout in seconds: got deadline in %v", dl.Sub(clk.Now()))
	}
	mustContain(t, c.rpc(`<cancel-commit/>`), "<ok/>")
	mustNotContain(t, c.rpc(`<get-config><source><running/></source></get-config>`), "rfc.example")
	mustContain(t, c.rpc(`<cancel-commit/>`), "<rpc-error>")
	// the default RFC timeout is 600 s
	mustContain(t, c.rpc(`<edit-config><target><candidate/></target><config-text><configuration-text>system { domain-name rfc2.example; }</configuration-text></config-text></edit-config>`), "<ok/>")
	mustContain(t, c.rpc(`<commit><confirmed/></commit>`), "<ok/>")
	clk.Advance(599 * time.Second)
	mustContain(t, c.rpc(`<get-config><source><running/></source></get-config>`), "rfc2.example")
	clk.Advance(time.Second)
	mustNotContain(t, c.rpc(`<get-config><source><running/></source></get-config>`), "rfc2.example")
}

func TestRFCPersistentConfirmedCommit(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(loadSet("set system domain-name persist.example")), "<ok/>")
	mustContain(t, a.rpc(`<commit><confirmed/><persist>tok1</persist></commit>`), "<ok/>")
	mustContain(t, b.rpc(`<commit/>`), "<rpc-error>", "persist-id")
	mustContain(t, b.rpc(`<cancel-commit><persist-id>wrong</persist-id></cancel-commit>`), "<rpc-error>")
	mustContain(t, b.rpc(`<commit><persist-id>tok1</persist-id></commit>`), "<ok/>")
	clk.Advance(time.Hour)
	mustContain(t, b.rpc(`<get-config><source><running/></source></get-config>`), "persist.example")
	mustContain(t, b.rpc(`<commit><persist-id>tok1</persist-id></commit>`), "<rpc-error>")
}

func TestRFCOperations(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(`<edit-config><target><running/></target><config/></edit-config>`), "<rpc-error>", "<bad-element>running</bad-element>")
	mustContain(t, c.rpc(`<edit-config><target><candidate/></target><config><configuration><interfaces><interface><name>ge-1/0/2</name><description>x</description></interface></interfaces></configuration></config></edit-config>`), "<ok/>")
	rep := c.rpc(`<get-config><source><candidate/></source><filter type="subtree"><configuration><interfaces/></configuration></filter></get-config>`)
	mustContain(t, rep, "<data>", `<configuration xmlns="http://xml.juniper.net/xnm/1.1/xnm"`, "<name>ge-1/0/2</name>")
	mustNotContain(t, rep, "<system>")
	mustNotContain(t, c.rpc(`<get-config><source><running/></source></get-config>`), "ge-1/0/2")
	mustContain(t, c.rpc(`<get><filter type="subtree"><configuration><system/></configuration></filter></get>`), "<data>", "<host-name>pe1</host-name>")
	mustContain(t, c.rpc(`<get-config><source><startup/></source></get-config>`), "<rpc-error>")
	mustContain(t, c.rpc(`<validate><source><candidate/></source></validate>`), "<ok/>")
	mustContain(t, c.rpc(`<commit/>`), "<ok/>")
	mustContain(t, c.rpc(`<get-config><source><running/></source></get-config>`), "ge-1/0/2")
	// default-operation replace replaces the whole configuration
	mustContain(t, c.rpc(`<edit-config><target><candidate/></target><default-operation>replace</default-operation><config><configuration><system><host-name>pe1</host-name></system></configuration></config></edit-config>`), "<ok/>")
	mustNotContain(t, c.rpc(`<get-config><source><candidate/></source></get-config>`), "ge-1/0/2")
	mustContain(t, c.rpc(`<discard-changes/>`), "<ok/>")
	mustContain(t, c.rpc(`<get-config><source><candidate/></source></get-config>`), "ge-1/0/2")
	// copy-config: inline config into the candidate, running back over it
	mustContain(t, c.rpc(`<copy-config><target><candidate/></target><source><config><configuration><system><host-name>copied</host-name></system></configuration></config></source></copy-config>`), "<ok/>")
	mustContain(t, c.rpc(`<get-config><source><candidate/></source></get-config>`), "<host-name>copied</host-name>")
	mustContain(t, c.rpc(`<copy-config><target><candidate/></target><source><running/></source></copy-config>`), "<ok/>")
	mustContain(t, c.rpc(`<get-config><source><candidate/></source></get-config>`), "<host-name>pe1</host-name>", "ge-1/0/2")
	mustContain(t, c.rpc(`<copy-config><target><startup/></target><source><running/></source></copy-config>`), "<rpc-error>", "<bad-element>startup</bad-element>")
}

func TestPrivateConfiguration(t *testing.T) {
	d := startTestDevice(t, nil)
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(`<open-configuration><private/></open-configuration>`), "<ok/>")
	mustContain(t, a.rpc(loadSet("set system domain-name private.example")), "<ok/>")
	mustContain(t, a.rpc(`<get-configuration format="set"/>`), "private.example")
	mustNotContain(t, b.rpc(`<get-configuration format="set"/>`), "private.example")
	// b may lock the shared candidate; a's private commit is then refused
	mustContain(t, b.rpc(`<lock-configuration/>`), "<ok/>")
	mustContain(t, a.rpc(commitRPC), "<rpc-error>", "locked by")
	mustContain(t, b.rpc(`<unlock-configuration/>`), "<ok/>")
	mustContain(t, a.rpc(commitRPC), "<commit-success/>")
	mustContain(t, b.rpc(`<get-configuration database="committed" format="set"/>`), "private.example")
	mustContain(t, a.rpc(loadSet("set system domain-name dropped.example")), "<ok/>")
	mustContain(t, a.rpc(`<close-configuration/>`), "<ok/>")
	mustNotContain(t, a.rpc(`<get-configuration format="set"/>`), "dropped.example")
	// a private commit applies its edits on top of commits made meanwhile
	mustContain(t, a.rpc(`<open-configuration><private/></open-configuration>`), "<ok/>")
	mustContain(t, a.rpc(loadSet("set interfaces ge-1/0/5 description from-private")), "<ok/>")
	mustContain(t, b.rpc(loadSet("set interfaces ge-1/0/6 description from-shared")), "<ok/>")
	mustContain(t, b.rpc(commitRPC), "<commit-success/>")
	mustContain(t, a.rpc(commitRPC), "<commit-success/>")
	both := b.rpc(`<get-configuration database="committed" format="set"/>`)
	mustContain(t, both, "from-private", "from-shared", "private.example")
	mustContain(t, a.rpc(`<close-configuration/>`), "<ok/>")
	// configure private is refused while the shared candidate is modified
	mustContain(t, b.rpc(loadSet("set system domain-name shared.example")), "<ok/>")
	mustContain(t, a.rpc(`<open-configuration><private/></open-configuration>`), "<rpc-error>", "modified")
}

func TestKillSession(t *testing.T) {
	d := startTestDevice(t, nil)
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(`<lock><target><candidate/></target></lock>`), "<ok/>")
	mustContain(t, a.rpc(loadSet("set system domain-name victim.example")), "<ok/>")
	mustContain(t, b.rpc(fmt.Sprintf(`<kill-session><session-id>%d</session-id></kill-session>`, a.sid)), "<ok/>")
	// a's transport is closed
	a.w.write([]byte(`<rpc message-id="1"><get-software-information/></rpc>`))
	if _, err := a.r.next(); err == nil {
		t.Fatal("killed session still answers")
	}
	mustNotContain(t, b.rpc(`<get-configuration format="set"/>`), "victim.example")
	mustContain(t, b.rpc(`<lock><target><candidate/></target></lock>`), "<ok/>")
	mustContain(t, b.rpc(`<kill-session><session-id>1</session-id></kill-session>`), "<rpc-error>")
	mustContain(t, b.rpc(fmt.Sprintf(`<kill-session><session-id>%d</session-id></kill-session>`, b.sid)), "<rpc-error>")
}

func TestCompareRollbackAndLoadRollback(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(loadSet("set system domain-name one.example")), "<ok/>")
	rep := c.rpc(`<get-configuration compare="rollback" rollback="0" format="text"/>`)
	mustContain(t, rep, "<configuration-information>", "<configuration-output>", "[edit system]", "+   domain-name one.example;")
	mustContain(t, c.rpc(commitRPC), "<commit-success/>")
	mustContain(t, c.rpc(loadSet("set system domain-name two.example")), "<ok/>")
	mustContain(t, c.rpc(commitRPC), "<commit-success/>")
	rep = c.rpc(`<get-configuration compare="rollback" rollback="1" format="text"/>`)
	mustContain(t, rep, "-   domain-name one.example;", "+   domain-name two.example;")
	mustContain(t, c.rpc(`<get-configuration compare="rollback" rollback="49"/>`), "<rpc-error>", "no such rollback")
	mustContain(t, c.rpc(`<get-configuration compare="rollback" rollback="50"/>`), "<rpc-error>", "out of range")
	// load rollback 2 = the initial configuration
	mustContain(t, c.rpc(`<load-configuration rollback="2"/>`), "<ok/>")
	cand := c.rpc(`<get-configuration format="set"/>`)
	mustNotContain(t, cand, "domain-name")
	// history keeps 50 entries
	for i := 0; i < 55; i++ {
		c.rpc(loadSet(fmt.Sprintf("set system domain-name n%d.example", i)))
		c.rpc(commitRPC)
	}
	mustContain(t, c.rpc(`<get-configuration database="committed" rollback="49" format="set"/>`), "n5.example")
	mustContain(t, c.rpc(`<get-configuration database="committed" rollback="50" format="set"/>`), "<rpc-error>")
}

func TestCommandRPC(t *testing.T) {
	d := startTestDevice(t, nil)
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(`<command format="text">show version</command>`), "<output>\nHostname: pe1\nModel: mx480\nJunos: 23.4R2.13\n")
	mustContain(t, c.rpc(`<command>show chassis hardware</command>`), "<chassis-inventory", `<chassis junos:style="inventory">`)
	mustContain(t, c.rpc(`<command>sh ver</command>`), "<software-information>")
	rep := c.rpc(`<command format="text">show bogus</command>`)
	mustContain(t, rep, "<rpc-error>", "syntax error", "<bad-element>bogus</bad-element>")
	mustContain(t, c.rpc(`<command>show interfaces terse | display xml rpc</command>`), "<get-interface-information><terse/></get-interface-information>")
	mustContain(t, c.rpc(`<command format="text">show configuration system</command>`), "host-name pe1;")
	mustContain(t, c.rpc(`<command format="text">show system information | display xml</command>`), "<system-information>")
	mustContain(t, c.rpc(`<command>show version | match x</command>`), "<rpc-error>")
	mustNotContain(t, c.rpc(`<command format="text">show configuration system</command>`), "</rpc>")
}

func TestCloseEndsSessionsWithoutLeaks(t *testing.T) {
	before := countGoroutines()
	d, err := Start(t.Context(), Options{Hostname: "leak1", Users: []User{{Name: testUser, Password: testPass}}})
	if err != nil {
		t.Fatal(err)
	}
	var clients []*rawClient
	for i := 0; i < 3; i++ {
		clients = append(clients, dialRaw(t, d, ""))
	}
	mustContain(t, clients[0].rpc(`<get-software-information/>`), "<software-information>")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		if _, err := c.r.next(); err != io.EOF && err == nil {
			t.Fatal("session survived Close")
		}
		c.close()
	}
	waitForGoroutines(t, before)
}

func TestHostKeyStableAndAuth(t *testing.T) {
	d1 := startTestDevice(t, func(o *Options) { o.HostKeySeed = []byte("s1") })
	k1 := d1.HostKey().Marshal()
	d1.Close()
	d2 := startTestDevice(t, func(o *Options) { o.HostKeySeed = []byte("s1") })
	if !bytes.Equal(k1, d2.HostKey().Marshal()) {
		t.Fatal("host key changed across restarts")
	}
	d3 := startTestDevice(t, func(o *Options) { o.HostKeySeed = []byte("s1"); o.Hostname = "pe2" })
	if bytes.Equal(k1, d3.HostKey().Marshal()) {
		t.Fatal("two hostnames share a host key")
	}
	cfg := sshConfig(d2)
	cfg.Auth = []ssh.AuthMethod{ssh.Password("wrong")}
	if _, err := ssh.Dial("tcp", d2.Addr().String(), cfg); err == nil {
		t.Fatal("wrong password accepted")
	}
	// public key login
	signer, _ := hostSigner([]byte("client"), "key")
	d4 := startTestDevice(t, func(o *Options) {
		o.Users = []User{{Name: "ops", AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()}}}
	})
	cfg = &ssh.ClientConfig{User: "ops", Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: ssh.FixedHostKey(d4.HostKey())}
	cl, err := ssh.Dial("tcp", d4.Addr().String(), cfg)
	if err != nil {
		t.Fatalf("public key login: %v", err)
	}
	cl.Close()
	other, _ := hostSigner([]byte("client"), "other")
	cfg.Auth = []ssh.AuthMethod{ssh.PublicKeys(other)}
	if _, err := ssh.Dial("tcp", d4.Addr().String(), cfg); err == nil {
		t.Fatal("unknown key accepted")
	}
	// global keepalive requests are rejected, not fatal
	cl, err = ssh.Dial("tcp", d2.Addr().String(), sshConfig(d2))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if ok, _, err := cl.SendRequest("KEEP_ALIVE", true, nil); ok || err != nil {
		t.Fatalf("keepalive: ok=%v err=%v", ok, err)
	}
}

func TestStartValidation(t *testing.T) {
	ctx := t.Context()
	for _, o := range []Options{
		{Users: []User{{Name: "a"}}},
		{Hostname: "x"},
		{Hostname: "x", Platform: "mx9999", Users: []User{{Name: "a"}}},
		{Hostname: "x", Users: []User{{Name: "a"}}, Config: []byte("bogus { }")},
	} {
		if d, err := Start(ctx, o); err == nil {
			d.Close()
			t.Errorf("Start(%+v) succeeded", o)
		}
	}
}

func TestNETCONFOverExec(t *testing.T) {
	d := startTestDevice(t, nil)
	for _, cmd := range []string{"netconf", "xml-mode netconf need-trailer"} {
		c, err := ssh.Dial("tcp", d.Addr().String(), sshConfig(d))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := c.NewSession()
		in, _ := s.StdinPipe()
		out, _ := s.StdoutPipe()
		if err := s.Start(cmd); err != nil {
			t.Fatal(err)
		}
		r := newFrameReader(out)
		if h, err := r.next(); err != nil || !strings.Contains(string(h), "<hello") {
			t.Fatalf("exec %q: hello %q %v", cmd, h, err)
		}
		in.Write([]byte(base10Hello + eomMarker + `<rpc message-id="5"><get-system-information/></rpc>` + eomMarker))
		rep, err := r.next()
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, string(rep), `message-id="5"`, "<system-information>")
		in.Write([]byte(`<rpc message-id="6"><close-session/></rpc>` + eomMarker))
		r.next()
		if err := s.Wait(); err != nil {
			t.Fatalf("exec %q exit: %v", cmd, err)
		}
		c.Close()
	}
}

func TestChannelsPerConnectionBounded(t *testing.T) {
	d := startTestDevice(t, nil)
	c, err := ssh.Dial("tcp", d.Addr().String(), sshConfig(d))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < maxChannelsPerConn; i++ {
		if _, err := c.NewSession(); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
	}
	if _, err := c.NewSession(); err == nil {
		t.Fatal("channel limit not enforced")
	}
	if _, _, err := c.OpenChannel("direct-tcpip", nil); err == nil {
		t.Fatal("non-session channel accepted")
	}
}

// TestConcurrentSessions runs several NETCONF sessions loading and
// committing at once (run with -race): nothing is lost, history stays bounded.
func TestConcurrentSessions(t *testing.T) {
	d := startTestDevice(t, nil)
	const sessions, rounds = 6, 15
	clients := make([]*rawClient, sessions)
	for i := range clients {
		clients[i] = dialRaw(t, d, "")
	}
	done := make(chan string, sessions)
	for i, c := range clients {
		go func() {
			for r := 0; r < rounds; r++ {
				rep := c.rpc(loadSet(fmt.Sprintf("set interfaces ge-1/0/%d unit %d description s%dr%d", i, r+1, i, r)))
				if !strings.Contains(rep, "<ok/>") {
					done <- rep
					return
				}
				if rep := c.rpc(commitRPC); !strings.Contains(rep, "<commit-success/>") {
					done <- rep
					return
				}
				c.rpc(`<get-interface-information><terse/></get-interface-information>`)
			}
			done <- ""
		}()
	}
	for range clients {
		if msg := <-done; msg != "" {
			t.Fatalf("session failed: %s", msg)
		}
	}
	set := string(d.Committed().SetLines())
	for i := 0; i < sessions; i++ {
		for r := 0; r < rounds; r++ {
			if !strings.Contains(set, fmt.Sprintf("description s%dr%d", i, r)) {
				t.Fatalf("lost s%dr%d", i, r)
			}
		}
	}
	if n := len(d.commitLog()); n != historySize {
		t.Fatalf("history has %d entries, want %d", n, historySize)
	}
}

func TestBadClientHelloClosesSession(t *testing.T) {
	d := startTestDevice(t, nil)
	for _, hello := range []string{
		`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>4</session-id></hello>`,
		`<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:example:other</capability></capabilities></hello>`,
		`<rpc message-id="1"><get-software-information/></rpc>`,
	} {
		c, err := ssh.Dial("tcp", d.Addr().String(), sshConfig(d))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := c.NewSession()
		in, _ := s.StdinPipe()
		out, _ := s.StdoutPipe()
		s.RequestSubsystem("netconf")
		r := newFrameReader(out)
		if _, err := r.next(); err != nil {
			t.Fatal(err)
		}
		in.Write([]byte(hello + eomMarker + `<rpc message-id="2"><get-software-information/></rpc>` + eomMarker))
		if rep, err := r.next(); err == nil {
			t.Errorf("hello %.60s…: session answered %q", hello, rep)
		}
		c.Close()
	}
}

func TestKeyboardInteractiveLogin(t *testing.T) {
	d := startTestDevice(t, nil)
	cfg := sshConfig(d)
	cfg.Auth = []ssh.AuthMethod{ssh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
		ans := make([]string, len(qs))
		for i := range qs {
			ans[i] = testPass
		}
		return ans, nil
	})}
	c, err := ssh.Dial("tcp", d.Addr().String(), cfg)
	if err != nil {
		t.Fatalf("keyboard-interactive: %v", err)
	}
	c.Close()
}

// TestConfirmedCommitChainRollsBackToFirst: a second commit confirmed
// before the first is confirmed extends it; when the timer expires the
// device goes back to the configuration before the first one.
func TestConfirmedCommitChainRollsBackToFirst(t *testing.T) {
	clk := newFakeClock()
	d := startTestDevice(t, func(o *Options) { o.Clock = clk })
	c := dialRaw(t, d, "")
	mustContain(t, c.rpc(loadSet("set system domain-name first.example")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>`), "<commit-success/>")
	mustContain(t, c.rpc(loadSet("set interfaces ge-1/0/5 description second")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>`), "<commit-success/>")
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "first.example", "description second")
	clk.Advance(2 * time.Minute)
	mustNotContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "first.example", "description second")
}

// TestPrivateCommitChecksMergedConfiguration: a private commit made after
// someone else committed is checked as merged with that commit, and refused
// (changing nothing) when the two together are invalid.
func TestPrivateCommitChecksMergedConfiguration(t *testing.T) {
	d := startTestDevice(t, nil)
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(`<open-configuration><private/></open-configuration>`), "<ok/>")
	mustContain(t, a.rpc(loadSet("set interfaces ge-1/0/5 flexible-vlan-tagging", "set interfaces ge-1/0/5 unit 100 vlan-id 100")), "<ok/>")
	mustContain(t, b.rpc(loadSet("set interfaces ge-1/0/5 flexible-vlan-tagging", "set interfaces ge-1/0/5 unit 7 vlan-id 100")), "<ok/>")
	mustContain(t, b.rpc(commitRPC), "<commit-success/>")
	before := b.rpc(`<get-configuration database="committed" format="set"/>`)
	mustContain(t, a.rpc(commitRPC), "<rpc-error>", "vlan-id 100 is already used")
	if after := b.rpc(`<get-configuration database="committed" format="set"/>`); after[strings.Index(after, ">"):] != before[strings.Index(before, ">"):] {
		t.Errorf("refused private commit changed the configuration (-before +after):\n%s", cmp.Diff(before, after))
	}
	mustNotContain(t, before, "unit 100")
}

// TestPrivateCommitRefusedWhileSharedModified: a private commit is refused
// while another session has uncommitted changes in the shared candidate,
// and commits once those are discarded.
func TestPrivateCommitRefusedWhileSharedModified(t *testing.T) {
	d := startTestDevice(t, nil)
	a := dialRaw(t, d, "")
	b := dialRaw(t, d, "")
	mustContain(t, a.rpc(`<open-configuration><private/></open-configuration>`), "<ok/>")
	mustContain(t, a.rpc(loadSet("set system domain-name private.example")), "<ok/>")
	mustContain(t, b.rpc(loadSet("set system domain-name shared.example")), "<ok/>")
	mustContain(t, a.rpc(commitRPC), "<rpc-error>", "shared configuration database modified")
	mustNotContain(t, b.rpc(`<get-configuration database="committed" format="set"/>`), "private.example", "shared.example")
	mustContain(t, b.rpc(`<discard-changes/>`), "<ok/>")
	mustContain(t, a.rpc(commitRPC), "<commit-success/>")
	mustContain(t, b.rpc(`<get-configuration database="committed" format="set"/>`), "private.example")
}
