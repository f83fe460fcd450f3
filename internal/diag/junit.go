package diag

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes one test case per rule trgen checks: it fails when the
// rule found an error (or a warning under --strict); warnings otherwise go
// to the case's system-out.
func WriteJUnit(w io.Writer, r *Report) error {
	byRule := map[string][]*hcl.Diagnostic{}
	for _, d := range r.Diagnostics {
		byRule[ruleID(d)] = append(byRule[ruleID(d)], d)
	}
	suite := junitSuite{Name: "trgen validate"}
	for _, ru := range rule.All() {
		id := string(ru.ID)
		c := junitCase{Name: id, Classname: "trgen." + id}
		var failing, notes []string
		for _, d := range byRule[id] {
			line := describe(d, r.BaseDir)
			if where, reason, ok := acceptedAt(d, r.BaseDir); ok {
				notes = append(notes, line+" (accepted at "+where+": "+reason+")")
			} else if d.Severity == hcl.DiagError || (r.Strict && d.Severity == hcl.DiagWarning) {
				failing = append(failing, line)
			} else {
				notes = append(notes, line)
			}
		}
		if len(failing) > 0 {
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d finding(s) of %s", len(failing), id), Type: severityWord(ru.Severity), Body: strings.Join(failing, "\n")}
			suite.Failures++
		}
		if len(notes) > 0 {
			c.SystemOut = strings.Join(notes, "\n")
		}
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
	}
	doc := junitSuites{Name: "trgen", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func describe(d *hcl.Diagnostic, base string) string {
	loc := ""
	if s := d.Subject; s != nil && s.Filename != "" {
		loc = fmt.Sprintf("%s:%d:%d: ", relPath(base, s.Filename), s.Start.Line, s.Start.Column)
	}
	return fmt.Sprintf("%s%s: %s. %s", loc, severityWord(d.Severity), d.Summary, d.Detail)
}
