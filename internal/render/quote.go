package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"html"
	"strings"
	"unicode"
)

// quoting are the template functions that make a value safe in one target
// language. Each either returns the value as that language's plain data or
// fails (a template error), never passes it through raw.
var quoting = map[string]any{
	"psQuote":      PSQuote,
	"safeComment":  SafeComment,
	"xmlText":      XMLText,
	"csvRow":       CSVRow,
	"csvRecord":    func(cells []string) (string, error) { return CSVRow(cells...) },
	"csvRecords":   CSVRecords,
	"mdCell":       MDCell,
	"mermaidID":    MermaidID,
	"mermaidLabel": MermaidLabel,
	"shQuote":      SHQuote,
	"htmlText":     html.EscapeString,
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
	b.WriteByte('\'')
	for _, r := range s {
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

var mdCellReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "\\`")

// MDCell escapes s for a Markdown table cell: pipes, backslashes, newlines,
// and the characters that would start inline HTML.
func MDCell(s string) string { return mdCellReplacer.Replace(s) }

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
