package sim

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// opVNFs answers get-virtual-network-functions-information (show
// virtual-network-functions) from the VNF model in vnf.go: each configured
// VNF with the state that follows from its image, the platform's capacity
// and any injected fault. A VNF that is not running and alive carries the
// reason in vnf_err_str.
func opVNFs(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if d.plat.Family != junosconf.FamilyNFX {
		return nil, &commandError{Token: "virtual-network-functions", Msg: "syntax error, expecting <command>."}
	}
	states := vnfStates(s.committed(), d.plat.VNFCapacity(), d.vnfFaultsCopy())
	var w xw
	w.open("vnf-information", "xmlns", d.ns("junos-nfx-virtual-network-functions"))
	var text strings.Builder
	text.WriteString("ID       Name                                          State      Liveliness\n")
	text.WriteString("--------------------------------------------------------------------------------\n")
	for _, st := range states {
		if f := r.arg("vnf-name"); f != "" && f != st.Name {
			continue
		}
		w.open("vnf-instance").leaf("id", st.ID).leaf("name", st.Name).leaf("state", st.State).leaf("liveliness", st.Liveliness)
		w.leaf("vcpus", strconv.Itoa(st.VCPUs)).leaf("max-mem", strconv.Itoa(st.MemKiB))
		if st.Reason != "" {
			w.leaf("vnf_err_str", st.Reason)
		}
		w.close("vnf-instance")
		fmt.Fprintf(&text, "%-9s%-46s%-11s%s\n", st.ID, st.Name, st.State, st.Liveliness)
	}
	w.close("vnf-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}
