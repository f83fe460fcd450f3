package check

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

// anchor records that finding d, which points outside the configuration,
// belongs where rng is: an accept entry on a block around rng accepts it.
func (c *checker) anchor(d *hcl.Diagnostic, rng hcl.Range) {
	if c.anchors == nil {
		c.anchors = map[*hcl.Diagnostic]hcl.Range{}
	}
	c.anchors[d] = rng
}

// acceptable lists the rule ids an accept entry may name: the warnings
// about a deployment's files.
func acceptable() []string {
	var out []string
	for _, r := range rule.All() {
		if r.Severity == hcl.DiagWarning && rule.Scope(r.ID) == rule.ScopeDeployment && r.ID != rule.AcceptUnmatched {
			out = append(out, string(r.ID))
		}
	}
	return out
}

// accept checks the deployment's accept entries, marks each warning an
// entry covers as accepted, and reports the entries that cover none. It
// runs last, on every finding.
func (c *checker) accept() {
	var valid []model.Acceptance
	seen := map[string]hcl.Range{}
	for _, a := range c.d.Accepts {
		r, known := rule.Lookup(rule.ID(a.Rule))
		switch {
		case !known:
			c.add(rule.AcceptInvalid, a.KeyRange, fmt.Sprintf("No rule %q to accept", a.Rule),
				"accept's keys are the rule ids of warnings (trgen explain lists every rule)."+suggest.DidYouMean(a.Rule, acceptable()), nil)
			continue
		case r.Severity == hcl.DiagError:
			c.add(rule.AcceptInvalid, a.KeyRange, fmt.Sprintf("Errors cannot be accepted: %s", a.Rule),
				fmt.Sprintf("%s is an error (%s): the deployment does not work as written until it is fixed. How to fix it: %s", a.Rule, strings.TrimSuffix(r.Title, "."), r.Fix), nil)
			continue
		case rule.Scope(r.ID) != rule.ScopeDeployment || r.ID == rule.AcceptUnmatched:
			c.add(rule.AcceptInvalid, a.KeyRange, fmt.Sprintf("%s cannot be accepted in a deployment", a.Rule),
				fmt.Sprintf("%s is not a finding about the deployment's files; accept names the rules of warnings validate reports.", a.Rule), nil)
			continue
		case strings.TrimSpace(a.Reason) == "":
			c.add(rule.AcceptInvalid, a.ReasonRange, "An accepted warning needs a reason",
				fmt.Sprintf("Say why %s is acceptable here; the reason is shown wherever the accepted warning is listed.", a.Rule), nil)
			continue
		case strings.ContainsFunc(a.Reason, diag.Unsafe):
			c.add(rule.AcceptInvalid, a.ReasonRange, "A control or bidirectional character in an accept reason",
				"The reason is copied into the runbook, report.json and SARIF; write it as plain text on one line.", nil)
			continue
		}
		key := a.Block + "\x00" + a.Rule
		if first, dup := seen[key]; dup {
			c.add(rule.AcceptInvalid, a.KeyRange, fmt.Sprintf("%s is accepted twice in %s", a.Rule, a.Block),
				fmt.Sprintf("The first entry is at %s; keep one.", first), nil)
			continue
		}
		seen[key] = a.KeyRange
		valid = append(valid, a)
	}
	used := make([]bool, len(valid))
	for _, d := range c.diags {
		if d.Severity != hcl.DiagWarning {
			continue
		}
		id := string(rule.Of(d))
		at, anchored := c.anchors[d]
		if !anchored && d.Subject != nil {
			at = *d.Subject
		}
		// The innermost entry wins: the block's own before the deployment's.
		best := -1
		for i, a := range valid {
			if a.Rule != id {
				continue
			}
			if !a.Deployment && (d.Subject == nil || !within(at, a.Scope)) {
				continue
			}
			if best < 0 || (valid[best].Deployment && !a.Deployment) || (!a.Deployment && within(a.Scope, valid[best].Scope)) {
				best = i
			}
		}
		if best >= 0 {
			used[best] = true
			rule.Accept(d, rule.Acceptance{Reason: valid[best].Reason, At: valid[best].KeyRange})
		}
	}
	for i, a := range valid {
		if used[i] {
			continue
		}
		where := "in " + a.Block
		if a.Deployment {
			where = "in the deployment"
		}
		c.add(rule.AcceptUnmatched, a.KeyRange, fmt.Sprintf("No %s warning %s to accept", a.Rule, where),
			"The warning this entry was written for is no longer reported here. Remove the entry, or move it to the block the warning is reported in.", nil)
	}
}

// within reports whether r lies inside outer.
func within(r, outer hcl.Range) bool {
	return r.Filename == outer.Filename && r.Start.Byte >= outer.Start.Byte && r.End.Byte <= outer.End.Byte
}
