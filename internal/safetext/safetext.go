// Package safetext says which characters no output, terminal or log line
// of trgen may carry raw: control and bidi characters. It is a leaf, so
// that packages that check text (the catalog, the checks, the output
// folder) need not import the diagnostics writers for one test.
package safetext

import "unicode"

// Unsafe reports whether r must not reach a terminal, a document or a
// generated file as it is: a control character (escape sequences, C1) or
// a bidirectional formatting character (Unicode's Bidi_Control, U+061C
// included), which makes text read differently from what it is.
func Unsafe(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }
