package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/oam"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/validate"
)

// errFailed marks a command that ran but found the network wrong
// (validation errors, OAM failures): exit status 1, like any failure.
var errFailed = errors.New("check failed")

const netHelp = `
Targets: with -sim TOPOLOGY the command runs against an in-process simulated
network started from that containerlab file (its configurations are kept in
-sim-state between invocations); otherwise it reaches real devices over
NETCONF on -port, as -user with the password from -password-file or
$CARRIERKIT_PASSWORD (never from the command line), checking host keys
against -known-hosts or $CARRIERKIT_KNOWN_HOSTS (a device without a known key
is refused).

Exit status: 0 success, 1 failure (including findings of error severity and
OAM probes that are not ok), 2 command-line mistakes.

Flags:
`

// withEnv parses the flags of a network command, opens its environment,
// runs f and closes it.
// check, if not nil, reports command-line mistakes the flag package cannot
// (a missing required flag) before anything is opened.
func withEnv(ctx context.Context, name, usage string, args []string, stderr io.Writer, extra func(*flag.FlagSet),
	check func(nf *netFlags) error, f func(e *env, fs *flag.FlagSet) error) error {
	var nf netFlags
	fs, err := parseFlags(name, usage+netHelp, args, stderr, &nf, extra)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %s: unexpected argument %q", errUsage, name, fs.Arg(0))
	}
	if check != nil {
		if err := check(&nf); err != nil {
			return fmt.Errorf("%w: %s: %v", errUsage, name, err)
		}
	}
	e, err := openEnv(ctx, nf)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ferr := f(e, fs)
	if cerr := e.close(); ferr == nil && cerr != nil {
		ferr = fmt.Errorf("%s: %w", name, cerr)
	}
	return ferr
}

func runDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var specs string
	return withEnv(ctx, "discover", `Usage: carrierkit discover (-sim TOPOLOGY | -targets SPECS) [flags]

Discover reads facts, chassis inventory, interfaces and the committed
configuration of every target over NETCONF and stores a device record per
host name (inventory.Discover). SPECS are address ranges (127.0.1.1-20),
subnets (10.0.0.0/28), addresses or host names, separated by commas. With
-sim and no -targets every simulated device is discovered. Unreachable
targets are reported and make the exit status 1; the others are stored.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&specs, "targets", "", "target `specs` to discover")
	}, func(nf *netFlags) error {
		if specs == "" && nf.sim == "" {
			return errors.New("give -targets or -sim")
		}
		return nil
	}, func(e *env, _ *flag.FlagSet) error {
		var rep *inventory.DiscoveryReport
		var err error
		switch {
		case specs != "":
			rep, err = e.inv.Discover(ctx, specs)
		case e.nw != nil:
			rep, err = e.inv.DiscoverTargets(ctx, e.simTargets())
		default:
			return errors.New("discover: no targets") // excluded by the check above
		}
		if err != nil {
			return fmt.Errorf("discover: %w", err)
		}
		type result struct {
			Target string `json:"target"`
			Device string `json:"device,omitempty"`
			New    bool   `json:"new,omitempty"`
			Error  string `json:"error,omitempty"`
			Kind   string `json:"kind,omitempty"`
		}
		var rs []result
		for _, r := range rep.Results {
			x := result{Target: r.Target.String(), Device: r.Device, New: r.New}
			if r.Err != nil {
				x.Error, x.Kind = r.Err.Error(), string(r.Kind)
			}
			rs = append(rs, x)
		}
		if err := emit(stdout, e.f.output, rs, func() {
			for _, r := range rs {
				if r.Error != "" {
					fmt.Fprintf(stdout, "%-22s FAILED %s: %s\n", r.Target, r.Kind, r.Error)
				} else {
					fmt.Fprintf(stdout, "%-22s %s\n", r.Target, r.Device)
				}
			}
			fmt.Fprintf(stdout, "discovered %d of %d\n", rep.Reached(), len(rep.Results))
		}); err != nil {
			return err
		}
		if n := len(rep.Failed()); n > 0 {
			return fmt.Errorf("discover: %d targets failed: %w", n, errFailed)
		}
		return nil
	})
}

func runPrestage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var rulesFile string
	return withEnv(ctx, "prestage", `Usage: carrierkit prestage [-rules RULES.yaml] [flags]

Prestage assigns every discovered device a role (N-PE, P, CPE) and qualifies
its interfaces as UNI or NNI by rules (inventory.Prestage; -rules reads
inventory.ParseRules YAML, default inventory.DefaultRules). It reads only the
store: devices must have been discovered first. Running it again is a no-op
unless a device or the rules changed.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&rulesFile, "rules", "", "prestaging rules `file` (YAML or JSON)")
	}, nil, func(e *env, _ *flag.FlagSet) error {
		if rulesFile != "" {
			b, err := os.ReadFile(rulesFile)
			if err != nil {
				return fmt.Errorf("prestage: %w", err)
			}
			rules, err := inventory.ParseRules(b)
			if err != nil {
				return fmt.Errorf("prestage: %s: %w", rulesFile, err)
			}
			if e.inv, err = inventory.New(e.st, netconf.Dialer(), inventory.Options{Port: uint16(e.f.port), Credentials: e.creds,
				HostKeys: e.keys, Rules: rules}); err != nil {
				return fmt.Errorf("prestage: %w", err)
			}
		}
		rep, err := e.inv.Prestage(ctx)
		if err != nil {
			return fmt.Errorf("prestage: %w", err)
		}
		recs, err := e.inv.Prestages(ctx)
		if err != nil {
			return err
		}
		action := map[string]string{}
		for _, r := range rep.Results {
			action[r.Device] = string(r.Action)
		}
		type row struct {
			Device    string `json:"device"`
			Role      string `json:"role"`
			Qualified bool   `json:"qualified"`
			Reason    string `json:"reason,omitempty"`
			Action    string `json:"action"`
			UNI       int    `json:"uni"`
			NNI       int    `json:"nni"`
		}
		var rows []row
		for _, p := range recs {
			r := row{Device: p.Device, Role: string(p.Role), Qualified: p.Qualified, Reason: p.Reason, Action: action[p.Device]}
			for _, q := range p.Interfaces {
				switch q.Role {
				case design.UNI:
					r.UNI++
				case design.NNI:
					r.NNI++
				}
			}
			rows = append(rows, r)
		}
		return emit(stdout, e.f.output, rows, func() {
			for _, r := range rows {
				q := "qualified"
				if !r.Qualified {
					q = "not qualified: " + r.Reason
				}
				fmt.Fprintf(stdout, "%-10s %-5s %3d UNI %2d NNI  %-10s %s\n", r.Device, r.Role, r.UNI, r.NNI, r.Action, q)
			}
		})
	})
}

