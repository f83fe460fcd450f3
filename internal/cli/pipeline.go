package cli

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/rule"
)

// validation is the result of loading and checking a configuration.
type validation struct {
	config *load.Config
	check  check.Result
	report *diag.Report
}

// validatePath loads the configuration at path and checks it. err is set
// only when the path cannot be read at all (exit 2).
func validatePath(e *env, path string, cf *checkFlags, strict bool) (*validation, error) {
	set, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	cwd, _ := os.Getwd()
	if cf.catalog != nil && *cf.catalog != "" {
		data, err := load.ReadFile(*cf.catalog, cf.limits.MaxFileBytes)
		if err != nil {
			return nil, fmt.Errorf("--catalog: %w", err)
		}
		var cdiags hcl.Diagnostics
		if set, cdiags = catalog.LoadFile(*cf.catalog, data); cdiags.HasErrors() {
			files := map[string]*hcl.File{*cf.catalog: {Bytes: data}}
			return &validation{report: &diag.Report{Diagnostics: cdiags, Files: files, Strict: strict, ToolVersion: Version, BaseDir: cwd}}, nil
		}
	}
	l := load.New()
	stop := guardTime(e.stderr, evalLimit(e.getenv), "evaluating the configuration")
	defer stop()
	cfg, diags, err := l.LoadPath(path, load.Options{Vars: cf.vars, Env: e.environ, Limits: cf.limits})
	if err != nil {
		return nil, err
	}
	v := &validation{config: cfg}
	if cfg.Deployment != nil && !blocksChecking(diags) {
		v.check = check.Deployment(cfg.Deployment, set)
		diags = append(diags, v.check.Diagnostics...)
	}
	diag.Sort(diags)
	files := l.Files()
	for name, data := range v.check.Sources() {
		files[name] = &hcl.File{Bytes: data}
	}
	page := set.Latest().Document.Title
	if v.check.Catalog != nil {
		page = v.check.Catalog.Document.Title
	}
	v.report = &diag.Report{Diagnostics: diags, Files: files, Strict: strict, ToolVersion: Version, BaseDir: cwd, Page: page}
	return v, nil
}

// blocksChecking reports whether loading failed in a way the checks
// depend on: any error but an accept entry's, which the model does not
// hold, so the checks' findings are reported beside it.
func blocksChecking(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && rule.Of(d) != rule.AcceptInvalid {
			return true
		}
	}
	return false
}

// colorFor reports whether w is a terminal that should get colour.
func colorFor(e *env, w any, noColor bool) bool {
	if noColor || e.getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a terminal: the one test for colour and
// for fleet's progress bar.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
