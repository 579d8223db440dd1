package oam_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/oam"
)

func pingReply(sent, recv int) []byte {
	status := "<lsping-success/>"
	if recv == 0 {
		status = "<lsping-failure/>"
	}
	return []byte(fmt.Sprintf(`<lsping-results><lsping-results-summary><lsping-packets-transmitted>%d</lsping-packets-transmitted><lsping-packets-received>%d</lsping-packets-received><lsping-packet-loss>%d</lsping-packet-loss><lsping-packet-time-average>1.5</lsping-packet-time-average></lsping-results-summary>%s</lsping-results>`,
		sent, recv, 100*(sent-recv)/sent, status))
}

// fakeNet answers pings from a script: answer(device, rpc, attempt n).
type fakeNet struct {
	mu       sync.Mutex
	calls    map[string]int
	inFlight map[string]int
	maxDev   int
	total    atomic.Int32
	maxTotal atomic.Int32
	delay    time.Duration
	answer   func(dev, rpc string, n int) ([]byte, error)
}

type fakeSession struct {
	n   *fakeNet
	dev string
}

func (s fakeSession) Get(ctx context.Context, q device.Query) ([]byte, error) {
	f := s.n
	f.mu.Lock()
	key := s.dev + q.RPC
	f.calls[key]++
	n := f.calls[key]
	f.inFlight[s.dev]++
	f.maxDev = max(f.maxDev, f.inFlight[s.dev])
	f.mu.Unlock()
	cur := f.total.Add(1)
	for {
		m := f.maxTotal.Load()
		if cur <= m || f.maxTotal.CompareAndSwap(m, cur) {
			break
		}
	}
	defer func() {
		f.total.Add(-1)
		f.mu.Lock()
		f.inFlight[s.dev]--
		f.mu.Unlock()
	}()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, device.TimeoutError(ctx, s.dev, "get")
		}
	}
	return f.answer(s.dev, q.RPC, n)
}

func newFake(answer func(dev, rpc string, n int) ([]byte, error)) *fakeNet {
	return &fakeNet{calls: map[string]int{}, inFlight: map[string]int{}, answer: answer}
}

func (f *fakeNet) connector() oam.Connector {
	return func(_ context.Context, dev string) (oam.Session, func(), error) {
		return fakeSession{f, dev}, func() {}, nil
	}
}

