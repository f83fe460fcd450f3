package load

import (
	"fmt"

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

// checkDepth lexes src (HCL native syntax) and reports the first place
// nesting goes deeper than max, before the parser recurses into it.
func checkDepth(name string, src []byte, max int) *hcl.Diagnostic {
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
