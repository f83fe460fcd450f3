package check_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/load"
)

// FuzzValidate feeds arbitrary bytes through parse, decode and check. The
// property: it never panics, and every diagnostic that has a position
// points inside the input. Seeds are the example deployments.
func FuzzValidate(f *testing.F) {
	seeds, _ := filepath.Glob("../../examples/*/*.hcl")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	base, err := os.ReadFile("../cli/testdata/base/deploy.hcl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	set, err := catalog.Load()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "fuzz.hcl"
		cfg, diags := load.New().LoadSources(dir, []load.Source{{Name: name, Data: src}}, load.Options{})
		if cfg.Deployment != nil && !diags.HasErrors() {
			diags = append(diags, check.Deployment(cfg.Deployment, set).Diagnostics...)
		}
		for _, d := range diags {
			s := d.Subject
			if s == nil {
				continue
			}
			if s.Filename != name {
				t.Fatalf("diagnostic %q points into %q, not the input", d.Summary, s.Filename)
			}
			if s.Start.Byte < 0 || s.End.Byte > len(src) || s.Start.Byte > s.End.Byte {
				t.Fatalf("diagnostic %q has range %d-%d outside the %d-byte input", d.Summary, s.Start.Byte, s.End.Byte, len(src))
			}
			if s.Start.Line < 1 || s.Start.Column < 1 {
				t.Fatalf("diagnostic %q has position %d:%d", d.Summary, s.Start.Line, s.Start.Column)
			}
		}
	})
}
