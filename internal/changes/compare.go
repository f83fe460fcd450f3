package changes

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/state"
)

// FormatVersion is the version of the plan's JSON shape
// (schema/plan.schema.json); it changes when a field is removed or changes
// meaning.
const FormatVersion = "1.0"

// Plan is what changed between a previous output and the one the
// deployment produces now.
type Plan struct {
	FormatVersion string `json:"format_version"`
	Deployment    string `json:"deployment"`
	// From describes the previous output, To the new one.
	From Version `json:"from"`
	To   Version `json:"to"`
	// Edited lists the previous output's files that are not as trgen
	// wrote them (with --allow-edited); they were compared as they are.
	Edited []string `json:"edited"`
	// ReadFromFiles: the previous output has no state.json (an older
	// trgen wrote it) and was read back from its files, which do not hold
	// destinations' DNS names, policy terms or runbook steps: those are
	// compared only through the files that change (Files).
	ReadFromFiles bool `json:"read_from_files"`

	Boundaries    []BoundaryChanges  `json:"boundaries"`
	Exclusions    []ExclusionChanges `json:"exclusions"`
	HostFirewalls []ListChanges      `json:"host_firewalls"`
	AuditRules    []ListChanges      `json:"audit_rules"`
	// NetworkPolicies are the Capirca policies' terms to add and remove,
	// by policy file.
	NetworkPolicies []ListChanges `json:"network_policies"`
	// Runbook is the runbook's steps added and removed, by heading.
	Runbook      []ListChanges `json:"runbook"`
	Roles        []RoleChange  `json:"roles"`
	Memberships  []RoleChange  `json:"memberships"`
	NewFindings  []Finding     `json:"new_findings"`
	GoneFindings []Finding     `json:"gone_findings"`
	// Files are the handed-over files that differ from what the previous
	// output holds, whatever the reason (a change above, a new trgen or
	// catalog version, wording): exactly those generate --check lists.
	Files []FileChange `json:"files"`
	// Steps are the runbook steps the change needs, in order.
	Steps []string `json:"steps"`
	// Summary counts the changes.
	Summary Summary `json:"summary"`
}

// FileChange is a handed-over file that is new ("add"), no longer
// written ("remove") or different ("change").
type FileChange struct {
	Path   string `json:"path"`
	Action string `json:"action"`
}

// Version is the trgen and catalog versions that wrote an output.
type Version struct {
	Trgen   string `json:"trgen"`
	Catalog string `json:"catalog"`
}

// BoundaryChanges are the flow changes across one firewall boundary.
type BoundaryChanges struct {
	Boundary string       `json:"boundary"`
	Open     []Flow       `json:"open"`
	Close    []Flow       `json:"close"`
	Change   []FlowChange `json:"change"`
}

