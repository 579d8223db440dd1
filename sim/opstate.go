package sim

import (
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
)

// opState is the seam through which the simulated network (part 2) feeds
// operational state into a device's replies. The operational RPCs list
// what the committed configuration declares (interfaces, pseudowires, LSPs,
// VPLS neighbours) and ask opState only for the state of each item, so the
// network never needs to know reply formats.
//
// A device starts with loneState: what a Junos box with no cables and no
// neighbours shows. The network installs its own implementation with
// (*Device).setOpState; methods are called without the device lock held and
// may be called concurrently.
type opState interface {
	// linkUp reports whether the physical link of a front-panel port is up.
	linkUp(d *Device, ifname string) bool
	// pseudowire returns the state of the l2circuit to neighbor on ifname
	// (a logical interface such as "ge-0/0/1.100") with VC ID vcid.
	pseudowire(d *Device, neighbor, ifname, vcid string) pwState
	// lsp returns the state of the ingress RSVP LSP name towards to.
	lsp(d *Device, name, to string) lspState
	// remoteMEP returns the CFM state of a remote MEP: "ok" or "failed".
	remoteMEP(d *Device, md, ma, mep, rmep string) string
	// timing returns the device's PTP and synchronous-Ethernet lock state.
	timing(d *Device) timingState
	// net returns the network's control-plane state and the device's name
	// in it, for replies that list computed items (routes, sessions,
	// probes); a lone device returns nil.
	net(d *Device) (*netstate.State, string)
}

// timingState is the clock state of a device.
type timingState struct {
	PTPLock   string // Junos lock-status: "FREERUN", "ACQUIRING", "PHASE ALIGNED", "HOLDOVER"
	PTPMaster string // address or interface of the selected master, "" when none
	SyncClock string // synchronous Ethernet clock state: "free-run", "locked", "holdover"
	SyncSrc   string // selected synchronisation source interface, "" when none
}

// pwState is the state of one pseudowire.
type pwState struct {
	Status        string // Junos status code: "Up", "OL", "Dn", "VC-Dn", "EM", "MM", "CM", "VM", …
	InLabel       string // "" when none
	OutLabel      string
	LastChange    time.Time // zero when the pseudowire never changed state
	UpTransitions int
}

// lspState is the state of one LSP.
type lspState struct {
	Up         bool
	ActivePath string // "" when down
	LabelOut   string
}

// loneState is the state of a device with no network around it: every
// front-panel link down, no LDP/RSVP neighbours, so pseudowires have no
// outgoing label and LSPs are down.
type loneState struct{}

func (loneState) linkUp(*Device, string) bool                              { return false }
func (loneState) pseudowire(*Device, string, string, string) pwState       { return pwState{Status: "OL"} }
func (loneState) lsp(*Device, string, string) lspState                     { return lspState{} }
func (loneState) remoteMEP(*Device, string, string, string, string) string { return "failed" }
func (loneState) net(*Device) (*netstate.State, string)                    { return nil, "" }
func (loneState) timing(*Device) timingState {
	return timingState{PTPLock: "FREERUN", SyncClock: "free-run"}
}

// setOpState installs the network's state source (nil restores loneState).
func (d *Device) setOpState(s opState) {
	d.mu.Lock()
	d.netState = s
	d.mu.Unlock()
}

func (d *Device) state() opState {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.netState == nil {
		return loneState{}
	}
	return d.netState
}

// ---- reading the committed configuration ----

// cfgView is a read-only view of a configuration's active statements as
// words (junosconf's Tree.Statements), so op RPCs can list what is
// configured.
type cfgView struct{ lines [][]string }

func newCfgView(t *junosconf.Tree) cfgView {
	return cfgView{lines: t.Statements()}
}

func hasPrefix(l, p []string) bool {
	if len(l) < len(p) {
		return false
	}
	for i := range p {
		if l[i] != p[i] {
			return false
		}
	}
	return true
}

// keys returns the distinct words following prefix, in configuration order.
func (v cfgView) keys(prefix ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range v.lines {
		if hasPrefix(l, prefix) && len(l) > len(prefix) && !seen[l[len(prefix)]] {
			seen[l[len(prefix)]] = true
			out = append(out, l[len(prefix)])
		}
	}
	return out
}

// value returns the word after prefix (a leaf's value), or "".
func (v cfgView) value(prefix ...string) string {
	for _, l := range v.lines {
		if hasPrefix(l, prefix) && len(l) > len(prefix) {
			return l[len(prefix)]
		}
	}
	return ""
}

// exists reports whether any statement lies at or below prefix.
func (v cfgView) exists(prefix ...string) bool {
	for _, l := range v.lines {
		if hasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func cat(a []string, b ...string) []string {
	return append(append([]string(nil), a...), b...)
}
