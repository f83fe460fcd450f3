package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/emit"
	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/toolcheck"
)

// runMain runs trgen in-process and returns its exit code and output.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestPlanFormats: the enterprise example with its corporate range moved
// (every internal flow changes) and the evidence bucket's ranges changed:
// the JSON plan satisfies schema/plan.schema.json and the Markdown plan
// passes markdownlint and has no raw HTML.
func TestPlanFormats(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "generate", "../../examples/enterprise", "-o", dir); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	vars := []string{"-var", "corp_cidr=10.80.0.0/12", "-var", `evidence_bucket_ranges=["192.0.2.128/25"]`}
	code, js, stderr := runMain(t, append([]string{"plan", "../../examples/enterprise", "--from", dir, "--format", "json", "--detailed-exitcode"}, vars...)...)
	if code != ExitChanges {
		t.Fatalf("plan exited %d, want %d: %s", code, ExitChanges, stderr)
	}
	sch, err := jsondoc.CompileSchema("plan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("the JSON plan does not satisfy schema/plan.schema.json: %v", err)
	}
	if !strings.Contains(js, `"flows_to_change": `) || strings.Contains(js, `"flows_to_change": 0,`) {
		t.Errorf("the plan has no flow changes:\n%.2000s", js)
	}
	code, md, stderr := runMain(t, append([]string{"plan", "../../examples/enterprise", "--from", dir, "--format", "markdown"}, vars...)...)
	if code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	file := filepath.Join(t.TempDir(), "plan.md")
	if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := toolcheck.Markdown(file, []byte(md)); err != nil {
		t.Error(err)
	}
	if err := toolcheck.Markdownlint(t, "../../.markdownlint-cli2.jsonc", file); err != nil {
		t.Error(err)
	}
	for _, want := range []string{"### Change: internal → internal", "source_address", "## What the change needs"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown plan lacks %q", want)
		}
	}
}

