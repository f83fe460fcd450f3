package check

import (
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
	"github.com/trgen/trgen/internal/version"
)

// platform checks the Core Platform version and the required computer groups.
func (c *checker) platform() {
	p := c.d.Platform
	cp := c.cat.CorePlatform
	if v, ok := c.parseVersion(p.CoreVersion, "platform core_version", `"`+cp.MinVersion+`"`, p.CoreVersionRange); ok {
		if min := version.MustParse(cp.MinVersion); v.Less(min) {
			c.add(rule.Platform, p.CoreVersionRange,
				fmt.Sprintf("Tanium Core Platform %s is not supported", v),
				fmt.Sprintf("Threat Response needs Tanium Core Platform %s or later; upgrade the Tanium Server.", cp.MinVersion), &cp.Source)
		}
	}
	if p.ComputerGroups == nil {
		return
	}
	var missing []string
	for _, g := range c.cat.ComputerGroups.Required {
		if !contains(p.ComputerGroups, g) {
			missing = append(missing, g)
		}
	}
	if len(missing) > 0 {
		c.add(rule.ComputerGroups, p.ComputerGroupsRange,
			fmt.Sprintf("Required computer groups missing: %s", strings.Join(missing, ", ")),
			fmt.Sprintf("Threat Response requires the computer groups %s. The Tanium Server imports them at first login; create any that are missing and add them to computer_groups.",
				quoteList(c.cat.ComputerGroups.Required)), &c.cat.ComputerGroups.Source)
	}
}

// licenses checks every license name against the catalog.
func (c *checker) licenses() {
	ids := c.cat.LicenseIDs()
	for i, l := range c.d.Licenses {
		if contains(ids, l) {
			continue
		}
		c.add(rule.LicenseUnknown, elemRange(c.d.LicenseRanges, i, c.d.LicensesRange),
			fmt.Sprintf("Unknown license %q", truncate(l)),
			fmt.Sprintf("Licenses are %s.%s", quoteList(ids), suggest.DidYouMean(l, ids)), &c.cat.Licenses[0].Source)
	}
}
