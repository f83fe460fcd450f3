package render

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	stdhtml "html"
	htmltemplate "html/template"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// seeds are hostile strings every quoting fuzzer starts from.
var seeds = []string{"", "plain", `'`, `"`, "`", "\u2018x\u2019", "$(id)", "${HOME}", "%COMSPEC%", "a;b", "a\nb", "a\r\nb", "\r", "\x00",
	"# c", "{x}", "<script>", "]]>", "&amp;", "=1+1", "+1", "-1", "@x", "\tx", "| x |", "\\|", "**b**", "[x](javascript:alert(1))", "\u202e", "\xff"}

// FuzzSHQuote: a quoted word, run by the real /bin/sh, prints exactly the
// original bytes; NUL is refused.
func FuzzSHQuote(f *testing.F) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		f.Fatal("no sh:", err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := SHQuote(s)
		if err != nil {
			if !strings.ContainsRune(s, 0) {
				t.Fatalf("refused %q: %v", s, err)
			}
			return
		}
		if len(q) > 100_000 { // one argument is at most 128 KiB
			return
		}
		cmd := exec.Command(sh, "-c", "printf '%s' "+q)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sh -c printf %s: %v", q, err)
		}
		if string(out) != s {
			t.Fatalf("sh printed %q for %q (quoted %s)", out, s, q)
		}
	})
}

// FuzzXMLText: escaped text, as character data and as an attribute value,
// parses back as one element holding the original string, for every string
// XML can hold; control characters XML cannot hold are refused.
func FuzzXMLText(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := XMLText(s)
		if err != nil {
			return
		}
		var v struct {
			Attr string `xml:"a,attr"`
			Text string `xml:",chardata"`
			Any  []struct {
				XMLName xml.Name
			} `xml:",any"`
		}
		doc := `<x a="` + q + `">` + q + `</x>`
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			if utf8.ValidString(s) && xmlChars(s) {
				t.Fatalf("%q escaped to %q does not parse: %v", s, q, err)
			}
			return
		}
		if len(v.Any) != 0 {
			t.Fatalf("%q made an element: %v", s, v.Any)
		}
		if utf8.ValidString(s) && xmlChars(s) && (v.Text != s || v.Attr != s) {
			t.Fatalf("%q round-trips as text %q, attribute %q", s, v.Text, v.Attr)
		}
	})
}

// xmlChars says whether every rune of s is an XML 1.0 character.
func xmlChars(s string) bool {
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if !ok {
			return false
		}
	}
	return true
}

// FuzzCSVRow: a row parses back as one record with the same cells (less
// carriage returns, which encoding/csv drops in CRLF mode), a formula cell
// prefixed with an apostrophe.
func FuzzCSVRow(f *testing.F) {
	for _, s := range seeds {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		row, err := CSVRow(a, b)
		if err != nil {
			t.Fatalf("CSVRow(%q, %q): %v", a, b, err)
		}
		recs, err := csv.NewReader(strings.NewReader(row)).ReadAll()
		if err != nil || len(recs) != 1 || len(recs[0]) != 2 {
			t.Fatalf("CSVRow(%q, %q) = %q reads as %q, %v", a, b, row, recs, err)
		}
		for i, want := range []string{a, b} {
			if want != "" && strings.ContainsRune("=+-@\t\r", rune(want[0])) {
				want = "'" + want
			}
			want = strings.ReplaceAll(want, "\r", "") // encoding/csv in CRLF mode drops a cell's CRs
			if got := recs[0][i]; got != want {
				t.Fatalf("cell %d of CSVRow(%q, %q) reads %q, want %q", i, a, b, got, want)
			}
		}
	})
}

