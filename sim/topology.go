package sim

// Topologies: containerlab's own .clab.yml read as the description of a
// simulated network. See TOPOLOGY.md for the settings, with examples.

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/carrierkit/carrierkit/netid"
)

// Label and variable keys the simulator reads from a topology. Node labels
// and env follow containerlab's inheritance (defaults < kinds < node, merged
// key by key); link settings live in the link's vars.
const (
	LabelPlatform = "carrierkit.sim/platform" // model key, e.g. "mx480"; see [Platforms]
	LabelHostname = "carrierkit.sim/hostname" // Junos host name; default: the node name
	LabelAddress  = "carrierkit.sim/address"  // listen address; default: next free 127.0.1.x
	LabelPort     = "carrierkit.sim/port"     // listen port; default 830
	LabelUser     = "carrierkit.sim/user"     // login user; default "admin"

	EnvPlatform = "CARRIERKIT_PLATFORM" // same as LabelPlatform, for the process in a container
	EnvHostname = "CARRIERKIT_HOSTNAME" // same as LabelHostname
	EnvUser     = "CARRIERKIT_USER"     // same as LabelUser
	EnvPassword = "CARRIERKIT_PASSWORD" // login password; default "admin@123"

	VarDelay     = "carrierkit.sim/delay"     // link one-way delay, a Go duration ("5ms")
	VarJitter    = "carrierkit.sim/jitter"    // link delay variation, a Go duration
	VarLoss      = "carrierkit.sim/loss"      // link loss in percent, "0.5" or "0.5%"
	VarBandwidth = "carrierkit.sim/bandwidth" // link rate, e.g. "1G" (see netid.ParseBitrate)
)

// Defaults for nodes that do not say otherwise. The credentials are those of
// containerlab's Juniper VM kinds, so a topology works with both.
const (
	DefaultUser     = "admin"
	DefaultPassword = "admin@123"
	DefaultPort     = 830
)

// firstAddress is where automatic address assignment starts.
var firstAddress = netip.MustParseAddr("127.0.1.1")

// kindPlatforms gives containerlab's Juniper VM kinds a default platform so
// that a topology written for real images also runs in the simulator.
var kindPlatforms = map[string]string{
	"juniper_vmx": "mx480", "vr-vmx": "mx480", "vr-juniper_vmx": "mx480",
	"juniper_vjunosrouter":  "mx480",
	"juniper_vjunosevolved": "ptx10003",
	"juniper_vsrx":          "vsrx", "vr-vsrx": "vsrx", "vr-juniper_vsrx": "vsrx",
}

// Topology is a containerlab topology as the simulator understands it. Build
// one with [ParseTopology] or [LoadTopology]; it is a plain value that is
// safe to read from several goroutines once built.
type Topology struct {
	Name   string          // lab name
	Prefix string          // container name prefix as written ("" if absent)
	Dir    string          // directory relative paths are resolved against
	Nodes  []*TopologyNode // in file order
	Links  []*TopologyLink // in file order
}

// TopologyNode is one node after containerlab's inheritance was applied.
type TopologyNode struct {
	Name          string
	Kind          string
	Image         string
	Labels        map[string]string // merged defaults < kind < node
	Env           map[string]string // merged defaults < kind < node
	StartupConfig string            // path (resolved against Topology.Dir) or inline text; "" if none

	// Sim is how the simulator runs the node; nil when the node is not a
	// simulated device (no platform: a plain linux host, a bridge, …).
	Sim *NodeSim
}

// NodeSim holds the simulator settings of one node.
type NodeSim struct {
	Platform string         // model key, validated with LookupPlatform
	Hostname string         // Junos host name
	Addr     netip.AddrPort // listen address and port
	User     string
	Password string
}

// TopologyLink is one point-to-point link between two endpoints.
type TopologyLink struct {
	Endpoints [2]Endpoint
	MTU       int            // containerlab's link mtu; 0 if unset
	Impair    LinkImpairment // from the link's vars
	Vars      map[string]any // all vars as written
}

// Endpoint is one end of a link.
type Endpoint struct {
	Node      string // node name, or "host"/"mgmt-net"/"macvlan" for containerlab's special endpoints
	Interface string // as written: "eth1", "ge-0/0/0", …
	// SimInterface is the Junos interface name on the simulated device (eth1
	// is the platform's first data port, ethN the Nth); "" when Node is not
	// a simulated device.
	SimInterface string
}

