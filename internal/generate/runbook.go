package generate

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// RunbookView is the data of runbook.md: every step decided here, so the
// template only lays it out.
type RunbookView struct {
	Header   Header
	Licenses []string
	// IncidentResponseOnly is set when the only license is incident_response:
	// Live Response works but its workbench is not provided.
	IncidentResponseOnly bool
	LicenseNote          string
	Servers              []RunbookHost
	Groups               []RunbookGroup
	// Flows is the firewall view whose flows firewall/flows.mmd.tmpl
	// draws; the runbook includes that template, so the graph has one
	// source.
	Flows    FirewallView
	Warnings []RunbookFinding
	// Accepted are the warnings the deployment's accept entries cover.
	Accepted       []RunbookFinding
	Checks         []RunbookCheck
	CoreVersion    string
	CoreMinimum    string
	Modules        []RunbookModule
	ComputerGroups []string
	HostScripts    []RunbookFile
	PortChecks     []RunbookPortCheck
	// Zones are the Zone Servers groups connect through, with their steps.
	Zones []RunbookZone
	// Passed counts the checks that found nothing on this deployment.
	Passed        int
	Exclusions    []RunbookExclusion
	Windows       []RunbookGroup
	Linux         []RunbookGroup
	MacOS         []RunbookGroup
	DriverDefault bool
	DriverSteps   []string
	// DriverDefaultFrom is the first version that installs the driver.
	DriverDefaultFrom string
	MacOSMinClient    string
	MacOSFrom         string
	KnownIssues       []RunbookKnownIssue
	// SysmonDeprecatedFrom is the Threat Response version from which the
	// page deprecates Sysmon as the event source, "" when it does not.
	SysmonDeprecatedFrom string
	// LivePorts names the ports live connections use end to end, "tcp/17444".
	LivePorts string
	// DriverGuide and ModuleServerSizing quote the page where it points
	// elsewhere for advice (page notes), when the catalog has them.
	DriverGuide, ModuleServerSizing *catalog.Source
	// InstallRole is the page's footnote on the role installing takes
	// (footnote 3), nil when the catalog has none.
	InstallRole *catalog.Source
	Roles       int
	UserGroups  []plan.Membership
	BypassRole  string
	// BypassGroups are the user groups the deployment assigns BypassRole.
	BypassGroups  []string
	AuditdReadmes []RunbookFile
	Sysmon        []string
	// DriverGroups are the Windows groups whose recorder reads the Tanium
	// driver (event_source tanium_driver): the driver steps and checks
	// are theirs.
	DriverGroups []string
}

// RunbookKnownIssue is a known issue of the deployment's Threat Response
// version on the macOS groups it applies to.
type RunbookKnownIssue struct {
	Text, MacOSFrom string
	Groups          []string
}

// RunbookHost is a server in the summary.
type RunbookHost struct{ Name, Address, Role string }

// RunbookGroup is an endpoint group in the summary and the endpoint steps.
type RunbookGroup struct {
	Name, OS, OSVersion, Client, Endpoints, Via string
	Immutable                                   bool
	Readme                                      string
}

// RunbookFinding is a warning the deployment was generated with.
type RunbookFinding struct {
	Rule, Summary, Detail, Where, Accepting string
	// AcceptedAt and Reason: where an accept entry covers the warning, and why.
	AcceptedAt, Reason string
}

// RunbookCheck is one rule's result on this deployment.
type RunbookCheck struct {
	Rule, Title, Result, Source string
	Warning                     bool
}

// RunbookModule is a module to install and why.
type RunbookModule struct {
	Name, Version, Why string
}

// RunbookFile is a generated file and where it is used.
type RunbookFile struct {
	Path, Host, What string
}

// RunbookZone is a Zone Server the deployment uses: the groups that
// connect through it and the checks that prove its two paths (zone hub →
// zone proxy, endpoints → zone proxy).
type RunbookZone struct {
	Name, Address string
	Groups        []string
	HubPorts      string
	AgentPorts    string
	Checks        []RunbookPortCheck
}

