package generate

import (
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/state"
)

// planned is what one run's planners returned, each planned once: the
// templates render it and state.json records it.
type planned struct {
	flows      []plan.Flow
	hosts      []plannedHost
	network    plan.NetworkPlan
	exclusions []plan.ExclusionTarget
	roles      plan.RolePlan
}

// plannedHost is one host firewall file: its path, address family and
// the host's rules.
type plannedHost struct {
	path, family string
	host         *plan.HostFirewall
}

// stateRecorder builds state.json from the planned values and from the
// two outputs whose content is the record itself: each rules.d file's
// rules (as the file holds them, read by the audit rule parser) and the
// runbook's step headings. Files arrive from several goroutines.
type stateRecorder struct {
	mu      sync.Mutex
	audit   map[string][]state.AuditFile // by group
	runbook []string
}

func newStateRecorder() *stateRecorder {
	return &stateRecorder{audit: map[string][]state.AuditFile{}}
}

// observe records what state.json needs of one rendered file.
func (r *stateRecorder) observe(p string, data []byte) {
	switch {
	case strings.HasPrefix(p, "auditd/") && path.Base(path.Dir(p)) == "rules.d" && strings.HasSuffix(p, ".rules"):
		group := strings.SplitN(p, "/", 3)[1]
		f := state.AuditFile{Path: p, Rules: []string{}}
		for _, l := range auditrule.Split(p, data) {
			f.Rules = append(f.Rules, l.Text())
		}
		r.mu.Lock()
		r.audit[group] = append(r.audit[group], f)
		r.mu.Unlock()
	case p == "runbook/runbook.md":
		steps := runbookSteps(data)
		r.mu.Lock()
		r.runbook = steps
		r.mu.Unlock()
	}
}

// runbookStep is a numbered section heading of runbook.md.
var runbookStep = regexp.MustCompile(`(?m)^## ([0-9]+\. .+)$`)

// runbookSteps are the runbook's numbered section headings, in order.
func runbookSteps(md []byte) []string {
	steps := []string{}
	for _, m := range runbookStep.FindAllSubmatch(md, -1) {
		steps = append(steps, strings.TrimSpace(string(m[1])))
	}
	return steps
}

