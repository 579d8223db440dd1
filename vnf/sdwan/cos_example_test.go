package sdwan_test

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/vnf/sdwan"
)

// ExampleRenderCoS gives a branch's voice, video and bulk traffic queues of
// their own on its 20 Mbit/s broadband link and shows the queues and the
// voice statements.
func ExampleRenderCoS() {
	site := func(name string, i byte) sdwan.Site {
		return sdwan.Site{Name: name, LAN: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, i, 0, 0}), 24), LANInterface: "ge-0/0/2.0",
			Links: []sdwan.Link{{Transport: "inet", Interface: "ge-0/0/0.0", Role: sdwan.Primary,
				Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 51, 100, i}), 24)}}}
	}
	n := sdwan.Network{Tenant: "acme", Name: "wan", Topology: sdwan.HubAndSpoke, Hubs: []string{"hub"},
		PreSharedKey: "correct horse battery", Sites: []sdwan.Site{site("hub", 1), site("paris", 2)}}
	d, err := sdwan.Plan(n)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := sdwan.Policies{Traffic: []sdwan.TrafficType{
		{Name: "bulk", DSCP: 10, Priority: 7},
		{Name: "voice", DSCP: 46, Priority: 1, Bandwidth: netid.MustParseBitrate("2M")},
		{Name: "video", DSCP: 34, Priority: 2, Bandwidth: netid.MustParseBitrate("8M")},
	}}
	c, err := sdwan.RenderCoS(d, "paris", p, map[string]netid.Bitrate{"inet": netid.MustParseBitrate("20M")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range c.Classes {
		fmt.Println("queue", q.Queue, q.Name, q.Priority)
	}
	for _, l := range strings.Split(string(c.Set), "\n") {
		if strings.Contains(l, "voice") || strings.Contains(l, "shaping-rate") {
			fmt.Println(l)
		}
	}
	// Output:
	// queue 0 best-effort low
	// queue 1 acme-wan-voice strict-high
	// queue 2 acme-wan-video high
	// queue 3 network-control high
	// queue 4 acme-wan-bulk low
	// set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-voice loss-priority low code-points 101110
	// set class-of-service forwarding-classes class acme-wan-voice queue-num 1
	// set class-of-service interfaces ge-0/0/0 shaping-rate 20m
	// set class-of-service rewrite-rules dscp acme-wan forwarding-class acme-wan-voice loss-priority low code-point 101110
	// set class-of-service scheduler-maps acme-wan forwarding-class acme-wan-voice scheduler acme-wan-voice
	// set class-of-service schedulers acme-wan-voice transmit-rate 2m
	// set class-of-service schedulers acme-wan-voice priority strict-high
}
