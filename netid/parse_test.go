package netid

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// parseTest is one case of a parser table. wantErr, when set, is a
// substring the error message must contain; the input, quoted, must be in
// the message too.
type parseTest[T comparable] struct {
	name    string
	in      string
	want    T
	wantErr string
	reason  string // why the case matters, when it is not obvious
}

func testParse[T comparable](t *testing.T, parse func(string) (T, error), tests []parseTest[T]) {
	t.Helper()
	seen := make(map[string]bool)
	for _, tt := range tests {
		if seen[tt.name] {
			t.Fatalf("duplicate case name %q", tt.name)
		}
		seen[tt.name] = true
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parse(tt.in)
			if tt.wantErr != "" {
				var zero T
				if err == nil {
					t.Fatalf("parse(%q) = %v, want error containing %q (%s)", tt.in, got, tt.wantErr, tt.reason)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("parse(%q) error %v does not wrap ErrInvalid", tt.in, err)
				}
				if msg := err.Error(); !strings.Contains(msg, tt.wantErr) || !strings.Contains(msg, strconv.Quote(tt.in)) {
					t.Errorf("parse(%q) error = %q, want it to contain %q and the quoted input", tt.in, msg, tt.wantErr)
				}
				if got != zero {
					t.Errorf("parse(%q) returned %v with its error, want the zero value", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%q) error: %v (%s)", tt.in, err, tt.reason)
			}
			if got != tt.want {
				t.Errorf("parse(%q) mismatch (-want +got):\n-%v\n+%v", tt.in, tt.want, got)
			}
		})
	}
}

func TestParseVLANID(t *testing.T) {
	t.Parallel()
	testParse(t, ParseVLANID, []parseTest[VLANID]{
		{name: "one", in: "1", want: 1},
		{name: "hundred", in: "100", want: 100},
		{name: "max", in: "4094", want: 4094},
		{name: "zero", in: "0", wantErr: "out of range 1-4094"},
		{name: "4095", in: "4095", wantErr: `netid: parse VLAN ID "4095": out of range 1-4094`, reason: "4095 is reserved by 802.1Q"},
		{name: "uint16 overflow", in: "65536", wantErr: "out of range"},
		{name: "huge", in: "99999999999999999999999", wantErr: "out of range"},
		{name: "leading zero", in: "0100", wantErr: "leading zero"},
		{name: "double zero", in: "00", wantErr: "leading zero"},
		{name: "plus", in: "+100", wantErr: "not a decimal number"},
		{name: "minus", in: "-1", wantErr: "not a decimal number"},
		{name: "space before", in: " 100", wantErr: "not a decimal number"},
		{name: "space after", in: "100 ", wantErr: "not a decimal number"},
		{name: "hex", in: "0x10", wantErr: "not a decimal number"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "non-ascii digit", in: "１", wantErr: "not a decimal number"},
	})
}

func TestParseVCID(t *testing.T) {
	t.Parallel()
	testParse(t, ParseVCID, []parseTest[VCID]{
		{name: "one", in: "1", want: 1},
		{name: "typical", in: "1001", want: 1001},
		{name: "max", in: "4294967295", want: 4294967295},
		{name: "zero", in: "0", wantErr: "out of range 1-4294967295"},
		{name: "overflow", in: "4294967296", wantErr: `netid: parse VC ID "4294967296": out of range 1-4294967295`},
		{name: "uint64 overflow", in: "18446744073709551616", wantErr: "out of range"},
		{name: "leading zero", in: "01", wantErr: "leading zero"},
		{name: "plus", in: "+1", wantErr: "not a decimal number"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "tab", in: "1\t", wantErr: "not a decimal number"},
	})
}

func TestParseLabel(t *testing.T) {
	t.Parallel()
	testParse(t, ParseLabel, []parseTest[Label]{
		{name: "first unreserved", in: "16", want: 16},
		{name: "typical", in: "299776", want: 299776},
		{name: "max", in: "1048575", want: 1048575},
		{name: "zero", in: "0", wantErr: "reserved (0-15)", reason: "IPv4 explicit null"},
		{name: "implicit null", in: "3", wantErr: `netid: parse MPLS label "3": reserved (0-15)`},
		{name: "last reserved", in: "15", wantErr: "reserved"},
		{name: "above 20 bits", in: "1048576", wantErr: "out of range 16-1048575"},
		{name: "leading zero", in: "016", wantErr: "leading zero"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "plus", in: "+16", wantErr: "not a decimal number"},
	})
}

