package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/carrierkit/carrierkit/sim"
)

// errUsage marks a bad command line (exit status 2); errHelp is -h.
var (
	errUsage = errors.New("usage")
	errHelp  = errors.New("help requested")
)

// usageError is a bad flag or flag combination; it names the flag.
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == errUsage }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// passwordEnv is read when neither -password nor -password-file is given.
const passwordEnv = "CARRIERKIT_SIM_PASSWORD"

type config struct {
	listen, platform, hostname, user string
	password, passwordFile           string
	startupConfig                    string
	topology, nodes, knownHosts      string
	hostKeySeed                      string
	admin                            string
	anyPort                          bool
}

// started is one running device and the user its line advertises.
type started struct {
	name, user string
	dev        *sim.Device
}

// run is the whole program: parse args, start the devices, print where they
// listen, wait for ctx, close them.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "ctl" {
		return runCtl(ctx, args[1:], stdout, stderr)
	}
	var c config
	fs := flag.NewFlagSet("carrierkit-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.1.1:830", "`address:port` of the single device (port 0 picks one)")
	fs.StringVar(&c.platform, "platform", envOr(sim.EnvPlatform, "mx480"), "platform `model` of the single device (e.g. mx480, acx2100, ptx10003, srx345, vsrx, nfx250); default $"+sim.EnvPlatform+" or mx480")
	fs.StringVar(&c.hostname, "hostname", os.Getenv(sim.EnvHostname), "host `name` of the single device (required without -topology); default $"+sim.EnvHostname)
	fs.StringVar(&c.user, "user", envOr(sim.EnvUser, "admin"), "login `user` of the single device; default $"+sim.EnvUser+" or admin")
	fs.StringVar(&c.password, "password", "", "login `password`; prefer -password-file or $"+passwordEnv)
	fs.StringVar(&c.passwordFile, "password-file", "", "read the login password from `file` (first line)")
	fs.StringVar(&c.startupConfig, "config", "", "initial committed configuration of the single device, Junos text `file`")
	fs.StringVar(&c.topology, "topology", "", "start every simulated node of this containerlab `file` (.clab.yml)")
	fs.StringVar(&c.nodes, "nodes", "", "with -topology: start only these comma-separated `names`")
	fs.BoolVar(&c.anyPort, "any-port", false, "with -topology: let the system pick every device's port")
	fs.StringVar(&c.knownHosts, "known-hosts", "", "write an OpenSSH known_hosts `file` listing every device's host key")
	fs.StringVar(&c.hostKeySeed, "host-key-seed", "", "derive host keys from this `seed` (default: the fixed lab-only seed)")
	fs.StringVar(&c.admin, "admin", "", "with -topology: serve the admin HTTP API (links, devices, impairments, state) on this loopback `address:port`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (all settings are flags)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	password, havePassword, err := readPassword(c, set)
	if err != nil {
		return err
	}
	var seed []byte
	if c.hostKeySeed != "" {
		seed = []byte(c.hostKeySeed)
	}

	var devs []started
	var closeAll func() error
	var nw *sim.Network
	if c.admin != "" {
		if c.topology == "" {
			return usagef("-admin needs -topology")
		}
		if err := checkLoopback(c.admin); err != nil {
			return err
		}
	}
	if c.topology != "" {
		for _, name := range []string{"listen", "platform", "hostname", "user", "config"} {
			if set[name] {
				return usagef("-%s cannot be used with -topology (the topology sets it per node)", name)
			}
		}
		topo, err := sim.LoadTopology(c.topology)
		if err != nil {
			return err
		}
		if havePassword {
			for _, n := range topo.SimNodes() {
				n.Sim.Password = password
			}
		}
		var only []string
		if c.nodes != "" {
			for _, n := range strings.Split(c.nodes, ",") {
				if n = strings.TrimSpace(n); n != "" {
					only = append(only, n)
				}
			}
		}
		nw, err = sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: c.anyPort, Nodes: only, HostKeySeed: seed})
		if err != nil {
			return err
		}
		closeAll = nw.Close
		for _, n := range topo.SimNodes() {
			if d := nw.Device(n.Name); d != nil {
				devs = append(devs, started{n.Name, n.Sim.User, d})
			}
		}
	} else {
		for _, name := range []string{"nodes", "any-port"} {
			if set[name] {
				return usagef("-%s needs -topology", name)
			}
		}
		if c.hostname == "" {
			return usagef("-hostname is required (or use -topology)")
		}
		addr, err := netip.ParseAddrPort(c.listen)
		if err != nil {
			return usagef("-listen %q: want address:port such as 127.0.1.1:830", c.listen)
		}
		if _, err := sim.LookupPlatform(c.platform); err != nil {
			return usagef("-platform: %v", err)
		}
		if c.user == "" {
			return usagef("-user must not be empty")
		}
		if !havePassword {
			return usagef("no password: use -password-file, $%s or -password", passwordEnv)
		}
		var cfg []byte
		if c.startupConfig != "" {
			if cfg, err = os.ReadFile(c.startupConfig); err != nil {
				return usagef("-config: %v", err)
			}
		}
		d, err := sim.Start(ctx, sim.Options{
			Hostname: c.hostname, Platform: c.platform, Addr: addr,
			Users:       []sim.User{{Name: c.user, Password: password}},
			HostKeySeed: seed, Config: cfg,
		})
		if err != nil {
			return err
		}
		closeAll = d.Close
		devs = append(devs, started{c.hostname, c.user, d})
	}

	if c.knownHosts != "" {
		if err := writeKnownHosts(c.knownHosts, devs); err != nil {
			_ = closeAll()
			return err
		}
	}
	if nw != nil && c.admin != "" {
		stop, addr, err := serveAdmin(c.admin, nw)
		if err != nil {
			_ = closeAll()
			return err
		}
		inner := closeAll
		closeAll = func() error { stop(); return inner() }
		fmt.Fprintf(stderr, "carrierkit-sim: admin API on http://%s\n", addr)
	}
	for _, s := range devs {
		fmt.Fprintln(stdout, deviceLine(s))
	}
	fmt.Fprintf(stderr, "carrierkit-sim: %d device(s) listening; interrupt to stop\n", len(devs))
	<-ctx.Done()
	err = closeAll()
	fmt.Fprintln(stderr, "carrierkit-sim: stopped")
	return err
}

