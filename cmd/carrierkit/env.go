package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store/bolt"
)

// Environment variables the network commands read.
const (
	envPassword   = "CARRIERKIT_PASSWORD"    // device password, if no -password-file
	envUser       = "CARRIERKIT_USER"        // device user, if no -user
	envKnownHosts = "CARRIERKIT_KNOWN_HOSTS" // known_hosts file, if no -known-hosts
)

// netFlags are the flags every command that talks to devices shares.
type netFlags struct {
	store        string
	sim          string
	simState     string
	user         string
	passwordFile string
	knownHosts   string
	port         uint
	output       string
}

func (f *netFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.store, "store", "carrierkit.db", "embedded store `file` (inventory, pools, orders), created if missing")
	fs.StringVar(&f.sim, "sim", "", "run against an in-process simulated network started from this containerlab `topology`;\n"+
		"its committed configurations persist in -sim-state between invocations")
	fs.StringVar(&f.simState, "sim-state", "", "`directory` keeping the simulated devices' configurations (default: <store>.sim)")
	fs.StringVar(&f.user, "user", "", "device login `name` (default $"+envUser+", else admin)")
	fs.StringVar(&f.passwordFile, "password-file", "", "`file` holding the device password (default $"+envPassword+")")
	fs.StringVar(&f.knownHosts, "known-hosts", "", "OpenSSH known_hosts `file` that device host keys are checked against\n"+
		"(default $"+envKnownHosts+"; with -sim, written by the simulator)")
	fs.UintVar(&f.port, "port", inventory.DefaultPort, "NETCONF `port` of real devices")
	fs.StringVar(&f.output, "o", "text", "output `format`: text or json")
}

func (f *netFlags) check(cmd string) error {
	if f.output != "text" && f.output != "json" {
		return fmt.Errorf("%w: %s: -o %q: want text or json", errUsage, cmd, f.output)
	}
	if f.port == 0 || f.port > 65535 {
		return fmt.Errorf("%w: %s: -port %d out of range", errUsage, cmd, f.port)
	}
	return nil
}

// env is what a network command works with: the store, the pools, the
// inventory and, once asked for, the orchestrator; with -sim, the
// simulated network too.
type env struct {
	f     netFlags
	st    *bolt.Store
	pools *pool.Manager
	inv   *inventory.Inventory
	nw    *sim.Network
	creds device.Credentials
	keys  device.HostKeys
	sess  *device.Pool
}

