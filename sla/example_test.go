package sla_test

import (
	"fmt"
	"os"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sla"
)

// With n = 3, three high-loss intervals start an outage; inside it one
// good interval does not end it, three consecutive good ones do, from the
// first of them.
func ExampleAvailability() {
	flr := []float64{0, 0, 0.6, 0.7, 0.9, 0, 0.6, 0.6, 0, 0, 0}
	states, ratio, _ := sla.Availability(flr, 3, 0.5)
	for _, s := range states {
		fmt.Print(s.String()[:1])
	}
	fmt.Printf("\navailability %.4f\n", ratio)
	// Output:
	// aauuuuuuaaa
	// availability 0.4545
}

func ExampleFrameLoss() {
	prev := sla.LMCounters{TxFCf: 1000, RxFCf: 900, TxFCb: 2000, RxFCl: 1990}
	cur := sla.LMCounters{TxFCf: 2000, RxFCf: 1895, TxFCb: 3000, RxFCl: 2989}
	l, _ := sla.FrameLoss(prev, cur)
	fmt.Printf("far-end %d/%d (%.1f%%), near-end %d/%d (%.1f%%)\n",
		l.FarEndLost, l.FarEndSent, 100*l.FarEndFLR(), l.NearEndLost, l.NearEndSent, 100*l.NearEndFLR())
	// Output:
	// far-end 5/1000 (0.5%), near-end 1/1000 (0.1%)
}

// Design CFM for an E-LINE and render one PE's configuration.
func ExampleDesign() {
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	svc := design.Service{Name: "EVC-42", Type: design.TypeELine, Devices: []design.DeviceIntent{
		{Device: "pe1", Platform: mx, Attachments: []design.Attachment{{Interface: "ge-0/0/1", Unit: 42, VLAN: 42, Encapsulation: design.UnitVLANCCC}}},
		{Device: "pe2", Platform: mx, Attachments: []design.Attachment{{Interface: "ge-0/0/2", Unit: 42, VLAN: 42, Encapsulation: design.UnitVLANCCC}}},
	}}
	plan, err := sla.Design(svc, sla.CFMSpec{CCInterval: sla.CC100ms,
		Profiles: []sla.IteratorProfile{{Name: "DM", Type: sla.MeasureTwoWayDelay, IterationPeriod: 60}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := sla.RenderDevice(plan, "pe2", render.FormatText)
	os.Stdout.Write(a.Body)
	// Output:
	// protocols {
	//     oam {
	//         ethernet {
	//             connectivity-fault-management {
	//                 performance-monitoring {
	//                     sla-iterator-profiles DM {
	//                         measurement-type two-way-delay;
	//                         cycle-time 1000;
	//                         iteration-period 60;
	//                     }
	//                 }
	//                 maintenance-domain MD-L5 {
	//                     level 5;
	//                     maintenance-association EVC-42 {
	//                         continuity-check {
	//                             interval 100ms;
	//                         }
	//                         mep 2 {
	//                             interface ge-0/0/2.42;
	//                             direction up;
	//                             remote-mep 1 {
	//                                 sla-iterator-profile DM;
	//                             }
	//                         }
	//                     }
	//                 }
	//             }
	//         }
	//     }
	// }
}

// A month of one-minute intervals against a business-class objective.
func ExampleCompliance() {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	obj := sla.Objective{Class: "business", MaxDelay: 10 * time.Millisecond, MaxFLR: 0.001, MinAvailability: 0.9999}
	var samples []sla.Sample
	for i := range 30 * 24 * 60 {
		s := sla.Sample{At: start.Add(time.Duration(i) * time.Minute), Key: "EVC-42", Up: true,
			Delays: []time.Duration{8 * time.Millisecond, 9 * time.Millisecond}, Loss: sla.Loss{FarEndSent: 600, NearEndSent: 600}}
		if i >= 1000 && i < 1012 { // a 12-minute outage
			s.Up, s.Delays, s.Loss = false, nil, sla.Loss{}
		}
		samples = append(samples, s)
	}
	r, _ := sla.Compliance(obj, "EVC-42", samples, start, start.AddDate(0, 1, 0))
	fmt.Println(r)
	// Output:
	// EVC-42 business: NOT compliant (delay-p99 9ms ≤ 10ms, flr 0% ≤ 0.1%, availability 99.9722% ≥ 99.99% FAILED)
}
