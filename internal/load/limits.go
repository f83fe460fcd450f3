package load

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trgen/trgen/internal/rule"
)

// Limits bound what a configuration may be, so hostile input gets a clear
// error instead of exhausting memory or the stack.
type Limits struct {
	// MaxFileBytes is the largest configuration file read.
	MaxFileBytes int64
	// MaxBlocks is the most blocks a configuration may hold, all files and
	// nesting levels together.
	MaxBlocks int
	// MaxDepth is the deepest nesting of brackets, braces, parentheses and
	// template interpolations in an expression.
	MaxDepth int
}

// DefaultLimits are generous for real deployments (the 5,000-group
// benchmark has about 12,000 blocks and nests 4 deep).
var DefaultLimits = Limits{MaxFileBytes: MaxFileBytes, MaxBlocks: 100_000, MaxDepth: 64}

func (l Limits) orDefault() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxBlocks <= 0 {
		l.MaxBlocks = DefaultLimits.MaxBlocks
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	return l
}

// checkDepth reports the first place nesting in src (HCL native syntax)
// goes deeper than max, before the parser recurses into it. A byte scan
// settles the common case; input it cannot vouch for is lexed.
func checkDepth(name string, src []byte, max int) *hcl.Diagnostic {
	if within, sure := scanDepth(src, max); sure && within {
		return nil
	}
	return lexDepth(name, src, max)
}

// lexDepth is checkDepth by HCL's own lexer: exact, and it gives the
// diagnostic its range, but lexing costs about two thirds of a parse.
func lexDepth(name string, src []byte, max int) *hcl.Diagnostic {
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	depth := 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOBrace, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			if depth > max {
				return rule.Tag(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Nesting too deep",
					Detail:   fmt.Sprintf("Brackets, braces, parentheses and templates nest more than %d deep here; trgen refuses such input rather than risk its stack. Flatten the expression (the limit is --max-depth).", max),
					Subject:  t.Range.Ptr(),
				}, rule.Syntax)
			}
		case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth--
		}
	}
	return nil
}

// countBlocks counts the blocks of parsed native-syntax files.
func countBlocks(body hcl.Body) int {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return 0
	}
	n := len(b.Blocks)
	for _, blk := range b.Blocks {
		n += countBlocks(blk.Body)
	}
	return n
}

// scanDepth decides without lexing whether the nesting of src stays within
// max, counting what lexDepth counts: (, [, {, quotes, ${ and %{ open;
// ), ], } and quotes close. It follows the lexer's modes (expressions,
// quoted templates, comments) for the constructs real configurations use,
// and gives up (sure = false) on anything else: invalid UTF-8, heredocs,
// "~", a newline or a backslash before a newline inside quotes, an
// unterminated block comment, or a "}" that closes nothing. FuzzScanDepth
// holds it to lexDepth's verdict.
func scanDepth(src []byte, max int) (within, sure bool) {
	if !utf8.Valid(src) {
		return false, false
	}
	const (
		quoted = iota // inside "..."
		interp        // inside ${ } or %{ } of a quoted template
		brace         // inside { } in an expression
	)
	var modes []byte
	depth := 0
	open := func(m byte) bool {
		modes = append(modes, m)
		depth++
		return depth <= max
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if n := len(modes); n > 0 && modes[n-1] == quoted {
			switch {
			case c == '"':
				modes = modes[:n-1]
				depth--
			case c == '\\':
				if i+1 >= len(src) || src[i+1] == '\n' || src[i+1] == '\r' {
					return false, false
				}
				i++ // the escaped character; a multi-byte one's tail bytes mean nothing here
			case c == '\n' || c == '\r':
				return false, false
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal text
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if !open(interp) {
					return false, true
				}
				i++
				if i+1 < len(src) && src[i+1] == '~' {
					i++ // a strip marker belongs to the opening token
				}
			}
			continue
		}
		switch c {
		case '(', '[':
			depth++
			if depth > max {
				return false, true
			}
		case ')', ']':
			depth--
		case '{':
			if !open(brace) {
				return false, true
			}
		case '}':
			n := len(modes)
			if n == 0 {
				return false, false
			}
			modes = modes[:n-1]
			depth--
		case '"':
			if !open(quoted) {
				return false, true
			}
		case '~':
			return false, false
		case '<':
			if i+1 < len(src) && src[i+1] == '<' {
				return false, false // perhaps a heredoc
			}
		case '#':
			i = endOfLine(src, i)
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				i = endOfLine(src, i)
			} else if i+1 < len(src) && src[i+1] == '*' {
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return false, false
				}
				i += 2 + end + 1
			}
		}
	}
	return true, true
}

// endOfLine returns the index of the newline ending the line at i, or the
// last index of src.
func endOfLine(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src) - 1
}
