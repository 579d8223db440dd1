package sla

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Point is one interval of a [Series]: when it ended, whether the remote
// MEP was up, its delay statistics (zero with no measurement), both
// directions' frame loss ratios and its availability State.
type Point struct {
	At        time.Time     `json:"at"`
	Up        bool          `json:"up"`
	Count     int           `json:"count"`               // delay measurements
	DelayMean time.Duration `json:"delayMean,omitempty"` // two-way
	DelayP99  time.Duration `json:"delayP99,omitempty"`
	IFDV      time.Duration `json:"ifdv,omitempty"` // mean inter-frame delay variation
	FarFLR    float64       `json:"farFlr"`
	NearFLR   float64       `json:"nearFlr"`
	State     State         `json:"-"`
}

// Series is one MEP pair's results over time, in time order.
type Series struct {
	// Key names the MEP pair.
	Key    string  `json:"key"`
	Points []Point `json:"points"`
}

// SeriesOf builds the series of key from samples (other keys ignored),
// sorted by time, with each interval's availability state from a window of
// n intervals and high-loss threshold c (the tail flushed). Errors wrap
// [ErrInvalid].
func SeriesOf(key string, samples []Sample, n int, c float64) (Series, error) {
	w, err := NewAvailabilityWindow(n, c)
	if err != nil {
		return Series{}, err
	}
	var in []Sample
	for _, s := range samples {
		if s.Key == key {
			in = append(in, s)
		}
	}
	slices.SortStableFunc(in, func(a, b Sample) int { return a.At.Compare(b.At) })
	out := Series{Key: key}
	var st []State
	for _, s := range in {
		p := Point{At: s.At, Up: s.Up, Count: len(s.Delays), FarFLR: s.Loss.FarEndFLR(), NearFLR: s.Loss.NearEndFLR()}
		if ds, err := SummarizeDelay(s.Delays, 0); err == nil {
			p.DelayMean, p.DelayP99, p.IFDV = ds.Mean, ds.P99, ds.MeanIFDV
		}
		out.Points = append(out.Points, p)
		st = w.Push(st, s.FLR())
	}
	st = w.Flush(st)
	for i := range out.Points {
		out.Points[i].State = st[i]
	}
	return out, nil
}

