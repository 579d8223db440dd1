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
	if err := run(ctx, &w); err != nil {
		t.Fatalf("run: %v\n%s", err, w.String())
	}
	got := w.String()
	for _, want := range []string{
		"vpls-green: deployed on 3 PEs",
		"vpls-red: rolled-back",
		"pe3 failed in check: commit check refused: [edit interfaces xe-0/0/2 unit 300]",
		"every PE reverted: true",
		"pe1 configuration unchanged: true",
		"pe2 configuration unchanged: true",
		"pe3 configuration unchanged: true",
		"values held by vpls-red: 0; route targets in use before 1, after 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
