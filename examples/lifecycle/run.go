package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// options are the demo's knobs (flags in main.go).
type options struct {
	// Topology is the containerlab file of the simulated network.
	Topology string
	// Out is the directory the store file, known_hosts and results are
	// written to; it is created if needed.
	Out string
	// Sites is the number of VPLS sites (UNIs), spread over the PEs.
	Sites int
	// User and Password log in to the simulated devices.
	User, Password string
}

func (o options) validate() error {
	switch {
	case o.Topology == "":
		return errors.New("no topology file given (-topology)")
	case o.Out == "":
		return errors.New("no output directory given (-out)")
	case o.Sites < 2 || o.Sites > 64:
		return fmt.Errorf("-sites %d: want 2 to 64", o.Sites)
	case o.User == "" || o.Password == "":
		return errors.New("no device credentials")
	}
	return nil
}

// Service names the demo orders.
const (
	vplsName  = "vpls-acme"
	l3vpnName = "l3vpn-bank"
)

// demo is the state of one run.
type demo struct {
	w     io.Writer
	o     options
	start time.Time
	nw    *sim.Network
	st    *bolt.Store
	inv   *inventory.Inventory
	pools *pool.Manager
	orch  *provision.Orchestrator
	sess  *device.Pool
	creds device.Credentials
	keys  device.HostKeys
	// addr maps a device to where the inventory found it.
	addr map[string]device.Target
	// vplsEndpoints are the VPLS's UNIs.
	vplsEndpoints []design.Endpoint
	// results collects what is written to results.json.
	results map[string]any
}

