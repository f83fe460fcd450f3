package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoting are the template functions that make a value safe in one target
// language. Each either returns the value as that language's plain data or
// fails (a template error), never passes it through raw.
var quoting = map[string]any{
	"psQuote":      PSQuote,
	"safeComment":  SafeComment,
	"commentText":  CommentText,
	"xmlText":      XMLText,
	"svgText":      SVGText,
	"csvRow":       CSVRow,
	"csvRecord":    func(cells []string) (string, error) { return CSVRow(cells...) },
	"csvRecords":   CSVRecords,
	"mdCell":       MDCell,
	"mdCode":       MDCode,
	"mdURL":        MDURL,
	"mdBlock":      MDBlock,
	"safeLine":     SafeLine,
	"mermaidID":    MermaidID,
	"mermaidLabel": MermaidLabel,
	"shQuote":      SHQuote,
	"capircaText":  CapircaText,
}

// psSingleQuotes are the characters PowerShell treats as a single quote:
// ' and the typographic quotes U+2018, U+2019, U+201A, U+201B.
const psSingleQuotes = "'\u2018\u2019\u201a\u201b"

// PSQuote returns s as a PowerShell single-quoted string: nothing inside is
// expanded, and each single-quote character is doubled. NUL is refused.
func PSQuote(s string) (string, error) {
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("psQuote: NUL in %q", s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		if r < utf8.RuneSelf && r != '\'' {
			b.WriteByte(byte(r)) // the common case: no quote, one byte
			continue
		}
		if strings.ContainsRune(psSingleQuotes, r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String(), nil
}

// SafeComment returns s for a double-quoted comment in nftables,
// iptables-restore or a shell comment: printable ASCII without quotes,
// backslashes or newlines, at most 128 bytes (nftables' comment limit).
// Anything else is refused rather than escaped: these formats have no
// escape for a double quote.
func SafeComment(s string) (string, error) {
	if len(s) > 128 {
		return "", fmt.Errorf("safeComment: %d bytes, at most 128", len(s))
	}
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '`' || r == '$' || r == '\'' {
			return "", fmt.Errorf("safeComment: %q holds %q", s, r)
		}
	}
	return s, nil
}

// CapircaText returns s for Capirca's policy and definition files: inside
// a comment:: "..." string and after a # in NETWORK.net and SERVICES.svc,
// and from there in the comments aclgen copies into each target's
// configuration (Junos /* */ blocks, Cisco remarks, PAN-OS XML). Letters,
// digits, space and .,:;()_/+=@- are kept; "→" becomes "to"; every other
// character (quotes, backslash, "*", "#", control characters, anything
// outside ASCII) becomes "?".
func CapircaText(s string) string {
	s = strings.ReplaceAll(s, "→", "to")
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .,:;()_/+=@-", r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// CommentText returns s for the same comments as SafeComment, lossily:
// each character SafeComment refuses becomes "?", and a value over 128
// bytes is cut to 125 and "...". For text that only informs the reader
// (the names of the configuration files a script came from), where
// refusing would stop a deployment that validates.
func CommentText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '`' || r == '$' || r == '\'' {
			r = '?'
		}
		b.WriteRune(r)
	}
	if b.Len() > 128 {
		return b.String()[:125] + "..."
	}
	return b.String()
}

// svgReplacer is html/template's escaping of a string in HTML text, an
// RCDATA element or a quoted attribute value (its htmlReplacementTable).
var svgReplacer = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// SVGText escapes s for the text or a quoted attribute value of an SVG
// element inline in an HTML page, exactly as html/template escapes a
// string in those places: NUL becomes U+FFFD, and " & ' + < > character
// references. runbook.html's diagram is drawn with it by a text template,
// byte for byte what html/template made of the same values; FuzzSVGText
// holds it to html/template's own output.
func SVGText(s string) string { return svgReplacer.Replace(s) }

// XMLText escapes s for XML character data and attribute values.
func XMLText(s string) (string, error) {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return "", fmt.Errorf("xmlText: control character %q cannot appear in XML", r)
		}
	}
	var b bytes.Buffer
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// SpreadsheetCell returns s with a leading apostrophe when a spreadsheet
// would read it as a formula (it starts with =, +, -, @, tab or CR), and
// unchanged otherwise.
func SpreadsheetCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSVRow returns one RFC 4180 record ending in CRLF, each cell made safe
// for a spreadsheet by SpreadsheetCell.
func CSVRow(cells ...string) (string, error) { return CSVRecords([][]string{cells}) }

// CSVRecords returns rows as RFC 4180 records, each ending in CRLF, each
// cell made safe for a spreadsheet by SpreadsheetCell. A whole table in
// one call: the exclusions of a large deployment run to tens of thousands
// of rows.
func CSVRecords(rows [][]string) (string, error) {
	var b strings.Builder
	// The table's size, plus room for some quoting: the builder is not
	// grown (and copied) a dozen times on the way to megabytes.
	n := 0
	for _, cells := range rows {
		for _, c := range cells {
			n += len(c) + 1
		}
		n += 2
	}
	b.Grow(n + n/16)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	var safe []string
	for _, cells := range rows {
		safe = safe[:0]
		for _, c := range cells {
			safe = append(safe, SpreadsheetCell(c))
		}
		if err := w.Write(safe); err != nil {
			return "", err
		}
	}
	w.Flush()
	return b.String(), w.Error()
}

