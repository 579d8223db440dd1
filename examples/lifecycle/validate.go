package main

import (
	"context"
	"fmt"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/validate"
)

// leased is a validate.Getter over the demo's session pool: each read takes a
// session to the device and gives it back.
type leased struct {
	d   *demo
	dev string
}

func (l leased) Get(ctx context.Context, q device.Query) ([]byte, error) {
	t, err := l.d.target(l.dev)
	if err != nil {
		return nil, err
	}
	ls, err := l.d.sess.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	defer ls.Release()
	return ls.Session().Get(ctx, q)
}

// devices returns validate's view of the devices of svc.
func (d *demo) devices(svc *design.Service) validate.Devices {
	m := validate.Devices{}
	for _, di := range svc.Devices {
		m[di.Device] = leased{d, di.Device}
	}
	return m
}

// report prints a check's outcome and fails on error-level findings.
func (d *demo) report(what, name string, fs []validate.Finding) error {
	r := validate.NewReport(fs)
	d.say("%s %s: %d errors, %d warnings, %d notes", what, name, r.Errors, r.Warnings, r.Infos)
	for _, f := range r.Findings {
		if f.Severity >= validate.Warning {
			d.say("  %s", f)
		}
	}
	if !r.OK() {
		return fmt.Errorf("%s %s: %w", what, name, r.Err())
	}
	return nil
}

// preValidate checks a planned service against the pools and the devices
// before it is pushed.
func (d *demo) preValidate(ctx context.Context, svc *design.Service) error {
	claims, err := d.pools.Claims(ctx, "")
	if err != nil {
		return err
	}
	fs, err := validate.Pre(ctx, svc, validate.PreOptions{Claims: claims, Devices: d.devices(svc)})
	if err != nil {
		return err
	}
	return d.report("pre-validation", svc.Name, fs)
}

// postValidate checks that a deployed service's configuration is on its
// devices (post) and that it works (oper).
func (d *demo) postValidate(ctx context.Context, name string) error {
	r, err := d.orch.Get(ctx, name)
	if err != nil {
		return err
	}
	if r.Active == nil {
		return fmt.Errorf("service %s is not deployed", name)
	}
	devs := d.devices(r.Active)
	fs, err := validate.PostLive(ctx, r.Active, devs, 8)
	if err != nil {
		return err
	}
	if err := d.report("post-validation (check-sync)", name, fs); err != nil {
		return err
	}
	fs, err = validate.Oper(ctx, r.Active, devs, 8)
	if err != nil {
		return err
	}
	return d.report("operational validation", name, fs)
}
