package oam

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a run's results and findings, ready for JSON, a table or the
// matrix picture.
type Report struct {
	Service  string    `json:"service"`
	Type     string    `json:"type"`
	Sites    []string  `json:"sites"`
	Results  []Result  `json:"results"`
	Findings []Finding `json:"findings,omitempty"`
}

// NewReport puts a plan, its results and findings together.
func NewReport(p Plan, res []Result, findings []Finding) Report {
	r := Report{Service: p.Service, Type: p.Type.String(), Results: res, Findings: findings}
	for _, s := range p.Sites {
		r.Sites = append(r.Sites, s.Name)
	}
	return r
}

// Counts returns how many results have each status.
func (r Report) Counts() map[Status]int {
	m := map[Status]int{}
	for _, x := range r.Results {
		m[x.Status]++
	}
	return m
}

// OK reports whether every probe is ok.
func (r Report) OK() bool { return r.Counts()[StatusOK] == len(r.Results) }

// JSON returns the report as indented JSON.
func (r Report) JSON() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// WriteTable writes one line per probe (source, destination, status,
// loss, average round trip, attempts, cause) and then the findings.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "FROM\tTO\tSTATUS\tLOSS\tAVG RTT\tATTEMPTS\tCAUSE\n")
	cause := map[string]Cause{}
	for _, f := range r.Findings {
		cause[f.Probe] = f.Cause
	}
	for _, x := range r.Results {
		l := x.Last()
		loss, rtt := "-", "-"
		if l.Error == "" && len(x.Attempts) > 0 {
			loss = fmt.Sprintf("%d%%", l.Ping.Loss)
			if l.Ping.Received > 0 {
				rtt = l.Ping.Avg.Round(time.Microsecond).String()
			}
		}
		c := string(cause[x.Probe.ID()])
		if c == "" {
			c = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", x.Probe.From, x.Probe.To, x.Status, loss, rtt, len(x.Attempts), c)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(w, "\nFindings:\n")
		for _, f := range r.Findings {
			fmt.Fprintf(w, "  %s [%s] %s\n", f.Probe, f.Cause, f.Message)
		}
	}
	c := r.Counts()
	var parts []string
	for _, s := range []Status{StatusOK, StatusDegraded, StatusFlapping, StatusFailed, StatusError, StatusNotRun} {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s], s))
		}
	}
	_, err := fmt.Fprintf(w, "\n%d probes: %s\n", len(r.Results), strings.Join(parts, ", "))
	return err
}
