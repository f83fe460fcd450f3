package generate_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/catalog/catalogtest"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/toolcheck"
	"github.com/trgen/trgen/templates"
)

// renderSources validates and renders a configuration; it fails the test
// on any error diagnostic.
func renderSources(t *testing.T, dir string, srcs []load.Source) map[string][]byte {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return renderWith(t, dir, srcs, set)
}

// renderCase renders a reference case: its deploy.hcl, checked against its
// catalog.json when the archive has one (a catalog given with --catalog),
// else against trgen's own catalogs.
func renderCase(t *testing.T, ar *txtar.Archive) map[string][]byte {
	t.Helper()
	var src, cat []byte
	for _, f := range ar.Files {
		switch f.Name {
		case "deploy.hcl":
			src = f.Data
		case caseCatalog:
			cat = f.Data
		}
	}
	srcs := []load.Source{{Name: "deploy.hcl", Data: src}}
	if cat == nil {
		return renderSources(t, t.TempDir(), srcs)
	}
	set, diags := catalog.LoadFile(caseCatalog, cat)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", caseCatalog, diags)
	}
	return renderWith(t, t.TempDir(), srcs, set)
}

// caseCatalog is the name of a reference case's own catalog.
const caseCatalog = "catalog.json"

func renderWith(t *testing.T, dir string, srcs []load.Source, set *catalog.Set) map[string][]byte {
	t.Helper()
	cfg, diags := load.New().LoadSources(dir, srcs, load.Options{})
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	res := check.Deployment(cfg.Deployment, set)
	if hcl.Diagnostics(res.Diagnostics).HasErrors() {
		t.Fatalf("check: %v", res.Diagnostics)
	}
	eng, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	h := generate.NewHeader(cfg.Deployment, res.Catalog, "test", cfg.Filenames)
	files, err := renderFiles(eng, cfg.Deployment, res.Catalog, h, res.Diagnostics)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func renderDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	return renderSources(t, dir, dirSources(t, dir))
}

// dirSources reads the configuration files of the folder dir.
func dirSources(t *testing.T, dir string) []load.Source {
	t.Helper()
	_, names, err := load.ConfigFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []load.Source
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, load.Source{Name: n, Data: data})
	}
	return srcs
}

func cases(t *testing.T) []string {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no reference cases")
	}
	return files
}

// TestReferenceOutputs renders each testdata case and compares every file
// with the archive's reference sections (Aerleon-style .ref outputs, one
// case per target). UPDATE_GOLDEN=1 rewrites the archives.
func TestReferenceOutputs(t *testing.T) {
	for _, file := range cases(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var inputs []txtar.File
			want := map[string]string{}
			for _, f := range ar.Files {
				if f.Name == "deploy.hcl" || f.Name == caseCatalog {
					inputs = append(inputs, f)
				} else {
					want[f.Name] = string(f.Data)
				}
			}
			got := renderCase(t, ar)
			// An archive keeps the output family it is about: its
			// comment's "outputs:" line lists the path prefixes kept
			// (every output without one).
			if prefixes := archiveOutputs(ar.Comment); prefixes != nil {
				for p := range got {
					if !slices.ContainsFunc(prefixes, func(pre string) bool { return strings.HasPrefix(p, pre) }) {
						delete(got, p)
					}
				}
				if len(got) == 0 {
					t.Fatalf("its outputs: line %q keeps no output", prefixes)
				}
			}
			if golden.Update() {
				out := &txtar.Archive{Comment: ar.Comment, Files: inputs}
				for _, p := range sortedKeys(got) {
					out.Files = append(out.Files, txtar.File{Name: p, Data: got[p]})
				}
				if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			gotS := map[string]string{}
			for p, d := range got {
				gotS[p] = string(d)
			}
			if diff := cmp.Diff(want, gotS); diff != "" {
				t.Errorf("outputs differ from the reference (-want +got):\n%s\nRun `make update` if intended.", diff)
			}
		})
	}
}