// requires returns a check that the flag called name was given.
func requires(name string, v *string) func(*netFlags) error {
	return func(*netFlags) error {
		if *v == "" {
			return fmt.Errorf("-%s is required", name)
		}
		return nil
	}
}

// readOrder reads an order file.
func readOrder(file string) (*design.Order, error) {
	if file == "" {
		return nil, fmt.Errorf("%w: -order is required", errUsage)
	}
	return readFile(file, design.DecodeOrder)
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var orderFile string
	return withEnv(ctx, "plan", `Usage: carrierkit plan -order ORDER.yaml [flags]

Plan is the dry run of an order (provision.Plan): it designs the order
against the prestaged inventory with previewed resources (nothing is
claimed), pre-validates it (validate.Pre: design rules, pool and
configuration collisions, LSP coverage) and prints, per device, the device's
own diff of the change against its running configuration (loaded into the
locked candidate, compared and discarded). Nothing changes anywhere.
Pre-validation errors make the exit status 1.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&orderFile, "order", "", "order `file` (YAML or JSON; required)")
	}, requires("order", &orderFile), func(e *env, _ *flag.FlagSet) error {
		ord, err := readOrder(orderFile)
		if err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		plans, err := o.Plan(ctx, *ord)
		if err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		claims, err := e.pools.Claims(ctx, "")
		if err != nil {
			return err
		}
		type out struct {
			Service  string                 `json:"service"`
			Devices  []provision.DeviceDiff `json:"devices"`
			Findings []validate.Finding     `json:"findings"`
		}
		var outs []out
		failed := false
		for i := range plans {
			p := &plans[i]
			fs, err := validate.Pre(ctx, &p.Service, validate.PreOptions{Claims: claims, Devices: e.getters(ctx, &p.Service)})
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			failed = failed || !validate.NewReport(fs).OK()
			outs = append(outs, out{p.Service.Name, p.Devices, fs})
		}
		if err := emit(stdout, e.f.output, outs, func() {
			for _, x := range outs {
				for _, f := range x.Findings {
					fmt.Fprintf(stdout, "%s\n", f)
				}
				for _, d := range x.Devices {
					fmt.Fprintf(stdout, "## %s: %s\n%s", x.Service, d.Device, d.Diff)
				}
			}
		}); err != nil {
			return err
		}
		if failed {
			return fmt.Errorf("plan: pre-validation found errors: %w", errFailed)
		}
		return nil
	})
}

// getters returns validate's view of svc's devices over new sessions from
// the env's pool (the orchestrator must exist).
func (e *env) getters(ctx context.Context, svc *design.Service) validate.Devices {
	m := validate.Devices{}
	for _, di := range svc.Devices {
		m[di.Device] = leased{e, di.Device}
	}
	return m
}

// leased is a validate.Getter that takes a session from the pool per read.
type leased struct {
	e   *env
	dev string
}

func (l leased) Get(ctx context.Context, q device.Query) ([]byte, error) {
	t, err := l.e.target(ctx, l.dev)
	if err != nil {
		return nil, err
	}
	ls, err := l.e.sess.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	defer ls.Release()
	return ls.Session().Get(ctx, q)
}

// recordOut is a Record as the commands print it.
type recordOut struct {
	Name    string          `json:"name"`
	State   provision.State `json:"state"`
	Devices []string        `json:"devices,omitempty"`
	Error   string          `json:"error,omitempty"`
}

func outRecord(r provision.Record) recordOut {
	x := recordOut{Name: r.Name, State: r.State, Error: r.Error}
	if r.Active != nil {
		for _, d := range r.Active.Devices {
			x.Devices = append(x.Devices, d.Device)
		}
	}
	return x
}

func printRecords(w io.Writer, output string, rs []recordOut) error {
	return emit(w, output, rs, func() {
		for _, r := range rs {
			fmt.Fprintf(w, "%-24s %-15s %s", r.Name, r.State, strings.Join(r.Devices, ","))
			if r.Error != "" {
				fmt.Fprintf(w, "  (%s)", r.Error)
			}
			fmt.Fprintln(w)
		}
	})
}

func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var orderFile, who string
	return withEnv(ctx, "deploy", `Usage: carrierkit deploy -order ORDER.yaml [flags]

Deploy submits the order (provision.Submit: stored and validated against the
catalog and the prestaged inventory) and deploys each of its services
(provision.Deploy): resources claimed, then on every device lock, load,
commit check, confirmed commit and confirm; any failure puts every device
back and releases the claim. A mobile backhaul order deploys one service
per cell site. It prints each service's state.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&orderFile, "order", "", "order `file` (YAML or JSON; required)")
		fs.StringVar(&who, "who", "carrierkit-cli", "`name` recorded in the audit trail")
	}, requires("order", &orderFile), func(e *env, _ *flag.FlagSet) error {
		ord, err := readOrder(orderFile)
		if err != nil {
			return fmt.Errorf("deploy: %w", err)
		}
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("deploy: %w", err)
		}
		recs, err := o.Submit(ctx, who, *ord)
		if err != nil {
			return fmt.Errorf("deploy: %w", err)
		}
		var outs []recordOut
		var errs []error
		for _, r := range recs {
			d, err := o.Deploy(ctx, who, r.Name)
			if err != nil {
				errs = append(errs, fmt.Errorf("deploy %s: %w", r.Name, err))
			}
			outs = append(outs, outRecord(d))
		}
		if err := printRecords(stdout, e.f.output, outs); err != nil {
			return err
		}
		return errors.Join(errs...)
	})
}

