package lab

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/sim"
)

func loadSchema(t *testing.T) *Schema {
	t.Helper()
	p, err := SchemaPath(context.Background())
	if err != nil {
		t.Fatalf("containerlab schema: %v", err)
	}
	s, err := LoadSchema(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func topologyFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.clab.yml")
	if err != nil || len(files) < 4 {
		t.Fatalf("topologies in lab/: %v %v", files, err)
	}
	return files
}

// Every topology shipped in lab/ is valid containerlab input and a valid
// simulator topology.
func TestTopologiesMatchContainerlabSchema(t *testing.T) {
	s := loadSchema(t)
	for _, f := range topologyFiles(t) {
		t.Run(f, func(t *testing.T) {
			if err := s.ValidateFile(f); err != nil {
				t.Fatal(err)
			}
			topo, err := sim.LoadTopology(f)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(f, ".clab.yml"); topo.Name != want {
				t.Errorf("lab name %q, want the file's name %q", topo.Name, want)
			}
			if len(topo.SimNodes()) == 0 {
				t.Error("no simulated node")
			}
		})
	}
}

// The topologies contain what issue 9 asks for: the small lab is 2 PE + 1 P,
// the carrier lab has every family, and the Juniper-kind variants use
// containerlab's real kinds.
func TestTopologyContents(t *testing.T) {
	platforms := func(f string) map[string]int {
		topo, err := sim.LoadTopology(f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, n := range topo.Nodes {
			m[n.Kind]++
			if n.Sim != nil {
				p, _ := sim.LookupPlatform(n.Sim.Platform)
				m[p.Series]++
			}
		}
		return m
	}
	small := platforms("small.clab.yml")
	if small["linux"] != 5 || small["MX"]+small["ACX"] != 2 || small["PTX"] != 1 || small["SRX"] != 2 {
		t.Errorf("small: %v", small)
	}
	carrier := platforms("carrier.clab.yml")
	for _, s := range []string{"ACX", "MX", "PTX", "SRX", "NFX"} {
		if carrier[s] == 0 {
			t.Errorf("carrier lab has no %s: %v", s, carrier)
		}
	}
	kinds := map[string]int{}
	for f, m := range map[string]map[string]int{"a": platforms("small-vjunos.clab.yml"), "b": platforms("carrier-juniper.clab.yml")} {
		_ = f
		for k, n := range m {
			kinds[k] += n
		}
	}
	for _, k := range []string{"juniper_vjunosrouter", "juniper_vjunosevolved", "juniper_vsrx", "juniper_crpd"} {
		if kinds[k] == 0 {
			t.Errorf("no variant uses kind %s", k)
		}
	}
}

// A broken topology is rejected, and the error says where.
func TestBrokenTopologyRejected(t *testing.T) {
	s := loadSchema(t)
	err := s.ValidateFile(filepath.Join("testdata", "broken.clab.yml"))
	if err == nil {
		t.Fatal("broken topology accepted")
	}
	for _, want := range []string{"broken.clab.yml", "/topology/nodes/pe1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	// A single wrong field, in otherwise good text, is enough.
	good := "name: x\ntopology:\n  nodes:\n    a: {kind: linux}\n"
	if err := s.Validate("good", []byte(good)); err != nil {
		t.Fatalf("good text rejected: %v", err)
	}
	if err := s.Validate("typo", []byte(strings.Replace(good, "kind:", "knid:", 1))); err == nil {
		t.Error("misspelt field accepted")
	}
}
