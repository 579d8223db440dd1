package collect_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

// fixed answers every RPC from a table of canned replies keyed by the
// RPC's name: an in-memory device for examples.
type fixed map[string]string

func (f fixed) Get(_ context.Context, q device.Query) ([]byte, error) {
	name := strings.Trim(strings.SplitN(q.RPC, ">", 2)[0], "</")
	return []byte(f[name]), nil
}

func entry(local, remote, state, body string) string {
	return "<cfm-entry><cfm-maintenance-domain-name>MD-L5</cfm-maintenance-domain-name><cfm-maintenance-association-name>EVC-7</cfm-maintenance-association-name>" +
		"<cfm-local-mep-identifier>" + local + "</cfm-local-mep-identifier><cfm-remote-mep-identifier>" + remote + "</cfm-remote-mep-identifier>" +
		"<cfm-remote-mep-state>" + state + "</cfm-remote-mep-state>" + body + "</cfm-entry>"
}

func dev(local, remote string, delaysUsec ...int) fixed {
	var dm strings.Builder
	for _, d := range delaysUsec {
		fmt.Fprintf(&dm, "<cfm-ethdm-delay-entry><cfm-ethdm-twoway-delay>%d</cfm-ethdm-twoway-delay></cfm-ethdm-delay-entry>", d)
	}
	lm := "<cfm-ethlm-cir-loss-entry><cfm-ethlm-near-end-cir-frame-loss>0</cfm-ethlm-near-end-cir-frame-loss><cfm-ethlm-far-end-cir-frame-loss>3</cfm-ethlm-far-end-cir-frame-loss><cfm-ethlm-near-end-total-cir-tx>1000</cfm-ethlm-near-end-total-cir-tx></cfm-ethlm-cir-loss-entry>"
	return fixed{
		"get-cfm-delay-statistics": "<cfm-delay-statistics>" + entry(local, remote, "ok", dm.String()) + "</cfm-delay-statistics>",
		"get-cfm-loss-statistics":  "<cfm-loss-statistics>" + entry(local, remote, "ok", lm) + "</cfm-loss-statistics>",
	}
}

// One collection cycle over two PEs; pe2's direction is slow, which
// breaches the 20 ms objective and runs the alert callback.
func ExampleCollector_Collect() {
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	at := design.Attachment{Interface: "ge-0/0/1", Unit: 7, VLAN: 7, Encapsulation: design.UnitVLANCCC}
	svc := design.Service{Name: "EVC-7", Type: design.TypeELine, Devices: []design.DeviceIntent{
		{Device: "pe1", Platform: mx, Attachments: []design.Attachment{at}},
		{Device: "pe2", Platform: mx, Attachments: []design.Attachment{at}},
	}}
	plan, _ := sla.Design(svc, sla.CFMSpec{})
	sessions := map[string]collect.Getter{"pe1": dev("1", "2", 10000, 10400, 10200), "pe2": dev("2", "1", 10000, 25000, 10100)}
	now := func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	c, err := collect.New(plan, sessions, collect.WithNow(now),
		collect.WithObjective(sla.Objective{Class: "business", MaxDelay: 20 * time.Millisecond, MaxFLR: 0.01}),
		collect.WithAlert(func(a sla.Alert) { fmt.Println("ALERT", a) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	samples, _, err := c.Collect(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range samples {
		st, _ := sla.SummarizeDelay(s.Delays, 99)
		fmt.Printf("%s up=%v mean=%v p99=%v far-FLR=%.1f%%\n", s.Key, s.Up, st.Mean, st.P99, 100*s.Loss.FarEndFLR())
	}
	// Output:
	// ALERT 2026-12-01T09:00:00Z pe2/MD-L5/EVC-7/2/1 objective-breached: delay-p99 25ms > 20ms
	// pe1/MD-L5/EVC-7/1/2 up=true mean=10.2ms p99=10.4ms far-FLR=0.3%
	// pe2/MD-L5/EVC-7/2/1 up=true mean=15.033333ms p99=25ms far-FLR=0.3%
}
