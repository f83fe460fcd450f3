package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/rule"
)

func runFmt(e *env, args []string) int {
	fs := newFlagSet(e, "fmt", "fmt [PATH] [-check] [-diff]")
	checkOnly := fs.Bool("check", false, "write nothing; exit 1 if any file needs formatting")
	showDiff := fs.Bool("diff", false, "print the changes as a unified diff")
	noColor := fs.Bool("no-color", false, "no colour in diagnostics")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	_, names, err := load.ConfigFiles(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	files := map[string]*hcl.File{}
	var diags hcl.Diagnostics
	changed := 0
	for _, name := range names {
		if !strings.HasSuffix(name, load.SuffixHCL) {
			continue // HCL JSON syntax has no canonical layout to enforce
		}
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		f, ds := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		files[name] = f
		if ds.HasErrors() {
			for _, d := range ds {
				rule.Tag(d, rule.Syntax)
			}
			diags = append(diags, ds...)
			continue
		}
		out := hclwrite.Format(src)
		if bytes.Equal(src, out) {
			continue
		}
		changed++
		fmt.Fprintln(e.stdout, name)
		if *showDiff {
			e.stdout.Write(diff.Diff(name, src, name+" (formatted)", out))
		}
		if !*checkOnly {
			if err := replaceFile(name, out); err != nil {
				fmt.Fprintf(e.stderr, "trgen: %v\n", err)
				return ExitUsage
			}
		}
	}
	if len(diags) > 0 {
		diag.WriteText(e.stderr, &diag.Report{Diagnostics: diags, Files: files}, colorFor(e, e.stderr, *noColor))
		return ExitInvalid
	}
	if *checkOnly && changed > 0 {
		return ExitInvalid
	}
	return ExitOK
}

// replaceFile writes data over name atomically, keeping its mode.
func replaceFile(name string, data []byte) error {
	info, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; not rewriting it", name)
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".trgen-fmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err = f.Write(data); err == nil {
		err = f.Chmod(info.Mode().Perm())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
