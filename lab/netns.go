package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Options say how Up starts each node's simulator.
type Options struct {
	// Command returns the program and arguments that run node n inside its
	// namespace (Up prefixes `ip netns exec <ns>`). Nil means SimCommand
	// with the carrierkit-sim found in $PATH.
	Command func(p *Plan, n *PlanNode) []string
	// Env is added to every simulator's environment (after the node's own
	// topology env and CARRIERKIT_* settings).
	Env []string
	// LogDir receives one <node>.log per simulator; "" means
	// $TMPDIR/carrierkit-lab/<lab>.
	LogDir string
	// Ready bounds how long Up waits for every simulator to listen; 0 means
	// 30 s.
	Ready time.Duration
}

// SimCommand returns a Command that runs carrierkit-sim (the binary at bin)
// as the one device of a node, listening on its management address.
func SimCommand(bin string) func(p *Plan, n *PlanNode) []string {
	return func(p *Plan, n *PlanNode) []string {
		return []string{bin, "-listen", n.Listen.String(), "-hostname", n.Sim.Hostname,
			"-platform", n.Sim.Platform, "-user", n.Sim.User}
	}
}

// LogDir returns where o puts the simulators' logs for plan p.
func (o Options) logDir(p *Plan) string {
	if o.LogDir != "" {
		return o.LogDir
	}
	return filepath.Join(os.TempDir(), "carrierkit-lab", p.Topology.Name)
}

// ipCmd runs ip(8) with args; the error quotes the command and its output.
func ipCmd(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// Up creates the lab of plan p: the management bridge, one namespace per
// node with its management and data veths, and a running simulator in each,
// and returns when every simulator accepts connections on its management
// address. On any failure it tears down everything it made (Down) and
// returns the first error, naming the step and the node.
func Up(ctx context.Context, p *Plan, o Options) (err error) {
	if os.Geteuid() != 0 {
		return errors.New("lab: up needs root (it creates network namespaces and veth pairs)")
	}
	if err := checkSubnetFree(ctx, p); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if derr := Down(context.WithoutCancel(ctx), p); derr != nil {
				err = errors.Join(err, fmt.Errorf("lab: clean-up after failed up: %w", derr))
			}
		}
	}()
	if o.Command == nil {
		bin, lerr := exec.LookPath("carrierkit-sim")
		if lerr != nil {
			return fmt.Errorf("lab: carrierkit-sim not found: %w", lerr)
		}
		o.Command = SimCommand(bin)
	}
	bits := strconv.Itoa(p.Subnet.Bits())
	steps := [][]string{
		{"link", "add", p.Bridge, "type", "bridge"},
		{"addr", "add", p.Gateway.String() + "/" + bits, "dev", p.Bridge},
		{"link", "set", p.Bridge, "up"},
	}
	for _, s := range steps {
		if err := ipCmd(ctx, s...); err != nil {
			return fmt.Errorf("lab %s: bridge: %w", p.Topology.Name, err)
		}
	}
	for _, n := range p.Nodes {
		ns := n.Namespace
		steps := [][]string{
			{"netns", "add", ns},
			{"-n", ns, "link", "set", "lo", "up"},
			{"link", "add", n.HostVeth, "type", "veth", "peer", "name", "eth0", "netns", ns},
			{"link", "set", n.HostVeth, "master", p.Bridge, "up"},
			{"-n", ns, "addr", "add", n.Mgmt.String() + "/" + bits, "dev", "eth0"},
			{"-n", ns, "link", "set", "eth0", "up"},
		}
		for _, s := range steps {
			if err := ipCmd(ctx, s...); err != nil {
				return fmt.Errorf("lab %s: node %s: %w", p.Topology.Name, n.Name, err)
			}
		}
	}
	for i, l := range p.Links {
		a, b := p.Nodes[l.A], p.Nodes[l.B]
		mtu := strconv.Itoa(l.MTU)
		steps := [][]string{
			{"link", "add", l.AIf, "netns", a.Namespace, "mtu", mtu, "type", "veth", "peer", "name", l.BIf, "netns", b.Namespace, "mtu", mtu},
			{"-n", a.Namespace, "link", "set", l.AIf, "up"},
			{"-n", b.Namespace, "link", "set", l.BIf, "up"},
		}
		for _, s := range steps {
			if err := ipCmd(ctx, s...); err != nil {
				return fmt.Errorf("lab %s: link %d (%s:%s, %s:%s): %w", p.Topology.Name, i+1, a.Name, l.AIf, b.Name, l.BIf, err)
			}
		}
	}
	logDir := o.logDir(p)
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return fmt.Errorf("lab %s: %w", p.Topology.Name, err)
	}
	for i := range p.Nodes {
		if err := start(p, &p.Nodes[i], o, logDir); err != nil {
			return err
		}
	}
	ready := o.Ready
	if ready <= 0 {
		ready = 30 * time.Second
	}
	deadline := time.Now().Add(ready)
	for _, n := range p.Nodes {
		if err := waitListening(ctx, n.Listen, deadline); err != nil {
			return fmt.Errorf("lab %s: node %s did not listen on %s: %w%s", p.Topology.Name, n.Name, n.Listen, err,
				logTail(filepath.Join(logDir, n.Name+".log")))
		}
	}
	return nil
}

