package sim

import (
	"fmt"
	"net/http"
)

// adminVNFFault serves POST /devices/{name}/vnfs/{vnf} of the admin API:
//
//	POST /devices/{name}/vnfs/{vnf}  {"fault": "crashed"}   crashed, unresponsive, stopped, or "none"/"" to clear
//
// It replies like the other POSTs ({"ok": true}; 400 for a missing or bad
// field, a node that is off or not an NFX; 404 for an unknown node). vnf is
// the VNF's name on the device, path-escaped.
func (nw *Network) adminVNFFault(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Fault *string `json:"fault"`
	}
	if !readJSON(w, r, &body) {
		return
	}
	if body.Fault == nil {
		writeErr(w, http.StatusBadRequest, `field "fault" is required (crashed, unresponsive, stopped or none)`)
		return
	}
	f, err := ParseVNFFault(*body.Fault)
	if err != nil {
		writeErr(w, http.StatusBadRequest, fmt.Sprintf(`field "fault": %v`, err))
		return
	}
	nw.reply(w, r, nw.SetVNFFault(r.PathValue("name"), r.PathValue("vnf"), f))
}
