// Package model holds the typed form of a deployment file: what gohcl decodes
// the HCL into, with the source range of every block, label and attribute so
// that later stages can point at exactly what is wrong. It does no I/O and no
// checking; optional attributes are pointers so that "absent" and "zero" stay
// distinguishable, and the defaults live in the accessor methods.
package model

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// Deployment is the one deployment block of a configuration.
type Deployment struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`
	TypeRange hcl.Range `hcl:",type_range"`

	ThreatResponseVersion      string    `hcl:"threat_response_version"`
	ThreatResponseVersionRange hcl.Range `hcl:"threat_response_version,attr_value_range"`

	Licenses       []string         `hcl:"licenses"`
	LicensesRange  hcl.Range        `hcl:"licenses,attr_value_range"`
	LicenseRanges  []hcl.Range      `elements:"licenses"` // one per element, filled by load when the syntax gives them
	Platform       Platform         `hcl:"platform,block"`
	TaniumServers  []TaniumServer   `hcl:"tanium_server,block"`
	ModuleServers  []ModuleServer   `hcl:"module_server,block"`
	ZoneServers    []ZoneServer     `hcl:"zone_server,block"`
	Modules        *Modules         `hcl:"modules,block"`
	Features       *Features        `hcl:"features,block"`
	IntelStreams   []IntelStream    `hcl:"intel_stream,block"`
	DataCollection []DataCollection `hcl:"data_collection,block"`
	EndpointGroups []EndpointGroup  `hcl:"endpoint_group,block"`
	Roles          []Role           `hcl:"role,block"`
	UserGroups     []UserGroup      `hcl:"user_group,block"`
	// ChangeRequest fills the change request's header; nil: not given.
	ChangeRequest *ChangeRequest `hcl:"change_request,block"`
	// NetworkFirewall chooses the Capirca targets of the network firewall
	// policies; nil means the default targets.
	NetworkFirewall *NetworkFirewall `hcl:"network_firewall,block"`

	// Body is the deployment block's body, kept for element ranges.
	Body hcl.Body `hcl:",body"`

	// Accepts are the accept entries of every block, in source order,
	// filled by load (no block's gohcl struct carries them).
	Accepts []Acceptance
}

// Acceptance is one entry of a block's accept map: the user has judged
// the warnings of Rule that arise in the block, for Reason.
type Acceptance struct {
	Rule   string
	Reason string
	// Block names the block the entry is on, e.g. `endpoint_group "hq"`.
	Block string
	// Deployment: the entry is on the deployment block, and accepts the
	// rule's warnings anywhere in the deployment.
	Deployment bool
	// Scope is the block's whole range: a finding inside it is the block's.
	Scope hcl.Range
	// KeyRange is the entry's key, ReasonRange its value.
	KeyRange, ReasonRange hcl.Range
}

// Platform describes the Tanium Core Platform.
type Platform struct {
	DeclRange hcl.Range `hcl:",def_range"`

	CoreVersion      string    `hcl:"core_version"`
	CoreVersionRange hcl.Range `hcl:"core_version,attr_value_range"`

	ComputerGroups      []string    `hcl:"computer_groups,optional"`
	ComputerGroupsRange hcl.Range   `hcl:"computer_groups,attr_value_range"`
	ComputerGroupRanges []hcl.Range `elements:"computer_groups"` // one per element, filled by load

	Body hcl.Body `hcl:",body"`
}

// TaniumServer is a Tanium Server host.
type TaniumServer struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	Address      string    `hcl:"address"`
	AddressRange hcl.Range `hcl:"address,attr_value_range"`
}

// ModuleServer is the Tanium Module Server that runs Threat Response.
type ModuleServer struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	Address      string    `hcl:"address"`
	AddressRange hcl.Range `hcl:"address,attr_value_range"`

	InstallDir      *string   `hcl:"install_dir,optional"`
	InstallDirRange hcl.Range `hcl:"install_dir,attr_value_range"`

	HostFirewall      *string   `hcl:"host_firewall,optional"`
	HostFirewallRange hcl.Range `hcl:"host_firewall,attr_value_range"`
}

// ZoneServer is a Tanium Zone Server, usually in a DMZ.
type ZoneServer struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	Address      string    `hcl:"address"`
	AddressRange hcl.Range `hcl:"address,attr_value_range"`

	InstallDir      *string   `hcl:"install_dir,optional"`
	InstallDirRange hcl.Range `hcl:"install_dir,attr_value_range"`

	HostFirewall      *string   `hcl:"host_firewall,optional"`
	HostFirewallRange hcl.Range `hcl:"host_firewall,attr_value_range"`
}

// Modules lists installed or planned module versions; nil means not installed.
type Modules struct {
	DeclRange hcl.Range `hcl:",def_range"`

	Connect         *string   `hcl:"connect,optional"`
	ConnectRange    hcl.Range `hcl:"connect,attr_value_range"`
	Reputation      *string   `hcl:"reputation,optional"`
	ReputationRange hcl.Range `hcl:"reputation,attr_value_range"`
	Protect         *string   `hcl:"protect,optional"`
	ProtectRange    hcl.Range `hcl:"protect,attr_value_range"`
	Quarantine      *string   `hcl:"quarantine,optional"`
	QuarantineRange hcl.Range `hcl:"quarantine,attr_value_range"`
	Trends          *string   `hcl:"trends,optional"`
	TrendsRange     hcl.Range `hcl:"trends,attr_value_range"`
	Interact        *string   `hcl:"interact,optional"`
	InteractRange   hcl.Range `hcl:"interact,attr_value_range"`
}

// ModuleVersion is one attribute of the modules block: the catalog's
// module id, the version set (nil when unset) and where it is.
type ModuleVersion struct {
	ID      string
	Version *string
	Range   hcl.Range
}

// Versions returns every module attribute of the block, by the catalog's
// module ids, in the block's order. A nil block has every attribute unset.
func (m *Modules) Versions() []ModuleVersion {
	if m == nil {
		m = &Modules{}
	}
	return []ModuleVersion{
		{"connect", m.Connect, m.ConnectRange},
		{"reputation", m.Reputation, m.ReputationRange},
		{"protect", m.Protect, m.ProtectRange},
		{"quarantine", m.Quarantine, m.QuarantineRange},
		{"trends", m.Trends, m.TrendsRange},
		{"interact", m.Interact, m.InteractRange},
	}
}

// FeatureSwitch is one feature attribute that the catalog's features
// table decides: the catalog's feature id, the value set (nil when unset)
// and where it is.
type FeatureSwitch struct {
	ID    string
	On    *bool
	Range hcl.Range
}

// Enabled reports whether the feature is set to true.
func (s FeatureSwitch) Enabled() bool { return s.On != nil && *s.On }

// Switches returns the feature attributes the catalog's features table
// decides, by the catalog's feature ids. A nil block has every feature
// unset.
func (f *Features) Switches() []FeatureSwitch {
	if f == nil {
		f = &Features{}
	}
	return []FeatureSwitch{
		{"reputation", f.Reputation, f.ReputationRange},
		{"alert_remediation", f.AlertRemediation, f.AlertRemediationRange},
		{"endpoint_isolation", f.EndpointIsolation, f.EndpointIsolationRange},
		{"trends", f.Trends, f.TrendsRange},
	}
}

// Features says which Threat Response features the deployment needs.
type Features struct {
	DeclRange hcl.Range `hcl:",def_range"`

	Reputation             *bool     `hcl:"reputation,optional"`
	ReputationRange        hcl.Range `hcl:"reputation,attr_value_range"`
	AlertRemediation       *bool     `hcl:"alert_remediation,optional"`
	AlertRemediationRange  hcl.Range `hcl:"alert_remediation,attr_value_range"`
	EndpointIsolation      *bool     `hcl:"endpoint_isolation,optional"`
	EndpointIsolationRange hcl.Range `hcl:"endpoint_isolation,attr_value_range"`
	Trends                 *bool     `hcl:"trends,optional"`
	TrendsRange            hcl.Range `hcl:"trends,attr_value_range"`

	// LiveConnectionsWithoutApproval asks for the advanced role the page
	// recommends: Bypass Action Approval on the Trace Analysis content set.
	LiveConnectionsWithoutApproval      *bool     `hcl:"live_connections_without_approval,optional"`
	LiveConnectionsWithoutApprovalRange hcl.Range `hcl:"live_connections_without_approval,attr_value_range"`
}

// IntelStream is an intel feed the Module Server downloads.
type IntelStream struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	URL      string    `hcl:"url"`
	URLRange hcl.Range `hcl:"url,attr_value_range"`

	// Addresses are what the URL's host resolves to, for host firewall
	// rules (which need addresses; trgen resolves nothing).
	Addresses      []string    `hcl:"addresses,optional"`
	AddressesRange hcl.Range   `hcl:"addresses,attr_value_range"`
	AddressRanges  []hcl.Range `elements:"addresses"` // one per element, filled by load

	Body hcl.Body `hcl:",body"`
}

// DataCollection is a destination endpoints upload collected data to.
type DataCollection struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	Transfer         string    `hcl:"transfer"`
	TransferRange    hcl.Range `hcl:"transfer,attr_value_range"`
	Destination      string    `hcl:"destination"`
	DestinationRange hcl.Range `hcl:"destination,attr_value_range"`

	// Addresses are what a DNS-named destination resolves to, for host
	// firewall rules.
	Addresses      []string    `hcl:"addresses,optional"`
	AddressesRange hcl.Range   `hcl:"addresses,attr_value_range"`
	AddressRanges  []hcl.Range `elements:"addresses"` // one per element, filled by load

	// Groups are the endpoint groups that upload to the destination; nil:
	// every group.
	Groups      []string    `hcl:"groups,optional"`
	GroupsRange hcl.Range   `hcl:"groups,attr_value_range"`
	GroupRanges []hcl.Range `elements:"groups"` // one per element, filled by load

	Body hcl.Body `hcl:",body"`
}

// Uses reports whether endpoint group g uploads to the destination.
func (dc *DataCollection) Uses(g string) bool {
	return dc.Groups == nil || slices.Contains(dc.Groups, g)
}

// EndpointGroup is a set of endpoints sharing an OS, client and network.
type EndpointGroup struct {
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	OS                 string    `hcl:"os"`
	OSRange            hcl.Range `hcl:"os,attr_value_range"`
	OSVersion          string    `hcl:"os_version"`
	OSVersionRange     hcl.Range `hcl:"os_version,attr_value_range"`
	ClientVersion      string    `hcl:"client_version"`
	ClientVersionRange hcl.Range `hcl:"client_version,attr_value_range"`
	ClientDir          *string   `hcl:"client_dir,optional"`
	ClientDirRange     hcl.Range `hcl:"client_dir,attr_value_range"`
	// Architecture is a Windows group's, x64 or x86; nil: x64.
	Architecture      *string     `hcl:"architecture,optional"`
	ArchitectureRange hcl.Range   `hcl:"architecture,attr_value_range"`
	Networks          []string    `hcl:"networks"`
	NetworksRange     hcl.Range   `hcl:"networks,attr_value_range"`
	NetworkRanges     []hcl.Range `elements:"networks"` // one per element, filled by load
	ConnectVia        *string     `hcl:"connect_via,optional"`
	ConnectViaRange   hcl.Range   `hcl:"connect_via,attr_value_range"`
	HostFirewall      *string     `hcl:"host_firewall,optional"`
	HostFirewallRange hcl.Range   `hcl:"host_firewall,attr_value_range"`
	Endpoints         *int        `hcl:"endpoints,optional"`
	EndpointsRange    hcl.Range   `hcl:"endpoints,attr_value_range"`

	Hardware Hardware  `hcl:"hardware,block"`
	Recorder *Recorder `hcl:"recorder,block"`
	Auditd   *Auditd   `hcl:"auditd,block"`

	Body hcl.Body `hcl:",body"`
}

// Hardware describes the smallest machine of a group.
type Hardware struct {
	DeclRange hcl.Range `hcl:",def_range"`

	CPUs            int       `hcl:"cpus"`
	CPUsRange       hcl.Range `hcl:"cpus,attr_value_range"`
	MemoryGB        float64   `hcl:"memory_gb"`
	MemoryGBRange   hcl.Range `hcl:"memory_gb,attr_value_range"`
	FreeDiskGB      float64   `hcl:"free_disk_gb"`
	FreeDiskGBRange hcl.Range `hcl:"free_disk_gb,attr_value_range"`
}

// Recorder holds a group's recorder settings.
type Recorder struct {
	DeclRange hcl.Range `hcl:",def_range"`
	TypeRange hcl.Range `hcl:",type_range"`

	MaxDBSizeMB      *int      `hcl:"max_db_size_mb,optional"`
	MaxDBSizeMBRange hcl.Range `hcl:"max_db_size_mb,attr_value_range"`
	EventSource      *string   `hcl:"event_source,optional"`
	EventSourceRange hcl.Range `hcl:"event_source,attr_value_range"`
	DNSEvents        *bool     `hcl:"dns_events,optional"`
	DNSEventsRange   hcl.Range `hcl:"dns_events,attr_value_range"`
}

// Auditd holds a Linux group's audit daemon settings.
type Auditd struct {
	DeclRange hcl.Range `hcl:",def_range"`
	TypeRange hcl.Range `hcl:",type_range"`

	Version          string    `hcl:"version"`
	VersionRange     hcl.Range `hcl:"version,attr_value_range"`
	Immutable        *bool     `hcl:"immutable,optional"`
	ImmutableRange   hcl.Range `hcl:"immutable,attr_value_range"`
	FailureMode      *int      `hcl:"failure_mode,optional"`
	FailureModeRange hcl.Range `hcl:"failure_mode,attr_value_range"`
	SiteRules        *string   `hcl:"site_rules,optional"`
	SiteRulesRange   hcl.Range `hcl:"site_rules,attr_value_range"`
	// SiteRulesFile is the file site_rules was read from when it is written
	// as file("<literal path>"), filled by load, so findings in the rules
	// can point into that file.
	SiteRulesFile string

	// WatchClient adds rules watching the Tanium client's binaries and
	// libraries for tampering (default true).
	WatchClient      *bool     `hcl:"watch_client,optional"`
	WatchClientRange hcl.Range `hcl:"watch_client,attr_value_range"`

	// WatchesOnly writes only trgen's watches and the site rules: no base
	// file (-D, -c, -b, --backlog_wait_time, -f) and no finalize file
	// (-e 2), for estates whose base rules belong to a CIS or STIG role.
	WatchesOnly      *bool     `hcl:"watches_only,optional"`
	WatchesOnlyRange hcl.Range `hcl:"watches_only,attr_value_range"`

	Body hcl.Body `hcl:",body"`
}

// ChangeRequest is what a change board asks of every request, for the
// header of firewall/change-request.md. Every attribute is optional.
type ChangeRequest struct {
	DeclRange hcl.Range `hcl:",def_range"`

	Requester          *string   `hcl:"requester,optional"`
	RequesterRange     hcl.Range `hcl:"requester,attr_value_range"`
	Ticket             *string   `hcl:"ticket,optional"`
	TicketRange        hcl.Range `hcl:"ticket,attr_value_range"`
	Justification      *string   `hcl:"justification,optional"`
	JustificationRange hcl.Range `hcl:"justification,attr_value_range"`
	// ChangeType is standard, normal or emergency.
	ChangeType      *string   `hcl:"change_type,optional"`
	ChangeTypeRange hcl.Range `hcl:"change_type,attr_value_range"`
	// WindowStart, WindowEnd and Expires are dates (2026-12-01) or RFC
	// 3339 date-times.
	WindowStart      *string   `hcl:"window_start,optional"`
	WindowStartRange hcl.Range `hcl:"window_start,attr_value_range"`
	WindowEnd        *string   `hcl:"window_end,optional"`
	WindowEndRange   hcl.Range `hcl:"window_end,attr_value_range"`
	Expires          *string   `hcl:"expires,optional"`
	ExpiresRange     hcl.Range `hcl:"expires,attr_value_range"`

	Body hcl.Body `hcl:",body"`
}

// NetworkFirewall chooses what the network firewall policies
// (firewall/capirca) are compiled to.
type NetworkFirewall struct {
	DeclRange hcl.Range `hcl:",def_range"`

	// Targets are Capirca platform names for every boundary.
	Targets      []string    `hcl:"targets,optional"`
	TargetsRange hcl.Range   `hcl:"targets,attr_value_range"`
	TargetRanges []hcl.Range `elements:"targets"` // one per element, filled by load

	Boundaries []NetworkBoundary `hcl:"boundary,block"`

	Body hcl.Body `hcl:",body"`
}

// NetworkBoundary sets the targets and header options of one firewall
// boundary's policy.
type NetworkBoundary struct {
	// Name is "<source zone>-to-<destination zone>", e.g. internal-to-dmz.
	Name      string    `hcl:"name,label"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DeclRange hcl.Range `hcl:",def_range"`

	// Targets replaces the network_firewall's targets for this boundary.
	Targets      []string    `hcl:"targets,optional"`
	TargetsRange hcl.Range   `hcl:"targets,attr_value_range"`
	TargetRanges []hcl.Range `elements:"targets"` // one per element, filled by load

	FromZone      *string   `hcl:"from_zone,optional"`
	FromZoneRange hcl.Range `hcl:"from_zone,attr_value_range"`
	ToZone        *string   `hcl:"to_zone,optional"`
	ToZoneRange   hcl.Range `hcl:"to_zone,attr_value_range"`
	Filter        *string   `hcl:"filter_name,optional"`
	FilterRange   hcl.Range `hcl:"filter_name,attr_value_range"`

	Body hcl.Body `hcl:",body"`
}
