package rule

import "testing"

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
