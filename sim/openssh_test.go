package sim

import (
	"context"
	"crypto/ed25519"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// TestOpenSSHNetconfSubsystem runs the OpenSSH client (`ssh -s … netconf`)
// with public-key login and strict host-key checking against a known_hosts
// line built from the device's derived host key, then restarts the device
// and checks the same known_hosts still matches.
func TestOpenSSHNetconfSubsystem(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Fatalf("the OpenSSH client is required (openssh-client): %v", err)
	}
	dir := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(nil)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "id_ed25519")
	os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600)
	signer, _ := ssh.NewSignerFromKey(priv)
	opts := func(o *Options) {
		o.HostKeySeed = []byte("openssh-test")
		o.Users = []User{{Name: "ops", AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()}}}
	}
	d := startTestDevice(t, opts)
	known := filepath.Join(dir, "known_hosts")
	line := fmt.Sprintf("[%s]:%d %s", d.Addr().Addr(), d.Addr().Port(), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey()))))
	os.WriteFile(known, []byte(line+"\n"), 0o600)

	runSSH := func(d *Device) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, sshBin, "-F", "/dev/null", "-i", keyFile, "-o", "IdentitiesOnly=yes",
			"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile="+known, "-o", "BatchMode=yes",
			"-p", fmt.Sprint(d.Addr().Port()), "-s", "ops@"+d.Addr().Addr().String(), "netconf")
		cmd.Stdin = strings.NewReader(base10Hello + eomMarker +
			`<rpc message-id="1"><get-software-information/></rpc>` + eomMarker +
			`<rpc message-id="2"><close-session/></rpc>` + eomMarker)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := runSSH(d)
	if err != nil {
		t.Fatalf("ssh: %v\n%s", err, out)
	}
	mustContain(t, out, "<capability>urn:ietf:params:netconf:base:1.0</capability>", `message-id="1"`, "<host-name>pe1</host-name>", `message-id="2"`, "<ok/>")

	// Restart on the same address: the host key is the same, so strict
	// checking with the old known_hosts still passes.
	addr := d.Addr()
	d.Close()
	d2 := startTestDevice(t, func(o *Options) { opts(o); o.Addr = addr })
	if out, err := runSSH(d2); err != nil {
		t.Fatalf("after restart: %v\n%s", err, out)
	}
	// A different seed is a different key: OpenSSH refuses it.
	d2.Close()
	d3 := startTestDevice(t, func(o *Options) { opts(o); o.Addr = addr; o.HostKeySeed = []byte("other") })
	if out, err := runSSH(d3); err == nil || !strings.Contains(out, "HOST IDENTIFICATION HAS CHANGED") {
		t.Fatalf("changed host key accepted: %v\n%s", err, out)
	}
}
