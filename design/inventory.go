package design

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
)

// InterfaceRole says what an inventory interface faces: customers (UNI) or
// the provider's core (NNI).
type InterfaceRole string

// The interface roles.
const (
	UNI InterfaceRole = "uni"
	NNI InterfaceRole = "nni"
)

// Interface is one physical interface of an inventory [Device].
type Interface struct {
	// Name is the interface name ("ge-0/0/1"), see [CheckInterface].
	Name string `json:"name" yaml:"name"`
	// Role is UNI or NNI.
	Role InterfaceRole `json:"role" yaml:"role"`
	// Speed is the port speed; zero when unknown.
	Speed netid.Bitrate `json:"speed,omitempty" yaml:"speed,omitempty"`
	// PeerAddress is, on an NNI, the address of the neighbour at the other
	// end of the link: the next hop of static LSPs and strict RSVP hops.
	PeerAddress netip.Addr `json:"peerAddress,omitzero" yaml:"peerAddress,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// Device is one network element of the [Inventory].
type Device struct {
	// Name is the device name ([A-Za-z0-9._-], see [CheckName]); it is
	// also the file name render output is written to.
	Name     string   `json:"name" yaml:"name"`
	Platform Platform `json:"platform" yaml:"platform"`
	// Loopback is the router ID and LSP/pseudowire endpoint address.
	Loopback netip.Addr `json:"loopback" yaml:"loopback"`
	// ASN is the provider AS the device is in; zero when not needed.
	ASN        netid.ASN   `json:"asn,omitempty" yaml:"asn,omitempty"`
	Interfaces []Interface `json:"interfaces" yaml:"interfaces"`

	ifIndex map[string]int // set by NewInventory
}

// Inventory is an indexed, validated set of devices. The zero Inventory is
// empty. Build one with [NewInventory]; it is immutable afterwards.
type Inventory struct {
	devices []Device          // sorted by name
	byName  map[string]int    // index into devices
	ifaces  map[string]string // "device\x00iface" → role, for quick checks
}

// NewInventory validates devs and indexes them: every device name,
// platform and loopback, every interface name and role; no two devices
// with one name or loopback, no interface twice on a device. The slice is
// copied.
func NewInventory(devs []Device) (*Inventory, error) {
	inv := &Inventory{byName: make(map[string]int, len(devs)), ifaces: make(map[string]string)}
	loops := make(map[netip.Addr]string, len(devs))
	inv.devices = slices.Clone(devs)
	slices.SortStableFunc(inv.devices, func(a, b Device) int { return strings.Compare(a.Name, b.Name) })
	for i := range inv.devices {
		d := &inv.devices[i]
		if err := d.validate(); err != nil {
			return nil, err
		}
		if _, dup := inv.byName[d.Name]; dup {
			return nil, fmt.Errorf("design: inventory: device %q: %w", d.Name, fieldErr("name", d.Name, "defined twice"))
		}
		if other, dup := loops[d.Loopback]; dup {
			return nil, fmt.Errorf("design: inventory: device %q: %w", d.Name, fieldErr("loopback", d.Loopback.String(), "also used by device "+other))
		}
		loops[d.Loopback] = d.Name
		inv.byName[d.Name] = i
		d.Interfaces = slices.Clone(d.Interfaces)
		d.ifIndex = make(map[string]int, len(d.Interfaces))
		for j, f := range d.Interfaces {
			d.ifIndex[f.Name] = j
			k := d.Name + "\x00" + f.Name
			if _, dup := inv.ifaces[k]; dup {
				return nil, fmt.Errorf("design: inventory: device %q: %w", d.Name, fieldErr(fmt.Sprintf("interfaces[%d].name", j), f.Name, "defined twice"))
			}
			inv.ifaces[k] = string(f.Role)
		}
	}
	return inv, nil
}

func (d *Device) validate() error {
	wrap := func(err error) error { return fmt.Errorf("design: inventory: device %q: %w", d.Name, err) }
	if err := CheckName("name", d.Name); err != nil {
		return wrap(err)
	}
	if err := d.Platform.Validate(); err != nil {
		return wrap(err)
	}
	if !d.Loopback.IsValid() {
		return wrap(fieldErr("loopback", "", "required"))
	}
	for j, f := range d.Interfaces {
		if err := CheckInterface(fmt.Sprintf("interfaces[%d].name", j), f.Name); err != nil {
			return wrap(err)
		}
		if strings.Contains(f.Name, ".") {
			return wrap(fieldErr(fmt.Sprintf("interfaces[%d].name", j), f.Name, "a physical interface, without a unit"))
		}
		if f.Role != UNI && f.Role != NNI {
			return wrap(fieldErr(fmt.Sprintf("interfaces[%d].role", j), string(f.Role), "want uni or nni"))
		}
	}
	return nil
}

// Devices returns the devices sorted by name. The slice is shared: do not
// modify it.
func (inv *Inventory) Devices() []Device {
	if inv == nil {
		return nil
	}
	return inv.devices
}

// Device returns the named device.
func (inv *Inventory) Device(name string) (*Device, bool) {
	if inv == nil {
		return nil, false
	}
	i, ok := inv.byName[name]
	if !ok {
		return nil, false
	}
	return &inv.devices[i], true
}

// Interface returns the role of interface ifname on device dev, and
// whether the device has it.
func (inv *Inventory) Interface(dev, ifname string) (InterfaceRole, bool) {
	if inv == nil {
		return "", false
	}
	r, ok := inv.ifaces[dev+"\x00"+ifname]
	return InterfaceRole(r), ok
}

// interfaceOf returns the inventory interface.
func (d *Device) interfaceOf(name string) (*Interface, bool) {
	if d.ifIndex != nil {
		i, ok := d.ifIndex[name]
		if !ok {
			return nil, false
		}
		return &d.Interfaces[i], true
	}
	for i := range d.Interfaces {
		if d.Interfaces[i].Name == name {
			return &d.Interfaces[i], true
		}
	}
	return nil, false
}
