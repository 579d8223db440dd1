package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := t.TempDir()
	var w bytes.Buffer
	if err := run(ctx, &w, "network.clab.yml", out); err != nil {
		t.Fatalf("run: %v\n%s", err, w.String())
	}
	got := w.String()
	for _, want := range []string{
		"deployed vpn-blue on 3 PEs",
		"full-mesh OAM, 6 probes:",
		"6 probes: 6 ok",
		"all ok: true",
		// Only the probes to and from pe3 cross the lossy link.
		"6 probes: 2 ok, 4 degraded",
		"pe1→pe3 [packet-loss]",
		"all ok: false",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(got, "pe1→pe2 [") {
		t.Errorf("pe1→pe2 does not cross the lossy link but has a finding")
	}
	for _, f := range []string{"healthy.svg", "healthy.json", "lossy.svg", "lossy.json"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
