// Package state is the machine-readable record of what one trgen generate
// run planned: state.json, written beside MANIFEST.json in every output
// folder (schema/state.schema.json). It lists every flow with its stable
// id, every host firewall file with the flows it allows, the network
// policies' terms, every exclusion, each group's audit rules, the roles
// and memberships, the runbook's steps and the findings. `trgen plan`
// compares two states instead of reading the rendered files back; `trgen
// verify` reads it as what should be on the endpoints. The package holds
// the document's shape only: package generate fills it, package changes
// compares it.
package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// FileName is the state's path in an output folder.
const FileName = "state.json"

// FormatVersion is the version of the document's shape: "major.minor".
// A minor version adds fields; a major version removes one or changes a
// field's meaning, and a reader refuses a major version it does not know.
const FormatVersion = "1.0"

// GeneratedBy opens every state document.
const GeneratedBy = "trgen state"

// State is state.json.
type State struct {
	// GeneratedBy is GeneratedBy; FormatVersion is FormatVersion.
	GeneratedBy   string `json:"generated_by"`
	FormatVersion string `json:"format_version"`
	Deployment    string `json:"deployment"`
	// TrgenVersion and CatalogVersion wrote this output.
	TrgenVersion   string `json:"trgen_version"`
	CatalogVersion string `json:"catalog_version"`

	// Nodes are the flows' ends, by name; flows name them.
	Nodes           []Node            `json:"nodes"`
	Flows           []Flow            `json:"flows"`
	HostFirewalls   []HostFirewall    `json:"host_firewalls"`
	NetworkPolicies []NetworkPolicy   `json:"network_policies"`
	Exclusions      []ExclusionTarget `json:"exclusions"`
	AuditRules      []AuditRuleSet    `json:"audit_rules"`
	Roles           []Role            `json:"roles"`
	Memberships     []Membership      `json:"memberships"`
	// RunbookSteps are the runbook's section headings, in order.
	RunbookSteps []string  `json:"runbook_steps"`
	Findings     []Finding `json:"findings"`
}

// Flow is one network flow of firewall/flows.csv.
type Flow struct {
	ID string `json:"id"`
	// Source and Destination name nodes of Nodes.
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Protocol    string `json:"protocol"`
	Port        int    `json:"port"`
	// Direction is the flow seen from the organisation's network:
	// inbound, outbound, internal or external.
	Direction string `json:"direction"`
	Service   string `json:"service"`
	Purpose   string `json:"purpose"`
	// Required is flows.csv's "required": "yes", "optional", or the
	// deployment's choice.
	Required  string `json:"required"`
	NeededBy  string `json:"needed_by"`
	Reference string `json:"reference"`
	// Boundary is "internal → dmz".
	Boundary string `json:"boundary"`
	// Change is "open" for a flow a firewall of the organisation must
	// allow, "none: <why>" otherwise.
	Change string `json:"change"`
}

// Node is one end of flows: a host, a group of endpoints, or an
// external destination.
type Node struct {
	// Name is the logical name, "module_server.tms1".
	Name string `json:"name"`
	Zone string `json:"zone"`
	// Addresses are IP addresses and CIDRs; Hostnames DNS names that have
	// no address given; FQDN the DNS name of a destination given by name,
	// also when its addresses are given.
	Addresses []string `json:"addresses"`
	Hostnames []string `json:"hostnames"`
	FQDN      string   `json:"fqdn"`
}

// AddressList joins the node's addresses and host names with ";", as
// flows.csv's address columns do.
func (e Node) AddressList() string {
	return strings.Join(append(append([]string{}, e.Addresses...), e.Hostnames...), ";")
}

// HostFirewall is one host firewall file and the flows it allows.
type HostFirewall struct {
	// Path is the file in the output folder, "firewall/endpoints-lab.nft".
	Path string `json:"path"`
	// Kind is the firewall (windows, nftables, iptables, firewalld);
	// Family "ipv4" or "ipv6" for a file of one address family, else "".
	Kind   string `json:"kind"`
	Family string `json:"family"`
	// Host is the host or group the rules are for.
	Host  string     `json:"host"`
	Rules []HostRule `json:"rules"`
	// Omitted are the flows left out, the peer having only DNS names.
	Omitted []string `json:"omitted"`
}

// HostRule is one allow rule of a host firewall file.
type HostRule struct {
	Flow      string   `json:"flow"`
	Direction string   `json:"direction"`
	Peer      string   `json:"peer"`
	Protocol  string   `json:"protocol"`
	Port      int      `json:"port"`
	Addresses []string `json:"addresses"`
}

// NetworkPolicy is one Capirca policy file and its terms.
type NetworkPolicy struct {
	Path     string `json:"path"`
	Boundary string `json:"boundary"`
	Terms    []Term `json:"terms"`
}

// Term is one policy term: a consolidated rule.
type Term struct {
	Name        string   `json:"name"`
	Sources     []string `json:"sources"`
	Destination string   `json:"destination"`
	Services    []string `json:"services"`
	Flows       []string `json:"flows"`
}

// ExclusionTarget is the exclusions of one target.
type ExclusionTarget struct {
	Target  string      `json:"target"`
	OS      string      `json:"os"`
	Entries []Exclusion `json:"entries"`
}

// Exclusion is one exclusion.
type Exclusion struct {
	Kind      string `json:"kind"`
	Path      string `json:"path"`
	Condition string `json:"condition"`
}

// AuditRuleSet is one Linux group's rules.d files.
type AuditRuleSet struct {
	Group string      `json:"group"`
	Files []AuditFile `json:"files"`
}

// AuditFile is one rules.d file and its rules as written (comments and
// blank lines left out), in order.
type AuditFile struct {
	Path  string   `json:"path"`
	Rules []string `json:"rules"`
}

// Role is one role of roles/roles.json.
type Role struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	// Privileges are "Privilege" or "Privilege on Content Set".
	Privileges []string `json:"privileges"`
}

// Membership is one user group's roles.
type Membership struct {
	UserGroup string   `json:"user_group"`
	Roles     []string `json:"roles"`
}

// Finding is one diagnostic of report.json.
type Finding struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Summary  string `json:"summary"`
	// Where is "file:line", "" when the finding has none.
	Where string `json:"where"`
}

// Marshal is the document as state.json holds it: indented, sorted as
// given, with a final newline.
func Marshal(s *State) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Parse reads state.json. A document of another major format version, or
// one that is not a state, is an error that says so.
func Parse(data []byte) (*State, error) {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	if s.GeneratedBy != GeneratedBy {
		return nil, fmt.Errorf("not a trgen state: generated_by is %q, not %q", s.GeneratedBy, GeneratedBy)
	}
	major, _, _ := strings.Cut(s.FormatVersion, ".")
	want, _, _ := strings.Cut(FormatVersion, ".")
	if major != want {
		return nil, fmt.Errorf("state format %q: this trgen reads format %s.x; use the trgen that wrote it, or regenerate", s.FormatVersion, want)
	}
	return &s, nil
}
