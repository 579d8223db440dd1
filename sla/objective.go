package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sample is one collection cycle's result for one MEP pair: one MEF 10.3 Δt
// interval.
type Sample struct {
	// At is when the interval ended (the collection time).
	At time.Time `json:"at"`
	// Key names the MEP pair ([MEP.Key]).
	Key string `json:"key"`
	// Up is the remote MEP's continuity-check state.
	Up bool `json:"up"`
	// Delays are the two-way frame delays measured in the interval.
	Delays []time.Duration `json:"delays,omitempty"`
	// OneWay are the matching one-way (near → far) delays, when the
	// device reports them (meaningful only with synchronised clocks).
	OneWay []time.Duration `json:"oneWay,omitempty"`
	// Loss is the interval's frame loss.
	Loss Loss `json:"loss"`
}

// FLR is the interval's frame loss ratio for availability: the worse of the
// two directions, and 1 when the remote MEP is down (MEF 10.3 counts an
// interval with no frames delivered as fully lost).
func (s Sample) FLR() float64 {
	if !s.Up {
		return 1
	}
	return max(s.Loss.FarEndFLR(), s.Loss.NearEndFLR())
}

// Objective is an SLA objective set for one class of service (MEF 10.3
// performance objectives). A zero field is not checked unless it says
// otherwise.
type Objective struct {
	// Class names the class of service ("real-time", "business").
	Class string `json:"class"`
	// DelayPercentile is the percentile MaxDelay applies to, (0, 100];
	// zero means 99.
	DelayPercentile float64 `json:"delayPercentile,omitempty"`
	// MaxDelay is the two-way frame delay the percentile must not exceed.
	MaxDelay time.Duration `json:"maxDelay,omitempty"`
	// MaxIFDV bounds the p99 inter-frame delay variation.
	MaxIFDV time.Duration `json:"maxIfdv,omitempty"`
	// MaxFLR bounds the frame loss ratio (0..1, 0.001 = 0.1 %) over the
	// available intervals of the period.
	MaxFLR float64 `json:"maxFlr,omitempty"`
	// MinAvailability is the availability (0..1) the period must reach.
	MinAvailability float64 `json:"minAvailability,omitempty"`
	// AvailabilityN is MEF 10.3's n, consecutive Δt intervals that change
	// availability; zero means 10.
	AvailabilityN int `json:"availabilityN,omitempty"`
	// HighLoss is MEF 10.3's C: an interval with FLR above it is high-loss;
	// zero means 0.5.
	HighLoss float64 `json:"highLoss,omitempty"`
}

// Validate checks o; errors wrap [ErrInvalid] and name the class.
func (o Objective) Validate() error {
	bad := func(f string, a ...any) error {
		return fmt.Errorf("sla: objective %q: %s: %w", o.Class, fmt.Sprintf(f, a...), ErrInvalid)
	}
	switch {
	case o.Class == "":
		return bad("class unset")
	case o.DelayPercentile < 0 || o.DelayPercentile > 100:
		return bad("delay percentile %v: want (0, 100]", o.DelayPercentile)
	case o.MaxDelay < 0 || o.MaxIFDV < 0:
		return bad("negative delay bound")
	case o.MaxFLR < 0 || o.MaxFLR > 1:
		return bad("frame loss ratio %v: want 0..1", o.MaxFLR)
	case o.MinAvailability < 0 || o.MinAvailability > 1:
		return bad("availability %v: want 0..1", o.MinAvailability)
	case o.AvailabilityN < 0:
		return bad("availability n %d: want ≥ 1", o.AvailabilityN)
	case o.HighLoss < 0 || o.HighLoss >= 1:
		return bad("high-loss threshold %v: want [0, 1)", o.HighLoss)
	}
	return nil
}

func (o Objective) pct() float64 {
	if o.DelayPercentile == 0 {
		return 99
	}
	return o.DelayPercentile
}

func (o Objective) n() int {
	if o.AvailabilityN == 0 {
		return 10
	}
	return o.AvailabilityN
}

func (o Objective) c() float64 {
	if o.HighLoss == 0 {
		return 0.5
	}
	return o.HighLoss
}

// Check is one objective's verdict in a [Report].
//
// Name says which objective, Target and Measured are human-readable values.
type Check struct {
	Name     string `json:"name"`     // "delay-p99", "ifdv-p99", "flr", "availability"
	Target   string `json:"target"`   // "≤ 10ms"
	Measured string `json:"measured"` // "9.8ms"
	Met      bool   `json:"met"`
}