func TestParseASN(t *testing.T) {
	t.Parallel()
	testParse(t, ParseASN, []parseTest[ASN]{
		{name: "asplain one", in: "1", want: 1},
		{name: "asplain 2-byte", in: "65000", want: 65000},
		{name: "asplain 2-byte max", in: "65535", want: 65535},
		{name: "asplain 4-byte", in: "4200000000", want: 4200000000},
		{name: "asplain max", in: "4294967295", want: 4294967295},
		{name: "asdot", in: "1.10", want: 65546},
		{name: "asdot high zero", in: "0.65000", want: 65000, reason: "asdot+ form of a 2-byte AS"},
		{name: "asdot low zero", in: "1.0", want: 65536},
		{name: "asdot max", in: "65535.65535", want: 4294967295},
		{name: "asdot zero", in: "0.0", wantErr: "AS 0 is reserved"},
		{name: "asplain zero", in: "0", wantErr: "AS 0 is reserved"},
		{name: "asplain overflow", in: "4294967296", wantErr: "out of range 1-4294967295"},
		{name: "asdot high too big", in: "65536.1", wantErr: "asdot high part out of range 0-65535"},
		{name: "asdot low too big", in: "1.65536", wantErr: "asdot low part out of range 0-65535"},
		{name: "asdot high leading zero", in: "01.1", wantErr: "asdot high part has a leading zero"},
		{name: "asdot low leading zero", in: "1.01", wantErr: "asdot low part has a leading zero"},
		{name: "asdot missing high", in: ".1", wantErr: "empty asdot high part"},
		{name: "asdot missing low", in: "1.", wantErr: "empty asdot low part"},
		{name: "asdot three parts", in: "1.2.3", wantErr: "asdot low part is not a decimal number"},
		{name: "AS prefix", in: "AS65000", wantErr: "not a decimal number"},
		{name: "leading zero", in: "065000", wantErr: "leading zero"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "plus", in: "+65000", wantErr: "not a decimal number"},
	})
}