// String returns "node:interface".
func (e Endpoint) String() string { return e.Node + ":" + e.Interface }

// LinkImpairment is what the simulated link does to traffic. The zero value
// is a perfect link.
type LinkImpairment struct {
	Delay     time.Duration // one-way
	Jitter    time.Duration // added uniformly in [0, Jitter)
	Loss      float64       // percent, 0..100
	Bandwidth netid.Bitrate // 0 = unlimited
}

// TopologyOptions are optional knobs for [ParseTopology]. The zero value
// reads the process environment for ${VAR} expansion and resolves paths
// against the current directory.
type TopologyOptions struct {
	// Dir is the directory relative startup-config paths are resolved against.
	Dir string
	// LookupEnv looks up variables for ${VAR} expansion, as containerlab does
	// before parsing; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
}

// LoadTopology reads and parses a .clab.yml file; relative paths in it are
// resolved against the file's directory.
func LoadTopology(path string) (*Topology, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sim: topology: %w", err)
	}
	t, err := ParseTopology(b, TopologyOptions{Dir: filepath.Dir(path)})
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return t, nil
}

// ParseTopology parses a containerlab topology. Unknown keys are errors, as in
// containerlab. It checks what the simulator relies on: every link endpoint
// names a known node and an interface the platform has, no interface is used
// twice, platforms are known, addresses are valid and unique. Errors name the
// node, link or field at fault.
func ParseTopology(data []byte, o TopologyOptions) (*Topology, error) {
	lookup := o.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	data = expandEnv(data, lookup)
	var f clabFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("sim: topology: %w", err)
	}
	if f.Name == "" {
		return nil, errors.New("sim: topology: missing name")
	}
	if f.Topology == nil || f.Topology.Nodes.Kind == 0 {
		return nil, fmt.Errorf("sim: topology %q: missing topology.nodes", f.Name)
	}
	t := &Topology{Name: f.Name, Dir: o.Dir}
	if f.Prefix != nil {
		t.Prefix = *f.Prefix
	}
	if err := t.buildNodes(f.Topology); err != nil {
		return nil, fmt.Errorf("sim: topology %q: %w", f.Name, err)
	}
	if err := t.assignAddresses(); err != nil {
		return nil, fmt.Errorf("sim: topology %q: %w", f.Name, err)
	}
	for i, l := range f.Topology.Links {
		tl, err := t.buildLink(l)
		if err != nil {
			return nil, fmt.Errorf("sim: topology %q: link %d: %w", f.Name, i+1, err)
		}
		t.Links = append(t.Links, tl)
	}
	if err := t.checkInterfaces(); err != nil {
		return nil, fmt.Errorf("sim: topology %q: %w", f.Name, err)
	}
	return t, nil
}

