package check_test

import (
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/version"
)

// TestCatalogWithoutExcludedClients: a catalog given with --catalog may
// exclude no client version (the schema allows an empty list); the client
// rules still answer, with no "(not …)" and no panic.
func TestCatalogWithoutExcludedClients(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := *set.Latest()
	c.Client.ExcludedVersions = nil
	tr := version.MustParse("2.2.0")
	for _, client := range []string{"7.0.1.1", "7.3.0.5"} {
		fs := check.EndpointFindings(&c, tr, check.Endpoint{Subject: "g", OS: model.OSWindows, OSVersion: "Windows 10", ClientVersion: client})
		if len(fs) == 0 {
			t.Errorf("client %s: no finding", client)
		}
		for _, f := range fs {
			if len(f.Detail) == 0 {
				t.Errorf("client %s: empty detail for %s", client, f.Rule)
			}
		}
	}
}
