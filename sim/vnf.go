package sim

// The VNF model of the NFX platforms: which configured virtual network
// functions run, which do not and why, and the faults a test can inject.
// opvnf.go prints the result as get-virtual-network-functions-information.

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// VNFCapacity is what an NFX offers its virtual network functions: the
// cores and memory left after the device's own control and data planes.
// Each virtual CPU takes one core. The zero VNFCapacity (any platform that is
// not an NFX) runs no VNFs.
type VNFCapacity struct {
	Cores    int
	MemoryMB int
}

// vnfCapacity is the immutable table of VNF capacity per NFX model. The
// nfx250's figures are the ones package vnf's tests and examples give its
// Host; a program that drives a simulated NFX takes them from
// [Platform.VNFCapacity] rather than repeating them.
var vnfCapacity = map[string]VNFCapacity{
	"nfx250": {Cores: 6, MemoryMB: 16384},
}

// VNFCapacity returns the capacity the platform gives its VNFs; it is zero
// for platforms that are not NFX.
func (p *Platform) VNFCapacity() VNFCapacity {
	if p.Family != junosconf.FamilyNFX {
		return VNFCapacity{}
	}
	return vnfCapacity[p.Model]
}

// Defaults for a VNF whose configuration leaves out virtual-cpu count or
// memory size.
const (
	vnfDefaultVCPUs  = 1
	vnfDefaultMemKiB = 1 << 20 // 1 GiB
)

// VNFFault is a failure injected into one VNF of a simulated NFX with
// [Device.SetVNFFault] or [Network.SetVNFFault]. The zero VNFFault
// (VNFNoFault) is no fault. A fault changes only the state a started VNF
// reports: the cores and memory it was given stay reserved, so a fault
// never lets another VNF start or stops one.
type VNFFault string

// The faults a VNF can be given.
const (
	// VNFNoFault clears a fault.
	VNFNoFault VNFFault = ""
	// VNFCrashed: the VNF's virtual machine has crashed. It reports
	// state "Crashed", liveliness "down" and no ID.
	VNFCrashed VNFFault = "crashed"
	// VNFUnresponsive: the virtual machine runs but its guest no longer
	// answers the liveliness check: state "Running", liveliness "down".
	VNFUnresponsive VNFFault = "unresponsive"
	// VNFStopped: the VNF was stopped (as by request
	// virtual-network-functions NAME stop): state "Shutdown", liveliness
	// "down".
	VNFStopped VNFFault = "stopped"
)

// ParseVNFFault parses a fault name as [VNFFault.String] prints it: "",
// "none", "crashed", "unresponsive" or "stopped". Errors quote the input.
func ParseVNFFault(s string) (VNFFault, error) {
	switch f := VNFFault(s); f {
	case VNFNoFault, VNFCrashed, VNFUnresponsive, VNFStopped:
		return f, nil
	case "none":
		return VNFNoFault, nil
	}
	return "", fmt.Errorf("sim: vnf fault %q: want none, crashed, unresponsive or stopped", s)
}

// String returns the fault's name; VNFNoFault is "none".
func (f VNFFault) String() string {
	if f == VNFNoFault {
		return "none"
	}
	return string(f)
}

// SetVNFFault injects fault f into the VNF called name on d, or clears it
// (VNFNoFault). The name need not be configured yet: the fault applies
// whenever a VNF of that name is, so a test can make a VNF fail as it is
// deployed. The next show virtual-network-functions reply shows the
// change. A device started anew (Network.SetDevice powering it
// on) has no faults, as a rebooted NFX restarts its VNFs. Errors: d is not
// an NFX, name is not a VNF name, or f is not a fault.
func (d *Device) SetVNFFault(name string, f VNFFault) error {
	if d.plat.Family != junosconf.FamilyNFX {
		return fmt.Errorf("sim: device %q: %s is not an NFX and runs no VNFs", d.opts.Hostname, d.plat.Model)
	}
	if name == "" || len(name) > 256 || strings.ContainsAny(name, " \t\r\n\"';{}") {
		return fmt.Errorf("sim: device %q: vnf name %q: want 1-256 characters without spaces, quotes, ';' or braces", d.opts.Hostname, name)
	}
	if _, err := ParseVNFFault(string(f)); err != nil {
		return fmt.Errorf("sim: device %q: vnf %q: %w", d.opts.Hostname, name, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if f == VNFNoFault {
		delete(d.vnfFaults, name)
		return nil
	}
	if d.vnfFaults == nil {
		d.vnfFaults = map[string]string{}
	}
	d.vnfFaults[name] = string(f)
	return nil
}

// vnfFaultsCopy returns the injected faults.
func (d *Device) vnfFaultsCopy() map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.vnfFaults)
}

// SetVNFFault injects fault f into VNF vnf of the simulated node called
// node, or clears it; see [Device.SetVNFFault]. Errors: an unknown node, a
// node that is powered off or not simulated, and Device.SetVNFFault's.
func (nw *Network) SetVNFFault(node, vnf string, f VNFFault) error {
	nw.ctl.Lock() // not while SetDevice replaces the device
	defer nw.ctl.Unlock()
	nw.mu.Lock()
	d, ok := nw.devices[node]
	down := nw.down[node]
	nw.mu.Unlock()
	switch {
	case !ok && nw.topo.Node(node) != nil:
		return fmt.Errorf("sim: network %q: node %q is not a running simulated device", nw.topo.Name, node)
	case !ok:
		return fmt.Errorf("sim: network %q: unknown node %q", nw.topo.Name, node)
	case down:
		return fmt.Errorf("sim: network %q: node %q is powered off", nw.topo.Name, node)
	}
	return d.SetVNFFault(vnf, f)
}

