package load

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// pointMissingAtLabels moves diagnostics that HCL reports at a block body's
// "missing item" position (the opening brace, as for "Missing required
// argument") to the block's last label, or its type name when it has none:
// the smallest range that tells the author which block lacks something.
func pointMissingAtLabels(diags hcl.Diagnostics, files map[string]*hcl.File) {
	var targets map[hcl.Pos]hcl.Range
	for _, d := range diags {
		s := d.Subject
		if s == nil || s.Start != s.End {
			continue
		}
		if targets == nil {
			targets = map[hcl.Pos]hcl.Range{}
			for _, f := range files {
				if body, ok := f.Body.(*hclsyntax.Body); ok {
					collectBodies(body, targets)
				}
			}
		}
		if r, ok := targets[s.Start]; ok && r.Filename == s.Filename {
			rr := r
			d.Subject = &rr
		}
	}
}

func collectBodies(body *hclsyntax.Body, out map[hcl.Pos]hcl.Range) {
	for _, b := range body.Blocks {
		r := b.TypeRange
		if n := len(b.LabelRanges); n > 0 {
			r = b.LabelRanges[n-1]
		}
		out[b.Body.MissingItemRange().Start] = r
		collectBodies(b.Body, out)
	}
}
