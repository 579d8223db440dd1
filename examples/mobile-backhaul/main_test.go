package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var w bytes.Buffer
	if err := run(ctx, &w, 24); err != nil {
		t.Fatalf("run: %v\n%s", err, w.String())
	}
	got := w.String()
	for _, want := range []string{
		"order mbh: 24 cell-site services",
		"24/24 done, 0 failed",
		"hub1 terminates 24 pseudowires",
		"VC IDs in use: 24",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
	if err := run(ctx, &w, 0); err == nil || !strings.Contains(err.Error(), "-sites 0") {
		t.Errorf("run with 0 sites: %v", err)
	}
}
