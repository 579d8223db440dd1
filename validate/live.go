package validate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/pool"
)

// Getter reads configuration and operational state from one device. It is
// the one method of device.Session that the live checks use, so any
// session (device/netconf, device/cli, devicetest) satisfies it.
type Getter interface {
	Get(ctx context.Context, q device.Query) ([]byte, error)
}

var _ Getter = device.Session(nil)

// Devices maps device names (as in design.DeviceIntent.Device) to the
// sessions the live checks read them over.
type Devices map[string]Getter

func (ds Devices) get(name string) (Getter, error) {
	g, ok := ds[name]
	if !ok || g == nil {
		return nil, fmt.Errorf("validate: no session for device %q", name)
	}
	return g, nil
}

// ReadConfig reads a device's committed configuration as set lines and
// parses it; a session that cannot give set lines (device.ErrUnsupported)
// is asked for Junos XML instead. Errors are the session's, or wrap
// ErrSyntax.
func ReadConfig(ctx context.Context, g Getter) (*Config, error) {
	b, err := g.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if errors.Is(err, device.ErrUnsupported) {
		if b, err = g.Get(ctx, device.ConfigQuery(device.Committed, device.XML)); err != nil {
			return nil, err
		}
		return ParseXML(b)
	}
	if err != nil {
		return nil, err
	}
	return ParseSet(b)
}

// ReadConfigs reads the committed configuration of the named devices, at
// most parallel at a time (0 means 8). The first error stops the reads
// that have not started and is returned naming the device.
func ReadConfigs(ctx context.Context, devs Devices, names []string, parallel int) (map[string]*Config, error) {
	out := map[string]*Config{}
	var mu sync.Mutex
	err := forEach(ctx, names, parallel, func(ctx context.Context, name string) error {
		g, err := devs.get(name)
		if err != nil {
			return err
		}
		c, err := ReadConfig(ctx, g)
		if err != nil {
			return fmt.Errorf("validate: read configuration of %s: %w", name, err)
		}
		mu.Lock()
		out[name] = c
		mu.Unlock()
		return nil
	})
	return out, err
}

