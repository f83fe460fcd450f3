package generate

import (
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/changes"
	"github.com/trgen/trgen/internal/plan"
)

// PlanView is the data of the incremental change request (trgen plan
// --format markdown).
type PlanView struct {
	Header Header
	Plan   *changes.Plan
	// From is the previous output folder compared with.
	From string
	// Request is the change_request block's header.
	Request RequestHeader
}

// RequestView is the change board's header, as change-request.md has it.
func (v PlanView) RequestView() RequestView {
	return RequestView{Request: v.Request, ThreatResponse: v.Header.ThreatResponse}
}

// PlanBoundary is one boundary's flows to open and close, each as
// consolidated rules and as flows, and its flows to change.
type PlanBoundary struct {
	Name        string
	Open, Close []changes.Flow
	OpenRules   []plan.Rule
	CloseRules  []plan.Rule
	Change      []changes.FlowChange
}

// Boundaries returns the plan's boundaries with their consolidated rules.
func (v PlanView) Boundaries() []PlanBoundary {
	var out []PlanBoundary
	for _, b := range v.Plan.Boundaries {
		out = append(out, PlanBoundary{
			Name: b.Boundary, Open: b.Open, Close: b.Close, Change: b.Change,
			OpenRules: plan.Consolidate(asFlows(b.Boundary, b.Open)), CloseRules: plan.Consolidate(asFlows(b.Boundary, b.Close)),
		})
	}
	return out
}

// asFlows turns flows.csv rows back into plan flows, enough to
// consolidate them: names, addresses, protocol, port and boundary.
func asFlows(boundary string, rows []changes.Flow) []plan.Flow {
	from, to, _ := strings.Cut(boundary, " → ")
	node := func(name, addrs, zone string) plan.Node {
		n := plan.Node{Name: name, Zone: zone}
		if addrs != "" {
			n.Addresses = strings.Split(addrs, ";")
		}
		return n.Described()
	}
	out := make([]plan.Flow, len(rows))
	for i, r := range rows {
		port, _ := strconv.Atoi(r.Port)
		out[i] = plan.Flow{ID: r.ID, Source: node(r.Source, r.SourceAddress, from), Destination: node(r.Destination, r.DestinationAddress, to),
			Protocol: r.Protocol, Port: port, Purpose: r.Purpose, Reference: r.Reference, NeededBy: r.NeededBy}
	}
	return out
}
