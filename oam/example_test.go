package oam_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/oam"
)

// twoPE is an E-LINE between pe1 and pe2.
func twoPE() design.Service {
	lo1, lo2 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	end := func(dev string, me, peer netip.Addr) design.DeviceIntent {
		return design.DeviceIntent{Device: dev, Loopback: me,
			L2Circuits: []design.L2Circuit{{Neighbor: peer, Interface: "ge-0/0/1.100", VCID: 1100, MTU: 9100}}}
	}
	return design.Service{Name: "cust1", Type: design.TypeELine, Devices: []design.DeviceIntent{end("pe1", lo1, lo2), end("pe2", lo2, lo1)}}
}

func ExamplePlanService() {
	p, err := oam.PlanService(twoPE(), oam.PlanOptions{Count: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pr := range p.Probes {
		fmt.Println(pr.ID(), pr.RPC())
	}
	// Output:
	// pe1→pe2 <request-ping-l2circuit-interface><interface-name>ge-0/0/1.100</interface-name><count>3</count></request-ping-l2circuit-interface>
	// pe2→pe1 <request-ping-l2circuit-interface><interface-name>ge-0/0/1.100</interface-name><count>3</count></request-ping-l2circuit-interface>
}

// canned answers every ping with the same lsping-results.
type canned string

func (c canned) Get(context.Context, device.Query) ([]byte, error) { return []byte(c), nil }

func ExampleRun() {
	p, _ := oam.PlanService(twoPE(), oam.PlanOptions{})
	up := canned(`<lsping-results><lsping-results-summary><lsping-packets-transmitted>5</lsping-packets-transmitted>` +
		`<lsping-packets-received>5</lsping-packets-received><lsping-packet-loss>0</lsping-packet-loss>` +
		`<lsping-packet-time-average>4.1</lsping-packet-time-average></lsping-results-summary><lsping-success/></lsping-results>`)
	down := canned(`<lsping-results><lsping-results-summary><lsping-packets-transmitted>5</lsping-packets-transmitted>` +
		`<lsping-packets-received>0</lsping-packets-received><lsping-packet-loss>100</lsping-packet-loss></lsping-results-summary><lsping-failure/></lsping-results>`)
	conn := oam.Sessions(map[string]oam.Session{"pe1": up, "pe2": down})
	res, err := oam.Run(context.Background(), conn, p, oam.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	oam.NewReport(p, res, oam.Explain(p, res, nil)).WriteTable(os.Stdout)
	// Output:
	// FROM  TO   STATUS  LOSS  AVG RTT  ATTEMPTS  CAUSE
	// pe1   pe2  ok      0%    4.1ms    1         -
	// pe2   pe1  failed  100%  -        1         one-way
	//
	// Findings:
	//   pe2→pe1 [one-way] one-way (pe1→pe2 works): pe2→pe1: 0 of 5 replies (no device state read)
	//
	// 2 probes: 1 ok, 1 failed
}

func ExampleExplain() {
	p, _ := oam.PlanService(twoPE(), oam.PlanOptions{})
	stmt := "protocols l2circuit neighbor 192.0.2.1 interface ge-0/0/1.100"
	facts := map[string]*oam.Facts{
		"pe1": {Device: "pe1", Transport: []netip.Prefix{netip.MustParsePrefix("192.0.2.2/32")},
			Circuits: []oam.Circuit{{Neighbor: netip.MustParseAddr("192.0.2.2"), Interface: "ge-0/0/1.100", VCID: 1100, Status: "MM"}},
			Config:   []string{"set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/1.100 mtu 9100"}},
		"pe2": {Device: "pe2", Transport: []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32")},
			Circuits: []oam.Circuit{{Neighbor: netip.MustParseAddr("192.0.2.1"), Interface: "ge-0/0/1.100", VCID: 1100, Status: "MM"}},
			Config:   []string{"set " + stmt + " mtu 1500"}},
	}
	lost := []oam.Attempt{{Ping: oam.Ping{Sent: 5, Loss: 100}}}
	res := []oam.Result{{Probe: p.Probes[0], Status: oam.StatusFailed, Attempts: lost}, {Probe: p.Probes[1], Status: oam.StatusFailed, Attempts: lost}}
	for _, f := range oam.Explain(p, res, facts) {
		fmt.Printf("%s: %s (%s) on %s\n  %s\n", f.Probe, f.Cause, f.Code, f.Device, f.Message)
	}
	// Output:
	// pe1→pe2: mtu-mismatch (MM) on pe2
	//   pe2: protocols l2circuit neighbor 192.0.2.1 interface ge-0/0/1.100 mtu 1500 differs from pe1's 9100
	// pe2→pe1: mtu-mismatch (MM) on pe2
	//   pe2: protocols l2circuit neighbor 192.0.2.1 interface ge-0/0/1.100 mtu 1500 differs from pe1's 9100
}
