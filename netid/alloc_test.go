package netid

import "testing"

// TestNoAllocs checks that parsers and AppendText do not allocate on
// success. Its cases do not call t.Parallel: testing.AllocsPerRun counts
// allocations process-wide, so it must not share the process with
// parallel tests.
func TestNoAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	rd := MustParseRD("4200000000L:9")
	rt := MustParseRT("target:192.0.2.1:7")
	// must makes every case fail loudly rather than measure an error path.
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"ParseVLANID", func() { _, err := ParseVLANID("4094"); must(err) }},
		{"ParseVCID", func() { _, err := ParseVCID("4294967295"); must(err) }},
		{"ParseLabel", func() { _, err := ParseLabel("299776"); must(err) }},
		{"ParseASN asplain", func() { _, err := ParseASN("4200000000"); must(err) }},
		{"ParseASN asdot", func() { _, err := ParseASN("1.10"); must(err) }},
		{"ParseRD type 0", func() { _, err := ParseRD("65000:100"); must(err) }},
		{"ParseRD type 1", func() { _, err := ParseRD("192.0.2.1:7"); must(err) }},
		{"ParseRD type 2", func() { _, err := ParseRD("65000L:100"); must(err) }},
		{"ParseRDAs", func() { _, err := ParseRDAs(RDType2, "65000:100"); must(err) }},
		{"ParseRT", func() { _, err := ParseRT("target:4200000000L:9"); must(err) }},
		{"ParseRTAs", func() { _, err := ParseRTAs(RDType1, "target:192.0.2.1:7"); must(err) }},
		{"RDFrom", func() { _, err := RDFrom(RDType0, 65000, 100); must(err) }},
		{"RTFrom", func() { _, err := RTFrom(RDType2, 65000, 100); must(err) }},
		{"ParseMAC colon", func() { _, err := ParseMAC("00:11:22:aa:bb:cc"); must(err) }},
		{"ParseMAC dotted", func() { _, err := ParseMAC("0011.22aa.bbcc"); must(err) }},
		{"ParseESI", func() { _, err := ParseESI("00:11:22:33:44:55:66:77:88:99"); must(err) }},
		{"ParseBitrate", func() { _, err := ParseBitrate("2.5Gbps"); must(err) }},
		{"VLANID.AppendText", func() { _, err := VLANID(4094).AppendText(buf); must(err) }},
		{"VCID.AppendText", func() { _, err := VCID(1001).AppendText(buf); must(err) }},
		{"Label.AppendText", func() { _, err := Label(299776).AppendText(buf); must(err) }},
		{"ASN.AppendText", func() { _, err := ASN(4200000000).AppendText(buf); must(err) }},
		{"RD.AppendText", func() { _, err := rd.AppendText(buf); must(err) }},
		{"RT.AppendText", func() { _, err := rt.AppendText(buf); must(err) }},
		{"MAC.AppendText", func() { _, err := MustParseMAC("00:11:22:aa:bb:cc").AppendText(buf); must(err) }},
		{"ESI.AppendText", func() { _, err := ESI{0: 1}.AppendText(buf); must(err) }},
		{"Bitrate.AppendText", func() { _, err := Bitrate(1_500_000_000).AppendText(buf); must(err) }},
		{"VLANID.UnmarshalText", func() { var v VLANID; must(v.UnmarshalText([]byte("100"))) }},
		{"RD.UnmarshalText", func() { var r RD; must(r.UnmarshalText([]byte("65000L:100"))) }},
		{"RD.Compare", func() { _ = rd.Compare(RD{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, tt.f); n != 0 {
				t.Errorf("%s: %v allocations per run, want 0", tt.name, n)
			}
		})
	}
}

// TestStringAllocs checks that String allocates only the string it
// returns.
func TestStringAllocs(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"RD", func() { _ = MustParseRD("4200000000L:65535").String() }},
		{"RT", func() { _ = MustParseRT("target:255.255.255.255:65535").String() }},
		{"MAC", func() { _ = MAC{1, 2, 3, 4, 5, 6}.String() }},
		{"ESI", func() { _ = ESI{1}.String() }},
		{"Bitrate", func() { _ = Bitrate(1_500_000_000).String() }},
		{"ASN.DotString", func() { _ = ASN(4200000000).DotString() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, tt.f); n > 1 {
				t.Errorf("%s: %v allocations per run, want at most 1", tt.name, n)
			}
		})
	}
}