// archiveOutputs are the path prefixes of a reference archive comment's
// "outputs:" line, nil without one.
func archiveOutputs(comment []byte) []string {
	for _, line := range strings.Split(string(comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "outputs:"); ok {
			return strings.Fields(rest)
		}
	}
	return nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestRealTools writes every file generated for every example and
// reference case and checks each with the tool that reads it.
func TestRealTools(t *testing.T) {
	var inputs []struct {
		name  string
		files map[string][]byte
	}
	dirs, _ := filepath.Glob("../../examples/*")
	// The starter `trgen init` writes is checked like the examples.
	dirs = append(dirs, "../starter/files")
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() || filepath.Base(d) == "invalid" {
			continue
		}
		inputs = append(inputs, struct {
			name  string
			files map[string][]byte
		}{d, renderDir(t, d)})
	}
	for _, c := range cases(t) {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, struct {
			name  string
			files map[string][]byte
		}{c, renderCase(t, ar)})
	}
	checked := map[string]int{}
	var ps1 []string
	for _, in := range inputs {
		dir := t.TempDir()
		for _, p := range sortedKeys(in.files) {
			full := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, in.files[p], 0o644); err != nil {
				t.Fatal(err)
			}
			ok, err := toolcheck.File(t, full)
			if err != nil {
				t.Errorf("%s: %v", in.name, err)
			}
			if ok {
				checked[filepath.Ext(p)]++
			}
			if strings.HasSuffix(p, ".ps1") {
				ps1 = append(ps1, full)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "firewall", "capirca")); err == nil {
			n, err := toolcheck.Capirca(t, filepath.Join(dir, "firewall", "capirca"))
			if err != nil {
				t.Errorf("%s: %v", in.name, err)
			}
			checked["aclgen"] += n
		}
	}
	if err := toolcheck.PowerShellGrammar(t, ps1...); err != nil {
		t.Error(err)
	}
	checked["ps1-grammar"] = len(ps1)
	for _, ext := range []string{".nft", ".iptables", ".ip6tables", ".xml", ".ps1", ".sh", ".json", ".rules", ".csv", ".md", ".mobileconfig", "aclgen", "ps1-grammar"} {
		if checked[ext] == 0 {
			t.Errorf("no %s file was checked; the inputs do not cover that target", ext)
		}
	}
	t.Logf("checked with real tools: %v", checked)
}

// TestDeterministic renders the enterprise example twice, and once with the
// deployment's blocks in reverse order, and requires identical bytes.
func TestDeterministic(t *testing.T) {
	dir := "../../examples/enterprise"
	first := renderDir(t, dir)
	if diff := cmp.Diff(first, renderDir(t, dir)); diff != "" {
		t.Fatalf("two runs differ:\n%s", diff)
	}
	_, names, err := load.ConfigFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []load.Source
	reversed := false
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(n, "main.hcl") {
			data = reverseBlocks(t, data)
			reversed = true
		}
		srcs = append(srcs, load.Source{Name: n, Data: data})
	}
	if !reversed {
		t.Fatal("main.hcl not found")
	}
	if diff := cmp.Diff(first, renderSources(t, dir, srcs)); diff != "" {
		t.Errorf("reordering the input changed the output:\n%s", diff)
	}
}

// reverseBlocks reverses the order of the nested blocks of every top-level
// block, with hclwrite.
func reverseBlocks(t *testing.T, src []byte) []byte {
	f, diags := hclwrite.ParseConfig(src, "main.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, top := range f.Body().Blocks() {
		body := top.Body()
		blocks := body.Blocks()
		for _, b := range blocks {
			body.RemoveBlock(b)
		}
		for i := len(blocks) - 1; i >= 0; i-- {
			body.AppendBlock(blocks[i])
		}
	}
	out := f.Bytes()
	if bytes.Equal(out, src) {
		t.Fatal("reordering changed nothing")
	}
	return out
}

// renderFiles renders every output of d in memory, by path: generate's
// Stream into render.Collect, as --check does.
func renderFiles(eng *render.Engine, d *model.Deployment, c *catalog.Catalog, h generate.Header, diags hcl.Diagnostics) (map[string][]byte, error) {
	return render.Collect(func(sink render.Sink) error { return generate.Stream(eng, d, c, h, diags, sink) })
}

// TestTemplatesCiteTheCatalogsPage: no template names the requirements
// page in its own text; a citation takes the title from the catalog
// (Header.Page, Source.PageTitle), so a deployment checked against
// another catalog cites that catalog's page.
func TestTemplatesCiteTheCatalogsPage(t *testing.T) {
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		for _, cite := range []string{"Threat Response requirements,", "(Threat Response requirements"} {
			if strings.Contains(string(src), cite) {
				t.Errorf("%s cites the page by a title of its own: %q", p, cite)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPreflightCitesTheCatalogsPage: the runbook's pre-flight table cites
// each check that rests on the requirements page by the title of the
// catalog the deployment was checked against, not a title the rule
// registry keeps of its own.
func TestPreflightCitesTheCatalogsPage(t *testing.T) {
	other, c := catalogtest.Retitled(t, "Another requirements page")
	dir := "../../examples/small"
	files := renderWith(t, dir, dirSources(t, dir), other)
	md := string(files["runbook/runbook.md"])
	_, table, ok := strings.Cut(md, "## Pre-flight checks")
	if !ok {
		t.Fatal("runbook.md has no pre-flight table")
	}
	var onPage int
	for _, row := range strings.Split(table, "\n") {
		if !strings.HasPrefix(row, "| `") {
			continue
		}
		cells := strings.Split(row, " | ")
		source := strings.TrimSuffix(cells[len(cells)-1], " |")
		if strings.Contains(source, c.Document.Title) {
			t.Errorf("%s cites the bundled page: %q", cells[0], source)
		}
		if strings.HasPrefix(source, "Another requirements page") {
			onPage++
		}
	}
	if onPage < 20 {
		t.Errorf("%d checks cite the catalog's page, want the twenty and more that rest on it", onPage)
	}
}
