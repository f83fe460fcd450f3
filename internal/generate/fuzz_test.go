package generate_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/toolcheck"
)

// FuzzGenerate drives every planner and renderer: any input that validates
// renders, twice, to identical bytes, and every output passes the checks
// that run in-process (the PowerShell lexer and quoting policy, JSON and
// its schemas, the auditd linter, CSV without formulas, Markdown without
// raw HTML); rendering may fail only with *render.Error (a quoting
// function refusing a value). Seeds: the examples, the reference cases and
// the hostile corpus. The external tools (nft, iptables-restore,
// firewall-offline-cmd, shellcheck) are too slow per input; TestRealTools
// and TestHostileInputs run them.
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob("../../examples/small/*.hcl")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	hostile, _ := filepath.Glob("../../testdata/hostile/cases/*.hcl")
	for _, h := range hostile {
		data, err := os.ReadFile(h)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	cases, _ := filepath.Glob("testdata/*.txtar")
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ar.Files[0].Data)
	}
	set, err := catalog.Load()
	if err != nil {
		f.Fatal(err)
	}
	eng, err := render.New("")
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := load.New().LoadSources(dir, []load.Source{{Name: "f.hcl", Data: src}}, load.Options{})
		if diags.HasErrors() || cfg.Deployment == nil {
			return
		}
		res := check.Deployment(cfg.Deployment, set)
		if res.Diagnostics.HasErrors() {
			return
		}
		h := generate.NewHeader(cfg.Deployment, res.Catalog, "fuzz", cfg.Filenames)
		first, err := renderFiles(eng, cfg.Deployment, res.Catalog, h, res.Diagnostics)
		var re *render.Error
		if err != nil {
			if !errors.As(err, &re) {
				t.Fatalf("render failed with %T: %v", err, err)
			}
			return
		}
		second, err := renderFiles(eng, cfg.Deployment, res.Catalog, h, res.Diagnostics)
		if err != nil {
			t.Fatalf("second render failed: %v", err)
		}
		for p, data := range first {
			if !bytes.Equal(data, second[p]) {
				t.Fatalf("%s differs between two renders", p)
			}
			if bytes.Contains(data, []byte("<no value>")) {
				t.Fatalf("%s holds <no value>", p)
			}
			if _, err := toolcheck.InProcess(p, data); err != nil {
				t.Fatal(err)
			}
		}
	})
}
