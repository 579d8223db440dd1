package sim

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzCLISplit checks that the CLI word and pipe splitter never panics and
// that word offsets point into the line at the word (or its opening quote).
func FuzzCLISplit(f *testing.F) {
	for _, s := range []string{"show version | match ge- | count", `set interfaces ge-0/0/0 description "a | b"`, `"`, `a\"b "c\"d"`, "|||", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, seg := range cliSplitPipes(line) {
			for _, w := range seg.words {
				if w.pos < 0 || w.pos >= len(line) {
					t.Fatalf("word %q at %d outside %q", w.text, w.pos, line)
				}
				if c := line[w.pos]; c == ' ' || c == '\t' || c == '|' {
					t.Fatalf("word %q starts at a separator in %q", w.text, line)
				}
			}
		}
	})
}

// FuzzCLIShell feeds arbitrary keystrokes to a shell without a network: it
// must never panic or hang, and must end when the input ends.
func FuzzCLIShell(f *testing.F) {
	for _, s := range []string{
		"show version\r\n", "configure\rset system domain-name x\rshow | compare\rcommit check\rexit\ryes\r",
		"\x1b[A\x7f\x7f\x03\x15abc\x04", "configure\redit interfaces\rup 3\rtop show\rrollback 99\rquit\rno\r",
		"show configuration | display xml rpc | match ( \r", "set cli screen-width 99999999999\r",
	} {
		f.Add([]byte(s))
	}
	d := cliTestDevice(f, "fz1")
	f.Fuzz(func(t *testing.T, in []byte) {
		s := d.newSession("admin", "cli")
		defer s.close()
		var out bytes.Buffer
		ch := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(in), &out}
		done := make(chan error, 1)
		go func() { done <- d.serveCLI(context.Background(), ch, s, true) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("shell did not end on input %q", in)
		}
		if !strings.HasPrefix(out.String(), "--- JUNOS") {
			t.Fatalf("no banner: %q", out.String())
		}
	})
}

// FuzzParseTopology checks that the topology parser never panics and that
// what it accepts is consistent: unique listen addresses, mapped interfaces.
func FuzzParseTopology(f *testing.F) {
	f.Add([]byte("name: x\ntopology:\n  nodes:\n    a: {kind: linux, labels: {carrierkit.sim/platform: mx480}}\n    b: {kind: juniper_vsrx}\n  links:\n    - endpoints: [a:eth1, b:eth2]\n"))
	f.Add([]byte("name: ${N:-x}\ntopology:\n  defaults: {kind: linux}\n  nodes: {a: , b: {labels: {carrierkit.sim/platform: acx2100, carrierkit.sim/address: 127.0.1.1}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := ParseTopology(data, TopologyOptions{LookupEnv: noEnv})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, n := range topo.SimNodes() {
			a := n.Sim.Addr.String()
			if seen[a] || !n.Sim.Addr.Addr().IsValid() {
				t.Fatalf("address %s reused or invalid", a)
			}
			seen[a] = true
		}
		for _, l := range topo.Links {
			for _, e := range l.Endpoints {
				if n := topo.Node(e.Node); n != nil && n.Sim != nil && e.SimInterface == "" {
					t.Fatalf("endpoint %s on a simulated node has no Junos name", e)
				}
			}
		}
	})
}
