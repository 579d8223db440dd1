package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"

	"strconv"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim"
)

// adminEnv is the default admin address of `carrierkit-sim ctl`.
const adminEnv = "CARRIERKIT_SIM_ADMIN"

// defaultAdmin is used when neither -admin nor $CARRIERKIT_SIM_ADMIN is set.
const defaultAdmin = "127.0.0.1:8830"

// checkLoopback refuses admin addresses that are not loopback: the API has
// no authentication.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("-admin %q: want a loopback address:port such as %s", addr, defaultAdmin)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return usagef("-admin %q: the admin API has no authentication; use a loopback address such as %s", addr, defaultAdmin)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return usagef("-admin %q: bad port %q", addr, port)
	}
	return nil
}

// serveAdmin serves nw's admin API on addr; stop shuts it down.
func serveAdmin(addr string, nw *sim.Network) (stop func(), bound string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("-admin: %w", err)
	}
	srv := &http.Server{Handler: nw.AdminHandler(), ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, ln.Addr().String(), nil
}

const ctlUsage = `usage: carrierkit-sim ctl [-admin ADDR] COMMAND
commands:
  state                              print devices, links and control-plane counters (JSON)
  link A B up|down                   bring the link between endpoints A and B (node:interface) up or down
  device NAME up|down                power a simulated device on or off
  impair A [B] KEY=VALUE...          change a link's impairment: delay=5ms jitter=1ms loss=0.5 bandwidth=1G
  vnf NODE VNF FAULT                 inject a VNF fault on an NFX: crashed, unresponsive, stopped, or none to clear
`

// runCtl is the `carrierkit-sim ctl` client of the admin API.
func runCtl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("carrierkit-sim ctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, ctlUsage); fs.PrintDefaults() }
	admin := fs.String("admin", envOr(adminEnv, defaultAdmin), "`address:port` of a carrierkit-sim -admin API; default $"+adminEnv+" or "+defaultAdmin)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err.Error()}
	}
	a := fs.Args()
	if len(a) == 0 {
		return usagef("ctl: missing command (state, link, device, impair, vnf)")
	}
	base := "http://" + *admin
	switch a[0] {
	case "state":
		if len(a) != 1 {
			return usagef("ctl state: unexpected argument %q", a[1])
		}
		return ctlDo(ctx, http.MethodGet, base+"/state?sync=1", nil, stdout)
	case "link":
		if len(a) != 4 {
			return usagef("ctl link: want A B up|down, e.g. link pe1:eth1 p1:eth1 down")
		}
		up, err := upDownArg("link", a[3])
		if err != nil {
			return err
		}
		return ctlDo(ctx, http.MethodPost, base+"/links/"+url.PathEscape(a[1])+"/"+url.PathEscape(a[2])+"?sync=1",
			map[string]any{"up": up}, stdout)
	case "device":
		if len(a) != 3 {
			return usagef("ctl device: want NAME up|down, e.g. device pe1 down")
		}
		up, err := upDownArg("device", a[2])
		if err != nil {
			return err
		}
		return ctlDo(ctx, http.MethodPost, base+"/devices/"+url.PathEscape(a[1])+"?sync=1", map[string]any{"up": up}, stdout)
	case "impair":
		if len(a) < 3 {
			return usagef("ctl impair: want A [B] KEY=VALUE..., e.g. impair pe1:eth1 p1:eth1 delay=5ms")
		}
		body := map[string]any{"a": a[1]}
		rest := a[2:]
		if !strings.Contains(rest[0], "=") {
			body["b"] = rest[0]
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return usagef("ctl impair: no KEY=VALUE given (delay, jitter, loss, bandwidth)")
		}
		for _, kv := range rest {
			k, v, ok := strings.Cut(kv, "=")
			switch {
			case !ok:
				return usagef("ctl impair: %q: want KEY=VALUE", kv)
			case k == "delay" || k == "jitter" || k == "bandwidth":
				body[k] = v
			case k == "loss":
				f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
				if err != nil {
					return usagef("ctl impair: loss=%q: want a percentage such as 0.5", v)
				}
				body[k] = f
			default:
				return usagef("ctl impair: unknown key %q (delay, jitter, loss, bandwidth)", k)
			}
		}
		return ctlDo(ctx, http.MethodPost, base+"/impairments?sync=1", body, stdout)
	case "vnf":
		if len(a) != 4 {
			return usagef("ctl vnf: want NODE VNF FAULT, e.g. vnf nfx1 acme_branch_1-vsrx crashed")
		}
		return ctlDo(ctx, http.MethodPost, base+"/devices/"+url.PathEscape(a[1])+"/vnfs/"+url.PathEscape(a[2])+"?sync=1",
			map[string]any{"fault": a[3]}, stdout)
	}
	return usagef("ctl: unknown command %q (state, link, device, impair, vnf)", a[0])
}

func upDownArg(what, s string) (bool, error) {
	switch s {
	case "up":
		return true, nil
	case "down":
		return false, nil
	}
	return false, usagef("ctl %s: %q: want up or down", what, s)
}

// ctlDo sends one request and prints the reply; a non-2xx reply is an error
// carrying the server's message.
func ctlDo(ctx context.Context, method, u string, body any, stdout io.Writer) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("ctl: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("ctl: reading reply: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(out, &e) == nil && e.Error != "" {
			return fmt.Errorf("ctl: %s (HTTP %d)", e.Error, resp.StatusCode)
		}
		return fmt.Errorf("ctl: HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(out))
	}
	_, err = stdout.Write(out)
	return err
}
