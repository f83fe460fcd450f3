// Package changes computes what changed between two outputs of trgen
// generate — the one the teams already applied and the one the deployment
// would produce now — as the teams act on it: flows to open, close and
// change, exclusions to add and remove per target, host firewall, audit
// rule, role and membership changes, the runbook steps the change needs,
// and requirement findings that are new or gone. It compares the outputs'
// state.json (package state); an output of a trgen older than state.json
// is read back from its files instead (Snapshot.FromFiles says so). It
// formats nothing.
package changes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/state"
)

// Snapshot is what one output folder says, read back from its files.
type Snapshot struct {
	// Flows by id.
	Flows map[string]Flow
	// Exclusions per target: key (kind and path, a Windows path in lower
	// case) → exclusion.
	Exclusions map[string]map[string]Exclusion
	// HostFlows per host firewall file: the ids of the flows it allows.
	HostFlows map[string][]string
	// AuditRules per endpoint group: its rule lines, sorted.
	AuditRules map[string][]string
	// Roles by name.
	Roles map[string]Role
	// Memberships: user group → role names, sorted.
	Memberships map[string][]string
	// Findings of report.json, by key (severity, rule, summary).
	Findings map[string]Finding
	// Policies per Capirca policy file: its term names, sorted; and
	// Runbook the runbook's numbered steps. Both only from a state.
	Policies map[string][]string
	Runbook  []string
	// FromFiles: the output has no state.json (an older trgen wrote it)
	// and the snapshot was read back from its rendered files, which hold
	// less (no DNS names of destinations, no policy terms, no runbook
	// steps).
	FromFiles bool
}

// Flow is one row of flows.csv.
type Flow struct {
	ID                 string `json:"id"`
	Source             string `json:"source"`
	SourceAddress      string `json:"source_address"`
	Destination        string `json:"destination"`
	DestinationAddress string `json:"destination_address"`
	Protocol           string `json:"protocol"`
	Port               string `json:"port"`
	Required           string `json:"required"`
	NeededBy           string `json:"needed_by"`
	Purpose            string `json:"purpose"`
	Reference          string `json:"reference"`
	// Boundary is "internal → dmz"; "" in outputs older than the column.
	Boundary string `json:"boundary"`
	// DestinationName is the DNS name of a destination given by name
	// (an intel stream's or a bucket's); "" for others, and in outputs
	// read back from their files.
	DestinationName string `json:"destination_name"`
}

// Exclusion is one row of exclusions.csv.
type Exclusion struct {
	Target    string `json:"target"`
	OS        string `json:"os"`
	Kind      string `json:"kind"`
	Path      string `json:"path"`
	Condition string `json:"condition"`
}

// Role is a role of roles.json: its category and privileges, each
// "Privilege" or "Privilege on Content Set", sorted.
type Role struct {
	Category   string
	Privileges []string
}

// Finding is a diagnostic of report.json.
type Finding struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Summary  string `json:"summary"`
	// Where is "file:line" of the finding, "" when it has none.
	Where string `json:"where"`
}

func newSnapshot() *Snapshot {
	return &Snapshot{
		Flows: map[string]Flow{}, Exclusions: map[string]map[string]Exclusion{}, HostFlows: map[string][]string{},
		AuditRules: map[string][]string{}, Roles: map[string]Role{}, Memberships: map[string][]string{}, Findings: map[string]Finding{},
		Policies: map[string][]string{}, Runbook: []string{},
	}
}

// Read builds the snapshot of an output's files (paths relative to the
// output folder): from its state.json, or, for an output without one,
// from the rendered files. Files an older trgen did not write are simply
// absent.
func Read(files map[string][]byte) (*Snapshot, error) {
	if data, ok := files[state.FileName]; ok {
		st, err := state.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", state.FileName, err)
		}
		return FromState(st), nil
	}
	return ReadFiles(files)
}

