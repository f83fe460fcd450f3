// Package catalogtest provides catalogs for tests: the bundled ones with
// a change a test needs.
package catalogtest

import (
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
)

// Retitled returns the bundled catalog set, loaded as a --catalog file
// whose newest catalog names its page title instead of the bundled
// page's, and the bundled newest catalog: for tests that a citation names
// the page of the catalog in use.
func Retitled(tb testing.TB, title string) (other *catalog.Set, bundled *catalog.Catalog) {
	tb.Helper()
	set, err := catalog.Load()
	if err != nil {
		tb.Fatal(err)
	}
	bundled = set.Latest()
	raw := strings.Replace(string(bundled.Raw()), `"title": "`+bundled.Document.Title+`"`, `"title": "`+title+`"`, 1)
	if raw == string(bundled.Raw()) {
		tb.Fatal("the bundled catalog has no document title to replace")
	}
	other, diags := catalog.LoadFile("other.json", []byte(raw))
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return other, bundled
}
