// Package generate lists the files `trgen generate` writes for a checked
// deployment: it runs the planners, pairs each plan with its template (one
// generator per target, as data), and renders them. It writes nothing;
// package emit does.
package generate

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/state"
)

// Header says what generated a file from which input; every template gets it.
type Header struct {
	Deployment     string
	ThreatResponse string
	TrgenVersion   string
	Catalog        string
	// Page is the title of the requirements page the catalog transcribes,
	// for the citations templates write.
	Page string
	// Sources are the configuration file names, comma-separated.
	Sources string
	// catalogVersion is the catalog's version alone, as MANIFEST.json
	// and state.json record it; baseDir the configuration directory, to
	// which state.json's findings name their files relatively (as
	// report.json does). Neither is for templates.
	catalogVersion, baseDir string
}

// WithBaseDir returns h with findings' file names made relative to dir,
// the configuration directory, in state.json.
func (h Header) WithBaseDir(dir string) Header {
	h.baseDir = dir
	return h
}

// NewHeader describes deployment d, loaded from files, checked against c.
func NewHeader(d *model.Deployment, c *catalog.Catalog, trgenVersion string, files []string) Header {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = fileName(f)
	}
	sort.Strings(names)
	cat := c.CatalogVersion
	if c.File != "" {
		cat += " (" + fileName(c.File) + ", given with --catalog)"
	}
	return Header{
		Deployment:     d.Name,
		ThreatResponse: d.ThreatResponseVersion,
		TrgenVersion:   trgenVersion,
		Catalog:        cat,
		Page:           c.Document.Title,
		Sources:        strings.Join(names, ", "),
		catalogVersion: c.CatalogVersion,
	}
}

// fileName is the base name of a file a run read, as the outputs show it:
// a control or bidi character, which a file name may hold but no XML,
// comment or terminal can, becomes "?" (the name only informs).
func fileName(f string) string {
	return diag.OneLine(path.Base(strings.ReplaceAll(f, "\\", "/")))
}

// FirewallView is the data of the deployment-wide firewall files.
type FirewallView struct {
	Header     Header
	Flows      []plan.Flow
	Boundaries []Boundary
	// VendorOptional are the flows whose row the page marks "(Optional)"
	// and this deployment needs.
	VendorOptional []plan.Flow
	// NoChange are the flows no firewall of the organisation is on
	// (plan.Flow.NoChange): listed, in no boundary.
	NoChange []plan.Flow
	// Choices are the flows that are the deployment's choice, not the
	// page's requirement (plan.Flow.Choice).
	Choices []plan.Flow
	// NoSnapshot are the groups behind a Zone Server, which get no
	// snapshot-upload flow, and the reading that says why; empty when no
	// group connects through one.
	NoSnapshot        []string
	NoSnapshotReading string
	// NoSnapshotPorts are the catalog's snapshot-upload ports, "tcp/17443".
	NoSnapshotPorts string
	// Changed counts the flows a firewall of the organisation must allow.
	Changed int
	Zones   []Zone
	Hosts   []HostFiles
	// Request is the change request's header, from change_request.
	Request RequestHeader
	// HostKinds are the host firewalls trgen writes (hostfw.Kinds); each
	// kind's template says how to apply its files.
	HostKinds []hostfw.Kind
}

// Rows are the flows.csv records as plain values, in column order. Built
// when the template asks, so that they are garbage once the file is
// written instead of live while every other file renders.
func (v FirewallView) Rows() [][]string {
	rows := make([][]string, 0, len(v.Flows))
	for _, f := range v.Flows {
		rows = append(rows, []string{f.ID, f.Source.Name, f.Source.AddressList, f.Destination.Name, f.Destination.AddressList,
			f.Protocol, strconv.Itoa(f.Port), f.Direction, f.Service, f.Purpose, f.Requirement, f.NeededBy, f.Reference, f.Boundary(), change(f)})
	}
	return rows
}

