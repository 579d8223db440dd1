package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/oam"
	"github.com/carrierkit/carrierkit/validate"
)

// firstError returns the first error-level finding of r, or "none".
func firstError(r validate.Report) string {
	for _, f := range r.Findings {
		if f.Severity == validate.Error {
			if m := f.String(); len(m) > 160 {
				return m[:160] + " …"
			} else {
				return m
			}
		}
	}
	return "none"
}

// fullMesh plans and runs the full-mesh OAM of the deployed service name,
// diagnoses what is not ok, and writes <file>.json and <file>.svg.
func (d *demo) fullMesh(ctx context.Context, name, file string) (oam.Report, error) {
	r, err := d.orch.Get(ctx, name)
	if err != nil {
		return oam.Report{}, err
	}
	if r.Active == nil {
		return oam.Report{}, fmt.Errorf("service %s is not deployed", name)
	}
	plan, err := oam.PlanService(*r.Active, oam.PlanOptions{Count: 3})
	if err != nil {
		return oam.Report{}, err
	}
	conn := oam.PoolConnector(d.sess, func(dev string) (device.Target, bool) {
		t, err := d.target(dev)
		return t, err == nil
	})
	done := d.progress(fmt.Sprintf("ping mpls: %d probes among %d sites of %s", len(plan.Probes), len(plan.Sites), name))
	res, err := oam.Run(ctx, conn, plan, oam.Options{Parallel: 16, PerDevice: 4, Attempts: 2})
	done()
	if err != nil {
		return oam.Report{}, err
	}
	findings, _, err := oam.Diagnose(ctx, conn, plan, res, 8)
	if err != nil {
		return oam.Report{}, err
	}
	rep := oam.NewReport(plan, res, findings)
	b, err := rep.JSON()
	if err != nil {
		return rep, err
	}
	if err := os.WriteFile(d.path(file+".json"), b, 0o644); err != nil {
		return rep, err
	}
	f, err := os.Create(d.path(file + ".svg"))
	if err != nil {
		return rep, err
	}
	if err := rep.WriteSVG(f); err != nil {
		f.Close()
		return rep, err
	}
	if err := f.Close(); err != nil {
		return rep, err
	}
	d.say("%s: %s; wrote %s.svg and %s.json", name, countsLine(rep), file, file)
	return rep, nil
}

// countsLine prints the report's counts: "380 probes: 380 ok".
func countsLine(rep oam.Report) string {
	c := rep.Counts()
	var ks []string
	for k := range c {
		ks = append(ks, string(k))
	}
	slices.Sort(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%d %s", c[oam.Status(k)], k))
	}
	return fmt.Sprintf("%d probes: %s", len(rep.Results), strings.Join(parts, ", "))
}

// matrix prints the report as a site × site grid: '.' ok, 'X' failed, '~'
// degraded or flapping, '?' error or not run, ' ' not tested.
func (d *demo) matrix(rep oam.Report) {
	idx := map[string]int{}
	for i, s := range rep.Sites {
		idx[s] = i
	}
	n := len(rep.Sites)
	grid := make([][]byte, n)
	for i := range grid {
		grid[i] = []byte(strings.Repeat(" ", n))
		grid[i][i] = '\\'
	}
	for _, r := range rep.Results {
		c := byte('?')
		switch r.Status {
		case oam.StatusOK:
			c = '.'
		case oam.StatusFailed:
			c = 'X'
		case oam.StatusDegraded, oam.StatusFlapping:
			c = '~'
		}
		grid[idx[r.Probe.From]][idx[r.Probe.To]] = c
	}
	w := 0
	for _, s := range rep.Sites {
		w = max(w, len(s))
	}
	d.say("  %*s  to: %s", w, "from", "one column per site, in the row order")
	for i, s := range rep.Sites {
		d.say("  %*s  %s", w, s, spaced(grid[i]))
	}
	d.say("  (. ok  X failed  ~ degraded  ? error  blank: not tested)")
}

func spaced(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// findings prints the findings grouped by cause and place, most frequent
// first, with one example message each, and returns the lines.
func (d *demo) findings(rep oam.Report) []string {
	type key struct {
		cause    oam.Cause
		dev, ifc string
	}
	count := map[key]int{}
	example := map[key]string{}
	var keys []key
	for _, f := range rep.Findings {
		k := key{f.Cause, f.Device, f.Interface}
		if count[k] == 0 {
			keys = append(keys, k)
			example[k] = f.Message
		}
		count[k]++
	}
	slices.SortStableFunc(keys, func(a, b key) int { return count[b] - count[a] })
	var out []string
	for _, k := range keys {
		noun := "probes"
		if count[k] == 1 {
			noun = "probe"
		}
		l := fmt.Sprintf("%d %s: %s at %s %s (e.g. %s)", count[k], noun, k.cause, k.dev, k.ifc, example[k])
		d.say("  %s", l)
		out = append(out, l)
	}
	return out
}

func (d *demo) oam(ctx context.Context) error {
	vpls, err := d.fullMesh(ctx, vplsName, "oam-vpls")
	if err != nil {
		return err
	}
	d.matrix(vpls)
	l3, err := d.fullMesh(ctx, l3vpnName, "oam-l3vpn")
	if err != nil {
		return err
	}
	d.results["oam"] = map[string]any{vplsName: vpls.Counts(), l3vpnName: l3.Counts()}
	if !vpls.OK() || !l3.OK() {
		d.findings(vpls)
		d.findings(l3)
		return fmt.Errorf("OAM is not green on a healthy network")
	}
	d.say("OAM green: every site reaches every site it should")
	return nil
}

// cutLink cuts the access link of acx1, shows the OAM matrix and the
// diagnosis, then restores the link and shows OAM green again.
func (d *demo) cutLink(ctx context.Context) error {
	a, b := "acx1:eth1", "mx1:eth3"
	if err := d.nw.SetLink(a, b, false); err != nil {
		return err
	}
	d.nw.Sync()
	d.say("cut the link %s – %s (acx1's only uplink)", a, b)
	rep, err := d.fullMesh(ctx, vplsName, "oam-vpls-cut")
	if err != nil {
		return err
	}
	d.matrix(rep)
	if rep.OK() {
		return fmt.Errorf("OAM stayed green with %s – %s down", a, b)
	}
	d.say("diagnosis:")
	diag := d.findings(rep)
	r, err := d.orch.Get(ctx, vplsName)
	if err != nil {
		return err
	}
	fs, err := validate.Oper(ctx, r.Active, d.devices(r.Active), 8)
	if err != nil {
		return err
	}
	vr := validate.NewReport(fs)
	d.say("operational validation of %s agrees: %d errors, e.g. %s", vplsName, vr.Errors, firstError(vr))
	d.results["cut"] = map[string]any{"link": []string{a, b}, "counts": rep.Counts(), "diagnosis": diag, "operErrors": vr.Errors}

	if err := d.nw.SetLink(a, b, true); err != nil {
		return err
	}
	d.nw.Sync()
	d.say("restored the link")
	rep, err = d.fullMesh(ctx, vplsName, "oam-vpls-restored")
	if err != nil {
		return err
	}
	if !rep.OK() {
		d.findings(rep)
		return fmt.Errorf("OAM not green after restoring %s – %s", a, b)
	}
	d.say("OAM green again")
	return nil
}
