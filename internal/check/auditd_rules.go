package check

import (
	"fmt"
	"os"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/model"
)

// siteRules lints a Linux group's site_rules with the audit rule linter.
// When the rules were read with file("<path>"), findings point into that
// file and its text is kept for snippets; otherwise they point at the
// site_rules attribute and name the line.
func (c *checker) siteRules(g *model.EndpointGroup) {
	a := g.Auditd
	if a == nil || a.SiteRules == nil || g.OS != model.OSLinux {
		return
	}
	name := a.SiteRulesFile
	if name == "" {
		name = fmt.Sprintf("site_rules of endpoint_group %q", g.Name)
	}
	dir := model.Str(g.ClientDir, c.cat.Client.DefaultDirs[model.OSLinux])
	opts := auditrule.CatalogOptions(c.cat, dir)
	opts.Site = true
	opts.AuditdVersion = a.Version // the syscall table of the group's auditd
	diags, _ := auditrule.Lint([]auditrule.File{{Name: name, Data: []byte(*a.SiteRules)}}, opts)
	if len(diags) == 0 {
		return
	}
	if a.SiteRulesFile != "" {
		if data, err := os.ReadFile(a.SiteRulesFile); err == nil && string(data) == *a.SiteRules {
			if c.sources == nil {
				c.sources = map[string][]byte{}
			}
			c.sources[a.SiteRulesFile] = data
		} else {
			name = "" // the text is not the file's (or unreadable): point at the attribute
		}
	}
	for _, d := range diags {
		if a.SiteRulesFile == "" || name == "" {
			line, col := d.Subject.Start.Line, d.Subject.Start.Column
			d.Detail = fmt.Sprintf("In site_rules, line %d, column %d: %s", line, col, d.Detail)
			d.Subject = a.SiteRulesRange.Ptr()
		}
		c.anchor(d, a.SiteRulesRange) // accepted on the group's blocks, not in the file
		c.diags = append(c.diags, d)
	}
}

// Sources are files other than the configuration that diagnostics point
// into (site rules read with file()), for snippets.
func (r Result) Sources() map[string][]byte { return r.sources }
