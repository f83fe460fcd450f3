package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

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
	force := fs.Bool("force", false, "replace DIR/<deployment> even if it holds files trgen did not write (they are deleted and listed)")
	lockTimeout := fs.Duration("lock-timeout", -1, "give up after this long if another run is writing the same output folder (default: wait)")
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
	report, err := reportJSON(v)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	meta := emit.Meta{TrgenVersion: Version, CatalogVersion: cat.CatalogVersion, Deployment: d.Name}
	target := filepath.Join(*outDir, d.Name)
	if *check {
		files, err := renderAll(engine, v, report)
		if err != nil {
			return generateFailed(e, err, target)
		}
		files, err = emit.WithManifest(files, meta)
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		return checkDrift(e, *outDir, d.Name, files, *showDiff)
	}
	opts := emit.Options{
		Force:       *force,
		Inputs:      runInputs(v, cf, *tmplDir),
		LockTimeout: *lockTimeout,
		Waiting: func(holder string) {
			fmt.Fprintf(e.stderr, "Waiting for %s, which is writing %s ...\n", holder, target)
		},
	}
	return writeOutput(e, engine, v, report, meta, *outDir, opts)
}

// runInputs are the files a run reads (the deployment's, those its
// file() calls read, -var-file's, --templates and --catalog), which
// generate never writes over and plan --out never replaces.
func runInputs(v *validation, cf *checkFlags, tmplDir string) []string {
	inputs := append(append([]string{}, v.config.Filenames...), v.config.Reads...)
	for _, a := range cf.vars {
		if a.File != "" {
			inputs = append(inputs, a.File)
		}
	}
	if tmplDir != "" {
		inputs = append(inputs, tmplDir)
	}
	if *cf.catalog != "" {
		inputs = append(inputs, *cf.catalog)
	}
	return inputs
}

// writeOutput renders, verifies and writes every file of a validated
// deployment into a new folder beside DIR/<deployment>, then swaps it in
// place of the previous output and says what changed.
func writeOutput(e *env, engine *render.Engine, v *validation, report []byte, meta emit.Meta, outDir string, opts emit.Options) int {
	d, cat := v.config.Deployment, v.check.Catalog
	target := filepath.Join(outDir, d.Name)
	pending, err := newWriter().Begin(outDir, d.Name, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\nNothing was written.\n", err)
		return ExitUsage
	}
	defer pending.Abort()
	verifier := generate.NewVerifier()
	keep := verifiedSink(verifier)(func(p string, data []byte) error {
		if err := pending.Add(p, data); err != nil {
			return &writeError{err}
		}
		return nil
	})
	if err := keep("report.json", report); err != nil {
		return generateFailed(e, err, target)
	}
	header := generate.NewHeader(d, cat, Version, v.config.Filenames).WithBaseDir(absDir(v.config.Dir))
	if err := generate.StreamPlanned(engine, d, cat, header, v.report.Diagnostics, v.check.Planned, keep); err != nil {
		return generateFailed(e, err, target)
	}
	if err := verifier.Finish(); err != nil {
		return generateFailed(e, &unverifiedError{err}, target)
	}
	manifest, err := pending.Manifest(meta)
	if err == nil {
		err = pending.Add(emit.ManifestName, manifest)
	}
	if err != nil {
		return generateFailed(e, &writeError{err}, target)
	}
	sum, err := pending.Commit()
	var cleanup *emit.CleanupError
	if err != nil && !errors.As(err, &cleanup) {
		return generateFailed(e, &writeError{err}, target)
	}
	if sum.Restored != "" {
		fmt.Fprintf(e.stderr, "Restored the previous output of %s from %s, where an interrupted run had moved it.\n", target, sum.Restored)
	}
	if len(sum.Forced) > 0 {
		fmt.Fprintf(e.stderr, "--force: deleted %s trgen did not write: %s\n", plural(len(sum.Forced), "entry"), strings.Join(sum.Forced, ", "))
	}
	// MANIFEST.json is written every run and counted apart, so the
	// counts add up to the files.
	files := sum.Files - 1
	fmt.Fprintf(e.stdout, "Wrote %s and %s to %s: %d added, %d changed, %d unchanged; %d removed.\n", plural(files, "file"), emit.ManifestName, target,
		sum.Added, sum.Changed, files-sum.Added-sum.Changed, sum.Removed)
	if cleanup != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", cleanup)
		return ExitUsage
	}
	return ExitOK
}

