package sla

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Sentinels. Functions name the ones they return.
var (
	// ErrNoSamples: a statistic was asked of an empty series.
	ErrNoSamples = errors.New("sla: no samples")
	// ErrInvalid: an argument or spec is out of range; the message names it.
	ErrInvalid = errors.New("sla: invalid input")
	// ErrBadReply: a device reply could not be read; the message quotes it.
	ErrBadReply = errors.New("sla: unreadable device reply")
)

// TwoWayDelay is the Y.1731 §8.2 two-way frame delay of one DMM/DMR
// exchange: (t4 − t1) − (t3 − t2), where t1 is when the DMM left the
// initiator, t2 when the responder received it, t3 when the DMR left the
// responder and t4 when the initiator received it. The responder's
// processing time (t3 − t2) is taken out, and the clocks need not agree.
// A negative result (t3 − t2 larger than the round trip: bad timestamps)
// returns an error wrapping [ErrInvalid].
func TwoWayDelay(t1, t2, t3, t4 time.Time) (time.Duration, error) {
	d := t4.Sub(t1) - t3.Sub(t2)
	if d < 0 || t4.Before(t1) || t3.Before(t2) {
		return 0, fmt.Errorf("sla: two-way delay: timestamps t1=%s t2=%s t3=%s t4=%s give %v: %w",
			t1.Format(time.RFC3339Nano), t2.Format(time.RFC3339Nano), t3.Format(time.RFC3339Nano), t4.Format(time.RFC3339Nano), d, ErrInvalid)
	}
	return d, nil
}

// OneWayDelay is the Y.1731 §8.2 one-way frame delay of a 1DM (or the
// forward half of a DMM): rx − tx. It is only meaningful when the two
// clocks are synchronised; a negative result is an error wrapping
// [ErrInvalid].
func OneWayDelay(tx, rx time.Time) (time.Duration, error) {
	d := rx.Sub(tx)
	if d < 0 {
		return 0, fmt.Errorf("sla: one-way delay: received %s before sent %s: %w", rx.Format(time.RFC3339Nano), tx.Format(time.RFC3339Nano), ErrInvalid)
	}
	return d, nil
}

// InterFrameDelayVariation returns MEF 10.3's inter-frame delay variation
// (IFDV) of a series of frame delays in arrival order: |d[i] − d[i−1]| for
// each i ≥ 1 (Y.1731's frame delay variation between consecutive frames).
// The result has len(d)−1 values; nil for fewer than two delays. It
// allocates the result.
func InterFrameDelayVariation(d []time.Duration) []time.Duration {
	if len(d) < 2 {
		return nil
	}
	out := make([]time.Duration, len(d)-1)
	for i := 1; i < len(d); i++ {
		v := d[i] - d[i-1]
		if v < 0 {
			v = -v
		}
		out[i-1] = v
	}
	return out
}