// RunbookPortCheck proves one flow open, from its source.
type RunbookPortCheck struct {
	From, To, Command, Expect string
}

// RunbookExclusion is one target's exclusion list and how to apply it.
type RunbookExclusion struct {
	Target, List, Script string
	// Defender: the script is Add-MpPreference's; else mdatp's, with
	// Managed the managed configuration beside it: the mdatp_managed.json
	// fragment (Linux) or the configuration profile (macOS, Profile).
	Defender bool
	Managed  string
	Profile  bool
	// Release is a Windows group's release; Console is set where it has
	// no Defender module (the list goes to the AV product's console), Agent
	// where Defender comes only with the unified agent.
	Release        string
	Console, Agent bool
	// Dir is the client folder the entries are in, and DirFrom which
	// default it is ("" when the group gives client_dir).
	Dir, DirFrom string
}

// runbookOutputs lists runbook/runbook.md; runbook.html is rendered from it
// by RenderHTML after the Markdown exists.
func runbookOutputs(d *model.Deployment, c *catalog.Catalog, h Header, diags hcl.Diagnostics, fw FirewallView, exclusions []plan.ExclusionTarget, rp plan.RolePlan) []render.Output {
	v := RunbookView{Header: h, Licenses: d.Licenses, CoreVersion: d.Platform.CoreVersion, CoreMinimum: c.CorePlatform.MinVersion,
		ComputerGroups: c.ComputerGroups.Required, DriverSteps: c.Recorder.DriverUpgradeSteps,
		MacOSMinClient: c.Client.MacOSMinimum.MinVersion, MacOSFrom: c.Client.MacOSMinimum.MacOSFrom}
	if len(d.Licenses) == 1 && d.Licenses[0] == "incident_response" {
		v.IncidentResponseOnly = true
	}
	for _, l := range c.Licenses {
		if l.ID == "incident_response" {
			v.LicenseNote = l.Note
		}
	}
	for _, s := range d.TaniumServers {
		v.Servers = append(v.Servers, RunbookHost{"tanium_server." + s.Name, s.Address, "Tanium Server"})
	}
	ms := d.ModuleServers[0]
	v.Servers = append(v.Servers, RunbookHost{"module_server." + ms.Name, ms.Address, "Module Server (Threat Response runs here)"})
	for _, z := range d.ZoneServers {
		v.Servers = append(v.Servers, RunbookHost{"zone_server." + z.Name, z.Address, "Zone Server"})
	}
	tr, _ := version.Parse(d.ThreatResponseVersion)
	v.DriverDefault = tr.AtLeast(version.MustParse(c.Recorder.DriverDefaultFrom))
	v.DriverDefaultFrom = c.Recorder.DriverDefaultFrom
	if !v.DriverDefault {
		// The page gives its manual steps for upgrades to the version that
		// installs the driver by default, not for earlier versions.
		v.DriverSteps = nil
	}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		rg := RunbookGroup{Name: "endpoint_group." + g.Name, OS: g.OS, OSVersion: g.OSVersion, Client: g.ClientVersion, Endpoints: "not given"}
		if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil {
			rg.OSVersion = p.Canonical
		}
		if g.Endpoints != nil {
			rg.Endpoints = fmt.Sprint(*g.Endpoints)
		}
		if g.ConnectVia != nil {
			rg.Via = "zone_server." + *g.ConnectVia
		}
		v.Groups = append(v.Groups, rg)
		switch g.OS {
		case model.OSWindows:
			v.Windows = append(v.Windows, rg)
			if g.EventSource() == model.EventSourceDriver {
				v.DriverGroups = append(v.DriverGroups, rg.Name)
			}
			if g.EventSource() == model.EventSourceSysmon {
				v.Sysmon = append(v.Sysmon, rg.Name)
			}
		case model.OSLinux:
			rg.Immutable = g.Auditd != nil && model.Bool(g.Auditd.Immutable, false)
			rg.Readme = "../auditd/" + g.Name + "/README.md"
			v.Linux = append(v.Linux, rg)
		case model.OSMacOS:
			v.MacOS = append(v.MacOS, rg)
		}
	}
	sort.Strings(v.DriverGroups)
	for _, list := range [][]RunbookGroup{v.Groups, v.Windows, v.Linux, v.MacOS} {
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	}
	sort.SliceStable(v.Servers, func(i, j int) bool {
		if v.Servers[i].Role != v.Servers[j].Role {
			return serverRank(v.Servers[i].Role) < serverRank(v.Servers[j].Role)
		}
		return v.Servers[i].Name < v.Servers[j].Name
	})
	for _, ki := range c.KnownIssues {
		if ki.MacOSFrom == "" || tr.Compare(version.MustParse(ki.ThreatResponse)) != 0 {
			continue
		}
		issue := RunbookKnownIssue{Text: ki.Text, MacOSFrom: ki.MacOSFrom}
		for i := range d.EndpointGroups {
			g := &d.EndpointGroups[i]
			if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil && g.OS == model.OSMacOS && p.Version.AtLeast(version.MustParse(ki.MacOSFrom)) {
				issue.Groups = append(issue.Groups, "endpoint_group."+g.Name)
			}
		}
		if len(issue.Groups) > 0 {
			sort.Strings(issue.Groups)
			v.KnownIssues = append(v.KnownIssues, issue)
		}
	}
	for _, es := range c.Recorder.EventSources {
		if es.ID == model.EventSourceSysmon {
			v.SysmonDeprecatedFrom = es.DeprecatedFrom
		}
	}
	var live []string
	seen := map[string]bool{}
	for _, flow := range []string{catalog.FlowLiveConnection, catalog.FlowLiveConnectionZone} {
		for _, p := range c.PortsFor(flow) {
			if name := fmt.Sprintf("%s/%d", p.Protocol, p.Port); !seen[name] {
				seen[name] = true
				live = append(live, name)
			}
		}
	}
	v.LivePorts = strings.Join(live, ", ")
	if n, ok := c.PageNote("driver-install-guide"); ok {
		v.DriverGuide = &n.Source
	}
	if f := c.Footnote(3); f.Text != "" {
		v.InstallRole = &f.Source
	}
	if n, ok := c.PageNote("module-server-sizing"); ok {
		v.ModuleServerSizing = &n.Source
	}
	v.Flows = fw
	v.Warnings, v.Accepted, v.Checks = preflight(diags, c.Document.Title)
	v.Modules = modulesNeeded(d, c)
	for _, hf := range fw.Hosts {
		for _, f := range hf.Files {
			v.HostScripts = append(v.HostScripts, RunbookFile{Path: "../firewall/" + f.Name, What: f.What})
		}
	}
	v.PortChecks, v.Zones = portChecks(d, fw.Flows)
	for _, ck := range v.Checks {
		if !ck.Warning {
			v.Passed++
		}
	}
	for _, t := range exclusions {
		e := RunbookExclusion{Target: t.Name, List: "../exclusions/" + t.Target + ".txt", Dir: t.Dir, DirFrom: t.DirFrom}
		if t.OS == model.OSWindows {
			e.Script, e.Defender, e.Release = "../exclusions/defender-"+t.Target+".ps1", true, t.Release
			e.Console, e.Agent = t.Defender == plan.DefenderNone, t.Defender == plan.DefenderByAgent
			if e.Console {
				e.Script = ""
			}
		} else {
			e.Script, e.Managed, e.Profile = "../exclusions/mdatp-"+t.Target+".sh", "../exclusions/"+managedFile(t), t.OS == model.OSMacOS
		}
		v.Exclusions = append(v.Exclusions, e)
	}
	v.Roles = len(rp.Roles)
	v.UserGroups = rp.Memberships
	if rp.BypassAdded {
		v.BypassRole = plan.BypassRoleName
		for _, m := range rp.Memberships {
			if slices.Contains(m.Roles, plan.BypassRoleName) {
				v.BypassGroups = append(v.BypassGroups, m.Group)
			}
		}
	}
	return []render.Output{{Path: "runbook/runbook.md", Template: "runbook/runbook.md.tmpl", Data: v}}
}

