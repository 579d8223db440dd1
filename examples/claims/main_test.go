package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	path := filepath.Join(t.TempDir(), "claims.db")
	if err := run(context.Background(), &out, path, 500); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"eline-42             vc-id=1000  vlan-a@pe1:ge-0/0/1=101  vlan-z@pe2:ge-0/0/2=101",
		"nothing leaked: true",
		`refused: pool: claim "eline-43": pool "uni-vlan" scope "pe1:ge-0/0/1" value 100: taken by another owner "brownfield:pe1:ge-0/0/1.100"`,
		"l3vpn-blue/paris     rd=192.0.2.1:1  pe-ce=10.255.0.0/31",
		"l3vpn-blue/nice      rd=192.0.2.1:3  pe-ce=10.255.0.4/31",
		"500 claims acknowledged durably",
		"506 claims found; verified",
		"would get VLAN 101 again",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}
