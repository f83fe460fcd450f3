package generate

import (
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
)

// AuditdView is the data of one Linux group's audit files.
type AuditdView struct {
	Header Header
	Group  plan.AuditdGroup
	// Deprecated is the page's pointer to where the audit daemon's
	// deprecated parameters are described, when the catalog has it.
	Deprecated *catalog.Source
}

// auditdTemplates maps each rules.d file to its template.
var auditdTemplates = map[string]string{
	plan.AuditBaseFile:     "auditd/base.rules.tmpl",
	plan.AuditSiteFile:     "auditd/site.rules.tmpl",
	plan.AuditTaniumFile:   "auditd/tanium.rules.tmpl",
	plan.AuditFinalizeFile: "auditd/finalize.rules.tmpl",
}

// auditdOutputs lists auditd/<group>/rules.d/*.rules and README.md for
// every Linux group.
func auditdOutputs(d *model.Deployment, c *catalog.Catalog, h Header) []render.Output {
	var outs []render.Output
	for _, g := range plan.Auditd(d, c) {
		v := AuditdView{Header: h, Group: g}
		if n, ok := c.PageNote("auditd-deprecated-parameters"); ok {
			v.Deprecated = &n.Source
		}
		for _, f := range g.Files {
			outs = append(outs, render.Output{Path: "auditd/" + g.Group + "/rules.d/" + f, Template: auditdTemplates[f], Data: v})
		}
		outs = append(outs, render.Output{Path: "auditd/" + g.Group + "/README.md", Template: "auditd/README.md.tmpl", Data: v})
	}
	return outs
}
