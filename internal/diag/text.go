package diag

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"

	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/safetext"
)

const textWidth = 78

// WriteText writes diagnostics the way Terraform does: severity and summary,
// the position and rule, the source line with the range underlined, then the
// detail. color adds ANSI colour to the severity.
func WriteText(w io.Writer, r *Report, color bool) error {
	bw := bufio.NewWriter(w)
	var accepted []*hcl.Diagnostic
	for _, d := range r.Diagnostics {
		if rule.AcceptanceOf(d) != nil {
			accepted = append(accepted, d)
			continue
		}
		writeOne(bw, d, r.Files, color)
	}
	// Accepted warnings are listed, one short entry each: judged, not gone.
	for _, d := range accepted {
		where, reason, _ := acceptedAt(d, "")
		at := ""
		if s := d.Subject; s != nil && s.Filename != "" {
			at = fmt.Sprintf(" on %s:%d:%d", OneLine(s.Filename), s.Start.Line, s.Start.Column)
		}
		fmt.Fprintf(bw, "Accepted warning: %s\n  (rule %s%s; accepted at %s: %s)\n\n", OneLine(d.Summary), ruleID(d), at, where, OneLine(reason))
	}
	return bw.Flush()
}

func writeOne(w *bufio.Writer, d *hcl.Diagnostic, files map[string]*hcl.File, color bool) {
	sev := "Error"
	code := "\x1b[1;31m"
	if d.Severity == hcl.DiagWarning {
		sev, code = "Warning", "\x1b[1;33m"
	}
	if color {
		fmt.Fprintf(w, "%s%s:\x1b[0m \x1b[1m%s\x1b[0m\n\n", code, sev, OneLine(d.Summary))
	} else {
		fmt.Fprintf(w, "%s: %s\n\n", sev, OneLine(d.Summary))
	}
	if d.Subject != nil && d.Subject.Filename != "" {
		s := d.Subject
		fmt.Fprintf(w, "  on %s:%d:%d (rule %s):\n", OneLine(s.Filename), s.Start.Line, s.Start.Column, ruleID(d))
		if line, ok := sourceLineAt(files, s.Filename, s.Start); ok {
			prefix := fmt.Sprintf("  %4d: ", s.Start.Line)
			fmt.Fprintf(w, "%s%s\n", prefix, printable(line))
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", len(prefix)), underline(line, s))
		}
		w.WriteString("\n")
	} else {
		fmt.Fprintf(w, "  (rule %s)\n\n", ruleID(d))
	}
	if d.Detail != "" {
		w.WriteString(wordwrap.WrapString(OneLine(d.Detail), textWidth))
		w.WriteString("\n\n")
	}
}

// sourceLineAt is line p.Line of file name. When p.Byte is set and lies
// on that line, the line is found from it, in time independent of where
// the line is (a file with many findings is printed in linear time);
// otherwise lines are counted from the start.
func sourceLineAt(files map[string]*hcl.File, name string, p hcl.Pos) (string, bool) {
	f, ok := files[name]
	if !ok || f == nil || p.Line < 1 {
		return "", false
	}
	src := f.Bytes
	if p.Byte > 0 && p.Byte <= len(src) && p.Column >= 1 {
		start := bytes.LastIndexByte(src[:p.Byte], '\n') + 1
		if p.Column-1 <= p.Byte-start && utf8.RuneCount(src[start:p.Byte]) == p.Column-1 {
			src = src[start:]
			if j := bytes.IndexByte(src, '\n'); j >= 0 {
				src = src[:j]
			}
			return strings.TrimSuffix(string(src), "\r"), true
		}
	}
	for i := 1; i < p.Line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// underline returns carets under the subject's columns on its first line:
// spaces (tabs kept, so the carets line up) up to the start column, then one
// caret per character to the end column or the end of the line.
func underline(line string, s *hcl.Range) string {
	runes := []rune(printable(line))
	start := s.Start.Column - 1
	end := len(runes)
	if s.End.Line == s.Start.Line {
		end = s.End.Column - 1
	}
	if start < 0 {
		start = 0
	}
	if start > len(runes) {
		start = len(runes)
	}
	if end > len(runes) {
		end = len(runes)
	}
	if end <= start {
		end = start + 1
	}
	var b strings.Builder
	for _, r := range runes[:start] {
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteString(strings.Repeat("^", end-start))
	return b.String()
}

// Unsafe reports whether r must not reach a terminal, a document or a
// generated file as it is: a control character (escape sequences, C1) or
// a bidirectional formatting character (Unicode's Bidi_Control, U+061C
// included), which makes text read differently from what it is. It is
// safetext.Unsafe, the one definition trgen's checks and printers share.
func Unsafe(r rune) bool { return safetext.Unsafe(r) }

// printable replaces control and bidi characters so a hostile source line
// cannot rewrite the terminal, keeping one character per column.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && Unsafe(r) {
			return '?'
		}
		return r
	}, s)
}

// OneLine keeps a summary, a detail or any text from a file free of raw
// control characters and line breaks, for a terminal.
func OneLine(s string) string {
	return printable(strings.ReplaceAll(s, "\n", " "))
}