// start launches node n's simulator in its namespace, detached from Up's
// process (its own session), logging to logDir/<node>.log.
func start(p *Plan, n *PlanNode, o Options, logDir string) error {
	args := append([]string{"netns", "exec", n.Namespace}, o.Command(p, n)...)
	logf, err := os.Create(filepath.Join(logDir, n.Name+".log"))
	if err != nil {
		return fmt.Errorf("lab %s: node %s: %w", p.Topology.Name, n.Name, err)
	}
	defer logf.Close()
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), nodeEnv(n)...)
	cmd.Env = append(cmd.Env, o.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("lab %s: node %s: start %s: %w", p.Topology.Name, n.Name, args[3], err)
	}
	go cmd.Wait() // reap it if it exits while this process lives
	return nil
}

// nodeEnv is the environment containerlab would give the node's container:
// its topology env, plus the simulator settings as CARRIERKIT_* variables.
func nodeEnv(n *PlanNode) []string {
	var env []string
	for k, v := range n.Node.Env {
		env = append(env, k+"="+v)
	}
	return append(env, "CARRIERKIT_PLATFORM="+n.Sim.Platform, "CARRIERKIT_HOSTNAME="+n.Sim.Hostname,
		"CARRIERKIT_USER="+n.Sim.User, "CARRIERKIT_SIM_PASSWORD="+n.Sim.Password)
}

