// Package suggest finds the known name nearest to a misspelt one, for the
// "did you mean" hints of diagnostics. It uses the same edit distance and
// threshold as HCL's own suggestions.
package suggest

import (
	"fmt"

	"github.com/agext/levenshtein"
)

// Nearest returns the candidate within edit distance 3 of name (the closest,
// first one on ties), or "".
func Nearest(name string, candidates []string) string {
	best, bestD := "", 4
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// DidYouMean returns ` Did you mean "x"?` for the nearest candidate, or "".
func DidYouMean(name string, candidates []string) string {
	if s := Nearest(name, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
