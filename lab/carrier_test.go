package lab

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
)

// The carrier lab comes up in mesh mode: every one of its eight nodes (ACX,
// MX, PTX, SRX, NFX) answers NETCONF on its management address and reports
// every cabled port up, learnt over the veths alone.
func TestUpCarrierMesh(t *testing.T) {
	needRoot(t)
	_, labBin := binaries(t)
	p, err := NewPlan("carrier.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	upLab(t, p, Options{Command: NodeCommand(labBin)})
	deadline := time.Now().Add(15 * time.Second)
	for _, n := range p.Nodes {
		s := dial(t, &n)
		for _, l := range p.Topology.Links {
			for _, e := range l.Endpoints {
				if e.Node != n.Name {
					continue
				}
				q := device.Query{RPC: "<get-interface-information><interface-name>" + e.SimInterface + "</interface-name></get-interface-information>"}
				for {
					rep, err := s.Get(context.Background(), q)
					if err != nil {
						t.Fatalf("%s: %v", n.Name, err)
					}
					if strings.Contains(string(rep), "<oper-status>up</oper-status>") {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s %s (%s) not up:\n%s", n.Name, e.SimInterface, e.Interface, rep)
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}
	}
}
