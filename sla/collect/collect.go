package collect

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sla"
)

// Getter is what the collector needs of a device session: an operational
// RPC. [device.Session] satisfies it.
type Getter interface {
	Get(ctx context.Context, q device.Query) ([]byte, error)
}

var _ Getter = device.Session(nil)

// ErrNoSession: the plan names a device the collector has no session for.
var ErrNoSession = errors.New("collect: no session for device")

// Option is an optional knob of [New].
type Option func(*options)

type options struct {
	now     func() time.Time
	log     *slog.Logger
	obj     *sla.Objective
	onAlert func(sla.Alert)
	count   int
}

// WithNow sets the clock samples are stamped with; default time.Now.
// Pass a sim.VirtualClock's Now in tests.
func WithNow(f func() time.Time) Option { return func(o *options) { o.now = f } }

// WithLogger sets the logger (Debug only on success paths); default discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithObjective checks every sample against o and reports alerts; without
// it only connectivity alerts are raised.
func WithObjective(o sla.Objective) Option { return func(x *options) { x.obj = &o } }

// WithAlert sets the callback run, in the collecting goroutine, for every
// alert a cycle raises, in a deterministic order (pair key, then time).
func WithAlert(f func(sla.Alert)) Option { return func(o *options) { o.onAlert = f } }

// WithCount sets how many ETH-DM/ETH-LM measurements each on-demand
// statistics request asks for (1..100); default 10.
func WithCount(n int) Option { return func(o *options) { o.count = n } }

// Collector collects CFM state and Y.1731 results for the MEPs of a plan.
// It is safe for concurrent use; cycles run one at a time.
type Collector struct {
	plan     sla.Plan
	sessions map[string]Getter
	o        options
	mu       sync.Mutex // serialises cycles and guards mon
	mon      *sla.Monitor
}

