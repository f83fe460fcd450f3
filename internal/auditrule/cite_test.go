package auditrule_test

import (
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/catalog/catalogtest"
)

// TestFailurePanicCitesTheCatalog: the -f 2 finding states the
// recorder's behaviour with the catalog's quote and citation, so audit
// lint names the page the catalog transcribes, not a title of its own.
func TestFailurePanicCitesTheCatalog(t *testing.T) {
	other, c := catalogtest.Retitled(t, "Another requirements page")
	o := other.Latest()
	got, _ := auditrule.Lint([]auditrule.File{{Name: "a.rules", Data: []byte("-f 2\n")}}, auditrule.CatalogOptions(o, "/opt/Tanium/TaniumClient"))
	if len(got) != 1 {
		t.Fatalf("findings = %v, want the failure mode one", got)
	}
	src := o.LinuxAudit.FailurePanic.Source
	for _, want := range []string{"Another requirements page, \"" + src.Section + "\"", src.Quote} {
		if !strings.Contains(got[0].Detail, want) {
			t.Errorf("detail %q lacks %q", got[0].Detail, want)
		}
	}
	if strings.Contains(got[0].Detail, c.Document.Title+",") {
		t.Errorf("detail %q cites the bundled page", got[0].Detail)
	}
}