// Node returns the node called name, or nil.
func (t *Topology) Node(name string) *TopologyNode {
	for _, n := range t.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// SimNodes returns the simulated nodes, in file order.
func (t *Topology) SimNodes() []*TopologyNode {
	var out []*TopologyNode
	for _, n := range t.Nodes {
		if n.Sim != nil {
			out = append(out, n)
		}
	}
	return out
}

// ---- the file format ----

type clabFile struct {
	Name     string         `yaml:"name"`
	Prefix   *string        `yaml:"prefix"`
	Mgmt     map[string]any `yaml:"mgmt"`
	Settings map[string]any `yaml:"settings"`
	Topology *clabTopology  `yaml:"topology"`
}

type clabTopology struct {
	Defaults *clabNode            `yaml:"defaults"`
	Kinds    map[string]*clabNode `yaml:"kinds"`
	Nodes    yaml.Node            `yaml:"nodes"` // a mapping; decoded by hand to keep file order
	Links    []clabLink           `yaml:"links"`
}

// clabNode has every node field containerlab v0.60 accepts; the simulator
// uses a few and ignores the rest.
type clabNode struct {
	Kind                  string            `yaml:"kind"`
	Group                 string            `yaml:"group"`
	Type                  string            `yaml:"type"`
	StartupConfig         string            `yaml:"startup-config"`
	StartupDelay          uint              `yaml:"startup-delay"`
	EnforceStartupConfig  *bool             `yaml:"enforce-startup-config"`
	SuppressStartupConfig *bool             `yaml:"suppress-startup-config"`
	AutoRemove            *bool             `yaml:"auto-remove"`
	RestartPolicy         string            `yaml:"restart-policy"`
	Config                any               `yaml:"config"`
	Image                 string            `yaml:"image"`
	ImagePullPolicy       string            `yaml:"image-pull-policy"`
	License               string            `yaml:"license"`
	Position              string            `yaml:"position"`
	Entrypoint            string            `yaml:"entrypoint"`
	Cmd                   string            `yaml:"cmd"`
	Exec                  []string          `yaml:"exec"`
	Binds                 []string          `yaml:"binds"`
	Ports                 []string          `yaml:"ports"`
	MgmtIPv4              string            `yaml:"mgmt-ipv4"`
	MgmtIPv6              string            `yaml:"mgmt-ipv6"`
	Publish               []string          `yaml:"publish"`
	Env                   map[string]string `yaml:"env"`
	EnvFiles              []string          `yaml:"env-files"`
	User                  string            `yaml:"user"`
	Labels                map[string]string `yaml:"labels"`
	NetworkMode           string            `yaml:"network-mode"`
	Sandbox               string            `yaml:"sandbox"`
	Kernel                string            `yaml:"kernel"`
	Runtime               string            `yaml:"runtime"`
	CPU                   float64           `yaml:"cpu"`
	CPUSet                string            `yaml:"cpu-set"`
	Memory                string            `yaml:"memory"`
	Sysctls               map[string]string `yaml:"sysctls"`
	Extras                any               `yaml:"extras"`
	Stages                any               `yaml:"stages"`
	DNS                   any               `yaml:"dns"`
	Certificate           any               `yaml:"certificate"`
	Healthcheck           any               `yaml:"healthcheck"`
	Aliases               []string          `yaml:"aliases"`
}

// clabLink is a link in containerlab's brief form (endpoints "node:if") or
// its extended veth form (endpoints {node, interface, mac}).
type clabLink struct {
	Type      string            `yaml:"type"`
	Endpoints []yaml.Node       `yaml:"endpoints"`
	MTU       int               `yaml:"mtu"`
	Labels    map[string]string `yaml:"labels"`
	Vars      map[string]any    `yaml:"vars"`
	// Extended single-endpoint forms (host, mgmt-net, macvlan, …).
	Endpoint      *yaml.Node `yaml:"endpoint"`
	HostInterface string     `yaml:"host-interface"`
	Mode          string     `yaml:"mode"`
	Remote        string     `yaml:"remote"`
	VNI           int        `yaml:"vni"`
	UDPPort       int        `yaml:"udp-port"`
}

// ---- nodes ----

var nodeNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (t *Topology) buildNodes(top *clabTopology) error {
	nodes := &top.Nodes
	if nodes.Kind != yaml.MappingNode {
		return fmt.Errorf("topology.nodes: want a mapping of node names (line %d)", nodes.Line)
	}
	defaults := top.Defaults
	if defaults == nil {
		defaults = &clabNode{}
	}
	for i := 0; i+1 < len(nodes.Content); i += 2 {
		name := nodes.Content[i].Value
		if !nodeNameRE.MatchString(name) {
			return fmt.Errorf("node %q: invalid name (line %d)", name, nodes.Content[i].Line)
		}
		if t.Node(name) != nil {
			return fmt.Errorf("node %q: defined twice (line %d)", name, nodes.Content[i].Line)
		}
		var cn clabNode
		if v := nodes.Content[i+1]; v.Tag != "!!null" {
			if err := decodeStrict(v, &cn); err != nil {
				return fmt.Errorf("node %q: %w", name, err)
			}
		}
		n, err := t.mergeNode(name, &cn, defaults, top)
		if err != nil {
			return fmt.Errorf("node %q: %w", name, err)
		}
		t.Nodes = append(t.Nodes, n)
	}
	if len(t.Nodes) == 0 {
		return errors.New("topology.nodes is empty")
	}
	return nil
}

// decodeStrict decodes a YAML node refusing unknown keys (yaml.Node.Decode
// alone does not).
func decodeStrict(n *yaml.Node, v any) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

// mergeNode applies containerlab's inheritance: scalar fields come from the
// node, else its kind, else the defaults; env and labels are merged key by
// key in that order.
func (t *Topology) mergeNode(name string, cn, defaults *clabNode, top *clabTopology) (*TopologyNode, error) {
	kind := firstNonEmpty(cn.Kind, defaults.Kind)
	if kind == "" {
		return nil, errors.New("kind: set neither on the node nor in topology.defaults")
	}
	k := top.Kinds[kind]
	levels := []*clabNode{defaults, k, cn} // least to most specific
	n := &TopologyNode{Name: name, Kind: kind, Labels: map[string]string{}, Env: map[string]string{}}
	for _, l := range levels {
		if l == nil {
			continue
		}
		for key, v := range l.Labels {
			n.Labels[key] = v
		}
		for key, v := range l.Env {
			n.Env[key] = v
		}
		if l.Image != "" {
			n.Image = l.Image
		}
		if l.StartupConfig != "" {
			n.StartupConfig = l.StartupConfig
		}
	}
	if sc := n.StartupConfig; sc != "" && !strings.Contains(sc, "\n") && !filepath.IsAbs(sc) && t.Dir != "" {
		n.StartupConfig = filepath.Join(t.Dir, sc)
	}
	sim, err := simSettings(n)
	if err != nil {
		return nil, err
	}
	n.Sim = sim
	return n, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

var knownLabels = []string{LabelPlatform, LabelHostname, LabelAddress, LabelPort, LabelUser}

// simSettings reads the simulator's settings from a merged node.
func simSettings(n *TopologyNode) (*NodeSim, error) {
	for key := range n.Labels {
		if strings.HasPrefix(key, "carrierkit.sim/") && !slices.Contains(knownLabels, key) {
			return nil, fmt.Errorf("label %s: unknown simulator label (known: %s)", key, strings.Join(knownLabels, ", "))
		}
	}
	pick := func(label, env string) (string, error) {
		lv, env1 := n.Labels[label], n.Env[env]
		if label != "" && env != "" && lv != "" && env1 != "" && lv != env1 {
			return "", fmt.Errorf("label %s %q and env %s %q disagree", label, lv, env, env1)
		}
		return firstNonEmpty(lv, env1), nil
	}
	platform, err := pick(LabelPlatform, EnvPlatform)
	if err != nil {
		return nil, err
	}
	if platform == "" {
		platform = kindPlatforms[n.Kind]
	}
	if platform == "" {
		for key := range n.Labels {
			if strings.HasPrefix(key, "carrierkit.sim/") {
				return nil, fmt.Errorf("label %s set but no platform: add label %s", key, LabelPlatform)
			}
		}
		return nil, nil // not a simulated device
	}
	p, err := LookupPlatform(platform)
	if err != nil {
		return nil, fmt.Errorf("platform: %w", err)
	}
	s := &NodeSim{Platform: p.Model}
	if s.Hostname, err = pick(LabelHostname, EnvHostname); err != nil {
		return nil, err
	}
	if s.Hostname == "" {
		s.Hostname = n.Name
	}
	if !validHostname(s.Hostname) {
		return nil, fmt.Errorf("hostname %q: want letters, digits, '-', '_' and '.'", s.Hostname)
	}
	if s.User, err = pick(LabelUser, EnvUser); err != nil {
		return nil, err
	}
	s.User = firstNonEmpty(s.User, DefaultUser)
	s.Password = firstNonEmpty(n.Env[EnvPassword], DefaultPassword)
	port := uint16(DefaultPort)
	if v, ok := n.Labels[LabelPort]; ok {
		p, err := strconv.ParseUint(v, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("label %s %q: want a port number 0..65535", LabelPort, v)
		}
		port = uint16(p)
	}
	var addr netip.Addr
	if v, ok := n.Labels[LabelAddress]; ok {
		a, err := netip.ParseAddr(v)
		if err != nil || a.IsUnspecified() || a.IsMulticast() || a.Zone() != "" {
			return nil, fmt.Errorf("label %s %q: want a unicast IP address such as 127.0.1.1", LabelAddress, v)
		}
		addr = a
	}
	s.Addr = netip.AddrPortFrom(addr, port) // an invalid addr is filled in by assignAddresses
	return s, nil
}

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

func validHostname(s string) bool { return hostnameRE.MatchString(s) }

// assignAddresses checks explicit addresses for duplicates and gives every
// other simulated node the next free address from 127.0.1.1 on, skipping
// host parts .0 and .255.
func (t *Topology) assignAddresses() error {
	used := map[netip.AddrPort]string{}
	taken := map[netip.Addr]bool{}
	for _, n := range t.SimNodes() {
		if !n.Sim.Addr.Addr().IsValid() {
			continue
		}
		if other, dup := used[n.Sim.Addr]; dup {
			return fmt.Errorf("node %q: label %s: address %s is already node %q's", n.Name, LabelAddress, n.Sim.Addr, other)
		}
		used[n.Sim.Addr] = n.Name
		taken[n.Sim.Addr.Addr()] = true
	}
	next := firstAddress
	for _, n := range t.SimNodes() {
		if n.Sim.Addr.Addr().IsValid() {
			continue
		}
		for taken[next] || next.As4()[3] == 0 || next.As4()[3] == 255 {
			next = next.Next()
			if !next.IsLoopback() {
				return fmt.Errorf("node %q: no free loopback address left", n.Name)
			}
		}
		n.Sim.Addr = netip.AddrPortFrom(next, n.Sim.Addr.Port())
		taken[next] = true
	}
	return nil
}

// ---- links ----

// specialEndpoints are containerlab endpoint "nodes" that are not nodes.
var specialEndpoints = []string{"host", "mgmt-net", "macvlan"}

func (t *Topology) buildLink(l clabLink) (*TopologyLink, error) {
	switch l.Type {
	case "", "veth":
	default:
		return nil, fmt.Errorf("type %q: the simulator supports only veth links", l.Type)
	}
	if len(l.Endpoints) != 2 {
		return nil, fmt.Errorf("endpoints: want exactly 2, have %d", len(l.Endpoints))
	}
	tl := &TopologyLink{MTU: l.MTU, Vars: l.Vars}
	for i, en := range l.Endpoints {
		e, err := parseEndpoint(&en)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(specialEndpoints, e.Node) {
			n := t.Node(e.Node)
			if n == nil {
				return nil, fmt.Errorf("endpoint %q: unknown node %q", e, e.Node)
			}
			if n.Sim != nil {
				p, err := LookupPlatform(n.Sim.Platform)
				if err != nil {
					return nil, err
				}
				if e.SimInterface, err = simInterface(p, e.Interface); err != nil {
					return nil, fmt.Errorf("endpoint %q: %w", e, err)
				}
			}
		}
		tl.Endpoints[i] = e
	}
	var err error
	if tl.Impair, err = parseImpairment(l.Vars); err != nil {
		return nil, fmt.Errorf("%s -- %s: %w", tl.Endpoints[0], tl.Endpoints[1], err)
	}
	return tl, nil
}

func parseEndpoint(n *yaml.Node) (Endpoint, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		node, intf, ok := strings.Cut(n.Value, ":")
		if !ok || node == "" || intf == "" {
			return Endpoint{}, fmt.Errorf("endpoint %q: want node:interface (line %d)", n.Value, n.Line)
		}
		return Endpoint{Node: node, Interface: intf}, nil
	case yaml.MappingNode:
		var m struct {
			Node      string `yaml:"node"`
			Interface string `yaml:"interface"`
			MAC       string `yaml:"mac"`
			IPv4      string `yaml:"ipv4"`
			IPv6      string `yaml:"ipv6"`
		}
		if err := decodeStrict(n, &m); err != nil {
			return Endpoint{}, fmt.Errorf("endpoint (line %d): %w", n.Line, err)
		}
		if m.Node == "" || m.Interface == "" {
			return Endpoint{}, fmt.Errorf("endpoint (line %d): want node and interface", n.Line)
		}
		return Endpoint{Node: m.Node, Interface: m.Interface}, nil
	}
	return Endpoint{}, fmt.Errorf("endpoint (line %d): want \"node:interface\" or {node, interface}", n.Line)
}

var ethRE = regexp.MustCompile(`^eth([0-9]+)$`)

// simInterface maps a containerlab interface name to the platform's Junos
// name: ethN (N ≥ 1) is the Nth data port in FPC/PIC/port order (eth0 is the
// container's management interface and cannot be linked); a Junos name is
// taken as is if the platform has that port.
func simInterface(p *Platform, name string) (string, error) {
	ports := p.Ports()
	if m := ethRE.FindStringSubmatch(name); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n == 0 {
			return "", fmt.Errorf("interface %s is the management interface; data links start at eth1", name)
		}
		if n > len(ports) {
			return "", fmt.Errorf("interface %s: platform %s has only %d data ports", name, p.Model, len(ports))
		}
		return ports[n-1].Name, nil
	}
	for _, pt := range ports {
		if pt.Name == name {
			return name, nil
		}
	}
	return "", fmt.Errorf("interface %s: platform %s has no such port (use ethN or one of %s … %s)",
		name, p.Model, ports[0].Name, ports[len(ports)-1].Name)
}

