// Package pslex tokenizes PowerShell at the level that matters for
// injection: comments, single-quoted strings (', and the typographic
// U+2018 to U+201B, each doubled to escape), double-quoted strings
// (", U+201C to U+201E, with backtick escapes, doubled quotes and live
// $variables and $( ) subexpressions), here-strings, and everything else as
// bare words. Tests use it to check that generated scripts parse and that
// every value trgen interpolates is a single-quoted literal. It is not a
// PowerShell parser.
package pslex

import (
	"fmt"
	"strings"
	"unicode"
)

// Kind is a token kind.
type Kind int

// Token kinds.
const (
	Word Kind = iota
	Comment
	SingleQuoted
	DoubleQuoted
	HereSingle
	HereDouble
)

func (k Kind) String() string {
	return [...]string{"word", "comment", "single-quoted", "double-quoted", "here-string", "expandable here-string"}[k]
}

// Token is one lexical token.
type Token struct {
	Kind Kind
	// Text is the token as written.
	Text string
	// Value is a string literal's content with its quoting removed.
	Value string
	// Expands reports a double-quoted string holding $variables or $( ).
	Expands bool
	// Offset is the byte offset of the token.
	Offset int
}

func isSingle(r rune) bool { return r == '\'' || (r >= '\u2018' && r <= '\u201b') }
func isDouble(r rune) bool { return r == '"' || (r >= '\u201c' && r <= '\u201e') }

// Lex tokenizes src. An unterminated string, here-string, block comment or
// subexpression is an error with its offset.
func Lex(src string) ([]Token, error) {
	l := &lexer{src: []rune(src)}
	for {
		l.skipSpace()
		if l.pos >= len(l.src) {
			return l.toks, nil
		}
		if err := l.next(); err != nil {
			return nil, err
		}
	}
}

type lexer struct {
	src  []rune
	pos  int
	toks []Token
}

func (l *lexer) peek(off int) rune {
	if l.pos+off < len(l.src) {
		return l.src[l.pos+off]
	}
	return 0
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) && (unicode.IsSpace(l.src[l.pos]) || (l.src[l.pos] == '`' && (l.peek(1) == '\n' || l.peek(1) == '\r'))) {
		l.pos++
	}
}

func (l *lexer) emit(k Kind, start int, value string, expands bool) {
	l.toks = append(l.toks, Token{Kind: k, Text: string(l.src[start:l.pos]), Value: value, Expands: expands, Offset: len(string(l.src[:start]))})
}

func (l *lexer) errorf(start int, format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", len(string(l.src[:start])), fmt.Sprintf(format, args...))
}

func (l *lexer) next() error {
	start := l.pos
	r := l.src[l.pos]
	switch {
	case r == '#':
		for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
			l.pos++
		}
		l.emit(Comment, start, "", false)
	case r == '<' && l.peek(1) == '#':
		end := strings.Index(string(l.src[l.pos+2:]), "#>")
		if end < 0 {
			return l.errorf(start, "unterminated block comment")
		}
		l.pos += 2 + len([]rune(string(l.src[l.pos+2:])[:end])) + 2
		l.emit(Comment, start, "", false)
	case r == '@' && (isSingle(l.peek(1)) || isDouble(l.peek(1))):
		return l.hereString(start)
	case isSingle(r):
		v, err := l.single()
		if err != nil {
			return err
		}
		l.emit(SingleQuoted, start, v, false)
	case isDouble(r):
		v, exp, err := l.double()
		if err != nil {
			return err
		}
		l.emit(DoubleQuoted, start, v, exp)
	default:
		for l.pos < len(l.src) {
			c := l.src[l.pos]
			if unicode.IsSpace(c) || isSingle(c) || isDouble(c) || c == '#' && l.pos > start {
				break
			}
			if c == '`' && l.pos+1 < len(l.src) {
				l.pos += 2
				continue
			}
			l.pos++
		}
		if l.pos == start {
			l.pos++
		}
		l.emit(Word, start, "", false)
	}
	return nil
}

// single reads a single-quoted string: any two single-quote characters in
// a row stand for the first; one alone ends the string.
func (l *lexer) single() (string, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if isSingle(c) {
			if isSingle(l.peek(1)) {
				b.WriteRune(c)
				l.pos += 2
				continue
			}
			l.pos++
			return b.String(), nil
		}
		b.WriteRune(c)
		l.pos++
	}
	return "", l.errorf(start, "unterminated single-quoted string")
}

// double reads a double-quoted string, following $( ) subexpressions.
func (l *lexer) double() (string, bool, error) {
	start := l.pos
	l.pos++
	var b strings.Builder
	expands := false
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '`' && l.pos+1 < len(l.src):
			b.WriteRune(l.src[l.pos+1])
			l.pos += 2
		case isDouble(c) && isDouble(l.peek(1)):
			b.WriteRune(c)
			l.pos += 2
		case isDouble(c):
			l.pos++
			return b.String(), expands, nil
		case c == '$' && l.peek(1) == '(':
			expands = true
			if err := l.subexpression(); err != nil {
				return "", false, err
			}
		case c == '$' && (unicode.IsLetter(l.peek(1)) || l.peek(1) == '_' || l.peek(1) == '{' || l.peek(1) == '$' || l.peek(1) == '?'):
			expands = true
			b.WriteRune(c)
			l.pos++
		default:
			b.WriteRune(c)
			l.pos++
		}
	}
	return "", false, l.errorf(start, "unterminated double-quoted string")
}

// subexpression skips $( ... ) with nesting and strings inside.
func (l *lexer) subexpression() error {
	start := l.pos
	l.pos += 2
	depth := 1
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isSingle(c):
			if _, err := l.single(); err != nil {
				return err
			}
			continue
		case isDouble(c):
			if _, _, err := l.double(); err != nil {
				return err
			}
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				l.pos++
				return nil
			}
		}
		l.pos++
	}
	return l.errorf(start, "unterminated $( ) subexpression")
}

// hereString reads @'...'@ or @"..."@: the opener ends its line, and the
// closer starts a line.
func (l *lexer) hereString(start int) error {
	double := isDouble(l.peek(1))
	l.pos += 2
	for l.pos < len(l.src) && (l.src[l.pos] == ' ' || l.src[l.pos] == '\t') {
		l.pos++
	}
	if l.pos < len(l.src) && l.src[l.pos] == '\r' {
		l.pos++
	}
	if l.pos >= len(l.src) || l.src[l.pos] != '\n' {
		return l.errorf(start, "here-string opener must end its line")
	}
	l.pos++
	bodyStart := l.pos
	for l.pos < len(l.src) {
		lineStart := l.pos == bodyStart || l.src[l.pos-1] == '\n'
		c := l.src[l.pos]
		if lineStart && l.peek(1) == '@' && ((double && isDouble(c)) || (!double && isSingle(c))) {
			body := strings.TrimSuffix(strings.TrimSuffix(string(l.src[bodyStart:l.pos]), "\n"), "\r")
			l.pos += 2
			k := HereSingle
			exp := false
			if double {
				k = HereDouble
				exp = strings.Contains(body, "$")
			}
			l.emit(k, start, body, exp)
			return nil
		}
		l.pos++
	}
	return l.errorf(start, "unterminated here-string")
}