// build is state.json's document for the planned values pl of h's
// deployment, with diags as its findings (file names relative to the
// header's configuration directory, as in report.json).
func (r *stateRecorder) build(h Header, pl *planned, diags hcl.Diagnostics) *state.State {
	s := &state.State{
		GeneratedBy: state.GeneratedBy, FormatVersion: state.FormatVersion,
		Deployment: h.Deployment, TrgenVersion: h.TrgenVersion, CatalogVersion: h.catalogVersion,
		Nodes: []state.Node{}, Flows: []state.Flow{}, HostFirewalls: []state.HostFirewall{}, NetworkPolicies: []state.NetworkPolicy{},
		Exclusions: []state.ExclusionTarget{}, AuditRules: []state.AuditRuleSet{}, Roles: []state.Role{},
		Memberships: []state.Membership{}, RunbookSteps: r.runbook, Findings: []state.Finding{},
	}
	if s.RunbookSteps == nil {
		s.RunbookSteps = []string{}
	}
	nodes := map[string]state.Node{}
	for _, f := range pl.flows {
		for _, n := range []plan.Node{f.Source, f.Destination} {
			if _, ok := nodes[n.Name]; !ok {
				nodes[n.Name] = node(n)
			}
		}
		s.Flows = append(s.Flows, state.Flow{
			ID: f.ID, Source: f.Source.Name, Destination: f.Destination.Name, Protocol: f.Protocol, Port: f.Port,
			Direction: f.Direction, Service: f.Service, Purpose: f.Purpose, Required: f.Requirement, NeededBy: f.NeededBy,
			Reference: f.Reference, Boundary: f.Boundary(), Change: change(f),
		})
	}
	for _, name := range slices.Sorted(maps.Keys(nodes)) {
		s.Nodes = append(s.Nodes, nodes[name])
	}
	for _, ph := range pl.hosts {
		hf := state.HostFirewall{Path: ph.path, Kind: ph.host.Kind, Family: ph.family, Host: ph.host.Host.Name, Rules: []state.HostRule{}, Omitted: []string{}}
		for _, rule := range ph.host.Rules {
			addrs := rule.Remote
			switch ph.family {
			case "ipv4":
				addrs = rule.IPv4
			case "ipv6":
				addrs = rule.IPv6
			}
			if len(addrs) == 0 {
				continue // the file of the other family holds it
			}
			hf.Rules = append(hf.Rules, state.HostRule{
				Flow: rule.Flow.ID, Direction: rule.Direction, Peer: rule.Peer.Name, Protocol: rule.Flow.Protocol,
				Port: rule.Flow.Port, Addresses: slices.Clone(addrs),
			})
		}
		for _, o := range ph.host.Omitted {
			hf.Omitted = append(hf.Omitted, o.Flow.ID)
		}
		s.HostFirewalls = append(s.HostFirewalls, hf)
	}
	for _, p := range pl.network.Policies {
		np := state.NetworkPolicy{Path: policyPath(p), Boundary: p.Boundary, Terms: []state.Term{}}
		for _, t := range p.Terms {
			term := state.Term{Name: t.Rule.ID, Sources: slices.Clone(t.Sources), Destination: t.Destination, Services: slices.Clone(t.Services), Flows: []string{}}
			for _, f := range t.Rule.Flows {
				term.Flows = append(term.Flows, f.ID)
			}
			np.Terms = append(np.Terms, term)
		}
		s.NetworkPolicies = append(s.NetworkPolicies, np)
	}
	for _, t := range pl.exclusions {
		et := state.ExclusionTarget{Target: t.Target, OS: t.OS, Entries: []state.Exclusion{}}
		for _, e := range t.Entries {
			et.Entries = append(et.Entries, state.Exclusion{Kind: e.Kind, Path: e.Path, Condition: e.Condition})
		}
		s.Exclusions = append(s.Exclusions, et)
	}
	groups := make([]string, 0, len(r.audit))
	for g := range r.audit {
		groups = append(groups, g)
	}
	slices.Sort(groups)
	for _, g := range groups {
		files := r.audit[g]
		slices.SortFunc(files, func(a, b state.AuditFile) int { return auditrule.FileVerCmp(path.Base(a.Path), path.Base(b.Path)) })
		s.AuditRules = append(s.AuditRules, state.AuditRuleSet{Group: g, Files: files})
	}
	for _, role := range pl.roles.Roles {
		sr := state.Role{Name: role.Name, Category: role.Kind, Privileges: []string{}}
		for _, p := range role.Privileges {
			name := p.Permission
			if p.ContentSet != "" {
				name += " on " + p.ContentSet
			}
			sr.Privileges = append(sr.Privileges, name)
		}
		slices.Sort(sr.Privileges)
		s.Roles = append(s.Roles, sr)
	}
	for _, m := range pl.roles.Memberships {
		roles := slices.Clone(m.Roles)
		slices.Sort(roles)
		if roles == nil {
			roles = []string{}
		}
		s.Memberships = append(s.Memberships, state.Membership{UserGroup: m.Group, Roles: roles})
	}
	for _, d := range diag.NewResult(&diag.Report{Diagnostics: diags, BaseDir: h.baseDir}).Diagnostics {
		f := state.Finding{Severity: d.Severity, Rule: d.Rule, Summary: d.Summary}
		if d.Range != nil {
			f.Where = d.Range.Filename + ":" + strconv.Itoa(d.Range.Start.Line)
		}
		s.Findings = append(s.Findings, f)
	}
	return s
}

// node is a flow end as the state records it.
func node(n plan.Node) state.Node {
	e := state.Node{Name: n.Name, Zone: n.Zone, Addresses: slices.Clone(n.Addresses), Hostnames: slices.Clone(n.Hostnames), FQDN: n.FQDN}
	if e.Addresses == nil {
		e.Addresses = []string{}
	}
	if e.Hostnames == nil {
		e.Hostnames = []string{}
	}
	return e
}
