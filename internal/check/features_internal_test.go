package check

import (
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

// TestFeaturesOneTable: the catalog's features, the model's switches and
// the rules that report them name the same feature ids, so a feature
// cannot be checked in one place and ignored in another.
func TestFeaturesOneTable(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	switches := map[string]bool{}
	for _, s := range (*model.Features)(nil).Switches() {
		switches[s.ID] = true
		if _, ok := featureRules[s.ID]; !ok {
			t.Errorf("feature %s has no rule", s.ID)
		}
	}
	if len(featureRules) != len(switches) {
		t.Errorf("%d feature rules for %d switches", len(featureRules), len(switches))
	}
	for _, c := range set.All() {
		for _, f := range c.Features {
			if !switches[f.ID] {
				t.Errorf("%s: the catalog's feature %s has no attribute in features { }", c.CatalogVersion, f.ID)
			}
		}
	}
}