// Report is a service's compliance with an objective over a period.
//
// Key and Class name the pair and the objective, From and To the period,
// Intervals the samples in it; Delay, FLR and Availability are what was
// measured, and Checks the verdict of each objective set.
type Report struct {
	Key          string     `json:"key"`
	Class        string     `json:"class"`
	From         time.Time  `json:"from"`
	To           time.Time  `json:"to"`
	Intervals    int        `json:"intervals"`
	Delay        DelayStats `json:"delay"`
	FLR          float64    `json:"flr"`
	Availability float64    `json:"availability"`
	Checks       []Check    `json:"checks"`
	// Compliant is true when every check is met.
	Compliant bool `json:"compliant"`
}

// Compliance evaluates o over the samples of key with At in [from, to),
// taken in time order. Delay percentiles pool every delay of the period;
// FLR counts only available intervals (MEF 10.3); availability is the
// [AvailabilityWindow] ratio with the tail flushed. A check with no data
// (no delay measured) is not met. Errors wrap [ErrInvalid] (bad objective,
// to not after from) or [ErrNoSamples] (no sample in the period).
func Compliance(o Objective, key string, samples []Sample, from, to time.Time) (Report, error) {
	if err := o.Validate(); err != nil {
		return Report{}, err
	}
	if !to.After(from) {
		return Report{}, fmt.Errorf("sla: compliance %q: period %s..%s is empty: %w", key, from.Format(time.RFC3339), to.Format(time.RFC3339), ErrInvalid)
	}
	var in []Sample
	for _, s := range samples {
		if s.Key == key && !s.At.Before(from) && s.At.Before(to) {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		return Report{}, fmt.Errorf("sla: compliance %q: %w in %s..%s", key, ErrNoSamples, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	slices.SortStableFunc(in, func(a, b Sample) int { return a.At.Compare(b.At) })
	w, _ := NewAvailabilityWindow(o.n(), o.c())
	var st []State
	var delays []time.Duration
	for _, s := range in {
		st = w.Push(st, s.FLR())
		delays = append(delays, s.Delays...)
	}
	st = w.Flush(st)
	var lost Loss
	for i, s := range in {
		if st[i] == Available && s.Up {
			lost = lost.Add(s.Loss)
		}
	}
	r := Report{Key: key, Class: o.Class, From: from, To: to, Intervals: len(in), Availability: w.Ratio(),
		FLR: max(lost.FarEndFLR(), lost.NearEndFLR())}
	ds, derr := SummarizeDelay(delays, o.pct())
	r.Delay = ds
	if o.MaxDelay > 0 {
		r.Checks = append(r.Checks, Check{Name: fmt.Sprintf("delay-p%g", o.pct()), Target: "≤ " + o.MaxDelay.String(),
			Measured: measured(derr, ds.PercentileVal.String()), Met: derr == nil && ds.PercentileVal <= o.MaxDelay})
	}
	if o.MaxIFDV > 0 {
		r.Checks = append(r.Checks, Check{Name: "ifdv-p99", Target: "≤ " + o.MaxIFDV.String(),
			Measured: measured(derr, ds.P99IFDV.String()), Met: derr == nil && ds.P99IFDV <= o.MaxIFDV})
	}
	if o.MaxFLR > 0 {
		r.Checks = append(r.Checks, Check{Name: "flr", Target: "≤ " + pct(o.MaxFLR), Measured: pct(r.FLR), Met: r.FLR <= o.MaxFLR})
	}
	if o.MinAvailability > 0 {
		r.Checks = append(r.Checks, Check{Name: "availability", Target: "≥ " + pct(o.MinAvailability), Measured: pct(r.Availability), Met: r.Availability >= o.MinAvailability})
	}
	r.Compliant = true
	for _, c := range r.Checks {
		r.Compliant = r.Compliant && c.Met
	}
	return r, nil
}

func measured(err error, s string) string {
	if err != nil {
		return "no data"
	}
	return s
}

func pct(f float64) string {
	s := fmt.Sprintf("%.4f", 100*f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// String is a one-line summary: "EVC-1 business: compliant (delay-p99 9ms ≤ 10ms, …)".
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", r.Key, r.Class)
	if r.Compliant {
		b.WriteString("compliant (")
	} else {
		b.WriteString("NOT compliant (")
	}
	for i, c := range r.Checks {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s %s", c.Name, c.Measured, c.Target)
		if !c.Met {
			b.WriteString(" FAILED")
		}
	}
	b.WriteString(")")
	return b.String()
}

// AlertKind says what an [Alert] reports.
type AlertKind uint8

const (
	// ConnectivityLost: the remote MEP went from ok to failed.
	ConnectivityLost AlertKind = iota + 1
	// ConnectivityRestored: the remote MEP is ok again.
	ConnectivityRestored
	// ObjectiveBreached: an interval broke a delay or loss objective, or
	// availability turned Unavailable.
	ObjectiveBreached
	// ObjectiveCleared: an interval met every objective again after a breach.
	ObjectiveCleared
)

// String names k.
func (k AlertKind) String() string {
	names := [...]string{"invalid", "connectivity-lost", "connectivity-restored", "objective-breached", "objective-cleared"}
	if int(k) >= len(names) {
		return "invalid"
	}
	return names[k]
}

// Alert is one event for a MEP pair: what happened (Kind), to which pair
// (Key), at which sample's time (At), and why (Detail).
type Alert struct {
	Kind   AlertKind `json:"kind"`
	Key    string    `json:"key"`
	At     time.Time `json:"at"`
	Detail string    `json:"detail"`
}

// String is "2026-12-01T08:00:00Z EVC/… objective-breached: delay-p99 12ms > 10ms".
func (a Alert) String() string {
	return a.At.UTC().Format(time.RFC3339) + " " + a.Key + " " + a.Kind.String() + ": " + a.Detail
}

// Monitor turns a stream of samples into alerts, per MEP pair, against one
// objective: edges only (a breach is reported once, then its clearing).
// A Monitor is pure and not safe for concurrent use.
type Monitor struct {
	o     Objective
	pairs map[string]*pairState
}

type pairState struct {
	seen, down, breached bool
	w                    *AvailabilityWindow
}

// NewMonitor returns a Monitor for o. Errors wrap [ErrInvalid].
func NewMonitor(o Objective) (*Monitor, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return &Monitor{o: o, pairs: map[string]*pairState{}}, nil
}

// Observe adds one sample and returns the alerts it raises, in a fixed
// order: connectivity first, then objectives. Per-interval objectives are
// the delay percentile of the interval's delays, and its FLR; availability
// breaches when the window turns Unavailable. A breach is cleared only by
// an interval with the remote MEP up that meets every objective.
func (m *Monitor) Observe(s Sample) []Alert {
	ps := m.pairs[s.Key]
	if ps == nil {
		w, _ := NewAvailabilityWindow(m.o.n(), m.o.c())
		ps = &pairState{w: w}
		m.pairs[s.Key] = ps
	}
	var out []Alert
	emit := func(k AlertKind, f string, a ...any) {
		out = append(out, Alert{Kind: k, Key: s.Key, At: s.At, Detail: fmt.Sprintf(f, a...)})
	}
	if !s.Up && (!ps.down || !ps.seen) {
		emit(ConnectivityLost, "remote MEP failed")
	} else if s.Up && ps.down {
		emit(ConnectivityRestored, "remote MEP ok")
	}
	ps.down, ps.seen = !s.Up, true
	ps.w.Push(nil, s.FLR())
	var why []string
	if s.Up && m.o.MaxDelay > 0 && len(s.Delays) > 0 {
		if p, _ := Percentile(s.Delays, m.o.pct()); p > m.o.MaxDelay {
			why = append(why, fmt.Sprintf("delay-p%g %v > %v", m.o.pct(), p, m.o.MaxDelay))
		}
	}
	if s.Up && m.o.MaxFLR > 0 && s.FLR() > m.o.MaxFLR {
		why = append(why, fmt.Sprintf("flr %s > %s", pct(s.FLR()), pct(m.o.MaxFLR)))
	}
	if m.o.MinAvailability > 0 && ps.w.State() == Unavailable {
		why = append(why, "unavailable")
	}
	switch {
	case len(why) > 0 && !ps.breached:
		ps.breached = true
		emit(ObjectiveBreached, "%s", strings.Join(why, ", "))
	case len(why) == 0 && ps.breached && s.Up:
		// A down interval proves nothing about delay or loss: a breach
		// clears only on an interval that was measured.
		ps.breached = false
		emit(ObjectiveCleared, "all objectives met")
	}
	return out
}