// MDCell escapes s as literal inline Markdown text, for a table cell or
// prose alike: what it returns renders as s itself (line breaks become
// spaces) under CommonMark and GitHub's extensions, never as a link, an
// image, emphasis, code, HTML or a table cell boundary. Every ASCII
// punctuation character that starts inline syntax is backslash-escaped;
// < > & become character references; so do the ":" of "://", the "." of
// "www." and the "@" that GitHub would turn into links; and a leading
// list, heading or code-block marker is escaped, since a value may start
// a line.
func MDCell(s string) string {
	// Most values need no escape: the builder starts only at the first
	// byte that changes, holding s up to there.
	var b strings.Builder
	started := false
	start := func(i int) {
		if !started {
			started = true
			b.Grow(len(s) + 8)
			b.WriteString(s[:i])
		}
	}
	lead := true // at the value's start: block markers matter here
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !lead && !mdInline[c] {
			// The common case, a byte that is text wherever it is.
			if started {
				b.WriteByte(c)
			}
			continue
		}
		switch {
		case c == '\r' || c == '\n' || c == '\t':
			start(i)
			if i+1 < len(s) && c == '\r' && s[i+1] == '\n' {
				i++
			}
			if lead {
				b.WriteString("&#32;")
			} else {
				b.WriteByte(' ')
			}
			continue
		case c == ' ' && lead:
			start(i)
			b.WriteString("&#32;")
			continue
		case c == '<':
			start(i)
			b.WriteString("&lt;")
		case c == '>':
			start(i)
			b.WriteString("&gt;")
		case c == '&':
			start(i)
			b.WriteString("&amp;")
		case c == ':' && strings.HasPrefix(s[i+1:], "//"):
			start(i)
			b.WriteString("&#58;")
		case c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www"):
			start(i)
			b.WriteString("&#46;")
		case c == '@':
			start(i)
			b.WriteString("&#64;")
		case strings.IndexByte("\\`*[]|~#", c) >= 0:
			start(i)
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '_' && !(i > 0 && alnum(s[i-1]) && i+1 < len(s) && alnum(s[i+1])):
			// An underscore inside a word never emphasises; elsewhere it may.
			start(i)
			b.WriteString("\\_")
		case lead && (c == '-' || c == '+' || c == '=') && (i+1 == len(s) || strings.Trim(s, string(c)+blank) == "" || strings.IndexByte(blank, s[i+1]) >= 0):
			// A list item, a thematic break or a setext underline.
			start(i)
			b.WriteByte('\\')
			b.WriteByte(c)
		case lead && c >= '0' && c <= '9':
			// "1. " or "1) " would start an ordered list.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if started {
				b.WriteString(s[i:j])
			}
			if j < len(s) && (s[j] == '.' || s[j] == ')') && (j+1 == len(s) || strings.IndexByte(blank, s[j+1]) >= 0) {
				start(j)
				b.WriteByte('\\')
				b.WriteByte(s[j])
				j++
			}
			i = j - 1
		default:
			if started {
				b.WriteByte(c)
			}
		}
		lead = false
	}
	if !started {
		return s
	}
	return b.String()
}

// mdInline are the bytes MDCell looks at after a value's first byte:
// every other byte is text wherever it stands.
var mdInline = func() (t [256]bool) {
	for _, c := range []byte("\r\n\t<>&:.@\\`*[]|~#_") {
		t[c] = true
	}
	return t
}()

// blank are the characters that end a list marker (line breaks become
// spaces).
const blank = " \t\r\n"

func alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lineBreaks turns each line break into a space.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// MDCode returns s as a complete Markdown code span: delimited by more
// backticks than any run inside it, padded where it starts or ends with
// one, line breaks as spaces.
func MDCode(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = lineBreaks.Replace(s)
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// MDURL returns a relative path as a Markdown link destination: every
// byte outside letters, digits and "/._-~" percent-encoded, so no value
// can end the destination or the link.
func MDURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/._-~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// MDBlock returns s for the inside of a fenced code block, refusing a
// line that would close the fence (``` or ~~~ after up to three spaces).
func MDBlock(s string) (string, error) {
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimLeft(line, " ")
		if len(line)-len(t) <= 3 && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			return "", fmt.Errorf("mdBlock: %q would end the code block", line)
		}
	}
	return s, nil
}

// SafeLine returns s for one line of a plain list file: no line break or
// other control character.
func SafeLine(s string) (string, error) {
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "", fmt.Errorf("safeLine: %q holds %q", s, r)
		}
	}
	return s, nil
}

// MermaidID returns a node id from a safe alphabet for a logical name:
// user text never becomes an id.
func MermaidID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "n" + hex.EncodeToString(sum[:6])
}

// MermaidLabel returns s for a double-quoted Mermaid label: quotes and
// characters Mermaid or HTML would interpret become entity codes.
func MermaidLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("#quot;")
		case r == '#' || r == '<' || r == '>' || r == '&' || r == '`' || r == '|' || r == '{' || r == '}' || r == '[' || r == ']':
			fmt.Fprintf(&b, "#%d;", r)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SHQuote returns s as a POSIX shell single-quoted word.
func SHQuote(s string) (string, error) {
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("shQuote: NUL in %q", s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'", nil
}
