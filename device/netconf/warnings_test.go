package netconf_test

import (
	"bufio"
	"errors"
	"fmt"
	"regexp"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

var msgID = regexp.MustCompile(`message-id="([^"]+)"`)

// replyServer answers every rpc with the reply body answer returns.
func replyServer(t *testing.T, answer func(rpc string) string) device.Target {
	return fakeServer(t, func(ch ssh.Channel) {
		fmt.Fprint(ch, goodHello)
		r := bufio.NewReader(ch)
		readMsg(r) // client hello
		for {
			rpc, err := readMsg(r)
			if err != nil {
				return
			}
			id := msgID.FindStringSubmatch(rpc)[1]
			fmt.Fprintf(ch, `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="%s">%s</rpc-reply>]]>]]>`, id, answer(rpc))
		}
	})
}

// TestWarningsAndErrors: Junos may send <ok/> together with warnings (not
// an error) or with errors (an error); go-netconf's reply.Ok never sees the
// <ok/> at all.
func TestWarningsAndErrors(t *testing.T) {
	const warn = `<rpc-error><error-severity>warning</error-severity><error-path>[edit interfaces]</error-path><error-message>
statement not found
</error-message></rpc-error>`
	const fail = `<rpc-error><error-severity>error</error-severity><error-path>[edit protocols]</error-path><error-message>
mpls not enabled
</error-message><error-info><bad-element>mpls</bad-element></error-info></rpc-error>`
	answers := map[string]string{
		"warn-ok":  `<load-configuration-results>` + warn + `<ok/></load-configuration-results>`,
		"fail-ok":  `<load-configuration-results>` + warn + fail + `<ok/></load-configuration-results>`,
		"no-ok":    `<load-configuration-results></load-configuration-results>`,
		"top-fail": fail,
	}
	tg := replyServer(t, func(rpc string) string {
		for k, v := range answers {
			if regexp.MustCompile(k).MatchString(rpc) {
				return v
			}
		}
		return "<ok/>"
	})
	s, err := netconf.Dial(ctxT(t), tg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	load := func(tag string) error {
		return s.Load(ctxT(t), device.Change{Format: device.Set, Data: []byte("set " + tag)})
	}
	if err := load("warn-ok"); err != nil {
		t.Fatalf("ok with a warning: %v", err)
	}
	var rej *device.RejectedError
	if err := load("fail-ok"); !errors.As(err, &rej) {
		t.Fatalf("ok with an error: %v", err)
	}
	if rej.Message != "mpls not enabled" || rej.Path != "[edit protocols]" || rej.Element != "mpls" || len(rej.Issues) != 2 {
		t.Fatalf("rejected: %+v", rej)
	}
	if err := load("no-ok"); !errors.As(err, &rej) {
		t.Fatalf("reply without <ok/>: %v", err)
	}
	if err := load("top-fail"); !errors.As(err, &rej) || rej.Element != "mpls" {
		t.Fatalf("top-level rpc-error: %v", err)
	}
	if !s.Alive() {
		t.Fatal("a refused request finished the session")
	}
}
