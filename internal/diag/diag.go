// Package diag writes hcl.Diagnostics for people and for machines: a
// Terraform-like text form with the source line underlined, a JSON form
// shaped like `terraform validate -json` plus rule ids, SARIF 2.1.0 for code
// scanning, JUnit XML and GitHub Actions workflow commands. Writers see
// diagnostics and source files only; they decide nothing.
package diag

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

// Format names an output format.
type Format string

// The formats of --format.
const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	JUnit  Format = "junit"
	GitHub Format = "github"
)

// Formats lists every format, for usage messages.
var Formats = []Format{Text, JSON, SARIF, JUnit, GitHub}

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q; use one of %s", s, strings.Join(names, ", "))
}

// Report is what a writer needs: the diagnostics, the files they point into
// (for snippets), and the run's context.
type Report struct {
	Diagnostics hcl.Diagnostics
	Files       map[string]*hcl.File
	// Strict makes warnings count as failures (--strict).
	Strict bool
	// ToolVersion is trgen's version, for SARIF.
	ToolVersion string
	// BaseDir makes file names relative in SARIF and annotations; "" keeps them.
	BaseDir string
	// Page is the title of the requirements page the deployment was
	// checked against (the catalog's), which rules cite in SARIF.
	Page string
}

// Counts returns the number of errors and of warnings not accepted:
// an accepted warning fails no run, --strict or not.
func (r *Report) Counts() (errs, warns int) {
	for _, d := range r.Diagnostics {
		switch {
		case d.Severity == hcl.DiagError:
			errs++
		case d.Severity == hcl.DiagWarning && rule.AcceptanceOf(d) == nil:
			warns++
		}
	}
	return errs, warns
}

// AcceptedCount returns the number of accepted warnings.
func (r *Report) AcceptedCount() int {
	n := 0
	for _, d := range r.Diagnostics {
		if rule.AcceptanceOf(d) != nil {
			n++
		}
	}
	return n
}

// acceptedAt is where d was accepted, "file:line:col", and the reason.
func acceptedAt(d *hcl.Diagnostic, base string) (where, reason string, ok bool) {
	a := rule.AcceptanceOf(d)
	if a == nil {
		return "", "", false
	}
	return fmt.Sprintf("%s:%d:%d", relPath(base, a.At.Filename), a.At.Start.Line, a.At.Start.Column), a.Reason, true
}

// Failed reports whether the run fails: errors, or warnings under --strict.
func (r *Report) Failed() bool {
	e, w := r.Counts()
	return e > 0 || (r.Strict && w > 0)
}

// ruleID returns the diagnostic's rule id; every trgen diagnostic has one.
func ruleID(d *hcl.Diagnostic) string {
	if id := rule.Of(d); id != "" {
		return string(id)
	}
	return string(rule.Decode)
}

// severityWord is the lower-case severity name.
func severityWord(s hcl.DiagnosticSeverity) string {
	switch s {
	case hcl.DiagError:
		return "error"
	case hcl.DiagWarning:
		return "warning"
	}
	return "unknown"
}

// relPath returns name relative to base with forward slashes, when it is
// inside base; otherwise name with forward slashes.
func relPath(base, name string) string {
	if base != "" {
		abs := name
		if filepath.IsAbs(base) && !filepath.IsAbs(name) {
			// name is relative to the working directory, base absolute:
			// compare them as absolute paths, so the result does not
			// depend on how the path was written or where trgen ran.
			if a, err := filepath.Abs(name); err == nil {
				abs = a
			}
		}
		if r, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(name)
}

// Sort orders diagnostics by file and position, then rule id, so that output
// follows the source and does not depend on the order checks ran in.
// Diagnostics without a position come first.
func Sort(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		var ar, br hcl.Range
		if a.Subject != nil {
			ar = *a.Subject
		}
		if b.Subject != nil {
			br = *b.Subject
		}
		if ar.Filename != br.Filename {
			return ar.Filename < br.Filename
		}
		if ar.Start.Byte != br.Start.Byte {
			return ar.Start.Byte < br.Start.Byte
		}
		return rule.Of(a) < rule.Of(b)
	})
}

// Write writes the report in format f.
func Write(w io.Writer, f Format, r *Report, color bool) error {
	switch f {
	case Text:
		return WriteText(w, r, color)
	case JSON:
		return WriteJSON(w, r)
	case SARIF:
		return WriteSARIF(w, r)
	case JUnit:
		return WriteJUnit(w, r)
	case GitHub:
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q", f)
}