func TestRunFlappingIsNotOK(t *testing.T) {
	t.Parallel()
	p, _ := oam.PlanService(meshService(design.TypeVPLS, 3), oam.PlanOptions{})
	flappy := p.Probes[0]
	f := newFake(func(dev, rpc string, n int) ([]byte, error) {
		if dev == flappy.FromDevice && rpc == flappy.RPC() && n == 1 {
			return pingReply(5, 0), nil // first attempt: every echo lost
		}
		return pingReply(5, 5), nil
	})
	res, err := oam.Run(context.Background(), f.connector(), p, oam.Options{Attempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		want, attempts := oam.StatusOK, 1
		if r.Probe.ID() == flappy.ID() {
			want, attempts = oam.StatusFlapping, 2
		}
		if r.Status != want || len(r.Attempts) != attempts {
			t.Errorf("%s: %s after %d attempts, want %s after %d", r.Probe.ID(), r.Status, len(r.Attempts), want, attempts)
		}
	}
	rep := oam.NewReport(p, res, oam.Explain(p, res, nil))
	if rep.OK() || len(rep.Findings) != 1 || rep.Findings[0].Cause != oam.CauseFlapping {
		t.Fatalf("report hides the flap: %+v", rep.Findings)
	}
	var tb bytes.Buffer
	rep.WriteTable(&tb)
	if !strings.Contains(tb.String(), "flapping") || !strings.Contains(tb.String(), "5 ok, 1 flapping") {
		t.Errorf("table:\n%s", tb.String())
	}
	js, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back oam.Report
	if err := json.Unmarshal(js, &back); err != nil || len(back.Results) != 6 || back.Results[0].Status != oam.StatusFlapping || len(back.Results[0].Attempts) != 2 {
		t.Errorf("JSON round trip: %v %+v", err, back.Results[0])
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	ok := oam.Attempt{Ping: oam.Ping{Success: true, Sent: 5, Received: 5}}
	lossy := oam.Attempt{Ping: oam.Ping{Success: true, Sent: 5, Received: 3, Loss: 40}}
	lost := oam.Attempt{Ping: oam.Ping{Sent: 5}}
	refused := oam.Attempt{Error: "no outgoing label", Rejected: true}
	broken := oam.Attempt{Error: "session closed"}
	tests := []struct {
		name string
		in   []oam.Attempt
		want oam.Status
	}{
		{"none", nil, oam.StatusNotRun},
		{"clean", []oam.Attempt{ok}, oam.StatusOK},
		{"lossy", []oam.Attempt{lossy}, oam.StatusDegraded},
		{"lost then ok", []oam.Attempt{lost, ok}, oam.StatusFlapping},
		{"transport error then ok", []oam.Attempt{broken, ok}, oam.StatusFlapping},
		{"all lost", []oam.Attempt{lost, lost}, oam.StatusFailed},
		{"refused", []oam.Attempt{refused}, oam.StatusFailed},
		{"transport only", []oam.Attempt{broken, broken}, oam.StatusError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := oam.Verdict(tt.in); got != tt.want {
				t.Errorf("Verdict = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRunBoundsConcurrency(t *testing.T) {
	t.Parallel()
	p, _ := oam.PlanService(meshService(design.TypeVPLS, 8), oam.PlanOptions{})
	f := newFake(func(string, string, int) ([]byte, error) { return pingReply(1, 1), nil })
	f.delay = 2 * time.Millisecond
	res, err := oam.Run(context.Background(), f.connector(), p, oam.Options{Parallel: 5, PerDevice: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 56 {
		t.Fatalf("%d results", len(res))
	}
	if f.maxDev > 2 || f.maxTotal.Load() > 5 {
		t.Errorf("in flight: %d per device (max 2), %d overall (max 5)", f.maxDev, f.maxTotal.Load())
	}
	if f.maxTotal.Load() < 3 {
		t.Errorf("only %d probes ran at once: the runner serialises", f.maxTotal.Load())
	}
}

func TestRunTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	p, _ := oam.PlanService(meshService(design.TypeVPLS, 3), oam.PlanOptions{})
	f := newFake(func(string, string, int) ([]byte, error) { return pingReply(1, 1), nil })
	f.delay = time.Minute
	res, err := oam.Run(context.Background(), f.connector(), p, oam.Options{Timeout: 5 * time.Millisecond, Attempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != oam.StatusError || len(r.Attempts) != 2 || !strings.Contains(r.Attempts[0].Error, "timed out") {
			t.Fatalf("%s: %s %+v, want error after 2 timed-out attempts", r.Probe.ID(), r.Status, r.Attempts)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = oam.Run(ctx, f.connector(), p, oam.Options{})
	if !errors.Is(err, context.Canceled) || len(res) != 6 || res[0].Status != oam.StatusNotRun {
		t.Fatalf("cancelled run: err %v, %d results, first %s", err, len(res), res[0].Status)
	}
	if _, err := oam.Run(context.Background(), f.connector(), p, oam.Options{Parallel: -1}); !errors.Is(err, oam.ErrInvalid) {
		t.Errorf("negative Parallel: err = %v", err)
	}
}

func TestRunRejectedIsFailure(t *testing.T) {
	t.Parallel()
	p, _ := oam.PlanService(meshService(design.TypeVPLS, 2), oam.PlanOptions{})
	f := newFake(func(dev, _ string, _ int) ([]byte, error) {
		return nil, &device.RejectedError{Target: dev, Op: "rpc", Message: "no LSP to 10.255.0.2/32"}
	})
	res, _ := oam.Run(context.Background(), f.connector(), p, oam.Options{})
	if res[0].Status != oam.StatusFailed || res[0].Last().Error != "no LSP to 10.255.0.2/32" || !res[0].Last().Rejected {
		t.Errorf("rejected ping: %+v", res[0])
	}
}

func TestSVGMatrix(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 5, 20, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			p, _ := oam.PlanService(meshService(design.TypeVPLS, n), oam.PlanOptions{})
			var res []oam.Result
			for i, pr := range p.Probes {
				r := okResult(pr)
				if i%7 == 3 {
					r = failed(pr, true, "no LSP & <label>")
				}
				res = append(res, r)
			}
			rep := oam.NewReport(p, res, oam.Explain(p, res, nil))
			writeSVG(t, rep, fmt.Sprintf("matrix-%d", n))
			var b bytes.Buffer
			if err := rep.WriteSVG(&b); err != nil {
				t.Fatal(err)
			}
			type rect struct {
				Fill  string `xml:"fill,attr"`
				Title string `xml:"title"`
			}
			var doc struct {
				XMLName xml.Name `xml:"svg"`
				Rects   []rect   `xml:"rect"`
				Texts   []string `xml:"text"`
			}
			if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
			cells, red, diag := 0, 0, 0
			for _, r := range doc.Rects {
				switch {
				case strings.Contains(r.Title, " → "):
					cells++
					if r.Fill == "#d62728" {
						red++
					}
				case r.Fill == "#eeeeee":
					diag++
				}
			}
			fails := 0
			for _, r := range res {
				if r.Status == oam.StatusFailed {
					fails++
				}
			}
			if cells != n*(n-1) || diag != n || red != fails {
				t.Errorf("%d probe cells (want %d), %d diagonal (want %d), %d red (want %d)", cells, n*(n-1), diag, n, red, fails)
			}
			joined := strings.Join(doc.Texts, "\n")
			for _, want := range []string{"OAM full mesh: s1 (vpls)", "ok", "failed", "flapping", pe(n)} {
				if !strings.Contains(joined, want) {
					t.Errorf("SVG text lacks %q", want)
				}
			}
		})
	}
}
