package sla

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// period builds one sample per minute from a pattern: '.' good (10 ms and
// 12 ms delays, 0 of 1000 lost), 'l' light loss (2 of 1000), 'x' high loss
// (600 of 1000), 'd' down, 's' slow (30 ms delays).
func period(key, pat string) []Sample {
	var out []Sample
	for i, c := range pat {
		s := Sample{At: t0.Add(time.Duration(i) * time.Minute), Key: key, Up: true,
			Delays: []time.Duration{10 * ms, 12 * ms}, Loss: Loss{FarEndSent: 1000, NearEndSent: 1000}}
		switch c {
		case 'l':
			s.Loss.FarEndLost = 2
		case 'x':
			s.Loss.FarEndLost = 600
		case 'd':
			s.Up, s.Delays, s.Loss = false, nil, Loss{}
		case 's':
			s.Delays = []time.Duration{30 * ms, 30 * ms}
		}
		out = append(out, s)
	}
	return out
}

func TestCompliance(t *testing.T) {
	t.Parallel()
	obj := Objective{Class: "business", MaxDelay: 20 * ms, MaxIFDV: 5 * ms, MaxFLR: 0.001, MinAvailability: 0.9, AvailabilityN: 3}
	tests := []struct {
		name      string
		pat       string
		flr, avl  float64
		compliant bool
		reason    string
	}{
		{name: "clean", pat: "..........", flr: 0, avl: 1, compliant: true},
		{name: "light loss breaks FLR", pat: ".....l....", flr: 0.0002, avl: 1, compliant: true,
			reason: "2 lost of 10 000 sent = 0.02 %, under 0.1 %"},
		{name: "loss in outage not counted in FLR", pat: "...xxx....", flr: 0, avl: 0.7, compliant: false,
			reason: "xxx is a window of 3: 3 of 10 unavailable → 70 %; FLR counts only the 7 available intervals (no loss)"},
		{name: "short burst counts in FLR", pat: "...xx.....", flr: 0.12, avl: 1, compliant: false,
			reason: "2×600 lost of 10 000 = 12 %: available, so the loss counts"},
		{name: "down intervals", pat: "dddd......", flr: 0, avl: 0.6, compliant: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Compliance(obj, "k", period("k", tt.pat), t0, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if r.FLR != tt.flr || r.Availability != tt.avl || r.Compliant != tt.compliant {
				t.Errorf("%s: flr %v avail %v compliant %v; want %v %v %v\n%s", tt.reason, r.FLR, r.Availability, r.Compliant, tt.flr, tt.avl, tt.compliant, r)
			}
		})
	}
	// Slow intervals: p99 of {10,12 ×8, 30 ×2 ×…}: 20 delays, nearest rank
	// ⌈19.8⌉ = 20th = 30 ms > 20 ms. IFDV of the pooled delays: 2 ms
	// within and between good intervals, 12→30 = 18 ms, 30→10 = 20 ms; 19
	// variations, p99 = ⌈18.81⌉ = 19th = the largest, 20 ms > 5 ms.
	r, err := Compliance(obj, "k", period("k", "....ss...."), t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []Check{
		{Name: "delay-p99", Target: "≤ 20ms", Measured: "30ms", Met: false},
		{Name: "ifdv-p99", Target: "≤ 5ms", Measured: "20ms", Met: false},
		{Name: "flr", Target: "≤ 0.1%", Measured: "0%", Met: true},
		{Name: "availability", Target: "≥ 90%", Measured: "100%", Met: true},
	}
	if diff := cmp.Diff(want, r.Checks); diff != "" {
		t.Errorf("checks (-want +got)\n%s", diff)
	}
	if !strings.Contains(r.String(), "NOT compliant (delay-p99 30ms ≤ 20ms FAILED") {
		t.Errorf("String = %s", r)
	}
	if _, err := Compliance(obj, "other", period("k", "..."), t0, t0.Add(time.Hour)); !errors.Is(err, ErrNoSamples) {
		t.Errorf("no samples: %v", err)
	}
	if _, err := Compliance(obj, "k", nil, t0, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty period: %v", err)
	}
	if _, err := Compliance(Objective{Class: "x", MaxFLR: 2}, "k", nil, t0, t0.Add(1)); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad objective: %v", err)
	}
}

func TestMonitor(t *testing.T) {
	t.Parallel()
	m, err := NewMonitor(Objective{Class: "rt", MaxDelay: 20 * ms, MaxFLR: 0.001, MinAvailability: 0.99, AvailabilityN: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range period("k", "..s..dd..l.") {
		for _, a := range m.Observe(s) {
			got = append(got, a.At.Sub(t0).String()+" "+a.Kind.String()+": "+a.Detail)
		}
	}
	// s at 2m breaches delay, cleared at 3m; dd at 5m–6m: connectivity lost
	// at 5m, and at 6m the window of 2 turns unavailable; back up at 7m but
	// still unavailable until two good intervals (7m, 8m) decide it: the
	// window flips on the second, so objectives clear at 8m. l at 9m: 0.2 %.
	want := []string{
		"2m0s objective-breached: delay-p99 30ms > 20ms",
		"3m0s objective-cleared: all objectives met",
		"5m0s connectivity-lost: remote MEP failed",
		"6m0s objective-breached: unavailable",
		"7m0s connectivity-restored: remote MEP ok",
		"8m0s objective-cleared: all objectives met",
		"9m0s objective-breached: flr 0.2% > 0.1%",
		"10m0s objective-cleared: all objectives met",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts (-want +got)\n%s", diff)
	}
}

func TestSeriesExport(t *testing.T) {
	t.Parallel()
	s, err := SeriesOf("k", period("k", ".xxd"), 2, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	var j bytes.Buffer
	if err := s.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Key    string
		Points []map[string]any
	}
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back.Key != "k" || len(back.Points) != 4 {
		t.Fatalf("JSON %v: %s", err, j.String())
	}
	// Mean of 10 and 12 ms = 11 ms; the xx pair is a window of 2: unavailable.
	if p := back.Points[0]; p["delayMeanMs"] != 11.0 || p["available"] != true || p["at"] != "2026-12-01T00:00:00Z" {
		t.Errorf("point 0 %v", p)
	}
	if back.Points[1]["available"] != false || back.Points[1]["farFlr"] != 0.6 {
		t.Errorf("point 1 %v", back.Points[1])
	}
	var c bytes.Buffer
	if err := s.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("CSV %v %v", err, rows)
	}
	if diff := cmp.Diff([]string{"k", "2026-12-01T00:03:00Z", "false", "false", "0", "0", "0", "0", "0", "0"}, rows[4]); diff != "" {
		t.Errorf("down row (-want +got)\n%s", diff)
	}
	svg := s.SVG(20 * ms)
	if err := xml.Unmarshal(svg, new(struct{ XMLName xml.Name })); err != nil {
		t.Fatalf("SVG is not XML: %v", err)
	}
	// three shaded intervals (xx unavailable, d down), two delay lines, two loss bars + the down one.
	if n := bytes.Count(svg, []byte(`fill="#f8d0d0"`)); n != 3 {
		t.Errorf("%d shaded intervals, want 3", n)
	}
	if n := bytes.Count(svg, []byte(`fill="#555"`)); n != 3 {
		t.Errorf("%d loss bars, want 3", n)
	}
	if !bytes.Equal(svg, s.SVG(20*ms)) {
		t.Error("SVG not deterministic")
	}
	golden(t, "series.svg", svg)
	if empty := (Series{Key: "none"}).SVG(0); !bytes.Contains(empty, []byte("no data")) {
		t.Errorf("empty series SVG %s", empty)
	}
}
