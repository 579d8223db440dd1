package oam

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/device"
)

// Status is the verdict on one probe.
type Status string

// The statuses, from best to worst.
const (
	// StatusOK: the first attempt got every echo reply back.
	StatusOK Status = "ok"
	// StatusDegraded: the last attempt succeeded but lost some replies.
	StatusDegraded Status = "degraded"
	// StatusFlapping: an attempt failed and a later one succeeded. Retries
	// never turn a failure into "ok".
	StatusFlapping Status = "flapping"
	// StatusFailed: every attempt failed — no reply, or the device could not
	// send (no outgoing label, no route: a *device.RejectedError).
	StatusFailed Status = "failed"
	// StatusError: the probe could not be run (no session, transport
	// error, timeout); it says nothing about the service.
	StatusError Status = "error"
	// StatusNotRun: the run ended (ctx) before the probe started.
	StatusNotRun Status = "not-run"
)

// Attempt is one try of a probe.
type Attempt struct {
	// Ping is the parsed reply; zero when Error is set.
	Ping Ping `json:"ping"`
	// Error is what went wrong: the device's message for a refused ping,
	// the transport error otherwise. Empty on a parsed reply.
	Error string `json:"error,omitempty"`
	// Rejected says the device refused to send (rpc-error), as opposed to
	// a transport failure.
	Rejected bool          `json:"rejected,omitempty"`
	Took     time.Duration `json:"took"`
}

func (a Attempt) ok() bool { return a.Error == "" && a.Ping.Success }

// Result is the outcome of one probe: every attempt and the verdict.
type Result struct {
	Probe    Probe     `json:"probe"`
	Status   Status    `json:"status"`
	Attempts []Attempt `json:"attempts"`
}

// Last returns the last attempt, or the zero Attempt.
func (r Result) Last() Attempt {
	if len(r.Attempts) == 0 {
		return Attempt{}
	}
	return r.Attempts[len(r.Attempts)-1]
}

// Verdict classifies attempts: ok on a clean first success, degraded on a
// lossy success, flapping when a failure precedes a success, failed when
// the device answered and nothing succeeded, error when no attempt reached
// the device. It is pure.
func Verdict(as []Attempt) Status {
	if len(as) == 0 {
		return StatusNotRun
	}
	failedBefore, answered := false, false
	for _, a := range as {
		if a.Error == "" || a.Rejected {
			answered = true
		}
		if a.ok() {
			switch {
			case failedBefore:
				return StatusFlapping
			case a.Ping.Received < a.Ping.Sent:
				return StatusDegraded
			}
			return StatusOK
		}
		failedBefore = true
	}
	if answered {
		return StatusFailed
	}
	return StatusError
}

// Session is what the runner needs of a device: one read. device.Session
// satisfies it.
type Session interface {
	Get(ctx context.Context, q device.Query) ([]byte, error)
}

var _ Session = device.Session(nil)

// Connector gives the session to a device by name, and a release function
// to call when done with it (it may be a no-op). It is called once per
// probe attempt and once per device for diagnosis, from many goroutines.
type Connector func(ctx context.Context, device string) (Session, func(), error)

// Sessions returns a Connector over fixed sessions, one per device.
func Sessions(m map[string]Session) Connector {
	return func(_ context.Context, dev string) (Session, func(), error) {
		s, ok := m[dev]
		if !ok {
			return nil, nil, fmt.Errorf("oam: device %q: no session: %w", dev, ErrInvalid)
		}
		return s, func() {}, nil
	}
}

