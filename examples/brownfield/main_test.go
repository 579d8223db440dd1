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
		"discovered 2 devices",
		"found e-line:5100 (e-line) on pe1, pe2, claimed as brownfield:service:e-line:5100",
		"found l3vpn:65000:100 (l3vpn) on pe1, pe2",
		"marked in pool vcid     1",
		// VLAN 100 is in use on both ports, so the new E-LINE gets 101.
		"new E-LINE vlan.0: pool vlan pe1:xe-0/0/1 value 101",
		"new E-LINE vlan.1: pool vlan pe2:xe-0/0/1 value 101",
		"importing again changes nothing: 2 owners unchanged, 0 values claimed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