// readPassword picks the password: -password, else -password-file, else
// $CARRIERKIT_SIM_PASSWORD, else $CARRIERKIT_PASSWORD (what a containerlab
// node's env sets). Giving both flags is an error.
func readPassword(c config, set map[string]bool) (string, bool, error) {
	if set["password"] && set["password-file"] {
		return "", false, usagef("-password and -password-file are mutually exclusive")
	}
	switch {
	case set["password"]:
		if c.password == "" {
			return "", false, usagef("-password must not be empty")
		}
		return c.password, true, nil
	case set["password-file"]:
		b, err := os.ReadFile(c.passwordFile)
		if err != nil {
			return "", false, usagef("-password-file: %v", err)
		}
		pw, _, _ := strings.Cut(string(b), "\n")
		pw = strings.TrimRight(pw, "\r")
		if pw == "" {
			return "", false, usagef("-password-file %s: first line is empty", c.passwordFile)
		}
		return pw, true, nil
	}
	for _, env := range []string{passwordEnv, sim.EnvPassword} {
		if pw := os.Getenv(env); pw != "" {
			return pw, true, nil
		}
	}
	return "", false, nil
}

// deviceLine is the line printed for a listening device.
func deviceLine(s started) string {
	key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.dev.HostKey())))
	return fmt.Sprintf("%s %s netconf+cli ssh://%s@%s hostkey %s",
		s.dev.Hostname(), s.dev.Platform().Model, s.user, s.dev.Addr(), key)
}

// writeKnownHosts writes every device's host key in known_hosts format
// ("[127.0.1.1]:830 ssh-ed25519 AAAA…"), replacing the file atomically.
func writeKnownHosts(path string, devs []started) error {
	var b strings.Builder
	for _, s := range devs {
		b.WriteString(knownhosts.Line([]string{knownhosts.Normalize(s.dev.Addr().String())}, s.dev.HostKey()) + "\n")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".known_hosts-*")
	if err != nil {
		return fmt.Errorf("-known-hosts: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return fmt.Errorf("-known-hosts: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-known-hosts: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("-known-hosts: %w", err)
	}
	return nil
}

// envOr returns $name, or def when it is unset or empty. The single-device
// flags default to the CARRIERKIT_* variables a containerlab node's env sets,
// so a container can run the simulator with no per-node command line.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
