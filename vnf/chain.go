package vnf

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/netid"
)

// Host is the capacity of one NFX that VNFs may use: what is left after the
// device's own control and data planes.
type Host struct {
	// Name is the device's name, for messages.
	Name string
	// Cores is the number of CPU cores free for VNFs; each virtual CPU
	// takes one.
	Cores int
	// MemoryMB and DiskGB are the memory and disk free for VNFs.
	MemoryMB int
	DiskGB   int
	// Ports are the front-panel ports chains may attach to
	// ("ge-0/0/0"); each chain takes two of them, and no port is shared.
	Ports []string
}

// Validate reports whether h is usable. Errors wrap ErrInvalid.
func (h Host) Validate() error {
	if h.Name == "" || jtree.CheckValue(h.Name) != nil {
		return fmt.Errorf("vnf: host %q: bad name: %w", h.Name, ErrInvalid)
	}
	if h.Cores < 0 || h.MemoryMB < 0 || h.DiskGB < 0 {
		return fmt.Errorf("vnf: host %q: negative capacity: %w", h.Name, ErrInvalid)
	}
	for _, p := range h.Ports {
		if err := checkPort(p); err != nil {
			return fmt.Errorf("vnf: host %q: %w", h.Name, err)
		}
	}
	return nil
}

// checkPort accepts Junos physical port names such as ge-0/0/1 and xe-0/0/12.
func checkPort(p string) error {
	ok := len(p) > 3 && len(p) <= 32 && p[2] == '-' && p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z'
	for i := 3; ok && i < len(p); i++ {
		ok = p[i] >= '0' && p[i] <= '9' || p[i] == '/' && p[i-1] != '/' && i < len(p)-1
	}
	if !ok {
		return fmt.Errorf("port %q: want a physical port such as ge-0/0/1: %w", p, ErrInvalid)
	}
	return nil
}

// Function is one hop of a chain: a catalog VNF, optionally scaled up.
type Function struct {
	// VNF and Version name a catalog descriptor; an empty Version means the
	// newest at placement time.
	VNF     string
	Version string
	// VCPUs and MemoryMB override the descriptor's when not zero (vertical
	// scaling); they must not be below it.
	VCPUs    int
	MemoryMB int
}

// Chain is an ordered service chain at one site: traffic enters from the LAN
// port, passes each function in order, and leaves by the WAN port. Each
// segment between two hops is a VLAN on the NFX's internal switch.
type Chain struct {
	// Tenant owns the chain; Name identifies it within the tenant. Both are
	// 1–16 of [a-z0-9-], starting with a letter.
	Tenant string
	Name   string
	// Site is a free-text site name written as the VLAN descriptions.
	Site string
	// LAN and WAN are the host ports the chain attaches to.
	LAN, WAN string
	// FirstVLAN is the first of the len(Functions)+1 consecutive VLAN IDs
	// the chain's segments use (drawn from a pool by the caller).
	FirstVLAN netid.VLANID
	// Functions are the hops, LAN side first; at least one.
	Functions []Function
}

// Validate checks c on its own (placement checks the rest). Errors wrap
// ErrInvalid.
func (c Chain) Validate() error {
	if err := checkName("tenant", c.Tenant, 16); err != nil {
		return fmt.Errorf("vnf: chain: %w", err)
	}
	if err := checkName("chain", c.Name, 16); err != nil {
		return fmt.Errorf("vnf: chain of tenant %q: %w", c.Tenant, err)
	}
	id := c.Tenant + "/" + c.Name
	if jtree.CheckValue(c.Site) != nil || len(c.Site) > 64 {
		return fmt.Errorf("vnf: chain %s: site %q: at most 64 printable characters: %w", id, c.Site, ErrInvalid)
	}
	for _, p := range []string{c.LAN, c.WAN} {
		if err := checkPort(p); err != nil {
			return fmt.Errorf("vnf: chain %s: %w", id, err)
		}
	}
	if c.LAN == c.WAN {
		return fmt.Errorf("vnf: chain %s: LAN and WAN are both %q: %w", id, c.LAN, ErrInvalid)
	}
	if len(c.Functions) == 0 || len(c.Functions) > 8 {
		return fmt.Errorf("vnf: chain %s: %d functions, want 1..8: %w", id, len(c.Functions), ErrInvalid)
	}
	if !c.FirstVLAN.IsValid() || int(c.FirstVLAN)+len(c.Functions) > 4094 {
		return fmt.Errorf("vnf: chain %s: first vlan %d: need %d valid consecutive IDs: %w", id, c.FirstVLAN, len(c.Functions)+1, ErrInvalid)
	}
	for i, f := range c.Functions {
		if f.VCPUs < 0 || f.MemoryMB < 0 {
			return fmt.Errorf("vnf: chain %s: function %d (%q): negative size: %w", id, i+1, f.VNF, ErrInvalid)
		}
	}
	return nil
}

// Instance is one placed VNF of a chain.
type Instance struct {
	// Name is the VNF's name on the NFX: tenant_chain_N-vnf.
	Name string
	// Descriptor is the catalog entry it was placed from.
	Descriptor Descriptor
	// VCPUs and MemoryMB are what it runs with.
	VCPUs    int
	MemoryMB int
	// In and Out are the VLAN names of the segments on its ingress and
	// egress ports.
	In, Out string
}

