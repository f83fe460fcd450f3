package pslex

import (
	"testing"

	"github.com/trgen/trgen/internal/render"
)

func TestLex(t *testing.T) {
	tests := map[string]struct {
		src   string
		kinds []Kind
		value string // value of the first string token
		exp   bool
	}{
		"single":            {`Write 'a''b'`, []Kind{Word, SingleQuoted}, "a'b", false},
		"typographic":       {"Write \u2018it\u2019\u2019s\u2019", []Kind{Word, SingleQuoted}, "it\u2019s", false},
		"single keeps $":    {`Write '$(rm -rf /) $x'`, []Kind{Word, SingleQuoted}, "$(rm -rf /) $x", false},
		"double expands":    {`Write "a $x"`, []Kind{Word, DoubleQuoted}, "a $x", true},
		"double subexpr":    {`Write "a $(Get-Date ')') b"`, []Kind{Word, DoubleQuoted}, "a  b", true},
		"double backtick":   {"Write \"a `\" b\"", []Kind{Word, DoubleQuoted}, "a \" b", false},
		"comment":           {"# 'not a string\nWrite", []Kind{Comment, Word}, "", false},
		"block comment":     {"<# \" ' #> Write", []Kind{Comment, Word}, "", false},
		"here single":       {"@'\nline ' \"\n'@", []Kind{HereSingle}, "line ' \"", false},
		"line continuation": {"New-X `\n  -Name 'n'", []Kind{Word, Word, SingleQuoted}, "n", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			toks, err := Lex(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []Kind
			for _, tk := range toks {
				kinds = append(kinds, tk.Kind)
			}
			if len(kinds) != len(tc.kinds) {
				t.Fatalf("kinds = %v, want %v", kinds, tc.kinds)
			}
			for i := range kinds {
				if kinds[i] != tc.kinds[i] {
					t.Fatalf("kinds = %v, want %v", kinds, tc.kinds)
				}
			}
			for _, tk := range toks {
				if tk.Kind != Word && tk.Kind != Comment {
					if tk.Value != tc.value || tk.Expands != tc.exp {
						t.Errorf("value %q expands %v, want %q %v", tk.Value, tk.Expands, tc.value, tc.exp)
					}
					break
				}
			}
		})
	}
}

func TestLexErrors(t *testing.T) {
	for _, src := range []string{`'open`, `"open`, `"a $(b"`, "<# open", "@'\nno end", "'a''"} {
		if _, err := Lex(src); err == nil {
			t.Errorf("Lex(%q) succeeded, want an error", src)
		}
	}
}

// hostile are strings that must stay inert data once quoted.
var hostile = []string{
	"", "'", "''", "\u2018", "\u2019\u2019", "\u201a'\u201b", `"`, "`", "$(Invoke-Expression 'calc')", "${env:PATH}",
	"$x", "%PATH%", "; Remove-Item -Recurse C:\\", "&& whoami", "| Out-File x", "a\nb", "a\r\nb", "#comment",
	"<# block #>", "@'\nhere\n'@", "{}", "\u202eevil", "C:\\Program Files (x86)\\Tanium\\Tanium Client",
	"'; Start-Process calc; '", "\u2018; Start-Process calc; \u2019",
}

// TestPSQuoteIsInert: every hostile string, quoted by render.PSQuote, lexes
// as exactly one single-quoted literal whose value is the string itself.
func TestPSQuoteIsInert(t *testing.T) {
	for _, s := range hostile {
		assertInert(t, s)
	}
}

func assertInert(t *testing.T, s string) {
	t.Helper()
	q, err := render.PSQuote(s)
	if err != nil {
		t.Fatalf("PSQuote(%q): %v", s, err)
	}
	toks, err := Lex("Write-Output " + q + " -Next")
	if err != nil {
		t.Fatalf("quoted %q does not lex: %v", s, err)
	}
	if len(toks) != 3 || toks[1].Kind != SingleQuoted || toks[1].Value != s || toks[2].Text != "-Next" {
		t.Fatalf("quoted %q lexes as %+v", s, toks)
	}
}

// FuzzPSQuote is the property of TestPSQuoteIsInert over arbitrary strings.
func FuzzPSQuote(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := render.PSQuote(s); err != nil {
			return // NUL is refused, not quoted
		}
		if !validUTF8(s) {
			return
		}
		assertInert(t, s)
	})
}

func validUTF8(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}
