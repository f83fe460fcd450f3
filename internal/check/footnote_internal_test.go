package check

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

// TestFootnote2NeedsAreData: which of footnote 2's modules a permission
// needs comes from the catalog (the permission's needs, trgen's reading),
// never from a word in its name. A permission named for Protect with no
// needs of its own is warned about with every module the footnote gives;
// a permission whose row narrows the footnote to a module is warned about
// with that module alone, whatever its name.
func TestFootnote2NeedsAreData(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat := set.Latest()
	for _, tc := range []struct {
		name    string
		needs   []string
		modules model.Modules
		warn    []string // what the warning's detail names; nil: no warning
	}{
		{"Trace Protect Rules Write", nil, model.Modules{}, []string{"Protect 1.3.0 or later", "Connect 4.3.0 or later", "Interact"}},
		{"Trace Protect Rules Write", nil, model.Modules{Connect: ptr("4.3.0")}, nil},
		{"Trace IOCs Read", []string{"protect"}, model.Modules{Connect: ptr("4.3.0")}, []string{"Protect 1.3.0 or later"}},
		{"Trace IOCs Read", []string{"protect"}, model.Modules{Protect: ptr("1.3.0")}, nil},
	} {
		c := &checker{d: &model.Deployment{Modules: &tc.modules}, cat: cat}
		p := catalog.Permission{Name: tc.name, Kind: "module", Footnotes: []int{2}, Needs: tc.needs}
		c.footnote2(p, hcl.Range{})
		if tc.warn == nil {
			if len(c.diags) != 0 {
				t.Errorf("%s, needs %v: %v", tc.name, tc.needs, c.diags)
			}
			continue
		}
		if len(c.diags) != 1 {
			t.Fatalf("%s, needs %v: %d diagnostics", tc.name, tc.needs, len(c.diags))
		}
		detail := c.diags[0].Detail
		for _, w := range tc.warn {
			if !strings.Contains(detail, w) {
				t.Errorf("%s, needs %v: the warning does not name %s: %s", tc.name, tc.needs, w, detail)
			}
		}
		for _, m := range []string{"Protect", "Connect", "Interact"} {
			named := false
			for _, w := range tc.warn {
				named = named || strings.HasPrefix(w, m)
			}
			if !named && strings.Contains(strings.SplitN(detail, "; the deployment has", 2)[0], m) {
				t.Errorf("%s, needs %v: the warning names %s: %s", tc.name, tc.needs, m, detail)
			}
		}
	}
}

func ptr(s string) *string { return &s }
