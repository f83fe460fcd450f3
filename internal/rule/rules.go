package rule

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/hostfw"
)

// Rule ids. Grouped as the checks are: the language first, then the
// requirements page section by section.
const (
	Syntax                ID = "hcl-syntax"
	Decode                ID = "hcl-decode"
	Variable              ID = "variable"
	VariableUndeclared    ID = "variable-undeclared"
	DeploymentCount       ID = "deployment-count"
	Schema                ID = "schema"
	LabelInvalid          ID = "label-invalid"
	LabelDuplicate        ID = "label-duplicate"
	ModuleServers         ID = "module-server-count"
	TaniumServers         ID = "tanium-server-missing"
	EndpointGroups        ID = "endpoint-group-missing"
	AddressInvalid        ID = "address-invalid"
	NetworkOverlap        ID = "network-overlap"
	NetworkInvalid        ID = "network-invalid"
	URLInvalid            ID = "url-invalid"
	ConnectVia            ID = "connect-via-unknown"
	ZoneUnused            ID = "zone-server-unused"
	HostFirewall          ID = "host-firewall-os-mismatch"
	LicenseUnknown        ID = "license-unknown"
	VersionInvalid        ID = "version-invalid"
	FirewallAddress       ID = "firewall-needs-address"
	NetFWFamily           ID = "network-firewall-address-family"
	NetFWIPv4Only         ID = "network-firewall-target-ipv4-only"
	NetFWBoundary         ID = "network-firewall-boundary-unused"
	DirInvalid            ID = "install-dir-invalid"
	TextInvalid           ID = "text-invalid"
	ExclusionLine         ID = "exclusion-client-line"
	CatalogPortMissing    ID = "catalog-port-missing"
	ChangeWindow          ID = "change-request-window"
	FirewalldPolicies     ID = "firewalld-policies-unsupported"
	DataCollectionGroup   ID = "data-collection-group-unknown"
	DataCollectionInbound ID = "data-collection-inbound"
	AcceptInvalid         ID = "accept-invalid"
	AcceptUnmatched       ID = "accept-unmatched"
	CatalogSyntax         ID = "catalog-syntax"
	CatalogSchema         ID = "catalog-schema"

	TRVersion ID = "threat-response-version-unsupported"
	Platform  ID = "platform-version-unsupported"

	ClientTooOld   ID = "client-version-too-old"
	ClientExcluded ID = "client-version-excluded"
	ClientMacOS    ID = "client-version-macos"
	Client74       ID = "client-version-needs-threat-response"
	ClientUnlisted ID = "client-version-unlisted"

	OSVersionInvalid ID = "os-version-invalid"
	OSUnsupported    ID = "os-unsupported"

	DNSEvents         ID = "dns-events-unavailable"
	Sysmon            ID = "event-source-sysmon"
	RecorderNotWindow ID = "recorder-setting-not-applicable"
	DBSize            ID = "recorder-db-size"
	DiskSpace         ID = "disk-space"
	CPUs              ID = "cpu-count"
	Memory            ID = "memory"

	FeatureReputation ID = "feature-reputation-modules"
	FeatureRemediate  ID = "feature-alert-remediation-module"
	FeatureIsolation  ID = "feature-endpoint-isolation-module"
	FeatureTrends     ID = "feature-trends-module"

	AuditdFailureMode ID = "auditd-failure-mode"
	AuditdImmutable   ID = "auditd-immutable-restart"
	AuditdNotLinux    ID = "auditd-not-linux"

	RoleUnknown       ID = "role-name-unknown"
	PermissionUnknown ID = "permission-unknown"
	ContentSetUnknown ID = "content-set-unknown"
	PermissionKind    ID = "permission-kind-mismatch"
	RoleDeny          ID = "role-deny-not-allowed"
	RoleReserved      ID = "role-name-provided"
	RoleEmpty         ID = "role-empty"
	PermissionDup     ID = "permission-duplicate"
	PermissionNeeds   ID = "permission-needs-module"
	UserGroupEmpty    ID = "user-group-empty"
	AllContentSets    ID = "all-content-sets-mixed"

	AuditSyntax         ID = "audit-syntax"
	AuditFieldUnknown   ID = "audit-field-unknown"
	AuditOperator       ID = "audit-operator-invalid"
	AuditSyscall        ID = "audit-syscall-unknown"
	AuditArch           ID = "audit-arch-missing"
	AuditFailureMode    ID = "audit-failure-mode-2"
	AuditImmutableLast  ID = "audit-immutable-not-last"
	AuditAfterImmutable ID = "audit-rule-after-immutable"
	AuditEnableDup      ID = "audit-enable-duplicate"
	AuditDeleteFirst    ID = "audit-delete-not-first"
	AuditDuplicate      ID = "audit-duplicate-rule"
	AuditRecorderWatch  ID = "audit-watch-recorder"
	AuditSiteControl    ID = "audit-site-control"
	AuditQuoted         ID = "audit-quoted-value"
	AuditOverridden     ID = "audit-control-overridden"
	AuditAwk            ID = "audit-awk-dependent"
	AuditNoNewline      ID = "audit-no-final-newline"

	FleetUnmatched ID = "endpoint-unmatched"
	FleetOSUnread  ID = "endpoint-os-unread"
	FleetOSGroup   ID = "endpoint-os-mismatch"
	FleetLine      ID = "endpoint-client-line-mismatch"

	MacOSKnownIssue ID = "macos-protected-directories"
	ComputerGroups  ID = "computer-groups-missing"
)

