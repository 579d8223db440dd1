package vnf

import (
	"errors"
	"slices"
	"testing"
)

func TestDescriptorValidate(t *testing.T) {
	t.Parallel()
	good := Descriptor{Name: "vsrx", Version: "20.4.1", Image: "/var/public/vsrx.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
		Ports: []Port{{"eth2", RoleIngress}, {"eth3", RoleEgress}, {"eth4", RoleManagement}}}
	tests := []struct {
		name   string
		mutate func(*Descriptor)
		ok     bool
	}{
		{"good", func(*Descriptor) {}, true},
		{"name with space", func(d *Descriptor) { d.Name = "v srx" }, false},
		{"name with quote", func(d *Descriptor) { d.Name = `vsrx"; delete` }, false},
		{"name with newline", func(d *Descriptor) { d.Name = "vsrx\nset system" }, false},
		{"name uppercase", func(d *Descriptor) { d.Name = "VSRX" }, false},
		{"name starts with digit", func(d *Descriptor) { d.Name = "1vsrx" }, false},
		{"name ends with dash", func(d *Descriptor) { d.Name = "vsrx-" }, false},
		{"name too long", func(d *Descriptor) { d.Name = "a234567890123456789012345678901234" }, false},
		{"version empty", func(d *Descriptor) { d.Version = "" }, false},
		{"version leading zero", func(d *Descriptor) { d.Version = "20.04" }, false},
		{"version five parts", func(d *Descriptor) { d.Version = "1.2.3.4.5" }, false},
		{"version letters", func(d *Descriptor) { d.Version = "20.4R1" }, false},
		{"image relative", func(d *Descriptor) { d.Image = "vsrx.qcow2" }, false},
		{"image traversal", func(d *Descriptor) { d.Image = "/var/public/../../etc/passwd" }, false},
		{"image with space", func(d *Descriptor) { d.Image = "/var/public/my image.qcow2" }, false},
		{"image with brace", func(d *Descriptor) { d.Image = "/var/public/x;}" }, false},
		{"image control char", func(d *Descriptor) { d.Image = "/var/public/x\x00" }, false},
		{"zero vcpus", func(d *Descriptor) { d.VCPUs = 0 }, false},
		{"65 vcpus", func(d *Descriptor) { d.VCPUs = 65 }, false},
		{"tiny memory", func(d *Descriptor) { d.MemoryMB = 128 }, false},
		{"no disk", func(d *Descriptor) { d.DiskGB = 0 }, false},
		{"eth0 reserved", func(d *Descriptor) { d.Ports[0].Name = "eth0" }, false},
		{"eth02 not canonical", func(d *Descriptor) { d.Ports[0].Name = "eth02" }, false},
		{"duplicate port", func(d *Descriptor) { d.Ports[1].Name = "eth2" }, false},
		{"no egress", func(d *Descriptor) { d.Ports[1].Role = RoleIngress }, false},
		{"port without role", func(d *Descriptor) { d.Ports[2].Role = RoleNone }, false},
		{"two management", func(d *Descriptor) { d.Ports = append(d.Ports, Port{"eth5", RoleManagement}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := clone(good)
			tt.mutate(&d)
			err := d.Validate()
			if tt.ok != (err == nil) || err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want ok=%v (errors wrap ErrInvalid)", err, tt.ok)
			}
		})
	}
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"1.9", "1.10", -1},
		{"1.10", "1.9", 1},
		{"2", "2.0", -1},
		{"20.4.1", "20.4.1", 0},
		{"bad", "1", -1},
		{"1", "bad", 1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestRoleText(t *testing.T) {
	t.Parallel()
	for _, r := range []Role{RoleIngress, RoleEgress, RoleManagement} {
		got, err := ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r, got, err)
		}
	}
	if _, err := ParseRole(""); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseRole(\"\") = %v", err)
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	c := testCatalog(t)
	if got := c.Versions("vsrx"); !slices.Equal(got, []string{"20.4.1", "21.2"}) {
		t.Errorf("Versions = %v", got)
	}
	d, err := c.Lookup("vsrx", "")
	if err != nil || d.Version != "21.2" {
		t.Errorf("newest vsrx = %v, %v", d.Version, err)
	}
	// Onboarding in any order keeps versions sorted numerically.
	for _, v := range []string{"21.10", "21.9", "3"} {
		d.Version = v
		if err := c.Onboard(d); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Versions("vsrx"); !slices.Equal(got, []string{"3", "20.4.1", "21.2", "21.9", "21.10"}) {
		t.Errorf("Versions = %v", got)
	}
	if err := c.Onboard(d); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate onboard: %v", err)
	}
	bad := d
	bad.VCPUs = 0
	bad.Version = "99"
	if err := c.Onboard(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid onboard: %v", err)
	}
	if _, err := c.Lookup("vsrx", "99"); !errors.Is(err, ErrNotFound) {
		t.Errorf("invalid descriptor was added: %v", err)
	}
	// A descriptor returned by Lookup is a copy.
	got, _ := c.Lookup("vsrx", "21.2")
	got.Ports[0].Name = "eth9"
	if again, _ := c.Lookup("vsrx", "21.2"); again.Ports[0].Name != "eth2" {
		t.Error("Lookup returned shared ports")
	}
	if err := c.Retire("vsrx", "21.10"); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Lookup("vsrx", ""); d.Version != "21.9" {
		t.Errorf("newest after retire = %s", d.Version)
	}
	if err := c.Retire("vsrx", "21.10"); !errors.Is(err, ErrNotFound) {
		t.Errorf("retire twice: %v", err)
	}
	if _, err := c.Lookup("nothing", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("lookup of unknown: %v", err)
	}
}