// FromState is the snapshot of a state.
func FromState(st *state.State) *Snapshot {
	s := newSnapshot()
	nodes := map[string]state.Node{}
	for _, n := range st.Nodes {
		nodes[n.Name] = n
	}
	for _, f := range st.Flows {
		src, dst := nodes[f.Source], nodes[f.Destination]
		s.Flows[f.ID] = Flow{
			ID: f.ID, Source: f.Source, SourceAddress: src.AddressList(), Destination: f.Destination,
			DestinationAddress: dst.AddressList(), Protocol: f.Protocol, Port: strconv.Itoa(f.Port), Required: f.Required,
			NeededBy: f.NeededBy, Purpose: f.Purpose, Reference: f.Reference, Boundary: f.Boundary, DestinationName: dst.FQDN,
		}
	}
	for _, t := range st.Exclusions {
		m := map[string]Exclusion{}
		for _, e := range t.Entries {
			x := Exclusion{Target: t.Target, OS: t.OS, Kind: e.Kind, Path: e.Path, Condition: e.Condition}
			m[x.Key()] = x
		}
		if len(m) > 0 {
			s.Exclusions[t.Target] = m
		}
	}
	for _, h := range st.HostFirewalls {
		ids := []string{}
		for _, r := range h.Rules {
			ids = append(ids, r.Flow)
		}
		slices.Sort(ids)
		s.HostFlows[strings.TrimPrefix(h.Path, "firewall/")] = slices.Compact(ids)
	}
	for _, a := range st.AuditRules {
		rules := []string{}
		for _, f := range a.Files {
			rules = append(rules, f.Rules...)
		}
		sort.Strings(rules)
		s.AuditRules[a.Group] = rules
	}
	for _, r := range st.Roles {
		privs := slices.Clone(r.Privileges)
		sort.Strings(privs)
		s.Roles[r.Name] = Role{Category: r.Category, Privileges: privs}
	}
	for _, m := range st.Memberships {
		roles := slices.Clone(m.Roles)
		sort.Strings(roles)
		s.Memberships[m.UserGroup] = roles
	}
	for _, f := range st.Findings {
		s.Findings[f.Severity+"\x00"+f.Rule+"\x00"+f.Summary] = Finding{Severity: f.Severity, Rule: f.Rule, Summary: f.Summary, Where: f.Where}
	}
	for _, p := range st.NetworkPolicies {
		terms := []string{}
		for _, t := range p.Terms {
			terms = append(terms, t.Name)
		}
		sort.Strings(terms)
		s.Policies[p.Path] = terms
	}
	s.Runbook = append(s.Runbook, st.RunbookSteps...)
	return s
}

// ReadFiles builds the snapshot of an output of a trgen older than
// state.json by reading its rendered files back.
func ReadFiles(files map[string][]byte) (*Snapshot, error) {
	s := newSnapshot()
	s.FromFiles = true
	if data, ok := files["firewall/flows.csv"]; ok {
		if err := s.readFlows(data); err != nil {
			return nil, fmt.Errorf("firewall/flows.csv: %w", err)
		}
	}
	if data, ok := files["exclusions/exclusions.csv"]; ok {
		if err := s.readExclusions(data); err != nil {
			return nil, fmt.Errorf("exclusions/exclusions.csv: %w", err)
		}
	}
	if data, ok := files["roles/roles.json"]; ok {
		if err := s.readRoles(data); err != nil {
			return nil, fmt.Errorf("roles/roles.json: %w", err)
		}
	}
	if data, ok := files["roles/memberships.json"]; ok {
		if err := s.readMemberships(data); err != nil {
			return nil, fmt.Errorf("roles/memberships.json: %w", err)
		}
	}
	if data, ok := files["report.json"]; ok {
		if err := s.readReport(data); err != nil {
			return nil, fmt.Errorf("report.json: %w", err)
		}
	}
	for p, data := range files {
		switch {
		case isHostFirewall(p):
			s.HostFlows[strings.TrimPrefix(p, "firewall/")] = flowIDs(data, s.Flows)
		case strings.HasPrefix(p, "auditd/") && strings.HasSuffix(p, ".rules"):
			group := strings.SplitN(p, "/", 3)[1]
			s.AuditRules[group] = append(s.AuditRules[group], ruleLines(data)...)
		}
	}
	for g := range s.AuditRules {
		sort.Strings(s.AuditRules[g])
	}
	return s, nil
}

// Reads reports whether Read compares the output file p: plan reads only
// those of a previous output.
func Reads(p string) bool {
	switch p {
	case state.FileName, "firewall/flows.csv", "exclusions/exclusions.csv", "roles/roles.json", "roles/memberships.json", "report.json":
		return true
	}
	return isHostFirewall(p) || strings.HasPrefix(p, "auditd/") && strings.HasSuffix(p, ".rules")
}

// isHostFirewall reports whether p is a host firewall file of firewall/
// (of any kind package hostfw describes).
func isHostFirewall(p string) bool {
	_, _, ok := hostfw.FileOf(p)
	return ok
}

var flowID = regexp.MustCompile(`\bf[0-9a-f]{12}\b`)