// run tells the lifecycle story on w and writes its files to o.Out. Any
// failure ends the story with an error naming the step.
func run(ctx context.Context, w io.Writer, o options) (err error) {
	if err := o.validate(); err != nil {
		return err
	}
	d := &demo{w: w, o: o, start: time.Now(), addr: map[string]device.Target{}, results: map[string]any{}}
	defer func() {
		if cerr := d.close(); err == nil {
			err = cerr
		}
	}()
	steps := []struct {
		name string
		f    func(context.Context) error
	}{
		{"start the network", d.startNetwork},
		{"discover and prestage", d.discover},
		{"design and deploy the VPLS", d.deployVPLS},
		{"design and deploy the L3VPN", d.deployL3VPN},
		{"validate", d.validate},
		{"full-mesh OAM", d.oam},
		{"cut a link, diagnose, restore", d.cutLink},
		{"decommission", d.decommission},
		{"write results", d.writeResults},
	}
	for i, s := range steps {
		fmt.Fprintf(w, "\n== %d. %s\n", i+1, s.name)
		if err := s.f(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	fmt.Fprintf(w, "\ndone in %s; files in %s\n", time.Since(d.start).Round(100*time.Millisecond), o.Out)
	return nil
}

func (d *demo) close() error {
	var errs []error
	if d.sess != nil {
		errs = append(errs, d.sess.Close())
	}
	if d.st != nil {
		errs = append(errs, d.st.Close())
	}
	if d.nw != nil {
		errs = append(errs, d.nw.Close())
	}
	return errors.Join(errs...)
}

func (d *demo) say(format string, args ...any) { fmt.Fprintf(d.w, format+"\n", args...) }

func (d *demo) path(name string) string { return filepath.Join(d.o.Out, name) }

// startNetwork starts the simulated network and the embedded store.
func (d *demo) startNetwork(ctx context.Context) error {
	if err := os.MkdirAll(d.o.Out, 0o755); err != nil {
		return err
	}
	topo, err := sim.LoadTopology(d.o.Topology)
	if err != nil {
		return err
	}
	// Every device listens on a port of its own choosing, so the demo
	// runs beside anything else on the machine (a `make sim`, a test).
	d.nw, err = sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		return err
	}
	d.nw.Sync()
	series := map[string]int{}
	for _, dev := range d.nw.Devices() {
		series[dev.Platform().Series]++
	}
	d.say("started %d simulated routers from %s: %d PTX (core), %d MX (edge), %d ACX (access), %d customer CEs (SRX); %d links",
		len(d.nw.Devices()), filepath.Base(d.o.Topology), series["PTX"], series["MX"], series["ACX"], series["SRX"], len(d.nw.Links()))
	st := d.nw.State().Stats()
	d.say("base configuration converged: %d IGP adjacencies, %d LDP sessions, %d of %d BGP sessions established",
		st.Adjacencies, st.LDPSessionsUp, st.BGPEstablished, st.BGPSessions)
	kh := d.path("known_hosts")
	if err := os.WriteFile(kh, d.nw.KnownHosts(), 0o644); err != nil {
		return err
	}
	d.keys = device.KnownHostsFile(kh)
	d.creds = device.Password(d.o.User, d.o.Password)

	// A fresh store: the network is new on every run, so are its orders.
	db := d.path("carrierkit.db")
	if err := os.Remove(db); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if d.st, err = bolt.Open(db); err != nil {
		return err
	}
	d.pools = pool.New(d.st)
	for _, s := range design.DefaultPools() {
		if err := d.pools.CreatePool(ctx, s); err != nil {
			return err
		}
	}
	d.say("embedded store %s with %d resource pools", db, len(design.DefaultPools()))
	return nil
}

// discover finds every device over NETCONF and prestages it.
func (d *demo) discover(ctx context.Context) error {
	var err error
	d.inv, err = inventory.New(d.st, netconf.Dialer(), inventory.Options{
		Credentials: d.creds, HostKeys: d.keys, Timeout: 20 * time.Second,
	})
	if err != nil {
		return err
	}
	// The provider's routers are managed; the customers' CEs are not.
	var ts []inventory.Target
	for _, dev := range d.nw.Devices() {
		if dev.Platform().Series != "SRX" {
			ts = append(ts, inventory.Target{Addr: dev.Addr()})
		}
	}
	rep, err := d.inv.DiscoverTargets(ctx, ts)
	if err != nil {
		return err
	}
	if f := rep.Failed(); len(f) > 0 {
		return fmt.Errorf("%d of %d targets failed, first %s: %w", len(f), len(ts), f[0].Target, f[0].Err)
	}
	d.say("discovered %d of %d targets over NETCONF (facts, chassis, interfaces, configuration)", rep.Reached(), len(ts))
	pre, err := d.inv.Prestage(ctx)
	if err != nil {
		return err
	}
	recs, err := d.inv.Prestages(ctx)
	if err != nil {
		return err
	}
	devs, err := d.inv.Devices(ctx)
	if err != nil {
		return err
	}
	byName := map[string]inventory.Device{}
	for _, dv := range devs {
		byName[dv.Name] = dv
		d.addr[dv.Name] = device.Target{Name: dv.Name, Addr: dv.Address, Credentials: d.creds, HostKeys: d.keys}
	}
	d.say("prestaged %d devices (roles and UNI/NNI ports from rules; qualified devices only go to design):", pre.Count(inventory.Prestaged))
	roles := map[string]string{}
	type group struct {
		model, role string
		uni, nni    int
	}
	var order []group
	members := map[group][]string{}
	for _, p := range recs {
		uni, nni := 0, 0
		for _, q := range p.Interfaces {
			switch q.Role {
			case design.UNI:
				uni++
			case design.NNI:
				nni++
			}
		}
		g := group{byName[p.Device].Model, string(p.Role), uni, nni}
		if members[g] == nil {
			order = append(order, g)
		}
		members[g] = append(members[g], p.Device)
		roles[p.Device] = string(p.Role)
		if !p.Qualified && p.Role != inventory.RoleP {
			return fmt.Errorf("device %s not qualified: %s", p.Device, p.Reason)
		}
	}
	for _, g := range order {
		m := members[g]
		slices.SortFunc(m, func(a, b string) int {
			if len(a) != len(b) {
				return len(a) - len(b) // acx2 before acx10
			}
			return strings.Compare(a, b)
		})
		d.say("  %2d × %-13s role %-4s %2d UNI %d NNI  (%s … %s)", len(m), g.model, g.role, g.uni, g.nni, m[0], m[len(m)-1])
	}
	d.results["roles"] = roles
	di, err := d.inv.Design(ctx)
	if err != nil {
		return err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	d.sess = device.NewPool(netconf.Dialer(), device.PoolOptions{Total: 64})
	d.orch, err = provision.New(provision.Config{Store: d.st, Pools: d.pools, Sessions: d.sess, Inventory: di, Catalog: cat,
		Targets: d.target})
	return err
}

func (d *demo) target(name string) (device.Target, error) {
	t, ok := d.addr[name]
	if !ok {
		return device.Target{}, fmt.Errorf("device %q is not in the inventory", name)
	}
	return t, nil
}

// pes returns the provider edge routers (ACX and MX) in topology order.
func (d *demo) pes() []*sim.Device {
	var out []*sim.Device
	for _, dev := range d.nw.Devices() {
		if s := dev.Platform().Series; s == "ACX" || s == "MX" {
			out = append(out, dev)
		}
	}
	return out
}

// freeUNIs returns, per device, the UNIs prestaging found that carry no
// service yet and whose link is up (a CE is attached), in port order.
func (d *demo) freeUNIs(ctx context.Context) (map[string][]string, error) {
	recs, err := d.inv.Prestages(ctx)
	if err != nil {
		return nil, err
	}
	free := map[string][]string{}
	for _, r := range recs {
		dv, err := d.inv.Device(ctx, r.Device)
		if err != nil {
			return nil, err
		}
		for _, q := range r.Interfaces {
			if i, ok := dv.Interface(q.Interface); ok && q.Role == design.UNI && !q.InUse && i.Oper == inventory.Up {
				free[r.Device] = append(free[r.Device], q.Interface)
			}
		}
	}
	return free, nil
}

// vplsOrder spreads d.o.Sites UNIs over the PEs, one site per PE, on each
// PE's first UNI with a CE; more sites than PEs add UNIs to the PEs' sites.
func (d *demo) vplsOrder(ctx context.Context) (design.Order, error) {
	pes := d.pes()
	free, err := d.freeUNIs(ctx)
	if err != nil {
		return design.Order{}, err
	}
	ord := design.Order{Name: vplsName, Definition: design.DefVPLSBGP, Description: "ACME campus LAN",
		Attributes: design.Attributes{"siteRange": "100"}}
	for i := 0; i < d.o.Sites; i++ {
		p := pes[i%len(pes)].Hostname()
		if len(free[p]) == 0 {
			return ord, fmt.Errorf("no free UNI left on %s for site %d", p, i+1)
		}
		site := fmt.Sprintf("site%02d", i+1)
		if i >= len(pes) {
			// More sites than PEs: another UNI in the PE's site.
			site = ord.Endpoints[i%len(pes)].Site
		}
		ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: p, Interface: free[p][0], Site: site})
		free[p] = free[p][1:]
	}
	return ord, nil
}

