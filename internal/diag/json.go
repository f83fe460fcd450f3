package diag

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// FormatVersion is the version of the JSON result shape, as Terraform's
// validate -json has one; it changes only when consumers must change.
const FormatVersion = "1.0"

// Result is the JSON form of a validation: the shape of `terraform validate
// -json` plus a rule id per diagnostic. report.json uses it too.
type Result struct {
	FormatVersion string `json:"format_version"`
	Valid         bool   `json:"valid"`
	ErrorCount    int    `json:"error_count"`
	WarningCount  int    `json:"warning_count"`
	// AcceptedCount counts the warnings an accept entry covers; they are
	// listed, with accepted set, and not in warning_count.
	AcceptedCount int          `json:"accepted_count"`
	Diagnostics   []Diagnostic `json:"diagnostics"`
	// Notes say what generate decided on its own (report.json only).
	Notes []string `json:"notes,omitempty"`
}

// Diagnostic is one diagnostic in the JSON form.
type Diagnostic struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
	Range    *Range `json:"range,omitempty"`
	// Accepted is set on a warning an accept entry covers.
	Accepted *Accepted `json:"accepted,omitempty"`
}

// Accepted says how a warning was accepted: the user's reason and the
// accept entry's position ("main.hcl:12:5").
type Accepted struct {
	Reason string `json:"reason"`
	Where  string `json:"where"`
}

// Range is a source range: start inclusive, end exclusive.
type Range struct {
	Filename string `json:"filename"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// Pos is a source position: line and column 1-based, byte 0-based.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// NewResult builds the JSON form of r. valid is false when the run fails
// (errors, or warnings under --strict).
func NewResult(r *Report) Result {
	errs, warns := r.Counts()
	out := Result{FormatVersion: FormatVersion, Valid: !r.Failed(), ErrorCount: errs, WarningCount: warns, AcceptedCount: r.AcceptedCount(), Diagnostics: []Diagnostic{}}
	for _, d := range r.Diagnostics {
		jd := Diagnostic{Severity: severityWord(d.Severity), Rule: ruleID(d), Summary: d.Summary, Detail: d.Detail}
		if s := d.Subject; s != nil && s.Filename != "" {
			jd.Range = &Range{
				Filename: relPath(r.BaseDir, s.Filename),
				Start:    pos(s.Start),
				End:      pos(s.End),
			}
		}
		if where, reason, ok := acceptedAt(d, r.BaseDir); ok {
			jd.Accepted = &Accepted{Reason: reason, Where: where}
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	return out
}

func pos(p hcl.Pos) Pos { return Pos{Line: p.Line, Column: p.Column, Byte: p.Byte} }

// WriteJSON writes exactly one JSON object.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewResult(r))
}
