package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/toolcheck"
)

// TestVerifyFormats: the CSV report is read back by encoding/csv, with
// one row per item and no cell a spreadsheet would take as a formula; the
// Markdown report passes markdownlint and has no raw HTML, although
// values (an endpoint's name, a rule) hold Markdown and HTML syntax.
func TestVerifyFormats(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "generate", "testdata/base/deploy.hcl", "-o", out); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	results := filepath.Join(dir, "r.csv")
	hostile := `<img src=x onerror=alert(1)> *lnx*|[x](http://e.example)`
	in := "Computer Name,IP Address,Kind,Item,Value\n" +
		strings.ReplaceAll(hostile, "|", "%7C") + ",10.30.0.5,fact,sensor,trgen-verify-linux/1\n" +
		strings.ReplaceAll(hostile, "|", "%7C") + ",10.30.0.5,audit-rule,1,=cmd|' /C calc'!A0 -w /x -p wa -k tanium-client-binary\n" +
		"lnx-02,10.30.0.6,fact,sensor,trgen-verify-linux/1\n" +
		"lnx-02,10.30.0.6,audit-rule,1,-w /opt/Tanium/TaniumClient/python27/python -p wa -k tanium-client-binary\n"
	if err := os.WriteFile(results, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	code, csvOut, stderr := runMain(t, "verify", "testdata/base/deploy.hcl", "--from", out, "--results", results, "--format", "csv")
	if code != 0 {
		t.Fatalf("verify --format csv: exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 3 || strings.Join(recs[0], ",") != "endpoint,address,group,state,area,item,status,expected,found,detail" {
		t.Fatalf("%d records; header %q", len(recs), recs[0])
	}
	statuses := map[string]bool{}
	for _, r := range recs[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("a cell a spreadsheet reads as a formula: %q", c)
			}
		}
		statuses[r[6]] = true
	}
	for _, s := range []string{"missing", "unexpected", "unreadable"} {
		if !statuses[s] {
			t.Errorf("no %s row in %v", s, statuses)
		}
	}

	code, md, stderr := runMain(t, "verify", "testdata/base/deploy.hcl", "--from", out, "--results", results, "--format", "markdown")
	if code != 0 {
		t.Fatalf("verify --format markdown: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, "verify.md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := toolcheck.Markdown(file, []byte(md)); err != nil {
		t.Error(err)
	}
	if err := toolcheck.Markdownlint(t, "../../.markdownlint-cli2.jsonc", file); err != nil {
		t.Error(err)
	}
	if !strings.Contains(md, "| unexpected | audit-rule | tanium-client-binary |") {
		t.Errorf("the Markdown report lacks the stale rule:\n%s", md)
	}
}
