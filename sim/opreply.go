package sim

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// opReply is the answer to one operational command or RPC, in both forms.
type opReply interface {
	XML() []byte  // reply element(s), e.g. <software-information>…
	Text() string // CLI output, close to real Junos
	RPC() string  // the request as XML, for `| display xml rpc`
}

// reply is the opReply built by every handler.
type reply struct {
	xml  []byte
	text string
	rpc  string
}

func (r *reply) XML() []byte  { return r.xml }
func (r *reply) Text() string { return r.text }
func (r *reply) RPC() string  { return r.rpc }

// opArg is one argument of an operational RPC: a flag (<terse/>) when
// Value is "", else <Name>Value</Name>.
type opArg struct{ Name, Value string }

// opRequest is an operational RPC by name with its arguments.
type opRequest struct {
	Name string
	Args []opArg
}

func (r opRequest) flag(name string) bool {
	for _, a := range r.Args {
		if a.Name == name {
			return true
		}
	}
	return false
}

func (r opRequest) arg(name string) string {
	for _, a := range r.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// xml renders the request as Junos prints it for `| display xml rpc`.
func (r opRequest) xml() string {
	if len(r.Args) == 0 {
		return "<" + r.Name + "/>"
	}
	var b strings.Builder
	b.WriteString("<" + r.Name + ">")
	for _, a := range r.Args {
		if a.Value == "" {
			b.WriteString("<" + a.Name + "/>")
		} else {
			b.WriteString("<" + a.Name + ">" + escText(a.Value) + "</" + a.Name + ">")
		}
	}
	b.WriteString("</" + r.Name + ">")
	return b.String()
}

// opHandler answers one RPC.
type opHandler func(ctx context.Context, d *Device, s *session, r opRequest) (*reply, error)

// opHandlers maps an RPC name to its handler (a switch, so the table is
// immutable and needs no init).
func opHandlers(name string) (opHandler, bool) {
	switch name {
	case "get-software-information":
		return opSoftware, true
	case "get-system-information":
		return opSystem, true
	case "get-chassis-inventory":
		return opInventory, true
	case "get-route-engine-information":
		return opRouteEngine, true
	case "get-interface-information":
		return opInterfaces, true
	case "get-l2ckt-connection-information":
		return opL2circuit, true
	case "get-vpls-connection-information":
		return opVPLSNet("vpls"), true
	case "get-l2vpn-connection-information":
		return opVPLSNet("l2vpn"), true
	case "get-route-information":
		return opRoutes, true
	case "get-bgp-summary-information":
		return opBGPSummary, true
	case "get-ldp-session-information":
		return opLDPSessions, true
	case "get-isis-adjacency-information":
		return opISISAdjacency, true
	case "get-ospf-neighbor-information":
		return opOSPFNeighbors, true
	case "get-ptp-clock":
		return opPTPClock, true
	case "get-cfm-delay-statistics":
		return opCFMDelay, true
	case "get-cfm-loss-statistics":
		return opCFMLoss, true
	case "get-cfm-iterator-statistics":
		return opCFMIterator, true
	case "request-ping-l2circuit-interface":
		return opPingL2circuitIf, true
	case "request-ping-l2circuit-virtual-circuit":
		return opPingL2circuitVC, true
	case "request-ping-l2vpn-interface":
		return opPingL2vpnIf, true
	case "request-ping-l2vpn-instance":
		return opPingL2vpnInstance, true
	case "request-ping-l3vpn":
		return opPingL3vpn, true
	case "request-ping-rsvp-lsp":
		return opPingRSVP, true
	case "request-ping-ldp-lsp":
		return opPingLDP, true
	case "request-ping-lsp-end-point":
		return opPingEndPoint, true
	case "get-mpls-lsp-information":
		return opMPLSLSP, true
	case "get-instance-information":
		return opInstances, true
	case "get-commit-information":
		return opCommitInfo, true
	case "get-cfm-mep-database":
		return opCFMMEPs, true
	case "get-ptp-lock-status":
		return opPTPLock, true
	case "get-clock-synchronization":
		return opClockSync, true
	case "get-virtual-network-functions-information":
		return opVNFs, true
	case "get-ike-security-associations-information":
		return opIKESAs, true
	case "get-security-associations-information":
		return opIPsecSAs, true
	case "get-inactive-tunnels":
		return opInactiveTunnels, true
	}
	return nil, false
}

// opRequestFromXML turns an RPC element into an opRequest; ok is false for
// an unknown RPC.
func opRequestFromXML(op *xnode) (opRequest, bool) {
	if _, ok := opHandlers(op.name.Local); !ok {
		return opRequest{}, false
	}
	r := opRequest{Name: op.name.Local}
	for _, c := range op.children {
		r.Args = append(r.Args, opArg{c.name.Local, strings.TrimSpace(string(c.text))})
	}
	return r, true
}

// opRPC answers an operational RPC.
func (d *Device) opRPC(ctx context.Context, s *session, r opRequest) (opReply, error) {
	h, ok := opHandlers(r.Name)
	if !ok {
		return nil, &commandError{Token: r.Name, Msg: "syntax error"}
	}
	rep, err := h(ctx, d, s, r)
	if err != nil {
		return nil, err
	}
	rep.rpc = r.xml()
	return rep, nil
}

// ---- the command table ----

// commandError is a CLI command the device does not understand.
type commandError struct {
	Token string // the offending word ("" at end of line)
	Pos   int    // index of the offending word in the command
	Msg   string // e.g. "syntax error, expecting <command>."
}

func (e *commandError) Error() string {
	if e.Token != "" && !strings.Contains(e.Msg, "'") {
		return e.Msg + ": " + e.Token
	}
	return e.Msg
}

// cmdSpec is one row of the command table: keywords, the RPC they run and
// how the words after the keywords become RPC arguments.
type cmdSpec struct {
	words []string
	rpc   string
	args  func(rest []string) ([]opArg, error)
}

func noArgs(rest []string) ([]opArg, error) {
	if len(rest) > 0 {
		return nil, &commandError{Token: rest[0], Msg: "syntax error"}
	}
	return nil, nil
}

// flagArgs accepts the listed flag words (unique prefixes allowed) and the
// listed keyword-value pairs.
func flagArgs(flags []string, valued []string, positional string) func([]string) ([]opArg, error) {
	return func(rest []string) ([]opArg, error) {
		var out []opArg
		for i := 0; i < len(rest); i++ {
			w := rest[i]
			if f, ok := uniquePrefix(w, flags); ok {
				out = append(out, opArg{f, ""})
				continue
			}
			if v, ok := uniquePrefix(w, valued); ok {
				if i+1 >= len(rest) {
					return nil, &commandError{Token: w, Msg: "syntax error, expecting <" + v + ">."}
				}
				out = append(out, opArg{v, rest[i+1]})
				i++
				continue
			}
			if positional != "" && !hasArg(out, positional) {
				out = append(out, opArg{positional, w})
				continue
			}
			return nil, &commandError{Token: w, Pos: i, Msg: "syntax error"}
		}
		return out, nil
	}
}

func hasArg(a []opArg, name string) bool {
	for _, x := range a {
		if x.Name == name {
			return true
		}
	}
	return false
}

// uniquePrefix resolves w as an exact keyword or a unique prefix of one.
func uniquePrefix(w string, kws []string) (string, bool) {
	var hit string
	n := 0
	for _, k := range kws {
		if k == w {
			return k, true
		}
		if strings.HasPrefix(k, w) {
			hit = k
			n++
		}
	}
	return hit, n == 1
}

// commands is THE command table, used by NETCONF <command> and the CLI.
var commands = []cmdSpec{
	{[]string{"show", "version"}, "get-software-information", flagArgs([]string{"brief", "detail"}, nil, "")},
	{[]string{"show", "system", "information"}, "get-system-information", noArgs},
	{[]string{"show", "system", "commit"}, "get-commit-information", noArgs},
	{[]string{"show", "chassis", "hardware"}, "get-chassis-inventory", flagArgs([]string{"detail", "extensive"}, nil, "")},
	{[]string{"show", "chassis", "routing-engine"}, "get-route-engine-information", noArgs},
	{[]string{"show", "interfaces"}, "get-interface-information",
		flagArgs([]string{"terse", "detail", "brief", "extensive"}, nil, "interface-name")},
	{[]string{"show", "l2circuit", "connections"}, "get-l2ckt-connection-information",
		flagArgs([]string{"brief", "extensive", "summary", "up", "down"}, []string{"neighbor", "interface"}, "")},
	{[]string{"show", "vpls", "connections"}, "get-vpls-connection-information",
		flagArgs([]string{"brief", "extensive", "up", "down"}, []string{"instance"}, "")},
	{[]string{"show", "mpls", "lsp"}, "get-mpls-lsp-information",
		flagArgs([]string{"ingress", "egress", "transit", "brief", "detail", "extensive", "up", "down"}, []string{"name"}, "")},
	{[]string{"show", "route", "instance"}, "get-instance-information",
		flagArgs([]string{"brief", "detail", "extensive", "summary"}, nil, "instance-name")},
	{[]string{"show", "oam", "ethernet", "connectivity-fault-management", "mep-database"}, "get-cfm-mep-database",
		flagArgs(nil, []string{"maintenance-domain", "maintenance-association"}, "")},
	{[]string{"show", "ptp", "lock-status"}, "get-ptp-lock-status", flagArgs([]string{"detail"}, nil, "")},
	{[]string{"show", "chassis", "synchronization"}, "get-clock-synchronization", flagArgs([]string{"extensive"}, nil, "")},
	{[]string{"show", "virtual-network-functions"}, "get-virtual-network-functions-information",
		flagArgs([]string{"brief", "detail"}, nil, "vnf-name")},
	{[]string{"show", "security", "ike", "security-associations"}, "get-ike-security-associations-information",
		flagArgs([]string{"brief", "detail"}, nil, "peer-address")},
	{[]string{"show", "security", "ipsec", "security-associations"}, "get-security-associations-information",
		flagArgs([]string{"brief", "detail"}, []string{"vpn-name"}, "")},
	{[]string{"show", "security", "ipsec", "inactive-tunnels"}, "get-inactive-tunnels", flagArgs([]string{"brief", "detail"}, nil, "")},
	{[]string{"show", "l2vpn", "connections"}, "get-l2vpn-connection-information",
		flagArgs([]string{"brief", "extensive", "up", "down"}, []string{"instance"}, "")},
	{[]string{"show", "route"}, "get-route-information",
		flagArgs([]string{"brief", "detail", "extensive", "terse"}, []string{"table"}, "destination")},
	{[]string{"show", "bgp", "summary"}, "get-bgp-summary-information", flagArgs(nil, []string{"instance"}, "")},
	{[]string{"show", "ldp", "session"}, "get-ldp-session-information", flagArgs([]string{"brief", "detail", "extensive"}, nil, "")},
	{[]string{"show", "isis", "adjacency"}, "get-isis-adjacency-information", flagArgs([]string{"brief", "detail", "extensive"}, nil, "")},
	{[]string{"show", "ospf", "neighbor"}, "get-ospf-neighbor-information", flagArgs([]string{"brief", "detail", "extensive"}, nil, "")},
	{[]string{"show", "ptp", "clock"}, "get-ptp-clock", flagArgs([]string{"detail"}, nil, "")},
	{[]string{"show", "oam", "ethernet", "connectivity-fault-management", "delay-statistics"}, "get-cfm-delay-statistics",
		flagArgs(nil, cfmArgs, "")},
	{[]string{"show", "oam", "ethernet", "connectivity-fault-management", "loss-statistics"}, "get-cfm-loss-statistics",
		flagArgs(nil, cfmArgs, "")},
	{[]string{"show", "oam", "ethernet", "connectivity-fault-management", "sla-iterator-statistics"}, "get-cfm-iterator-statistics",
		flagArgs(nil, append([]string{"sla-iterator"}, cfmArgs...), "")},
	{[]string{"ping", "mpls", "l2circuit", "interface"}, "request-ping-l2circuit-interface", flagArgs(pingFlags, pingValued, "interface-name")},
	{[]string{"ping", "mpls", "l2circuit", "virtual-circuit"}, "request-ping-l2circuit-virtual-circuit",
		flagArgs(pingFlags, append([]string{"neighbor"}, pingValued...), "virtual-circuit-id")},
	{[]string{"ping", "mpls", "l2vpn", "interface"}, "request-ping-l2vpn-interface", flagArgs(pingFlags, pingValued, "interface-name")},
	{[]string{"ping", "mpls", "l2vpn", "instance"}, "request-ping-l2vpn-instance",
		flagArgs(pingFlags, append([]string{"local-site-id", "remote-site-id"}, pingValued...), "instance-name")},
	{[]string{"ping", "mpls", "l3vpn"}, "request-ping-l3vpn", flagArgs(pingFlags, append([]string{"prefix"}, pingValued...), "l3vpn-name")},
	{[]string{"ping", "mpls", "rsvp"}, "request-ping-rsvp-lsp", flagArgs(pingFlags, pingValued, "lsp-name")},
	{[]string{"ping", "mpls", "ldp"}, "request-ping-ldp-lsp", flagArgs(pingFlags, pingValued, "fec")},
	{[]string{"ping", "mpls", "lsp-end-point"}, "request-ping-lsp-end-point", flagArgs(pingFlags, pingValued, "prefix")},
	{[]string{"show", "configuration"}, "get-configuration", nil},
}

// Arguments shared by several commands.
var (
	cfmArgs    = []string{"maintenance-domain", "maintenance-association", "local-mep", "remote-mep", "count"}
	pingFlags  = []string{"detail"}
	pingValued = []string{"count", "source", "destination", "exp"}
)

// command runs one operational command line (pipes already stripped).
func (d *Device) command(ctx context.Context, s *session, line string) (opReply, error) {
	toks := strings.Fields(line)
	if len(toks) == 0 {
		return nil, &commandError{Msg: "syntax error, expecting <command>."}
	}
	cands := commands
	depth := 0
	for depth < len(toks) {
		var kws []string
		for _, c := range cands {
			if len(c.words) > depth && !containsStr(kws, c.words[depth]) {
				kws = append(kws, c.words[depth])
			}
		}
		if len(kws) == 0 {
			break
		}
		kw, ok := uniquePrefix(toks[depth], kws)
		if !ok {
			complete := false
			for _, c := range cands {
				if len(c.words) == depth {
					complete = true
				}
			}
			if complete {
				break
			}
			msg := "syntax error, expecting <command>."
			if kw != "" || countPrefix(toks[depth], kws) > 1 {
				msg = fmt.Sprintf("'%s' is ambiguous.", toks[depth])
			}
			return nil, &commandError{Token: toks[depth], Pos: depth, Msg: msg}
		}
		var next []cmdSpec
		for _, c := range cands {
			if len(c.words) > depth && c.words[depth] == kw {
				next = append(next, c)
			}
		}
		cands = next
		depth++
	}
	var spec *cmdSpec
	for i := range cands {
		if len(cands[i].words) == depth {
			spec = &cands[i]
		}
	}
	if spec == nil {
		return nil, &commandError{Pos: depth, Msg: "syntax error, expecting <command>."}
	}
	rest := toks[depth:]
	if spec.rpc == "get-configuration" {
		return d.showConfiguration(s, rest)
	}
	args, err := spec.args(rest)
	if err != nil {
		if ce, ok := err.(*commandError); ok {
			ce.Pos += depth
		}
		return nil, err
	}
	return d.opRPC(ctx, s, opRequest{Name: spec.rpc, Args: args})
}

func countPrefix(w string, kws []string) int {
	n := 0
	for _, k := range kws {
		if strings.HasPrefix(k, w) {
			n++
		}
	}
	return n
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// showConfiguration answers `show configuration [path…]` from the
// committed configuration.
func (d *Device) showConfiguration(s *session, path []string) (opReply, error) {
	t := s.committed()
	m := d.commitMeta()
	var rpc strings.Builder
	rpc.WriteString(`<get-configuration database="committed" format="text">`)
	if len(path) > 0 {
		rpc.WriteString("<configuration>")
		for _, w := range path {
			rpc.WriteString("<" + escText(w) + ">")
		}
		for i := len(path) - 1; i >= 0; i-- {
			rpc.WriteString("</" + escText(path[i]) + ">")
		}
		rpc.WriteString("</configuration>")
	}
	rpc.WriteString("</get-configuration>")
	attrs := []string{"junos:commit-seconds", fmt.Sprint(m.at.Unix()),
		"junos:commit-localtime", m.at.UTC().Format("2006-01-02 15:04:05 MST"), "junos:commit-user", m.user}
	if len(path) > 0 {
		sub := t.Sub(path...)
		if sub == nil {
			return &reply{xml: withAttrs([]byte("<configuration>\n</configuration>\n"), attrs), rpc: rpc.String()}, nil
		}
		return &reply{xml: withAttrs(sub.XML(), attrs), text: string(sub.Text()), rpc: rpc.String()}, nil
	}
	text := fmt.Sprintf("## Last commit: %s by %s\nversion %s;\n", m.at.UTC().Format("2006-01-02 15:04:05 MST"), m.user, d.plat.Version) + string(t.Text())
	return &reply{xml: withAttrs(t.XML(), attrs), text: text, rpc: rpc.String()}, nil
}

// ---- handlers ----

func (d *Device) ns(daemon string) string {
	return "http://xml.juniper.net/junos/" + d.plat.Version + "/" + daemon
}

func opSoftware(_ context.Context, d *Device, _ *session, _ opRequest) (*reply, error) {
	p := d.plat
	var w xw
	w.open("software-information")
	w.leaf("host-name", d.Hostname()).leaf("product-model", p.ProductName).leaf("product-name", p.ProductName)
	w.leaf("junos-version", p.Version)
	w.open("package-information").leaf("name", "junos").leaf("comment", "JUNOS Software Release ["+p.Version+"]").close("package-information")
	w.close("software-information")
	text := fmt.Sprintf("Hostname: %s\nModel: %s\nJunos: %s\nJUNOS Software Release [%s]\n", d.Hostname(), p.ProductName, p.Version, p.Version)
	return &reply{xml: w.bytes(), text: text}, nil
}

func opSystem(_ context.Context, d *Device, _ *session, _ opRequest) (*reply, error) {
	p := d.plat
	var w xw
	w.open("system-information")
	w.leaf("hardware-model", p.ProductName).leaf("os-name", p.OSName).leaf("os-version", p.Version)
	w.leaf("serial-number", d.serial).leaf("host-name", d.Hostname())
	w.close("system-information")
	text := fmt.Sprintf("Model: %s\nFamily: %s\nJunos: %s\nHostname: %s\n", p.ProductName, p.OSName, p.Version, d.Hostname())
	return &reply{xml: w.bytes(), text: text}, nil
}

type invItem struct {
	depth                                    int
	name, version, part, serial, description string
}

// inventory lists the chassis hardware, derived from platform and hostname.
func (d *Device) inventory() []invItem {
	p, h := d.plat, d.Hostname()
	items := []invItem{{0, "Chassis", "", "", d.serial, p.ChassisName}}
	if p.Series == "MX" && p.Model != "mx204" {
		items = append(items, invItem{0, "Midplane", "REV 07", "750-047862", serialFor("AB", h, "midplane"), "Enhanced " + p.ChassisName + " Midplane"})
	}
	items = append(items, invItem{0, "Routing Engine 0", "REV 01", p.RE.PartNumber, serialFor("9", h, "re0"), p.RE.Description})
	for _, f := range p.FPCs {
		fn := fmt.Sprintf("FPC %d", f.Slot)
		items = append(items, invItem{0, fn, "REV 22", f.PartNumber, serialFor("CA", h, fn), f.Description})
		items = append(items, invItem{1, "CPU", "REV 12", "711-045719", serialFor("CA", h, fn+"/cpu"), "RMPC PMB"})
		for _, pic := range f.PICs {
			pn := fmt.Sprintf("PIC %d", pic.Slot)
			if len(items) > 0 && items[len(items)-1].name == pn && items[len(items)-1].depth == 1 {
				continue // two port groups on one PIC
			}
			items = append(items, invItem{1, pn, "", "BUILTIN", "BUILTIN", pic.Description})
		}
	}
	return items
}

func opInventory(_ context.Context, d *Device, _ *session, _ opRequest) (*reply, error) {
	items := d.inventory()
	var w xw
	w.open("chassis-inventory", "xmlns", d.ns("junos-chassis"))
	w.open("chassis", "junos:style", "inventory")
	w.leaf("name", items[0].name).leaf("serial-number", items[0].serial).leaf("description", items[0].description)
	var text strings.Builder
	text.WriteString("Hardware inventory:\nItem             Version  Part number  Serial number     Description\n")
	fmt.Fprintf(&text, "%-16s %-8s %-12s %-17s %s\n", items[0].name, "", "", items[0].serial, items[0].description)
	open := 0 // depth of open chassis-module (1) / sub-module (2)
	for _, it := range items[1:] {
		for open > it.depth {
			if open == 2 {
				w.close("chassis-sub-module")
			} else {
				w.close("chassis-module")
			}
			open--
		}
		if open == it.depth+1 {
			if it.depth == 1 {
				w.close("chassis-sub-module")
			} else {
				w.close("chassis-module")
			}
			open--
		}
		el := "chassis-module"
		if it.depth == 1 {
			el = "chassis-sub-module"
		}
		w.open(el).leaf("name", it.name)
		if it.version != "" {
			w.leaf("version", it.version)
		}
		w.leaf("part-number", it.part).leaf("serial-number", it.serial).leaf("description", it.description)
		open = it.depth + 1
		fmt.Fprintf(&text, "%-16s %-8s %-12s %-17s %s\n", strings.Repeat("  ", it.depth)+it.name, it.version, it.part, it.serial, it.description)
	}
	for ; open > 0; open-- {
		if open == 2 {
			w.close("chassis-sub-module")
		} else {
			w.close("chassis-module")
		}
	}
	w.close("chassis").close("chassis-inventory")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

func opRouteEngine(_ context.Context, d *Device, _ *session, _ opRequest) (*reply, error) {
	p := d.plat
	now := d.clock.Now()
	up := now.Sub(d.started)
	if up < 0 {
		up = 0
	}
	secs := int64(up.Seconds())
	uptext := fmt.Sprintf("%d hours, %d minutes, %d seconds", secs/3600, secs%3600/60, secs%60)
	var w xw
	w.open("route-engine-information", "xmlns", d.ns("junos-chassis"))
	w.open("route-engine")
	w.leaf("slot", "0").leaf("mastership-state", "master").leaf("mastership-priority", "master (default)").leaf("status", "OK")
	w.leaf("memory-dram-size", fmt.Sprintf("%d MB", p.RE.MemoryMB)).leaf("memory-buffer-utilization", "12")
	w.leaf("cpu-user", "1").leaf("cpu-background", "0").leaf("cpu-system", "1").leaf("cpu-interrupt", "0").leaf("cpu-idle", "98")
	w.leaf("model", p.RE.Description).leaf("serial-number", serialFor("9", d.Hostname(), "re0"))
	w.leaf("start-time", d.started.UTC().Format("2006-01-02 15:04:05 MST"), "junos:seconds", fmt.Sprint(d.started.Unix()))
	w.leaf("up-time", uptext, "junos:seconds", fmt.Sprint(secs))
	w.leaf("load-average-one", "0.05").leaf("load-average-five", "0.04").leaf("load-average-fifteen", "0.01")
	w.close("route-engine").close("route-engine-information")
	text := fmt.Sprintf(`Routing Engine status:
  Slot 0:
    Current state                  Master
    Election priority              Master (default)
    DRAM                      %6d MB
    Memory utilization          12 percent
    CPU utilization:
      User                       1 percent
      Background                 0 percent
      Kernel                     1 percent
      Interrupt                  0 percent
      Idle                      98 percent
    Model                          %s
    Serial ID                      %s
    Start time                     %s
    Uptime                         %s
    Load averages:                 1 minute   5 minute  15 minute
                                       0.05       0.04       0.01
`, p.RE.MemoryMB, p.RE.Description, serialFor("9", d.Hostname(), "re0"), d.started.UTC().Format("2006-01-02 15:04:05 MST"), uptext)
	return &reply{xml: w.bytes(), text: text}, nil
}

// ---- interfaces ----

type ifFamily struct {
	name  string
	addrs []string
}

type logicalIf struct {
	name     string
	desc     string
	disabled bool
	families []ifFamily
}

type physicalIf struct {
	name     string
	desc     string
	disabled bool
	speed    int // Mb/s, 0 for virtual
	mtu      string
	virtual  bool // lo0, management, aggregates: link follows admin state
	units    []logicalIf
}

var physRE = regexp.MustCompile(`^(ge|xe|et)-\d+/\d+/\d+$`)

// interfacesFromConfig lists the device's interfaces: the platform's ports,
// then configured virtual interfaces, with units from the configuration.
func (d *Device) interfacesFromConfig(v cfgView) []physicalIf {
	configured := v.keys("interfaces")
	var out []physicalIf
	add := func(name string, speed int, virtual bool) {
		p := physicalIf{name: name, speed: speed, virtual: virtual,
			desc: v.value("interfaces", name, "description"), disabled: v.exists("interfaces", name, "disable"),
			mtu: v.value("interfaces", name, "mtu")}
		for _, u := range v.keys("interfaces", name, "unit") {
			base := []string{"interfaces", name, "unit", u}
			l := logicalIf{name: name + "." + u, desc: v.value(cat(base, "description")...), disabled: v.exists(cat(base, "disable")...)}
			for _, f := range v.keys(cat(base, "family")...) {
				l.families = append(l.families, ifFamily{f, v.keys(cat(base, "family", f, "address")...)})
			}
			p.units = append(p.units, l)
		}
		out = append(out, p)
	}
	for _, pt := range d.plat.Ports() {
		add(pt.Name, pt.SpeedMbps, false)
	}
	seen := map[string]bool{d.plat.Mgmt: true, "lo0": true}
	add(d.plat.Mgmt, 1000, true)
	add("lo0", 0, true)
	for _, n := range configured {
		if physRE.MatchString(n) || seen[n] {
			continue // ports not on this chassis do not exist
		}
		seen[n] = true
		add(n, 0, true)
	}
	return out
}

func speedText(mbps int) string {
	switch {
	case mbps == 0:
		return "Unspecified"
	case mbps >= 1000 && mbps%1000 == 0 && mbps > 1000:
		return fmt.Sprintf("%dGbps", mbps/1000)
	default:
		return fmt.Sprintf("%dmbps", mbps)
	}
}

func upDown(b bool) string {
	if b {
		return "up"
	}
	return "down"
}

// globMatch matches Junos interface-name patterns, where '*' matches any
// run of characters (including '/').
func globMatch(pattern, name string) bool {
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	ok, _ := regexp.MatchString(re, name)
	return ok
}

func opInterfaces(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st := d.state()
	all := d.interfacesFromConfig(v)
	filter := r.arg("interface-name")
	style := "normal"
	switch {
	case r.flag("terse"):
		style = "terse"
	case r.flag("detail"), r.flag("extensive"):
		style = "detail"
	case r.flag("brief"):
		style = "brief"
	}
	type shown struct {
		p     physicalIf
		units []logicalIf
	}
	var list []shown
	for _, p := range all {
		if filter == "" || globMatch(filter, p.name) {
			list = append(list, shown{p, p.units})
			continue
		}
		var us []logicalIf
		for _, u := range p.units {
			if globMatch(filter, u.name) {
				us = append(us, u)
			}
		}
		if len(us) > 0 {
			list = append(list, shown{p, us})
		}
	}
	if filter != "" && len(list) == 0 {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: device %s not found", filter)}
	}
	var w xw
	attrs := []string{"xmlns", d.ns("junos-interface")}
	if style != "normal" {
		attrs = append(attrs, "junos:style", style)
	}
	w.open("interface-information", attrs...)
	var text strings.Builder
	if style == "terse" {
		text.WriteString("Interface               Admin Link Proto    Local                 Remote\n")
	}
	cfmDown := cfmActionDowns(d, v, st)
	for i, sh := range list {
		p := sh.p
		admin := !p.disabled
		oper := admin && (p.virtual || st.linkUp(d, p.name)) && !cfmDown[p.name]
		w.open("physical-interface").leaf("name", p.name).leaf("admin-status", upDown(admin)).leaf("oper-status", upDown(oper))
		if style != "terse" {
			if p.desc != "" {
				w.leaf("description", p.desc)
			}
			w.leaf("local-index", fmt.Sprint(148+i)).leaf("snmp-index", fmt.Sprint(501+i))
			if !p.virtual || p.name == d.plat.Mgmt {
				mtu := p.mtu
				if mtu == "" {
					mtu = "1514"
				}
				w.leaf("link-level-type", "Ethernet").leaf("mtu", mtu).leaf("speed", speedText(p.speed))
				w.leaf("current-physical-address", macFor(d.Hostname(), p.name))
			}
			w.leaf("interface-flapped", "Never", "junos:seconds", "0")
		}
		switch style {
		case "terse":
			fmt.Fprintf(&text, "%-24s%-6s%-5s\n", p.name, upDown(admin), upDown(oper))
		default:
			fmt.Fprintf(&text, "Physical interface: %s, %s, Physical link is %s\n", p.name, map[bool]string{true: "Enabled", false: "Administratively down"}[admin], map[bool]string{true: "Up", false: "Down"}[oper])

			fmt.Fprintf(&text, "  Interface index: %d, SNMP ifIndex: %d\n", 148+i, 501+i)
			if p.desc != "" {
				fmt.Fprintf(&text, "  Description: %s\n", p.desc)
			}
			if !p.virtual || p.name == d.plat.Mgmt {
				mtu := p.mtu
				if mtu == "" {
					mtu = "1514"
				}
				fmt.Fprintf(&text, "  Link-level type: Ethernet, MTU: %s, Speed: %s\n", mtu, speedText(p.speed))
				fmt.Fprintf(&text, "  Current address: %s, Hardware address: %s\n", macFor(d.Hostname(), p.name), macFor(d.Hostname(), p.name))
			}
			text.WriteString("  Last flapped   : Never\n")
		}
		for j, u := range sh.units {
			uadmin := !u.disabled
			uoper := uadmin && oper
			if strings.HasPrefix(u.name, "st0.") || strings.HasPrefix(u.name, "gr-") {
				uoper = uadmin && oper && d.tunnelUnitUp(u.name)
			}
			w.open("logical-interface").leaf("name", u.name).leaf("admin-status", upDown(uadmin)).leaf("oper-status", upDown(uoper))
			if u.desc != "" && style != "terse" {
				w.leaf("description", u.desc)
			}
			if style == "detail" {
				w.leaf("local-index", fmt.Sprint(330+i*8+j)).leaf("snmp-index", fmt.Sprint(540+i*8+j))
			}
			if style != "terse" {
				fmt.Fprintf(&text, "\n  Logical interface %s (Index %d) (SNMP ifIndex %d)\n", u.name, 330+i*8+j, 540+i*8+j)
				if u.desc != "" {
					fmt.Fprintf(&text, "    Description: %s\n", u.desc)
				}
				fmt.Fprintf(&text, "    Flags: %s SNMP-Traps 0x4000 Encapsulation: ENET2\n", map[bool]string{true: "Up", false: "Down"}[uoper])
			}
			first := true
			for _, f := range u.families {
				w.open("address-family").leaf("address-family-name", f.name)
				for _, a := range f.addrs {
					w.open("interface-address").leaf("ifa-local", a).close("interface-address")
				}
				w.close("address-family")
				if style == "terse" {
					addrs := f.addrs
					if len(addrs) == 0 {
						addrs = []string{""}
					}
					for k, a := range addrs {
						if first && k == 0 {
							fmt.Fprintf(&text, "%-24s%-6s%-5s%-9s%s\n", u.name, upDown(uadmin), upDown(uoper), f.name, a)
						} else if k == 0 {
							fmt.Fprintf(&text, "%-35s%-9s%s\n", "", f.name, a)
						} else {
							fmt.Fprintf(&text, "%-44s%s\n", "", a)
						}
					}
					first = false
				} else {
					fmt.Fprintf(&text, "    Protocol %s\n", f.name)
					for _, a := range f.addrs {
						fmt.Fprintf(&text, "      Addresses\n        Local: %s\n", a)
					}
				}
			}
			if style == "terse" && first {
				fmt.Fprintf(&text, "%-24s%-6s%-5s\n", u.name, upDown(uadmin), upDown(uoper))
			}
			w.close("logical-interface")
		}
		w.close("physical-interface")
		if style != "terse" {
			text.WriteString("\n")
		}
	}
	w.close("interface-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

// trimLines drops the trailing blanks that column padding leaves.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// macFor derives a stable MAC address for an interface (Juniper OUI).
func macFor(hostname, ifname string) string {
	s := serialFor("", hostname, "mac/"+ifname)
	h := serialHash(s)
	return fmt.Sprintf("00:05:86:%02x:%02x:%02x", byte(h>>16), byte(h>>8), byte(h))
}

// ---- config-derived state: l2circuit, VPLS, MPLS LSPs, instances ----

func opL2circuit(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st := d.state()
	var w xw
	w.open("l2circuit-connection-information", "xmlns", d.ns("junos-l2circuit"))
	var text strings.Builder
	text.WriteString(l2Legend)
	up, down := 0, 0
	for _, nb := range v.keys("protocols", "l2circuit", "neighbor") {
		if f := r.arg("neighbor"); f != "" && f != nb {
			continue
		}
		base := []string{"protocols", "l2circuit", "neighbor", nb, "interface"}
		ifs := v.keys(base...)
		var rows []string
		w.open("l2circuit-neighbor").leaf("neighbor-address", nb)
		for _, ifn := range ifs {
			if f := r.arg("interface"); f != "" && f != ifn {
				continue
			}
			vc := v.value(cat(base, ifn, "virtual-circuit-id")...)
			ps := st.pseudowire(d, nb, ifn, vc)
			if !stateWanted(r, ps.Status) {
				continue
			}
			if ps.Status == "Up" {
				up++
			} else {
				down++
			}
			id := fmt.Sprintf("%s(vc %s)", ifn, vc)
			w.open("connection").leaf("connection-id", id).leaf("connection-type", "rmt").leaf("connection-status", ps.Status)
			if !ps.LastChange.IsZero() {
				w.leaf("last-change", ps.LastChange.UTC().Format("Jan _2 15:04:05 2006"), "junos:seconds", fmt.Sprint(ps.LastChange.Unix()))
			}
			w.leaf("up-transitions", fmt.Sprint(ps.UpTransitions))
			w.leaf("remote-pe", nb)
			if ps.InLabel != "" {
				w.leaf("inbound-label", ps.InLabel)
			}
			if ps.OutLabel != "" {
				w.leaf("outbound-label", ps.OutLabel)
			}
			ifStatus := "Dn"
			if st.linkUp(d, strings.SplitN(ifn, ".", 2)[0]) {
				ifStatus = "Up"
			}
			w.open("local-interface").leaf("interface-name", ifn).leaf("interface-status", ifStatus).leaf("interface-encapsulation", "VLAN")
			if desc := v.value(cat(base, ifn, "description")...); desc != "" {
				w.leaf("interface-description", desc)
			}
			w.close("local-interface").close("connection")
			last := ""
			if !ps.LastChange.IsZero() {
				last = ps.LastChange.UTC().Format("Jan _2 15:04:05 2006")
			}
			rows = append(rows, fmt.Sprintf("    %-26s%-6s%-7s%-22s%d\n", id, "rmt", ps.Status, last, ps.UpTransitions))
		}
		w.close("l2circuit-neighbor")
		if len(rows) > 0 {
			fmt.Fprintf(&text, "Neighbor: %s \n    Interface                 Type  St     Time last up          # Up trans\n", nb)
			for _, row := range rows {
				text.WriteString(row)
			}
		}
	}
	w.open("connections-summary").leaf("vc-up-count", fmt.Sprint(up)).leaf("vc-down-count", fmt.Sprint(down)).close("connections-summary")
	w.close("l2circuit-connection-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

const l2Legend = `Layer-2 Circuit Connections:

Legend for connection status (St)   
EI -- encapsulation invalid      NP -- interface h/w not present   
MM -- mtu mismatch               Dn -- down                       
EM -- encapsulation mismatch     VC-Dn -- Virtual circuit Down    
CM -- control-word mismatch      Up -- operational                
VM -- vlan id mismatch           CF -- Call admission control failure
OL -- no outgoing label          IB -- TDM incompatible bitrate 
NC -- intf encaps not CCC/TCC    TM -- TDM misconfiguration  
BK -- Backup Connection          ST -- Standby Connection
CB -- rcvd cell-bundle size bad  SP -- Static Pseudowire
LD -- local site signaled down   RS -- remote site standby
RD -- remote site signaled down  HS -- Hot-standby Connection
XX -- unknown

Legend for interface status 
Up -- operational           
Dn -- down                  
`

// routerID is the device's router-id, lo0 address, or 0.0.0.0.
func routerID(v cfgView) string {
	if id := v.value("routing-options", "router-id"); id != "" {
		return id
	}
	for _, a := range v.keys("interfaces", "lo0", "unit", "0", "family", "inet", "address") {
		return strings.SplitN(a, "/", 2)[0]
	}
	return "0.0.0.0"
}

func opMPLSLSP(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st := d.state()
	from := routerID(v)
	var w xw
	w.open("mpls-lsp-information", "xmlns", d.ns("junos-routing"))
	var text strings.Builder
	type row struct {
		to, name string
		ls       lspState
	}
	var rows []row
	for _, name := range v.keys("protocols", "mpls", "label-switched-path") {
		if f := r.arg("name"); f != "" && f != name {
			continue
		}
		to := v.value("protocols", "mpls", "label-switched-path", name, "to")
		rows = append(rows, row{to, name, st.lsp(d, name, to)})
	}
	// Static and P2MP branch LSPs the network computed.
	if ns, nsName := d.netView(); ns != nil {
		for _, l := range ns.LSPs(nsName) {
			if l.Kind == "rsvp" || (r.arg("name") != "" && r.arg("name") != l.Name) {
				continue
			}
			ls := lspState{Up: l.Up, ActivePath: l.ActivePath}
			if l.Up {
				ls.LabelOut = fmt.Sprint(l.LabelOut)
			}
			rows = append(rows, row{l.To.String(), l.Name, ls})
		}
	}
	if r.flag("up") || r.flag("down") {
		var keep []row
		for _, rw := range rows {
			if rw.ls.Up == r.flag("up") {
				keep = append(keep, rw)
			}
		}
		rows = keep
	}
	up := 0
	for _, rw := range rows {
		if rw.ls.Up {
			up++
		}
	}
	if !r.flag("egress") && !r.flag("transit") {
		w.open("rsvp-session-data").leaf("session-type", "Ingress").leaf("count", fmt.Sprint(len(rows)))
		fmt.Fprintf(&text, "Ingress LSP: %d sessions\nTo              From            State Rt P     ActivePath       LSPname\n", len(rows))
		for _, rw := range rows {
			state := "Dn"
			if rw.ls.Up {
				state = "Up"
			}
			path := rw.ls.ActivePath
			w.open("rsvp-session").open("mpls-lsp").leaf("name", rw.name).leaf("destination-address", rw.to).leaf("source-address", from)
			w.leaf("lsp-state", state).leaf("route-count", "0")
			if path != "" {
				w.leaf("active-path", path)
			}
			w.close("mpls-lsp").close("rsvp-session")
			if path == "" {
				path = "-"
			}
			fmt.Fprintf(&text, "%-16s%-16s%-6s%-3d%-6s%-17s%s\n", rw.to, from, state, 0, "*", path, rw.name)
		}
		w.leaf("display-count", fmt.Sprint(len(rows))).leaf("up-count", fmt.Sprint(up)).leaf("down-count", fmt.Sprint(len(rows)-up))
		w.close("rsvp-session-data")
		fmt.Fprintf(&text, "Total %d displayed, Up %d, Down %d\n\n", len(rows), up, len(rows)-up)
	}
	ns, name := d.netView()
	for _, typ := range []string{"Egress", "Transit"} {
		if r.flag("ingress") || (r.flag("egress") && typ != "Egress") || (r.flag("transit") && typ != "Transit") {
			continue
		}
		n := 0
		if ns != nil && typ == "Egress" {
			n = ns.EgressLSPs(name)
		} else if ns != nil {
			n = ns.TransitLSPs(name)
		}
		c := fmt.Sprint(n)
		w.open("rsvp-session-data").leaf("session-type", typ).leaf("count", c).leaf("display-count", c).leaf("up-count", c).leaf("down-count", "0").close("rsvp-session-data")
		fmt.Fprintf(&text, "%s LSP: %d sessions\nTotal %d displayed, Up %d, Down 0\n\n", typ, n, n, n)
	}
	w.close("mpls-lsp-information")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func opInstances(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	type inst struct {
		name, typ string
		ifs       []string
		ribs      []string
	}
	list := []inst{{"master", "forwarding", nil, []string{"inet.0", "mpls.0", "inet6.0"}}}
	for _, n := range v.keys("routing-instances") {
		typ := v.value("routing-instances", n, "instance-type")
		if typ == "" {
			typ = "forwarding"
		}
		var ribs []string
		switch typ {
		case "vrf":
			ribs = []string{n + ".inet.0"}
		case "vpls", "l2vpn":
			ribs = []string{n + ".l2vpn.0"}
		case "virtual-router":
			ribs = []string{n + ".inet.0"}
		}
		list = append(list, inst{n, typ, v.keys("routing-instances", n, "interface"), ribs})
	}
	var w xw
	w.open("instance-information", "xmlns", d.ns("junos-routing"), "junos:style", "terse")
	var text strings.Builder
	text.WriteString("Instance             Type\n         Primary RIB                                     Active/holddown/hidden\n")
	for _, in := range list {
		if f := r.arg("instance-name"); f != "" && f != in.name {
			continue
		}
		w.open("instance-core").leaf("instance-name", in.name).leaf("instance-type", in.typ).leaf("instance-state", "Active")
		if in.name == "master" {
			w.leaf("router-id", routerID(v))
		}
		for _, i := range in.ifs {
			w.open("instance-interface").leaf("interface-name", i).close("instance-interface")
		}
		fmt.Fprintf(&text, "%-21s%s\n", in.name, in.typ)
		counts := d.ribCounts(in.ribs)
		for _, rib := range in.ribs {
			n := fmt.Sprint(counts[rib])
			w.open("instance-rib").leaf("irib-name", rib).leaf("irib-active-count", n).leaf("irib-holddown-count", "0").leaf("irib-hidden-count", "0").close("instance-rib")
			fmt.Fprintf(&text, "         %-48s%s/0/0\n", rib, n)
		}
		w.close("instance-core")
	}
	w.close("instance-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

func opCommitInfo(_ context.Context, d *Device, _ *session, _ opRequest) (*reply, error) {
	var w xw
	w.open("commit-information")
	var text strings.Builder
	for i, e := range d.commitLog() {
		at := e.at.UTC().Format("2006-01-02 15:04:05 MST")
		w.open("commit-history").leaf("sequence-number", fmt.Sprint(i)).leaf("user", e.user).leaf("client", e.client)
		w.leaf("date-time", at, "junos:seconds", fmt.Sprint(e.at.Unix()))
		if e.log != "" {
			w.leaf("log", e.log)
		}
		w.close("commit-history")
		fmt.Fprintf(&text, "%d   %s by %s via %s\n", i, at, e.user, e.client)
		if e.log != "" {
			fmt.Fprintf(&text, "    %s\n", e.log)
		}
	}
	w.close("commit-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

// ---- OAM, timing and VNFs ----

func opCFMMEPs(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	st := d.state()
	base := []string{"protocols", "oam", "ethernet", "connectivity-fault-management", "maintenance-domain"}
	var w xw
	w.open("cfm-mep-database", "xmlns", d.ns("junos-cfm"))
	var text strings.Builder
	for _, md := range v.keys(base...) {
		if f := r.arg("maintenance-domain"); f != "" && f != md {
			continue
		}
		level := v.value(cat(base, md, "level")...)
		for _, ma := range v.keys(cat(base, md, "maintenance-association")...) {
			if f := r.arg("maintenance-association"); f != "" && f != ma {
				continue
			}
			mab := cat(base, md, "maintenance-association", ma, "mep")
			for _, mep := range v.keys(mab...) {
				ifn := v.value(cat(mab, mep, "interface")...)
				dir := v.value(cat(mab, mep, "direction")...)
				w.open("cfm-entry").leaf("cfm-maintenance-domain-name", md).leaf("cfm-maintenance-association-name", ma)
				w.leaf("cfm-level", level).leaf("cfm-local-mep-identifier", mep).leaf("cfm-mep-direction", dir).leaf("cfm-interface-name", ifn)
				fmt.Fprintf(&text, "Maintenance domain name: %s, Format: string, Level: %s\n  Maintenance association name: %s, Format: string\n", md, level, ma)
				fmt.Fprintf(&text, "    MEP identifier: %s, Direction: %s\n    Interface name: %s\n\n  Remote MEP count: %d\n    Identifier  MAC address        State    Interface\n",
					mep, dir, ifn, len(v.keys(cat(mab, mep, "remote-mep")...)))
				w.open("cfm-remote-meps")
				for _, rm := range v.keys(cat(mab, mep, "remote-mep")...) {
					state := st.remoteMEP(d, md, ma, mep, rm)
					w.open("cfm-remote-mep").leaf("cfm-remote-mep-identifier", rm).leaf("cfm-remote-mep-state", state).close("cfm-remote-mep")
					fmt.Fprintf(&text, "    %-12s%-19s%-9s%s\n", rm, "", state, ifn)
				}
				w.close("cfm-remote-meps").close("cfm-entry")
				text.WriteString("\n")
			}
		}
	}
	w.close("cfm-mep-database")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func opPTPLock(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	if !v.exists("protocols", "ptp") {
		return nil, &dbError{"operation-failed", "error: the ptp subsystem is not running"}
	}
	ts := d.state().timing(d)
	slave := ""
	if ifs := v.keys("protocols", "ptp", "slave", "interface"); len(ifs) > 0 {
		slave = ifs[0]
	}
	var w xw
	w.open("ptp-lock-status", "xmlns", d.ns("junos-ptp"))
	w.leaf("ptp-spll-lock-state", ts.PTPLock).leaf("ptp-spll-lock-state-string", ts.PTPLock)
	w.leaf("ptp-slave-interface", slave).leaf("ptp-master-address", ts.PTPMaster)
	w.close("ptp-lock-status")
	text := fmt.Sprintf("Lock Status:\n\nLock State    : %s\nPhase offset  : 0.000000000 sec\nSlave interface: %s\n", ts.PTPLock, slave)
	return &reply{xml: w.bytes(), text: text}, nil
}

func opClockSync(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	v := newCfgView(s.committed())
	ts := d.state().timing(d)
	mode := v.value("chassis", "synchronization", "clock-mode")
	if mode == "free-run" {
		ts.SyncClock, ts.SyncSrc = "free-run", ""
	}
	var w xw
	w.open("clock-synchronization", "xmlns", d.ns("junos-chassis"))
	w.leaf("clock-status", ts.SyncClock)
	if ts.SyncSrc != "" {
		w.open("clock-synchronization-source").leaf("source-interface-name", ts.SyncSrc).leaf("clock-state", "selected").close("clock-synchronization-source")
	}
	for _, ifn := range v.keys("chassis", "synchronization", "esmc-transmit", "interfaces") {
		w.open("clock-synchronization-output").leaf("source-interface-name", ifn).close("clock-synchronization-output")
	}
	w.close("clock-synchronization")
	src := ts.SyncSrc
	if src == "" {
		src = "none"
	}
	text := fmt.Sprintf("Clock Synchronization Status :\n\nCurrent clock status : %s\nSelected source      : %s\n", ts.SyncClock, src)
	return &reply{xml: w.bytes(), text: text}, nil
}

// cfmActionDowns returns the physical interfaces a CFM action profile holds
// down: a MEP on one of their units has a remote MEP that is not ok, and the
// remote MEP's action-profile has `action interface-down` for the event
// `adjacency-loss`. As on Junos, the action is the device's own: it lasts
// while the remote MEP is lost and clears when it is found again.
func cfmActionDowns(d *Device, v cfgView, st opState) map[string]bool {
	const cfm = "connectivity-fault-management"
	base := []string{"protocols", "oam", "ethernet", cfm}
	downOnLoss := map[string]bool{}
	for _, ap := range v.keys(cat(base, "action-profile")...) {
		p := cat(base, "action-profile", ap)
		if v.exists(cat(p, "action", "interface-down")...) && v.exists(cat(p, "event", "adjacency-loss")...) {
			downOnLoss[ap] = true
		}
	}
	if len(downOnLoss) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, md := range v.keys(cat(base, "maintenance-domain")...) {
		mdp := cat(base, "maintenance-domain", md)
		for _, ma := range v.keys(cat(mdp, "maintenance-association")...) {
			map_ := cat(mdp, "maintenance-association", ma)
			for _, mep := range v.keys(cat(map_, "mep")...) {
				mp := cat(map_, "mep", mep)
				ifl := v.value(cat(mp, "interface")...)
				if ifl == "" {
					continue
				}
				for _, rmep := range v.keys(cat(mp, "remote-mep")...) {
					ap := v.value(cat(mp, "remote-mep", rmep, "action-profile")...)
					if downOnLoss[ap] && st.remoteMEP(d, md, ma, mep, rmep) != "ok" {
						out[strings.SplitN(ifl, ".", 2)[0]] = true
					}
				}
			}
		}
	}
	return out
}