// forEach runs fn for every name, at most parallel at once, and returns the
// error of the first name (in the order given) whose call failed, after
// every started call has returned. Once a call failed or ctx ended, names
// not yet started are skipped.
func forEach(ctx context.Context, names []string, parallel int, fn func(context.Context, string) error) error {
	if parallel <= 0 {
		parallel = 8
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, parallel)
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, n); err != nil {
				errs[i] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	// Prefer a real failure to the cancellations it caused in other calls.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// facts are the values a device's configuration already uses.
type facts struct {
	units     map[string][]unitVLAN      // interface → units with their vlan-id
	circuits  []circuit                  // l2circuit ends
	vplsIDs   map[uint64][]string        // vpls-id → instances
	rts       map[string][]string        // "target:…" → instances or communities
	rds       map[string][]string        // RD text → instances
	ifaceUser map[string]string          // logical interface → routing instance
	portUnits map[string]map[string]bool // interface → units configured
}

type unitVLAN struct{ unit, vlan string }

type circuit struct{ neighbor, iface, vcid string }

func newFacts(c *Config) *facts {
	f := &facts{units: map[string][]unitVLAN{}, vplsIDs: map[uint64][]string{}, rts: map[string][]string{},
		rds: map[string][]string{}, ifaceUser: map[string]string{}, portUnits: map[string]map[string]bool{}}
	for _, w := range c.stmts {
		switch {
		case len(w) >= 4 && w[0] == "interfaces" && w[2] == "unit":
			if f.portUnits[w[1]] == nil {
				f.portUnits[w[1]] = map[string]bool{}
			}
			f.portUnits[w[1]][w[3]] = true
			if len(w) == 6 && w[4] == "vlan-id" {
				f.units[w[1]] = append(f.units[w[1]], unitVLAN{w[3], w[5]})
			}
		case len(w) == 8 && w[0] == "protocols" && w[1] == "l2circuit" && w[2] == "neighbor" && w[4] == "interface" && w[6] == "virtual-circuit-id":
			f.circuits = append(f.circuits, circuit{w[3], w[5], w[7]})
		case len(w) >= 3 && w[0] == "routing-instances":
			inst := w[1]
			last := w[len(w)-1]
			switch {
			case w[2] == "route-distinguisher" && len(w) == 4:
				f.rds[last] = append(f.rds[last], inst)
			case w[2] == "vrf-target" && strings.HasPrefix(last, "target:"):
				f.rts[last] = append(f.rts[last], inst)
			case w[2] == "interface" && len(w) >= 4:
				f.ifaceUser[w[3]] = inst
			case len(w) >= 6 && w[2] == "protocols" && w[3] == "vpls" && w[len(w)-2] == "vpls-id":
				if n, err := strconv.ParseUint(last, 10, 32); err == nil {
					f.vplsIDs[n] = append(f.vplsIDs[n], inst)
				}
			}
		case len(w) >= 5 && w[0] == "policy-options" && w[1] == "community" && w[3] == "members":
			f.rts[w[4]] = append(f.rts[w[4]], "community "+w[2])
		}
	}
	return f
}

// ConfigCollisions returns a rule that checks a service against what is
// configured on its devices right now (brownfield included, whether or not
// the pools know of it): a VLAN already on another unit of the interface, a
// unit the service wants that another service uses, units on a port a
// port-based service wants whole, a VC ID on another pseudowire, a VPLS ID,
// route target or route distinguisher used by another routing instance or
// community. Statements of the service's own units, pseudowires, instances
// and communities (the names design gave them) are not collisions, so a
// deployed service validates clean against itself. configs maps device
// names to their committed configuration; devices missing from it are not
// checked.
func ConfigCollisions(configs map[string]*Config) Rule {
	fs := make(map[string]*facts, len(configs))
	for dev, c := range configs {
		fs[dev] = newFacts(c)
	}
	return func(svc *design.Service) []Finding {
		var out []Finding
		for i := range svc.Devices {
			d := &svc.Devices[i]
			f := fs[d.Device]
			if f == nil {
				continue
			}
			own := ownNames(d)
			for _, a := range d.Attachments {
				unit := strconv.FormatUint(uint64(a.Unit), 10)
				if a.VLAN == 0 {
					for u := range f.portUnits[a.Interface] {
						if u != unit {
							out = append(out, Finding{Rule: RuleVLANCollision, Severity: Error, Device: d.Device, Path: "interfaces " + a.Interface + " unit " + u,
								Message: fmt.Sprintf("the service wants port %s whole, but unit %s is configured on it", a.Interface, u)})
						}
					}
					continue
				}
				vlan := a.VLAN.String()
				for _, uv := range f.units[a.Interface] {
					switch {
					case uv.vlan == vlan && uv.unit != unit:
						out = append(out, Finding{Rule: RuleVLANCollision, Severity: Error, Device: d.Device, Path: "interfaces " + a.Interface + " unit " + uv.unit + " vlan-id",
							Message: fmt.Sprintf("VLAN %s is already configured on %s unit %s", vlan, a.Interface, uv.unit)})
					case uv.unit == unit && uv.vlan != vlan:
						out = append(out, Finding{Rule: RuleVLANCollision, Severity: Error, Device: d.Device, Path: "interfaces " + a.Interface + " unit " + uv.unit + " vlan-id",
							Message: fmt.Sprintf("unit %s of %s already exists with vlan-id %s; the service would change it to %s", unit, a.Interface, uv.vlan, vlan)})
					}
				}
				ifl := a.Name()
				if inst, ok := f.ifaceUser[ifl]; ok && !own[inst] {
					out = append(out, Finding{Rule: RuleVLANCollision, Severity: Error, Device: d.Device, Path: "routing-instances " + inst + " interface " + ifl,
						Message: fmt.Sprintf("%s is already in routing instance %s", ifl, inst)})
				}
				for _, c := range f.circuits {
					if c.iface == ifl && !ownCircuit(d, c) {
						out = append(out, Finding{Rule: RuleVLANCollision, Severity: Error, Device: d.Device, Path: "protocols l2circuit neighbor " + c.neighbor + " interface " + ifl,
							Message: fmt.Sprintf("%s already carries a pseudowire to %s (virtual-circuit-id %s)", ifl, c.neighbor, c.vcid)})
					}
				}
			}
			for _, pc := range d.L2Circuits {
				vc := pc.VCID.String()
				for _, c := range f.circuits {
					if c.vcid == vc && !ownCircuit(d, c) {
						out = append(out, Finding{Rule: RuleVCIDCollision, Severity: Error, Device: d.Device, Path: "protocols l2circuit neighbor " + c.neighbor + " interface " + c.iface + " virtual-circuit-id",
							Message: fmt.Sprintf("virtual-circuit-id %s is already used by the pseudowire on %s to %s", vc, c.iface, c.neighbor)})
					}
				}
			}
			if v := d.VPLS; v != nil && v.VPLSID != 0 {
				for _, inst := range f.vplsIDs[uint64(v.VPLSID)] {
					if !own[inst] {
						out = append(out, Finding{Rule: RuleVCIDCollision, Severity: Error, Device: d.Device, Path: "routing-instances " + inst + " protocols vpls vpls-id",
							Message: fmt.Sprintf("vpls-id %d is already used by routing instance %s", v.VPLSID, inst)})
					}
				}
			}
			for _, u := range serviceValues(&design.Service{Devices: []design.DeviceIntent{*d}}) {
				var users []string
				switch u.kind {
				case pool.KindRT:
					users = f.rts[u.rt.String()]
				case pool.KindRD:
					users = f.rds[u.rd.String()]
				default:
					continue
				}
				for _, who := range users {
					if !own[who] && !own[strings.TrimPrefix(who, "community ")] {
						out = append(out, Finding{Rule: u.rule(), Severity: Error, Device: d.Device, Path: u.path,
							Message: fmt.Sprintf("%s is already configured on %s (%s)", u.text(), d.Device, who)})
					}
				}
			}
		}
		return out
	}
}

func ownNames(d *design.DeviceIntent) map[string]bool {
	own := map[string]bool{}
	if d.VRF != nil {
		own[d.VRF.Name] = true
		own[d.VRF.ImportCommunity] = d.VRF.ImportCommunity != ""
		own[d.VRF.ExportCommunity] = d.VRF.ExportCommunity != ""
	}
	if d.VPLS != nil {
		own[d.VPLS.Name] = true
	}
	if d.L2VPN != nil {
		own[d.L2VPN.Name] = true
	}
	return own
}

func ownCircuit(d *design.DeviceIntent, c circuit) bool {
	return slices.ContainsFunc(d.L2Circuits, func(l design.L2Circuit) bool {
		return l.Neighbor.String() == c.neighbor && l.Interface == c.iface && l.VCID.String() == c.vcid
	})
}

// PreOptions are the inputs of [Pre] besides the service. Every field is
// optional: nil claims skip the pool checks, nil Devices the live checks.
type PreOptions struct {
	// Claims are the pool claims of every owner (pool.Manager.Claims(ctx,
	// "")); the service's own claim is ignored.
	Claims []pool.Claim
	// Devices are sessions to the service's devices: their committed
	// configuration is read and checked ([ConfigCollisions]) and, unless
	// Transport is set, gives the LSPs ([TransportFromConfigs]).
	Devices Devices
	// Transport is an LSP inventory; nil means read it from Devices (and,
	// without Devices, skip the LSP coverage rule).
	Transport *Transport
	// Rules replace [DesignRules] when not nil.
	Rules []Rule
	// Parallel bounds concurrent device reads; 0 means 8.
	Parallel int
}

// Pre is pre-validation of a designed service before anything is pushed:
// the design rules, collisions with other owners' pool claims, collisions
// with what the service's devices carry now, and LSP coverage. The error
// means only that a device could not be read; the findings are sorted.
// Refuse turns them into the error that refuses the order.
func Pre(ctx context.Context, svc *design.Service, o PreOptions) ([]Finding, error) {
	rules := o.Rules
	if rules == nil {
		rules = DesignRules()
	}
	rules = slices.Clone(rules)
	if o.Claims != nil {
		rules = append(rules, PoolCollisions(o.Claims))
	}
	tr := o.Transport
	if o.Devices != nil {
		names := make([]string, 0, len(svc.Devices))
		for _, d := range svc.Devices {
			if d.Platform.Vendor == design.VendorJuniper || d.Platform.Vendor == "" {
				names = append(names, d.Device)
			}
		}
		cfgs, err := ReadConfigs(ctx, o.Devices, names, o.Parallel)
		if err != nil {
			return nil, err
		}
		rules = append(rules, ConfigCollisions(cfgs))
		if tr == nil {
			t := TransportFromConfigs(cfgs)
			tr = &t
		}
	}
	if tr != nil {
		rules = append(rules, LSPCoverage(*tr))
	}
	return Check(svc, rules...), nil
}
