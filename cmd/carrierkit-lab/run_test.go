package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"up"}, "up needs exactly one topology file"},
		{[]string{"down", "a", "b"}, "down needs exactly one topology file"},
		{[]string{"up", "-mode", "docker", "../../lab/small.clab.yml"}, `-mode "docker": want sim or mesh`},
		{[]string{"node", "-node", "pe1"}, "node needs -topology, -node and -listen"},
		{[]string{"validate"}, "validate needs topology files"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), c.args, &out, &errOut)
		if err == nil || !isUsage(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want usage error %q", c.args, err, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"validate", "../../lab/small.clab.yml", "../../lab/carrier.clab.yml"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "small.clab.yml: ok") || !strings.Contains(out.String(), "carrier.clab.yml: ok") {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	err := run(context.Background(), []string{"validate", "../../lab/small.clab.yml", "../../lab/testdata/broken.clab.yml"}, &out, &out)
	if err == nil || isUsage(err) || !strings.Contains(err.Error(), "broken.clab.yml") {
		t.Errorf("broken file: %v", err)
	}
}

// TestStatusOfALabNotRunning asks for the status of the carrier lab under
// a name of its own: package lab's tests bring the carrier lab itself up,
// possibly at the same time.
func TestStatusOfALabNotRunning(t *testing.T) {
	b, err := os.ReadFile("../../lab/carrier.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	topo := filepath.Join(t.TempDir(), "status.clab.yml")
	if err := os.WriteFile(topo, regexp.MustCompile(`(?m)^name: carrier$`).ReplaceAll(b, []byte("name: cknotrun")), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"status", topo}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "lab cknotrun: not running") {
		t.Errorf("output:\n%s", out.String())
	}
}
