package sim_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/sim"
)

// Example starts a simulated ACX and reads its facts over NETCONF with
// nothing but golang.org/x/crypto/ssh.
func Example() {
	d, err := sim.Start(context.Background(), sim.Options{
		Hostname: "acx-1",
		Platform: "acx2100",
		Addr:     netip.MustParseAddrPort("127.0.0.1:0"),
		Users:    []sim.User{{Name: "admin", Password: "admin123"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()

	client, err := ssh.Dial("tcp", d.Addr().String(), &ssh.ClientConfig{
		User:            "admin",
		Auth:            []ssh.AuthMethod{ssh.Password("admin123")},
		HostKeyCallback: ssh.FixedHostKey(d.HostKey()),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	sess, _ := client.NewSession()
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	if err := sess.RequestSubsystem("netconf"); err != nil {
		fmt.Println(err)
		return
	}
	readMsg := func() string { // end-of-message framing
		var b strings.Builder
		buf := make([]byte, 4096)
		for !strings.Contains(b.String(), "]]>]]>") {
			n, err := stdout.Read(buf)
			if err != nil && err != io.EOF {
				return ""
			}
			b.Write(buf[:n])
		}
		return strings.TrimSpace(strings.SplitN(b.String(), "]]>]]>", 2)[0])
	}
	readMsg() // server hello
	io.WriteString(stdin, `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>`+
		`<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>`)
	io.WriteString(stdin, `<rpc message-id="1"><get-software-information/></rpc>]]>]]>`)

	var reply struct {
		MessageID string `xml:"message-id,attr"`
		Software  struct {
			Host    string `xml:"host-name"`
			Model   string `xml:"product-model"`
			Version string `xml:"junos-version"`
		} `xml:"software-information"`
	}
	if err := xml.Unmarshal([]byte(readMsg()), &reply); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(reply.MessageID, reply.Software.Host, reply.Software.Model, reply.Software.Version)
	// Output: 1 acx-1 acx2100 23.4R2.13
}
