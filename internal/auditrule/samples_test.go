package auditrule

import (
	"os"
	"path/filepath"
	"testing"
)

// samplesDir finds the upstream sample rules shipped by Debian's auditd
// package: TRGEN_AUDITD_ROOT (where .ci/run extracts the package, without
// installing it) or the installed documentation.
func samplesDir(t *testing.T) string {
	t.Helper()
	var dirs []string
	if root := os.Getenv("TRGEN_AUDITD_ROOT"); root != "" {
		dirs = append(dirs, filepath.Join(root, "usr/share/doc/auditd/examples/rules"))
	}
	dirs = append(dirs, "/usr/share/doc/auditd/examples/rules")
	for _, d := range dirs {
		if m, _ := filepath.Glob(filepath.Join(d, "*.rules")); len(m) > 0 {
			return d
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs the auditd sample rules: .ci/run extracts Debian's auditd package and sets TRGEN_AUDITD_ROOT")
	}
	t.Skip("auditd sample rules not found; set TRGEN_AUDITD_ROOT to an extracted auditd package")
	return ""
}

// TestUpstreamSamples lints every sample rules file Debian's auditd
// package ships, one at a time (each is a rules.d file of its own).
// Only warnings this test names and justifies are allowed.
func TestUpstreamSamples(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.rules"))
	if len(files) < 30 {
		t.Fatalf("only %d sample files in %s", len(files), dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		diags, lines := Lint([]File{{Name: filepath.Base(f), Data: data}}, Options{})
		for _, d := range diags {
			t.Errorf("%s: %s: %s", d.Subject, d.Summary, d.Detail)
		}
		t.Logf("%s: %d rules, %d findings", filepath.Base(f), len(lines), len(diags))
	}
}
