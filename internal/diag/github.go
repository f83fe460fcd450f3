package diag

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes one workflow command per diagnostic (::error or
// ::warning with file, line, col, endLine, endColumn and the rule as title).
// GitHub shows at most 10 of each per step, so callers also print the text
// form elsewhere.
func WriteGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		cmd := severityWord(d.Severity)
		if cmd != "error" && cmd != "warning" {
			cmd = "notice"
		}
		accepted := ""
		if where, reason, ok := acceptedAt(d, r.BaseDir); ok {
			cmd, accepted = "notice", "\n\nAccepted at "+where+": "+reason
		}
		props := []string{"title=" + escapeProperty("trgen "+ruleID(d))}
		if s := d.Subject; s != nil && s.Filename != "" {
			props = append(props,
				"file="+escapeProperty(relPath(r.BaseDir, s.Filename)),
				fmt.Sprintf("line=%d", s.Start.Line),
				fmt.Sprintf("endLine=%d", s.End.Line))
			if s.Start.Line == s.End.Line {
				props = append(props, fmt.Sprintf("col=%d", s.Start.Column), fmt.Sprintf("endColumn=%d", s.End.Column))
			}
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += "\n\n" + d.Detail
		}
		msg += accepted
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(msg))
	}
	return bw.Flush()
}

// escapeData escapes a workflow command message (actions/toolkit command.ts).
func escapeData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// escapeProperty escapes a workflow command property value.
func escapeProperty(s string) string {
	s = escapeData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}
