package rule

import (
	"strings"
	"testing"
)

// TestEveryRuleDocumented: each rule has its title, description, fix,
// source and an example, so `trgen explain` has something for every id.
func TestEveryRuleDocumented(t *testing.T) {
	for _, r := range All() {
		if r.Title == "" || r.Description == "" || r.Fix == "" || r.Source == (Source{}) || Example(r.ID) == "" {
			t.Errorf("rule %s lacks documentation or an example", r.ID)
		}
	}
	for id := range examples {
		if _, ok := Lookup(id); !ok {
			t.Errorf("example for unknown rule %s", id)
		}
	}
}

// TestSourceCite: a source that rests on the page names the page it is
// given, then the section and what follows; any other source is its own
// text. No rule's source names a page by itself.
func TestSourceCite(t *testing.T) {
	for _, c := range []struct {
		src  Source
		want string
	}{
		{onPage("", ""), "P"},
		{onPage("Ports", ""), `P, "Ports"`},
		{onPage("Endpoints", "; "+audit), `P, "Endpoints"; auditctl(8); trgen's practice (docs/sources.md)`},
		{onPage("User role requirements", ", footnote 2"), `P, "User role requirements", footnote 2`},
		{other(lang), lang},
	} {
		if got := c.src.Cite("P"); got != c.want {
			t.Errorf("%+v.Cite = %q, want %q", c.src, got, c.want)
		}
	}
	for _, r := range All() {
		if strings.Contains(r.Source.Section+r.Source.Other, "requirements page") || strings.Contains(r.Source.Other, "Threat Response requirements") {
			t.Errorf("rule %s names a page in its source: %+v", r.ID, r.Source)
		}
	}
}
