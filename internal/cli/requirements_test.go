package cli

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/golden"
)

// TestRequirementsText keeps the text of `trgen requirements` for every
// bundled catalog in a golden file: a change to the template or the
// catalog shows up in review as a change to what users read.
func TestRequirementsText(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range set.All() {
		t.Run(c.CatalogVersion, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeRequirements(&b, c); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "requirements", c.CatalogVersion+".txt"), b.Bytes())
		})
	}
}
