package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store/bolt"
)

const testdata = "../../design/testdata"

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func heldClaims(t *testing.T, storeFile string) []pool.Claim {
	t.Helper()
	st, err := bolt.Open(storeFile)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := pool.New(st).Claims(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestRenderSamples renders every sample order in every Junos form into a
// fresh directory and store, then again: the second run claims the same.
func TestRenderSamples(t *testing.T) {
	orders, _ := filepath.Glob(filepath.Join(testdata, "orders", "*.yaml"))
	if len(orders) < 10 {
		t.Fatalf("only %d sample orders", len(orders))
	}
	wantFiles := map[string][]string{
		"eline-ldp.yaml":       {"pe1", "pe2"},
		"gold-eline.yaml":      {"pe4", "sr1"},
		"mobile-backhaul.yaml": {"agg1", "csr1", "csr2", "csr3"},
		"static-lsp.yaml":      {"p1", "pe1", "pe2"},
	}
	for _, format := range []string{"set", "text", "xml"} {
		dir := t.TempDir()
		db := filepath.Join(dir, "state.db")
		for _, o := range orders {
			out := filepath.Join(dir, "out-"+filepath.Base(o))
			stdout, stderr, err := runCmd(t, "render", "-order", o, "-format", format, "-out", out, "-store", db)
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", o, format, err, stderr)
			}
			if !strings.Contains(stdout, "wrote ") {
				t.Errorf("%s: no files reported:\n%s", o, stdout)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) == 0 {
				t.Errorf("%s: no files written", o)
			}
			for _, dev := range wantFiles[filepath.Base(o)] {
				m, _ := filepath.Glob(filepath.Join(out, dev+".*"))
				if len(m) == 0 {
					t.Errorf("%s %s: no file for %s in %v", o, format, dev, entries)
				}
			}
			again, _, err := runCmd(t, "render", "-order", o, "-format", format, "-out", out, "-store", db)
			if err != nil || again != stdout {
				t.Errorf("%s: second run differs (%v):\n%s\nvs\n%s", o, err, stdout, again)
			}
		}
	}
}

func TestRenderOutput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	stdout, _, err := runCmd(t, "render", "-order", filepath.Join(testdata, "orders", "eline-ldp.yaml"), "-out", dir, "-store", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"claimed eline-cust1 vlan.0: pool vlan scope pe1:ge-0/0/1 value 100\n",
		"claimed eline-cust1 vlan.1: pool vlan scope pe2:ge-0/0/1 value 100\n",
		"claimed eline-cust1 vcid: pool vcid value 1000\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "pe1.set"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"set interfaces ge-0/0/1 unit 100 vlan-id 100\n",
		"set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 virtual-circuit-id 1000\n",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("pe1.set lacks %q:\n%s", want, b)
		}
	}
	// The bulk order puts three services on agg1: set lines are
	// concatenated into one file.
	stdout, _, err = runCmd(t, "render", "-order", filepath.Join(testdata, "orders", "mobile-backhaul.yaml"), "-out", dir, "-store", db)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "agg1.set"))
	for _, u := range []string{"unit 100 ", "unit 101 ", "unit 102 "} {
		if !bytes.Contains(b, []byte("set interfaces xe-0/1/0 "+u)) {
			t.Errorf("agg1.set lacks %s:\n%s", u, b)
		}
	}
	if n := strings.Count(stdout, "pool vcid"); n != 3 {
		t.Errorf("%d VC IDs claimed, want 3:\n%s", n, stdout)
	}
}

// TestRenderBadOrder checks that a bad order exits with an error naming the
// field, writes nothing and claims nothing.
func TestRenderBadOrder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	tests := []struct {
		name, order, want string
	}{
		{"unknown interface", "name: bad1\ndefinition: eline-ldp\nendpoints:\n  - {device: pe1, interface: ge-0/0/1}\n  - {device: pe2, interface: ge-9/9/9}\n",
			`bad.yaml: design: order "bad1": endpoints[1] (pe2 ge-9/9/9): interface "ge-9/9/9": not on device pe2`},
		{"port-based with VLAN", "name: bad2\ndefinition: epl\nendpoints:\n  - {device: pe1, interface: ge-0/0/1, vlan: 10}\n  - {device: pe2, interface: ge-0/0/1}\n",
			`endpoints[0] (pe1 ge-0/0/1): vlan "10": given for a port-based service`},
		{"unknown definition", "name: bad3\ndefinition: eline-gold\nendpoints: []\n", `definition "eline-gold": no such definition`},
		{"unknown field", "name: bad4\ndefinition: eline-ldp\nendpoint: []\n", `line 3: field endpoint not found`},
		{"not overridable", "name: bad5\ndefinition: gold-eline\nattributes: {mtu: \"1500\"}\nendpoints:\n  - {device: pe1, interface: ge-0/0/1}\n  - {device: pe2, interface: ge-0/0/1}\n",
			`attributes.mtu "1500": not overridable in definition gold-eline`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(o, []byte(tt.order), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			_, _, err := runCmd(t, "render", "-order", o, "-inventory", filepath.Join(testdata, "inventory.yaml"),
				"-definitions", filepath.Join(testdata, "definitions.yaml"), "-out", out, "-store", db)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if errors.Is(err, errUsage) {
				t.Errorf("a bad order is reported as a usage error: %v", err)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("output directory created for a bad order")
			}
		})
	}
	if _, err := os.Stat(db); err == nil {
		if cs := heldClaims(t, db); len(cs) != 0 {
			t.Errorf("bad orders claimed %d owners", len(cs))
		}
	}
}

func TestRenderDryRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	stdout, _, err := runCmd(t, "render", "-dry-run", "-order", filepath.Join(testdata, "orders", "l3vpn-hub-spoke.yaml"), "-store", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "would claim vpn-red rt-hub: pool rt value target:65000:1") {
		t.Errorf("dry run output:\n%s", stdout)
	}
	if cs := heldClaims(t, db); len(cs) != 0 {
		t.Errorf("dry run claimed %d owners", len(cs))
	}
}

func TestUsage(t *testing.T) {
	_, stderr, err := runCmd(t, "render", "-h")
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	for _, f := range []string{"-order", "-inventory", "-definitions", "-format", "-out", "-store", "-dry-run", "DIR/<device>.<ext>"} {
		if !strings.Contains(stderr, f) {
			t.Errorf("render -h does not mention %s:\n%s", f, stderr)
		}
	}
	stdout, _, err := runCmd(t, "help")
	if err != nil || !strings.Contains(stdout, "render ") {
		t.Errorf("help: %v\n%s", err, stdout)
	}
	for _, args := range [][]string{
		nil,
		{"deploy"},
		{"render"},
		{"render", "-order", "x.yaml"},
		{"render", "-order", "x.yaml", "-out", "d", "-format", "json"},
		{"render", "-order", "x.yaml", "-out", "d", "extra"},
		{"render", "-nosuchflag"},
	} {
		if _, _, err := runCmd(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestCatalogCommand(t *testing.T) {
	stdout, _, err := runCmd(t, "catalog", "-definitions", filepath.Join(testdata, "definitions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"eline-ldp: eline\n",
		"    mtu              int     default 9100 range 1500-9216 (overridable)\n",
		"    signalling       enum    default ldp one of ldp|bgp|rsvp|static (fixed)\n",
		"gold-eline: eline (based on eline-ldp)\n",
		"    mtu              int     default 9000 range 1500-9216 (fixed)\n",
		"mobile-backhaul: eline\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("catalog output lacks %q", want)
		}
	}
	_, _, err = runCmd(t, "catalog", "-definitions", filepath.Join(testdata, "orders", "eline-ldp.yaml"))
	if err == nil || !strings.Contains(err.Error(), "eline-ldp.yaml: yaml: unmarshal errors") {
		t.Errorf("catalog of a non-definitions file: %v", err)
	}
}

// TestRenderJSON renders a JSON order and JSON inventory.
func TestRenderJSON(t *testing.T) {
	dir := t.TempDir()
	inv := `{"devices": [
  {"name": "a", "platform": {"vendor": "juniper", "model": "mx480", "series": "MX"}, "loopback": "192.0.2.1", "interfaces": [{"name": "ge-0/0/1", "role": "uni"}]},
  {"name": "b", "platform": {"vendor": "juniper", "model": "mx480", "series": "MX"}, "loopback": "192.0.2.2", "interfaces": [{"name": "ge-0/0/1", "role": "uni"}]}]}`
	order := `{"name": "j1", "definition": "eline-ldp", "attributes": {"mtu": 9000, "controlWord": true},
  "endpoints": [{"device": "a", "interface": "ge-0/0/1", "vlan": "142"}, {"device": "b", "interface": "ge-0/0/1"}]}`
	os.WriteFile(filepath.Join(dir, "inventory.json"), []byte(inv), 0o644)
	os.WriteFile(filepath.Join(dir, "order.json"), []byte(order), 0o644)
	out := filepath.Join(dir, "out")
	stdout, _, err := runCmd(t, "render", "-order", filepath.Join(dir, "order.json"), "-inventory", filepath.Join(dir, "inventory.json"),
		"-format", "xml", "-out", out, "-store", filepath.Join(dir, "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "claimed j1 vlan.1: pool vlan scope b:ge-0/0/1 value 142") {
		t.Errorf("the far end did not get the order's VLAN:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "b.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<vlan-id>142</vlan-id>", "<mtu>9000</mtu>", "<virtual-circuit-id>1000</virtual-circuit-id>"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("b.xml lacks %s:\n%s", want, b)
		}
	}
}
