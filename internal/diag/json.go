package diag

import (
	"bufio"
	"bytes"
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
	out := resultHead(r)
	out.Diagnostics = []Diagnostic{}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, newDiagnostic(r, d))
	}
	return out
}

func resultHead(r *Report) Result {
	errs, warns := r.Counts()
	return Result{FormatVersion: FormatVersion, Valid: !r.Failed(), ErrorCount: errs, WarningCount: warns, AcceptedCount: r.AcceptedCount()}
}

func newDiagnostic(r *Report, d *hcl.Diagnostic) Diagnostic {
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
	return jd
}

func pos(p hcl.Pos) Pos { return Pos{Line: p.Line, Column: p.Column, Byte: p.Byte} }

// diagnosticsMark stands for the diagnostics array in the encoded head.
const diagnosticsMark = `"\u0000diagnostics\u0000"`

// WriteJSON writes exactly one JSON object, as json.Encoder with a
// two-space indent writes NewResult(r), but one diagnostic at a time: a
// run with a hundred thousand findings is written without holding its
// whole encoding in memory.
func WriteJSON(w io.Writer, r *Report) error {
	res := resultHead(r)
	// Result's fields in Result's order, the diagnostics a mark.
	head := struct {
		FormatVersion string          `json:"format_version"`
		Valid         bool            `json:"valid"`
		ErrorCount    int             `json:"error_count"`
		WarningCount  int             `json:"warning_count"`
		AcceptedCount int             `json:"accepted_count"`
		Diagnostics   json.RawMessage `json:"diagnostics"`
	}{res.FormatVersion, res.Valid, res.ErrorCount, res.WarningCount, res.AcceptedCount, json.RawMessage(diagnosticsMark)}
	data, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	before, after, _ := bytes.Cut(data, []byte(diagnosticsMark))
	bw := bufio.NewWriter(w)
	bw.Write(before)
	if len(r.Diagnostics) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[")
		for i, d := range r.Diagnostics {
			one, err := json.MarshalIndent(newDiagnostic(r, d), "    ", "  ")
			if err != nil {
				return err
			}
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			bw.Write(one)
		}
		bw.WriteString("\n  ]")
	}
	bw.Write(after)
	bw.WriteString("\n")
	return bw.Flush()
}
