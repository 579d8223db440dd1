package sim

// The admin interface: a small HTTP/JSON API over a running Network, served
// by carrierkit-sim -admin and driven by carrierkit-sim ctl. NETWORK.md
// documents it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/netid"
)

// AdminLink is a link in the admin API.
type AdminLink struct {
	A         string  `json:"a"` // "node:interface" as written in the topology
	B         string  `json:"b"`
	Up        bool    `json:"up"`
	Delay     string  `json:"delay"`     // Go duration, "0s" for none
	Jitter    string  `json:"jitter"`    // Go duration
	Loss      float64 `json:"loss"`      // percent
	Bandwidth string  `json:"bandwidth"` // "" for unlimited
}

// AdminDevice is a device in the admin API.
type AdminDevice struct {
	Name     string `json:"name"`
	Hostname string `json:"hostname"`
	Platform string `json:"platform"`
	Addr     string `json:"addr,omitempty"` // "" while down
	Up       bool   `json:"up"`
}

// AdminState is the reply of GET /state.
type AdminState struct {
	Network    string         `json:"network"`
	Devices    []AdminDevice  `json:"devices"`
	Links      []AdminLink    `json:"links"`
	Recomputes int            `json:"recomputes"`
	Error      string         `json:"error,omitempty"` // why the latest recomputation failed (the state shown is the one before)
	Stats      map[string]int `json:"stats"`           // netstate counters (adjacencies, LSPs and pseudowires up/down, …)
}

// AdminHandler returns the HTTP handler of the admin API:
//
//	GET  /state[?sync=1]            AdminState (sync=1 waits for the state to be current)
//	POST /links/{a}/{b}             {"up": false}                       a, b: "pe1:eth1" (path-escaped)
//	POST /devices/{name}            {"up": false}
//	POST /impairments               {"a": "pe1:eth1", "b": "p1:eth1", "delay": "5ms", "jitter": "1ms", "loss": 0.5, "bandwidth": "1G"}
//	POST /devices/{name}/vnfs/{vnf} {"fault": "crashed"}                crashed, unresponsive, stopped; "none" clears (NFX only)
//
// POST replies are {"ok": true} after the change is applied (and, with
// ?sync=1, reflected in the state). Bad requests get 400 (malformed JSON, a
// missing or invalid field, named in the message), unknown links or
// devices 404, wrong methods 405; error bodies are {"error": "…"}. The
// handler does no authentication: serve it on a loopback address only.
func (nw *Network) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /state", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("sync") != "" {
			nw.Sync()
		}
		writeJSON(w, http.StatusOK, nw.adminState())
	})
	mux.HandleFunc("POST /links/{a}/{b}", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Up *bool `json:"up"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		if body.Up == nil {
			writeErr(w, http.StatusBadRequest, `field "up" is required (true or false)`)
			return
		}
		nw.reply(w, r, nw.SetLink(r.PathValue("a"), r.PathValue("b"), *body.Up))
	})
	mux.HandleFunc("POST /devices/{name}", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Up *bool `json:"up"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		if body.Up == nil {
			writeErr(w, http.StatusBadRequest, `field "up" is required (true or false)`)
			return
		}
		nw.reply(w, r, nw.SetDevice(r.PathValue("name"), *body.Up))
	})
	mux.HandleFunc("POST /devices/{name}/vnfs/{vnf}", nw.adminVNFFault) // vnf_admin.go
	mux.HandleFunc("POST /impairments", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			A         string   `json:"a"`
			B         string   `json:"b"`
			Delay     *string  `json:"delay"`
			Jitter    *string  `json:"jitter"`
			Loss      *float64 `json:"loss"`
			Bandwidth *string  `json:"bandwidth"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		if body.A == "" {
			writeErr(w, http.StatusBadRequest, `field "a" is required ("node:interface")`)
			return
		}
		// Fields left out keep their current value.
		cur, err := nw.impairment(body.A, body.B)
		if err != nil {
			nw.reply(w, r, err)
			return
		}
		for _, f := range []struct {
			name string
			v    *string
			dst  *time.Duration
		}{{"delay", body.Delay, &cur.Delay}, {"jitter", body.Jitter, &cur.Jitter}} {
			if f.v == nil {
				continue
			}
			d, err := time.ParseDuration(*f.v)
			if err != nil || d < 0 {
				writeErr(w, http.StatusBadRequest, fmt.Sprintf("field %q: %q is not a duration such as 5ms", f.name, *f.v))
				return
			}
			*f.dst = d
		}
		if body.Loss != nil {
			if *body.Loss < 0 || *body.Loss > 100 {
				writeErr(w, http.StatusBadRequest, fmt.Sprintf(`field "loss": %v is not a percentage 0..100`, *body.Loss))
				return
			}
			cur.Loss = *body.Loss
		}
		if body.Bandwidth != nil {
			var b netid.Bitrate
			if err := b.UnmarshalText([]byte(*body.Bandwidth)); err != nil {
				writeErr(w, http.StatusBadRequest, fmt.Sprintf(`field "bandwidth": %v`, err))
				return
			}
			cur.Bandwidth = b
		}
		nw.reply(w, r, nw.SetImpairment(body.A, body.B, cur))
	})
	return mux
}

// impairment returns the current impairment of a link.
func (nw *Network) impairment(a, b string) (LinkImpairment, error) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	l, err := nw.findLinkLocked(a, b)
	if err != nil {
		return LinkImpairment{}, err
	}
	return l.impair, nil
}

func (nw *Network) reply(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		code := http.StatusBadRequest
		msg := err.Error()
		if strings.Contains(msg, "no link") || strings.Contains(msg, "unknown node") {
			code = http.StatusNotFound
		}
		writeErr(w, code, msg)
		return
	}
	if r.URL.Query().Get("sync") != "" {
		nw.Sync()
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (nw *Network) adminState() AdminState {
	st := AdminState{Network: nw.topo.Name, Recomputes: nw.Recomputes()}
	nw.mu.Lock()
	for _, name := range nw.names {
		d := nw.devices[name]
		ad := AdminDevice{Name: name, Hostname: d.Hostname(), Platform: d.Platform().Model, Up: !nw.down[name]}
		if ad.Up {
			ad.Addr = d.Addr().String()
		}
		st.Devices = append(st.Devices, ad)
	}
	for _, l := range nw.links {
		al := AdminLink{A: l.tl.Endpoints[0].String(), B: l.tl.Endpoints[1].String(), Up: l.up,
			Delay: l.impair.Delay.String(), Jitter: l.impair.Jitter.String(), Loss: l.impair.Loss}
		if l.impair.Bandwidth != 0 {
			al.Bandwidth = l.impair.Bandwidth.String()
		}
		st.Links = append(st.Links, al)
	}
	nw.mu.Unlock()
	st.Stats = statsMap(nw.State())
	if err := nw.ComputeErr(); err != nil {
		st.Error = err.Error()
	}
	return st
}

// readJSON decodes a request body strictly (unknown fields are errors that
// name the field); on failure it writes a 400 and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "reading body: "+err.Error())
		return false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		writeErr(w, http.StatusBadRequest, "empty body: want a JSON object")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			writeErr(w, http.StatusBadRequest, fmt.Sprintf("field %q: want a %s, not %s", te.Field, te.Type, te.Value))
			return false
		}
		writeErr(w, http.StatusBadRequest, "bad JSON body: "+strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
