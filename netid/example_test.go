package netid_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/carrierkit/carrierkit/netid"
)

func ExampleParseVLANID() {
	v, err := netid.ParseVLANID("100")
	fmt.Println(v, err)

	_, err = netid.ParseVLANID("4095")
	fmt.Println(err)
	fmt.Println(errors.Is(err, netid.ErrInvalid))
	// Output:
	// 100 <nil>
	// netid: parse VLAN ID "4095": out of range 1-4094
	// true
}

func ExampleParseRD() {
	for _, s := range []string{"65000:100", "192.0.2.1:7", "4200000000:9", "65000L:100"} {
		rd, err := netid.ParseRD(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-13s %v admin=%d number=%d -> %v\n", s, rd.Type(), rd.Admin(), rd.Number(), rd)
	}
	// Output:
	// 65000:100     type 0 admin=65000 number=100 -> 65000:100
	// 192.0.2.1:7   type 1 admin=3221225985 number=7 -> 192.0.2.1:7
	// 4200000000:9  type 2 admin=4200000000 number=9 -> 4200000000L:9
	// 65000L:100    type 2 admin=65000 number=100 -> 65000L:100
}

func ExampleParseRDAs() {
	rd, err := netid.ParseRDAs(netid.RDType2, "65000:100")
	fmt.Println(rd, err)

	_, err = netid.ParseRDAs(netid.RDType0, "65536:1")
	fmt.Println(err)
	// Output:
	// 65000L:100 <nil>
	// netid: parse RD "65536:1": administrator 65536 does not fit type 0 (2-byte AS)
}

func ExampleRD_AdminAddr() {
	rd := netid.MustParseRD("192.0.2.1:7")
	fmt.Println(rd.AdminAddr(), rd.Number())
	// Output:
	// 192.0.2.1 7
}

func ExampleParseRT() {
	for _, s := range []string{"target:65000:100", "65000:100", "target:192.0.2.1:7", "target:4200000000L:9", "target:x:1"} {
		rt, err := netid.ParseRT(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(rt, rt.Type())
	}
	// Output:
	// target:65000:100 type 0
	// target:65000:100 type 0
	// target:192.0.2.1:7 type 1
	// target:4200000000L:9 type 2
	// netid: parse RT "target:x:1": administrator is not a decimal number
}

func ExampleParseASN() {
	for _, s := range []string{"65000", "1.10", "0.65000", "4200000000"} {
		a, err := netid.ParseASN(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-10s asplain %-10v asdot %-11s 2-byte %v\n", s, a, a.DotString(), a.Is2Byte())
	}
	// Output:
	// 65000      asplain 65000      asdot 65000       2-byte true
	// 1.10       asplain 65546      asdot 1.10        2-byte false
	// 0.65000    asplain 65000      asdot 65000       2-byte true
	// 4200000000 asplain 4200000000 asdot 64086.59904 2-byte false
}

func ExampleParseBitrate() {
	for _, s := range []string{"100M", "1.5G", "2.5g", "10Gbps", "1234", "1.5"} {
		r, err := netid.ParseBitrate(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-6s = %d bit/s = %v\n", s, uint64(r), r)
	}
	// Output:
	// 100M   = 100000000 bit/s = 100M
	// 1.5G   = 1500000000 bit/s = 1500M
	// 2.5g   = 2500000000 bit/s = 2500M
	// 10Gbps = 10000000000 bit/s = 10G
	// 1234   = 1234 bit/s = 1234
	// netid: parse bitrate "1.5": not a whole number of bit/s
}

func ExampleParseMAC() {
	for _, s := range []string{"00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC", "0011.22aa.bbcc"} {
		fmt.Println(netid.MustParseMAC(s))
	}
	// Output:
	// 00:11:22:aa:bb:cc
	// 00:11:22:aa:bb:cc
	// 00:11:22:aa:bb:cc
}

// Identifiers encode as JSON strings in their canonical text, and an unset
// one as "".
func Example_json() {
	type attachment struct {
		VLAN  netid.VLANID  `json:"vlan"`
		Inner netid.VLANID  `json:"inner_vlan"`
		RD    netid.RD      `json:"rd"`
		RT    netid.RT      `json:"rt"`
		Rate  netid.Bitrate `json:"rate"`
	}
	a := attachment{
		VLAN: netid.MustParseVLANID("100"),
		RD:   netid.MustParseRD("65000:1"),
		RT:   netid.MustParseRT("target:65000:1"),
		Rate: netid.MustParseBitrate("1G"),
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(a); err != nil {
		fmt.Println(err)
	}

	var b attachment
	err := json.Unmarshal([]byte(`{"vlan":"100","inner_vlan":"","rd":"65000:1","rt":"target:65000:1","rate":"1000M"}`), &b)
	fmt.Println(b == a, err)
	// Output:
	// {"vlan":"100","inner_vlan":"","rd":"65000:1","rt":"target:65000:1","rate":"1G"}
	// true <nil>
}