// plan prints the dry run of ord: per device the number of diff lines and
// an excerpt of the first device's diff.
func (d *demo) plan(ctx context.Context, ord design.Order) error {
	plans, err := d.orch.Plan(ctx, ord)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := d.preValidate(ctx, &p.Service); err != nil {
			return err
		}
		lines := 0
		for _, dd := range p.Devices {
			lines += strings.Count(dd.Diff, "\n")
		}
		d.say("dry run: %d devices would change (%d diff lines), %d values would be claimed; nothing changed yet",
			len(p.Devices), lines, len(p.Claim.Items))
		if len(p.Devices) > 0 {
			first := p.Devices[0]
			d.say("  excerpt of %s's own diff (show | compare):", first.Device)
			for _, l := range excerpt(first.Diff, 8) {
				d.say("    %s", l)
			}
		}
	}
	return nil
}

// excerpt returns the first n non-empty lines of s, and "…" if there are more.
func excerpt(s string, n int) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(out) == n {
			return append(out, "…")
		}
		out = append(out, l)
	}
	return out
}

// deploy submits, plans and deploys ord.
func (d *demo) deploy(ctx context.Context, ord design.Order) error {
	if _, err := d.orch.Submit(ctx, "demo", ord); err != nil {
		return err
	}
	if err := d.plan(ctx, ord); err != nil {
		return err
	}
	t0 := time.Now()
	done := d.progress("deploying " + ord.Name)
	r, err := d.orch.Deploy(ctx, "demo", ord.Name)
	done()
	if err != nil {
		return err
	}
	d.nw.Sync() // the simulator's control plane has converged
	d.say("deployed %s on %d devices all-or-nothing (lock, load, commit check, confirmed commit, confirm) in %s",
		r.Name, len(r.Active.Devices), time.Since(t0).Round(10*time.Millisecond))
	return nil
}