func serverRank(role string) int {
	switch {
	case strings.HasPrefix(role, "Tanium Server"):
		return 0
	case strings.HasPrefix(role, "Module Server"):
		return 1
	}
	return 2
}

// preflight turns the checks into the runbook's results: warnings first,
// each with what accepting it means, then one row per rule, citing the
// requirements page by page (the catalog's title).
func preflight(diags hcl.Diagnostics, page string) (warnings, accepted []RunbookFinding, checks []RunbookCheck) {
	count := map[rule.ID]int{}
	acceptedCount := map[rule.ID]int{}
	for _, d := range diags {
		if d.Severity != hcl.DiagWarning {
			continue
		}
		id := rule.Of(d)
		r, _ := rule.Lookup(id)
		where := ""
		if d.Subject != nil {
			where = fmt.Sprintf("%s:%d:%d", baseName(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column)
		}
		f := RunbookFinding{Rule: string(id), Summary: d.Summary, Detail: d.Detail, Where: where,
			Accepting: "Proceeding means accepting this: " + strings.TrimSuffix(r.Description, ".") + ". To resolve it instead: " + r.Fix}
		if a := rule.AcceptanceOf(d); a != nil {
			acceptedCount[id]++
			f.AcceptedAt = fmt.Sprintf("%s:%d:%d", baseName(a.At.Filename), a.At.Start.Line, a.At.Start.Column)
			f.Reason = a.Reason
			accepted = append(accepted, f)
			continue
		}
		count[id]++
		warnings = append(warnings, f)
	}
	for _, r := range rule.All() {
		if rule.Scope(r.ID) != rule.ScopeDeployment {
			continue // nothing in a deployment's files can pass or fail it
		}
		c := RunbookCheck{Rule: string(r.ID), Title: r.Title, Result: "pass", Source: r.Source.Cite(page)}
		switch n, a := count[r.ID], acceptedCount[r.ID]; {
		case n > 0 && a > 0:
			c.Result, c.Warning = fmt.Sprintf("warning (%d; %d more accepted)", n, a), true
		case n > 0:
			c.Result, c.Warning = fmt.Sprintf("warning (%d)", n), true
		case a > 0:
			c.Result = fmt.Sprintf("accepted (%d)", a)
		}
		checks = append(checks, c)
	}
	return warnings, accepted, checks
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// modulesNeeded lists the modules to install, at the deployment's versions
// (or the catalog minimum), and the features that need each.
func modulesNeeded(d *model.Deployment, c *catalog.Catalog) []RunbookModule {
	want := map[string][]string{}
	minimum := map[string]string{}
	installed := map[string]string{}
	for _, m := range d.Modules.Versions() {
		if m.Version != nil {
			installed[m.ID] = *m.Version
		}
	}
	// met reports whether the installed modules satisfy an alternative.
	met := func(reqs []catalog.ModuleRange) bool {
		for _, r := range reqs {
			v, err := version.Parse(installed[r.Module])
			if err != nil || !r.Admits(v) {
				return false
			}
		}
		return true
	}
	on := map[string]bool{}
	for _, f := range d.Features.Switches() {
		on[f.ID] = f.Enabled()
	}
	for _, f := range c.Features {
		if !on[f.ID] {
			continue
		}
		alt := f.AnyOf[0]
		for _, a := range f.AnyOf {
			if met(a.Requires) {
				alt = a
				break
			}
		}
		for _, req := range alt.Requires {
			want[req.Module] = append(want[req.Module], f.Name)
			minimum[req.Module] = req.Min
		}
	}
	for id := range installed {
		if _, ok := want[id]; !ok {
			want[id] = nil
		}
	}
	var out []RunbookModule
	for id, why := range want {
		name := id
		if m, ok := c.Module(id); ok {
			name = m.Name
		}
		ver := installed[id]
		if ver == "" {
			ver = minimum[id] + " or later"
		}
		reason := "installed in this deployment"
		if len(why) > 0 {
			reason = "needed for " + strings.Join(why, ", ")
		}
		out = append(out, RunbookModule{Name: name, Version: ver, Why: reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// portChecks is one check per flow, run on the flow's source: Windows
// hosts and groups use Test-NetConnection, Linux and macOS nc. The checks
// of flows to a Zone Server go with that zone's steps.
func portChecks(d *model.Deployment, flows []plan.Flow) ([]RunbookPortCheck, []RunbookZone) {
	osOf := map[string]string{}
	for _, s := range d.TaniumServers {
		osOf["tanium_server."+s.Name] = model.OSWindows
	}
	osOf["module_server."+d.ModuleServers[0].Name] = model.OSWindows
	for i := range d.EndpointGroups {
		osOf["endpoint_group."+d.EndpointGroups[i].Name] = d.EndpointGroups[i].OS
	}
	var out []RunbookPortCheck
	zones := map[string]*RunbookZone{}
	var order []string
	for _, f := range flows {
		dst, how := checkHost(f.Destination)
		from := f.Source.Name
		if f.Source.Kind == "endpoint_group" {
			from = "one endpoint of " + from
		}
		cmd := fmt.Sprintf("Test-NetConnection -ComputerName %s -Port %d", dst, f.Port)
		expect := "TcpTestSucceeded : True"
		if osOf[f.Source.Name] != model.OSWindows {
			cmd = fmt.Sprintf("nc -vz %s %d", dst, f.Port)
			expect = "succeeded / open"
		}
		to := fmt.Sprintf("%s tcp/%d", f.Destination.Name, f.Port)
		if how != "" {
			to += ", " + how
		}
		check := RunbookPortCheck{From: from, To: to, Command: cmd, Expect: expect}
		if f.Destination.Kind != "zone_server" {
			out = append(out, check)
			continue
		}
		z := zones[f.Destination.Name]
		if z == nil {
			z = &RunbookZone{Name: f.Destination.Name, Address: f.Destination.AddressList}
			zones[f.Destination.Name] = z
			order = append(order, f.Destination.Name)
		}
		z.Checks = append(z.Checks, check)
		port := fmt.Sprintf("%s/%d", f.Protocol, f.Port)
		if f.Source.Kind == "endpoint_group" {
			if !slices.Contains(z.Groups, f.Source.Name) {
				z.Groups = append(z.Groups, f.Source.Name)
			}
			z.AgentPorts = addPort(z.AgentPorts, port)
		} else {
			z.HubPorts = addPort(z.HubPorts, port)
		}
	}
	sort.Strings(order)
	var zs []RunbookZone
	for _, name := range order {
		sort.Strings(zones[name].Groups)
		zs = append(zs, *zones[name])
	}
	return out, zs
}

// checkHost is what a connectivity check connects to for node n, and how
// that was chosen when it is not n's one address: its DNS name (which
// tests name resolution too), or one address of a range (a tool connects
// to a host, not to a CIDR).
func checkHost(n plan.Node) (host, how string) {
	switch {
	case n.FQDN != "":
		return n.FQDN, "at its DNS name"
	case len(n.Addresses) > 0:
		a := n.Addresses[0]
		p, err := netip.ParsePrefix(a)
		if err != nil {
			if len(n.Addresses) > 1 {
				return a, "at the first of its addresses"
			}
			return a, ""
		}
		addr := p.Masked().Addr()
		if p.Bits() < addr.BitLen()-1 {
			addr = addr.Next() // the network address is no host
		}
		return addr.String(), "at " + addr.String() + ", one address of " + a
	case len(n.Hostnames) > 0:
		return n.Hostnames[0], "at its DNS name"
	}
	return n.Name, ""
}

// addPort adds port to a comma-separated list once.
func addPort(list, port string) string {
	if list == "" {
		return port
	}
	if slices.Contains(strings.Split(list, ", "), port) {
		return list
	}
	return list + ", " + port
}

// RenderHTML renders runbook.md to one self-contained HTML page: goldmark
// with raw HTML disabled (nothing from the deployment can become markup),
// headings with ids (the contents links), task boxes that can be ticked,
// the pre-flight table collapsed, inline CSS, no scripts, fonts or
// external requests.
func RenderHTML(eng *render.Engine, md []byte, h Header, dg *Diagram) ([]byte, error) {
	var body bytes.Buffer
	body.Grow(len(md) + len(md)/2) // the HTML of a runbook runs to about 1.4 times its Markdown
	gm := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.TaskList, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(tickableBoxes{}, 100))),
	)
	if err := gm.Convert(md, &body); err != nil {
		return nil, fmt.Errorf("rendering runbook.html: %w", err)
	}
	// The body is goldmark's HTML of Markdown whose every value was
	// escaped (raw HTML disabled besides); the page around it is
	// html/template's. The last section, the full pre-flight table, is
	// folded into a <details> element.
	const last = `<h2 id="pre-flight-checks">Pre-flight checks</h2>`
	const details = `<details id="pre-flight-checks"><summary>Pre-flight checks (every check, with its result and source)</summary>`
	html, b := "", body.Bytes()
	if i := bytes.LastIndex(b, []byte(last)); i >= 0 {
		var page strings.Builder
		page.Grow(len(b) + len(details) + len("</details>\n"))
		page.Write(b[:i])
		page.WriteString(details)
		page.Write(b[i+len(last):])
		page.WriteString("</details>\n")
		html = page.String()
	} else {
		html = body.String()
	}
	// The Mermaid source of the flows becomes the drawn diagram (inline
	// SVG, from dg); the Markdown keeps the source for wikis.
	before, after := html, ""
	const mermaid, end = `<pre><code class="language-mermaid">`, "</code></pre>"
	if i := strings.Index(html, mermaid); i >= 0 && dg != nil {
		if j := strings.Index(html[i:], end); j >= 0 {
			before, after = html[:i], html[i+j+len(end):]
		}
	} else {
		dg = nil
	}
	// The diagram is drawn by a text template whose every text value
	// passes svgText, html/template's own escaping for those places
	// (html/template's escapers cost more than the rest of the page for
	// a diagram of thousands of elements); the page takes it as markup.
	var svg htmltemplate.HTML
	if dg != nil {
		files, err := eng.Render([]render.Output{{Path: diagramSVG, Template: diagramSVG + ".tmpl", Data: struct {
			Deployment string
			Diagram    *Diagram
		}{h.Deployment, dg}}})
		if err != nil {
			return nil, err
		}
		svg = htmltemplate.HTML(files[diagramSVG])
	}
	return eng.RenderHTML(render.Output{Path: "runbook/runbook.html", Template: "runbook/runbook.html.tmpl", Size: len(html) + len(svg) + 4096, // the page around them is about 3 KB
		Data: struct {
			Header        Header
			Before, After htmltemplate.HTML
			SVG           htmltemplate.HTML
		}{h, htmltemplate.HTML(before), htmltemplate.HTML(after), svg}})
}

// diagramSVG is the template of runbook.html's network diagram, by its
// path in the templates tree without ".tmpl".
const diagramSVG = "runbook/diagram.svg"

// tickableBoxes renders task list boxes without goldmark's disabled
// attribute, so a reader can tick the runbook's steps in the browser (and
// print it ticked).
type tickableBoxes struct{}

func (tickableBoxes) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTaskCheckBox, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if n.(*east.TaskCheckBox).IsChecked {
				_, _ = w.WriteString(`<input checked="" type="checkbox"> `)
			} else {
				_, _ = w.WriteString(`<input type="checkbox"> `)
			}
		}
		return ast.WalkContinue, nil
	})
}
