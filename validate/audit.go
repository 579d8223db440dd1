package validate

import (
	"context"
	"slices"
	"sync"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
)

// AuditOptions tune [Audit]. The zero value check-syncs every service with 8
// devices read at a time and skips operational checks.
type AuditOptions struct {
	// Parallel bounds how many devices are read at once; 0 means 8.
	Parallel int
	// Oper adds operational validation ([Oper]) of every service.
	Oper bool
}

// Audit checks every service at once: it reads each device's committed
// configuration once (at most o.Parallel devices at a time), check-syncs
// every service on every device it touches ([Post]) and, with o.Oper, runs
// the operational checks, each RPC sent once per device however many
// services share it. A device that cannot be read gives a sync-skipped
// error finding for each service on it, not an error; the error is for a
// service that cannot be rendered or a cancelled ctx.
func Audit(ctx context.Context, svcs []design.Service, devs Devices, o AuditOptions) (Report, error) {
	byDev := map[string][]int{}
	for i := range svcs {
		for _, d := range svcs[i].Devices {
			if d.Platform.Vendor != design.VendorNokia {
				byDev[d.Device] = append(byDev[d.Device], i)
			}
		}
	}
	names := make([]string, 0, len(byDev))
	for n := range byDev {
		names = append(names, n)
	}
	slices.Sort(names)
	var mu sync.Mutex
	configs := map[string]*Config{}
	var out []Finding
	err := forEach(ctx, names, o.Parallel, func(ctx context.Context, name string) error {
		g, err := devs.get(name)
		var c *Config
		if err == nil {
			c, err = ReadConfig(ctx, g)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, i := range byDev[name] {
				out = append(out, Finding{Rule: RuleOperRead, Severity: Error, Service: svcs[i].Name, Device: name,
					Message: "cannot read configuration: " + err.Error()})
			}
			return nil
		}
		configs[name] = c
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	for i := range svcs {
		fs, err := Post(&svcs[i], configs)
		if err != nil {
			return Report{}, err
		}
		for _, f := range fs {
			if f.Rule == RuleSyncSkipped && f.Severity == Error {
				continue // already reported as unreadable
			}
			out = append(out, f)
		}
	}
	if o.Oper {
		cached := Devices{}
		for _, n := range names {
			if g, ok := devs[n]; ok && configs[n] != nil {
				cached[n] = &memo{g: g, m: map[string][]byte{}}
			}
		}
		err := forEach(ctx, names, o.Parallel, func(ctx context.Context, name string) error {
			if cached[name] == nil {
				return nil
			}
			var fs []Finding
			for _, i := range byDev[name] {
				d, _ := svcs[i].Device(name)
				fs = append(fs, operDevice(ctx, &svcs[i], d, cached)...)
			}
			mu.Lock()
			out = append(out, fs...)
			mu.Unlock()
			return ctx.Err()
		})
		if err != nil {
			return Report{}, err
		}
	}
	r := NewReport(out)
	r.Services, r.Devices = len(svcs), len(names)
	return r, nil
}

// memo answers repeated RPCs from the first reply (one device, one audit).
type memo struct {
	g  Getter
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memo) Get(ctx context.Context, q device.Query) ([]byte, error) {
	if q.RPC == "" {
		return c.g.Get(ctx, q)
	}
	c.mu.Lock()
	b, ok := c.m[q.RPC]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := c.g.Get(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.m[q.RPC] = b
	c.mu.Unlock()
	return b, nil
}
