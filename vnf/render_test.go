package vnf

import (
	"context"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

func TestRenderYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	p, err := Place(testHost(), nil, threeChain(), testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	del, err := RenderRemoval(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s\n%s", cfg.Set, del.Set)
	if err := chk.Validate(context.Background(), yangcheck.FamilyNFX,
		yangcheck.Doc{Name: "chain", XML: cfg.XML}, yangcheck.Doc{Name: "removal", XML: del.XML}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg.Set), `description "Lyon \"HQ\": acme/branch segment 0"`) {
		t.Errorf("site with quotes not quoted:\n%s", cfg.Set)
	}
}
