package load

import (
	"bytes"
	"fmt"
	"runtime"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/trgen/trgen/internal/rule"
)

// Limits bound what a configuration may be, so hostile input gets a clear
// error instead of exhausting memory or the stack.
type Limits struct {
	// MaxFileBytes is the most bytes a configuration file, and all its
	// files together, may hold.
	MaxFileBytes int64
	// MaxBlocks is the most blocks a configuration may hold, all files and
	// nesting levels together.
	MaxBlocks int
	// MaxAttributes is the most attributes (locals included) it may hold,
	// all files together; in JSON syntax every object member counts.
	MaxAttributes int
	// MaxDepth is the deepest nesting of brackets, braces, parentheses and
	// template interpolations in an expression.
	MaxDepth int
	// MaxValueBytes is the longest string a value (a local, a variable,
	// a function's result) may be.
	MaxValueBytes int64
	// MaxValueElements is the most elements a collection value may hold.
	MaxValueElements int
	// MaxValueDepth is the deepest a value may nest, through the locals
	// it is built from.
	MaxValueDepth int
}

// DefaultLimits are generous for real deployments (the 5,000-group
// benchmark has about 13,400 blocks and nests 4 deep) and met within the
// 2 GiB and 15 s docs/security.md promises: 8,000 endpoint groups, or
// 250,000 locals, validate and generate within them (TestBoundedAnswers).
var DefaultLimits = Limits{MaxFileBytes: MaxConfigBytes, MaxBlocks: 22_000, MaxAttributes: 250_000, MaxDepth: 64,
	MaxValueBytes: 16 << 20, MaxValueElements: 1_000_000, MaxValueDepth: 256}

func (l Limits) orDefault() Limits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if l.MaxBlocks <= 0 {
		l.MaxBlocks = DefaultLimits.MaxBlocks
	}
	if l.MaxAttributes <= 0 {
		l.MaxAttributes = DefaultLimits.MaxAttributes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if l.MaxValueBytes <= 0 {
		l.MaxValueBytes = DefaultLimits.MaxValueBytes
	}
	if l.MaxValueElements <= 0 {
		l.MaxValueElements = DefaultLimits.MaxValueElements
	}
	if l.MaxValueDepth <= 0 {
		l.MaxValueDepth = DefaultLimits.MaxValueDepth
	}
	return l
}

// MaxOperators is the most binary operators one expression may chain
// ("1 + 1 + … + 1", "a && b && …"): the parser builds, and evaluation
// walks, a tree as deep as the chain. Operators inside a bracket count
// toward the expression around it; a comma, or a newline where newlines
// end items, ends the chain.
const MaxOperators = 1000

// maxOperators is the bound CheckDepth applies: MaxOperators, lowered by
// FuzzScanDepth so that short inputs reach it.
var maxOperators = MaxOperators

// CheckDepth reports the first place nesting in src (HCL native syntax)
// goes deeper than max, before the parser recurses into it. Nesting is
// what the parser recurses on: brackets, braces, parentheses, quotes and
// template interpolations, plus runs of unary operators ("- - - x",
// "!!!x") and conditionals not yet closed ("a ? b : c ? d : …"). A byte
// scan settles the common case, including deep nesting, without lexing
// (lexing costs about 100 times the input's size in memory); input it
// cannot vouch for is lexed.
// It is exported for files parsed outside Load (trgen fmt).
func CheckDepth(name string, src []byte, max int) *hcl.Diagnostic {
	within, sure, at, tooLong := scanDepthAt(src, max)
	switch {
	case sure && within:
		return nil
	case sure:
		pos := posAt(src, at)
		r := &hcl.Range{Filename: name, Start: pos, End: posAt(src, at+1)}
		if tooLong {
			return tooManyOperators(r)
		}
		return tooDeep(r, max)
	}
	d := lexDepth(name, src, max)
	if len(src) > lexCollectBytes {
		// The lexer's tokens (about 25 times the file: 200 MB for an
		// 8 MiB file) are garbage now, and the parse that follows lexes
		// the file again: collect them first, so that the two token
		// slices never share the 2 GiB a run may use (under a 2 GiB
		// address-space limit an over-long file of locals ran out of
		// memory while the parse grew its slice).
		runtime.GC()
	}
	return d
}

// lexCollectBytes is the file size from which CheckDepth collects the
// lexer's garbage before returning.
const lexCollectBytes = 1 << 20

func tooManyOperators(subject *hcl.Range) *hcl.Diagnostic {
	return rule.Tag(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Expression too long",
		Detail:   fmt.Sprintf("This expression chains more than %d binary operators; trgen refuses such input rather than risk its stack and memory. Split it into locals, or use a function such as sum(), alltrue() or anytrue() over a list.", maxOperators),
		Subject:  subject,
	}, rule.Syntax)
}

func tooDeep(subject *hcl.Range, max int) *hcl.Diagnostic {
	return rule.Tag(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail:   fmt.Sprintf("Brackets, braces, parentheses, templates, unary operators and conditionals nest more than %d deep here; trgen refuses such input rather than risk its stack. Flatten the expression (the limit is --max-depth).", max),
		Subject:  subject,
	}, rule.Syntax)
}

