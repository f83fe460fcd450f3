package check

import (
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
	"github.com/trgen/trgen/internal/version"
)

// platform checks the Core Platform version and the required computer groups.
func (c *checker) platform() {
	p := c.d.Platform
	cp := c.cat.CorePlatform
	if v, ok := c.parseVersion(p.CoreVersion, "platform core_version", p.CoreVersionRange); ok {
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

// clientVersion applies the Tanium Client rules of "Tanium dependencies".
func (c *checker) clientVersion(g *model.EndpointGroup) {
	cl := c.cat.Client
	v, ok := c.parseVersion(g.ClientVersion, "client_version", g.ClientVersionRange)
	if !ok {
		return
	}
	rng := g.ClientVersionRange
	for _, ex := range cl.ExcludedVersions {
		if v.Compare(version.MustParse(ex.Version)) == 0 {
			c.add(rule.ClientExcluded, rng, fmt.Sprintf("Tanium Client %s is not supported", v),
				fmt.Sprintf("Clients %s and later are supported with the exception of %s. Upgrade the group %q to another listed client.", cl.MinVersion, ex.Version, g.Name), &ex.Source)
			return
		}
	}
	if v.Less(version.MustParse(cl.MinVersion)) {
		c.add(rule.ClientTooOld, rng, fmt.Sprintf("Tanium Client %s is older than the minimum", v),
			fmt.Sprintf("Threat Response needs Tanium Client %s or later (not %s). Upgrade the group %q.", cl.MinVersion, cl.ExcludedVersions[0].Version, g.Name), &cl.Source)
		return
	}
	if g.OS == model.OSMacOS {
		mm := cl.MacOSMinimum
		if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil && p.Version.AtLeast(version.MustParse(mm.MacOSFrom)) && v.Less(version.MustParse(mm.MinVersion)) {
			c.add(rule.ClientMacOS, rng, fmt.Sprintf("Tanium Client %s is too old for %s", v, p.Canonical),
				fmt.Sprintf("For macOS %s and later, Tanium Client %s is required as a minimum. Upgrade the group %q.", mm.MacOSFrom, mm.MinVersion, g.Name), &mm.Source)
			return
		}
	}
	listed := false
	for _, line := range cl.ListedLines {
		from := version.MustParse(line.From)
		lp := version.MustParse(line.Line)
		if v.Less(from) || (!line.AndLater && !v.HasPrefix(lp)) {
			continue
		}
		if line.RequiresThreatResponse != "" && c.tr.Less(version.MustParse(line.RequiresThreatResponse)) {
			c.add(rule.Client74, rng, fmt.Sprintf("Tanium Client %s needs Threat Response %s or later", v, line.RequiresThreatResponse),
				fmt.Sprintf("%s and later clients are supported on Threat Response %s and later; this deployment runs %s. Upgrade Threat Response or keep the group on a 7.2 client.", line.From, line.RequiresThreatResponse, c.tr), &line.Source)
			return
		}
		listed = true
		// A later line with a higher "from" may also match; the first is enough.
		break
	}
	if !listed {
		var lines []string
		for _, line := range cl.ListedLines {
			s := line.From + " and later"
			if !line.AndLater {
				s += " in the " + line.Line + " line"
			}
			lines = append(lines, s)
		}
		c.add(rule.ClientUnlisted, rng, fmt.Sprintf("Tanium Client %s is not a listed version", v),
			fmt.Sprintf("The listed clients are %s (except %s). With an unlisted client, certain product features might not be available. Move the group %q to a listed client.",
				strings.Join(lines, ", "), cl.ExcludedVersions[0].Version, g.Name), &cl.Unlisted.Source)
	}
}

// endpointOS checks the group's OS version is recognisable and supported.
func (c *checker) endpointOS(g *model.EndpointGroup) {
	if _, known := firewallsByOS[g.OS]; !known {
		return // the schema already reported the os value
	}
	p, err := osversion.Parse(g.OS, g.OSVersion)
	if err != nil {
		c.add(rule.OSVersionInvalid, g.OSVersionRange, fmt.Sprintf("Unrecognised %s version %q", g.OS, truncate(g.OSVersion)),
			osversion.Accepted(g.OS), nil)
		return
	}
	switch g.OS {
	case model.OSWindows:
		w, ok := c.cat.WindowsVersion(p.Canonical)
		if !ok {
			panic("catalog lacks " + p.Canonical) // the catalog test guards this
		}
		if !w.Supported {
			c.add(rule.OSUnsupported, g.OSVersionRange, fmt.Sprintf("%s is not supported", w.Name),
				"Threat Response needs Windows 7 or Windows Server 2008 R2 or later; Windows XP, Windows Server 2008 and Windows Server 2003 are not supported. Upgrade the group's endpoints or leave them out.", &c.cat.Windows.Source)
		}
	case model.OSMacOS:
		if min := version.MustParse(c.cat.MacOS.MinVersion); p.Version.Less(min) {
			c.add(rule.OSUnsupported, g.OSVersionRange, fmt.Sprintf("%s is not supported", p.Canonical),
				fmt.Sprintf("Threat Response needs macOS %s or later. Upgrade the group's endpoints or leave them out.", c.cat.MacOS.MinVersion), &c.cat.MacOS.Source)
			return
		}
		for _, ki := range c.cat.KnownIssues {
			if ki.MacOSFrom == "" || c.tr.Compare(version.MustParse(ki.ThreatResponse)) != 0 || p.Version.Less(version.MustParse(ki.MacOSFrom)) {
				continue
			}
			c.add(rule.MacOSKnownIssue, g.OSVersionRange, fmt.Sprintf("Known issue with Threat Response %s on %s", c.tr, p.Canonical),
				fmt.Sprintf("%s Accepting this means analysts cannot browse protected directories of the group %q over a live connection; upgrade Threat Response to avoid it.", ki.Text, g.Name), &ki.Source)
		}
	}
}