func waitListening(ctx context.Context, a netip.AddrPort, deadline time.Time) error {
	for {
		c, err := net.DialTimeout("tcp", a.String(), 500*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func logTail(file string) string {
	b, err := os.ReadFile(file)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return "; its log ends: " + string(bytes.TrimSpace(b))
}

// checkSubnetFree refuses a management subnet that overlaps a route of the
// root namespace (other than this lab's own bridge, left by an earlier run).
func checkSubnetFree(ctx context.Context, p *Plan) error {
	out, err := exec.CommandContext(ctx, "ip", "-4", "route", "show", "table", "all").Output()
	if err != nil {
		return fmt.Errorf("lab: ip route: %w", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.Contains(line, " dev "+p.Bridge+" ") || strings.HasSuffix(line, " dev "+p.Bridge) {
			continue
		}
		dst := f[0]
		if dst == "default" || dst == "local" || dst == "broadcast" || dst == "unreachable" {
			continue
		}
		if !strings.Contains(dst, "/") {
			dst += "/32"
		}
		r, err := netip.ParsePrefix(dst)
		if err != nil {
			continue
		}
		if r.Overlaps(p.Subnet) {
			return fmt.Errorf("lab %s: management subnet %s overlaps the existing route %q; set mgmt.ipv4-subnet in %s",
				p.Topology.Name, p.Subnet, strings.TrimSpace(line), p.File)
		}
	}
	return nil
}

// Down removes everything Up makes for plan p, whatever state a failed or
// interrupted Up left: it stops the processes in the lab's namespaces
// (SIGTERM, then SIGKILL after 3 s), deletes the namespaces, veths and the
// bridge, and waits until the kernel has removed them. Missing pieces are
// not errors.
func Down(ctx context.Context, p *Plan) error {
	var errs []error
	existing := namespaces(ctx)
	var pids []int
	for _, n := range p.Nodes {
		if existing[n.Namespace] {
			pids = append(pids, nsPids(ctx, n.Namespace)...)
		}
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGTERM)
	}
	deadline := time.Now().Add(3 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	for _, n := range p.Nodes {
		if linkExists(n.HostVeth) {
			if err := ipCmd(ctx, "link", "del", n.HostVeth); err != nil && linkExists(n.HostVeth) {
				errs = append(errs, err)
			}
		}
		if existing[n.Namespace] {
			if err := ipCmd(ctx, "netns", "del", n.Namespace); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if linkExists(p.Bridge) {
		if err := ipCmd(ctx, "link", "del", p.Bridge); err != nil {
			errs = append(errs, err)
		}
	}
	// Namespace deletion is asynchronous: wait for their links to go.
	deadline = time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if len(Leftovers(ctx, p)) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if left := Leftovers(ctx, p); len(left) > 0 {
		errs = append(errs, fmt.Errorf("still present: %s", strings.Join(left, ", ")))
	}
	if len(errs) > 0 {
		return fmt.Errorf("lab %s: down: %w", p.Topology.Name, errors.Join(errs...))
	}
	return nil
}

// Leftovers lists what of plan p exists on the machine: namespaces,
// root-namespace links and processes running in the lab's namespaces. It is
// empty after Down.
func Leftovers(ctx context.Context, p *Plan) []string {
	var left []string
	ns := namespaces(ctx)
	for _, n := range p.Nodes {
		if ns[n.Namespace] {
			left = append(left, "namespace "+n.Namespace)
			for _, pid := range nsPids(ctx, n.Namespace) {
				left = append(left, fmt.Sprintf("process %d in %s", pid, n.Namespace))
			}
		}
		if linkExists(n.HostVeth) {
			left = append(left, "link "+n.HostVeth)
		}
	}
	if linkExists(p.Bridge) {
		left = append(left, "link "+p.Bridge)
	}
	return left
}

func namespaces(ctx context.Context) map[string]bool {
	out, _ := exec.CommandContext(ctx, "ip", "netns", "list").Output()
	m := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			m[f[0]] = true
		}
	}
	return m
}

func nsPids(ctx context.Context, ns string) []int {
	out, _ := exec.CommandContext(ctx, "ip", "netns", "pids", ns).Output()
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
			pids = append(pids, pid)
		}
	}
	return pids
}

func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// A zombie has exited; its parent has yet to reap it.
	f := strings.Fields(string(b))
	return len(f) < 3 || f[2] != "Z"
}

func linkExists(name string) bool {
	_, err := os.Stat("/sys/class/net/" + name)
	return err == nil
}

// PrintAddresses writes one line per node: name, namespace, management
// address and platform, as `lab up` prints them.
func PrintAddresses(w io.Writer, p *Plan) {
	fmt.Fprintf(w, "lab %s: %d nodes, management %s (bridge %s, gateway %s)\n", p.Topology.Name, len(p.Nodes), p.Subnet, p.Bridge, p.Gateway)
	for _, n := range p.Nodes {
		fmt.Fprintf(w, "%-10s %-28s %-21s %s\n", n.Name, n.Namespace, n.Listen, n.Sim.Platform)
	}
}