// posAt is the HCL position (line, column in characters, byte offset)
// of byte offset at in src.
func posAt(src []byte, at int) hcl.Pos {
	if at > len(src) {
		at = len(src)
	}
	line := 1 + bytes.Count(src[:at], []byte("\n"))
	start := bytes.LastIndexByte(src[:at], '\n') + 1
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(src[start:at]), Byte: at}
}

// nesting tracks the depth the parser would reach: open brackets, plus
// conditionals pending at each bracket level, plus the current run of
// unary operators. lexDepth and scanDepthAt both use it, one fed tokens,
// the other bytes.
type nesting struct {
	depth  int
	levels []level // one per open bracket, the outermost level first
	qs     int     // conditionals pending on every level
	run    int     // unary operators in a row
	ops    int     // binary operators pending on every level
	sops   int     // the byte scan's sure count of them
}

type level struct {
	brace bool // a newline ends an item here, as at the top level
	q     int
	o     int // binary operators of the item open at this level
	so    int // the byte scan's sure count of them
	// lines: a newline ends this level's chain of binary operators (the
	// byte scan keeps brace false everywhere, for conditionals, but
	// knows where a newline ends an item's operators).
	lines bool
}

func newNesting() *nesting { return &nesting{levels: []level{{brace: true, lines: true}}} }

func (n *nesting) open(brace bool) {
	n.depth++
	n.levels = append(n.levels, level{brace: brace, lines: brace})
}

func (n *nesting) close() {
	n.depth--
	if len(n.levels) > 1 {
		top := n.levels[len(n.levels)-1]
		n.qs -= top.q
		n.ops -= top.o
		n.sops -= top.so
		n.levels = n.levels[:len(n.levels)-1]
	}
}

// binop counts a binary operator of the current item.
func (n *nesting) binop() {
	n.levels[len(n.levels)-1].o++
	n.ops++
}

// endOps ends the current item's chain of binary operators: always at
// a comma, at a newline where newlines end items.
func (n *nesting) endOps(newline bool) {
	top := &n.levels[len(n.levels)-1]
	if newline && !top.lines {
		return
	}
	n.ops -= top.o
	n.sops -= top.so
	top.o, top.so = 0, 0
}

func (n *nesting) question() {
	n.levels[len(n.levels)-1].q++
	n.qs++
}

// endItem closes the conditionals of the current level (a comma, or a
// newline where newlines end items).
func (n *nesting) endItem(newline bool) {
	top := &n.levels[len(n.levels)-1]
	n.endOps(newline)
	if newline && !top.brace {
		return
	}
	n.qs -= top.q
	top.q = 0
}

func (n *nesting) total() int { return n.depth + n.qs + n.run }

// lexDepth is CheckDepth by HCL's own lexer: exact, and it gives the
// diagnostic its range, but lexing costs about two thirds of a parse.
func lexDepth(name string, src []byte, max int) *hcl.Diagnostic {
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	n := newNesting()
	for _, t := range tokens {
		if t.Type == hclsyntax.TokenMinus || t.Type == hclsyntax.TokenBang {
			n.run++
		} else {
			n.run = 0
		}
		switch t.Type {
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			n.open(false)
		case hclsyntax.TokenOBrace:
			n.open(true)
		case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			n.close()
		case hclsyntax.TokenQuestion:
			n.question()
		case hclsyntax.TokenComma:
			n.endItem(false)
		case hclsyntax.TokenNewline:
			n.endItem(true)
		case hclsyntax.TokenComment:
			if bytes.HasSuffix(t.Bytes, []byte("\n")) {
				n.endOps(true) // a line comment holds its newline
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent,
			hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr:
			n.binop() // a unary minus too: a bound, not a parse
		}
		if n.total() > max {
			return tooDeep(t.Range.Ptr(), max)
		}
		if n.ops > maxOperators {
			return tooManyOperators(t.Range.Ptr())
		}
	}
	return nil
}

// jsonMembers counts the members of every object of a JSON document (its
// colons outside strings): an upper bound of the attributes and blocks
// the JSON syntax reads from it.
func jsonMembers(src []byte) int {
	n, inString := 0, false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && c == ':':
			n++
		}
	}
	return n
}

// countItems counts the blocks and the attributes of a parsed
// native-syntax file, at every nesting level (JSON bodies count nothing
// here; jsonMembers bounds their attributes).
func countItems(body hcl.Body) (blocks, attrs int) {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return 0, 0
	}
	blocks, attrs = len(b.Blocks), len(b.Attributes)
	for _, blk := range b.Blocks {
		nb, na := countItems(blk.Body)
		blocks, attrs = blocks+nb, attrs+na
	}
	return blocks, attrs
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
	within, sure, _, _ = scanDepthAt(src, max)
	return within, sure
}

