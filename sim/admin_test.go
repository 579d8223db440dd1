package sim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAdminHTTP(t *testing.T) {
	nw := startLab(t, "admin", "127.0.29", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1", delay: "1ms"}}, nil)
	srv := httptest.NewServer(nw.AdminHandler())
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := do("POST", "/links/pe1:eth1/pe2:eth1?sync=1", `{"up": false}`)
	if code != 200 || nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Fatalf("link down: %d %s", code, body)
	}
	// Junos names work too, path-escaped.
	if code, body = do("POST", "/links/pe1:xe-0%2F0%2F0/pe2:eth1?sync=1", `{"up": true}`); code != 200 || !nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Fatalf("link up by Junos name: %d %s", code, body)
	}
	if code, body = do("POST", "/impairments?sync=1", `{"a": "pe1:eth1", "jitter": "2ms", "bandwidth": "1G"}`); code != 200 {
		t.Fatalf("impairment: %d %s", code, body)
	}
	l := nw.Links()[0]
	if l.Impair.Delay.String() != "1ms" || l.Impair.Jitter.String() != "2ms" || l.Impair.Bandwidth.String() != "1G" {
		t.Errorf("impairment kept delay and set the rest? %+v", l.Impair)
	}
	code, body = do("GET", "/state?sync=1", "")
	var st AdminState
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil {
		t.Fatalf("state: %d %v %s", code, err, body)
	}
	if len(st.Devices) != 2 || !st.Devices[0].Up || len(st.Links) != 1 || st.Links[0].Jitter != "2ms" || st.Stats["links_up"] != 1 {
		t.Errorf("state: %+v", st)
	}
	for _, tc := range []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"POST", "/links/pe1:eth1/pe2:eth1", `{}`, 400, `field \"up\" is required`},
		{"POST", "/links/pe1:eth1/pe2:eth1", `{"up": "no"}`, 400, `field \"up\"`},
		{"POST", "/links/pe1:eth1/pe2:eth1", `{"up": false, "speed": 1}`, 400, `unknown field \"speed\"`},
		{"POST", "/links/pe1:eth1/pe2:eth1", ``, 400, "empty body"},
		{"POST", "/links/pe1:eth9/pe2:eth1", `{"up": false}`, 404, `pe1:eth9`},
		{"POST", "/links/pe1/pe2:eth1", `{"up": false}`, 400, `want node:interface`},
		{"POST", "/devices/zz", `{"up": false}`, 404, `unknown node \"zz\"`},
		{"POST", "/impairments", `{"a": "pe1:eth1", "delay": "soon"}`, 400, `field \"delay\"`},
		{"POST", "/impairments", `{"a": "pe1:eth1", "loss": 150}`, 400, `field \"loss\"`},
		{"POST", "/impairments", `{"a": "pe1:eth1", "bandwidth": "fast"}`, 400, `field \"bandwidth\"`},
		{"POST", "/impairments", `{"delay": "1ms"}`, 400, `field \"a\" is required`},
		{"GET", "/links/pe1:eth1/pe2:eth1", ``, 405, ""},
	} {
		code, body := do(tc.method, tc.path, tc.body)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s %s: %d %s, want %d with %q", tc.method, tc.path, tc.body, code, body, tc.code, tc.want)
		}
	}
	// A device powered off over HTTP refuses connections; back on, it answers.
	addr := nw.Device("pe2").Addr()
	if code, body = do("POST", "/devices/pe2?sync=1", `{"up": false}`); code != 200 {
		t.Fatalf("device down: %d %s", code, body)
	}
	if c, err := (&net.Dialer{Timeout: time.Second}).Dial("tcp", addr.String()); err == nil {
		c.Close()
		t.Error("pe2 still accepts connections while off")
	}
	if code, body = do("POST", "/devices/pe2?sync=1", `{"up": true}`); code != 200 {
		t.Fatalf("device up: %d %s", code, body)
	}
	mustContain(t, nc(t, nw, "pe2").rpc("<get-software-information/>"), "<host-name>pe2</host-name>")
}