type jsonPoint struct {
	At        string  `json:"at"`
	Up        bool    `json:"up"`
	Available bool    `json:"available"`
	Count     int     `json:"count"`
	DelayMean float64 `json:"delayMeanMs"`
	DelayP99  float64 `json:"delayP99Ms"`
	IFDV      float64 `json:"ifdvMs"`
	FarFLR    float64 `json:"farFlr"`
	NearFLR   float64 `json:"nearFlr"`
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// WriteJSON writes s as {"key":…, "points":[{"at": RFC 3339, "delayMeanMs": …}]}.
func (s Series) WriteJSON(w io.Writer) error {
	out := struct {
		Key    string      `json:"key"`
		Points []jsonPoint `json:"points"`
	}{Key: s.Key, Points: []jsonPoint{}}
	for _, p := range s.Points {
		out.Points = append(out.Points, jsonPoint{At: p.At.UTC().Format(time.RFC3339Nano), Up: p.Up, Available: p.State == Available,
			Count: p.Count, DelayMean: msf(p.DelayMean), DelayP99: msf(p.DelayP99), IFDV: msf(p.IFDV), FarFLR: p.FarFLR, NearFLR: p.NearFLR})
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(out)
}

// CSVHeader is the first row [Series.WriteCSV] writes.
var CSVHeader = []string{"key", "at", "up", "available", "count", "delay_mean_ms", "delay_p99_ms", "ifdv_ms", "far_flr", "near_flr"}

// WriteCSV writes s as CSV with [CSVHeader] first, one row per point.
func (s Series) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, p := range s.Points {
		cw.Write([]string{s.Key, p.At.UTC().Format(time.RFC3339Nano), strconv.FormatBool(p.Up), strconv.FormatBool(p.State == Available),
			strconv.Itoa(p.Count), f(msf(p.DelayMean)), f(msf(p.DelayP99)), f(msf(p.IFDV)), f(p.FarFLR), f(p.NearFLR)})
	}
	cw.Flush()
	return cw.Error()
}

// SVG draws s as a standalone SVG picture: mean and p99 two-way delay (ms)
// as lines in the upper panel, frame loss ratio (%, worse direction) as bars
// in the lower one, unavailable intervals shaded red, an optional delay
// objective as a dashed line. Pure Go, deterministic output.
func (s Series) SVG(maxDelay time.Duration) []byte {
	const W, H, L, R, T = 800, 420, 60, 20, 30
	const dTop, dH, lTop, lH = T, 220, T + 260, 100
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", W, H, W, H)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="13">%s</text>`+"\n", L, xmlEsc(s.Key))
	n := len(s.Points)
	if n == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">no data</text>`+"\n</svg>\n", L, dTop+20)
		return []byte(b.String())
	}
	pw := float64(W-L-R) / float64(n)
	x := func(i int) float64 { return float64(L) + pw*(float64(i)+0.5) }
	var dmax time.Duration = maxDelay
	var lmax float64 = 0.001
	for _, p := range s.Points {
		dmax = max(dmax, p.DelayP99, p.DelayMean)
		lmax = max(lmax, p.FarFLR, p.NearFLR)
	}
	if dmax == 0 {
		dmax = time.Millisecond
	}
	dmax = dmax * 11 / 10
	yd := func(d time.Duration) float64 { return dTop + dH - float64(dH)*float64(d)/float64(dmax) }
	for i, p := range s.Points {
		if p.State == Unavailable || !p.Up {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#f8d0d0"/>`+"\n", float64(L)+pw*float64(i), dTop, pw, lTop+lH-dTop)
		}
	}
	// axes and labels
	fmt.Fprintf(&b, `<path d="M%d %d V%d H%d M%d %d V%d H%d" stroke="black" fill="none"/>`+"\n", L, dTop, dTop+dH, W-R, L, lTop, lTop+lH, W-R)
	fmt.Fprintf(&b, `<text x="4" y="%d">%.3g ms</text><text x="4" y="%d">0</text>`+"\n", dTop+8, msf(dmax), dTop+dH)
	fmt.Fprintf(&b, `<text x="4" y="%d">%.3g %%</text><text x="4" y="%d">0</text>`+"\n", lTop+8, 100*lmax, lTop+lH)
	fmt.Fprintf(&b, `<text x="%d" y="%d">two-way delay: mean (blue), p99 (orange)</text>`+"\n", L+4, dTop+12)
	fmt.Fprintf(&b, `<text x="%d" y="%d">frame loss ratio (worse direction)</text>`+"\n", L+4, lTop+12)
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text>`+"\n",
		L, lTop+lH+16, s.Points[0].At.UTC().Format(time.RFC3339), W-R, lTop+lH+16, s.Points[n-1].At.UTC().Format(time.RFC3339))
	if maxDelay > 0 {
		fmt.Fprintf(&b, `<path d="M%d %.1f H%d" stroke="red" stroke-dasharray="6 4"/>`+"\n", L, yd(maxDelay), W-R)
	}
	line := func(color string, f func(Point) time.Duration) {
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="`, color)
		first := true
		for i, p := range s.Points {
			if p.Count == 0 {
				continue
			}
			if !first {
				b.WriteByte(' ')
			}
			first = false
			fmt.Fprintf(&b, "%.1f,%.1f", x(i), yd(f(p)))
		}
		b.WriteString(`"/>` + "\n")
	}
	line("#1f77b4", func(p Point) time.Duration { return p.DelayMean })
	line("#ff7f0e", func(p Point) time.Duration { return p.DelayP99 })
	for i, p := range s.Points {
		l := max(p.FarFLR, p.NearFLR)
		if !p.Up {
			l = lmax
		}
		if l == 0 {
			continue
		}
		h := float64(lH) * l / lmax
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#555"/>`+"\n", float64(L)+pw*float64(i)+pw*0.1, float64(lTop+lH)-h, pw*0.8, h)
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