func runDecommission(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name, who string
	return withEnv(ctx, "decommission", `Usage: carrierkit decommission -service NAME [flags]

Decommission removes a deployed service from every device all-or-nothing
(provision.Decommission) and releases its resources; it prints the service's
state.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "service", "", "service `name` (required)")
		fs.StringVar(&who, "who", "carrierkit-cli", "`name` recorded in the audit trail")
	}, requires("service", &name), func(e *env, _ *flag.FlagSet) error {
		if name == "" {
			return fmt.Errorf("%w: decommission: -service is required", errUsage)
		}
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("decommission: %w", err)
		}
		r, err := o.Decommission(ctx, who, name)
		if perr := printRecords(stdout, e.f.output, []recordOut{outRecord(r)}); perr != nil {
			return perr
		}
		if err != nil {
			return fmt.Errorf("decommission: %w", err)
		}
		return nil
	})
}

// active returns the intent of the deployed service name.
func active(ctx context.Context, o *provision.Orchestrator, name string) (*design.Service, error) {
	r, err := o.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	if r.Active == nil {
		return nil, fmt.Errorf("service %s is %s: nothing deployed", name, r.State)
	}
	return r.Active, nil
}

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name string
	var noOper bool
	return withEnv(ctx, "validate", `Usage: carrierkit validate -service NAME [flags]

Validate checks a deployed service on its devices: post-validation
(validate.PostLive: each device's committed configuration compared with the
service, statement by statement) and operational validation (validate.Oper:
pseudowires, VPLS and l2vpn connections, LSPs, LDP and BGP sessions, VRF
routes). It prints the findings; any of error severity make the exit status 1.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "service", "", "service `name` (required)")
		fs.BoolVar(&noOper, "no-oper", false, "post-validation only")
	}, requires("service", &name), func(e *env, _ *flag.FlagSet) error {
		if name == "" {
			return fmt.Errorf("%w: validate: -service is required", errUsage)
		}
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("validate: %w", err)
		}
		svc, err := active(ctx, o, name)
		if err != nil {
			return fmt.Errorf("validate: %w", err)
		}
		devs := e.getters(ctx, svc)
		fs, err := validate.PostLive(ctx, svc, devs, 8)
		if err != nil {
			return fmt.Errorf("validate: %w", err)
		}
		if !noOper {
			more, err := validate.Oper(ctx, svc, devs, 8)
			if err != nil {
				return fmt.Errorf("validate: %w", err)
			}
			fs = append(fs, more...)
		}
		return report(stdout, e.f.output, "validate", validate.NewReport(validate.Sort(fs)))
	})
}

