package sla

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseReplies(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	db, err := ParseMEPDatabase(read("mep-database.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]RemoteMEP{{Domain: "MD-L5", MA: "EVC-1", Level: 5, Local: 1, Remote: 2, State: "ok", Interface: "xe-0/0/0.0"},
		{Domain: "MD-L5", MA: "EVC-1", Level: 5, Local: 1, Remote: 3, State: "failed", Interface: "xe-0/0/0.0"}}, db); diff != "" {
		t.Errorf("mep db (-want +got)\n%s", diff)
	}
	dm, err := ParseDelayStatistics(read("delay-statistics.xml"))
	if err != nil || len(dm) != 1 {
		t.Fatal(err, dm)
	}
	if diff := cmp.Diff([]time.Duration{10040 * us, 10360 * us}, dm[0].TwoWay); diff != "" || dm[0].AvgTwoWay != 10200*us || dm[0].WorstOneWay != 5180*us || !dm[0].OK() {
		t.Errorf("delay %+v %s", dm[0], diff)
	}
	lm, err := ParseLossStatistics(read("loss-statistics.xml"))
	if err != nil || len(lm) != 1 {
		t.Fatal(err, lm)
	}
	// intervals: near 3 far 5 of 1000, near 0 far 1 of 1000.
	if tot := lm[0].Total(); tot != (Loss{FarEndLost: 6, FarEndSent: 2000, NearEndLost: 3, NearEndSent: 2000}) {
		t.Errorf("loss total %+v", tot)
	}
	it, err := ParseIteratorStatistics(read("iterator-statistics.xml"))
	if err != nil || len(it) != 1 {
		t.Fatal(err, it)
	}
	if g := it[0]; g.Profile != "DM" || g.CycleTime != time.Second || g.IterationPeriod != 60 || g.Current != 30 || g.Measurements != 30 || g.AvgTwoWay != 40500*us || g.Remote != 2 {
		t.Errorf("iterator %+v", g)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func([]byte) error
		in   string
	}{
		{"not xml", func(b []byte) error { _, err := ParseMEPDatabase(b); return err }, "<cfm-mep-database"},
		{"wrong root", func(b []byte) error { _, err := ParseDelayStatistics(b); return err }, "<cfm-loss-statistics/>"},
		{"bad number", func(b []byte) error { _, err := ParseDelayStatistics(b); return err },
			"<cfm-delay-statistics><cfm-entry><cfm-local-mep-identifier>1</cfm-local-mep-identifier><cfm-remote-mep-identifier>2</cfm-remote-mep-identifier><cfm-ethdm-delay-entry><cfm-ethdm-twoway-delay>-5</cfm-ethdm-twoway-delay></cfm-ethdm-delay-entry></cfm-entry></cfm-delay-statistics>"},
		{"bad MEP ID", func(b []byte) error { _, err := ParseLossStatistics(b); return err },
			"<cfm-loss-statistics><cfm-entry><cfm-local-mep-identifier>9999</cfm-local-mep-identifier></cfm-entry></cfm-loss-statistics>"},
		{"loss above sent", func(b []byte) error { _, err := ParseLossStatistics(b); return err },
			"<cfm-loss-statistics><cfm-entry><cfm-local-mep-identifier>1</cfm-local-mep-identifier><cfm-remote-mep-identifier>2</cfm-remote-mep-identifier><cfm-ethlm-cir-loss-entry><cfm-ethlm-near-end-cir-frame-loss>11</cfm-ethlm-near-end-cir-frame-loss><cfm-ethlm-near-end-total-cir-tx>10</cfm-ethlm-near-end-total-cir-tx></cfm-ethlm-cir-loss-entry></cfm-entry></cfm-loss-statistics>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.f([]byte(tt.in)); !errors.Is(err, ErrBadReply) {
				t.Errorf("err %v, want ErrBadReply", err)
			}
		})
	}
}