// scanDepthAt is scanDepth that also returns, when it is sure the
// nesting is too deep, the byte offset where it goes too deep. Its counts
// are never below the lexer's (a comma or a closing bracket ends pending
// conditionals, a newline does not), and a run of unary operators it
// counts is at most two longer than the lexer's (the "-" of "1e-5" is part
// of a number, the "!" of "!=" part of an operator), so it claims too deep
// only where brackets alone, or the run less two, exceed max.
// Binary operators are counted twice: every operator character (which
// counts "==" twice, a unary "-" and "=" of an attribute once, never
// fewer than the lexer's operators), and only "+", "%", "&&" and "||"
// (never more than the lexer's). Over MaxOperators, the first makes it
// unsure and the second sure, with tooLong set.
func scanDepthAt(src []byte, max int) (within, sure bool, at int, tooLong bool) {
	if !utf8.Valid(src) {
		return false, false, 0, false
	}
	const (
		quoted = iota // inside "..."
		interp        // inside ${ } or %{ } of a quoted template
		brace         // inside { } in an expression
	)
	var modes []byte
	n := &nesting{levels: []level{{lines: true}}} // newlines end no conditionals here, only operator chains
	ident := false                                // inside an identifier, where "-" is a letter
	unsure := false
	open := func(m byte) {
		modes = append(modes, m)
		n.open(false)
		n.levels[len(n.levels)-1].lines = m == brace
	}
	// op counts an operator character at i: sure when the lexer surely
	// makes it a binary operator ("+" but not an exponent's, "%", "&&",
	// "||"); too long when the sure count is over the bound.
	op := func(i int, sure bool) bool {
		n.binop()
		if sure {
			n.levels[len(n.levels)-1].so++
			n.sops++
		}
		if n.ops > maxOperators {
			unsure = true
		}
		return n.sops > maxOperators
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if k := len(modes); k > 0 && modes[k-1] == quoted {
			switch {
			case c == '"':
				modes = modes[:k-1]
				n.close()
			case c == '\\':
				if i+1 >= len(src) || src[i+1] == '\n' || src[i+1] == '\r' {
					return false, false, 0, false
				}
				i++ // the escaped character; a multi-byte one's tail bytes mean nothing here
			case c == '\n' || c == '\r':
				return false, false, 0, false
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal text
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				open(interp)
				if n.depth > max {
					return false, true, i, false
				}
				if n.total() > max {
					unsure = true // as below: the quoted branch skips that check
				}
				i++
				if i+1 < len(src) && src[i+1] == '~' {
					i++ // a strip marker belongs to the opening token
				}
			}
			continue
		}
		if c >= utf8.RuneSelf {
			return false, false, 0, false // identifiers beyond ASCII: the lexer decides
		}
		switch {
		case c == '!' || c == '-' && !ident:
			n.run++
			ident = false
			if n.depth+n.run-2 > max {
				return false, true, i, false
			}
		case c == ' ' || c == '\t':
			ident = false
		default:
			n.run = 0
			ident = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || ident && (c >= '0' && c <= '9' || c == '-')
		}
		switch c {
		case '+':
			exponent := i >= 2 && (src[i-1] == 'e' || src[i-1] == 'E') && (src[i-2] >= '0' && src[i-2] <= '9' || src[i-2] == '.')
			if op(i, !exponent) {
				return false, true, i, true
			}
		case '-', '*', '=', '>', '!':
			if c != '-' || !ident {
				op(i, false)
			}
		case '%':
			if op(i, true) {
				return false, true, i, true
			}
		case '&', '|':
			if i+1 < len(src) && src[i+1] == c {
				i++
				if op(i, true) {
					return false, true, i - 1, true
				}
			} else {
				op(i, false)
			}
		case '\n':
			n.endOps(true)
		case '(', '[':
			n.open(false)
			if n.depth > max {
				return false, true, i, false
			}
		case ')', ']':
			n.close()
		case '{':
			open(brace)
			if n.depth > max {
				return false, true, i, false
			}
		case '}':
			k := len(modes)
			if k == 0 {
				return false, false, 0, false
			}
			modes = modes[:k-1]
			n.close()
		case '"':
			open(quoted)
			if n.depth > max {
				return false, true, i, false
			}
		case '?':
			n.question()
		case ',':
			n.endItem(false)
		case '~':
			return false, false, 0, false
		case '<':
			op(i, false)
			if i+1 < len(src) && src[i+1] == '<' {
				return false, false, 0, false // perhaps a heredoc
			}
		case '#':
			i = endOfLine(src, i)
			n.endOps(true) // the comment's newline ends the item too
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				i = endOfLine(src, i)
				n.endOps(true)
			} else if i+1 < len(src) && src[i+1] == '*' {
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return false, false, 0, false
				}
				i += 2 + end + 1
			} else if op(i, true) {
				return false, true, i, true
			}
		}
		if n.total() > max {
			unsure = true // conditionals or a unary run near the limit: the lexer decides, unless a later part is surely too deep
		}
	}
	return !unsure, !unsure, 0, false
}

// endOfLine returns the index of the newline ending the line at i, or the
// last index of src.
func endOfLine(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src) - 1
}
