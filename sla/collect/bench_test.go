package collect_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sla"
	"github.com/carrierkit/carrierkit/sla/collect"
)

const (
	benchDevices = 100
	benchPerDev  = 100 // MEPs per device: 10,000 in all
	benchDelays  = 10
	benchHistory = 1440 // a day of one-minute intervals, for the naive baseline
)

// benchPlan is 100 devices with 100 MEPs each in one MA per device, each
// MEP with one remote MEP.
func benchPlan() sla.Plan {
	p := sla.Plan{Service: "BENCH", CCInterval: sla.CC1s}
	for d := range benchDevices {
		for m := range benchPerDev {
			p.MEPs = append(p.MEPs, sla.MEP{Device: fmt.Sprintf("pe%03d", d), Domain: "MD-L5", Level: 5, MA: "MA", ID: sla.MEPID(m + 1),
				Interface: "ge-0/0/0." + strconv.Itoa(m+1), Up: true, Remote: []sla.MEPID{sla.MEPID(m + 1001)}})
		}
	}
	return p
}

// benchReplies builds one device's delay and loss replies for MEPs lo..hi.
func benchReplies(lo, hi int) fixed {
	var dm, lm strings.Builder
	dm.WriteString("<cfm-delay-statistics>")
	lm.WriteString("<cfm-loss-statistics>")
	for m := lo; m <= hi; m++ {
		var body strings.Builder
		for i := range benchDelays {
			fmt.Fprintf(&body, "<cfm-ethdm-delay-entry><cfm-ethdm-delay-entry-index>%d</cfm-ethdm-delay-entry-index><cfm-ethdm-oneway-delay>%d</cfm-ethdm-oneway-delay><cfm-ethdm-twoway-delay>%d</cfm-ethdm-twoway-delay></cfm-ethdm-delay-entry>", i+1, 5000+i*7, 10000+(m*31+i*17)%900)
		}
		e := func(b string) string {
			return "<cfm-entry><cfm-maintenance-domain-name>MD-L5</cfm-maintenance-domain-name><cfm-maintenance-association-name>MA</cfm-maintenance-association-name><cfm-level>5</cfm-level>" +
				"<cfm-local-mep-identifier>" + strconv.Itoa(m) + "</cfm-local-mep-identifier><cfm-remote-mep-identifier>" + strconv.Itoa(m+1000) + "</cfm-remote-mep-identifier><cfm-remote-mep-state>ok</cfm-remote-mep-state>" + b + "</cfm-entry>"
		}
		dm.WriteString(e(body.String()))
		var l strings.Builder
		for i := range benchDelays {
			fmt.Fprintf(&l, "<cfm-ethlm-cir-loss-entry><cfm-ethlm-cir-loss-entry-index>%d</cfm-ethlm-cir-loss-entry-index><cfm-ethlm-near-end-cir-frame-loss>%d</cfm-ethlm-near-end-cir-frame-loss><cfm-ethlm-far-end-cir-frame-loss>%d</cfm-ethlm-far-end-cir-frame-loss><cfm-ethlm-near-end-total-cir-tx>1000</cfm-ethlm-near-end-total-cir-tx></cfm-ethlm-cir-loss-entry>", i+1, (m+i)%3, (m*i)%4)
		}
		lm.WriteString(e(l.String()))
	}
	dm.WriteString("</cfm-delay-statistics>")
	lm.WriteString("</cfm-loss-statistics>")
	return fixed{"get-cfm-delay-statistics": dm.String(), "get-cfm-loss-statistics": lm.String()}
}

