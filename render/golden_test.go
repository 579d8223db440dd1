package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierkit/carrierkit/design"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var allFormats = []Format{FormatSet, FormatText, FormatXML}

// joinArtifacts writes a service's artifacts into one golden document.
func joinArtifacts(arts []Artifact) []byte {
	var b bytes.Buffer
	for _, a := range arts {
		fmt.Fprintf(&b, "#### device %s (%s, %s)\n", a.Device, a.Vendor, a.Format)
		b.Write(a.Body)
	}
	return b.Bytes()
}

func goldenPath(name, plat string, f Format) string {
	return filepath.Join("testdata", name+"."+plat+"."+f.String()+".golden")
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestGolden renders every catalog case on every platform family in every
// format, plus its removal, and compares with testdata.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases {
		for _, p := range gc.plats {
			svc := gc.build(p)
			formats := allFormats
			if allNokia(svc) {
				// Nokia has one form; every Format gives MD-CLI.
				formats = []Format{FormatMDCLI}
			}
			for _, f := range formats {
				t.Run(gc.name+"/"+p.name+"/"+f.String(), func(t *testing.T) {
					arts, err := All(svc, f)
					if err != nil {
						t.Fatal(err)
					}
					if len(arts) != len(svc.Devices) {
						t.Fatalf("%d artifacts for %d devices", len(arts), len(svc.Devices))
					}
					again, err := All(svc, f)
					if err != nil || !bytes.Equal(joinArtifacts(arts), joinArtifacts(again)) {
						t.Fatalf("rendering twice gave different output (err %v)", err)
					}
					checkGolden(t, goldenPath(gc.name, p.name, f), joinArtifacts(arts))
					rm, err := Remove(svc, f)
					if err != nil {
						t.Fatal(err)
					}
					checkGolden(t, goldenPath(gc.name+"-remove", p.name, f), joinArtifacts(rm))
				})
			}
		}
	}
}

func allNokia(svc design.Service) bool {
	for _, d := range svc.Devices {
		if d.Platform.Vendor != design.VendorNokia {
			return false
		}
	}
	return true
}