// PoolConnector returns a Connector that leases sessions from p; targets
// maps a device name to its Target.
func PoolConnector(p *device.Pool, targets func(device string) (device.Target, bool)) Connector {
	return func(ctx context.Context, dev string) (Session, func(), error) {
		t, ok := targets(dev)
		if !ok {
			return nil, nil, fmt.Errorf("oam: device %q: no target: %w", dev, ErrInvalid)
		}
		l, err := p.Acquire(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		return l.Session(), l.Release, nil
	}
}

// Options are the knobs of [Run]. The zero value means 16 probes at once,
// 2 per source device, one attempt of at most 10 s each.
type Options struct {
	// Parallel bounds the probes in flight overall; 0 = 16.
	Parallel int
	// PerDevice bounds the probes in flight from one source device; 0 = 2.
	PerDevice int
	// Attempts is how many times a failed probe is tried; 0 = 1. Every
	// attempt is recorded.
	Attempts int
	// RetryDelay is the wait between attempts; 0 = none.
	RetryDelay time.Duration
	// Timeout bounds one attempt; 0 = 10 s. A device/netconf session whose
	// call times out is finished (later calls get device.ErrClosed), so
	// with retries prefer [PoolConnector], whose pool dials anew, over
	// fixed [Sessions].
	Timeout time.Duration
	// Logger receives Debug lines per attempt; nil discards.
	Logger *slog.Logger
	// Now is the clock attempt durations are measured with; nil = time.Now.
	Now func() time.Time
}

func (o *Options) defaults() error {
	if o.Parallel < 0 || o.PerDevice < 0 || o.Attempts < 0 || o.RetryDelay < 0 || o.Timeout < 0 {
		return fmt.Errorf("oam: run options: negative bound: %w", ErrInvalid)
	}
	if o.Parallel == 0 {
		o.Parallel = 16
	}
	if o.PerDevice == 0 {
		o.PerDevice = 2
	}
	if o.Attempts == 0 {
		o.Attempts = 1
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// Run runs every probe of p through conn and returns one Result per probe,
// in plan order. At most o.Parallel probes run at once, at most
// o.PerDevice from one device. When ctx ends, running probes are cut off
// (StatusError, the ctx error recorded) and probes not started are
// StatusNotRun; Run then returns the partial results and ctx.Err().
// The error is otherwise only about bad options.
func Run(ctx context.Context, conn Connector, p Plan, o Options) ([]Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	res := make([]Result, len(p.Probes))
	queues := map[string][]int{}
	var order []string
	for i, pr := range p.Probes {
		res[i] = Result{Probe: pr, Status: StatusNotRun}
		if queues[pr.FromDevice] == nil {
			order = append(order, pr.FromDevice)
		}
		queues[pr.FromDevice] = append(queues[pr.FromDevice], i)
	}
	// Each source device gets up to PerDevice workers draining its queue;
	// every probe also takes one of the Parallel global slots.
	global := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for _, dev := range order {
		q := make(chan int, len(queues[dev]))
		for _, i := range queues[dev] {
			q <- i
		}
		close(q)
		for w := 0; w < min(o.PerDevice, len(queues[dev])); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range q {
					if ctx.Err() != nil {
						return
					}
					select {
					case global <- struct{}{}:
					case <-ctx.Done():
						return
					}
					res[i] = runProbe(ctx, conn, p.Probes[i], o)
					<-global
				}
			}()
		}
	}
	wg.Wait()
	return res, ctx.Err()
}

// runProbe tries one probe up to o.Attempts times, stopping at the first
// success.
func runProbe(ctx context.Context, conn Connector, pr Probe, o Options) Result {
	r := Result{Probe: pr}
	for n := 0; n < o.Attempts; n++ {
		if n > 0 && o.RetryDelay > 0 {
			t := time.NewTimer(o.RetryDelay)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
		if ctx.Err() != nil && n > 0 {
			break
		}
		a := attempt(ctx, conn, pr, o)
		r.Attempts = append(r.Attempts, a)
		o.Logger.Debug("oam probe", "probe", pr.ID(), "attempt", n+1, "success", a.ok(), "error", a.Error)
		if a.ok() {
			break
		}
	}
	r.Status = Verdict(r.Attempts)
	return r
}

func attempt(ctx context.Context, conn Connector, pr Probe, o Options) Attempt {
	start := o.Now()
	actx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	a := func() Attempt {
		s, release, err := conn(actx, pr.FromDevice)
		if err != nil {
			return Attempt{Error: err.Error()}
		}
		defer release()
		out, err := s.Get(actx, device.RPCQuery(pr.RPC()))
		if err != nil {
			var rej *device.RejectedError
			if errors.As(err, &rej) {
				return Attempt{Error: rej.Message, Rejected: true}
			}
			return Attempt{Error: err.Error()}
		}
		p, err := ParsePing(out)
		if err != nil {
			return Attempt{Error: err.Error()}
		}
		return Attempt{Ping: p}
	}()
	a.Took = o.Now().Sub(start)
	return a
}