// change is flows.csv's change column: "open" for a flow a firewall of
// the organisation must allow, "none: <why>" for one no firewall of the
// organisation is on.
func change(f plan.Flow) string {
	if f.NeedsChange() {
		return "open"
	}
	return "none: " + f.NoChange
}

// RequestHeader is what a change board asks of a request: each value, or
// "" when the deployment does not give it (the template names the
// attribute to set).
type RequestHeader struct {
	Requester, Ticket, Justification, ChangeType string
	WindowStart, WindowEnd, Expires              string
}

// RequestView is the data of the change board's header, which
// change-request.md and the Markdown plan show alike.
type RequestView struct {
	Request        RequestHeader
	ThreatResponse string
}

// RequestView is the change request's header.
func (v FirewallView) RequestView() RequestView {
	return RequestView{Request: v.Request, ThreatResponse: v.Header.ThreatResponse}
}

// NewRequestHeader reads the change_request block (nil: none given).
func NewRequestHeader(cr *model.ChangeRequest) RequestHeader { return requestHeader(cr) }

// requestHeader reads the change_request block.
func requestHeader(cr *model.ChangeRequest) RequestHeader {
	if cr == nil {
		return RequestHeader{}
	}
	return RequestHeader{
		Requester: model.Str(cr.Requester, ""), Ticket: model.Str(cr.Ticket, ""), Justification: model.Str(cr.Justification, ""),
		ChangeType: model.Str(cr.ChangeType, ""), WindowStart: model.Str(cr.WindowStart, ""), WindowEnd: model.Str(cr.WindowEnd, ""),
		Expires: model.Str(cr.Expires, ""),
	}
}

// Boundary is the flows crossing one firewall boundary, and the
// consolidated rules that cover them.
type Boundary struct {
	Name  string
	Flows []plan.Flow
	Rules []plan.Rule
}

// Zone is the nodes of one network zone, for the diagram.
type Zone struct {
	Name  string
	Nodes []plan.Node
}

// HostFiles lists the files written for one host, for the README.
type HostFiles struct {
	Files []FileEntry
}

// FileEntry is a file name and what it holds.
type FileEntry struct {
	Name, What string
}

// HostView is the data of one host firewall file.
type HostView struct {
	Header Header
	Host   plan.HostFirewall
	Family string
	File   string
	// Object is what the file owns on the host (hostfw.Kind.Object).
	Object string
}

// Stream renders every output for d, checked against c with findings
// diags, and hands each file to sink as soon as it exists: the templates'
// outputs, and runbook.html, rendered from runbook.md right after it.
// sink may be called from several goroutines at once, and must copy data
// it keeps after returning (render.Sink). The deployment-wide
// files, the largest, are started first, so that none is left running
// alone at the end.
func Stream(eng *render.Engine, d *model.Deployment, c *catalog.Catalog, h Header, diags hcl.Diagnostics, sink render.Sink) error {
	return StreamPlanned(eng, d, c, h, diags, plan.Planned{}, sink)
}

// StreamPlanned is Stream reusing what the checks planned already
// (check.Result.Planned): each planner runs once per run.
func StreamPlanned(eng *render.Engine, d *model.Deployment, c *catalog.Catalog, h Header, diags hcl.Diagnostics, pre plan.Planned, sink render.Sink) error {
	outs, fw, pl := outputs(d, c, h, diags, pre)
	// The diagram is laid out while the templates run; runbook.html, the
	// one file that needs it, waits for it.
	var dg Diagram
	laidOut := make(chan struct{})
	go func() {
		defer close(laidOut)
		dg = layoutDiagram(fw.Zones, fw.Flows)
	}()
	uses := map[string]int{}
	for _, o := range outs {
		uses[o.Template]++
	}
	slices.SortStableFunc(outs, func(a, b render.Output) int {
		return cmp.Compare(min(uses[a.Template], 2), min(uses[b.Template], 2))
	})
	rec := newStateRecorder()
	err := eng.Stream(outs, func(path string, data []byte) error {
		rec.observe(path, data)
		if err := sink(path, data); err != nil {
			return err
		}
		if path != "runbook/runbook.md" {
			return nil
		}
		<-laidOut
		page, err := RenderHTML(eng, data, h, &dg)
		if err != nil {
			return err
		}
		return sink("runbook/runbook.html", page)
	})
	if err != nil {
		return err
	}
	st, err := state.Marshal(rec.build(h, pl, diags))
	if err != nil {
		return err
	}
	return sink(state.FileName, st)
}

