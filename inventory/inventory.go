package inventory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/store"
)

// DefaultPort is the NETCONF-over-SSH port targets are dialled on when none
// is given.
const DefaultPort = 830

// Store key prefixes. Everything the package writes lives under Prefix.
const (
	Prefix        = "inventory/"
	devicePrefix  = Prefix + "device/"
	prestagePref  = Prefix + "prestage/"
	ServicePrefix = Prefix + "service/"
	importPrefix  = Prefix + "import/"
)

// Status is an interface's administrative or operational status.
type Status string

// Statuses.
const (
	Up   Status = "up"
	Down Status = "down"
)

// Device is what discovery learnt about one network element. It is stored
// as JSON under inventory/device/<Name>.
type Device struct {
	// Name is the device's host name as it reports it; the inventory key.
	Name string `json:"name"`
	// Address is where it was reached; Host the name it was listed under.
	Address netip.AddrPort `json:"address"`
	Host    string         `json:"host,omitempty"`
	Model   string         `json:"model"`  // product-model, "mx480"
	Series  string         `json:"series"` // "MX", "ACX", "PTX", …
	Version string         `json:"version"`
	Serial  string         `json:"serial"` // chassis serial number
	// Modules is the chassis inventory as the device lists it (midplane,
	// routing engines, FPCs with their PICs, …), with serial numbers.
	Modules []Module `json:"modules,omitempty"`
	// FPCs are the line cards and their PICs, by slot.
	FPCs       []FPC       `json:"fpcs,omitempty"`
	Interfaces []Interface `json:"interfaces"`
	// Loopback is lo0.0's IPv4 /32 (or the router-id); ASN the
	// routing-options autonomous-system; both "" / invalid when unset.
	Loopback netip.Addr `json:"loopback,omitzero"`
	ASN      string     `json:"asn,omitempty"`
	// Config is the committed configuration as Junos XML; ConfigDigest its
	// SHA-256, hex.
	Config       string `json:"config"`
	ConfigDigest string `json:"configDigest"`
	// Reachable is false when the last discovery of Address failed;
	// LastError then says why. A device that cannot be reached is kept.
	Reachable bool      `json:"reachable"`
	LastError string    `json:"lastError,omitempty"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
}

// Module is one entry of the chassis inventory.
type Module struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	PartNumber  string   `json:"partNumber,omitempty"`
	Serial      string   `json:"serial,omitempty"`
	Version     string   `json:"version,omitempty"`
	Modules     []Module `json:"modules,omitempty"`
}

// FPC is a line card and its PICs.
type FPC struct {
	Slot        int    `json:"slot"`
	Description string `json:"description"`
	PartNumber  string `json:"partNumber,omitempty"`
	Serial      string `json:"serial,omitempty"`
	PICs        []PIC  `json:"pics,omitempty"`
}

// PIC is a physical interface card of an FPC.
type PIC struct {
	Slot        int    `json:"slot"`
	Description string `json:"description"`
	Serial      string `json:"serial,omitempty"`
}

// Interface is one physical interface as get-interface-information lists
// it.
type Interface struct {
	Name  string        `json:"name"`
	Admin Status        `json:"admin"`
	Oper  Status        `json:"oper"`
	Speed netid.Bitrate `json:"speed,omitempty"`
	MAC   string        `json:"mac,omitempty"`
}

// Interface returns the named interface.
func (d *Device) Interface(name string) (Interface, bool) {
	for _, in := range d.Interfaces {
		if in.Name == name {
			return in, true
		}
	}
	return Interface{}, false
}

// config parses d's committed configuration.
func (d *Device) config() (*config, error) {
	c, err := parseConfig([]byte(d.Config))
	if err != nil {
		return nil, fmt.Errorf("device %s: %w", d.Name, err)
	}
	return c, nil
}

// Options configure an Inventory. The zero value of each field is a
// documented default.
type Options struct {
	// Port is the port targets are dialled on; 0 means DefaultPort (830).
	Port uint16
	// Credentials and HostKeys go into every device.Target. A zero
	// HostKeys refuses every host (see device.HostKeys).
	Credentials device.Credentials
	HostKeys    device.HostKeys
	// Parallel bounds how many targets are discovered at once; 0 means 16.
	Parallel int
	// Timeout bounds the discovery of one target (dial and four reads);
	// 0 means 30 s.
	Timeout time.Duration
	// Resolver looks up host names; nil means net.DefaultResolver.
	Resolver Resolver
	// Rules drive prestaging; nil means DefaultRules().
	Rules *Rules
	// Now is the clock for timestamps; nil means time.Now.
	Now func() time.Time
}

// Inventory discovers devices into a store.Store, prestages them and imports
// their brownfield configuration. Build one with New.
type Inventory struct {
	st   store.Store
	dial device.DialFunc
	o    Options
}

// New returns an Inventory that keeps its records in st under Prefix and
// reaches devices with dial (netconf.Dialer(), or a fake in tests).
func New(st store.Store, dial device.DialFunc, o Options) (*Inventory, error) {
	if st == nil || dial == nil {
		return nil, errors.New("inventory: New needs a store and a dial function")
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Parallel <= 0 {
		o.Parallel = 16
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rules == nil {
		o.Rules = DefaultRules()
	} else if err := o.Rules.Validate(); err != nil {
		return nil, err
	}
	return &Inventory{st: st, dial: dial, o: o}, nil
}

// Forget removes the device called name and its prestage record from the
// inventory (its brownfield claims go at the next ImportBrownfield). The
// error wraps store.ErrNotFound if there is no such device.
func (inv *Inventory) Forget(ctx context.Context, name string) error {
	if _, err := inv.st.Get(ctx, devicePrefix+name); err != nil {
		return fmt.Errorf("inventory: device %q: %w", name, err)
	}
	_, err := inv.st.Txn(ctx, nil, []store.Op{store.Delete(devicePrefix + name), store.Delete(prestagePref + name)})
	if err != nil {
		return fmt.Errorf("inventory: forget %q: %w", name, err)
	}
	return nil
}

// Rules returns the prestaging rules in use; do not modify them.
func (inv *Inventory) Rules() *Rules { return inv.o.Rules }

// Devices returns every stored device, ordered by name.
func (inv *Inventory) Devices(ctx context.Context) ([]Device, error) {
	var out []Device
	err := inv.st.List(ctx, devicePrefix, func(it store.Item) error {
		var d Device
		if err := json.Unmarshal(it.Value, &d); err != nil {
			return fmt.Errorf("inventory: record %q: %w", it.Key, err)
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// Device returns the stored device called name; the error wraps
// store.ErrNotFound if there is none.
func (inv *Inventory) Device(ctx context.Context, name string) (Device, error) {
	d, _, err := inv.getDevice(ctx, name)
	return d, err
}

func (inv *Inventory) getDevice(ctx context.Context, name string) (Device, int64, error) {
	it, err := inv.st.Get(ctx, devicePrefix+name)
	if err != nil {
		return Device{}, 0, fmt.Errorf("inventory: device %q: %w", name, err)
	}
	var d Device
	if err := json.Unmarshal(it.Value, &d); err != nil {
		return Device{}, 0, fmt.Errorf("inventory: record %q: %w", it.Key, err)
	}
	return d, it.Revision, nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// seriesOf derives the platform series from a Junos model name: the leading
// letters, upper-cased ("mx480" → "MX", "ptx10003-160c" → "PTX").
func seriesOf(model string) string {
	i := 0
	for i < len(model) && (model[i] >= 'a' && model[i] <= 'z' || model[i] >= 'A' && model[i] <= 'Z') {
		i++
	}
	s := strings.ToUpper(model[:i])
	if s == "JNP" { // "jnp10003-160c" and similar chassis codes
		return "PTX"
	}
	return s
}
