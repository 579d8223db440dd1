package vnf

import (
	"fmt"
	"slices"
	"sync"
)

// Catalog holds onboarded VNF descriptors by name and version. The zero
// Catalog is empty and ready to use. A Catalog is safe for concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	entries map[string][]Descriptor // sorted by version, oldest first
}

// Onboard validates d and adds it to the catalog. Errors wrap ErrInvalid, or
// ErrExists when the catalog has d's name and version already; nothing is
// added on error.
func (c *Catalog) Onboard(d Descriptor) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("vnf: onboard: %w", err)
	}
	d.Ports = slices.Clone(d.Ports)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string][]Descriptor{}
	}
	vs := c.entries[d.Name]
	i, found := slices.BinarySearchFunc(vs, d.Version, func(e Descriptor, v string) int { return CompareVersions(e.Version, v) })
	if found {
		return fmt.Errorf("vnf: onboard %q version %s: %w", d.Name, d.Version, ErrExists)
	}
	c.entries[d.Name] = slices.Insert(vs, i, d)
	return nil
}

// Lookup returns the descriptor of name at version, or the newest version
// when version is "". Errors wrap ErrNotFound.
func (c *Catalog) Lookup(name, version string) (Descriptor, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	vs := c.entries[name]
	if len(vs) == 0 {
		return Descriptor{}, fmt.Errorf("vnf: lookup %q: %w", name, ErrNotFound)
	}
	if version == "" {
		return clone(vs[len(vs)-1]), nil
	}
	for _, d := range vs {
		if d.Version == version {
			return clone(d), nil
		}
	}
	return Descriptor{}, fmt.Errorf("vnf: lookup %q version %q: %w", name, version, ErrNotFound)
}

// Versions returns the versions of name in the catalog, oldest first (nil if
// none).
func (c *Catalog) Versions(name string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for _, d := range c.entries[name] {
		out = append(out, d.Version)
	}
	return out
}

// Retire removes one version of name. Chains already placed keep the
// descriptor they were placed with. Errors wrap ErrNotFound.
func (c *Catalog) Retire(name, version string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	vs := c.entries[name]
	for i, d := range vs {
		if d.Version == version {
			c.entries[name] = slices.Delete(vs, i, i+1)
			return nil
		}
	}
	return fmt.Errorf("vnf: retire %q version %q: %w", name, version, ErrNotFound)
}

func clone(d Descriptor) Descriptor {
	d.Ports = slices.Clone(d.Ports)
	return d
}