// FuzzMDCell: an escaped value renders as exactly its own text (line
// breaks as spaces) wherever a template puts one: a table cell, prose, a
// list item, a heading. It never becomes a link (GitHub's autolinks
// included), an image, emphasis, code, HTML, another cell or a block.
func FuzzMDCell(f *testing.F) {
	for _, s := range append(seeds, "[Reset your password](https://evil.example/login) ![t](https://evil.example/t.png)",
		"https://evil.example", "www.evil.example", "a@evil.example", "1. x", "- x", "    code", "> q", "<img src=x onerror=alert(1)>.hcl", "&lt;", "~~x~~", "_x_") {
		f.Add(s)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	element := regexp.MustCompile(`(?s)^<(td|p|li|h2)>(.*)</(td|p|li|h2)>$`)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		want := strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ", "\x00", "\ufffd").Replace(s)
		v := MDCell(s)
		for _, c := range []struct{ src, tag string }{
			{"| a | b |\n| --- | --- |\n| " + v + " | end |\n", "td"},
			{"x " + v + " y\n", "p"},
			{"- " + v + "\n", "li"},
			{"## " + v + "\n", "h2"},
		} {
			var out bytes.Buffer
			if err := md.Convert([]byte(c.src), &out); err != nil {
				t.Fatal(err)
			}
			html := out.String()
			var inner string
			switch c.tag {
			case "td":
				if strings.Count(html, "<td>") != 2 || !strings.Contains(html, "<td>end</td>") {
					t.Fatalf("%q broke the table: %s", s, html)
				}
				inner = html[strings.Index(html, "<tbody>\n<tr>\n")+len("<tbody>\n<tr>\n"):]
				inner = inner[:strings.Index(inner, "\n")]
			case "li":
				inner = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(html, "<ul>\n"), "</ul>\n"))
			default:
				inner = strings.TrimSpace(html)
			}
			m := element.FindStringSubmatch(inner)
			if m == nil || m[1] != c.tag || m[3] != c.tag || strings.Contains(m[2], "<") {
				t.Fatalf("%q in a %s is markup, not text: %s", s, c.tag, html)
			}
			got := stdhtml.UnescapeString(m[2])
			exp := want
			switch c.tag {
			case "p":
				got = strings.TrimSuffix(strings.TrimPrefix(got, "x "), " y")
			case "td", "li", "h2":
				// Trailing blanks end a cell, a line or a heading.
				exp = strings.TrimRight(want, " ")
				got = strings.TrimRight(got, " ")
			}
			if got != exp {
				t.Fatalf("%q in a %s renders as text %q, want %q (%s)", s, c.tag, got, exp, html)
			}
		}
	})
}

// FuzzMermaidLabel: a label holds nothing that ends a quoted Mermaid label
// or starts markup or an entity other than the ones it writes.
func FuzzMermaidLabel(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l := MermaidLabel(s)
		if i := strings.IndexFunc(l, func(r rune) bool {
			return strings.ContainsRune("\"<>&`|{}[]", r) || unicode.IsControl(r)
		}); i >= 0 {
			t.Fatalf("MermaidLabel(%q) = %q holds %q", s, l, l[i])
		}
	})
}

// FuzzPSQuoteDoubling: the quoted string is the input between single
// quotes with each PowerShell single-quote character doubled, so it ends
// only at its last character (the lexer round trip is FuzzPSQuote in
// internal/pslex).
func FuzzPSQuoteDoubling(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := PSQuote(s)
		if err != nil {
			return
		}
		body := strings.TrimSuffix(strings.TrimPrefix(q, "'"), "'")
		var back strings.Builder
		rs := []rune(body)
		for i := 0; i < len(rs); i++ {
			if strings.ContainsRune(psSingleQuotes, rs[i]) {
				if i+1 >= len(rs) || rs[i+1] != rs[i] {
					t.Fatalf("PSQuote(%q) = %q has an undoubled quote", s, q)
				}
				i++
			}
			back.WriteRune(rs[i])
		}
		if utf8.ValidString(s) && back.String() != s {
			t.Fatalf("PSQuote(%q) = %q undoes to %q", s, q, back.String())
		}
	})
}

// FuzzCapircaText: whatever the value, the result stays inside a Capirca
// comment:: "..." string and a # comment of a definitions file, and the
// comments aclgen copies from them into Junos /* */ blocks, Cisco remarks
// and PAN-OS XML: only letters, digits, space and .,:;()_/+=@- remain, so
// no quote, newline, "*/", "#" or markup can end them.
func FuzzCapircaText(f *testing.F) {
	for _, s := range append(seeds, "a\" } term x { action:: accept", "*/ then accept; /*", "x\n  target:: nftables", "# c", "a → b") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := CapircaText(s)
		for i := 0; i < len(v); i++ {
			c := v[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(" .,:;()_/+=@-?", c) >= 0
			if !ok {
				t.Fatalf("CapircaText(%q) = %q holds %q", s, v, c)
			}
		}
	})
}

// FuzzSVGText: svgText gives what html/template itself writes for the same
// string in the places runbook.html's diagram prints one: a quoted
// attribute value, an SVG text element and a title element.
func FuzzSVGText(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	page := htmltemplate.Must(htmltemplate.New("svg").Parse(`<svg><text class="a" x="1" text-anchor="{{ . }}">{{ . }}</text><g><title>{{ . }}</title></g><path d="{{ . }}"/></svg>`))
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := page.Execute(&want, s); err != nil {
			t.Skip(err)
		}
		e := SVGText(s)
		got := `<svg><text class="a" x="1" text-anchor="` + e + `">` + e + `</text><g><title>` + e + `</title></g><path d="` + e + `"/></svg>`
		if got != want.String() {
			t.Errorf("svgText(%q):\n got %q\nwant %q", s, got, want.String())
		}
	})
}
