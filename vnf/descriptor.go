package vnf

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// Sentinels. Errors from this package wrap one of them; test with errors.Is.
var (
	// ErrInvalid: a descriptor, chain, host or name is not acceptable.
	ErrInvalid = errors.New("vnf: invalid")
	// ErrExists: the catalog holds that name and version already, or a
	// chain of that name is deployed.
	ErrExists = errors.New("vnf: already exists")
	// ErrNotFound: no such descriptor, version or chain (for this tenant).
	ErrNotFound = errors.New("vnf: not found")
	// ErrNoFit: a chain does not fit on the host; the error is a *FitError.
	ErrNoFit = errors.New("vnf: does not fit")
)

// Role says what a VNF interface is for in a chain.
type Role uint8

const (
	// RoleNone is the zero Role: unset, invalid.
	RoleNone Role = iota
	// RoleIngress faces the previous hop of the chain (the LAN side).
	RoleIngress
	// RoleEgress faces the next hop (the WAN side).
	RoleEgress
	// RoleManagement is the VNF's out-of-band management port.
	RoleManagement
)

var roleNames = [...]string{"", "ingress", "egress", "management"}

// String returns "ingress", "egress", "management", or "" for RoleNone.
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role(" + strconv.Itoa(int(r)) + ")"
}

// ParseRole parses the text form of a Role.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if i > 0 && n == s {
			return Role(i), nil
		}
	}
	return RoleNone, fmt.Errorf("vnf: parse role %q: %w", s, ErrInvalid)
}

// Port is one virtual interface of a VNF: its name inside the NFX
// configuration ("eth2" … "eth31"; eth0 and eth1 are the host's own
// management and internal ports) and its role.
type Port struct {
	Name string
	Role Role
}

// Descriptor describes one onboarded VNF image: what it needs to run and how
// it connects. It is a plain value; Validate checks it.
type Descriptor struct {
	// Name identifies the VNF ("vsrx", "vrouter"): 1–32 of [a-z0-9-],
	// starting with a letter.
	Name string
	// Version is dotted decimal ("20.4.1"): one to four numbers.
	Version string
	// Image is the absolute path of the image file on the NFX
	// ("/var/public/vsrx-20.4.qcow2"), without "..", spaces or quotes.
	Image string
	// Raw marks a raw image; the zero value means qcow2.
	Raw bool
	// VCPUs is the number of virtual CPUs, 1–64 (each pinned to one core).
	VCPUs int
	// MemoryMB is the memory in MiB, at least 256.
	MemoryMB int
	// DiskGB is the disk the image occupies, at least 1.
	DiskGB int
	// Ports are the data interfaces: exactly one RoleIngress and one
	// RoleEgress, at most one RoleManagement, names unique.
	Ports []Port
}

// MaxVCPUs is the most virtual CPUs one VNF may have (the NFX limit).
const MaxVCPUs = 64

// Validate reports whether d can be onboarded. Errors wrap ErrInvalid and
// name the field.
func (d Descriptor) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("vnf: descriptor %q %s: %s: %w", d.Name, d.Version, fmt.Sprintf(format, a...), ErrInvalid)
	}
	if err := checkName("name", d.Name, 32); err != nil {
		return fmt.Errorf("vnf: descriptor: %w", err)
	}
	if _, err := parseVersion(d.Version); err != nil {
		return fmt.Errorf("vnf: descriptor %q: %w", d.Name, err)
	}
	if err := checkImage(d.Image); err != nil {
		return bad("%v", err)
	}
	if d.VCPUs < 1 || d.VCPUs > MaxVCPUs {
		return bad("vcpus %d not in 1..%d", d.VCPUs, MaxVCPUs)
	}
	if d.MemoryMB < 256 || d.MemoryMB > 1<<20 {
		return bad("memory %d MiB not in 256..%d", d.MemoryMB, 1<<20)
	}
	if d.DiskGB < 1 {
		return bad("disk %d GB: at least 1", d.DiskGB)
	}
	seen := map[string]bool{}
	count := map[Role]int{}
	for _, p := range d.Ports {
		n, ok := strings.CutPrefix(p.Name, "eth")
		i, err := strconv.Atoi(n)
		if !ok || err != nil || i < 2 || i > 31 || strconv.Itoa(i) != n {
			return bad("port %q: want eth2 … eth31", p.Name)
		}
		if seen[p.Name] {
			return bad("port %q twice", p.Name)
		}
		seen[p.Name] = true
		if p.Role < RoleIngress || p.Role > RoleManagement {
			return bad("port %q: no role", p.Name)
		}
		count[p.Role]++
	}
	if count[RoleIngress] != 1 || count[RoleEgress] != 1 {
		return bad("want exactly one ingress and one egress port, have %d and %d", count[RoleIngress], count[RoleEgress])
	}
	if count[RoleManagement] > 1 {
		return bad("more than one management port")
	}
	return nil
}

// port returns the name of d's port with role r ("" if none).
func (d Descriptor) port(r Role) string {
	for _, p := range d.Ports {
		if p.Role == r {
			return p.Name
		}
	}
	return ""
}

// checkName accepts 1..max of [a-z0-9-], starting with a letter and not
// ending with '-': names that go into configuration unquoted and into
// instance names joined by '_'.
func checkName(what, s string, max int) error {
	ok := len(s) > 0 && len(s) <= max && s[0] >= 'a' && s[0] <= 'z' && s[len(s)-1] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("%s %q: want 1-%d of a-z, 0-9 and '-', starting with a letter: %w", what, s, max, ErrInvalid)
	}
	return nil
}

func checkImage(s string) error {
	if jtree.CheckValue(s) != nil || !strings.HasPrefix(s, "/") || len(s) > 255 {
		return fmt.Errorf("image %q: want an absolute path of at most 255 bytes", s)
	}
	for _, part := range strings.Split(s[1:], "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("image %q: empty, '.' or '..' path element", s)
		}
	}
	if strings.ContainsAny(s, " \t\"'\\;{}") {
		return fmt.Errorf("image %q: spaces, quotes, ';' and braces are not allowed", s)
	}
	return nil
}

// parseVersion parses one to four dot-separated decimal numbers.
func parseVersion(s string) ([]int, error) {
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 4 {
		return nil, fmt.Errorf("version %q: want 1 to 4 dotted numbers: %w", s, ErrInvalid)
	}
	v := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || strconv.Itoa(n) != p || n > 99999 {
			return nil, fmt.Errorf("version %q: %q is not a number: %w", s, p, ErrInvalid)
		}
		v[i] = n
	}
	return v, nil
}

// CompareVersions orders two valid versions numerically ("1.10" after
// "1.9"; "1.0" after "1"). Invalid versions sort first, by text.
func CompareVersions(a, b string) int {
	va, ea := parseVersion(a)
	vb, eb := parseVersion(b)
	switch {
	case ea != nil || eb != nil:
		if (ea != nil) != (eb != nil) {
			if ea != nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	}
	for i := 0; i < len(va) && i < len(vb); i++ {
		if va[i] != vb[i] {
			if va[i] < vb[i] {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(len(va), len(vb))
}
