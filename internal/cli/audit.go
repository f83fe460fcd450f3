package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
)

func runAudit(e *env, args []string) int {
	if len(args) == 0 || args[0] != "lint" {
		fmt.Fprintln(e.stderr, "Usage: trgen audit lint PATH... [--as-given] [--auditd-version V] [--format text|json|sarif|junit|github] [--strict] [--client-dir DIR]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return ExitOK
		}
		return ExitUsage
	}
	fs := newFlagSet(e, "audit lint", "audit lint PATH... [flags]")
	asGiven := fs.Bool("as-given", false, "read several files or a folder in the order given, as auditctl -R reads one file, instead of merging them as augenrules does (a single file is always read as given)")
	auditdVersion := fs.String("auditd-version", "", "the endpoints' auditd version, whose syscall table applies (default: the newest trgen has)")
	format := fs.String("format", "text", "diagnostics format: text, json, sarif, junit or github")
	strict := fs.Bool("strict", false, "treat warnings as failures")
	noColor := fs.Bool("no-color", false, "no colour in text output (NO_COLOR is honoured too)")
	clientDir := fs.String("client-dir", "", "the Tanium Client directory whose recorder files must not be watched (default: the Linux default)")
	files, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return usageError(e, err)
	}
	if len(files) == 0 {
		return usageError(e, fmt.Errorf("audit lint needs at least one rules file or rules.d folder"))
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
	read := func(name string) error {
		data, err := load.ReadFile(name, load.MaxFileBytes)
		if err != nil {
			return err
		}
		inputs = append(inputs, auditrule.File{Name: name, Data: data})
		sources[name] = &hcl.File{Bytes: data}
		return nil
	}
	merge := len(files) > 1
	for _, name := range files {
		if info, err := os.Stat(name); err == nil && info.IsDir() {
			merge = true
			// A rules.d folder: the files augenrules reads from it.
			entries, err := os.ReadDir(name)
			if err != nil {
				fmt.Fprintf(e.stderr, "trgen: %v\n", err)
				return ExitUsage
			}
			var names []auditrule.File
			for _, ent := range entries {
				if auditrule.IsRulesFile(ent.Name()) {
					names = append(names, auditrule.File{Name: ent.Name()})
				}
			}
			// In the order augenrules reads them, which --as-given keeps.
			for _, f := range auditrule.SortRulesFiles(names) {
				if err := read(filepath.Join(name, f.Name)); err != nil {
					fmt.Fprintf(e.stderr, "trgen: %v\n", err)
					return ExitUsage
				}
			}
			continue
		}
		if err := read(name); err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
	}
	opts := auditrule.CatalogOptions(cat, dir)
	opts.Merge, opts.AuditdVersion = merge && !*asGiven, *auditdVersion

	res := auditrule.LintSet(inputs, opts)
	diags, lines := res.Diags, res.Lines
	cwd, _ := os.Getwd()
	r := &diag.Report{Diagnostics: diags, Files: sources, Strict: *strict, ToolVersion: Version, BaseDir: cwd, Page: cat.Document.Title}
	if f == diag.Text {
		diag.WriteText(e.stderr, r, colorFor(e, e.stderr, *noColor))
		if res.Merged != nil {
			writeMerged(e.stdout, res.Merged)
		}
		if res.TableNote != "" {
			fmt.Fprintf(e.stdout, "Syscall names checked against auditd %s's tables: %s.\n", res.Table, res.TableNote)
		} else if *auditdVersion == "" {
			fmt.Fprintf(e.stdout, "Syscall names checked against auditd %s's tables (--auditd-version gives the endpoints' own).\n", res.Table)
		}
		errs, warns := r.Counts()
		if r.Failed() {
			fmt.Fprintf(e.stderr, "%s, %s in %s.\n", plural(errs, "error"), plural(warns, "warning"), plural(len(lines), "rule"))
		} else {
			fmt.Fprintf(e.stdout, "%s checked: %s.\n", plural(len(lines), "rule"), plural(warns, "warning"))
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

// writeMerged says what augenrules builds: the files in its order, and
// which file's -D, -b, -f and -e it keeps over which.
func writeMerged(w io.Writer, m *auditrule.Merged) {
	fmt.Fprintf(w, "Merged as augenrules builds it, from %s in this order: %s\n", plural(len(m.Files), "file"), strings.Join(baseNames(m.Files), ", "))
	at := func(l auditrule.MergedLine, opt string) string {
		s := fmt.Sprintf("%s:%d", diag.OneLine(l.File), l.Num)
		if opt != "-D" {
			s += fmt.Sprintf(" (%s)", diag.OneLine(strings.Join(strings.Fields(l.Text), " ")))
		}
		return s
	}
	for _, c := range m.Controls {
		if c.Winner == nil {
			fmt.Fprintf(w, "  %s  not set by any file\n", c.Option)
			continue
		}
		line := "  " + c.Option + "  " + at(*c.Winner, c.Option)
		for i, d := range c.Dropped {
			if i == 0 {
				line += ", over "
			} else {
				line += ", "
			}
			line += at(d, c.Option)
		}
		fmt.Fprintln(w, line)
	}
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = diag.OneLine(filepath.Base(p))
	}
	return out
}