// BenchmarkCycle10kMEPs is one collection cycle over 10,000 MEP pairs on
// 100 in-memory devices: 2 RPCs per device, XML parsing, samples, objective
// monitor and availability windows.
func BenchmarkCycle10kMEPs(b *testing.B) {
	p := benchPlan()
	sessions := map[string]collect.Getter{}
	rep := benchReplies(1, benchPerDev)
	for _, d := range p.Devices() {
		sessions[d] = rep
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c, err := collect.New(p, sessions, collect.WithNow(func() time.Time { at = at.Add(time.Minute); return at }),
		collect.WithObjective(sla.Objective{Class: "b", MaxDelay: 10 * time.Millisecond, MaxFLR: 0.001, MinAvailability: 0.9999}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s, _, err := c.Collect(context.Background())
		if err != nil || len(s) != benchDevices*benchPerDev {
			b.Fatal(err, len(s))
		}
	}
}

// naiveDM and naiveLM are what a first attempt decodes replies into with
// encoding/xml.
type naiveDM struct {
	Entries []struct {
		Local  int `xml:"cfm-local-mep-identifier"`
		Remote int `xml:"cfm-remote-mep-identifier"`
		Delays []struct {
			TwoWay int64 `xml:"cfm-ethdm-twoway-delay"`
		} `xml:"cfm-ethdm-delay-entry"`
	} `xml:"cfm-entry"`
}

type naiveLM struct {
	Entries []struct {
		Intervals []struct {
			Near uint64 `xml:"cfm-ethlm-near-end-cir-frame-loss"`
			Far  uint64 `xml:"cfm-ethlm-far-end-cir-frame-loss"`
			Tx   uint64 `xml:"cfm-ethlm-near-end-total-cir-tx"`
		} `xml:"cfm-ethlm-cir-loss-entry"`
	} `xml:"cfm-entry"`
}

// BenchmarkCycle10kMEPsNaive is the baseline: one delay and one loss RPC
// per MEP pair, sequentially, decoded with encoding/xml, a sort per
// percentile, and availability recomputed from a day of stored history
// every cycle instead of a streaming window.
func BenchmarkCycle10kMEPsNaive(b *testing.B) {
	p := benchPlan()
	per := make([]fixed, benchPerDev+1)
	for m := 1; m <= benchPerDev; m++ {
		per[m] = benchReplies(m, m)
	}
	history := map[string][]float64{}
	for _, m := range p.MEPs {
		history[m.Key(m.Remote[0])] = make([]float64, benchHistory-1, benchHistory)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, m := range p.MEPs {
			g := per[m.ID]
			db, _ := g.Get(ctx, device.RPCQuery("<get-cfm-delay-statistics><local-mep>"+m.ID.String()+"</local-mep></get-cfm-delay-statistics>"))
			var dm naiveDM
			if err := xml.Unmarshal(db, &dm); err != nil || len(dm.Entries) != 1 {
				b.Fatal(err)
			}
			delays := make([]time.Duration, 0, len(dm.Entries[0].Delays))
			for _, d := range dm.Entries[0].Delays {
				delays = append(delays, time.Duration(d.TwoWay)*time.Microsecond)
			}
			lb, _ := g.Get(ctx, device.RPCQuery("<get-cfm-loss-statistics><local-mep>"+m.ID.String()+"</local-mep></get-cfm-loss-statistics>"))
			var lm naiveLM
			if err := xml.Unmarshal(lb, &lm); err != nil || len(lm.Entries) != 1 {
				b.Fatal(err)
			}
			var loss sla.Loss
			for _, l := range lm.Entries[0].Intervals {
				loss = loss.Add(sla.Loss{FarEndLost: l.Far, FarEndSent: l.Tx, NearEndLost: l.Near, NearEndSent: l.Tx})
			}
			sla.Percentile(delays, 50)
			sla.Percentile(delays, 99)
			k := m.Key(m.Remote[0])
			h := append(history[k][1:], loss.FarEndFLR())
			history[k] = h
			sla.Availability(h, 10, 0.5)
			n++
		}
		if n != benchDevices*benchPerDev {
			b.Fatal(n)
		}
	}
}

// BenchmarkSummarizeDelay is the per-pair statistics of one interval.
func BenchmarkSummarizeDelay(b *testing.B) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(10000+(i*37)%900) * time.Microsecond
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sla.SummarizeDelay(d, 99); err != nil {
			b.Fatal(err)
		}
	}
}
