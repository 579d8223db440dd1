package oam

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"unicode/utf8"
)

// statusStyle is a status's colour and its short cell text.
var statusStyle = map[Status]struct{ fill, text, label string }{
	StatusOK:       {"#2ca02c", "ok", "ok"},
	StatusDegraded: {"#f2c12e", "loss", "degraded (loss)"},
	StatusFlapping: {"#ff7f0e", "flap", "flapping"},
	StatusFailed:   {"#d62728", "FAIL", "failed"},
	StatusError:    {"#7b4ea3", "err", "error (no answer)"},
	StatusNotRun:   {"#b0b0b0", "-", "not run"},
}

var legendOrder = []Status{StatusOK, StatusDegraded, StatusFlapping, StatusFailed, StatusError, StatusNotRun}

// WriteSVG writes the report as an N×N matrix picture: rows are source sites,
// columns destination sites, each cell coloured by the probe's status
// with the status and the cause in its tooltip; the diagonal and pairs the
// plan does not test are blank. A title with the counts and a legend come
// first. The output is a standalone SVG 1.1 document; it is deterministic.
func (r Report) WriteSVG(w io.Writer) error {
	n := len(r.Sites)
	idx := map[string]int{}
	maxLabel := 4
	for i, s := range r.Sites {
		idx[s] = i
		maxLabel = max(maxLabel, utf8.RuneCountInString(s))
	}
	type cell struct {
		st    Status
		cause Cause
		msg   string
	}
	grid := make([][]*cell, n)
	for i := range grid {
		grid[i] = make([]*cell, n)
	}
	find := map[string]Finding{}
	for _, f := range r.Findings {
		find[f.Probe] = f
	}
	for _, x := range r.Results {
		i, ok1 := idx[x.Probe.From]
		j, ok2 := idx[x.Probe.To]
		if !ok1 || !ok2 {
			continue
		}
		f := find[x.Probe.ID()]
		grid[i][j] = &cell{x.Status, f.Cause, f.Message}
	}
	cs := 34 // cell size
	if n > 16 {
		cs = 22
	}
	if n > 40 {
		cs = 16
	}
	font := 13
	if cs < 22 {
		font = 10
	}
	labelW := maxLabel*font*6/10 + 16
	top := 64                     // title and counts
	legendH := 30                 // legend row
	colLabelH := labelW*7/10 + 10 // column labels at -45°
	x0, y0 := labelW+24, top+legendH+colLabelH+18
	legendW := 16
	for _, s := range legendOrder {
		legendW += 19 + len(statusStyle[s].label)*8 + 14
	}
	// Up to maxNotes findings are printed under the matrix.
	const maxNotes = 8
	notes := r.Findings
	if len(notes) > maxNotes {
		notes = notes[:maxNotes]
	}
	noteW := 0
	for _, f := range notes {
		noteW = max(noteW, 16+utf8.RuneCountInString(noteText(f))*7)
	}
	width := max(x0+n*cs+30, legendW, noteW)
	notesY := y0 + n*cs + 30
	height := notesY + 10
	if len(notes) > 0 {
		height += 18 * (len(notes) + 1)
		if len(r.Findings) > len(notes) {
			height += 18
		}
	}

	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	c := r.Counts()
	fmt.Fprintf(&b, `<text x="16" y="28" font-size="18" font-weight="bold">%s</text>`+"\n", esc(fmt.Sprintf("OAM full mesh: %s (%s), %d sites", r.Service, r.Type, n)))
	fmt.Fprintf(&b, `<text x="16" y="50" font-size="13" fill="#333333">%s</text>`+"\n",
		esc(fmt.Sprintf("%d probes: %d ok, %d degraded, %d flapping, %d failed, %d error", len(r.Results), c[StatusOK], c[StatusDegraded], c[StatusFlapping], c[StatusFailed], c[StatusError])))
	// Legend.
	lx := 16
	for _, s := range legendOrder {
		st := statusStyle[s]
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s" stroke="#555555" stroke-width="0.5"/>`, lx, top, st.fill)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12">%s</text>`+"\n", lx+19, top+12, esc(st.label))
		lx += 19 + len(st.label)*8 + 14
	}
	// Axis captions.
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#555555">destination →</text>`+"\n", x0, top+legendH+8)
	fmt.Fprintf(&b, `<text x="16" y="%d" font-size="12" fill="#555555">source ↓</text>`+"\n", y0-6)
	// Column labels, rotated.
	for j, s := range r.Sites {
		cx, cy := x0+j*cs+cs/2, y0-6
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="%d" transform="rotate(-45 %d %d)">%s</text>`+"\n", cx, cy, font, cx, cy, esc(s))
	}
	// Rows.
	for i, s := range r.Sites {
		y := y0 + i*cs
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="%d" text-anchor="end">%s</text>`+"\n", x0-8, y+cs/2+font*35/100, font, esc(s))
		for j := range r.Sites {
			x := x0 + j*cs
			g := grid[i][j]
			switch {
			case i == j:
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#eeeeee" stroke="#ffffff"/>`+"\n", x, y, cs, cs)
			case g == nil:
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#ffffff" stroke="#dddddd"><title>%s</title></rect>`+"\n", x, y, cs, cs, esc(s+" → "+r.Sites[j]+": not tested"))
			default:
				st := statusStyle[g.st]
				tip := fmt.Sprintf("%s → %s: %s", s, r.Sites[j], g.st)
				if g.msg != "" {
					tip += " — " + string(g.cause) + ": " + g.msg
				}
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="1.5"><title>%s</title></rect>`+"\n", x, y, cs, cs, st.fill, esc(tip))
				if cs >= 30 {
					fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10" fill="#ffffff" text-anchor="middle">%s</text>`+"\n", x+cs/2, y+cs/2+4, esc(st.text))
				}
			}
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, `<text x="16" y="%d" font-size="13" font-weight="bold">Findings</text>`+"\n", notesY)
		for k, f := range notes {
			fmt.Fprintf(&b, `<text x="16" y="%d" font-size="12">%s</text>`+"\n", notesY+18*(k+1), esc(noteText(f)))
		}
		if more := len(r.Findings) - len(notes); more > 0 {
			fmt.Fprintf(&b, `<text x="16" y="%d" font-size="12" fill="#555555">… and %d more (see the table or JSON)</text>`+"\n", notesY+18*(len(notes)+1), more)
		}
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func noteText(f Finding) string {
	return f.Probe + " [" + string(f.Cause) + "] " + f.Message
}
