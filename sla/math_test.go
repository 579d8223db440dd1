package sla

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const ms = time.Millisecond
const us = time.Microsecond

func TestTwoWayDelay(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// The responder's clock is 1 h off; it holds the frame 300 µs.
	// t1=0, t4=10.5 ms: round trip 10.5 ms; t3−t2 = 0.3 ms → 10.2 ms.
	far := base.Add(time.Hour)
	got, err := TwoWayDelay(base, far.Add(5*ms), far.Add(5*ms+300*us), base.Add(10500*us))
	if err != nil || got != 10200*us {
		t.Fatalf("TwoWayDelay = %v, %v; want 10.2ms", got, err)
	}
	if _, err := TwoWayDelay(base, far, far.Add(20*ms), base.Add(10*ms)); !errors.Is(err, ErrInvalid) {
		t.Errorf("responder time longer than round trip: err %v, want ErrInvalid", err)
	}
	if d, err := OneWayDelay(base, base.Add(4*ms)); err != nil || d != 4*ms {
		t.Errorf("OneWayDelay = %v, %v", d, err)
	}
	if _, err := OneWayDelay(base.Add(ms), base); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative one-way delay: err %v", err)
	}
}

func TestDelayVariation(t *testing.T) {
	t.Parallel()
	d := []time.Duration{10 * ms, 12 * ms, 11 * ms, 15 * ms, 10 * ms}
	// IFDV: |12−10|=2, |11−12|=1, |15−11|=4, |10−15|=5.
	if diff := cmp.Diff([]time.Duration{2 * ms, 1 * ms, 4 * ms, 5 * ms}, InterFrameDelayVariation(d)); diff != "" {
		t.Errorf("IFDV (-want +got)\n%s", diff)
	}
	// Against the minimum 10: 0 2 1 5 0.
	if diff := cmp.Diff([]time.Duration{0, 2 * ms, 1 * ms, 5 * ms, 0}, DelayRange(d)); diff != "" {
		t.Errorf("range (-want +got)\n%s", diff)
	}
	if InterFrameDelayVariation(d[:1]) != nil || DelayRange(nil) != nil {
		t.Error("short series should give nil")
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	// 1..100 ms shuffled: nearest rank p99 = ⌈0.99·100⌉ = 99th = 99 ms,
	// p50 = 50th = 50 ms, p100 = 100 ms, p0.5 = ⌈0.5⌉ = 1st = 1 ms.
	var d []time.Duration
	for i := range 100 {
		d = append(d, time.Duration((i*37)%100+1)*ms)
	}
	tests := []struct {
		name    string
		in      []time.Duration
		p       float64
		want    time.Duration
		wantErr error
	}{
		{"p99 of 100", d, 99, 99 * ms, nil},
		{"p50 of 100", d, 50, 50 * ms, nil},
		{"p100 is max", d, 100, 100 * ms, nil},
		{"tiny p is min", d, 0.5, 1 * ms, nil},
		// 10 samples 1..10: p99 → ⌈9.9⌉ = 10th; p90 → 9th exactly (no float drift to 10th).
		{"p99 of 10", d[:0:0], 99, 0, ErrNoSamples},
		{"p out of range", d, 0, 0, ErrInvalid},
		{"p above 100", d, 101, 0, ErrInvalid},
		{"p90 of 1..10", []time.Duration{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 90, 9, nil},
		{"single sample", []time.Duration{7}, 99, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Percentile(tt.in, tt.p)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("Percentile(%v) = %v, %v; want %v, %v", tt.p, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestSummarizeDelay(t *testing.T) {
	t.Parallel()
	d := []time.Duration{10 * ms, 12 * ms, 11 * ms, 15 * ms, 10 * ms}
	got, err := SummarizeDelay(d, 80)
	if err != nil {
		t.Fatal(err)
	}
	// sorted 10 10 11 12 15: mean 58/5 = 11.6; p50 = 3rd = 11; p99 = 5th = 15;
	// p80 = 4th = 12; IFDV 2 1 4 5: mean 3, p99 = 5; range p99−min = 5.
	want := DelayStats{Count: 5, Min: 10 * ms, Max: 15 * ms, Mean: 11600 * us, P50: 11 * ms, P99: 15 * ms,
		MeanIFDV: 3 * ms, P99IFDV: 5 * ms, Range: 5 * ms, PercentileVal: 12 * ms}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := SummarizeDelay(nil, 0); !errors.Is(err, ErrNoSamples) {
		t.Errorf("empty: %v", err)
	}
	if _, err := SummarizeDelay(d, -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad p: %v", err)
	}
}

func TestFrameLoss(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		prev     LMCounters
		cur      LMCounters
		want     Loss
		far, nea float64
		wantErr  error
		reason   string
	}{
		{name: "plain",
			prev: LMCounters{TxFCf: 1000, RxFCf: 900, TxFCb: 2000, RxFCl: 1990},
			cur:  LMCounters{TxFCf: 2000, RxFCf: 1895, TxFCb: 3000, RxFCl: 2989},
			// far: (2000−1000) − (1895−900) = 1000 − 995 = 5 of 1000 → 0.5 %;
			// near: (3000−2000) − (2989−1990) = 1000 − 999 = 1 of 1000 → 0.1 %.
			want: Loss{FarEndLost: 5, FarEndSent: 1000, NearEndLost: 1, NearEndSent: 1000}, far: 0.005, nea: 0.001},
		{name: "counter wrap", reason: "TxFCf wraps from 2³²−100 to 900: 1000 frames sent",
			prev: LMCounters{TxFCf: math.MaxUint32 - 99, RxFCf: 10, TxFCb: 5, RxFCl: 5},
			cur:  LMCounters{TxFCf: 900, RxFCf: 1000, TxFCb: 5, RxFCl: 5},
			// far: 1000 − 990 = 10; nothing sent back → near 0 of 0, ratio 0.
			want: Loss{FarEndLost: 10, FarEndSent: 1000}, far: 0.01, nea: 0},
		{name: "more received than sent",
			prev: LMCounters{}, cur: LMCounters{TxFCf: 10, RxFCf: 11}, wantErr: ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := FrameLoss(tt.prev, tt.cur)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if got.FarEndFLR() != tt.far || got.NearEndFLR() != tt.nea {
				t.Errorf("FLR far %v near %v, want %v %v", got.FarEndFLR(), got.NearEndFLR(), tt.far, tt.nea)
			}
		})
	}
}

func TestSyntheticLoss(t *testing.T) {
	t.Parallel()
	// 100 SLMs, 98 answered, 97 answers back: far 2 of 100, near 1 of 98.
	l, err := SyntheticLoss(100, 98, 97)
	if err != nil || l != (Loss{2, 100, 1, 98}) {
		t.Fatalf("SyntheticLoss = %+v, %v", l, err)
	}
	if _, err := SyntheticLoss(10, 11, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("err %v", err)
	}
	if s := l.Add(l); s != (Loss{4, 200, 2, 196}) {
		t.Errorf("Add = %+v", s)
	}
}