// TestPlanOlderOutput: an output written by an older trgen — flows.csv
// without the needed_by and boundary columns, no firewall/capirca, no
// state.json — is still compared, read back from its files: with no
// change to the deployment only the files the old version wrote
// differently differ, and the flows' boundaries come from the new output.
func TestPlanOlderOutput(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "generate", "../../examples/small", "-o", dir); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	target := filepath.Join(dir, "small-lab")
	old, err := emit.ReadOutput(target, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for p, data := range old.Files {
		if p == emit.ManifestName || p == "state.json" || strings.HasPrefix(p, "firewall/capirca/") {
			continue
		}
		files[p] = data
	}
	rows, err := csv.NewReader(bytes.NewReader(files["firewall/flows.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, r := range rows {
		w.Write(r[:11]) // up to "required": before needed_by and boundary
	}
	w.Flush()
	files["firewall/flows.csv"] = b.Bytes()
	withManifest, err := emit.WithManifest(files, emit.Meta{TrgenVersion: "0.9.0", CatalogVersion: "2.0-2.2", Deployment: "small-lab"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(target); err != nil {
		t.Fatal(err)
	}
	for p, data := range withManifest {
		full := filepath.Join(target, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runMain(t, "plan", "../../examples/small", "--from", dir, "--no-color")
	if code != 0 {
		t.Fatalf("plan exited %d: %s", code, stderr)
	}
	for _, want := range []string{"written by trgen 0.9.0, catalog 2.0-2.2", "It has no state.json (trgen 0.9.0 wrote it): read back from its files",
		"\nPlan: 0 flows to open, 0 to close, 0 to change; 5 files change.\n", "  ~ firewall/flows.csv\n", "  + firewall/capirca/def/NETWORK.net\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	// A flow the old output lacks is placed by the new output's boundary.
	rows[1][6] = "1"
	b.Reset()
	w = csv.NewWriter(&b)
	for _, r := range rows {
		w.Write(r[:11])
	}
	w.Flush()
	files["firewall/flows.csv"] = b.Bytes()
	withManifest, _ = emit.WithManifest(files, emit.Meta{TrgenVersion: "0.9.0", CatalogVersion: "2.0-2.2", Deployment: "small-lab"})
	os.WriteFile(filepath.Join(target, "firewall", "flows.csv"), files["firewall/flows.csv"], 0o644)
	os.WriteFile(filepath.Join(target, emit.ManifestName), withManifest[emit.ManifestName], 0o644)
	code, out, stderr = runMain(t, "plan", "../../examples/small", "--from", dir, "--no-color")
	if code != 0 {
		t.Fatalf("plan exited %d: %s", code, stderr)
	}
	if !strings.Contains(out, "Flows, internal → internal:") || !strings.Contains(out, "port: 1 → ") {
		t.Errorf("the changed flow is not placed in its boundary:\n%s", out)
	}
}

// TestPlanHostilePrevious: a previous output edited to hold terminal
// escapes, markup and table pipes (compared with --allow-edited) cannot
// reach the terminal raw or break the Markdown plan.
func TestPlanHostilePrevious(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "generate", "../../examples/small", "-o", dir); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	file := filepath.Join(dir, "small-lab", "firewall", "flows.csv")
	rows, err := csv.NewReader(mustRead(t, file)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows[1][2] = "10.30.0.0/24\x1b[2J\x1b]0;owned\x07 | <img src=x onerror=alert(1)> [x](https://evil.example)"
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runMain(t, "plan", "../../examples/small", "--from", dir, "--allow-edited")
	if code != 0 {
		t.Fatalf("plan exited %d: %s", code, stderr)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("a control character from the previous output reached the terminal:\n%q", out)
	}
	if !strings.Contains(out, "firewall/flows.csv") || !strings.Contains(out, "source_address:") {
		t.Errorf("the edited file and the changed flow are not reported:\n%s", out)
	}
	_, md, _ := runMain(t, "plan", "../../examples/small", "--from", dir, "--allow-edited", "--format", "markdown")
	if err := toolcheck.Markdown("plan.md", []byte(md)); err != nil {
		t.Error(err)
	}
	if strings.Contains(md, "<img") || strings.Contains(md, "](https://evil") {
		t.Errorf("markup from the previous output reached the Markdown plan:\n%s", md)
	}
}

func mustRead(t *testing.T, file string) *bytes.Reader {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(data)
}

// TestDocumentedDeployments: every complete deployment shown in README.md
// and docs/*.md (an ```hcl block that starts with a deployment block and
// elides nothing with "...") validates with no error and no warning.
func TestDocumentedDeployments(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	docs = append(docs, "../../README.md")
	n := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(data), "```hcl\n")[1:] {
			src, _, _ := strings.Cut(block, "```")
			if !strings.HasPrefix(src, "deployment \"") || strings.Contains(src, "...") {
				continue
			}
			n++
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := runMain(t, "validate", dir)
			if code != 0 || stderr != "" {
				t.Errorf("%s: a documented deployment does not validate cleanly (exit %d):\n%s%s\n%s", doc, code, out, stderr, src)
			}
		}
	}
	if n == 0 {
		t.Fatal("no documented deployment found")
	}
}

// TestPlanUnreadableFromIsUsage: a --from folder that does not exist, is
// not a trgen output or cannot be read is unreadable input, exit 2 as
// docs/ci.md promises, not 1, the code of deployment errors (issue 32).
func TestPlanUnreadableFromIsUsage(t *testing.T) {
	foreign := t.TempDir()
	if err := os.MkdirAll(filepath.Join(foreign, "small-lab"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{filepath.Join(t.TempDir(), "missing"), foreign} {
		if code, _, stderr := runMain(t, "plan", "../../examples/small", "--from", from, "--detailed-exitcode"); code != ExitUsage {
			t.Errorf("--from %s: exit %d, want %d: %s", from, code, ExitUsage, stderr)
		}
	}
}
