package refdoc

import (
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/rule"
)

// TestLanguageDoc keeps docs/language.md equal to what the schema renders.
func TestLanguageDoc(t *testing.T) {
	got, err := Language(load.FunctionNames())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## `deployment \"<label>\" > endpoint_group \"<label>\" > hardware`", "| `free_disk_gb` | number | yes |", "`cidrsubnet`", "`file`"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("language reference lacks %q", want)
		}
	}
	golden.Check(t, "../../docs/language.md", got)
}

// TestRulesDoc keeps docs/rules.md equal to the rule registry, and requires
// every rule to be fully documented.
func TestRulesDoc(t *testing.T) {
	for _, r := range rule.All() {
		if r.Title == "" || r.Description == "" || r.Fix == "" || r.Source == (rule.Source{}) {
			t.Errorf("rule %s lacks documentation", r.ID)
		}
	}
	got, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../../docs/rules.md", got)
}
