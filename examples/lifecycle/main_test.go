package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRun runs the whole demo on the topology beside it and checks the
// story's key facts and the files it writes.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := t.TempDir()
	var w bytes.Buffer
	err := run(ctx, &w, options{Topology: "network.clab.yml", Out: out, Sites: 20, User: "admin", Password: "admin@123"})
	got := w.String()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, got)
	}
	for _, want := range []string{
		"started 42 simulated routers",
		"discovered 22 of 22 targets",
		"order vpls-acme: BGP VPLS, 20 sites on 20 PEs",
		"dry run: 20 devices would change",
		"deployed vpls-acme on 20 devices all-or-nothing",
		"deployed l3vpn-bank on 5 devices all-or-nothing",
		"pre-validation vpls-acme: 0 errors",
		"pre-validation l3vpn-bank: 0 errors",
		"verify vpls-acme: verified",
		"post-validation (check-sync) vpls-acme: 0 errors",
		"operational validation vpls-acme: 0 errors",
		"operational validation l3vpn-bank: 0 errors",
		"operational validation of vpls-acme agrees:",
		"verify l3vpn-bank: verified",
		"VPLS connections reported by the PEs: 380 Up",
		"vpls-acme: 380 probes: 380 ok",
		"l3vpn-bank: 8 probes: 8 ok",
		"OAM green: every site reaches every site it should",
		// acx1 lost its only uplink: its 19 probes out and 19 in fail.
		"vpls-acme: 380 probes: 38 failed, 342 ok",
		"37 probes: site-isolated at acx1 ge-0/0/0",
		"1 probe: site-isolated at mx1 xe-0/0/2",
		"OAM green again",
		"decommissioned l3vpn-bank: decommissioned; it holds 0 values now",
		"  pe-ce-v4          5      0",
		"  rt                3      1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("story lacks %q", want)
		}
	}
	if strings.Contains(got, "failed, ") && !strings.Contains(got, "38 failed") {
		t.Errorf("unexpected failures")
	}
	for _, f := range []string{"carrierkit.db", "known_hosts", "results.json", "oam-vpls.svg", "oam-vpls.json", "oam-vpls-cut.svg", "oam-l3vpn.json"} {
		st, err := os.Stat(filepath.Join(out, f))
		if err != nil || st.Size() == 0 {
			t.Errorf("file %s missing or empty: %v", f, err)
		}
	}
	var res struct {
		Orders []struct{ Name, State string }
		Cut    struct{ Diagnosis []string }
	}
	b, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	states := map[string]string{}
	for _, o := range res.Orders {
		states[o.Name] = o.State
	}
	if states["vpls-acme"] != "verified" || states["l3vpn-bank"] != "decommissioned" {
		t.Errorf("order states %v", states)
	}
	if len(res.Cut.Diagnosis) == 0 || !strings.Contains(res.Cut.Diagnosis[0], "acx1") {
		t.Errorf("diagnosis %v does not name acx1", res.Cut.Diagnosis)
	}
	svg, _ := os.ReadFile(filepath.Join(out, "oam-vpls-cut.svg"))
	if !bytes.HasPrefix(bytes.TrimSpace(svg), []byte("<")) || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("oam-vpls-cut.svg is not an SVG document")
	}
	if t.Failed() {
		t.Logf("story:\n%s", got)
	}
}

func TestRunBadOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    options
		want string
	}{
		{"no topology", options{Out: "x", Sites: 20, User: "a", Password: "b"}, "no topology"},
		{"no out", options{Topology: "x", Sites: 20, User: "a", Password: "b"}, "no output directory"},
		{"sites", options{Topology: "x", Out: "x", Sites: 1, User: "a", Password: "b"}, "-sites 1"},
		{"missing topology file", options{Topology: "nope.clab.yml", Out: t.TempDir(), Sites: 20, User: "a", Password: "b"}, "nope.clab.yml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), &bytes.Buffer{}, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// BenchmarkLifecycle runs the whole demo: 42 simulated routers started,
// 22 discovered, two services planned, validated, deployed and OAM'd (396
// probes), a link cut and restored (760 more), one service decommissioned.
func BenchmarkLifecycle(b *testing.B) {
	out := b.TempDir()
	for b.Loop() {
		if err := run(context.Background(), io.Discard, options{Topology: "network.clab.yml", Out: out, Sites: 20, User: "admin", Password: "admin@123"}); err != nil {
			b.Fatal(err)
		}
	}
}
