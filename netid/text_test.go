package netid

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// Every identifier implements the text interfaces.
var (
	_ encoding.TextAppender    = VLANID(0)
	_ encoding.TextMarshaler   = VLANID(0)
	_ encoding.TextUnmarshaler = (*VLANID)(nil)
	_ encoding.TextAppender    = VCID(0)
	_ encoding.TextUnmarshaler = (*VCID)(nil)
	_ encoding.TextAppender    = Label(0)
	_ encoding.TextUnmarshaler = (*Label)(nil)
	_ encoding.TextAppender    = ASN(0)
	_ encoding.TextUnmarshaler = (*ASN)(nil)
	_ encoding.TextAppender    = RD{}
	_ encoding.TextUnmarshaler = (*RD)(nil)
	_ encoding.TextAppender    = RT{}
	_ encoding.TextUnmarshaler = (*RT)(nil)
	_ encoding.TextAppender    = MAC{}
	_ encoding.TextUnmarshaler = (*MAC)(nil)
	_ encoding.TextAppender    = ESI{}
	_ encoding.TextUnmarshaler = (*ESI)(nil)
	_ encoding.TextAppender    = Bitrate(0)
	_ encoding.TextUnmarshaler = (*Bitrate)(nil)
)

// textValue is what every identifier type provides.
type textValue[T any] interface {
	comparable
	IsValid() bool
	String() string
	AppendText([]byte) ([]byte, error)
	MarshalText() ([]byte, error)
	Compare(T) int
}

// unmarshaler is the pointer side of an identifier type.
type unmarshaler[T any] interface {
	*T
	encoding.TextUnmarshaler
}

// checkValid checks every text property of a valid x: String and
// AppendText agree, ParseX reads String back, and MarshalText and
// UnmarshalText round-trip.
func checkValid[T textValue[T], PT unmarshaler[T]](t *testing.T, parse func(string) (T, error), x T) {
	t.Helper()
	if !x.IsValid() {
		t.Fatalf("%#v is not valid", x)
	}
	s := x.String()
	if y, err := parse(s); err != nil || y != x {
		t.Errorf("parse(%q) = %v, %v; want %#v", s, y, err, x)
	}
	if b, err := x.AppendText([]byte("prefix")); err != nil || string(b) != "prefix"+s {
		t.Errorf("%#v.AppendText = %q, %v; want %q", x, b, err, "prefix"+s)
	}
	b, err := x.MarshalText()
	if err != nil || string(b) != s {
		t.Errorf("%#v.MarshalText = %q, %v; want %q", x, b, err, s)
	}
	var y T
	if err := PT(&y).UnmarshalText(b); err != nil || y != x {
		t.Errorf("UnmarshalText(%q) = %v, %v; want %#v", b, y, err, x)
	}
	if c := x.Compare(x); c != 0 {
		t.Errorf("%#v.Compare(itself) = %d, want 0", x, c)
	}
}

// checkZero checks the zero value: invalid, empty text, and UnmarshalText
// of empty text resetting a set value.
func checkZero[T textValue[T], PT unmarshaler[T]](t *testing.T, set T, wantString string) {
	t.Helper()
	var zero T
	if zero.IsValid() {
		t.Errorf("zero %T is valid", zero)
	}
	if got := zero.String(); got != wantString {
		t.Errorf("zero %T String = %q, want %q", zero, got, wantString)
	}
	if b, err := zero.MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("zero %T MarshalText = %q, %v; want empty", zero, b, err)
	}
	if b, err := zero.AppendText([]byte("x")); err != nil || string(b) != "x" {
		t.Errorf("zero %T AppendText = %q, %v; want nothing appended", zero, b, err)
	}
	v := set
	if err := PT(&v).UnmarshalText(nil); err != nil || v != zero {
		t.Errorf("UnmarshalText(empty) into %v = %v, %v; want the zero value", set, v, err)
	}
	if zero.Compare(set) >= 0 || set.Compare(zero) <= 0 {
		t.Errorf("zero %T does not sort before %v", zero, set)
	}
}

