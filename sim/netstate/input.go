package netstate

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// ErrInvalidInput is wrapped by the errors of Input.Validate.
var ErrInvalidInput = errors.New("invalid input")

// Validate reports the first problem that makes in ambiguous: a device
// without a name or named twice, a link to an unknown device, a port
// cabled twice, or a loss outside 0..1. Compute does not need a valid
// input (it ignores links to unknown devices, and the later of two devices
// with one name wins), but a caller building the input from a topology
// file should reject what Validate rejects. Errors wrap ErrInvalidInput.
func (in Input) Validate() error {
	names := map[string]bool{}
	for i, d := range in.Devices {
		if d.Name == "" {
			return fmt.Errorf("netstate: device %d: no name: %w", i, ErrInvalidInput)
		}
		if names[d.Name] {
			return fmt.Errorf("netstate: device %q defined twice: %w", d.Name, ErrInvalidInput)
		}
		names[d.Name] = true
	}
	used := map[Endpoint]int{}
	for i, l := range in.Links {
		for _, e := range []Endpoint{l.A, l.B} {
			if !names[e.Device] {
				return fmt.Errorf("netstate: link %d: unknown device %q: %w", i, e.Device, ErrInvalidInput)
			}
			if e.Interface == "" {
				return fmt.Errorf("netstate: link %d: %s has no interface: %w", i, e.Device, ErrInvalidInput)
			}
			if j, dup := used[e]; dup {
				return fmt.Errorf("netstate: link %d: %s %s is already cabled by link %d: %w", i, e.Device, e.Interface, j, ErrInvalidInput)
			}
			used[e] = i
		}
		if l.Loss < 0 || l.Loss > 1 {
			return fmt.Errorf("netstate: link %d: loss %v outside 0..1: %w", i, l.Loss, ErrInvalidInput)
		}
		if l.Delay < 0 || l.Jitter < 0 {
			return fmt.Errorf("netstate: link %d: negative delay or jitter: %w", i, ErrInvalidInput)
		}
	}
	return nil
}

// Addresses returns the inet addresses configured on a logical interface
// of dev, with their host bits ("10.0.0.1/30"), in configuration order.
func (s *State) Addresses(dev, ifl string) []netip.Prefix {
	if d := s.dev(dev); d != nil {
		if u := d.cfg.units[ifl]; u != nil {
			return slices.Clone(u.addrs)
		}
	}
	return nil
}
