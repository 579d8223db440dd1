package sim

import (
	"context"
	"fmt"
	"strings"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

func opVNFs(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if d.plat.Family != junosconf.FamilyNFX {
		return nil, &commandError{Token: "virtual-network-functions", Msg: "syntax error, expecting <command>."}
	}
	v := newCfgView(s.committed())
	var w xw
	w.open("vnf-information", "xmlns", d.ns("junos-nfx-virtual-network-functions"))
	var text strings.Builder
	text.WriteString("ID       Name                                          State      Liveliness\n")
	for i, n := range v.keys("virtual-network-functions") {
		if f := r.arg("vnf-name"); f != "" && f != n {
			continue
		}
		id := fmt.Sprint(i + 1)
		w.open("vnf-instance").leaf("id", id).leaf("name", n).leaf("state", "Running").leaf("liveliness", "alive")
		if c := v.value("virtual-network-functions", n, "virtual-cpu", "count"); c != "" {
			w.leaf("vcpus", c)
		}
		if m := v.value("virtual-network-functions", n, "memory", "size"); m != "" {
			w.leaf("max-mem", m)
		}
		w.close("vnf-instance")
		fmt.Fprintf(&text, "%-9s%-46s%-11s%s\n", id, n, "Running", "alive")
	}
	w.close("vnf-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}