// progress prints a dot every half second until the returned func is
// called, so that a long step shows it is alive.
func (d *demo) progress(what string) func() {
	fmt.Fprintf(d.w, "%s ", what)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fmt.Fprint(d.w, ".")
			}
		}
	}()
	return func() {
		close(stop)
		wg.Wait()
		fmt.Fprintln(d.w)
	}
}

func (d *demo) deployVPLS(ctx context.Context) error {
	ord, err := d.vplsOrder(ctx)
	if err != nil {
		return err
	}
	per := map[string]int{}
	for _, e := range ord.Endpoints {
		per[e.Device]++
	}
	d.vplsEndpoints = ord.Endpoints
	d.say("order %s: BGP VPLS, %d sites on %d PEs (%s)", ord.Name, len(ord.Endpoints), len(per), summary(per))
	return d.deploy(ctx, ord)
}

// summary says how many UNIs each PE has: "one UNI each" or "acx1×2, mx1×3".
func summary(m map[string]int) string {
	each := true
	for _, n := range m {
		each = each && n == 1
	}
	if each {
		return "one UNI each, the port with the customer's CE"
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// l3vpnOrder places the hub-and-spoke L3VPN: the hub on mx1 (the data
// centre), a spoke on the first ACX behind each MX (the branches), each on
// a UNI with a CE that the VPLS does not use.
func (d *demo) l3vpnOrder(ctx context.Context) (design.Order, error) {
	ord := design.Order{Name: l3vpnName, Definition: design.DefL3VPNHubSpoke, Description: "bank branches to the data centre"}
	free, err := d.freeUNIs(ctx)
	if err != nil {
		return ord, err
	}
	for _, e := range d.vplsEndpoints {
		free[e.Device] = slices.DeleteFunc(free[e.Device], func(s string) bool { return s == e.Interface })
	}
	for i, dev := range d.pes() {
		name := dev.Hostname()
		role := design.RoleSpoke
		switch {
		case name == "mx1":
			role = design.RoleHub
		case dev.Platform().Series != "ACX" || i%4 != 0:
			continue
		}
		if len(free[name]) == 0 {
			return ord, fmt.Errorf("no free UNI with a CE on %s", name)
		}
		ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: name, Interface: free[name][0], Role: role})
	}
	slices.SortStableFunc(ord.Endpoints, func(a, b design.Endpoint) int {
		if a.Role == b.Role {
			return 0
		}
		if a.Role == design.RoleHub {
			return -1
		}
		return 1
	})
	return ord, nil
}

func (d *demo) deployL3VPN(ctx context.Context) error {
	ord, err := d.l3vpnOrder(ctx)
	if err != nil {
		return err
	}
	d.say("order %s: hub-and-spoke L3VPN, hub %s:%s, %d spokes", ord.Name, ord.Endpoints[0].Device, ord.Endpoints[0].Interface,
		len(ord.Endpoints)-1)
	return d.deploy(ctx, ord)
}