// New returns a collector for the service-level MEPs of plan, reading each
// device through sessions[device]. Errors wrap [ErrNoSession] or
// [sla.ErrInvalid] (bad objective or count).
func New(plan sla.Plan, sessions map[string]Getter, opts ...Option) (*Collector, error) {
	o := options{now: time.Now, log: slog.New(slog.DiscardHandler), count: 10}
	for _, f := range opts {
		f(&o)
	}
	if o.count < 1 || o.count > 100 {
		return nil, fmt.Errorf("collect: count %d: want 1..100: %w", o.count, sla.ErrInvalid)
	}
	for _, d := range plan.Devices() {
		if sessions[d] == nil {
			return nil, fmt.Errorf("collect: device %q of service %q: %w", d, plan.Service, ErrNoSession)
		}
	}
	obj := sla.Objective{Class: "connectivity"}
	if o.obj != nil {
		obj = *o.obj
	}
	mon, err := sla.NewMonitor(obj)
	if err != nil {
		return nil, err
	}
	return &Collector{plan: plan, sessions: sessions, o: o, mon: mon}, nil
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func rpc(name string, args ...string) string {
	var b strings.Builder
	b.WriteString("<" + name + ">")
	for i := 0; i+1 < len(args); i += 2 {
		if args[i+1] != "" {
			b.WriteString("<" + args[i] + ">" + esc(args[i+1]) + "</" + args[i] + ">")
		}
	}
	b.WriteString("</" + name + ">")
	return b.String()
}

func (c *Collector) get(ctx context.Context, dev, q string) ([]byte, error) {
	s := c.sessions[dev]
	if s == nil {
		return nil, fmt.Errorf("collect: device %q: %w", dev, ErrNoSession)
	}
	b, err := s.Get(ctx, device.RPCQuery(q))
	if err != nil {
		return nil, fmt.Errorf("collect: %s on %q: %w", q, dev, err)
	}
	return b, nil
}

// MEPDatabase reads dev's remote MEPs (get-cfm-mep-database). Errors wrap
// the session's error or [sla.ErrBadReply].
func (c *Collector) MEPDatabase(ctx context.Context, dev string) ([]sla.RemoteMEP, error) {
	b, err := c.get(ctx, dev, "<get-cfm-mep-database/>")
	if err != nil {
		return nil, err
	}
	return sla.ParseMEPDatabase(b)
}

// Delay runs on-demand ETH-DM on dev's MEPs of one MA
// (get-cfm-delay-statistics, count from [WithCount]).
func (c *Collector) Delay(ctx context.Context, dev, md, ma string) ([]sla.DelayResult, error) {
	b, err := c.get(ctx, dev, rpc("get-cfm-delay-statistics", "maintenance-domain", md, "maintenance-association", ma, "count", strconv.Itoa(c.o.count)))
	if err != nil {
		return nil, err
	}
	return sla.ParseDelayStatistics(b)
}

// Loss runs on-demand ETH-LM on dev's MEPs of one MA (get-cfm-loss-statistics).
func (c *Collector) Loss(ctx context.Context, dev, md, ma string) ([]sla.LossResult, error) {
	b, err := c.get(ctx, dev, rpc("get-cfm-loss-statistics", "maintenance-domain", md, "maintenance-association", ma, "count", strconv.Itoa(c.o.count)))
	if err != nil {
		return nil, err
	}
	return sla.ParseLossStatistics(b)
}

// Iterator reads one SLA iterator's statistics for a MEP pair
// (get-cfm-iterator-statistics): the periodic measurement the device runs
// by itself from the rendered profile.
func (c *Collector) Iterator(ctx context.Context, m sla.MEP, remote sla.MEPID, profile string) ([]sla.IteratorResult, error) {
	b, err := c.get(ctx, m.Device, rpc("get-cfm-iterator-statistics", "sla-iterator", profile, "maintenance-domain", m.Domain,
		"maintenance-association", m.MA, "local-mep", m.ID.String(), "remote-mep", remote.String()))
	if err != nil {
		return nil, err
	}
	return sla.ParseIteratorStatistics(b)
}

type maKey struct{ dev, md, ma string }

// Collect runs one collection cycle: for every device and service MA of the
// plan, on-demand delay and loss statistics, one [sla.Sample] per local /
// remote MEP pair, stamped with the collector's clock. Devices are read in
// parallel (one goroutine each, all finished before Collect returns).
// Samples are sorted by key; the alerts they raise are returned and passed
// to the [WithAlert] callback. A device that cannot be read is reported in
// the error (joined, one per device) and its pairs are left out: a failed
// read is not evidence the service is down.
func (c *Collector) Collect(ctx context.Context) ([]sla.Sample, []sla.Alert, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := c.o.now()
	var mas []maKey
	for _, m := range c.plan.MEPs {
		if !m.Port {
			k := maKey{m.Device, m.Domain, m.MA}
			if !slices.Contains(mas, k) {
				mas = append(mas, k)
			}
		}
	}
	type result struct {
		samples []sla.Sample
		err     error
	}
	res := make([]result, len(mas))
	var wg sync.WaitGroup
	for i, k := range mas {
		wg.Go(func() {
			res[i].samples, res[i].err = c.collectMA(ctx, k, at)
		})
	}
	wg.Wait()
	var samples []sla.Sample
	var errs []error
	for _, r := range res {
		samples = append(samples, r.samples...)
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	slices.SortFunc(samples, func(a, b sla.Sample) int { return strings.Compare(a.Key, b.Key) })
	var alerts []sla.Alert
	for _, s := range samples {
		alerts = append(alerts, c.mon.Observe(s)...)
	}
	for _, a := range alerts {
		if c.o.onAlert != nil {
			c.o.onAlert(a)
		}
	}
	c.o.log.Debug("sla cycle", "service", c.plan.Service, "samples", len(samples), "alerts", len(alerts))
	return samples, alerts, errors.Join(errs...)
}

func (c *Collector) collectMA(ctx context.Context, k maKey, at time.Time) ([]sla.Sample, error) {
	dm, err := c.Delay(ctx, k.dev, k.md, k.ma)
	if err != nil {
		return nil, err
	}
	lm, err := c.Loss(ctx, k.dev, k.md, k.ma)
	if err != nil {
		return nil, err
	}
	loss := map[[2]sla.MEPID]sla.Loss{}
	for _, l := range lm {
		loss[[2]sla.MEPID{l.Local, l.Remote}] = l.Total()
	}
	var out []sla.Sample
	for _, d := range dm {
		m := sla.MEP{Device: k.dev, Domain: k.md, MA: k.ma, ID: d.Local}
		out = append(out, sla.Sample{At: at, Key: m.Key(d.Remote), Up: d.OK(), Delays: d.TwoWay, OneWay: d.OneWay, Loss: loss[[2]sla.MEPID{d.Local, d.Remote}]})
	}
	return out, nil
}

// Iterators reads every device-side SLA iterator of the plan: each
// profile attached to each service-level local/remote MEP pair
// (get-cfm-iterator-statistics), sorted by device, MEP, remote MEP and
// profile. Errors are joined per request; results read are still returned.
func (c *Collector) Iterators(ctx context.Context) ([]sla.IteratorResult, error) {
	var out []sla.IteratorResult
	var errs []error
	for _, m := range c.plan.MEPs {
		if m.Port {
			continue
		}
		for _, r := range m.Remote {
			for _, p := range m.Profiles {
				res, err := c.Iterator(ctx, m, r, p)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				out = append(out, res...)
			}
		}
	}
	return out, errors.Join(errs...)
}

// Run collects every interval until ctx ends: a cycle at once, then one per
// interval (measured from each cycle's start; a cycle that overruns starts
// the next at once). Each cycle's samples and error go to sink, in this
// goroutine. Run returns ctx's error. interval must be positive (else an
// error wrapping [sla.ErrInvalid]).
func (c *Collector) Run(ctx context.Context, interval time.Duration, sink func([]sla.Sample, error)) error {
	if interval <= 0 {
		return fmt.Errorf("collect: run interval %v: must be positive: %w", interval, sla.ErrInvalid)
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		start := time.Now()
		s, _, err := c.Collect(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sink(s, err)
		t.Reset(max(0, interval-time.Since(start)))
	}
}
