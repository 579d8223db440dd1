package validate_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/validate"
)

// xmlOnly is a session that gives configuration in XML only, as a device
// whose adapter has no set form would.
type xmlOnly struct{ tree *junosconf.Tree }

func (x xmlOnly) Get(_ context.Context, q device.Query) ([]byte, error) {
	if q.Source == device.Committed && q.Format == device.XML {
		return x.tree.XML(), nil
	}
	return nil, fmt.Errorf("xmlOnly: %w", device.ErrUnsupported)
}

func TestReadConfigFallsBackToXML(t *testing.T) {
	t.Parallel()
	svc := designed(t, "eline-ldp.yaml")
	lines := setOf(t, svc, "pe1")
	tree, err := junosconf.Parse(junosconf.FormatSet, []byte(strings.Join(lines, "\n")), junosconf.FamilyJunos)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := validate.PostLive(context.Background(), &svc, validate.Devices{"pe1": xmlOnly{tree}, "pe2": xmlOnly{tree}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// pe1 is in sync; pe2 was given pe1's configuration, so each of its
	// statements is missing or changed.
	for _, f := range fs {
		if f.Device != "pe2" {
			t.Errorf("unexpected finding on %s: %v", f.Device, f)
		}
	}
	if len(fs) == 0 {
		t.Error("pe2 with pe1's configuration passes")
	}
}
