package generate_test

import (
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/load"
)

// TestAuditdRulesLint lints each Linux group's generated rules.d files as
// one set, in load order, with the recorder's files protected: trgen's own
// output must be clean, end with -e 2 exactly when immutable, and never
// set -f 2.
func TestAuditdRulesLint(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]map[string][]byte{
		"examples/enterprise": renderDir(t, "../../examples/enterprise"),
		"examples/small":      renderDir(t, "../../examples/small"),
		"testdata/auditd":     renderSources(t, t.TempDir(), []load.Source{{Name: "deploy.hcl", Data: golden.ArchiveFile(t, "testdata/auditd.txtar", "deploy.hcl")}}),
	}
	groups := 0
	for name, files := range inputs {
		byGroup := map[string][]string{}
		for p := range files {
			if strings.HasPrefix(p, "auditd/") && strings.HasSuffix(p, ".rules") {
				g := strings.Split(p, "/")[1]
				byGroup[g] = append(byGroup[g], p)
			}
		}
		for g, paths := range byGroup {
			groups++
			sort.Strings(paths)
			var set_ []auditrule.File
			for _, p := range paths {
				set_ = append(set_, auditrule.File{Name: p, Data: files[p]})
			}
			var protected []string
			for _, rel := range set.Latest().RecorderFiles() {
				for _, dir := range []string{"/opt/Tanium/TaniumClient", "/srv/tanium/client"} {
					protected = append(protected, path.Join(dir, rel))
				}
			}
			diags, lines := auditrule.Lint(set_, auditrule.Options{Protected: protected})
			for _, d := range diags {
				t.Errorf("%s %s: %s: %s", name, d.Subject, d.Summary, d.Detail)
			}
			last := lines[len(lines)-1]
			immutable := strings.HasSuffix(paths[len(paths)-1], "99-trgen-finalize.rules")
			if immutable != (last.Option == "-e" && last.Value == "2") {
				t.Errorf("%s group %s: immutable=%v but the last rule is %q", name, g, immutable, last.Text())
			}
			for _, l := range lines {
				if l.Option == "-f" && l.Value == "2" {
					t.Errorf("%s group %s writes -f 2", name, g)
				}
			}
		}
	}
	if groups < 8 {
		t.Fatalf("only %d groups linted", groups)
	}
}
