package sla

import (
	"testing"
	"time"
)

// FuzzParseMEPID: every accepted ID prints back to its input and
// round-trips through MarshalText.
func FuzzParseMEPID(f *testing.F) {
	for _, s := range []string{"1", "8191", "0", "8192", "007", "-1", "42"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMEPID(s)
		if err != nil {
			return
		}
		if !m.IsValid() || m.String() != s {
			t.Fatalf("ParseMEPID(%q) = %v", s, m)
		}
		b, err := m.MarshalText()
		var back MEPID
		if err != nil || back.UnmarshalText(b) != nil || back != m {
			t.Fatalf("round trip %q: %v %v", s, back, err)
		}
	})
}

func TestMEPIDNoAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { ParseMEPID("4242") }); n != 0 {
		t.Errorf("ParseMEPID allocates %v times", n)
	}
}

func TestEnumStrings(t *testing.T) {
	t.Parallel()
	for m, want := range map[MeasurementType][2]string{
		MeasureTwoWayDelay:   {"two-way-delay", "two-way-delay"},
		MeasureOneWayDelay:   {"one-way-delay", "two-way-delay"},
		MeasureLoss:          {"loss", "loss"},
		MeasureSyntheticLoss: {"synthetic-loss", "slm"},
		0:                    {"invalid", ""},
	} {
		if m.String() != want[0] || m.Junos() != want[1] {
			t.Errorf("%d: %q %q, want %q", m, m.String(), m.Junos(), want)
		}
	}
	for c, want := range map[CCInterval]string{0: "1s", CC3ms3: "3.3ms", CC10m: "10m", CCInterval(2 * time.Second): "2s"} {
		if c.String() != want {
			t.Errorf("%v: %q want %q", time.Duration(c), c.String(), want)
		}
	}
	if CCInterval(2*time.Second).IsValid() || !CC1m.IsValid() {
		t.Error("IsValid")
	}
	for k, want := range map[AlertKind]string{ConnectivityLost: "connectivity-lost", ObjectiveCleared: "objective-cleared", 0: "invalid", 9: "invalid"} {
		if k.String() != want {
			t.Errorf("%d: %q", k, k.String())
		}
	}
}
