package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/emit"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/render"
)

// writer is the emit.Writer generate uses; tests replace it.
var newWriter = func() *emit.Writer { return &emit.Writer{} }

func runGenerate(e *env, args []string) int {
	fs := newFlagSet(e, "generate", "generate [PATH] -o DIR [--check [--diff]] [flags]")
	cf := addCheckFlags(fs)
	outDir := fs.String("o", "", "output directory; files go to DIR/<deployment label>/ (required)")
	check := fs.Bool("check", false, "write nothing; exit 1 and list the files that differ from what would be written")
	showDiff := fs.Bool("diff", false, "with --check, print unified diffs")
	tmplDir := fs.String("templates", "", "directory of templates overriding the built-in ones, file by file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	if *outDir == "" {
		return usageError(e, fmt.Errorf("generate needs -o DIR"))
	}
	f, err := diag.ParseFormat(*cf.format)
	if err != nil {
		return usageError(e, err)
	}
	engine, err := render.New(*tmplDir)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	v, err := validatePath(e, path, cf, *cf.strict)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if v.report.Failed() {
		if err := writeReport(e, f, v.report, *cf.noColor); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		fmt.Fprintln(e.stderr, "Nothing was written.")
		return ExitInvalid
	}
	if len(v.report.Diagnostics) > 0 {
		diag.WriteText(e.stderr, v.report, colorFor(e, e.stderr, *cf.noColor))
	}
	d, cat := v.config.Deployment, v.check.Catalog
	header := generate.NewHeader(d, cat, Version, v.config.Filenames)
	files, err := generate.Files(engine, d, cat, header, v.report.Diagnostics)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	// report.json: the validation result, with file names relative to the
	// configuration directory so the output does not depend on where trgen ran.
	rep := *v.report
	rep.BaseDir = absDir(v.config.Dir)
	result := diag.NewResult(&rep)
	result.Notes = generate.Notes(d)
	report, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	files["report.json"] = append(report, '\n')
	if err := generate.Verify(files); err != nil {
		fmt.Fprintf(e.stderr, "trgen: internal error, nothing was written: %v\n", err)
		return ExitUsage
	}
	files, err = emit.WithManifest(files, emit.Meta{TrgenVersion: Version, CatalogVersion: cat.CatalogVersion, Deployment: d.Name})
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if *check {
		return checkDrift(e, *outDir, d.Name, files, *showDiff)
	}
	if err := newWriter().Write(*outDir, d.Name, files); err != nil {
		fmt.Fprintf(e.stderr, "trgen: writing %s: %v\nThe previous output, if any, is unchanged.\n", filepath.Join(*outDir, d.Name), err)
		return ExitUsage
	}
	fmt.Fprintf(e.stdout, "Wrote %d files to %s.\n", len(files), filepath.Join(*outDir, d.Name))
	return ExitOK
}

// checkDrift lists how DIR/<deployment> differs from files; exit 1 on drift.
func checkDrift(e *env, dir, deployment string, files map[string][]byte, showDiff bool) int {
	d, err := emit.Compare(dir, deployment, files)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	target := filepath.Join(dir, deployment)
	if d.Empty() {
		fmt.Fprintf(e.stdout, "%s is up to date.\n", target)
		return ExitOK
	}
	report := func(kind string, paths []string) {
		for _, p := range paths {
			fmt.Fprintf(e.stdout, "%s: %s\n", kind, filepath.Join(target, p))
			if !showDiff {
				continue
			}
			var old, new []byte
			if kind != "missing" {
				old, _ = os.ReadFile(filepath.Join(target, filepath.FromSlash(p)))
			}
			if kind != "extra" {
				new = files[p]
			}
			e.stdout.Write(diff.Diff(filepath.Join(target, p), old, "generated/"+p, new))
		}
	}
	report("missing", d.Missing)
	report("changed", d.Changed)
	report("extra", d.Extra)
	fmt.Fprintf(e.stderr, "%s is out of date: run trgen generate to update it.\n", target)
	return ExitInvalid
}

func absDir(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