// FlowChange is a flow whose endpoints stay and whose addresses, port,
// protocol or required status change.
type FlowChange struct {
	Before Flow          `json:"before"`
	After  Flow          `json:"after"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field's value before and after.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// ExclusionChanges are the exclusions to add and remove on one target.
type ExclusionChanges struct {
	Target string      `json:"target"`
	Add    []Exclusion `json:"add"`
	Remove []Exclusion `json:"remove"`
}

// ListChanges are the entries to add and remove of one host firewall
// file (flow ids) or one group's audit rules (rule lines). New: the file
// or group is new; Gone: it is no longer written.
type ListChanges struct {
	Name   string   `json:"name"`
	New    bool     `json:"new"`
	Gone   bool     `json:"gone"`
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
	// Change: for host firewall files, the flows the file keeps whose
	// addresses or other fields change (see the plan's flow changes).
	Change []string `json:"change"`
	// Details: for host firewall files, each flow id's rule as the host
	// sees it, "inbound tcp/17443 from endpoint_group.lab".
	Details map[string]string `json:"details,omitempty"`
}

// RoleChange is a role (or a user group's memberships) added, removed or
// changed: Action is "add", "remove" or "change".
type RoleChange struct {
	Name   string   `json:"name"`
	Action string   `json:"action"`
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// Summary counts a plan's changes.
type Summary struct {
	FlowsToOpen        int `json:"flows_to_open"`
	FlowsToClose       int `json:"flows_to_close"`
	FlowsToChange      int `json:"flows_to_change"`
	ExclusionsToAdd    int `json:"exclusions_to_add"`
	ExclusionsToRemove int `json:"exclusions_to_remove"`
	HostFirewalls      int `json:"host_firewall_files"`
	AuditRuleSets      int `json:"audit_rule_sets"`
	Roles              int `json:"roles"`
	Memberships        int `json:"memberships"`
	NewFindings        int `json:"new_findings"`
	GoneFindings       int `json:"gone_findings"`
	NetworkPolicies    int `json:"network_policies"`
	RunbookSteps       int `json:"runbook_steps"`
	Files              int `json:"files"`
}

// Empty reports whether nothing changed.
func (s Summary) Empty() bool { return s == Summary{} }

// Compare returns the plan that takes the teams from the output old to new.
func Compare(old, new *Snapshot) *Plan {
	p := &Plan{FormatVersion: FormatVersion, Edited: []string{}, Steps: []string{}, Files: []FileChange{}, ReadFromFiles: old.FromFiles || new.FromFiles}
	p.compareFlows(old, new)
	p.compareExclusions(old, new)
	p.HostFirewalls = compareLists(old.HostFlows, new.HostFlows)
	p.hostFlowChanges(new)
	p.hostDetails(old, new)
	p.AuditRules = compareLists(old.AuditRules, new.AuditRules)
	p.NetworkPolicies, p.Runbook = []ListChanges{}, []ListChanges{}
	if !p.ReadFromFiles {
		p.NetworkPolicies = compareLists(old.Policies, new.Policies)
		p.Runbook = compareLists(map[string][]string{RunbookFile: old.Runbook}, map[string][]string{RunbookFile: new.Runbook})
	}
	p.Roles = compareRoles(old.Roles, new.Roles)
	oldM, newM := map[string]Role{}, map[string]Role{}
	for g, r := range old.Memberships {
		oldM[g] = Role{Privileges: r}
	}
	for g, r := range new.Memberships {
		newM[g] = Role{Privileges: r}
	}
	p.Memberships = compareRoles(oldM, newM)
	p.NewFindings, p.GoneFindings = []Finding{}, []Finding{}
	for _, k := range sortedKeys(new.Findings) {
		if _, ok := old.Findings[k]; !ok {
			p.NewFindings = append(p.NewFindings, new.Findings[k])
		}
	}
	for _, k := range sortedKeys(old.Findings) {
		if _, ok := new.Findings[k]; !ok {
			p.GoneFindings = append(p.GoneFindings, old.Findings[k])
		}
	}
	p.summarize()
	p.Steps = steps(p, old, new)
	return p
}

// RunbookFile is the runbook whose steps Plan.Runbook lists.
const RunbookFile = "runbook/runbook.md"

// CompareFiles sets the plan's Files: every handed-over file of the new
// output (path → content) that the previous one, by its manifest's
// sha256 per path, does not hold as is. MANIFEST.json and state.json are
// trgen's records of the files, not files handed over.
func (p *Plan) CompareFiles(old map[string]string, new map[string][]byte) {
	p.Files = []FileChange{}
	handed := func(path string) bool { return path != "MANIFEST.json" && path != state.FileName }
	paths := append(sortedKeys(old), sortedKeys(new)...)
	slices.Sort(paths)
	for _, path := range slices.Compact(paths) {
		if !handed(path) {
			continue
		}
		sum, inOld := old[path]
		data, inNew := new[path]
		switch {
		case !inOld:
			p.Files = append(p.Files, FileChange{path, "add"})
		case !inNew:
			p.Files = append(p.Files, FileChange{path, "remove"})
		default:
			h := sha256.Sum256(data)
			if hex.EncodeToString(h[:]) != sum {
				p.Files = append(p.Files, FileChange{path, "change"})
			}
		}
	}
	p.Summary.Files = len(p.Files)
	if len(p.Files) > 0 && len(p.Steps) == 0 {
		p.Steps = append(p.Steps, fmt.Sprintf("Files: hand the %s that changed to the teams that hold them; nothing they apply changes otherwise.", plural(len(p.Files), "file")))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// flowFields are the fields whose change is a change of the flow;
// named ones only where both outputs have a state.
var flowFields = []struct {
	name  string
	get   func(Flow) string
	state bool
}{
	{"source_address", func(f Flow) string { return f.SourceAddress }, false},
	{"destination_address", func(f Flow) string { return f.DestinationAddress }, false},
	{"destination_name", func(f Flow) string { return f.DestinationName }, true},
	{"protocol", func(f Flow) string { return f.Protocol }, false},
	{"port", func(f Flow) string { return f.Port }, false},
	{"required", func(f Flow) string { return f.Required }, false},
}

func diffFields(a, b Flow, fromFiles bool) []FieldChange {
	var out []FieldChange
	for _, f := range flowFields {
		if f.state && fromFiles {
			continue
		}
		if f.get(a) != f.get(b) {
			out = append(out, FieldChange{f.name, f.get(a), f.get(b)})
		}
	}
	return out
}

// compareFlows matches flows by id, then the rest by their endpoints: a
// flow between the same source and destination whose port changed has a
// new id, and is one change, not a removal and an addition.
func (p *Plan) compareFlows(old, new *Snapshot) {
	fromFiles := old.FromFiles || new.FromFiles
	byBoundary := map[string]*BoundaryChanges{}
	boundary := func(f Flow) *BoundaryChanges {
		name := f.Boundary
		if name == "" {
			name = boundaryOf(f, new, old)
		}
		b := byBoundary[name]
		if b == nil {
			b = &BoundaryChanges{Boundary: name, Open: []Flow{}, Close: []Flow{}, Change: []FlowChange{}}
			byBoundary[name] = b
		}
		return b
	}
	// A flow that moves to another firewall is closed by the old one's
	// team and opened by the new one's.
	closeAndOpen := func(o, n Flow) {
		boundary(o).Close = append(boundary(o).Close, o)
		boundary(n).Open = append(boundary(n).Open, n)
	}
	type ends struct{ src, dst string }
	closed, opened := map[ends][]Flow{}, map[ends][]Flow{}
	for _, id := range sortedKeys(old.Flows) {
		o := old.Flows[id]
		n, ok := new.Flows[id]
		if !ok {
			closed[ends{o.Source, o.Destination}] = append(closed[ends{o.Source, o.Destination}], o)
			continue
		}
		if moved(o, n) {
			closeAndOpen(o, n)
			continue
		}
		if fields := diffFields(o, n, fromFiles); len(fields) > 0 {
			b := boundary(n)
			b.Change = append(b.Change, FlowChange{o, n, fields})
		}
	}
	for _, id := range sortedKeys(new.Flows) {
		if _, ok := old.Flows[id]; !ok {
			n := new.Flows[id]
			opened[ends{n.Source, n.Destination}] = append(opened[ends{n.Source, n.Destination}], n)
		}
	}
	byPort := func(a, b Flow) int {
		pa, _ := strconv.Atoi(a.Port)
		pb, _ := strconv.Atoi(b.Port)
		return cmp.Or(cmp.Compare(pa, pb), strings.Compare(a.ID, b.ID))
	}
	for e, olds := range closed {
		news := opened[e]
		if len(news) == len(olds) {
			slices.SortFunc(olds, byPort)
			slices.SortFunc(news, byPort)
			for i := range olds {
				if moved(olds[i], news[i]) {
					closeAndOpen(olds[i], news[i])
					continue
				}
				b := boundary(news[i])
				b.Change = append(b.Change, FlowChange{olds[i], news[i], diffFields(olds[i], news[i], fromFiles)})
			}
			delete(opened, e)
			continue
		}
		for _, o := range olds {
			b := boundary(o)
			b.Close = append(b.Close, o)
		}
	}
	for _, news := range opened {
		for _, n := range news {
			b := boundary(n)
			b.Open = append(b.Open, n)
		}
	}
	names := make([]string, 0, len(byBoundary))
	for name := range byBoundary {
		names = append(names, name)
	}
	sort.Strings(names)
	p.Boundaries = []BoundaryChanges{}
	byEnds := func(a, b Flow) int {
		return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.Destination, b.Destination), byPort(a, b))
	}
	for _, name := range names {
		b := byBoundary[name]
		slices.SortFunc(b.Open, byEnds)
		slices.SortFunc(b.Close, byEnds)
		slices.SortFunc(b.Change, func(x, y FlowChange) int { return byEnds(x.After, y.After) })
		p.Boundaries = append(p.Boundaries, *b)
	}
}

// moved reports whether flow o became n on another boundary (both
// outputs name their boundaries).
func moved(o, n Flow) bool { return o.Boundary != "" && n.Boundary != "" && o.Boundary != n.Boundary }

// boundaryOf finds the boundary of a flow from an output without the
// boundary column: that of a flow with the same endpoints in either
// snapshot, else "unknown boundary".
func boundaryOf(f Flow, snaps ...*Snapshot) string {
	for _, s := range snaps {
		for _, g := range s.Flows {
			if g.Boundary != "" && g.Source == f.Source && g.Destination == f.Destination {
				return g.Boundary
			}
		}
	}
	return "unknown boundary"
}

func (p *Plan) compareExclusions(old, new *Snapshot) {
	p.Exclusions = []ExclusionChanges{}
	for _, t := range union(old.Exclusions, new.Exclusions) {
		c := ExclusionChanges{Target: t, Add: []Exclusion{}, Remove: []Exclusion{}}
		for _, k := range sortedKeys(new.Exclusions[t]) {
			if _, ok := old.Exclusions[t][k]; !ok {
				c.Add = append(c.Add, new.Exclusions[t][k])
			}
		}
		for _, k := range sortedKeys(old.Exclusions[t]) {
			if _, ok := new.Exclusions[t][k]; !ok {
				c.Remove = append(c.Remove, old.Exclusions[t][k])
			}
		}
		if len(c.Add)+len(c.Remove) > 0 {
			p.Exclusions = append(p.Exclusions, c)
		}
	}
}

func compareLists(old, new map[string][]string) []ListChanges {
	out := []ListChanges{}
	for _, n := range union(old, new) {
		o, inOld := old[n]
		nw, inNew := new[n]
		c := ListChanges{Name: n, New: !inOld, Gone: !inNew, Add: minus(nw, o), Remove: minus(o, nw), Change: []string{}}
		if c.New || c.Gone || len(c.Add)+len(c.Remove) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// hostFlowChanges adds to the host firewall changes the flows a file
// keeps (same id) whose change reaches its rules: the peer's addresses
// (the destination's for the source host's outbound rules, the source's
// for the destination's inbound rules), the port or the protocol.
func (p *Plan) hostFlowChanges(new *Snapshot) {
	changed := map[string]FlowChange{}
	for _, b := range p.Boundaries {
		for _, c := range b.Change {
			if c.Before.ID == c.After.ID {
				changed[c.After.ID] = c
			}
		}
	}
	if len(changed) == 0 {
		return
	}
	listed := map[string]int{}
	for i, h := range p.HostFirewalls {
		listed[h.Name] = i
	}
	for _, name := range sortedKeys(new.HostFlows) {
		stem, _, _ := strings.Cut(name, ".")
		var ids []string
		for _, id := range new.HostFlows[name] {
			c, ok := changed[id]
			if ok && reachesHost(c, stem) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		i, ok := listed[name]
		if !ok {
			i = len(p.HostFirewalls)
			p.HostFirewalls = append(p.HostFirewalls, ListChanges{Name: name, Add: []string{}, Remove: []string{}})
		}
		p.HostFirewalls[i].Change = ids
	}
	slices.SortFunc(p.HostFirewalls, func(a, b ListChanges) int { return strings.Compare(a.Name, b.Name) })
}

// hostDetails describes each flow a host firewall change names as the
// host's rule: its direction, port and peer.
func (p *Plan) hostDetails(old, new *Snapshot) {
	for i := range p.HostFirewalls {
		h := &p.HostFirewalls[i]
		stem, _, _ := strings.Cut(h.Name, ".")
		h.Details = map[string]string{}
		describe := func(ids []string, s *Snapshot) {
			for _, id := range ids {
				if f, ok := s.Flows[id]; ok {
					h.Details[id] = hostRule(f, stem)
				}
			}
		}
		describe(h.Add, new)
		describe(h.Change, new)
		describe(h.Remove, old)
	}
}

// hostRule is flow f as the rule of the host whose files are called
// stem: "outbound tcp/443 to intel_stream.feed".
func hostRule(f Flow, stem string) string {
	switch stem {
	case hostStem(f.Destination):
		return fmt.Sprintf("inbound %s/%s from %s", f.Protocol, f.Port, f.Source)
	case hostStem(f.Source):
		return fmt.Sprintf("outbound %s/%s to %s", f.Protocol, f.Port, f.Destination)
	}
	return fmt.Sprintf("%s/%s %s → %s", f.Protocol, f.Port, f.Source, f.Destination)
}

// reachesHost reports whether a flow change changes the rules of the host
// whose files are called stem.
func reachesHost(c FlowChange, stem string) bool {
	peerField := ""
	switch stem {
	case hostStem(c.After.Source):
		peerField = "destination_address"
	case hostStem(c.After.Destination):
		peerField = "source_address"
	default:
		return false
	}
	for _, f := range c.Fields {
		if f.Field == peerField || f.Field == "port" || f.Field == "protocol" {
			return true
		}
	}
	return false
}

// hostStem is the host firewall file stem of a flow end, "kind.label".
func hostStem(node string) string {
	kind, label, _ := strings.Cut(node, ".")
	return plan.HostTarget(kind, label)
}

func compareRoles(old, new map[string]Role) []RoleChange {
	out := []RoleChange{}
	for _, n := range union(old, new) {
		o, inOld := old[n]
		nw, inNew := new[n]
		c := RoleChange{Name: n, Action: "change", Add: minus(nw.Privileges, o.Privileges), Remove: minus(o.Privileges, nw.Privileges)}
		switch {
		case !inOld:
			c.Action = "add"
		case !inNew:
			c.Action = "remove"
		case o.Category != nw.Category:
			c.Add = append(c.Add, "category "+nw.Category)
			c.Remove = append(c.Remove, "category "+o.Category)
		case len(c.Add)+len(c.Remove) == 0:
			continue
		}
		out = append(out, c)
	}
	return out
}

// minus returns the entries of a not in b, sorted.
func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	out := []string{}
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func (p *Plan) summarize() {
	s := &p.Summary
	for _, b := range p.Boundaries {
		s.FlowsToOpen += len(b.Open)
		s.FlowsToClose += len(b.Close)
		s.FlowsToChange += len(b.Change)
	}
	for _, e := range p.Exclusions {
		s.ExclusionsToAdd += len(e.Add)
		s.ExclusionsToRemove += len(e.Remove)
	}
	s.HostFirewalls = len(p.HostFirewalls)
	s.AuditRuleSets = len(p.AuditRules)
	s.Roles = len(p.Roles)
	s.Memberships = len(p.Memberships)
	s.NewFindings = len(p.NewFindings)
	s.GoneFindings = len(p.GoneFindings)
	s.NetworkPolicies = len(p.NetworkPolicies)
	s.RunbookSteps = len(p.Runbook)
	s.Files = len(p.Files)
}

// nodes returns the deployment objects of a kind ("endpoint_group",
// "zone_server") that the snapshot's flows name, by label.
func nodes(s *Snapshot, kind string) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Flows {
		for _, n := range []string{f.Source, f.Destination} {
			if label, ok := strings.CutPrefix(n, kind+"."); ok {
				out[label] = true
			}
		}
	}
	return out
}

// steps are the runbook steps the plan needs, in the runbook's order:
// zone servers and groups that are new or gone, firewall changes,
// exclusions, roles and memberships, audit rules, then verification.
func steps(p *Plan, old, new *Snapshot) []string {
	var out []string
	oldZ, newZ := nodes(old, "zone_server"), nodes(new, "zone_server")
	for _, z := range sortedKeys(newZ) {
		if !oldZ[z] {
			out = append(out, fmt.Sprintf("New Zone Server %s: install the zone proxy on it and configure the zone hub on the Module Server (the port table names both), once its flows are open.", z))
		}
	}
	oldG, newG := nodes(old, "endpoint_group"), nodes(new, "endpoint_group")
	for _, g := range sortedKeys(newG) {
		if !oldG[g] {
			out = append(out, fmt.Sprintf("New endpoint group %s: follow the runbook's endpoint steps for it (exclusions, host firewall, recorder and audit rules) once its flows are open.", g))
		}
	}
	s := p.Summary
	if s.FlowsToOpen+s.FlowsToClose+s.FlowsToChange > 0 {
		out = append(out, fmt.Sprintf("Network: file the incremental change request (%d to open, %d to close, %d to change) and apply the regenerated network firewall configurations (firewall/capirca).", s.FlowsToOpen, s.FlowsToClose, s.FlowsToChange))
	}
	for _, h := range p.HostFirewalls {
		switch {
		case h.Gone:
			out = append(out, fmt.Sprintf("Host firewall: remove the rules firewall/%s made; trgen no longer writes that file.", h.Name))
		default:
			out = append(out, fmt.Sprintf("Host firewall: apply firewall/%s (%d flows added, %d removed, %d changed).", h.Name, len(h.Add), len(h.Remove), len(h.Change)))
		}
	}
	for _, e := range p.Exclusions {
		out = append(out, fmt.Sprintf("Exclusions: update %s (%d to add, %d to remove; exclusions/).", e.Target, len(e.Add), len(e.Remove)))
	}
	if len(p.Roles) > 0 {
		out = append(out, fmt.Sprintf("Tanium Console: import roles/roles.json (%d roles added, removed or changed).", len(p.Roles)))
	}
	if len(p.Memberships) > 0 {
		out = append(out, fmt.Sprintf("Tanium Console: update the user groups' roles from roles/memberships.json (%d user groups).", len(p.Memberships)))
	}
	for _, a := range p.AuditRules {
		if a.Gone {
			out = append(out, fmt.Sprintf("Linux: remove trgen's rules.d files from the endpoints of %s and reload the audit rules.", a.Name))
			continue
		}
		out = append(out, fmt.Sprintf("Linux: copy auditd/%s/rules.d/ to the group's endpoints and load the rules (augenrules), as in the group's README.", a.Name))
	}
	for _, g := range sortedKeys(oldG) {
		if !newG[g] {
			out = append(out, fmt.Sprintf("Endpoint group %s is gone: remove its exclusions, host firewall rules and audit rules from its endpoints.", g))
		}
	}
	for _, z := range sortedKeys(oldZ) {
		if !newZ[z] {
			out = append(out, fmt.Sprintf("Zone Server %s is no longer used: close its flows and remove the zone hub's entry for it.", z))
		}
	}
	if len(out) > 0 {
		out = append(out, "Verify: run the runbook's connectivity and health checks for what changed.")
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// union returns the keys of a and b, sorted and distinct.
func union[V any](a, b map[string]V) []string {
	keys := append(sortedKeys(a), sortedKeys(b)...)
	slices.Sort(keys)
	return slices.Compact(keys)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