// Outputs returns every template output for d, checked against c.
func Outputs(d *model.Deployment, c *catalog.Catalog, h Header, diags hcl.Diagnostics) []render.Output {
	outs, _, _ := outputs(d, c, h, diags, plan.Planned{})
	return outs
}

// outputs is Outputs, with the firewall view the runbook's diagram is
// drawn from and what the planners returned, which state.json records.
func outputs(d *model.Deployment, c *catalog.Catalog, h Header, diags hcl.Diagnostics, pre plan.Planned) ([]render.Output, FirewallView, *planned) {
	// The planners that do not need the flows run beside the firewall's;
	// planning is the part of a run that renders nothing yet. What the
	// checks planned already (pre) is not planned again.
	pl := &planned{}
	var excl, audit, roles []render.Output
	var wg sync.WaitGroup
	wg.Go(func() {
		pl.exclusions = plan.Exclusions(d, c)
		excl = exclusionOutputs(pl.exclusions, h)
	})
	wg.Go(func() {
		audit = auditdOutputs(d, c, h)
		if pre.Roles != nil {
			pl.roles = *pre.Roles
		} else {
			pl.roles = plan.Roles(d, c)
		}
		roles = roleOutputs(pl.roles, h)
	})
	pl.flows = pre.Flows
	if pl.flows == nil {
		pl.flows = plan.Flows(d, c)
	}
	var capirca []render.Output
	wg.Go(func() {
		if pre.Network != nil && pre.Flows != nil {
			pl.network = *pre.Network
		} else {
			pl.network = plan.NetworkPolicies(d, pl.flows)
		}
		capirca = capircaOutputs(pl.network, h)
	})
	fw, outs, hosts := firewallOutputs(d, c, pl.flows, h)
	pl.hosts = hosts
	wg.Wait()
	outs = append(outs, capirca...)
	outs = append(outs, excl...)
	outs = append(outs, roles...)
	outs = append(outs, audit...)
	outs = append(outs, runbookOutputs(d, c, h, diags, fw, pl.exclusions, pl.roles)...)
	outs = append(outs, SensorOutputs(d, c, h)...)
	slices.SortFunc(outs, func(a, b render.Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, fw, pl
}

// firewallOutputs plans the firewall view of flows (boundaries,
// consolidated rules, zones, the CSV's rows) and lists the firewall
// folder's files: one or two per host firewall, and the deployment-wide
// ones.
func firewallOutputs(d *model.Deployment, c *catalog.Catalog, flows []plan.Flow, h Header) (FirewallView, []render.Output, []plannedHost) {
	hosts := plan.HostFirewalls(d, flows)
	fw := FirewallView{Header: h, Flows: flows, Request: requestHeader(d.ChangeRequest), HostKinds: hostfw.Kinds}
	var changed []plan.Flow
	for i := range flows {
		if flows[i].NeedsChange() {
			changed = append(changed, flows[i])
			fw.Changed++
		} else {
			fw.NoChange = append(fw.NoChange, flows[i])
		}
		if flows[i].Choice != "" {
			fw.Choices = append(fw.Choices, flows[i])
		}
	}
	for _, g := range d.EndpointGroups {
		if g.ConnectVia != nil {
			fw.NoSnapshot = append(fw.NoSnapshot, "endpoint_group."+g.Name)
		}
	}
	slices.Sort(fw.NoSnapshot)
	if r, ok := c.Reading(plan.ReadingSnapshotZone); ok && len(fw.NoSnapshot) > 0 {
		fw.NoSnapshotReading = r.Text
	}
	var snapshotPorts []string
	for _, p := range c.PortsFor(catalog.FlowSnapshotUpload) {
		snapshotPorts = append(snapshotPorts, "tcp/"+strconv.Itoa(p.Port))
	}
	fw.NoSnapshotPorts = strings.Join(snapshotPorts, ", ")
	// Flows sorts by boundary first: each boundary's flows are a run of
	// flows, which its Flows share.
	start := 0
	for i := range changed {
		name := changed[i].Boundary()
		if i+1 == len(changed) || changed[i+1].Boundary() != name {
			fw.Boundaries = append(fw.Boundaries, Boundary{Name: name, Flows: changed[start : i+1 : i+1]})
			start = i + 1
		}
		if changed[i].VendorOptional {
			fw.VendorOptional = append(fw.VendorOptional, changed[i])
		}
	}
	for _, r := range plan.Consolidate(changed) {
		for i := range fw.Boundaries {
			if fw.Boundaries[i].Name == r.Boundary {
				fw.Boundaries[i].Rules = append(fw.Boundaries[i].Rules, r)
			}
		}
	}
	fw.Zones = zones(flows)
	var outs []render.Output
	var files []plannedHost
	for i := range hosts {
		host := hosts[i]
		kind, ok := hostfw.Lookup(host.Kind)
		if !ok {
			panic(fmt.Sprintf("no host firewall %q in hostfw.Kinds", host.Kind)) // the schema restricts the kinds
		}
		var hf HostFiles
		for _, f := range kind.Files {
			if f.Family == "ipv6" && !host.HasIPv6() {
				continue
			}
			name := host.Target + f.Suffix
			hf.Files = append(hf.Files, FileEntry{name, fmt.Sprintf(f.What, host.Host.Name)})
			outs = append(outs, render.Output{
				Path:     "firewall/" + name,
				Template: kind.Template,
				Data:     HostView{Header: h, Host: host, Family: f.Family, File: name, Object: kind.Object},
			})
			files = append(files, plannedHost{path: "firewall/" + name, family: f.Family, host: &hosts[i]})
		}
		fw.Hosts = append(fw.Hosts, hf)
	}
	outs = append(outs,
		render.Output{Path: "firewall/flows.csv", Template: "firewall/flows.csv.tmpl", Data: fw},
		render.Output{Path: "firewall/change-request.md", Template: "firewall/change-request.md.tmpl", Data: fw},
		render.Output{Path: "firewall/flows.mmd", Template: "firewall/flows.mmd.tmpl", Data: fw},
		render.Output{Path: "firewall/README.md", Template: "firewall/README.md.tmpl", Data: fw},
	)
	return fw, outs, files
}

// zones groups the flows' nodes by zone, in zone order, for the diagram.
func zones(flows []plan.Flow) []Zone {
	byZone := map[string]map[string]plan.Node{}
	for _, f := range flows {
		for _, n := range []plan.Node{f.Source, f.Destination} {
			if byZone[n.Zone] == nil {
				byZone[n.Zone] = map[string]plan.Node{}
			}
			byZone[n.Zone][n.Name] = n
		}
	}
	var out []Zone
	for _, z := range plan.ZoneOrder {
		nodes := byZone[z]
		if len(nodes) == 0 {
			continue
		}
		zone := Zone{Name: z}
		for _, n := range nodes {
			zone.Nodes = append(zone.Nodes, n)
		}
		sort.Slice(zone.Nodes, func(i, j int) bool { return zone.Nodes[i].Name < zone.Nodes[j].Name })
		out = append(out, zone)
	}
	return out
}