// flowIDs are the ids of the flows a host firewall file allows: every
// id of a flow of flows.csv on a line that does not say the flow was left
// out (a group label that looks like an id is not a flow).
func flowIDs(data []byte, flows map[string]Flow) []string {
	seen := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "Left out") {
			continue
		}
		for _, id := range flowID.FindAllString(line, -1) {
			if _, ok := flows[id]; ok {
				seen[id] = true
			}
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ruleLines are an audit rules file's rules, as the audit rule parser
// reads them (single-spaced, comments and blank lines left out): the
// form state.json records.
func ruleLines(data []byte) []string {
	var out []string
	for _, l := range auditrule.Split("", data) {
		out = append(out, l.Text())
	}
	return out
}

// records reads a CSV file with a header row into maps by column name.
// maxColumns is the most columns records reads: trgen's CSV files have
// fewer than twenty.
const maxColumns = 64

// records reads a CSV file with a header row as one map per row, column
// name to cell, streaming: a file of many columns or rows costs what its
// rows hold, and one of more than maxColumns is refused.
func records(data []byte) ([]map[string]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var header []string
	var out []map[string]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(row) > maxColumns {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("line %d has %d columns; trgen's CSV files have at most %d", line, len(row), maxColumns)
		}
		if header == nil {
			header = slices.Clone(row)
			continue
		}
		m := make(map[string]string, len(header))
		for i, name := range header {
			if i < len(row) {
				m[name] = row[i]
			}
		}
		out = append(out, m)
	}
	if header == nil {
		return nil, fmt.Errorf("no header row")
	}
	return out, nil
}

func (s *Snapshot) readFlows(data []byte) error {
	rows, err := records(data)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r["id"] == "" {
			return fmt.Errorf("a row without an id")
		}
		s.Flows[r["id"]] = Flow{
			ID: r["id"], Source: r["source"], SourceAddress: r["source_address"], Destination: r["destination"],
			DestinationAddress: r["destination_address"], Protocol: r["protocol"], Port: r["port"], Required: r["required"],
			NeededBy: r["needed_by"], Purpose: r["purpose"], Reference: r["reference"], Boundary: r["boundary"],
		}
	}
	return nil
}

func (s *Snapshot) readExclusions(data []byte) error {
	rows, err := records(data)
	if err != nil {
		return err
	}
	for _, r := range rows {
		e := Exclusion{Target: r["target"], OS: r["os"], Kind: r["kind"], Path: r["path"], Condition: r["condition"]}
		if s.Exclusions[e.Target] == nil {
			s.Exclusions[e.Target] = map[string]Exclusion{}
		}
		s.Exclusions[e.Target][e.Key()] = e
	}
	return nil
}

// Key identifies an exclusion within its target: its kind and path, the
// path compared case-insensitively on Windows, as Windows does.
func (e Exclusion) Key() string {
	p := e.Path
	if e.OS == "windows" {
		p = strings.ToLower(p)
	}
	return e.Kind + "\x00" + p
}

func (s *Snapshot) readRoles(data []byte) error {
	var doc struct {
		ObjectList struct {
			Roles []struct {
				Name       string `json:"name"`
				Category   string `json:"category"`
				Privileges []struct {
					ContentSet *struct {
						Name string `json:"name"`
					} `json:"content_set"`
					Privilege struct {
						Name string `json:"name"`
					} `json:"content_set_privilege"`
				} `json:"content_set_role_privileges"`
			} `json:"content_set_roles"`
		} `json:"object_list"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, r := range doc.ObjectList.Roles {
		role := Role{Category: r.Category}
		for _, p := range r.Privileges {
			name := p.Privilege.Name
			if p.ContentSet != nil {
				name += " on " + p.ContentSet.Name
			}
			role.Privileges = append(role.Privileges, name)
		}
		sort.Strings(role.Privileges)
		s.Roles[r.Name] = role
	}
	return nil
}

func (s *Snapshot) readMemberships(data []byte) error {
	var doc struct {
		Groups []struct {
			Name  string `json:"name"`
			Roles []struct {
				Name string `json:"name"`
			} `json:"content_set_roles"`
		} `json:"user_groups"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, g := range doc.Groups {
		var roles []string
		for _, r := range g.Roles {
			roles = append(roles, r.Name)
		}
		sort.Strings(roles)
		s.Memberships[g.Name] = roles
	}
	return nil
}

func (s *Snapshot) readReport(data []byte) error {
	var doc struct {
		Diagnostics []struct {
			Severity string `json:"severity"`
			Rule     string `json:"rule"`
			Summary  string `json:"summary"`
			Range    *struct {
				Filename string `json:"filename"`
				Start    struct {
					Line int `json:"line"`
				} `json:"start"`
			} `json:"range"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	for _, d := range doc.Diagnostics {
		f := Finding{Severity: d.Severity, Rule: d.Rule, Summary: d.Summary}
		if d.Range != nil {
			f.Where = fmt.Sprintf("%s:%d", d.Range.Filename, d.Range.Start.Line)
		}
		s.Findings[f.Severity+"\x00"+f.Rule+"\x00"+f.Summary] = f
	}
	return nil
}
