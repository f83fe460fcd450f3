package cli

import (
	"io"

	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/render"
)

// fleetPage is what fleet's HTML report shows: the report, the worst
// endpoints, and where they came from. html/template escapes every value
// for its place in the page, as for runbook.html.
type fleetPage struct {
	Deployment, Inventory, Catalog, TrgenVersion string
	Report                                       *fleet.Report
	Worst                                        []fleet.EndpointReport
	// Endpoints counts the endpoints with findings; Worst holds the first.
	Endpoints int
	// Filled by writeFleetHTML.
	Groups     []groupBar
	NotChecked []string
	MoreBad    int
}

// groupBar is a group's row: its counts and the widths of its bar (300
// units wide: failing, warnings only, ready).
type groupBar struct {
	fleet.GroupStats
	Ready                      int
	FailW, WarnW, PassX, PassW int
}

const barWidth = 300

func writeFleetHTML(w io.Writer, p fleetPage) error {
	for _, g := range worstGroups(p.Report.Groups) {
		b := groupBar{GroupStats: g, Ready: g.Checked - g.Failing - g.Warning}
		if g.Name == "" {
			b.Name = "(no group)"
		}
		if g.Checked > 0 {
			b.FailW = g.Failing * barWidth / g.Checked
			b.WarnW = (g.Failing+g.Warning)*barWidth/g.Checked - b.FailW
			b.PassX = b.FailW + b.WarnW
			b.PassW = barWidth - b.PassX
		}
		p.Groups = append(p.Groups, b)
	}
	p.NotChecked = notCheckedLines(p.Report)
	p.MoreBad = p.Report.BadRows - len(p.Report.Bad)
	eng, err := render.New("")
	if err != nil {
		return err
	}
	page, err := eng.RenderHTML(render.Output{Path: "fleet.html", Template: "fleet/report.html.tmpl", Data: p})
	if err != nil {
		return err
	}
	_, err = w.Write(page)
	return err
}
