package validate

import (
	"context"
	"fmt"
	"slices"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/render"
)

// Rule names of post-validation.
const (
	RuleSyncMissing = "sync-missing"
	RuleSyncExtra   = "sync-extra"
	RuleSyncChanged = "sync-changed"
	RuleSyncSkipped = "sync-skipped"
)

// Intent is the intended configuration of one service on one device, as
// statements: render's set lines for it, parsed once.
type Intent struct {
	stmts [][]string
	keys  []string
	set   map[string]bool
	roots []string // owner subtrees, sorted, unique
}

// ParseIntent parses a service's set lines for one device (render's
// FormatSet artifact body). Errors wrap ErrSyntax.
func ParseIntent(setLines []byte) (*Intent, error) {
	in := &Intent{set: map[string]bool{}}
	err := eachStatement(setLines, func(w []string) {
		k := canon(w)
		if in.set[k] {
			return
		}
		in.set[k] = true
		in.stmts = append(in.stmts, w)
		in.keys = append(in.keys, k)
		if r := rootLen(w); r > 0 && r < len(w) {
			in.roots = append(in.roots, canon(w[:r]))
		}
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(in.roots)
	in.roots = slices.Compact(in.roots)
	return in, nil
}

// CheckSync compares one service's intended statements on a device with the
// device's configuration (a per-service check-sync). It reports
//
//   - sync-missing (error): an intended statement the device lacks;
//   - sync-changed (error): an intended statement whose last word (its
//     value) differs on the device, e.g. another virtual-circuit-id;
//   - sync-extra (warning): a statement inside a subtree the service owns
//     whole — its logical units, pseudowire ends, routing instances,
//     policies, communities and LSPs — that the service does not intend.
//
// Configuration outside those subtrees (other services, base protocols, a
// port's shared tagging mode) is ignored. Findings carry service and device;
// CheckSync sorts them.
func CheckSync(service, dev string, intent *Intent, actual *Config) []Finding {
	var out []Finding
	intended := intent.set
	// Extras: statements under owned subtrees that are not intended.
	type extra struct {
		words []string
		key   string
		used  bool
	}
	var extras []*extra
	for _, r := range intent.roots {
		for _, i := range actual.byRoot[r] {
			k := actual.keys[i]
			if !intended[k] {
				extras = append(extras, &extra{words: actual.stmts[i], key: k})
			}
		}
	}
	for i, w := range intent.stmts {
		if _, ok := actual.index[intent.keys[i]]; ok {
			continue
		}
		var changed *extra
		for _, e := range extras {
			if !e.used && len(e.words) == len(w) && slices.Equal(e.words[:len(w)-1], w[:len(w)-1]) {
				changed = e
				break
			}
		}
		if changed != nil {
			changed.used = true
			out = append(out, Finding{Rule: RuleSyncChanged, Severity: Error, Service: service, Device: dev, Path: canon(w[:len(w)-1]),
				Message: fmt.Sprintf("intended %q, configured %q", w[len(w)-1], changed.words[len(w)-1])})
			continue
		}
		out = append(out, Finding{Rule: RuleSyncMissing, Severity: Error, Service: service, Device: dev, Path: intent.keys[i],
			Message: "intended statement is not configured"})
	}
	for _, e := range extras {
		if !e.used {
			out = append(out, Finding{Rule: RuleSyncExtra, Severity: Warning, Service: service, Device: dev, Path: e.key,
				Message: "statement inside the service's configuration is not intended"})
		}
	}
	return Sort(out)
}

// Post is post-validation of a deployed service: it renders the service's
// set lines per device and check-syncs each Juniper device against configs
// (device name → committed configuration). A Juniper device missing from
// configs is a sync-skipped error; Nokia devices get a sync-skipped info
// (MD-CLI is not compared). The error means only that the service could not
// be rendered.
func Post(svc *design.Service, configs map[string]*Config) ([]Finding, error) {
	arts, err := render.All(*svc, render.FormatSet)
	if err != nil {
		return nil, fmt.Errorf("validate: post %s: %w", svc.Name, err)
	}
	var out []Finding
	for _, a := range arts {
		if a.Format != render.FormatSet {
			out = append(out, Finding{Rule: RuleSyncSkipped, Severity: Info, Service: svc.Name, Device: a.Device,
				Message: "configuration in " + a.Format.String() + " is not compared"})
			continue
		}
		c := configs[a.Device]
		if c == nil {
			out = append(out, Finding{Rule: RuleSyncSkipped, Severity: Error, Service: svc.Name, Device: a.Device,
				Message: "no configuration read from the device"})
			continue
		}
		in, err := ParseIntent(a.Body)
		if err != nil {
			return nil, fmt.Errorf("validate: post %s device %s: %w", svc.Name, a.Device, err)
		}
		out = append(out, CheckSync(svc.Name, a.Device, in, c)...)
	}
	return Sort(out), nil
}

// PostLive reads the committed configuration of the service's Juniper
// devices over devs (at most parallel at a time; 0 means 8) and runs Post.
// The error means a device could not be read or the service rendered.
func PostLive(ctx context.Context, svc *design.Service, devs Devices, parallel int) ([]Finding, error) {
	var names []string
	for _, d := range svc.Devices {
		if d.Platform.Vendor != design.VendorNokia {
			names = append(names, d.Device)
		}
	}
	cfgs, err := ReadConfigs(ctx, devs, names, parallel)
	if err != nil {
		return nil, err
	}
	return Post(svc, cfgs)
}