const (
	audit = "auditctl(8); trgen's practice (docs/sources.md)"
	lang  = "trgen deployment language (docs/language.md)"
	errS  = hcl.DiagError
	warnS = hcl.DiagWarning
)

var rules = []Rule{
	{
		ID:          Syntax,
		Severity:    errS,
		Title:       "The file is not valid HCL",
		Description: "The file could not be parsed as HCL native syntax (.hcl) or HCL JSON syntax (.hcl.json).",
		Fix:         "Correct the syntax at the position shown.",
		Source:      other("HCL syntax specification"),
	},
	{
		ID:       Decode,
		Severity: errS,
		Title:    "The configuration does not match the deployment language",
		Description: "A block or argument is unknown, missing, or of the wrong type, or an expression cannot be " +
			"evaluated.",
		Fix: "Use the block and argument names of the deployment language; the message suggests the " +
			"nearest known name.",
		Source: other(lang),
	},
	{
		ID:       Variable,
		Severity: errS,
		Title:    "A variable is unset or of the wrong type",
		Description: "Variables are set by default, `TRGEN_VAR_<name>`, `-var-file` and `-var`, in that order " +
			"of precedence, and must match their declared type.",
		Fix:    "Declare the variable, give it a value, or fix the value's type.",
		Source: other(lang),
	},
	{
		ID:       VariableUndeclared,
		Severity: errS,
		Title:    "A reference names no declared variable",
		Description: "var.NAME refers to a variable block of the configuration; a typo, or a declaration in a " +
			"file that was not loaded (a single file was given where the folder holds others), leaves " +
			"it undeclared.",
		Fix: "Correct the name (the message suggests the nearest declared one), declare the variable, " +
			"or validate the whole folder.",
		Source: other(lang),
	},
	{
		ID:       DeploymentCount,
		Severity: errS,
		Title:    "A configuration needs exactly one deployment block",
		Description: "The deployment block's label names the output folder, so a configuration describes " +
			"exactly one deployment.",
		Fix:    "Keep one deployment block per configuration directory.",
		Source: other(lang),
	},
	{
		ID:       Schema,
		Severity: errS,
		Title:    "The deployment does not satisfy the deployment JSON Schema",
		Description: "Every decoded deployment is validated against schema/deployment.schema.json " +
			"(enumerations, ranges, uniqueness).",
		Fix:    "Use one of the values the message lists.",
		Source: other("schema/deployment.schema.json"),
	},
	{
		ID:          LabelInvalid,
		Severity:    errS,
		Title:       "A block label is not a valid name",
		Description: "Labels become file names, so they must match `^[a-z0-9][a-z0-9_-]{0,62}$`.",
		Fix:         "Rename the block using lower-case letters, digits, '-' and '_'.",
		Source:      other(lang),
	},
	{
		ID:          LabelDuplicate,
		Severity:    errS,
		Title:       "Two blocks of one type share a label",
		Description: "Labels name output files and are referenced by other blocks, so they are unique per block type.",
		Fix:         "Rename one of the blocks.",
		Source:      other(lang),
	},
	{
		ID:          ModuleServers,
		Severity:    errS,
		Title:       "A deployment needs exactly one module_server",
		Description: "Threat Response is installed and runs as a service on the Module Server host computer.",
		Fix:         "Describe the one Module Server in a module_server block.",
		Source:      onPage("Tanium Module Server", ""),
	},
	{
		ID:       TaniumServers,
		Severity: errS,
		Title:    "A deployment needs at least one tanium_server",
		Description: "The Tanium Server initiates connections to the Module Server (the port table's Tanium " +
			"Server row gives the port); the firewall flows need its address.",
		Fix:    "Add a tanium_server block.",
		Source: onPage("Ports", ""),
	},
	{
		ID:       EndpointGroups,
		Severity: errS,
		Title:    "A deployment needs at least one endpoint_group",
		Description: "Endpoint groups are what the requirements are checked against and what the outputs are " +
			"generated for.",
		Fix:    "Add an endpoint_group block.",
		Source: other(lang),
	},
	{
		ID:       AddressInvalid,
		Severity: errS,
		Title:    "An address is not an IP address, CIDR or DNS name",
		Description: "Addresses end up in firewall rules and scripts, so they must be an IPv4/IPv6 address, a " +
			"CIDR, or a DNS host name.",
		Fix:    "Write a plain address such as 10.0.0.10, 10.0.0.0/24 or tms1.example.com.",
		Source: other(lang),
	},
	{
		ID:          DataCollectionGroup,
		Severity:    errS,
		Title:       "A data_collection names an endpoint group the deployment lacks",
		Description: "A data collection destination's groups are the endpoint groups that upload to it.",
		Fix:         "Name an endpoint_group of this deployment, or remove groups to let every group upload.",
		Source:      other(lang),
	},
	{
		ID:       DataCollectionInbound,
		Severity: warnS,
		Title:    "A group behind a Zone Server would upload to an internal destination",
		Description: "A group that connects through a Zone Server (connect_via) is outside the organisation's " +
			"network; its upload to an internal data collection destination needs an inbound path from " +
			"outside into the internal network, on the transfer method's port (SMB 445, SFTP 22). The " +
			"page lists the data collection ports but not how groups behind a Zone Server reach a " +
			"destination (trgen's reading data-collection-zone): opening that path is the deployment's " +
			"decision, not the vendor's requirement.",
		Fix: "List the groups that can reach the destination (groups = [...]) and give the groups " +
			"behind the Zone Server an internet-reachable destination (S3, or an SFTP server in the " +
			"DMZ); or accept the warning where such a path already exists (a VPN).",
		Source: onPage("Ports", ""),
	},
	{
		ID:       AcceptInvalid,
		Severity: errS,
		Title:    "An accept entry that cannot accept anything",
		Description: "A block's accept map names warning rules whose findings in the block the user has judged " +
			"acceptable, each with the reason. A key must be a rule id whose findings are warnings " +
			"about the deployment: errors cannot be accepted.",
		Fix: "Write accept = { network-overlap = \"why it is acceptable here\" } with a warning's rule id " +
			"(trgen explain lists them) and a reason that is not empty.",
		Source: other(lang),
	},
	{
		ID:       AcceptUnmatched,
		Severity: warnS,
		Title:    "An accept entry that matches no finding",
		Description: "The block's accept map names a rule with no warning in the block (or, on the deployment " +
			"block, in the deployment): the warning it was written for is gone, or the entry is on the " +
			"wrong block.",
		Fix:    "Remove the entry, or move it to the block the warning is reported in.",
		Source: other(lang),
	},
	{
		ID:       NetworkOverlap,
		Severity: warnS,
		Title:    "The networks of two endpoint groups overlap",
		Description: "An endpoint whose address lies in both groups' networks is admitted by both groups' " +
			"network firewall rules. Which group's exclusions, host firewall and audit rules it gets " +
			"depends on the Tanium computer group it is a member of, which its address does not " +
			"decide; trgen fleet assigns it to the group with the longest matching prefix.",
		Fix: "Make the groups' networks disjoint, e.g. split the larger network or move the endpoints " +
			"to one group; or, where the computer groups are scoped so that each endpoint is in one of " +
			"them, accept the warning (accept = { network-overlap = \"why\" } on the group).",
		Source: other(lang),
	},
	{
		ID:          NetworkInvalid,
		Severity:    errS,
		Title:       "A network is not a CIDR",
		Description: "An endpoint group's networks are the CIDRs its endpoints live in.",
		Fix:         "Write the network as a CIDR such as 10.20.0.0/16.",
		Source:      other(lang),
	},
	{
		ID:       URLInvalid,
		Severity: errS,
		Title:    "An intel stream URL is not an http or https URL",
		Description: "Intel streams are fetched by the Module Server over http or https, on the port the page " +
			"gives for the scheme unless the URL names one.",
		Fix:    "Write an absolute http:// or https:// URL with a host name.",
		Source: onPage("Ports", ""),
	},
	{
		ID:       ZoneUnused,
		Severity: warnS,
		Title:    "A zone_server no endpoint group connects through",
		Description: "The port table's Zone Server rows are \"(Optional)\": a Zone Server is needed only where " +
			"endpoint groups connect through it (connect_via). A declared one that no group uses gets " +
			"no flows and no firewall script.",
		Fix: "Set connect_via to the zone_server's label on the groups that reach the Module Server " +
			"through it, or remove the zone_server block.",
		Source: onPage("Ports", ""),
	},
	{
		ID:          ConnectVia,
		Severity:    errS,
		Title:       "connect_via names no zone_server",
		Description: "An endpoint group's connect_via must be the label of a zone_server of the deployment.",
		Fix:         "Use a zone_server label, or remove connect_via to connect directly to the Module Server.",
		Source:      other(lang),
	},
	{
		ID:          HostFirewall,
		Severity:    errS,
		Title:       "The host firewall does not exist on the group's OS",
		Description: firewallsByOS(),
		Fix:         "Pick a host_firewall that matches os, or none.",
		Source:      other(lang),
	},
	{
		ID:          LicenseUnknown,
		Severity:    errS,
		Title:       "An unknown license name",
		Description: "Threat Response licenses are trace, detect and incident_response.",
		Fix:         "Use one of the license ids the message lists.",
		Source:      onPage("License entitlements", ""),
	},
	{
		ID:       FirewallAddress,
		Severity: warnS,
		Title:    "A firewall rule needs the addresses of a DNS name",
		Description: "Firewall rules, the network firewall policies (firewall/capirca) and the host firewall " +
			"files alike match IP addresses, and trgen resolves nothing at generate time; a flow to or " +
			"from a DNS name without addresses is left out of them.",
		Fix:    "Add addresses = [...] with what the name resolves to, or give the server an IP address.",
		Source: other(lang),
	},
	{
		ID:       NetFWFamily,
		Severity: warnS,
		Title:    "A flow's two ends have no address family in common",
		Description: "A network firewall rule permits packets from a source address to a destination address of " +
			"the same IP version; a flow between a host with only IPv4 addresses and one with only " +
			"IPv6 addresses cannot be written as a rule, so the network firewall policies leave it out " +
			"(their README lists it).",
		Fix: "Give the deployment the address of the other family (the intel stream's or data " +
			"collection's addresses, the server's address), or remove the flow's cause.",
		Source: other(lang),
	},
	{
		ID:       NetFWIPv4Only,
		Severity: errS,
		Title:    "A network firewall platform that writes IPv4 rules only, on a boundary with IPv6 flows",
		Description: "Capirca's ciscoasa platform (2.0.6) writes IPv4 access-list entries only and drops IPv6 " +
			"addresses without a word; trgen offers no platform whose output loses part of a flow.",
		Fix: "Use another platform for this boundary (a boundary block's targets), or leave ciscoasa to " +
			"boundaries without IPv6 flows.",
		Source: other(lang),
	},
	{
		ID:       NetFWBoundary,
		Severity: warnS,
		Title:    "A network_firewall boundary block names a boundary no flow crosses",
		Description: "A boundary block's label is the source zone, \"-to-\" and the destination zone; its " +
			"settings apply only to the policy of that boundary, and this deployment writes none for " +
			"it.",
		Fix:    "Use the label of a boundary change-request.md lists (e.g. internal-to-dmz), or remove the block.",
		Source: other(lang),
	},
	{
		ID:       DirInvalid,
		Severity: errS,
		Title:    "An install or client directory cannot be excluded as written",
		Description: "install_dir and client_dir are where every exclusion is resolved: they must be absolute, " +
			"use the OS's separator, hold no per-user variables (Defender expands them in the SYSTEM " +
			"context), no wildcard drive letter, no . or .. segments and no characters the file system " +
			"forbids.",
		Fix: "Write the absolute directory, e.g. C:\\Program Files (x86)\\Tanium\\Tanium Client or " +
			"/opt/Tanium/TaniumClient.",
		Source: onPage("Security exclusions", "; trgen's practice (docs/sources.md)"),
	},
	{
		ID:       TextInvalid,
		Severity: errS,
		Title:    "Free text holds a control or bidirectional-override character",
		Description: "Display names, descriptions and computer group names are copied into the Console import " +
			"files, the runbook and the change request. A control character (newline, NUL, escape...) " +
			"breaks those lines or a terminal showing them, and a bidirectional override " +
			"(U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) makes text read differently from " +
			"what it is.",
		Fix:    "Remove the character; write the text on one line.",
		Source: other(lang),
	},
	{
		ID:       FirewalldPolicies,
		Severity: errS,
		Title:    "firewalld on this release cannot load trgen's policy",
		Description: "trgen writes a firewalld policy (an output filter from HOST to ANY); firewalld supports " +
			"policies from 0.9.0, and RHEL, CentOS and Oracle Linux 7 ship firewalld 0.6, which " +
			"rejects the file.",
		Fix:    "Use host_firewall = \"iptables\" for groups on those releases.",
		Source: other("firewalld (docs/sources.md)"),
	},
	{
		ID:       ChangeWindow,
		Severity: errS,
		Title:    "The change request's dates are out of order",
		Description: "A change board rejects a request whose window ends before it starts, or whose rules " +
			"expire before the window ends; a date alone means the whole day.",
		Fix:    "Correct window_start, window_end or expires in the change_request block.",
		Source: other(lang),
	},
	{
		ID:          CatalogSyntax,
		Severity:    errS,
		Title:       "The catalog given with --catalog is not valid JSON",
		Description: "A requirements catalog is a JSON document; trgen reads none of it when it does not parse.",
		Fix:         "Correct the JSON at the position shown.",
		Source:      other("docs/catalog.md"),
	},
	{
		ID:       CatalogSchema,
		Severity: errS,
		Title:    "The catalog given with --catalog does not satisfy the catalog schema",
		Description: "Every catalog, trgen's own and one given with --catalog, must satisfy " +
			"schema/catalog.schema.json, so no check and no output meets a fact it cannot read; its " +
			"version line must not be empty.",
		Fix:    "Correct the field at the position shown; docs/catalog.md explains each section.",
		Source: other("schema/catalog.schema.json"),
	},
	{
		ID:       CatalogPortMissing,
		Severity: errS,
		Title:    "The deployment needs a flow the catalog has no port for",
		Description: "Each port row of the requirements catalog names the deployment flow it opens; a flow with " +
			"no row has no port to open, so it would be missing from every firewall output. This " +
			"happens with a catalog given by --catalog that lacks a row (for example one for a version " +
			"without Zone Servers).",
		Fix: "Remove what needs the flow (connect_via, the intel stream, the data collection), or add " +
			"the row to the catalog if the page lists one.",
		Source: other("docs/catalog.md"),
	},
	{
		ID:       ExclusionLine,
		Severity: warnS,
		Title:    "The client's exclusion entries are inferred",
		Description: "The vendor's exclusion table lists version-specific entries (the bundled Python) for some " +
			"client lines only; for a client of another line trgen uses the nearest listed line. The " +
			"message names the lines the catalog has.",
		Fix:    "Move the group to a client of a listed line, or verify the Python path on its endpoints.",
		Source: onPage("Security exclusions", ""),
	},
	{
		ID:       VersionInvalid,
		Severity: errS,
		Title:    "A version is not a dotted version number",
		Description: "Versions are compared numerically and must be one to four dot-separated numbers; the " +
			"message gives an example of the kind the attribute takes (a Threat Response, Core " +
			"Platform, Tanium Client, module or auditd version).",
		Fix:    "Write the version as dotted numbers.",
		Source: other(lang),
	},
	{
		ID:       TRVersion,
		Severity: errS,
		Title:    "No requirements catalog covers this Threat Response version",
		Description: "threat_response_version selects the requirements catalog; trgen only checks versions its " +
			"catalogs cover.",
		Fix:    "Use a supported version (trgen requirements lists them).",
		Source: onPage("", ""),
	},
	{
		ID:       Platform,
		Severity: errS,
		Title:    "The Tanium Core Platform is too old",
		Description: "Threat Response needs the Tanium Core Platform version the requirements page names, or " +
			"later; the message gives it from the catalog.",
		Fix:    "Upgrade the Tanium Server and set platform.core_version accordingly.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:       ClientTooOld,
		Severity: errS,
		Title:    "The Tanium Client is older than the minimum",
		Description: "Threat Response needs the minimum Tanium Client version the requirements page names, or " +
			"later; the message gives it from the catalog.",
		Fix:    "Upgrade the group's client.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:       ClientExcluded,
		Severity: errS,
		Title:    "The Tanium Client version is excluded",
		Description: "The page excludes some Tanium Client versions by name from the supported clients; the " +
			"message names the one the group uses.",
		Fix:    "Upgrade the group's client to another listed version.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:       ClientMacOS,
		Severity: errS,
		Title:    "Newer macOS releases need a newer Tanium Client",
		Description: "From the macOS release the page names, a higher Tanium Client minimum applies; the " +
			"message gives both from the catalog.",
		Fix:    "Upgrade the group's client to the minimum the message names.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:       Client74,
		Severity: errS,
		Title:    "A client line needs a newer Threat Response",
		Description: "Some listed client lines are supported only from a given Threat Response version; the " +
			"message names the line and the version.",
		Fix:    "Upgrade Threat Response, or keep the group on a client of an earlier line.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:       ClientUnlisted,
		Severity: warnS,
		Title:    "The Tanium Client version is not listed",
		Description: "With a client version the page does not list, certain product features might not be " +
			"available, or stability issues can occur.",
		Fix:    "Move the group to a listed client; the message lists them from the catalog.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:          OSVersionInvalid,
		Severity:    errS,
		Title:       "The OS version cannot be recognised",
		Description: "os_version is parsed leniently into a canonical version; the message lists the accepted forms.",
		Fix:         "Write the version in one of the accepted forms.",
		Source:      other(lang),
	},
	{
		ID:       OSUnsupported,
		Severity: errS,
		Title:    "The operating system version is not supported",
		Description: "The page lists the Windows releases Threat Response supports and the oldest macOS; the " +
			"message names them from the catalog.",
		Fix:    "Upgrade the group's OS or leave it out of the deployment.",
		Source: onPage("Endpoints", ""),
	},
	{
		ID:       DNSEvents,
		Severity: warnS,
		Title:    "DNS events are not recorded on this Windows version",
		Description: "DNS event recording is available on the newer Windows releases only; the message names " +
			"the oldest desktop and server release from the catalog.",
		Fix:    "Set dns_events = false for this group, or upgrade its OS.",
		Source: onPage("Tanium Event Recorder Driver", ""),
	},
	{
		ID:       Sysmon,
		Severity: warnS,
		Title:    "Sysmon as the recorder's event source",
		Description: "Process hashes and command-line information require the Tanium driver, and the use of " +
			"Sysmon is deprecated from the Threat Response version the message names.",
		Fix:    "Use event_source = \"tanium_driver\" and redeploy the recorder profiles.",
		Source: onPage("Tanium Event Recorder Driver", ""),
	},
	{
		ID:          RecorderNotWindow,
		Severity:    errS,
		Title:       "A Windows-only recorder setting on a non-Windows group",
		Description: "event_source and dns_events apply to the Windows recorder only.",
		Fix:         "Remove the setting from the group.",
		Source:      onPage("Tanium Event Recorder Driver", ""),
	},
	{
		ID:       DBSize,
		Severity: warnS,
		Title:    "The recorder database size is outside the default range",
		Description: "By default the endpoint database for Threat Response is between 256 MB and 1 GB (1024 " +
			"MB); the page states no limit beyond that default, so another size is a warning, and the " +
			"free disk space rule applies to the configured size.",
		Fix:    "Check that the size is intended, or set max_db_size_mb between 256 and 1024.",
		Source: onPage("Disk space requirements", ""),
	},
	{
		ID:          DiskSpace,
		Severity:    errS,
		Title:       "Not enough free disk for the recorder database",
		Description: "The endpoint device must have three times the maximum database size available in free disk space.",
		Fix:         "Free disk space on the group's endpoints or lower max_db_size_mb.",
		Source:      onPage("Disk space requirements", ""),
	},
	{
		ID:          CPUs,
		Severity:    warnS,
		Title:       "Fewer CPUs than recommended",
		Description: "For full functionality a minimum of two CPUs per endpoint is recommended.",
		Fix:         "Give the group's endpoints at least two CPUs.",
		Source:      onPage("CPU and memory requirements", ""),
	},
	{
		ID:          Memory,
		Severity:    warnS,
		Title:       "Less memory than recommended",
		Description: "A minimum of 4 GB RAM is recommended on each endpoint device.",
		Fix:         "Give the group's endpoints at least 4 GB of RAM.",
		Source:      onPage("CPU and memory requirements", ""),
	},
	{
		ID:       FeatureReputation,
		Severity: errS,
		Title:    "Reputation data lacks the modules it needs",
		Description: "Reputation data needs module versions the page names (alternatives of Connect and " +
			"Reputation versions); the message gives the nearest alternative from the catalog.",
		Fix:    "Install the modules in modules { } at the versions the message names, or turn the feature off.",
		Source: onPage("Tanium products", ""),
	},
	{
		ID:       FeatureRemediate,
		Severity: errS,
		Title:    "Alert remediation lacks the Protect version it needs",
		Description: "Alert remediation needs the Protect version the page names, or later; the message gives " +
			"it from the catalog.",
		Fix:    "Set modules.protect to the version the message names, or turn the feature off.",
		Source: onPage("Tanium products", ""),
	},
	{
		ID:       FeatureIsolation,
		Severity: errS,
		Title:    "Endpoint isolation lacks the Quarantine version it needs",
		Description: "Isolating endpoints needs the Quarantine version the page names, or later; the message " +
			"gives it from the catalog.",
		Fix:    "Set modules.quarantine to the version the message names, or turn the feature off.",
		Source: onPage("Tanium products", ""),
	},
	{
		ID:       FeatureTrends,
		Severity: errS,
		Title:    "Trends integration lacks the Trends version it needs",
		Description: "Threat Response works with the Trends version the page names, or later; the message gives " +
			"it from the catalog.",
		Fix:    "Set modules.trends to the version the message names, or turn the feature off.",
		Source: onPage("Tanium products", ""),
	},
	{
		ID:       AuditdFailureMode,
		Severity: errS,
		Title:    "auditd failure mode 2 stops the recorder",
		Description: "With -f 2 the kernel panics when an audit message is lost, and the recorder does not add " +
			"audit rules when it detects this setting.",
		Fix:    "Use failure_mode 0 or 1 on the group's endpoints.",
		Source: onPage("Endpoints", ""),
	},
	{
		ID:       AuditdImmutable,
		Severity: warnS,
		Title:    "Immutable audit rules need a restart",
		Description: "With -e 2 the recorder adds its rules in front of the immutable flag, and the endpoint " +
			"must be restarted after the recorder is enabled.",
		Fix:    "Plan a restart of the group's endpoints after enabling the recorder, or set immutable = false.",
		Source: onPage("Endpoints", ""),
	},
	{
		ID:          AuditdNotLinux,
		Severity:    errS,
		Title:       "An auditd block on a non-Linux group",
		Description: "auditd settings apply to Linux endpoints only.",
		Fix:         "Remove the auditd block from the group.",
		Source:      onPage("Endpoints", ""),
	},
	{
		ID:       RoleUnknown,
		Severity: errS,
		Title:    "A user group names an unknown role",
		Description: "user_group roles are provided role names (the four Threat Response roles and the other " +
			"modules' roles the page names) or role labels of this deployment.",
		Fix:    "Use a provided role name or a role label; the message suggests the nearest.",
		Source: onPage("User role requirements", ""),
	},
	{
		ID:       PermissionUnknown,
		Severity: errS,
		Title:    "An unknown permission name",
		Description: "Permission names must be those of Tables 2 to 4 of the requirements page (or Bypass " +
			"Action Approval, which its notes name).",
		Fix:    "Use a permission name from the tables; the message suggests the nearest.",
		Source: onPage("User role requirements", ""),
	},
	{
		ID:       ContentSetUnknown,
		Severity: errS,
		Title:    "An unknown content set",
		Description: "Advanced permissions apply to the content sets Table 4 names: Base, Reserved, Detect, " +
			"Detect Service, Threat Response, Threat Response Service, Trace Analysis, Trace " +
			"Deployment, Incident Response, Index.",
		Fix:    "Use one of the content sets, or all_content_sets = true.",
		Source: onPage("User role requirements", ", Table 4"),
	},
	{
		ID:       PermissionKind,
		Severity: errS,
		Title:    "A permission of the wrong kind for the role",
		Description: "Module roles take module permissions (Table 2), micro admin roles micro admin permissions " +
			"(Table 3), advanced roles content-set permissions (Table 4) in content_set_permission " +
			"blocks.",
		Fix:    "Move the permission to a role of its kind.",
		Source: onPage("User role requirements", "; Tanium Console roles (docs/sources.md)"),
	},
	{
		ID:       RoleDeny,
		Severity: errS,
		Title:    "A module role cannot be a deny role",
		Description: "Module roles grant permissions and have no deny variant; only advanced and micro admin " +
			"roles can deny.",
		Fix:    "Remove deny, or make the role advanced or micro_admin.",
		Source: other("Tanium Console roles (docs/sources.md)"),
	},
	{
		ID:       RoleReserved,
		Severity: errS,
		Title:    "A custom role takes a provided role's name",
		Description: "Provided (predefined) roles cannot be edited or overwritten, so an import must create " +
			"custom roles under other names.",
		Fix:    "Rename the role (display_name).",
		Source: other("Tanium Console roles (docs/sources.md)"),
	},
	{
		ID:       RoleEmpty,
		Severity: errS,
		Title:    "A role grants nothing",
		Description: "A role without permissions (or an advanced permission without content sets) imports as an " +
			"empty role.",
		Fix:    "Add permissions, content_sets or all_content_sets.",
		Source: other(lang),
	},
	{
		ID:          PermissionDup,
		Severity:    errS,
		Title:       "A permission is listed twice",
		Description: "Each permission appears once per role (and each content set once per permission).",
		Fix:         "Remove the duplicate.",
		Source:      other(lang),
	},
	{
		ID:       PermissionNeeds,
		Severity: warnS,
		Title:    "A permission needs another module",
		Description: "Footnote 2: some permissions need permissions in other modules to complete their tasks; " +
			"the page names modules such as Protect, Connect or Interact, and the message names the " +
			"one the catalog gives.",
		Fix:    "Add the module to modules { } at the version the message names, or drop the permission.",
		Source: onPage("User role requirements", ", footnote 2"),
	},
	{
		ID:       AllContentSets,
		Severity: errS,
		Title:    "A role mixes all_content_sets with specific content sets",
		Description: "The platform's All Content Sets flag belongs to the role (all_content_sets_flag), so " +
			"either every permission of an advanced role applies to all content sets or none does.",
		Fix:    "Split the role in two: one with all_content_sets, one with content_sets.",
		Source: other("Tanium role import format in public code (docs/sources.md): content_set_role.all_content_sets_flag"),
	},
	{
		ID:          UserGroupEmpty,
		Severity:    errS,
		Title:       "A user group has no roles",
		Description: "A user_group assigns roles; without any it assigns nothing.",
		Fix:         "List the roles the group gets.",
		Source:      other(lang),
	},
	{
		ID:       AuditSyntax,
		Severity: errS,
		Title:    "An audit rule auditctl cannot read",
		Description: "Unknown options, missing or malformed values, and options in the wrong kind of rule. " +
			"augenrules stops at the first bad line, silently dropping every later rule, -e 2 included.",
		Fix:    "Correct the rule at the position shown (auditctl(8)).",
		Source: other(audit),
	},
	{
		ID:       AuditFieldUnknown,
		Severity: errS,
		Title:    "An unknown -F or -C field",
		Description: "auditctl knows a fixed set of fields (auid, uid, exit, success, path, dir, perm, key, " +
			"arch, a0 to a3, ...).",
		Fix:    "Use a field from auditctl(8); the message suggests the nearest.",
		Source: other(audit),
	},
	{
		ID:       AuditOperator,
		Severity: errS,
		Title:    "A bad operator in -F or -C",
		Description: "-F takes =, !=, <, >, <=, >=, & or &=; string fields (path, dir, key, exe, arch, ...) " +
			"take only = and !=.",
		Fix:    "Use an operator the field accepts.",
		Source: other(audit),
	},
	{
		ID:       AuditSyscall,
		Severity: errS,
		Title:    "A syscall that does not exist on the rule's architecture",
		Description: "Syscall names are checked against the tables of the endpoints' auditd line (auditd { " +
			"version }, or audit lint --auditd-version; the newest line otherwise) for x86_64 (b64), " +
			"i386 (b32), aarch64 and arm, checked in under schema/syscalls: 3.0 from the real " +
			"ausyscall --dump, 2.8, 3.1 and 4.x from audit-userspace's tables. A name that only a " +
			"later line knows says which.",
		Fix: "Use the syscall's name on that architecture, move it to the twin rule of the other one, " +
			"or give the hosts' auditd version.",
		Source: other(audit + "; ausyscall(8)"),
	},
	{
		ID:       AuditArch,
		Severity: warnS,
		Title:    "A syscall rule without -F arch=",
		Description: "Syscall numbers differ between 64- and 32-bit calls; without -F arch= a rule naming " +
			"syscalls matches the native table only.",
		Fix:    "Add -F arch=b64, and a b32 twin where 32-bit programs run.",
		Source: other(audit),
	},
	{
		ID:       AuditFailureMode,
		Severity: errS,
		Title:    "-f 2 in an audit rules file",
		Description: "With -f 2 the kernel panics when an audit message is lost, and the recorder does not add " +
			"audit rules when it detects this setting.",
		Fix:    "Use -f 1.",
		Source: onPage("Endpoints", ""),
	},
	{
		ID:       AuditImmutableLast,
		Severity: errS,
		Title:    "-e 2 is not the last rule",
		Description: "At -e 2 the kernel locks the audit configuration; anything after it, including the rules " +
			"the recorder inserts, is rejected.",
		Fix:    "Move -e 2 to the very end (trgen writes it alone in 99-trgen-finalize.rules).",
		Source: onPage("Endpoints", "; "+audit),
	},
	{
		ID:          AuditAfterImmutable,
		Severity:    errS,
		Title:       "A rule after -e 2",
		Description: "The kernel rejects every rule after the configuration is locked.",
		Fix:         "Move the rule before -e 2.",
		Source:      other(audit),
	},
	{
		ID:          AuditEnableDup,
		Severity:    warnS,
		Title:       "-e given more than once",
		Description: "Only the last -e counts, and an early -e 2 locks the rest out.",
		Fix:         "Keep one -e, at the end.",
		Source:      other(audit),
	},
	{
		ID:          AuditDeleteFirst,
		Severity:    errS,
		Title:       "-D after other rules",
		Description: "-D deletes every rule loaded before it, so rules above it in the same set are lost.",
		Fix:         "Put -D first (trgen writes it in 10-trgen-base.rules).",
		Source:      other(audit),
	},
	{
		ID:       AuditDuplicate,
		Severity: errS,
		Title:    "The same audit rule twice",
		Description: "The same kernel rule twice, written the same or differently (syscall order, -p letters, " +
			"-k or -F key=; compared by the kernel form go-libaudit builds). The kernel refuses the " +
			"copy and auditctl -R stops there, so augenrules --load loads no later rule; with -c or -i " +
			"in effect auditctl goes on, and the finding is a warning.",
		Fix:    "Remove the copy.",
		Source: other(audit),
	},
	{
		ID:       AuditRecorderWatch,
		Severity: errS,
		Title:    "A rule watches the recorder's own files",
		Description: "The Tanium recorder writes its database and audit pipe continuously; auditing them (or a " +
			"directory above them) feeds the recorder its own writes.",
		Fix:    "Watch specific binaries or configuration files instead, outside extensions/recorder.",
		Source: onPage("Security exclusions", " (the recorder's files)"),
	},
	{
		ID:       AuditSiteControl,
		Severity: errS,
		Title:    "A control option in site_rules",
		Description: "trgen writes -D, -b, -f, -e and --backlog_wait_time in its own 10- and 99- files, from " +
			"auditd.failure_mode and auditd.immutable, so the order the recorder needs is kept.",
		Fix:    "Remove the option from the site rules and set it in the auditd block.",
		Source: other(lang),
	},
	{
		ID:       AuditQuoted,
		Severity: warnS,
		Title:    "A quoted value in an audit rule",
		Description: "auditctl splits rules at blanks and keeps quote characters in the word, so a quoted key " +
			"reaches the kernel with its quotes: ausearch -k without them finds nothing.",
		Fix:    "Remove the quotes.",
		Source: other(audit),
	},
	{
		ID:       AuditOverridden,
		Severity: warnS,
		Title:    "A later rules.d file overrides -D, -b, -f or -e",
		Description: "augenrules keeps only the last -D, -b, -f and -e of all rules.d files (in ls -1v order), " +
			"so a later file silently replaces an earlier file's value.",
		Fix:    "Set the option in one file, or order the files as you mean them.",
		Source: other(audit + "; augenrules(8)"),
	},
	{
		ID:       AuditAwk,
		Severity: warnS,
		Title:    "A line augenrules places differently with mawk and gawk",
		Description: "augenrules' patterns use \\s, a blank for gawk (RHEL, SUSE) and the letter s for mawk " +
			"(Debian, Ubuntu): an option or comment after leading blanks is moved or dropped by gawk " +
			"only.",
		Fix:    "Remove the leading blanks (and blanks after -D).",
		Source: other(audit + "; augenrules(8)"),
	},
	{
		ID:       AuditNoNewline,
		Severity: errS,
		Title:    "A rules.d file without a final newline",
		Description: "augenrules concatenates rules.d with cat, so the last line of a file without a newline " +
			"and the first line of the next file become one rule.",
		Fix:    "End the file with a newline.",
		Source: other(audit + "; augenrules(8)"),
	},
	{
		ID:       FleetUnmatched,
		Severity: warnS,
		Title:    "An inventory endpoint matches no endpoint group",
		Description: "trgen fleet assigns each endpoint to the group whose networks contain its IP address " +
			"(longest prefix), or to the group its group column names; an endpoint matching none is " +
			"checked against no group's requirements.",
		Fix:    "Add the endpoint's network to a group's networks, or a group column to the inventory.",
		Source: other(lang),
	},
	{
		ID:       FleetOSUnread,
		Severity: warnS,
		Title:    "trgen cannot read an endpoint's operating system string",
		Description: "The inventory's OS version is in no form trgen reads (WMI captions, feature updates, " +
			"sw_vers, os-release, redhat-release and their short forms), so the OS rules were not " +
			"checked for the endpoint; the report lists every such string with its count.",
		Fix:    "Map the string to a version trgen reads with --os-map FILE (docs/fleet.md), or fix the export.",
		Source: other(lang),
	},
	{
		ID:       FleetOSGroup,
		Severity: errS,
		Title:    "An endpoint's operating system differs from its group's",
		Description: "The endpoint falls in a group (by its address or the group column) whose os is another: " +
			"it would be in that group's computer group and get its exclusions, audit rules and host " +
			"firewall rules, written for another OS.",
		Fix:    "Move the endpoint to the right computer group, or narrow the group's networks.",
		Source: other(lang),
	},
	{
		ID:       FleetLine,
		Severity: warnS,
		Title:    "An endpoint's Tanium Client line differs from its group's",
		Description: "trgen writes a group's exclusions and tamper watches for the client line of its " +
			"client_version; an endpoint on another line gets the group's, whose version-specific " +
			"entries (the bundled Python) may not match its files.",
		Fix:    "Upgrade the endpoint to its group's client line, or move it to a group with its line.",
		Source: onPage("Security exclusions", ""),
	},
	{
		ID:       MacOSKnownIssue,
		Severity: warnS,
		Title:    "Known issue of this Threat Response version on newer macOS",
		Description: "The page lists known issues of particular Threat Response versions on macOS releases from " +
			"a given one on; the message quotes the issue.",
		Fix:    "Upgrade Threat Response, or accept the issue for the group.",
		Source: onPage("Tanium dependencies", ""),
	},
	{
		ID:          ComputerGroups,
		Severity:    warnS,
		Title:       "A computer group Threat Response requires is missing",
		Description: "Threat Response requires the computer groups All Computers, All Windows, All Linux and All Mac.",
		Fix:         "Create the missing groups in the Tanium Console and list them in platform.computer_groups.",
		Source:      onPage("Computer groups", ""),
	},
}

// onPage is the source of a rule that rests on the requirements page:
// section of it ("" for the page as a whole), then other.
func onPage(section, other string) Source {
	return Source{OnPage: true, Section: section, Other: other}
}

// other is the source of a rule that does not rest on the page.
func other(s string) Source { return Source{Other: s} }

// firewallsByOS says which host_firewall values each OS's groups may
// name, from package hostfw: "Windows groups can use windows; Linux
// groups nftables, iptables or firewalld; macOS groups none."
func firewallsByOS() string {
	var parts []string
	for _, os := range []struct{ id, name string }{{"windows", "Windows"}, {"linux", "Linux"}, {"macos", "macOS"}} {
		values := hostfw.ForOS(os.id)
		if len(values) > 1 {
			values = values[:len(values)-1] // none is always allowed; said last
		}
		list := values[0]
		if n := len(values); n > 1 {
			list = strings.Join(values[:n-1], ", ") + " or " + values[n-1]
		}
		parts = append(parts, os.name+" groups "+list)
	}
	return strings.Replace(strings.Join(parts, "; "), " groups ", " groups can use ", 1) + "."
}
