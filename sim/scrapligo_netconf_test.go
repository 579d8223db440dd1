package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/scrapli/scrapligo/driver/netconf"
	"github.com/scrapli/scrapligo/driver/opoptions"
	"github.com/scrapli/scrapligo/driver/options"
)

// TestScrapligoNetconf drives the NETCONF server with scrapligo's netconf
// driver over x/crypto/ssh, once with base:1.0 (end-of-message) and once
// with base:1.1 (chunked). scrapligo writes empty elements as
// <candidate></candidate> and matches replies by message-id.
func TestScrapligoNetconf(t *testing.T) {
	for _, ver := range []string{"1.0", "1.1"} {
		t.Run(ver, func(t *testing.T) {
			clk := newFakeClock()
			d := startTestDevice(t, func(o *Options) { o.Clock = clk })
			drv, err := netconf.NewDriver(d.Addr().Addr().String(),
				options.WithPort(int(d.Addr().Port())),
				options.WithAuthUsername(testUser), options.WithAuthPassword(testPass),
				options.WithAuthNoStrictKey(), options.WithTransportType("standard"),
				options.WithNetconfPreferredVersion(ver), options.WithTimeoutOps(10*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			if err := drv.Open(); err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer drv.Close()
			r, err := drv.RPC(opoptions.WithFilter("<get-software-information/>"))
			if err != nil || r.Failed != nil {
				t.Fatalf("rpc: %v %v", err, r.Failed)
			}
			mustContain(t, r.Result, "<host-name>pe1</host-name>")
			for _, step := range []func() (string, error){
				func() (string, error) { r, err := drv.Lock("candidate"); return res(r.Result, r.Failed, err) },
				func() (string, error) {
					r, err := drv.EditConfig("candidate", `<config><configuration><system><domain-name>scrapli.example</domain-name></system></configuration></config>`)
					return res(r.Result, r.Failed, err)
				},
				func() (string, error) {
					r, err := drv.Commit(opoptions.WithCommitConfirmed(), opoptions.WithCommitConfirmTimeout(60))
					return res(r.Result, r.Failed, err)
				},
				func() (string, error) { r, err := drv.Unlock("candidate"); return res(r.Result, r.Failed, err) },
			} {
				out, err := step()
				if err != nil {
					t.Fatal(err)
				}
				mustContain(t, out, "<ok/>")
			}
			g, err := drv.GetConfig("running")
			if err != nil || g.Failed != nil {
				t.Fatalf("get-config: %v %v", err, g.Failed)
			}
			mustContain(t, g.Result, "<domain-name>scrapli.example</domain-name>")
			clk.Advance(time.Minute)
			g, _ = drv.GetConfig("running")
			mustNotContain(t, g.Result, "scrapli.example")
			bad, err := drv.RPC(opoptions.WithFilter("<get-bogus/>"))
			if err != nil {
				t.Fatal(err)
			}
			if bad.Failed == nil || len(bad.ErrorMessages) != 1 || !strings.Contains(bad.ErrorMessages[0], "syntax error") {
				t.Fatalf("unknown RPC: failed=%v messages=%q", bad.Failed, bad.ErrorMessages)
			}
		})
	}
}

func res(result string, failed, err error) (string, error) {
	if err != nil {
		return "", err
	}
	if failed != nil {
		return "", failed
	}
	return result, nil
}
