package oam

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ping is the outcome of one ping mpls run, parsed from Junos'
// lsping-results.
type Ping struct {
	// Success is true when the device reported lsping-success (at least
	// one echo reply came back).
	Success  bool `json:"success"`
	Sent     int  `json:"sent"`
	Received int  `json:"received"`
	// Loss is the packet loss in percent (0–100) as the device reported it.
	Loss int `json:"loss"`
	// RTT statistics over the replies; zero when none came back.
	Min    time.Duration `json:"min,omitempty"`
	Avg    time.Duration `json:"avg,omitempty"`
	Max    time.Duration `json:"max,omitempty"`
	StdDev time.Duration `json:"stddev,omitempty"`
	// ReturnCodes are the distinct lsping-return-code values of the
	// replies ("Egress-ok", …), in order of first appearance.
	ReturnCodes []string `json:"returnCodes,omitempty"`
}

type lspingXML struct {
	XMLName xml.Name `xml:"lsping-results"`
	Replies []struct {
		Code string `xml:"lsping-return-code"`
	} `xml:"lsping-probe-reply"`
	Summary *struct {
		Sent     string `xml:"lsping-packets-transmitted"`
		Received string `xml:"lsping-packets-received"`
		Loss     string `xml:"lsping-packet-loss"`
		Min      string `xml:"lsping-packet-time-minimum"`
		Avg      string `xml:"lsping-packet-time-average"`
		Max      string `xml:"lsping-packet-time-maximum"`
		StdDev   string `xml:"lsping-packet-time-stddev"`
	} `xml:"lsping-results-summary"`
	Success *struct{} `xml:"lsping-success"`
	Failure *struct{} `xml:"lsping-failure"`
}

// ParsePing parses an lsping-results reply (namespaced or not; an
// enclosing rpc-reply is allowed). Errors wrap ErrInvalid and quote the
// start of the input.
func ParsePing(b []byte) (Ping, error) {
	bad := func(why string, err error) (Ping, error) {
		if err != nil {
			why += ": " + err.Error()
		}
		return Ping{}, fmt.Errorf("oam: parse lsping-results %q: %s: %w", clip(b), why, ErrInvalid)
	}
	el, err := findElement(b, "lsping-results")
	if err != nil {
		return bad("no lsping-results element", err)
	}
	var x lspingXML
	if err := xml.Unmarshal(el, &x); err != nil {
		return bad("malformed", err)
	}
	if x.Summary == nil {
		return bad("no lsping-results-summary", nil)
	}
	var p Ping
	ints := []struct {
		name string
		s    string
		dst  *int
	}{{"lsping-packets-transmitted", x.Summary.Sent, &p.Sent}, {"lsping-packets-received", x.Summary.Received, &p.Received}, {"lsping-packet-loss", x.Summary.Loss, &p.Loss}}
	for _, f := range ints {
		n, err := strconv.Atoi(strings.TrimSpace(f.s))
		if err != nil || n < 0 {
			return bad(fmt.Sprintf("%s %q is not a count", f.name, f.s), nil)
		}
		*f.dst = n
	}
	if p.Received > p.Sent || p.Loss > 100 {
		return bad(fmt.Sprintf("received %d of %d sent, loss %d%%", p.Received, p.Sent, p.Loss), nil)
	}
	durs := []struct {
		name string
		s    string
		dst  *time.Duration
	}{{"minimum", x.Summary.Min, &p.Min}, {"average", x.Summary.Avg, &p.Avg}, {"maximum", x.Summary.Max, &p.Max}, {"stddev", x.Summary.StdDev, &p.StdDev}}
	for _, f := range durs {
		s := strings.TrimSpace(f.s)
		if s == "" {
			continue
		}
		ms, err := strconv.ParseFloat(s, 64)
		if err != nil || ms < 0 {
			return bad(fmt.Sprintf("lsping-packet-time-%s %q is not milliseconds", f.name, f.s), nil)
		}
		*f.dst = time.Duration(ms * float64(time.Millisecond))
	}
	switch {
	case x.Success != nil && x.Failure != nil:
		return bad("both lsping-success and lsping-failure", nil)
	case x.Success != nil:
		p.Success = true
	case x.Failure != nil:
	default:
		p.Success = p.Received > 0
	}
	for _, r := range x.Replies {
		c := strings.TrimSpace(r.Code)
		if c != "" && !containsString(p.ReturnCodes, c) {
			p.ReturnCodes = append(p.ReturnCodes, c)
		}
	}
	return p, nil
}

// findElement returns the raw bytes of the first element named local
// (any namespace) in b.
func findElement(b []byte, local string) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		start := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			if err := d.Skip(); err != nil {
				return nil, err
			}
			return b[start:d.InputOffset()], nil
		}
	}
}

func clip(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
