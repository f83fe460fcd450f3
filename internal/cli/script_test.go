package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/rule"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"trgen": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scripts in testdata/script. Each starts with
// testdata/base/deploy.hcl in its work directory: a deployment that passes,
// whose values under test are variables. UPDATE_GOLDEN=1 rewrites the
// scripts' cmp files.
func TestScripts(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "base", "deploy.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	// The fictional version's catalog of the generate reference case, for
	// the --catalog scripts (one copy of it in the repository).
	fictional := golden.ArchiveFile(t, filepath.Join("..", "generate", "testdata", "fictional-catalog.txtar"), "catalog.json")
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       golden.Update(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "")
			if err := os.WriteFile(filepath.Join(env.WorkDir, "fictional-catalog.json"), fictional, 0o644); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(env.WorkDir, "deploy.hcl"), base, 0o644)
		},
	})
}

// TestEveryRuleHasScripts requires each rule id to be asserted by a
// stdout or stderr line of at least one CLI script.
func TestEveryRuleHasScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	var assertions []string
	for _, line := range strings.Split(all.String(), "\n") {
		if strings.HasPrefix(line, "stdout ") || strings.HasPrefix(line, "stderr ") {
			assertions = append(assertions, line)
		}
	}
	for _, r := range rule.All() {
		found := false
		for _, a := range assertions {
			found = found || strings.Contains(a, string(r.ID))
		}
		if !found {
			t.Errorf("no script asserts rule %s", r.ID)
		}
	}
}
