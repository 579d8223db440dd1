package validate

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/carrierkit/carrierkit/design"
)

// Severity says how much a Finding matters. The zero Severity is invalid.
type Severity uint8

// The severities, least severe first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Info || s > Error {
		return nil, fmt.Errorf("validate: invalid severity %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "info":
		*s = Info
	case "warning":
		*s = Warning
	case "error":
		*s = Error
	default:
		return fmt.Errorf("validate: severity %q: want info, warning or error", b)
	}
	return nil
}

// Finding is one thing a check found: data, not an error. Service and Device
// may be empty when the finding concerns no single one; Path is the
// configuration statement or intent field involved.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Service  string   `json:"service,omitempty"`
	Device   string   `json:"device,omitempty"`
	Path     string   `json:"path,omitempty"`
	Message  string   `json:"message"`
}

// String formats the finding on one line.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	b.WriteString(" ")
	b.WriteString(f.Rule)
	if f.Service != "" {
		b.WriteString(" service " + f.Service)
	}
	if f.Device != "" {
		b.WriteString(" device " + f.Device)
	}
	if f.Path != "" {
		b.WriteString(" [" + f.Path + "]")
	}
	b.WriteString(": " + f.Message)
	return b.String()
}

// Compare orders findings by service, device, path, rule, message and then
// severity (most severe first), the order Sort puts them in.
func (f Finding) Compare(g Finding) int {
	return cmp.Or(
		cmp.Compare(f.Service, g.Service),
		cmp.Compare(f.Device, g.Device),
		cmp.Compare(f.Path, g.Path),
		cmp.Compare(f.Rule, g.Rule),
		cmp.Compare(f.Message, g.Message),
		cmp.Compare(g.Severity, f.Severity),
	)
}

// Sort sorts findings deterministically (see Finding.Compare) and drops exact
// duplicates. It returns the shortened slice.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Finding.Compare)
	return slices.Compact(fs)
}

// Rule is a design rule: it looks at one designed service and returns what it
// finds. Rules are values; combine the predefined ones ([DesignRules],
// [PoolCollisions], [ConfigCollisions], [LSPCoverage]) with your own.
type Rule func(*design.Service) []Finding

// Check runs rules over svc and returns their findings, sorted, with the
// service name filled in where a rule left it empty and a zero Severity
// made Error. It never fails: rules return findings, not errors.
func Check(svc *design.Service, rules ...Rule) []Finding {
	var out []Finding
	for _, r := range rules {
		if r == nil {
			continue
		}
		for _, f := range r(svc) {
			if f.Service == "" {
				f.Service = svc.Name
			}
			if f.Severity == 0 {
				f.Severity = Error
			}
			out = append(out, f)
		}
	}
	return Sort(out)
}

// ErrRefused is wrapped by the error [Refuse] returns.
var ErrRefused = errors.New("refused by validation")

// RefusedError is the package's structured error: an order (or a change)
// refused because validation found errors. Findings holds the error-level
// findings, sorted.
type RefusedError struct {
	Findings []Finding
}

// Error names every error-level finding.
func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "validate: refused: %d error(s)", len(e.Findings))
	for i, f := range e.Findings {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Refuse returns a *RefusedError naming every error-level finding in fs, or
// nil when there is none (warnings and infos never refuse).
func Refuse(fs []Finding) error {
	var errs []Finding
	for _, f := range fs {
		if f.Severity == Error {
			errs = append(errs, f)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &RefusedError{Findings: Sort(errs)}
}

// Report is a set of findings with counts, as JSON (encoding/json) or as a
// table ([Report.WriteTable]). The zero Report has no findings.
type Report struct {
	Findings []Finding `json:"findings"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Infos    int       `json:"infos"`
	// Services and Devices count what was examined (for an audit).
	Services int `json:"services,omitempty"`
	Devices  int `json:"devices,omitempty"`
}

// NewReport sorts fs and counts them by severity.
func NewReport(fs []Finding) Report {
	fs = Sort(slices.Clone(fs))
	r := Report{Findings: fs}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	for _, f := range fs {
		switch f.Severity {
		case Error:
			r.Errors++
		case Warning:
			r.Warnings++
		default:
			r.Infos++
		}
	}
	return r
}

// OK reports whether the report has no error-level finding.
func (r Report) OK() bool { return r.Errors == 0 }

// Err is Refuse(r.Findings).
func (r Report) Err() error { return Refuse(r.Findings) }

// WriteTable writes the findings as an aligned table with a summary line.
// The layout is for people and may change.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tRULE\tSERVICE\tDEVICE\tPATH\tMESSAGE")
	for _, f := range r.Findings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Rule, dash(f.Service), dash(f.Device), dash(f.Path), f.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d error(s), %d warning(s), %d info(s)\n", r.Errors, r.Warnings, r.Infos)
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