// vnfState is one configured VNF as the device reports it.
type vnfState struct {
	ID         string // domain number while its virtual machine exists, "-" otherwise
	Name       string
	State      string // "Running", "Shutdown" or "Crashed"
	Liveliness string // "alive" or "down"
	VCPUs      int
	MemKiB     int
	Reason     string // why it is not running and alive; "" when it is
}

// vnfStates decides the state of every VNF configured in cfg, in
// configuration order, on a platform with capacity c and the given faults:
//
//   - a VNF whose image is missing or is not a plausible NFX image is not
//     started (checkVNFImage);
//   - the others start in configuration order while they fit in what the
//     VNFs before them left of c; one that does not fit is not started and
//     takes nothing;
//   - a fault then changes what a started VNF reports (see VNFFault).
//
// A VNF that is not started reports "Shutdown" and "down" with the reason.
func vnfStates(cfg *junosconf.Tree, c VNFCapacity, faults map[string]string) []vnfState {
	v := newCfgView(cfg)
	freeCPU, freeKiB := c.Cores, c.MemoryMB*1024
	var out []vnfState
	for i, n := range v.keys("virtual-network-functions") {
		st := vnfState{ID: strconv.Itoa(i + 1), Name: n, State: "Running", Liveliness: "alive",
			VCPUs: vnfDefaultVCPUs, MemKiB: vnfDefaultMemKiB}
		if s := v.value("virtual-network-functions", n, "virtual-cpu", "count"); s != "" {
			st.VCPUs, _ = strconv.Atoi(s) // the schema checked it is a number in range
		}
		if s := v.value("virtual-network-functions", n, "memory", "size"); s != "" {
			st.MemKiB, _ = strconv.Atoi(s)
		}
		img := vnfImagePath(v, n)
		switch err := checkVNFImage(img, v.value("virtual-network-functions", n, "image", "image-type")); {
		case err != nil:
			st.State, st.Liveliness, st.ID, st.Reason = "Shutdown", "down", "-", err.Error()
		case st.VCPUs > freeCPU:
			st.State, st.Liveliness, st.ID = "Shutdown", "down", "-"
			st.Reason = fmt.Sprintf("insufficient CPU resources: needs %d vcpus, %d of %d free", st.VCPUs, freeCPU, c.Cores)
		case st.MemKiB > freeKiB:
			st.State, st.Liveliness, st.ID = "Shutdown", "down", "-"
			st.Reason = fmt.Sprintf("insufficient memory: needs %d KiB, %d of %d KiB free", st.MemKiB, freeKiB, c.MemoryMB*1024)
		default:
			freeCPU -= st.VCPUs
			freeKiB -= st.MemKiB
			switch VNFFault(faults[n]) {
			case VNFCrashed:
				st.State, st.Liveliness, st.ID, st.Reason = "Crashed", "down", "-", "virtual machine crashed"
			case VNFUnresponsive:
				st.Liveliness, st.Reason = "down", "guest does not answer the liveliness check"
			case VNFStopped:
				st.State, st.Liveliness, st.ID, st.Reason = "Shutdown", "down", "-", "stopped by request"
			}
		}
		out = append(out, st)
	}
	return out
}

// vnfImagePath returns the image file of VNF n: file-path is written without
// its keyword ("image /var/public/x.qcow2"), so it is the one word after
// image that is not one of the container's other statements.
func vnfImagePath(v cfgView, n string) string {
	prefix := []string{"virtual-network-functions", n, "image"}
	for _, l := range v.lines {
		if len(l) == len(prefix)+1 && hasPrefix(l, prefix) {
			return l[len(prefix)]
		}
	}
	return ""
}

// vnfImageDirs are where an NFX keeps VNF images.
var vnfImageDirs = []string{"/var/public/", "/var/third-party/"}

// checkVNFImage reports why path (of type typ, "" for qcow2) is not an
// image the NFX can boot: it must be set, lie under /var/public or
// /var/third-party without "." or ".." elements, and end in .qcow2 or .img
// (a raw image-type needs .img or .raw).
func checkVNFImage(path, typ string) error {
	if path == "" {
		return fmt.Errorf("no image configured")
	}
	under := false
	for _, d := range vnfImageDirs {
		under = under || strings.HasPrefix(path, d) && len(path) > len(d)
	}
	if !under {
		return fmt.Errorf("image %s not found: images live under /var/public or /var/third-party", path)
	}
	for _, el := range strings.Split(path[1:], "/") {
		if el == "" || el == "." || el == ".." {
			return fmt.Errorf("image %s not found: bad path", path)
		}
	}
	ext := path[strings.LastIndexByte(path, '.')+1:]
	switch {
	case typ == "raw" && ext != "img" && ext != "raw":
		return fmt.Errorf("image %s is not a raw image (.img or .raw)", path)
	case typ != "raw" && ext != "qcow2" && ext != "img":
		return fmt.Errorf("image %s is not a qcow2 image (.qcow2 or .img)", path)
	}
	return nil
}
