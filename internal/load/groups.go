package load

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// parallelGroupsFrom is the group count from which groups are decoded on
// several goroutines; below it the goroutines cost more than they save.
const parallelGroupsFrom = 64

// setAside wraps a deployment body so that gohcl's decode of the deployment
// sees the full schema (unknown names are still reported, with suggestions)
// but receives no blocks of type blockType: those are kept in blocks, to be
// decoded separately.
type setAside struct {
	hcl.Body
	blockType string
	blocks    hcl.Blocks
}

func (b *setAside) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, d := b.Body.Content(s)
	b.take(c)
	return c, d
}

func (b *setAside) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	c, rest, d := b.Body.PartialContent(s)
	b.take(c)
	return c, rest, d
}

func (b *setAside) take(c *hcl.BodyContent) {
	if c == nil {
		return
	}
	kept := c.Blocks[:0:0]
	for _, blk := range c.Blocks {
		if blk.Type == b.blockType {
			b.blocks = append(b.blocks, blk)
		} else {
			kept = append(kept, blk)
		}
	}
	c.Blocks = kept
}

// decodeDeployment decodes a deployment block, its endpoint groups on up to
// GOMAXPROCS goroutines. Results and diagnostics keep source order.
func decodeDeployment(blk *hcl.Block, ctx *hcl.EvalContext, files map[string]*hcl.File) (*model.Deployment, hcl.Diagnostics) {
	dep := &model.Deployment{
		Name:      blk.Labels[0],
		NameRange: blk.LabelRanges[0],
		DeclRange: blk.DefRange,
		TypeRange: blk.TypeRange,
	}
	acc := &acceptances{ctx: ctx}
	body := &setAside{Body: acc.wrap(blk.Body, fmt.Sprintf("deployment %q", dep.Name), blockRange(blk), true), blockType: "endpoint_group"}
	diags := gohcl.DecodeBody(body, ctx, dep)
	dep.Body = blk.Body

	groups := make([]model.EndpointGroup, len(body.blocks))
	groupDiags := make([]hcl.Diagnostics, len(body.blocks))
	decode := func(i int) {
		b := body.blocks[i]
		g := &groups[i]
		g.Name, g.NameRange, g.DeclRange = b.Labels[0], b.LabelRanges[0], b.DefRange
		groupDiags[i] = gohcl.DecodeBody(b.Body, ctx, g)
		g.Body = b.Body
	}
	workers := runtime.GOMAXPROCS(0)
	if len(groups) < parallelGroupsFrom || workers < 2 {
		for i := range groups {
			decode(i)
		}
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(groups); i += workers {
					decode(i)
				}
			}()
		}
		wg.Wait()
	}
	dep.EndpointGroups = groups
	for _, d := range groupDiags {
		diags = append(diags, d...)
	}
	pointMissingAtLabels(diags, files)
	explainPlacement(diags)
	accepts, adiags := acc.sorted()
	dep.Accepts = accepts
	return dep, append(tagAll(diags, rule.Decode), adiags...)
}