func TestParseRD(t *testing.T) {
	t.Parallel()
	rd := func(typ RDType, admin, num uint32) RD {
		r, err := RDFrom(typ, admin, num)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	testParse(t, ParseRD, []parseTest[RD]{
		{name: "type 0", in: "65000:100", want: rd(RDType0, 65000, 100)},
		{name: "type 0 number zero", in: "1:0", want: rd(RDType0, 1, 0)},
		{name: "type 0 max number", in: "65535:4294967295", want: rd(RDType0, 65535, 4294967295)},
		{name: "type 1", in: "192.0.2.1:7", want: rd(RDType1, 0xc0000201, 7)},
		{name: "type 1 max", in: "255.255.255.255:65535", want: rd(RDType1, 0xffffffff, 65535)},
		{name: "type 2 by size", in: "4200000000:9", want: rd(RDType2, 4200000000, 9), reason: "administrator above 65535 picks type 2"},
		{name: "type 2 just above 2 bytes", in: "65536:1", want: rd(RDType2, 65536, 1)},
		{name: "type 2 with L", in: "4200000000L:9", want: rd(RDType2, 4200000000, 9)},
		{name: "type 2 small with L", in: "65000L:100", want: rd(RDType2, 65000, 100), reason: "the L suffix forces type 2"},
		{name: "type 0 admin zero", in: "0:1", wantErr: "administrator must not be 0"},
		{name: "type 2 admin zero", in: "0L:1", wantErr: "administrator must not be 0"},
		{name: "type 1 admin zero", in: "0.0.0.0:1", wantErr: "administrator must not be 0.0.0.0"},
		{name: "type 2 number too big", in: "4200000000:65536", wantErr: "number 65536 does not fit type 2 (2-byte number)"},
		{name: "type 1 number too big", in: "192.0.2.1:65536", wantErr: "number 65536 does not fit type 1 (2-byte number)"},
		{name: "type 0 number overflow", in: "1:4294967296", wantErr: "number out of range 0-4294967295"},
		{name: "admin overflow", in: "4294967296:1", wantErr: "administrator out of range 1-4294967295"},
		{name: "admin L overflow", in: "4294967296L:1", wantErr: "administrator out of range 1-4294967295"},
		{name: "lower-case l", in: "65000l:1", wantErr: "administrator is not a decimal number"},
		{name: "asdot admin", in: "1.10:5", wantErr: "administrator is not an IPv4 address"},
		{name: "IPv4 leading zero", in: "192.0.2.01:1", wantErr: "not an IPv4 address"},
		{name: "IPv4 octet too big", in: "192.0.2.256:1", wantErr: "not an IPv4 address"},
		{name: "IPv4 five octets", in: "1.2.3.4.5:1", wantErr: "not an IPv4 address"},
		{name: "IPv4 with L", in: "1.2.3.4L:1", wantErr: "not an IPv4 address"},
		{name: "IPv6 admin", in: "2001:db8::1:1", wantErr: "number is not a decimal number", reason: "IPv6 has no RD layout; the text splits at the first colon"},
		{name: "admin leading zero", in: "065000:1", wantErr: "administrator has a leading zero"},
		{name: "number leading zero", in: "65000:0100", wantErr: "number has a leading zero"},
		{name: "empty admin", in: ":1", wantErr: "empty administrator"},
		{name: "empty number", in: "65000:", wantErr: "empty number"},
		{name: "only L", in: "L:1", wantErr: "empty administrator"},
		{name: "no colon", in: "65000", wantErr: "missing ':'"},
		{name: "three parts", in: "1:2:3", wantErr: "number is not a decimal number"},
		{name: "target prefix", in: "target:65000:100", wantErr: "administrator is not a decimal number", reason: "an RD is never written as a community"},
		{name: "space", in: "65000: 100", wantErr: "not a decimal number"},
		{name: "plus", in: "+65000:100", wantErr: "not a decimal number"},
		{name: "empty", in: "", wantErr: "empty"},
	})
}

func TestParseRDAs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		typ     RDType
		in      string
		want    string // String of the result
		wantErr string
	}{
		{name: "type 0", typ: RDType0, in: "65000:100", want: "65000:100"},
		{name: "type 0 admin too big", typ: RDType0, in: "65536:1", wantErr: `netid: parse RD "65536:1": administrator 65536 does not fit type 0 (2-byte AS)`},
		{name: "type 0 given L", typ: RDType0, in: "65000L:1", wantErr: "administrator 65000L does not fit type 0 (2-byte AS)"},
		{name: "type 0 given IPv4", typ: RDType0, in: "192.0.2.1:1", wantErr: "administrator 192.0.2.1 does not fit type 0"},
		{name: "type 1", typ: RDType1, in: "192.0.2.1:7", want: "192.0.2.1:7"},
		{name: "type 1 given ASN", typ: RDType1, in: "65000:1", wantErr: "administrator 65000 does not fit type 1 (IPv4 address)"},
		{name: "type 1 number too big", typ: RDType1, in: "192.0.2.1:70000", wantErr: "number 70000 does not fit type 1"},
		{name: "type 2 small without L", typ: RDType2, in: "65000:100", want: "65000L:100"},
		{name: "type 2 small with L", typ: RDType2, in: "65000L:100", want: "65000L:100"},
		{name: "type 2 large", typ: RDType2, in: "4200000000:9", want: "4200000000L:9"},
		{name: "type 2 given IPv4", typ: RDType2, in: "192.0.2.1:1", wantErr: "administrator 192.0.2.1 does not fit type 2 (4-byte AS)"},
		{name: "type 2 number too big", typ: RDType2, in: "65000:65536", wantErr: "number 65536 does not fit type 2 (2-byte number)"},
		{name: "unknown type", typ: 3, in: "65000:1", wantErr: "unknown layout RDType(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, kind := range []string{"RD", "RT"} {
				var got interface {
					String() string
					Type() RDType
				}
				var err error
				if kind == "RD" {
					got, err = ParseRDAs(tt.typ, tt.in)
				} else {
					got, err = ParseRTAs(tt.typ, rtPrefix+tt.in)
				}
				if tt.wantErr != "" {
					wantErr := tt.wantErr
					if kind == "RT" {
						wantErr = strings.Replace(wantErr, `parse RD "`, `parse RT "target:`, 1)
					}
					if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), wantErr) {
						t.Errorf("Parse%sAs(%v, %q) error = %v, want one containing %q", kind, tt.typ, tt.in, err, wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Parse%sAs(%v, %q) error: %v", kind, tt.typ, tt.in, err)
				}
				want := tt.want
				if kind == "RT" {
					want = rtPrefix + want
				}
				if got.Type() != tt.typ || got.String() != want {
					t.Errorf("Parse%sAs(%v, %q) = %v (%v), want %v (%v)", kind, tt.typ, tt.in, got, got.Type(), want, tt.typ)
				}
			}
		})
	}
}

