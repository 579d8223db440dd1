package cli_test

import (
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
)

// BenchmarkCommandOneSession: "show version" over one CLI session.
func BenchmarkCommandOneSession(b *testing.B) {
	d := startSim(b, "pe1")
	s, err := cli.Dial(ctxT(b), targetFor(d))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := ctxT(b)
	q := device.CommandQuery("show version", device.Text)
	for b.Loop() {
		if _, err := s.Get(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
}