// get runs one operational RPC on a device over a pooled session.
func (d *demo) get(ctx context.Context, dev, rpc string) (string, error) {
	t, err := d.target(dev)
	if err != nil {
		return "", err
	}
	l, err := d.sess.Acquire(ctx, t)
	if err != nil {
		return "", err
	}
	defer l.Release()
	b, err := l.Session().Get(ctx, device.RPCQuery(rpc))
	return string(b), err
}

var connStatusRE = regexp.MustCompile(`<connection-status>([^<]+)</connection-status>`)

// vplsConnections counts the VPLS connections every PE of the VPLS reports
// by status.
func (d *demo) vplsConnections(ctx context.Context) (map[string]int, error) {
	r, err := d.orch.Get(ctx, vplsName)
	if err != nil {
		return nil, err
	}
	inst := "VPLS-" + strings.ToUpper(vplsName)
	out := map[string]int{}
	for _, di := range r.Active.Devices {
		rep, err := d.get(ctx, di.Device, "<get-vpls-connection-information><instance>"+inst+"</instance></get-vpls-connection-information>")
		if err != nil {
			return nil, fmt.Errorf("device %s: %w", di.Device, err)
		}
		for _, m := range connStatusRE.FindAllStringSubmatch(rep, -1) {
			out[m[1]]++
		}
	}
	return out, nil
}

func (d *demo) validate(ctx context.Context) error {
	for _, name := range []string{vplsName, l3vpnName} {
		r, err := d.orch.Verify(ctx, "demo", name)
		if err != nil {
			return err
		}
		d.say("verify %s: %s (every statement the service needs is committed on its %d devices)", name, r.State, len(r.Active.Devices))
		if err := d.postValidate(ctx, name); err != nil {
			return err
		}
	}
	conns, err := d.vplsConnections(ctx)
	if err != nil {
		return err
	}
	d.say("VPLS connections reported by the PEs: %s", statusList(conns))
	return nil
}

func statusList(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
	}
	return strings.Join(parts, ", ")
}

// usage returns "held/size" of the pools a service draws from.
func (d *demo) usage(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, p := range design.DefaultPools() {
		u, err := d.pools.Usage(ctx, p.Name)
		if err != nil {
			return nil, err
		}
		out[p.Name] = u.Held
	}
	return out, nil
}

func (d *demo) decommission(ctx context.Context) error {
	before, err := d.usage(ctx)
	if err != nil {
		return err
	}
	r, err := d.orch.Decommission(ctx, "demo", l3vpnName)
	if err != nil {
		return err
	}
	after, err := d.usage(ctx)
	if err != nil {
		return err
	}
	cl, err := d.pools.Claims(ctx, l3vpnName)
	if err != nil {
		return err
	}
	d.say("decommissioned %s: %s; it holds %d values now", l3vpnName, r.State, len(cl))
	d.say("  %-12s %6s %6s", "pool", "before", "after")
	for _, p := range design.DefaultPools() {
		if before[p.Name] == 0 && after[p.Name] == 0 {
			continue
		}
		d.say("  %-12s %6d %6d", p.Name, before[p.Name], after[p.Name])
	}
	d.results["usageBefore"], d.results["usageAfter"] = before, after
	return nil
}

func (d *demo) writeResults(ctx context.Context) error {
	recs, err := d.orch.List(ctx)
	if err != nil {
		return err
	}
	type order struct {
		Name  string          `json:"name"`
		State provision.State `json:"state"`
	}
	var os_ []order
	for _, r := range recs {
		os_ = append(os_, order{r.Name, r.State})
	}
	d.results["orders"] = os_
	b, err := json.MarshalIndent(d.results, "", "  ")
	if err != nil {
		return err
	}
	p := d.path("results.json")
	if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
		return err
	}
	d.say("wrote %s", p)
	return nil
}
