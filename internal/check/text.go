package check

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/rule"
)

// text checks the free text a deployment copies into its outputs: role and
// user group display names and descriptions, and computer group names.
func (c *checker) text() {
	d := c.d
	for i, g := range d.Platform.ComputerGroups {
		c.freeText(g, elemRange(d.Platform.ComputerGroupRanges, i, d.Platform.ComputerGroupsRange), "computer group name")
	}
	for i := range d.Roles {
		r := &d.Roles[i]
		if r.DisplayName != nil {
			c.freeText(*r.DisplayName, r.DisplayNameRange, "display_name")
		}
		if r.Description != nil {
			c.freeText(*r.Description, r.DescriptionRange, "description")
		}
	}
	for i := range d.UserGroups {
		g := &d.UserGroups[i]
		if g.DisplayName != nil {
			c.freeText(*g.DisplayName, g.DisplayNameRange, "display_name")
		}
	}
}

// freeText reports the first control or bidirectional-formatting character
// of s.
func (c *checker) freeText(s string, rng hcl.Range, what string) {
	i := strings.IndexFunc(s, diag.Unsafe)
	if i < 0 {
		return
	}
	r := []rune(s[i:])[0]
	c.add(rule.TextInvalid, rng, fmt.Sprintf("The %s holds the character %U", what, r),
		fmt.Sprintf("%q: control characters break the lines of the Console import files, the runbook and the change request, and bidirectional overrides make text read differently from what it is. Remove the character.", truncate(s)), nil)
}
