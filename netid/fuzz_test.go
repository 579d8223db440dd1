package netid

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// fuzzParse fuzzes parse: it must never panic; on failure it returns the
// zero value and an error wrapping ErrInvalid that quotes the input; on
// success the value is valid, survives String and text round trips, and
// passes extra when that is not nil.
func fuzzParse[T textValue[T], PT unmarshaler[T]](f *testing.F, parse func(string) (T, error), extra func(*testing.T, T), seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := parse(s)
		if err != nil {
			checkParseError(t, s, err)
			var zero T
			if x != zero {
				t.Errorf("parse(%q) returned %v with its error", s, x)
			}
			// UnmarshalText rejects the same text, except the empty
			// text, which means unset.
			var y T
			if uerr := PT(&y).UnmarshalText([]byte(s)); (uerr == nil) != (s == "") {
				t.Errorf("UnmarshalText(%q) error = %v, parse error = %v", s, uerr, err)
			}
			return
		}
		checkValid[T, PT](t, parse, x)
		if extra != nil {
			extra(t, x)
		}
	})
}

func checkParseError(t *testing.T, s string, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("parse(%q) error %v does not wrap ErrInvalid", s, err)
	}
	if !strings.Contains(err.Error(), strconv.Quote(s)) {
		t.Errorf("parse(%q) error %q does not quote the input", s, err)
	}
}

func FuzzParseVLANID(f *testing.F) {
	fuzzParse(f, ParseVLANID, nil, "1", "100", "4094", "4095", "0", "0100", "+1", " 1", "")
}

func FuzzParseVCID(f *testing.F) {
	fuzzParse(f, ParseVCID, nil, "1", "4294967295", "4294967296", "0", "01", "")
}

func FuzzParseLabel(f *testing.F) {
	fuzzParse(f, ParseLabel, nil, "16", "299776", "1048575", "1048576", "3", "016", "")
}

func FuzzParseASN(f *testing.F) {
	fuzzParse(f, ParseASN, checkASN, "1", "65000", "4200000000", "4294967296", "1.10", "0.65000", "0.0", "65536.1", "01.1", "1.", "")
}

func FuzzParseRD(f *testing.F) {
	fuzzParse(f, ParseRD, checkRD, "65000:100", "192.0.2.1:7", "4200000000:9", "4200000000L:9", "65000L:100",
		"65536:65536", "0:1", "0.0.0.0:1", "1.2.3.4L:1", "target:1:1", ":", "")
}

func FuzzParseRT(f *testing.F) {
	fuzzParse(f, ParseRT, checkRT, "target:65000:100", "65000:100", "target:192.0.2.1:7", "target:4200000000L:9",
		"target:x:1", "target:", "target:target:1:1", "")
}

// FuzzParseRDAs fuzzes the fixed-layout parsers of RD and RT together:
// a success has the requested layout, agrees between RD and RT, and
// round-trips through the automatic parsers.
func FuzzParseRDAs(f *testing.F) {
	for _, s := range []string{"65000:100", "65536:1", "192.0.2.1:7", "65000L:100", "4200000000:9", "x:1", ""} {
		for typ := range 4 {
			f.Add(uint8(typ), s)
		}
	}
	f.Fuzz(func(t *testing.T, typ uint8, s string) {
		rd, err := ParseRDAs(RDType(typ), s)
		rt, rtErr := ParseRTAs(RDType(typ), rtPrefix+s)
		if (err == nil) != (rtErr == nil) {
			t.Fatalf("ParseRDAs(%d, %q) error %v, but ParseRTAs error %v", typ, s, err, rtErr)
		}
		if err != nil {
			checkParseError(t, s, err)
			checkParseError(t, rtPrefix+s, rtErr)
			return
		}
		if rd.Type() != RDType(typ) {
			t.Errorf("ParseRDAs(%d, %q) = %v of %v", typ, s, rd, rd.Type())
		}
		if rd.Type() != rt.Type() || rd.Admin() != rt.Admin() || rd.Number() != rt.Number() {
			t.Errorf("ParseRDAs(%d, %q) = %v, but ParseRTAs gives %v", typ, s, rd, rt)
		}
		checkValid(t, ParseRD, rd)
		checkValid(t, ParseRT, rt)
	})
}

func FuzzParseMAC(f *testing.F) {
	fuzzParse(f, ParseMAC, nil, "00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC", "0011.22aa.bbcc", "00:00:00:00:00:00",
		"00:11-22:aa:bb:cc", "0011.22aa.bbcg", "")
}

func FuzzParseESI(f *testing.F) {
	fuzzParse(f, ParseESI, nil, "00:11:22:33:44:55:66:77:88:99", "00:00:00:00:00:00:00:00:00:00", "00-11-22-33-44-55-66-77-88-99", "")
}

func FuzzParseBitrate(f *testing.F) {
	fuzzParse(f, ParseBitrate, nil, "1000", "100M", "1.5G", "2.5g", "10Gbps", "64kbps", "0.5T", "1.5",
		"18446744073709551615", "18446745T", "0100M", ".5G", "bps", "")
}

// checkASN checks that the asdot form reads back too.
func checkASN(t *testing.T, a ASN) {
	if b, err := ParseASN(a.DotString()); err != nil || b != a {
		t.Errorf("ParseASN(%q) = %v, %v; want %v", a.DotString(), b, err, a)
	}
	if a.Is2Byte() != (a <= 65535) {
		t.Errorf("%v.Is2Byte() = %v", a, a.Is2Byte())
	}
}

// checkRD checks that the accessors describe r completely.
func checkRD(t *testing.T, r RD) {
	if back, err := RDFrom(r.Type(), r.Admin(), r.Number()); err != nil || back != r {
		t.Errorf("RDFrom(%v, %d, %d) = %v, %v; want %v", r.Type(), r.Admin(), r.Number(), back, err, r)
	}
	if r.AdminAddr().IsValid() != (r.Type() == RDType1) {
		t.Errorf("%v of %v has AdminAddr %v", r, r.Type(), r.AdminAddr())
	}
}

// checkRT checks that the accessors describe r completely.
func checkRT(t *testing.T, r RT) {
	if back, err := RTFrom(r.Type(), r.Admin(), r.Number()); err != nil || back != r {
		t.Errorf("RTFrom(%v, %d, %d) = %v, %v; want %v", r.Type(), r.Admin(), r.Number(), back, err, r)
	}
	if r.AdminAddr().IsValid() != (r.Type() == RDType1) {
		t.Errorf("%v of %v has AdminAddr %v", r, r.Type(), r.AdminAddr())
	}
}