// Plan is a chain placed on a host.
type Plan struct {
	Chain     Chain
	Instances []Instance
	// VLANs are the segment VLAN IDs, LAN side first; Segments their names.
	VLANs    []netid.VLANID
	Segments []string
	// VCPUs, MemoryMB and DiskGB are the chain's total use of the host.
	VCPUs, MemoryMB, DiskGB int
}

// FitError says which resource a chain lacks on a host. It wraps ErrNoFit.
type FitError struct {
	Host, Tenant, Chain string
	// Resource is "vcpus", "memory MiB", "disk GB", "port ge-0/0/1" or
	// "vlan 101".
	Resource string
	// Need is what the chain needs; Free what the host has left.
	Need, Free int
}

func (e *FitError) Error() string {
	return fmt.Sprintf("vnf: chain %s/%s does not fit on %q: needs %d %s, %d free", e.Tenant, e.Chain, e.Host, e.Need, e.Resource, e.Free)
}

// Unwrap returns ErrNoFit.
func (e *FitError) Unwrap() error { return ErrNoFit }

// Place resolves c's functions in cat and places the chain on h beside the
// chains already placed there. It is pure: nothing changes on error or
// success. Errors wrap ErrInvalid (bad input), ErrNotFound (a function
// not in the catalog), ErrExists (the tenant has a chain of that name on
// h) or are a *FitError (ErrNoFit) naming the first resource that runs out.
func Place(h Host, placed []Plan, c Chain, cat *Catalog) (Plan, error) {
	if err := h.Validate(); err != nil {
		return Plan{}, err
	}
	if err := c.Validate(); err != nil {
		return Plan{}, err
	}
	p := Plan{Chain: c}
	p.Chain.Functions = slices.Clone(c.Functions)
	prefix := c.Tenant + "_" + c.Name
	for i := 0; i <= len(c.Functions); i++ {
		p.VLANs = append(p.VLANs, c.FirstVLAN+netid.VLANID(i))
		p.Segments = append(p.Segments, prefix+"_s"+strconv.Itoa(i))
	}
	for i, f := range c.Functions {
		d, err := cat.Lookup(f.VNF, f.Version)
		if err != nil {
			return Plan{}, fmt.Errorf("vnf: chain %s/%s function %d: %w", c.Tenant, c.Name, i+1, err)
		}
		p.Chain.Functions[i].Version = d.Version
		in := Instance{Name: prefix + "_" + strconv.Itoa(i+1) + "-" + d.Name, Descriptor: d,
			VCPUs: max(f.VCPUs, d.VCPUs), MemoryMB: max(f.MemoryMB, d.MemoryMB), In: p.Segments[i], Out: p.Segments[i+1]}
		if f.VCPUs != 0 && f.VCPUs < d.VCPUs || f.MemoryMB != 0 && f.MemoryMB < d.MemoryMB {
			return Plan{}, fmt.Errorf("vnf: chain %s/%s function %d (%s %s): scaled below the descriptor's %d vcpus, %d MiB: %w",
				c.Tenant, c.Name, i+1, d.Name, d.Version, d.VCPUs, d.MemoryMB, ErrInvalid)
		}
		if in.VCPUs > MaxVCPUs {
			return Plan{}, fmt.Errorf("vnf: chain %s/%s function %d: %d vcpus, at most %d: %w", c.Tenant, c.Name, i+1, in.VCPUs, MaxVCPUs, ErrInvalid)
		}
		p.Instances = append(p.Instances, in)
		p.VCPUs += in.VCPUs
		p.MemoryMB += in.MemoryMB
		p.DiskGB += d.DiskGB
	}
	var used Plan
	ports := map[string]string{}
	vlans := map[netid.VLANID]string{}
	for _, o := range placed {
		if o.Chain.Tenant == c.Tenant && o.Chain.Name == c.Name {
			return Plan{}, fmt.Errorf("vnf: chain %s/%s on %q: %w", c.Tenant, c.Name, h.Name, ErrExists)
		}
		used.VCPUs += o.VCPUs
		used.MemoryMB += o.MemoryMB
		used.DiskGB += o.DiskGB
		ports[o.Chain.LAN], ports[o.Chain.WAN] = o.Chain.Name, o.Chain.Name
		for _, v := range o.VLANs {
			vlans[v] = o.Chain.Name
		}
	}
	fit := func(res string, need, free int) error {
		if need <= free {
			return nil
		}
		return &FitError{Host: h.Name, Tenant: c.Tenant, Chain: c.Name, Resource: res, Need: need, Free: max(free, 0)}
	}
	for _, e := range []error{
		fit("vcpus", p.VCPUs, h.Cores-used.VCPUs),
		fit("memory MiB", p.MemoryMB, h.MemoryMB-used.MemoryMB),
		fit("disk GB", p.DiskGB, h.DiskGB-used.DiskGB),
	} {
		if e != nil {
			return Plan{}, e
		}
	}
	for _, port := range []string{c.LAN, c.WAN} {
		free := 0
		if slices.Contains(h.Ports, port) && ports[port] == "" {
			free = 1
		}
		if err := fit("port "+port, 1, free); err != nil {
			return Plan{}, err
		}
	}
	for _, v := range p.VLANs {
		if vlans[v] != "" {
			return Plan{}, fit("vlan "+v.String(), 1, 0)
		}
	}
	return p, nil
}
