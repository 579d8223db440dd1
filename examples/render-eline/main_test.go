package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var w bytes.Buffer
	if err := run(context.Background(), &w); err != nil {
		t.Fatal(err)
	}
	got := w.String()
	for _, want := range []string{
		"claimed vcid   pool vcid scope              value 1000",
		"# mx1 (juniper, set)",
		"set protocols l2circuit neighbor 192.0.2.20 interface xe-0/0/1.100 virtual-circuit-id 1000",
		"# sr1 (nokia, md-cli)",
		`/configure service epipe "eline-7" service-id 1000`,
		"/configure service sdp 514 far-end ip-address 192.0.2.1",
		`sap 1/1/c2/1:100`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
