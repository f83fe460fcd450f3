package cli

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/toolcheck"
)

// yamlAsJSON reads a YAML file into the values a JSON Schema validates.
func yamlAsJSON(t *testing.T, path string, into any) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if into != nil {
		json.Unmarshal(js, into)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// buildTrgen builds the trgen binary into a temporary bin directory.
func buildTrgen(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	// Static, as the Makefile builds the released binary (docs/security.md).
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "trgen"), "github.com/trgen/trgen/cmd/trgen")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// TestActionYAML validates action.yml against its schema, then runs the
// action's own run steps (not the install and the SARIF upload, which
// need GitHub) with bash against the examples, as a runner would.
func TestActionYAML(t *testing.T) {
	var action struct {
		Runs struct {
			Steps []struct {
				ID  string            `json:"id"`
				Run string            `json:"run"`
				Env map[string]string `json:"env"`
			} `json:"steps"`
		} `json:"runs"`
	}
	doc := yamlAsJSON(t, "../../action.yml", &action)
	sch, err := jsondoc.CompileSchema("github-action.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	bin := buildTrgen(t)
	run := func(step int, env map[string]string) (string, error) {
		script := action.Runs.Steps[step].Run
		tmp := t.TempDir()
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+filepath.Join(tmp, "out"))
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		outputs, _ := os.ReadFile(filepath.Join(tmp, "out"))
		return string(out) + string(outputs), err
	}
	idx := map[string]int{}
	for i, s := range action.Runs.Steps {
		if s.ID != "" {
			idx[s.ID] = i
		}
		if strings.Contains(s.Run, "trgen generate") {
			idx["check"] = i
		}
	}
	out, err := run(idx["validate"], map[string]string{"TRGEN_PATH": "examples/small", "TRGEN_STRICT": "false"})
	if err != nil || !strings.Contains(out, "status=0") || !strings.Contains(out, "sarif=") {
		t.Errorf("validate step on a valid example: %v\n%s", err, out)
	}
	out, _ = run(idx["validate"], map[string]string{"TRGEN_PATH": "examples/invalid/client-versions.hcl", "TRGEN_STRICT": "false"})
	if !strings.Contains(out, "status=1") || !strings.Contains(out, "::error ") {
		t.Errorf("validate step on an invalid example: want status=1 and annotations\n%s", out)
	}
	if out, err := run(idx["check"], map[string]string{"TRGEN_PATH": "examples/small", "TRGEN_OUT": "out"}); err != nil {
		t.Errorf("drift check against the committed out/: %v\n%s", err, out)
	}
	// The plan step against the committed out/: no changes, and the
	// Markdown plan lands in the job summary.
	summary := filepath.Join(t.TempDir(), "summary.md")
	out, err = run(idx["plan"], map[string]string{"TRGEN_PATH": "examples/small", "TRGEN_PLAN_FROM": "out", "GITHUB_STEP_SUMMARY": summary})
	got, _ := os.ReadFile(summary)
	if err != nil || !strings.Contains(out, "changes=false") || !strings.Contains(string(got), "# Incremental firewall change request: small-lab") {
		t.Errorf("plan step: %v\n%s\nsummary:\n%s", err, out, got)
	}
}

// TestPreCommitHooks runs each hook's entry as pre-commit would (no file
// names): clean on the examples, failing on an invalid deployment.
func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID    string `json:"id"`
		Entry string `json:"entry"`
	}
	yamlAsJSON(t, "../../.pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 2 {
		t.Fatalf("%d hooks", len(hooks))
	}
	for _, h := range hooks {
		args := strings.Fields(h.Entry)
		if args[0] != "trgen" {
			t.Fatalf("hook %s runs %s", h.ID, args[0])
		}
		var out, errb bytes.Buffer
		if code := Main(append(args[1:], "../../examples/small"), nil, &out, &errb); code != ExitOK {
			t.Errorf("hook %s on examples/small: exit %d\n%s", h.ID, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := Main([]string{"validate", "../../examples/invalid/roles.hcl"}, nil, &out, &errb); code != ExitInvalid {
		t.Errorf("validate hook on an invalid file: exit %d", code)
	}
}

// TestFuzzTargetsListed keeps the Makefile's FUZZ_TARGETS (what CI fuzzes)
// equal to the fuzz functions in the code.
func TestFuzzTargetsListed(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(internal/[a-z/]+):(Fuzz[A-Za-z]+)`).FindAllStringSubmatch(string(mk), -1) {
		listed[m[1]+":"+m[2]] = true
	}
	found := map[string]bool{}
	err = filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != "../.." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // .git, .cache
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`(?m)^func (Fuzz[A-Za-z]+)\(`).FindAllStringSubmatch(string(src), -1) {
			found[filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, "../../")))+":"+m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(found, listed); diff != "" {
		t.Errorf("Makefile FUZZ_TARGETS differ from the fuzz functions (-code +Makefile):\n%s", diff)
	}
}

// TestDocsMarkdownlint lints the hand-written and generated documentation
// with markdownlint-cli2, under the configuration the generated Markdown
// outputs use.
func TestDocsMarkdownlint(t *testing.T) {
	docs, _ := filepath.Glob("../../docs/*.md")
	docs = append(docs, "../../README.md", "../../CHANGELOG.md", "../../out/README.md")
	if err := toolcheck.Markdownlint(t, "../../.markdownlint-cli2.jsonc", docs...); err != nil {
		t.Error(err)
	}
}
