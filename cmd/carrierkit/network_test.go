package main

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testNet = "testdata/net/network.clab.yml"

// TestNetworkCommands walks a service through its life with the commands,
// one invocation at a time as an operator would, on the simulated network
// of testdata/net (its configuration persisting between invocations).
func TestNetworkCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	sim := []string{"-sim", testNet, "-store", db}
	must := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCmd(t, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s%s", args, err, out, errOut)
		}
		return out
	}
	out := must(append([]string{"discover"}, sim...)...)
	if !strings.Contains(out, "discovered 7 of 7") || !strings.Contains(out, "127.0.73.2:830         pe1") {
		t.Errorf("discover:\n%s", out)
	}
	out = must("prestage", "-store", db, "-o", "json")
	var pre []struct {
		Device, Role string
		Qualified    bool
		UNI, NNI     int
	}
	if err := json.Unmarshal([]byte(out), &pre); err != nil {
		t.Fatalf("prestage -o json: %v\n%s", err, out)
	}
	roles := map[string]string{}
	for _, p := range pre {
		roles[p.Device] = p.Role
	}
	if roles["pe1"] != "N-PE" || roles["p1"] != "P" || len(pre) != 7 {
		t.Errorf("prestage roles %v", roles)
	}
	// Rules as data: the customers' CEs are excluded; the rules changed, so
	// every device is re-synchronised.
	rules := filepath.Join(dir, "rules.yaml")
	os.WriteFile(rules, []byte("exclude:\n  - {device: \"ce-*\", reason: customer equipment}\n"), 0o644)
	out = must("prestage", "-store", db, "-rules", rules)
	if !strings.Contains(out, "ce-pe1     CPE    16 UNI  0 NNI  resynced   not qualified: excluded by operator: customer equipment") ||
		!strings.Contains(out, "pe1        N-PE   39 UNI  1 NNI  resynced   qualified") {
		t.Errorf("prestage -rules:\n%s", out)
	}
	if _, _, err := runCmd(t, "prestage", "-store", db, "-rules", filepath.Join(dir, "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("prestage with a missing rules file: %v", err)
	}

	order := "testdata/net/order-vpn.yaml"
	out = must(append([]string{"plan", "-order", order}, sim...)...)
	for _, want := range []string{"## vpn-blue: pe1", "## vpn-blue: pe3", "+       VRF-VPN-BLUE {"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q", want)
		}
	}
	// The plan claimed nothing.
	if cs := heldClaims(t, db); len(cs) != 0 {
		t.Errorf("plan left claims %v", cs)
	}
	out = must(append([]string{"deploy", "-order", order}, sim...)...)
	if !strings.Contains(out, "vpn-blue                 deployed        pe1,pe2,pe3") {
		t.Errorf("deploy:\n%s", out)
	}
	must(append([]string{"validate", "-service", "vpn-blue"}, sim...)...)
	svg := filepath.Join(dir, "m.svg")
	out = must(append([]string{"oam", "-service", "vpn-blue", "-svg", svg}, sim...)...)
	if !strings.Contains(out, "6 probes: 6 ok") {
		t.Errorf("oam:\n%s", out)
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("oam -svg: %v", err)
	}
	must(append([]string{"audit", "-oper"}, sim...)...)

	// Someone changes the VRF's route distinguisher on pe3 behind
	// carrierkit's back: validation and audit fail and name it.
	state := db + ".sim/pe3.conf"
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "route-distinguisher 65000:3;") {
		t.Fatalf("pe3 has no route-distinguisher 65000:3:\n%s", b)
	}
	os.WriteFile(state, []byte(strings.Replace(string(b), "route-distinguisher 65000:3;", "route-distinguisher 65000:99;", 1)), 0o644)
	for _, cmd := range [][]string{{"validate", "-service", "vpn-blue"}, {"audit"}} {
		out, _, err := runCmd(t, append(cmd, sim...)...)
		if !errors.Is(err, errFailed) || errors.Is(err, errUsage) {
			t.Errorf("%v after the change: %v, want a failed check", cmd, err)
		}
		if !strings.Contains(out, "pe3") || !strings.Contains(out, "route-distinguisher") {
			t.Errorf("%v does not name pe3's route-distinguisher:\n%s", cmd, out)
		}
	}
	os.WriteFile(state, b, 0o644)

	out = must(append([]string{"decommission", "-service", "vpn-blue", "-o", "json"}, sim...)...)
	var recs []recordOut
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 1 || recs[0].State != "decommissioned" {
		t.Errorf("decommission -o json: %v %s", err, out)
	}
	if cs := heldClaims(t, db); len(cs) != 0 {
		t.Errorf("decommission left claims %v", cs)
	}
	if _, _, err := runCmd(t, append([]string{"oam", "-service", "vpn-blue"}, sim...)...); err == nil || !strings.Contains(err.Error(), "nothing deployed") {
		t.Errorf("oam of a decommissioned service: %v", err)
	}
}

func TestPoolCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	out, errOut, err := runCmd(t, "pool", "create", "-store", db, "-name", "metro-vlan", "-kind", "vlan", "-ranges", "200-299", "-scoped")
	if err != nil {
		t.Fatalf("create: %v %s", err, errOut)
	}
	if !strings.Contains(out, "created pool metro-vlan (vlan) 200-299") {
		t.Errorf("create: %s", out)
	}
	out, _, err = runCmd(t, "pool", "list", "-store", db)
	if err != nil || !strings.Contains(out, "metro-vlan     vlan  200-299 scoped") || !strings.Contains(out, "vcid ") {
		t.Errorf("list: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, "pool", "usage", "-store", db, "-o", "json", "metro-vlan")
	var us []struct {
		Pool string
		Held int
		Free uint64
	}
	if err != nil || json.Unmarshal([]byte(out), &us) != nil || len(us) != 1 || us[0].Free != 100 {
		t.Errorf("usage: %v %+v\n%s", err, us, out)
	}
	if _, _, err := runCmd(t, "pool", "create", "-store", db, "-name", "metro-vlan", "-kind", "vlan", "-ranges", "1-2"); err == nil || errors.Is(err, errUsage) {
		t.Errorf("second create: %v, want a failure", err)
	}
	if _, _, err := runCmd(t, "pool", "usage", "-store", db, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("usage of an unknown pool: %v", err)
	}
}

func TestNetworkCommandUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad output", []string{"prestage", "-store", db, "-o", "yaml"}, `-o "yaml"`},
		{"no targets", []string{"discover", "-store", db}, "give -targets or -sim"},
		{"no order", []string{"plan", "-store", db}, "-order is required"},
		{"no service", []string{"validate", "-store", db}, "-service is required"},
		{"pool without subcommand", []string{"pool"}, "give create, list or usage"},
		{"pool bad kind", []string{"pool", "create", "-store", db, "-name", "x", "-kind", "colour", "-ranges", "1"}, "-kind"},
		{"deploy without order", []string{"deploy", "-store", db, "-sim", testNet}, "-order is required"},
		{"oam without service", []string{"oam", "-store", db}, "-service is required"},
		{"password on the command line", []string{"discover", "-password", "secret"}, "-password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, tt.args...)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: %v, want a usage error naming %q", tt.args, err, tt.want)
			}
		})
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a command-line mistake opened the store: %v", err)
	}
	_, errOut, err := runCmd(t, "oam", "-h")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut, "Usage: carrierkit oam -service NAME") || !strings.Contains(errOut, "-known-hosts") {
		t.Errorf("oam -h: %v\n%s", err, errOut)
	}
}

// TestDiscoverUnreachable discovers a real-device address nothing listens
// on: the target is reported and the exit status is a failure, not usage.
func TestDiscoverUnreachable(t *testing.T) {
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	os.WriteFile(kh, nil, 0o644)
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("secret\n"), 0o600)
	out, _, err := runCmd(t, "discover", "-store", filepath.Join(dir, "d.db"), "-targets", "127.0.73.250", "-port", "9",
		"-password-file", pw, "-known-hosts", kh)
	if !errors.Is(err, errFailed) {
		t.Errorf("discover: %v, want a failed check", err)
	}
	if !strings.Contains(out, "127.0.73.250:9") || !strings.Contains(out, "FAILED unreachable") || strings.Contains(out, "secret") {
		t.Errorf("discover output:\n%s", out)
	}
}
