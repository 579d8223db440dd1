package render

import (
	"fmt"

	"github.com/carrierkit/carrierkit/design"
)

// All renders every device of svc: Junos configuration in format f for
// Juniper devices, MD-CLI ([FormatMDCLI]) for Nokia devices whatever f is.
// It validates svc first ([design.Service.Validate]). The artifacts follow
// svc.Devices (sorted by device name). On error it returns no artifacts.
// Errors are *[Error] wrapping [ErrInvalid], [ErrUnsupported] or
// [ErrFormat].
func All(svc design.Service, f Format) ([]Artifact, error) {
	return render(&svc, f, false)
}

// Remove renders the decommissioning of svc: per device, what removes
// exactly the statements the service added (units, pseudowires, routing
// instances, policies, LSPs) and none that other services may share
// (a port's tagging mode, an l2circuit neighbor, an SR OS SDP). Junos:
// `delete` lines, text with `delete:` tags, or XML with
// operation="delete", per f; Nokia: MD-CLI `delete` commands.
func Remove(svc design.Service, f Format) ([]Artifact, error) {
	return render(&svc, f, true)
}

// SROS renders the MD-CLI configuration d of svc asks of a Nokia SR OS
// device (see [FormatMDCLI]).
func SROS(svc design.Service, d design.DeviceIntent) (Artifact, error) {
	if err := checkDevice(&svc, &d); err != nil {
		return Artifact{}, err
	}
	return device(nil, &svc, &d, FormatMDCLI, false)
}

func render(svc *design.Service, f Format, remove bool) ([]Artifact, error) {
	if f != FormatSet && f != FormatText && f != FormatXML && f != FormatMDCLI {
		return nil, &Error{Service: svc.Name, Err: fmt.Errorf("%w: %d", ErrFormat, f)}
	}
	// Devices first, so that the error names the device; then what
	// design checks across the service (name, type, parameters, order).
	for i := range svc.Devices {
		if err := svc.Devices[i].Validate(); err != nil {
			return nil, &Error{Service: svc.Name, Device: svc.Devices[i].Device, Field: fmt.Sprintf("devices[%d]", i),
				Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
		}
	}
	if err := svc.Validate(); err != nil {
		return nil, &Error{Service: svc.Name, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	out := make([]Artifact, 0, len(svc.Devices))
	var r Renderer
	for i := range svc.Devices {
		a, err := device(&r, svc, &svc.Devices[i], f, remove)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func device(r *Renderer, svc *design.Service, d *design.DeviceIntent, f Format, remove bool) (Artifact, error) {
	switch d.Platform.Vendor {
	case design.VendorNokia:
		body, err := sros(svc, d, remove)
		if err != nil {
			return Artifact{}, err
		}
		return Artifact{Device: d.Device, Vendor: design.VendorNokia, Format: FormatMDCLI, Body: body}, nil
	case design.VendorJuniper:
		if f == FormatMDCLI {
			return Artifact{}, &Error{Service: svc.Name, Device: d.Device, Err: fmt.Errorf("%w: md-cli for a Juniper device", ErrFormat)}
		}
		if r == nil {
			r = &Renderer{}
		}
		body, err := r.junos(nil, svc, d, f, remove)
		if err != nil {
			return Artifact{}, err
		}
		return Artifact{Device: d.Device, Vendor: design.VendorJuniper, Format: f, Body: body}, nil
	}
	return Artifact{}, &Error{Service: svc.Name, Device: d.Device, Field: "platform.vendor",
		Err: fmt.Errorf("%w: vendor %q", ErrUnsupported, d.Platform.Vendor)}
}
