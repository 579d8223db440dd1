package sla

import (
	"fmt"
	"strconv"
	"time"

	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/render"
)

// Render returns the Junos CFM and performance-monitoring configuration of
// p for every device, sorted by device, in format f (render.FormatSet,
// FormatText or FormatXML), built with the same configuration tree render
// uses so quoting and element order are Junos'. The service's MA is marked
// owned (removed on decommission); domains, profiles and port-level MEPs are
// shared. Errors wrap [ErrInvalid].
func Render(p Plan, f render.Format) ([]render.Artifact, error) {
	var out []render.Artifact
	for _, d := range p.Devices() {
		a, err := RenderDevice(p, d, f)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// RenderDevice is [Render] for one device of p. A device with no MEP in p
// is an error wrapping [ErrInvalid].
func RenderDevice(p Plan, device string, f render.Format) (render.Artifact, error) {
	if f != render.FormatSet && f != render.FormatText && f != render.FormatXML {
		return render.Artifact{}, fmt.Errorf("sla: render %q: format %v: want set, text or xml: %w", device, f, ErrInvalid)
	}
	t := Tree(p, device)
	if t.IsEmpty() {
		return render.Artifact{}, fmt.Errorf("sla: render: device %q has no MEP in service %q: %w", device, p.Service, ErrInvalid)
	}
	if err := t.Err(); err != nil {
		return render.Artifact{}, fmt.Errorf("sla: render %q: %w: %w", device, err, ErrInvalid)
	}
	var b []byte
	switch f {
	case render.FormatSet:
		b = t.AppendSet(nil)
	case render.FormatText:
		b = t.AppendText(nil)
	default:
		b = t.AppendXML(nil)
	}
	return render.Artifact{Device: device, Vendor: "juniper", Format: f, Body: b}, nil
}

// Tree builds the configuration tree of device's part of p (empty when the
// device has no MEP). Callers that merge CFM with other configuration add
// to it.
func Tree(p Plan, device string) *jtree.Tree {
	t := jtree.New()
	var meps []MEP
	for _, m := range p.MEPs {
		if m.Device == device {
			meps = append(meps, m)
		}
	}
	if len(meps) == 0 {
		return t
	}
	cfm := t.Container(t.Container(t.Container(t.Container(jtree.Root, "protocols"), "oam"), "ethernet"), "connectivity-fault-management")
	if len(p.Profiles) > 0 {
		sp := t.Container(cfm, "performance-monitoring")
		for _, pr := range p.Profiles {
			e := t.Entry(sp, "sla-iterator-profiles", pr.Name)
			t.Leaf(e, "measurement-type", pr.Type.Junos())
			ct := pr.CycleTime
			if ct == 0 {
				ct = time.Second
			}
			t.Leaf(e, "cycle-time", strconv.FormatInt(ct.Milliseconds(), 10))
			if pr.IterationPeriod != 0 {
				t.Leaf(e, "iteration-period", strconv.Itoa(pr.IterationPeriod))
			}
			if pr.DelayWeight != 0 || pr.DelayVariationWeight != 0 {
				cw := t.Container(e, "calculation-weight")
				if pr.DelayWeight != 0 {
					t.Leaf(cw, "delay", strconv.Itoa(pr.DelayWeight))
				}
				if pr.DelayVariationWeight != 0 {
					t.Leaf(cw, "delay-variation", strconv.Itoa(pr.DelayVariationWeight))
				}
			}
		}
	}
	if a := p.Action; a != nil {
		ap := t.Entry(cfm, "action-profile", a.Name)
		ev := t.Container(ap, "event")
		if a.InterfaceStatusDown {
			t.LeafList(ev, "interface-status-tlv", "down")
		}
		if a.AdjacencyLoss {
			t.Flag(ev, "adjacency-loss")
		}
		if a.RDI {
			t.Flag(ev, "rdi")
		}
		ac := t.Container(ap, "action")
		if a.InterfaceDown {
			t.Flag(ac, "interface-down")
		}
		if a.LogAndGenerateAIS {
			t.Container(ac, "log-and-generate-ais")
		}
	}
	for _, m := range meps {
		md := t.Entry(cfm, "maintenance-domain", m.Domain)
		t.Leaf(md, "level", strconv.Itoa(m.Level))
		ma := t.Entry(md, "maintenance-association", m.MA)
		if !m.Port {
			t.Own(ma)
		}
		cc := t.Container(ma, "continuity-check")
		t.Leaf(cc, "interval", p.CCInterval.String())
		if p.LossThresh != 0 {
			t.Leaf(cc, "loss-threshold", strconv.Itoa(p.LossThresh))
		}
		mep := t.Entry(ma, "mep", m.ID.String())
		t.WrappedLeaf(mep, "interface", "interface-name", m.Interface)
		dir := "down"
		if m.Up {
			dir = "up"
		}
		t.Leaf(mep, "direction", dir)
		for _, r := range m.Remote {
			rm := t.Entry(mep, "remote-mep", r.String())
			if m.Action != "" {
				t.Leaf(rm, "action-profile", m.Action)
			}
			for _, pr := range m.Profiles {
				t.Entry(rm, "sla-iterator-profile", pr)
			}
		}
	}
	return t
}