// DelayRange returns each delay's variation against the minimum of the
// series, d[i] − min(d): MEF 10.3's frame delay range samples (Y.1731
// FDV measured against the best case). Nil for an empty series.
func DelayRange(d []time.Duration) []time.Duration {
	if len(d) == 0 {
		return nil
	}
	mn := slices.Min(d)
	out := make([]time.Duration, len(d))
	for i, x := range d {
		out[i] = x - mn
	}
	return out
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of d by the
// nearest-rank rule MEF 10.3 uses for its frame delay performance: the
// smallest sample x such that at least p % of the samples are ≤ x, i.e.
// the ⌈p·n/100⌉-th smallest. It sorts a copy of d. Errors wrap
// [ErrNoSamples] or [ErrInvalid] (p out of range).
func Percentile(d []time.Duration, p float64) (time.Duration, error) {
	if !(p > 0 && p <= 100) {
		return 0, fmt.Errorf("sla: percentile %v: must be in (0, 100]: %w", p, ErrInvalid)
	}
	if len(d) == 0 {
		return 0, fmt.Errorf("sla: percentile %v: %w", p, ErrNoSamples)
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[rank(len(s), p)], nil
}

// rank is the 0-based nearest-rank index of percentile p in n sorted samples.
func rank(n int, p float64) int {
	k := int(math.Ceil(p*float64(n)/100 - 1e-9))
	return min(max(k, 1), n) - 1
}

// Mean is the arithmetic mean of d. Errors wrap [ErrNoSamples].
func Mean(d []time.Duration) (time.Duration, error) {
	if len(d) == 0 {
		return 0, fmt.Errorf("sla: mean: %w", ErrNoSamples)
	}
	var sum float64
	for _, x := range d {
		sum += float64(x)
	}
	return time.Duration(math.Round(sum / float64(len(d)))), nil
}

// DelayStats summarises a series of frame delays: count, extremes, mean,
// nearest-rank p50 and p99, inter-frame delay variation (mean and p99) and
// the p99 frame delay range; PercentileVal is the extra percentile asked
// of SummarizeDelay (zero if none).
type DelayStats struct {
	Count         int           `json:"count"`
	Min           time.Duration `json:"min"`
	Max           time.Duration `json:"max"`
	Mean          time.Duration `json:"mean"`
	P50           time.Duration `json:"p50"`
	P99           time.Duration `json:"p99"`
	MeanIFDV      time.Duration `json:"meanIfdv"` // mean inter-frame delay variation
	P99IFDV       time.Duration `json:"p99Ifdv"`
	Range         time.Duration `json:"range"` // P99 − Min: MEF 10.3 frame delay range at p99
	PercentileVal time.Duration `json:"percentile,omitempty"`
}

// SummarizeDelay computes [DelayStats] of d in one sort (p adds the
// percentile p, 0 < p ≤ 100, as PercentileVal; 0 skips it). Errors wrap
// [ErrNoSamples] or [ErrInvalid].
func SummarizeDelay(d []time.Duration, p float64) (DelayStats, error) {
	if len(d) == 0 {
		return DelayStats{}, fmt.Errorf("sla: delay summary: %w", ErrNoSamples)
	}
	if p != 0 && !(p > 0 && p <= 100) {
		return DelayStats{}, fmt.Errorf("sla: delay summary: percentile %v: must be in (0, 100]: %w", p, ErrInvalid)
	}
	s := slices.Clone(d)
	slices.Sort(s)
	mean, _ := Mean(d)
	st := DelayStats{Count: len(d), Min: s[0], Max: s[len(s)-1], Mean: mean,
		P50: s[rank(len(s), 50)], P99: s[rank(len(s), 99)]}
	st.Range = st.P99 - st.Min
	if p != 0 {
		st.PercentileVal = s[rank(len(s), p)]
	}
	if v := InterFrameDelayVariation(d); len(v) > 0 {
		st.MeanIFDV, _ = Mean(v)
		slices.Sort(v)
		st.P99IFDV = v[rank(len(v), 99)]
	}
	return st, nil
}

// LMCounters are the four frame counters of one Y.1731 single-ended loss
// measurement (LMM/LMR, §8.1.2) at one instant: TxFCf (frames the near end
// had sent when it sent the LMM), RxFCf (frames the far end had received
// when the LMM arrived), TxFCb (frames the far end had sent when it sent the
// LMR) and RxFCl (frames the near end had received when the LMR arrived).
// Counters are 32-bit and wrap, as on the wire.
type LMCounters struct {
	TxFCf, RxFCf, TxFCb, RxFCl uint32
}

// Loss is frame loss over one measurement interval, in both directions.
type Loss struct {
	// FarEndLost and FarEndSent are the frames lost and sent towards the
	// far end (near → far direction).
	FarEndLost, FarEndSent uint64
	// NearEndLost and NearEndSent are the frames lost and sent towards the
	// near end (far → near direction).
	NearEndLost, NearEndSent uint64
}

// FarEndFLR is the far-end frame loss ratio (0..1); 0 when nothing was sent.
func (l Loss) FarEndFLR() float64 { return ratio(l.FarEndLost, l.FarEndSent) }

// NearEndFLR is the near-end frame loss ratio (0..1); 0 when nothing was sent.
func (l Loss) NearEndFLR() float64 { return ratio(l.NearEndLost, l.NearEndSent) }

// Add sums two intervals' losses.
func (l Loss) Add(o Loss) Loss {
	return Loss{l.FarEndLost + o.FarEndLost, l.FarEndSent + o.FarEndSent, l.NearEndLost + o.NearEndLost, l.NearEndSent + o.NearEndSent}
}

func ratio(lost, sent uint64) float64 {
	if sent == 0 {
		return 0
	}
	return float64(lost) / float64(sent)
}

// FrameLoss computes Y.1731 §8.1.2 frame loss between two consecutive
// counter readings prev (tp) and cur (tc):
//
//	far-end  = |TxFCf[tc] − TxFCf[tp]| − |RxFCf[tc] − RxFCf[tp]|
//	near-end = |TxFCb[tc] − TxFCb[tp]| − |RxFCl[tc] − RxFCl[tp]|
//
// Differences are taken modulo 2³² (a counter that wrapped still counts
// forward). More frames received than sent in a direction (counters from
// different intervals, duplicated frames) is an error wrapping [ErrInvalid].
func FrameLoss(prev, cur LMCounters) (Loss, error) {
	txF, rxF := uint64(cur.TxFCf-prev.TxFCf), uint64(cur.RxFCf-prev.RxFCf)
	txB, rxL := uint64(cur.TxFCb-prev.TxFCb), uint64(cur.RxFCl-prev.RxFCl)
	if rxF > txF || rxL > txB {
		return Loss{}, fmt.Errorf("sla: frame loss: counters %+v then %+v receive more than was sent (far end %d of %d, near end %d of %d): %w",
			prev, cur, rxF, txF, rxL, txB, ErrInvalid)
	}
	return Loss{FarEndLost: txF - rxF, FarEndSent: txF, NearEndLost: txB - rxL, NearEndSent: txB}, nil
}

// SyntheticLoss is frame loss from Y.1731 synthetic loss measurement
// (SLM/SLR, §8.1.3): sent SLMs, SLRs the far end sent back (which proves the
// SLM arrived) and SLRs received. far-end lost = sent − replied, near-end
// lost = replied − received. Errors wrap [ErrInvalid] when counts do not
// decrease along the way.
func SyntheticLoss(sent, replied, received uint64) (Loss, error) {
	if replied > sent || received > replied {
		return Loss{}, fmt.Errorf("sla: synthetic loss: sent %d, replied %d, received %d: counts must not grow: %w", sent, replied, received, ErrInvalid)
	}
	return Loss{FarEndLost: sent - replied, FarEndSent: sent, NearEndLost: replied - received, NearEndSent: replied}, nil
}