// checkBadUnmarshal checks that UnmarshalText rejects text and leaves the
// destination unchanged.
func checkBadUnmarshal[T textValue[T], PT unmarshaler[T]](t *testing.T, set T, text string) {
	t.Helper()
	v := set
	err := PT(&v).UnmarshalText([]byte(text))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"`+text+`"`) {
		t.Errorf("UnmarshalText(%q) error = %v, want ErrInvalid quoting the input", text, err)
	}
	if v != set {
		t.Errorf("UnmarshalText(%q) changed the value to %v", text, v)
	}
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"VLANID", func(t *testing.T) {
			for _, s := range []string{"1", "100", "4094"} {
				checkValid(t, ParseVLANID, MustParseVLANID(s))
			}
			checkZero(t, VLANID(1), "invalid VLAN ID")
			checkBadUnmarshal(t, VLANID(7), "4095")
		}},
		{"VCID", func(t *testing.T) {
			for _, s := range []string{"1", "1001", "4294967295"} {
				checkValid(t, ParseVCID, MustParseVCID(s))
			}
			checkZero(t, VCID(1), "invalid VC ID")
			checkBadUnmarshal(t, VCID(7), "0")
		}},
		{"Label", func(t *testing.T) {
			for _, s := range []string{"16", "299776", "1048575"} {
				checkValid(t, ParseLabel, MustParseLabel(s))
			}
			checkZero(t, Label(16), "invalid MPLS label")
			checkBadUnmarshal(t, Label(100), "3")
		}},
		{"ASN", func(t *testing.T) {
			for _, s := range []string{"1", "65535", "65536", "4294967295"} {
				checkValid(t, ParseASN, MustParseASN(s))
			}
			checkZero(t, ASN(1), "invalid ASN")
			checkBadUnmarshal(t, ASN(7), "0.0")
		}},
		{"RD", func(t *testing.T) {
			for _, s := range []string{"65000:100", "192.0.2.1:7", "4200000000L:9", "65000L:100"} {
				checkValid(t, ParseRD, MustParseRD(s))
			}
			checkZero(t, MustParseRD("1:1"), "invalid RD")
			checkBadUnmarshal(t, MustParseRD("1:1"), "65536:65536")
		}},
		{"RT", func(t *testing.T) {
			for _, s := range []string{"target:65000:100", "target:192.0.2.1:7", "target:4200000000L:9", "target:65000L:100"} {
				checkValid(t, ParseRT, MustParseRT(s))
			}
			checkZero(t, MustParseRT("1:1"), "invalid RT")
			checkBadUnmarshal(t, MustParseRT("1:1"), "target:x:1")
		}},
		{"MAC", func(t *testing.T) {
			for _, s := range []string{"00:11:22:aa:bb:cc", "00:00:00:00:00:01", "ff:ff:ff:ff:ff:ff"} {
				checkValid(t, ParseMAC, MustParseMAC(s))
			}
			checkZero(t, MAC{5: 1}, "invalid MAC")
			checkBadUnmarshal(t, MAC{5: 1}, "00:00:00:00:00:00")
		}},
		{"ESI", func(t *testing.T) {
			for _, s := range []string{"00:11:22:33:44:55:66:77:88:99", "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff"} {
				checkValid(t, ParseESI, MustParseESI(s))
			}
			checkZero(t, ESI{9: 1}, "invalid ESI")
			checkBadUnmarshal(t, ESI{9: 1}, "00")
		}},
		{"Bitrate", func(t *testing.T) {
			for _, s := range []string{"1", "1234", "1K", "1500M", "100M", "10G", "1T", "18446744073709551615"} {
				checkValid(t, ParseBitrate, MustParseBitrate(s))
			}
			checkZero(t, Bitrate(1), "invalid bitrate")
			checkBadUnmarshal(t, Bitrate(1), "1.5")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   interface{ String() string }
		want string
	}{
		{"VLANID", VLANID(100), "100"},
		{"VLANID out of range", VLANID(4095), "invalid VLAN ID 4095"},
		{"VCID", VCID(4294967295), "4294967295"},
		{"Label", Label(299776), "299776"},
		{"Label reserved", Label(3), "invalid MPLS label 3"},
		{"Label above 20 bits", Label(1 << 20), "invalid MPLS label 1048576"},
		{"ASN 2-byte", ASN(65000), "65000"},
		{"ASN 4-byte", ASN(65546), "65546"},
		{"RD type 0", MustParseRD("65000:100"), "65000:100"},
		{"RD type 1", MustParseRD("192.0.2.1:7"), "192.0.2.1:7"},
		{"RD type 2 large", MustParseRD("4200000000:9"), "4200000000L:9"},
		{"RD type 2 small", MustParseRD("65000L:100"), "65000L:100"},
		{"RT type 0 bare", MustParseRT("65000:100"), "target:65000:100"},
		{"RT type 1", MustParseRT("target:192.0.2.1:7"), "target:192.0.2.1:7"},
		{"RT type 2", MustParseRT("target:4200000000:9"), "target:4200000000L:9"},
		{"MAC hyphens", MustParseMAC("00-11-22-AA-BB-CC"), "00:11:22:aa:bb:cc"},
		{"MAC dotted", MustParseMAC("0011.22AA.BBCC"), "00:11:22:aa:bb:cc"},
		{"ESI upper", MustParseESI("00:11:22:33:44:55:66:77:88:AA"), "00:11:22:33:44:55:66:77:88:aa"},
		{"Bitrate plain", Bitrate(1234), "1234"},
		{"Bitrate kilo", Bitrate(64_000), "64K"},
		{"Bitrate mega", Bitrate(100_000_000), "100M"},
		{"Bitrate mega not giga", Bitrate(1_500_000_000), "1500M"},
		{"Bitrate giga", Bitrate(10_000_000_000), "10G"},
		{"Bitrate tera", Bitrate(400_000_000_000_000), "400T"},
		{"Bitrate max", Bitrate(1<<64 - 1), "18446744073709551615"},
		{"RDType0", RDType0, "type 0"},
		{"RDType1", RDType1, "type 1"},
		{"RDType2", RDType2, "type 2"},
		{"RDType unknown", RDType(9), "RDType(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMarshalInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      encoding.TextMarshaler
		wantErr string
	}{
		{"VLANID 4095", VLANID(4095), "netid: marshal VLAN ID 4095: out of range 1-4094"},
		{"Label reserved", Label(3), "netid: marshal MPLS label 3: reserved (0-15)"},
		{"Label above 20 bits", Label(1 << 20), "netid: marshal MPLS label 1048576: out of range 16-1048575"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := tt.in.MarshalText()
			if !errors.Is(err, ErrInvalid) || err.Error() != tt.wantErr {
				t.Errorf("MarshalText() = %q, %v; want error %q", b, err, tt.wantErr)
			}
		})
	}
}

func TestASN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      ASN
		dot     string
		is2Byte bool
	}{
		{"zero", 0, "invalid ASN", false},
		{"one", 1, "1", true},
		{"2-byte max", 65535, "65535", true},
		{"4-byte min", 65536, "1.0", false},
		{"asdot example", 65546, "1.10", false},
		{"private 4-byte", 4200000000, "64086.59904", false},
		{"max", 4294967295, "65535.65535", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.in.DotString(); got != tt.dot {
				t.Errorf("DotString() = %q, want %q", got, tt.dot)
			}
			if got := tt.in.Is2Byte(); got != tt.is2Byte {
				t.Errorf("Is2Byte() = %v, want %v", got, tt.is2Byte)
			}
			if tt.in.IsValid() {
				if back, err := ParseASN(tt.dot); err != nil || back != tt.in {
					t.Errorf("ParseASN(%q) = %v, %v; want %v", tt.dot, back, err, tt.in)
				}
			}
		})
	}
}

// routeValue is what RD and RT share.
type routeValue interface {
	IsValid() bool
	Type() RDType
	Admin() uint32
	AdminAddr() netip.Addr
	Number() uint32
	String() string
}

func TestRouteFrom(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		typ      RDType
		admin    uint32
		number   uint32
		wantRD   string // String of the RD; the RT is "target:" + wantRD
		wantAddr netip.Addr
		wantErr  string
	}{
		{name: "type 0", typ: RDType0, admin: 65000, number: 100, wantRD: "65000:100"},
		{name: "type 0 big number", typ: RDType0, admin: 1, number: 4294967295, wantRD: "1:4294967295"},
		{name: "type 1", typ: RDType1, admin: 0xc0000201, number: 7, wantRD: "192.0.2.1:7", wantAddr: netip.MustParseAddr("192.0.2.1")},
		{name: "type 2 small admin", typ: RDType2, admin: 65000, number: 100, wantRD: "65000L:100"},
		{name: "type 2", typ: RDType2, admin: 4200000000, number: 65535, wantRD: "4200000000L:65535"},
		{name: "type 0 admin zero", typ: RDType0, admin: 0, number: 1, wantErr: "make %s: administrator must not be 0"},
		{name: "type 0 admin too big", typ: RDType0, admin: 65536, number: 1, wantErr: "make %s: administrator 65536 does not fit type 0 (2-byte AS)"},
		{name: "type 1 admin zero", typ: RDType1, admin: 0, number: 1, wantErr: "administrator must not be 0.0.0.0"},
		{name: "type 1 number too big", typ: RDType1, admin: 1, number: 65536, wantErr: "number 65536 does not fit type 1 (2-byte number)"},
		{name: "type 2 admin zero", typ: RDType2, admin: 0, number: 1, wantErr: "administrator must not be 0"},
		{name: "type 2 number too big", typ: RDType2, admin: 70000, number: 65536, wantErr: "number 65536 does not fit type 2 (2-byte number)"},
		{name: "unknown type", typ: 3, admin: 1, number: 1, wantErr: "unknown layout RDType(3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rd, rdErr := RDFrom(tt.typ, tt.admin, tt.number)
			rt, rtErr := RTFrom(tt.typ, tt.admin, tt.number)
			for _, c := range []struct {
				kind string
				v    routeValue
				err  error
				want string
			}{
				{"RD", rd, rdErr, tt.wantRD},
				{"RT", rt, rtErr, rtPrefix + tt.wantRD},
			} {
				if tt.wantErr != "" {
					wantErr := strings.Replace(tt.wantErr, "%s", c.kind, 1)
					if !errors.Is(c.err, ErrInvalid) || !strings.Contains(c.err.Error(), wantErr) {
						t.Errorf("%sFrom error = %v, want one containing %q", c.kind, c.err, wantErr)
					}
					if c.v.IsValid() {
						t.Errorf("%sFrom returned valid %v with its error", c.kind, c.v)
					}
					continue
				}
				if c.err != nil {
					t.Fatalf("%sFrom error: %v", c.kind, c.err)
				}
				if c.v.Type() != tt.typ || c.v.Admin() != tt.admin || c.v.Number() != tt.number {
					t.Errorf("%sFrom = %v (type %v, admin %d, number %d), want type %v, admin %d, number %d",
						c.kind, c.v, c.v.Type(), c.v.Admin(), c.v.Number(), tt.typ, tt.admin, tt.number)
				}
				if got := c.v.AdminAddr(); got != tt.wantAddr {
					t.Errorf("%s.AdminAddr() = %v, want %v", c.kind, got, tt.wantAddr)
				}
				if got := c.v.String(); got != c.want {
					t.Errorf("%s.String() = %q, want %q", c.kind, got, c.want)
				}
			}
		})
	}
}

func TestZeroRoute(t *testing.T) {
	t.Parallel()
	for _, v := range []routeValue{RD{}, RT{}} {
		if v.IsValid() || v.Admin() != 0 || v.Number() != 0 || v.AdminAddr().IsValid() {
			t.Errorf("zero %T = valid %v, admin %d, number %d, addr %v; want all unset",
				v, v.IsValid(), v.Admin(), v.Number(), v.AdminAddr())
		}
		switch v.Type() {
		case RDType0, RDType1, RDType2:
			t.Errorf("zero %T has type %v, want none of the layouts", v, v.Type())
		}
	}
}

// record holds every identifier, as a configuration or API type would.
type record struct {
	VLAN    VLANID             `json:"vlan"`
	VC      VCID               `json:"vc"`
	Label   Label              `json:"label"`
	ASN     ASN                `json:"asn"`
	RD      RD                 `json:"rd"`
	RT      RT                 `json:"rt"`
	MAC     MAC                `json:"mac"`
	ESI     ESI                `json:"esi"`
	Rate    Bitrate            `json:"rate"`
	Unset   VLANID             `json:"unset"`
	NoRD    RD                 `json:"no_rd"`
	Imports map[RT]VLANID      `json:"imports"`
	Rates   map[Bitrate]string `json:"rates"`
}

func TestJSON(t *testing.T) {
	t.Parallel()
	in := record{
		VLAN:    MustParseVLANID("100"),
		VC:      MustParseVCID("1001"),
		Label:   MustParseLabel("299776"),
		ASN:     MustParseASN("1.10"),
		RD:      MustParseRD("65000L:100"),
		RT:      MustParseRT("target:192.0.2.1:7"),
		MAC:     MustParseMAC("0011.22aa.bbcc"),
		ESI:     MustParseESI("00:11:22:33:44:55:66:77:88:99"),
		Rate:    MustParseBitrate("1.5G"),
		Imports: map[RT]VLANID{MustParseRT("65000:1"): 10, MustParseRT("4200000000:2"): 20},
		Rates:   map[Bitrate]string{MustParseBitrate("100M"): "fast"},
	}
	const want = `{"vlan":"100","vc":"1001","label":"299776","asn":"65546",` +
		`"rd":"65000L:100","rt":"target:192.0.2.1:7","mac":"00:11:22:aa:bb:cc",` +
		`"esi":"00:11:22:33:44:55:66:77:88:99","rate":"1500M","unset":"","no_rd":"",` +
		`"imports":{"target:4200000000L:2":"20","target:65000:1":"10"},"rates":{"100M":"fast"}}`
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Errorf("json.Marshal mismatch (-want +got):\n-%s\n+%s", want, b)
	}
	var out record
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("JSON round trip mismatch (-want +got):\n-%+v\n+%+v", in, out)
	}

	// Bad text fails the whole decode with an error wrapping ErrInvalid.
	bad := bytes.Replace(b, []byte(`"vlan":"100"`), []byte(`"vlan":"4095"`), 1)
	if err := json.Unmarshal(bad, &out); !errors.Is(err, ErrInvalid) {
		t.Errorf("json.Unmarshal with VLAN 4095 error = %v, want ErrInvalid", err)
	}
}