// report prints a validation report and fails if it has errors.
func report(w io.Writer, output, cmd string, r validate.Report) error {
	if err := emit(w, output, r, func() { r.WriteTable(w) }); err != nil {
		return err
	}
	if !r.OK() {
		return fmt.Errorf("%s: %d errors: %w", cmd, r.Errors, errFailed)
	}
	return nil
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var oper bool
	return withEnv(ctx, "audit", `Usage: carrierkit audit [flags]

Audit check-syncs every deployed service against its devices at once
(validate.Audit: each device read once), and with -oper runs the operational
checks too. Findings of error severity make the exit status 1.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&oper, "oper", false, "run the operational checks too")
	}, nil, func(e *env, _ *flag.FlagSet) error {
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		recs, err := o.List(ctx)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		var svcs []design.Service
		devs := validate.Devices{}
		for _, r := range recs {
			if r.Active == nil {
				continue
			}
			svcs = append(svcs, *r.Active)
			for d, g := range e.getters(ctx, r.Active) {
				devs[d] = g
			}
		}
		rep, err := validate.Audit(ctx, svcs, devs, validate.AuditOptions{Oper: oper})
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		return report(stdout, e.f.output, "audit", rep)
	})
}

func runOAM(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name, svgFile string
	var count, attempts int
	return withEnv(ctx, "oam", `Usage: carrierkit oam -service NAME [-svg FILE] [flags]

OAM runs the full mesh of MPLS OAM probes of a deployed service (oam.PlanService
and oam.Run: ping mpls l2circuit, l2vpn, lsp-end-point or l3vpn between every
pair of sites), diagnoses every probe that is not ok (oam.Diagnose: the
cause, the device, the interface, the statement) and prints the table, or the
report as JSON with -o json. -svg writes the site × site matrix picture.
Any probe that is not ok makes the exit status 1.
`, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "service", "", "service `name` (required)")
		fs.StringVar(&svgFile, "svg", "", "write the matrix picture to `file`")
		fs.IntVar(&count, "count", 0, "echo requests per probe (0: the device's default)")
		fs.IntVar(&attempts, "attempts", 2, "tries per failing probe")
	}, requires("service", &name), func(e *env, _ *flag.FlagSet) error {
		if name == "" {
			return fmt.Errorf("%w: oam: -service is required", errUsage)
		}
		o, err := e.orchestrator(ctx)
		if err != nil {
			return fmt.Errorf("oam: %w", err)
		}
		svc, err := active(ctx, o, name)
		if err != nil {
			return fmt.Errorf("oam: %w", err)
		}
		plan, err := oam.PlanService(*svc, oam.PlanOptions{Count: count})
		if err != nil {
			return fmt.Errorf("oam: %w", err)
		}
		conn := oam.PoolConnector(e.sess, func(dev string) (device.Target, bool) {
			t, err := e.target(ctx, dev)
			return t, err == nil
		})
		res, err := oam.Run(ctx, conn, plan, oam.Options{Attempts: attempts})
		if err != nil {
			return fmt.Errorf("oam: %w", err)
		}
		findings, _, err := oam.Diagnose(ctx, conn, plan, res, 0)
		if err != nil {
			return fmt.Errorf("oam: %w", err)
		}
		rep := oam.NewReport(plan, res, findings)
		if svgFile != "" {
			f, err := os.Create(svgFile)
			if err != nil {
				return fmt.Errorf("oam: %w", err)
			}
			if err := rep.WriteSVG(f); err != nil {
				f.Close()
				return fmt.Errorf("oam: %w", err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("oam: %w", err)
			}
		}
		if e.f.output == "json" {
			b, err := rep.JSON()
			if err != nil {
				return err
			}
			stdout.Write(append(b, '\n'))
		} else if err := rep.WriteTable(stdout); err != nil {
			return err
		}
		if !rep.OK() {
			return fmt.Errorf("oam: %d of %d probes not ok: %w", len(rep.Results)-rep.Counts()[oam.StatusOK], len(rep.Results), errFailed)
		}
		return nil
	})
}