// checkInterfaces refuses an interface used by two links.
func (t *Topology) checkInterfaces() error {
	seen := map[string]int{}
	for i, l := range t.Links {
		for _, e := range l.Endpoints {
			if slices.Contains(specialEndpoints, e.Node) {
				continue
			}
			key := e.Node + ":" + firstNonEmpty(e.SimInterface, e.Interface)
			if j, dup := seen[key]; dup {
				return fmt.Errorf("link %d: endpoint %q: interface already used by link %d", i+1, e, j+1)
			}
			seen[key] = i
		}
	}
	return nil
}

func parseImpairment(vars map[string]any) (LinkImpairment, error) {
	var li LinkImpairment
	str := func(key string) (string, bool) {
		v, ok := vars[key]
		if !ok || v == nil {
			return "", false
		}
		return strings.TrimSpace(fmt.Sprint(v)), true
	}
	for key := range vars {
		if strings.HasPrefix(key, "carrierkit.sim/") && !slices.Contains([]string{VarDelay, VarJitter, VarLoss, VarBandwidth}, key) {
			return li, fmt.Errorf("vars %s: unknown simulator setting (known: %s, %s, %s, %s)", key, VarDelay, VarJitter, VarLoss, VarBandwidth)
		}
	}
	dur := func(key string) (time.Duration, error) {
		s, ok := str(key)
		if !ok {
			return 0, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("vars %s %q: want a duration such as 5ms", key, s)
		}
		return d, nil
	}
	var err error
	if li.Delay, err = dur(VarDelay); err != nil {
		return li, err
	}
	if li.Jitter, err = dur(VarJitter); err != nil {
		return li, err
	}
	if s, ok := str(VarLoss); ok {
		v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || v < 0 || v > 100 {
			return li, fmt.Errorf("vars %s %q: want a percentage 0..100", VarLoss, s)
		}
		li.Loss = v
	}
	if s, ok := str(VarBandwidth); ok {
		b, err := netid.ParseBitrate(s)
		if err != nil {
			return li, fmt.Errorf("vars %s: %w", VarBandwidth, err)
		}
		li.Bandwidth = b
	}
	return li, nil
}

// ---- ${VAR} expansion ----

var envRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandEnv replaces ${VAR}, $VAR, ${VAR:-default} / ${VAR:=default} (default
// when unset or empty) and ${VAR-default} / ${VAR=default} (default when
// unset) as containerlab does before it parses a topology. Unset variables
// without a default become empty. "$$" is a literal "$".
func expandEnv(b []byte, lookup func(string) (string, bool)) []byte {
	const dollar = "\x00carrierkit-dollar\x00"
	s := strings.ReplaceAll(string(b), "$$", dollar)
	s = envRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := envRE.FindStringSubmatch(m)
		if sub[4] != "" {
			v, _ := lookup(sub[4])
			return v
		}
		v, ok := lookup(sub[1])
		switch op := sub[2]; {
		case op == "":
			return v
		case strings.HasPrefix(op, ":") && v == "":
			return sub[3]
		case !strings.HasPrefix(op, ":") && !ok:
			return sub[3]
		}
		return v
	})
	return []byte(strings.ReplaceAll(s, dollar, "$"))
}
