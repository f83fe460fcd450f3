package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/userfile"
)

func runFmt(e *env, args []string) int {
	fs := newFlagSet(e, "fmt", "fmt [PATH] [-check] [-diff]")
	checkOnly := fs.Bool("check", false, "write nothing; exit 1 if any file needs formatting")
	showDiff := fs.Bool("diff", false, "print the changes as a unified diff")
	noColor := fs.Bool("no-color", false, "no colour in diagnostics")
	maxBytes := fs.Int64("max-file-bytes", load.DefaultLimits.MaxFileBytes, "refuse files larger than this")
	maxDepth := fs.Int("max-depth", load.DefaultLimits.MaxDepth, "refuse expressions nested deeper than this")
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
	failed := false // a file that could not be rewritten; the others are
	for _, name := range names {
		if !strings.HasSuffix(name, load.SuffixHCL) {
			continue // HCL JSON syntax has no canonical layout to enforce
		}
		data, err := load.ReadFile(name, *maxBytes)
		if _, ok := err.(*load.TooLargeError); ok {
			fmt.Fprintf(e.stderr, "trgen: %v; files may be at most %d bytes (--max-file-bytes)\n", err, *maxBytes)
			return ExitUsage
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %v\n", err)
			return ExitUsage
		}
		// A byte order mark is kept: formatted after it, written back with it.
		bom, src := splitBOM(data)
		if d := load.CheckDepth(name, src, *maxDepth); d != nil {
			files[name] = &hcl.File{Bytes: src}
			diags = append(diags, d)
			continue
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
			if err := userfile.Replace(name, append(bom, out...)); err != nil {
				fmt.Fprintf(e.stderr, "trgen: %v\n", err)
				failed = true
			}
		}
	}
	if len(diags) > 0 {
		diag.WriteText(e.stderr, &diag.Report{Diagnostics: diags, Files: files}, colorFor(e, e.stderr, *noColor))
		return ExitInvalid
	}
	if failed {
		return ExitUsage
	}
	if *checkOnly && changed > 0 {
		return ExitInvalid
	}
	return ExitOK
}

// utf8BOM is the byte order mark some Windows editors put first.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// splitBOM separates a leading byte order mark from the text.
func splitBOM(data []byte) (bom, text []byte) {
	if bytes.HasPrefix(data, utf8BOM) {
		return utf8BOM, data[len(utf8BOM):]
	}
	return nil, data
}