// parseFlags parses args for a network command whose usage text is usage
// and which takes no positional arguments beyond nargs.
func parseFlags(name, usage string, args []string, stderr io.Writer, nf *netFlags, extra func(*flag.FlagSet)) (*flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if nf != nil {
		nf.register(fs)
	}
	if extra != nil {
		extra(fs)
	}
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if nf != nil {
		if err := nf.check(name); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

// openEnv opens the store (creating design's default pools if missing),
// starts the simulated network with -sim, and sets up credentials and
// host-key checking.
func openEnv(ctx context.Context, f netFlags) (*env, error) {
	e := &env{f: f}
	if dir := filepath.Dir(f.store); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	var err error
	if e.st, err = bolt.Open(f.store); err != nil {
		return nil, err
	}
	e.pools = pool.New(e.st)
	if err := ensurePools(ctx, e.pools); err != nil {
		e.close()
		return nil, err
	}
	if f.sim != "" {
		if err := e.startSim(ctx); err != nil {
			e.close()
			return nil, err
		}
	} else if err := e.realCredentials(); err != nil {
		e.close()
		return nil, err
	}
	e.inv, err = inventory.New(e.st, netconf.Dialer(), inventory.Options{Port: uint16(f.port), Credentials: e.creds,
		HostKeys: e.keys, Timeout: 20 * time.Second})
	if err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

// realCredentials reads the user, the password (file or environment, never
// a flag value alone) and the known_hosts file for real devices.
func (e *env) realCredentials() error {
	user := e.f.user
	if user == "" {
		user = os.Getenv(envUser)
	}
	if user == "" {
		user = "admin"
	}
	pw := os.Getenv(envPassword)
	if e.f.passwordFile != "" {
		b, err := os.ReadFile(e.f.passwordFile)
		if err != nil {
			return fmt.Errorf("-password-file: %w", err)
		}
		pw = strings.TrimRight(string(b), "\r\n")
	}
	kh := e.f.knownHosts
	if kh == "" {
		kh = os.Getenv(envKnownHosts)
	}
	e.creds = device.Password(user, pw)
	if kh != "" {
		e.keys = device.KnownHostsFile(kh)
	}
	return nil
}

func (e *env) stateDir() string {
	if e.f.simState != "" {
		return e.f.simState
	}
	return e.f.store + ".sim"
}

// startSim starts the simulated network of -sim. Devices boot from the
// configuration saved in the state directory by an earlier invocation, else
// from the topology's startup configuration; close saves them again.
func (e *env) startSim(ctx context.Context) error {
	topo, err := sim.LoadTopology(e.f.sim)
	if err != nil {
		return err
	}
	dir := e.stateDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, n := range topo.SimNodes() {
		if b, err := os.ReadFile(filepath.Join(dir, n.Name+".conf")); err == nil {
			n.StartupConfig = string(b)
			if !strings.Contains(n.StartupConfig, "\n") {
				n.StartupConfig += "\n"
			}
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if e.nw, err = sim.StartNetwork(ctx, topo, sim.NetworkOptions{}); err != nil {
		return err
	}
	e.nw.Sync()
	kh := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(kh, e.nw.KnownHosts(), 0o644); err != nil {
		return err
	}
	e.keys = device.KnownHostsFile(kh)
	ns := topo.SimNodes()
	if len(ns) == 0 {
		return fmt.Errorf("topology %s has no simulated node", e.f.sim)
	}
	e.creds = device.Password(ns[0].Sim.User, ns[0].Sim.Password)
	return nil
}

// simTargets returns the addresses of the simulated devices, for discovery.
func (e *env) simTargets() []inventory.Target {
	var ts []inventory.Target
	for _, d := range e.nw.Devices() {
		ts = append(ts, inventory.Target{Addr: d.Addr()})
	}
	return ts
}

func (e *env) close() error {
	var errs []error
	if e.sess != nil {
		errs = append(errs, e.sess.Close())
	}
	if e.nw != nil {
		dir := e.stateDir()
		for _, d := range e.nw.Devices() {
			errs = append(errs, os.WriteFile(filepath.Join(dir, d.Hostname()+".conf"), d.Committed().Text(), 0o644))
		}
		errs = append(errs, e.nw.Close())
	}
	if e.st != nil {
		errs = append(errs, e.st.Close())
	}
	return errors.Join(errs...)
}

// target returns how to reach the inventory device name.
func (e *env) target(ctx context.Context, name string) (device.Target, error) {
	d, err := e.inv.Device(ctx, name)
	if err != nil {
		return device.Target{}, err
	}
	return device.Target{Name: name, Addr: d.Address, Credentials: e.creds, HostKeys: e.keys}, nil
}

// orchestrator builds the orchestrator over the prestaged inventory.
func (e *env) orchestrator(ctx context.Context) (*provision.Orchestrator, error) {
	di, err := e.inv.Design(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return nil, err
	}
	devs, err := e.inv.Devices(ctx)
	if err != nil {
		return nil, err
	}
	targets := map[string]device.Target{}
	for _, d := range devs {
		targets[d.Name] = device.Target{Name: d.Name, Addr: d.Address, Credentials: e.creds, HostKeys: e.keys}
	}
	e.sess = device.NewPool(netconf.Dialer(), device.PoolOptions{Total: 64})
	return provision.New(provision.Config{Store: e.st, Pools: e.pools, Sessions: e.sess, Inventory: di, Catalog: cat,
		Targets: func(name string) (device.Target, error) {
			t, ok := targets[name]
			if !ok {
				return device.Target{}, fmt.Errorf("device %q is not in the inventory (run discover and prestage)", name)
			}
			return t, nil
		}})
}

// emit writes v as JSON with -o json, else calls text.
func emit(w io.Writer, output string, v any, text func()) error {
	if output == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text()
	return nil
}
