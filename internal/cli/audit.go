package cli

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
)

func runAudit(e *env, args []string) int {
	if len(args) == 0 || args[0] != "lint" {
		fmt.Fprintln(e.stderr, "Usage: trgen audit lint FILE... [--format text|json|sarif|junit|github] [--strict] [--client-dir DIR]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return ExitOK
		}
		return ExitUsage
	}
	fs := newFlagSet(e, "audit lint", "audit lint FILE... [flags]")
	format := fs.String("format", "text", "diagnostics format: text, json, sarif, junit or github")
	strict := fs.Bool("strict", false, "treat warnings as failures")
	noColor := fs.Bool("no-color", false, "no colour in text output (NO_COLOR is honoured too)")
	clientDir := fs.String("client-dir", "", "the Tanium Client directory whose recorder files must not be watched (default: the Linux default)")
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return usageError(e, err)
	}
	if len(files) == 0 {
		return usageError(e, fmt.Errorf("audit lint needs at least one rules file"))
	}
	f, err := diag.ParseFormat(*format)
	if err != nil {
		return usageError(e, err)
	}
	set, err := catalog.Load()
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	cat := set.Latest()
	dir := *clientDir
	if dir == "" {
		dir = cat.Client.DefaultDirs["linux"]
	}
	var inputs []auditrule.File
	sources := map[string]*hcl.File{}
	for _, name := range files {
		data, err := load.ReadFile(name, load.MaxFileBytes)
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		inputs = append(inputs, auditrule.File{Name: name, Data: data})
		sources[name] = &hcl.File{Bytes: data}
	}
	diags, lines := auditrule.Lint(inputs, auditrule.CatalogOptions(cat, dir))
	cwd, _ := os.Getwd()
	r := &diag.Report{Diagnostics: diags, Files: sources, Strict: *strict, ToolVersion: Version, BaseDir: cwd, Page: cat.Document.Title}
	if f == diag.Text {
		diag.WriteText(e.stderr, r, colorFor(e, e.stderr, *noColor))
		errs, warns := r.Counts()
		if r.Failed() {
			fmt.Fprintf(e.stderr, "%s, %s in %d rules.\n", plural(errs, "error"), plural(warns, "warning"), len(lines))
		} else {
			fmt.Fprintf(e.stdout, "%d rules checked: %s.\n", len(lines), plural(warns, "warning"))
		}
	} else if err := writeReport(e, f, r, *noColor); err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if r.Failed() {
		return ExitInvalid
	}
	return ExitOK
}