// reportJSON is report.json: the validation result, with file names
// relative to the configuration directory so the output does not depend
// on where trgen ran.
func reportJSON(v *validation) ([]byte, error) {
	rep := *v.report
	rep.BaseDir = absDir(v.config.Dir)
	result := diag.NewResult(&rep)
	result.Notes = generate.Notes(v.config.Deployment, v.check.Catalog, v.check.Planned)
	report, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(report, '\n'), nil
}

// verifiedSink wraps a sink so that every file is verified before it is
// kept; rendering, verifying and writing overlap, file by file, on all
// cores.
func verifiedSink(verifier *generate.Verifier) func(render.Sink) render.Sink {
	return func(keep render.Sink) render.Sink {
		return func(p string, data []byte) error {
			if err := verifier.File(p, data); err != nil {
				return &unverifiedError{err}
			}
			return keep(p, data)
		}
	}
}

// renderAll renders every output of a validated deployment in memory,
// verified, with report.json: what generate would write, without
// MANIFEST.json.
func renderAll(engine *render.Engine, v *validation, report []byte) (map[string][]byte, error) {
	d, cat := v.config.Deployment, v.check.Catalog
	header := generate.NewHeader(d, cat, Version, v.config.Filenames).WithBaseDir(absDir(v.config.Dir))
	verifier := generate.NewVerifier()
	keepVerified := verifiedSink(verifier)
	return render.Collect(func(sink render.Sink) error {
		keep := keepVerified(sink)
		if err := keep("report.json", report); err != nil {
			return err
		}
		if err := generate.StreamPlanned(engine, d, cat, header, v.report.Diagnostics, v.check.Planned, keep); err != nil {
			return err
		}
		if err := verifier.Finish(); err != nil {
			return &unverifiedError{err}
		}
		return nil
	})
}

// unverifiedError is a rendered file that fails its own schema: a bug in
// trgen or in a --templates override, never the user's input.
type unverifiedError struct{ err error }

func (u *unverifiedError) Error() string { return u.err.Error() }

func (u *unverifiedError) Unwrap() error { return u.err }

// writeError is a failure to write the output folder.
type writeError struct{ err error }

func (w *writeError) Error() string { return w.err.Error() }

func (w *writeError) Unwrap() error { return w.err }

// generateFailed reports why generating into target failed; nothing of
// the new output remains and the previous one is unchanged.
func generateFailed(e *env, err error, target string) int {
	var (
		u *unverifiedError
		w *writeError
	)
	switch {
	case errors.As(err, &u):
		fmt.Fprintf(e.stderr, "trgen: internal error, nothing was written: %v\n", err)
	case errors.As(err, &w):
		var swapErr *emit.SwapError
		if errors.As(err, &swapErr) {
			fmt.Fprintf(e.stderr, "trgen: writing %s: %v\n", target, err)
			break
		}
		fmt.Fprintf(e.stderr, "trgen: writing %s: %v\nThe previous output, if any, is unchanged.\n", target, err)
	default:
		fmt.Fprintf(e.stderr, "trgen: %v\nNothing was written.\n", err)
	}
	return ExitUsage
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
			fmt.Fprintf(e.stdout, "%s: %s\n", kind, safeText(filepath.Join(target, p)))
			if !showDiff {
				continue
			}
			var old, new []byte
			if kind == "changed" {
				old = d.Old[p]
			}
			if kind != "extra" {
				new = files[p]
			}
			e.stdout.Write(diff.Diff(safeText(filepath.Join(target, p)), old, "generated/"+safeText(p), new))
		}
	}
	report("missing", d.Missing)
	report("changed", d.Changed)
	report("extra", d.Extra)
	for _, p := range slices.Sorted(maps.Keys(d.Foreign)) {
		fmt.Fprintf(e.stdout, "not trgen's file: %s (%s, not read)\n", safeText(filepath.Join(target, p)), d.Foreign[p])
	}
	fmt.Fprintf(e.stderr, "%s is out of date: run trgen generate to update it.\n", target)
	return ExitInvalid
}

func absDir(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return dir
}
