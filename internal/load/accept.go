package load

import (
	"fmt"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// acceptAttr is the attribute every block may carry: a map from a warning
// rule's id to the reason the user accepts its findings in the block.
const acceptAttr = "accept"

// acceptances collects the accept entries of the bodies it wraps. Groups
// are decoded on several goroutines, so it locks.
type acceptances struct {
	ctx   *hcl.EvalContext
	mu    sync.Mutex
	list  []model.Acceptance
	diags hcl.Diagnostics
}

// wrap returns body with the accept attribute taken out of every schema
// gohcl asks for, in it and in its nested blocks; block names the block
// and scope is its whole range. deployment marks the deployment block.
func (a *acceptances) wrap(body hcl.Body, block string, scope hcl.Range, deployment bool) hcl.Body {
	return &acceptBody{Body: body, a: a, block: block, scope: scope, deployment: deployment}
}

// sorted returns the entries in source order, and the diagnostics about them.
func (a *acceptances) sorted() ([]model.Acceptance, hcl.Diagnostics) {
	sort.SliceStable(a.list, func(i, j int) bool {
		x, y := a.list[i].KeyRange, a.list[j].KeyRange
		if x.Filename != y.Filename {
			return x.Filename < y.Filename
		}
		return x.Start.Byte < y.Start.Byte
	})
	sort.SliceStable(a.diags, func(i, j int) bool { return a.diags[i].Subject.Start.Byte < a.diags[j].Subject.Start.Byte })
	return a.list, a.diags
}

type acceptBody struct {
	hcl.Body
	a          *acceptances
	block      string
	scope      hcl.Range
	deployment bool
	done       bool
}

func withAccept(s *hcl.BodySchema) *hcl.BodySchema {
	out := *s
	out.Attributes = append(append([]hcl.AttributeSchema(nil), s.Attributes...), hcl.AttributeSchema{Name: acceptAttr})
	return &out
}

func (b *acceptBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, d := b.Body.Content(withAccept(s))
	b.take(c)
	return c, d
}

func (b *acceptBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	c, rest, d := b.Body.PartialContent(withAccept(s))
	b.take(c)
	return c, rest, d
}

func (b *acceptBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, d := b.Body.JustAttributes()
	if attr, ok := attrs[acceptAttr]; ok {
		delete(attrs, acceptAttr)
		b.record(attr)
	}
	return attrs, d
}

// take removes the accept attribute from c, records it, and wraps the
// nested blocks' bodies.
func (b *acceptBody) take(c *hcl.BodyContent) {
	if c == nil {
		return
	}
	if attr, ok := c.Attributes[acceptAttr]; ok {
		delete(c.Attributes, acceptAttr)
		b.record(attr)
	}
	for _, blk := range c.Blocks {
		name := blk.Type
		for _, l := range blk.Labels {
			name += fmt.Sprintf(" %q", l)
		}
		blk.Body = b.a.wrap(blk.Body, name, blockRange(blk), false)
	}
}

// blockRange is a block's whole range: its header to its closing brace.
func blockRange(blk *hcl.Block) hcl.Range {
	if sb, ok := blk.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(blk.DefRange, sb.SrcRange)
	}
	// JSON: a body's missing-item range is its closing brace.
	return hcl.RangeBetween(blk.DefRange, blk.Body.MissingItemRange())
}

// record checks one accept attribute's shape and keeps its entries. What
// the rule ids mean is check's business.
func (b *acceptBody) record(attr *hcl.Attribute) {
	if b.done { // gohcl may ask twice for the same body
		return
	}
	b.done = true
	var diags hcl.Diagnostics
	defer func() {
		b.a.mu.Lock()
		b.a.diags = append(b.a.diags, diags...)
		b.a.mu.Unlock()
	}()
	bad := func(rng hcl.Range, summary, detail string) {
		diags = append(diags, rule.Tag(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}, rule.AcceptInvalid))
	}
	const shape = `Write accept = { network-overlap = "why the warning is acceptable here" }: each key a warning's rule id, each value the reason.`
	pairs, pd := hcl.ExprMap(attr.Expr)
	if pd.HasErrors() {
		if v, vd := attr.Expr.Value(b.a.ctx); !vd.HasErrors() && (v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType()) {
			bad(attr.Expr.Range(), "An accepted warning needs a reason", "accept lists rule ids without saying why. "+shape)
			return
		}
		bad(attr.Expr.Range(), "Invalid accept", "accept must be a map written out in the block. "+shape)
		return
	}
	var out []model.Acceptance
	for _, p := range pairs {
		k, kd := p.Key.Value(b.a.ctx)
		if kd.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			bad(p.Key.Range(), "Invalid accept key", "Each key of accept is a rule id, such as network-overlap. "+shape)
			continue
		}
		v, vd := p.Value.Value(b.a.ctx)
		if vd.HasErrors() {
			diags = append(diags, tagAll(vd, rule.Decode)...)
			continue
		}
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			bad(p.Value.Range(), "An accepted warning needs a reason", fmt.Sprintf("The value for %s must be a string that says why its warnings are acceptable here. %s", k.AsString(), shape))
			continue
		}
		out = append(out, model.Acceptance{Rule: k.AsString(), Reason: v.AsString(), Block: b.block, Deployment: b.deployment,
			Scope: b.scope, KeyRange: p.Key.Range(), ReasonRange: p.Value.Range()})
	}
	b.a.mu.Lock()
	b.a.list = append(b.a.list, out...)
	b.a.mu.Unlock()
}