func TestParseRT(t *testing.T) {
	t.Parallel()
	rt := func(typ RDType, admin, num uint32) RT {
		r, err := RTFrom(typ, admin, num)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	testParse(t, ParseRT, []parseTest[RT]{
		{name: "type 0", in: "target:65000:100", want: rt(RDType0, 65000, 100)},
		{name: "type 0 bare", in: "65000:100", want: rt(RDType0, 65000, 100)},
		{name: "type 1", in: "target:192.0.2.1:7", want: rt(RDType1, 0xc0000201, 7)},
		{name: "type 1 bare", in: "192.0.2.1:7", want: rt(RDType1, 0xc0000201, 7)},
		{name: "type 2 with L", in: "target:4200000000L:9", want: rt(RDType2, 4200000000, 9)},
		{name: "type 2 by size", in: "target:4200000000:9", want: rt(RDType2, 4200000000, 9)},
		{name: "type 2 small with L", in: "target:65000L:100", want: rt(RDType2, 65000, 100)},
		{name: "bad admin", in: "target:x:1", wantErr: `netid: parse RT "target:x:1": administrator is not a decimal number`},
		{name: "prefix only", in: "target:", wantErr: "empty"},
		{name: "upper-case prefix", in: "Target:65000:1", wantErr: "administrator is not a decimal number"},
		{name: "origin community", in: "origin:65000:1", wantErr: "administrator is not a decimal number"},
		{name: "double prefix", in: "target:target:1:2", wantErr: "administrator is not a decimal number"},
		{name: "number too big", in: "target:192.0.2.1:65536", wantErr: "number 65536 does not fit type 1"},
		{name: "admin zero", in: "target:0:1", wantErr: "administrator must not be 0"},
		{name: "empty", in: "", wantErr: "empty"},
	})
}

func TestParseMAC(t *testing.T) {
	t.Parallel()
	want := MAC{0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc}
	testParse(t, ParseMAC, []parseTest[MAC]{
		{name: "colon lower", in: "00:11:22:aa:bb:cc", want: want},
		{name: "colon upper", in: "00:11:22:AA:BB:CC", want: want},
		{name: "hyphen upper", in: "00-11-22-AA-BB-CC", want: want},
		{name: "hyphen lower", in: "00-11-22-aa-bb-cc", want: want},
		{name: "dotted", in: "0011.22aa.bbcc", want: want},
		{name: "dotted upper", in: "0011.22AA.BBCC", want: want},
		{name: "broadcast", in: "ff:ff:ff:ff:ff:ff", want: MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{name: "zero", in: "00:00:00:00:00:00", wantErr: "all-zero address is not valid"},
		{name: "zero dotted", in: "0000.0000.0000", wantErr: "all-zero"},
		{name: "mixed separators", in: "00:11-22:aa:bb:cc", wantErr: "separators must all be :"},
		{name: "bad hex", in: "00:11:22:aa:bb:cg", wantErr: "invalid hex digit"},
		{name: "dotted bad hex", in: "0011.22aa.bbcx", wantErr: "invalid hex digit"},
		{name: "single digit octets", in: "0:11:22:aa:bb:cc", wantErr: "not in a MAC address format"},
		{name: "no separators", in: "001122aabbcc", wantErr: "not in a MAC address format"},
		{name: "dot separated octets", in: "00.11.22.aa.bb.cc", wantErr: "not in a MAC address format"},
		{name: "EUI-64", in: "00:11:22:33:44:55:66:77", wantErr: "not in a MAC address format"},
		{name: "trailing space", in: "00:11:22:aa:bb:cc ", wantErr: "not in a MAC address format"},
		{name: "empty", in: "", wantErr: "empty"},
	})
}

func TestParseESI(t *testing.T) {
	t.Parallel()
	testParse(t, ParseESI, []parseTest[ESI]{
		{name: "lower", in: "00:11:22:33:44:55:66:77:88:99", want: ESI{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99}},
		{name: "upper", in: "01:AA:BB:CC:DD:EE:FF:00:00:01", want: ESI{1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 0, 1}},
		{name: "max", in: "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff", want: ESI{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, reason: "MAX-ESI is reserved by RFC 7432 but still an identifier"},
		{name: "zero", in: "00:00:00:00:00:00:00:00:00:00", wantErr: "all-zero ESI is not valid"},
		{name: "nine octets", in: "00:11:22:33:44:55:66:77:88", wantErr: "not ten colon-separated hex octets"},
		{name: "eleven octets", in: "00:11:22:33:44:55:66:77:88:99:aa", wantErr: "not ten colon-separated hex octets"},
		{name: "hyphens", in: "00-11-22-33-44-55-66-77-88-99", wantErr: "separators must all be :"},
		{name: "bad hex", in: "00:11:22:33:44:55:66:77:88:9z", wantErr: "invalid hex digit"},
		{name: "empty", in: "", wantErr: "empty"},
	})
}

func TestParseBitrate(t *testing.T) {
	t.Parallel()
	testParse(t, ParseBitrate, []parseTest[Bitrate]{
		{name: "plain", in: "1000", want: 1000},
		{name: "one", in: "1", want: 1},
		{name: "kilo lower", in: "64k", want: 64_000},
		{name: "kilo upper", in: "64K", want: 64_000},
		{name: "mega", in: "100M", want: 100_000_000},
		{name: "mega lower", in: "100m", want: 100_000_000, reason: "m means mega here, never milli"},
		{name: "giga", in: "10G", want: 10_000_000_000},
		{name: "tera", in: "1T", want: 1_000_000_000_000},
		{name: "fraction", in: "1.5G", want: 1_500_000_000},
		{name: "fraction lower", in: "2.5g", want: 2_500_000_000},
		{name: "fraction below one", in: "0.5G", want: 500_000_000},
		{name: "fraction to the bit", in: "1.001k", want: 1001},
		{name: "fraction trailing zeros", in: "1.500000000000M", want: 1_500_000},
		{name: "whole with point", in: "1.0", want: 1},
		{name: "bps", in: "1000bps", want: 1000},
		{name: "unit bps", in: "10Gbps", want: 10_000_000_000},
		{name: "kbps", in: "64kbps", want: 64_000},
		{name: "max", in: "18446744073709551615", want: 1<<64 - 1},
		{name: "max tera", in: "18446744T", want: 18_446_744_000_000_000_000},
		{name: "zero", in: "0", wantErr: "zero is not a valid bitrate"},
		{name: "zero with unit", in: "0.0G", wantErr: "zero"},
		{name: "not whole", in: "1.5", wantErr: "not a whole number of bit/s"},
		{name: "not whole kilo", in: "1.0001k", wantErr: "not a whole number"},
		{name: "overflow digits", in: "18446744073709551616", wantErr: "out of range"},
		{name: "overflow unit", in: "18446745T", wantErr: "out of range"},
		{name: "overflow fraction", in: "18446744.073709551616T", wantErr: "out of range", reason: "the fraction carries past 2^64-1"},
		{name: "fraction finer than unit", in: "1.0000000000001T", wantErr: "not a whole number"},
		{name: "overflow sum", in: "18446744.073709552T", wantErr: "out of range"},
		{name: "leading zero", in: "0100M", wantErr: "leading zero"},
		{name: "leading zero fraction", in: "00.5G", wantErr: "leading zero"},
		{name: "no whole part", in: ".5G", wantErr: "decimal point needs digits on both sides"},
		{name: "no fraction digits", in: "1.G", wantErr: "decimal point needs digits on both sides"},
		{name: "two points", in: "1.2.3M", wantErr: "not a decimal number"},
		{name: "unit only", in: "G", wantErr: "missing number"},
		{name: "bps only", in: "bps", wantErr: "missing number"},
		{name: "space before unit", in: "100 M", wantErr: "not a decimal number"},
		{name: "byte unit", in: "100MB", wantErr: "not a decimal number"},
		{name: "upper BPS", in: "100MBPS", wantErr: "not a decimal number"},
		{name: "exponent", in: "1e9", wantErr: "not a decimal number"},
		{name: "plus", in: "+1G", wantErr: "not a decimal number"},
		{name: "negative", in: "-1G", wantErr: "not a decimal number"},
		{name: "empty", in: "", wantErr: "empty"},
	})
}
