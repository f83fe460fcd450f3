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
	{Syntax, errS, "The file is not valid HCL", "The file could not be parsed as HCL native syntax (.hcl) or HCL JSON syntax (.hcl.json).", "Correct the syntax at the position shown.", other("HCL syntax specification")},
	{Decode, errS, "The configuration does not match the deployment language", "A block or argument is unknown, missing, or of the wrong type, or an expression cannot be evaluated.", "Use the block and argument names of the deployment language; the message suggests the nearest known name.", other(lang)},
	{Variable, errS, "A variable is unset or of the wrong type", "Variables are set by default, `TRGEN_VAR_<name>`, `-var-file` and `-var`, in that order of precedence, and must match their declared type.", "Declare the variable, give it a value, or fix the value's type.", other(lang)},
	{VariableUndeclared, errS, "A reference names no declared variable", "var.NAME refers to a variable block of the configuration; a typo, or a declaration in a file that was not loaded (a single file was given where the folder holds others), leaves it undeclared.", "Correct the name (the message suggests the nearest declared one), declare the variable, or validate the whole folder.", other(lang)},
	{DeploymentCount, errS, "A configuration needs exactly one deployment block", "The deployment block's label names the output folder, so a configuration describes exactly one deployment.", "Keep one deployment block per configuration directory.", other(lang)},
	{Schema, errS, "The deployment does not satisfy the deployment JSON Schema", "Every decoded deployment is validated against schema/deployment.schema.json (enumerations, ranges, uniqueness).", "Use one of the values the message lists.", other("schema/deployment.schema.json")},
	{LabelInvalid, errS, "A block label is not a valid name", "Labels become file names, so they must match `^[a-z0-9][a-z0-9_-]{0,62}$`.", "Rename the block using lower-case letters, digits, '-' and '_'.", other(lang)},
	{LabelDuplicate, errS, "Two blocks of one type share a label", "Labels name output files and are referenced by other blocks, so they are unique per block type.", "Rename one of the blocks.", other(lang)},
	{ModuleServers, errS, "A deployment needs exactly one module_server", "Threat Response is installed and runs as a service on the Module Server host computer.", "Describe the one Module Server in a module_server block.", onPage("Tanium Module Server", "")},
	{TaniumServers, errS, "A deployment needs at least one tanium_server", "The Tanium Server initiates connections to the Module Server (the port table's Tanium Server row gives the port); the firewall flows need its address.", "Add a tanium_server block.", onPage("Ports", "")},
	{EndpointGroups, errS, "A deployment needs at least one endpoint_group", "Endpoint groups are what the requirements are checked against and what the outputs are generated for.", "Add an endpoint_group block.", other(lang)},
	{AddressInvalid, errS, "An address is not an IP address, CIDR or DNS name", "Addresses end up in firewall rules and scripts, so they must be an IPv4/IPv6 address, a CIDR, or a DNS host name.", "Write a plain address such as 10.0.0.10, 10.0.0.0/24 or tms1.example.com.", other(lang)},
	{DataCollectionGroup, errS, "A data_collection names an endpoint group the deployment lacks", "A data collection destination's groups are the endpoint groups that upload to it.", "Name an endpoint_group of this deployment, or remove groups to let every group upload.", other(lang)},
	{DataCollectionInbound, warnS, "A group behind a Zone Server would upload to an internal destination", "A group that connects through a Zone Server (connect_via) is outside the organisation's network; its upload to an internal data collection destination needs an inbound path from outside into the internal network, on the transfer method's port (SMB 445, SFTP 22). The page lists the data collection ports but not how groups behind a Zone Server reach a destination (trgen's reading data-collection-zone): opening that path is the deployment's decision, not the vendor's requirement.", "List the groups that can reach the destination (groups = [...]) and give the groups behind the Zone Server an internet-reachable destination (S3, or an SFTP server in the DMZ); or accept the warning where such a path already exists (a VPN).", onPage("Ports", "")},
	{AcceptInvalid, errS, "An accept entry that cannot accept anything", "A block's accept map names warning rules whose findings in the block the user has judged acceptable, each with the reason. A key must be a rule id whose findings are warnings about the deployment: errors cannot be accepted.", "Write accept = { network-overlap = \"why it is acceptable here\" } with a warning's rule id (trgen explain lists them) and a reason that is not empty.", other(lang)},
	{AcceptUnmatched, warnS, "An accept entry that matches no finding", "The block's accept map names a rule with no warning in the block (or, on the deployment block, in the deployment): the warning it was written for is gone, or the entry is on the wrong block.", "Remove the entry, or move it to the block the warning is reported in.", other(lang)},
	{NetworkOverlap, warnS, "The networks of two endpoint groups overlap", "An endpoint whose address lies in both groups' networks is admitted by both groups' network firewall rules. Which group's exclusions, host firewall and audit rules it gets depends on the Tanium computer group it is a member of, which its address does not decide; trgen fleet assigns it to the group with the longest matching prefix.", "Make the groups' networks disjoint, e.g. split the larger network or move the endpoints to one group; or, where the computer groups are scoped so that each endpoint is in one of them, accept the warning (accept = { network-overlap = \"why\" } on the group).", other(lang)},
	{NetworkInvalid, errS, "A network is not a CIDR", "An endpoint group's networks are the CIDRs its endpoints live in.", "Write the network as a CIDR such as 10.20.0.0/16.", other(lang)},
	{URLInvalid, errS, "An intel stream URL is not an http or https URL", "Intel streams are fetched by the Module Server over http or https, on the port the page gives for the scheme unless the URL names one.", "Write an absolute http:// or https:// URL with a host name.", onPage("Ports", "")},
	{ZoneUnused, warnS, "A zone_server no endpoint group connects through", "The port table's Zone Server rows are \"(Optional)\": a Zone Server is needed only where endpoint groups connect through it (connect_via). A declared one that no group uses gets no flows and no firewall script.", "Set connect_via to the zone_server's label on the groups that reach the Module Server through it, or remove the zone_server block.", onPage("Ports", "")},
	{ConnectVia, errS, "connect_via names no zone_server", "An endpoint group's connect_via must be the label of a zone_server of the deployment.", "Use a zone_server label, or remove connect_via to connect directly to the Module Server.", other(lang)},
	{HostFirewall, errS, "The host firewall does not exist on the group's OS", firewallsByOS(), "Pick a host_firewall that matches os, or none.", other(lang)},
	{LicenseUnknown, errS, "An unknown license name", "Threat Response licenses are trace, detect and incident_response.", "Use one of the license ids the message lists.", onPage("License entitlements", "")},
	{FirewallAddress, warnS, "A firewall rule needs the addresses of a DNS name", "Firewall rules, the network firewall policies (firewall/capirca) and the host firewall files alike match IP addresses, and trgen resolves nothing at generate time; a flow to or from a DNS name without addresses is left out of them.", "Add addresses = [...] with what the name resolves to, or give the server an IP address.", other(lang)},
	{NetFWFamily, warnS, "A flow's two ends have no address family in common", "A network firewall rule permits packets from a source address to a destination address of the same IP version; a flow between a host with only IPv4 addresses and one with only IPv6 addresses cannot be written as a rule, so the network firewall policies leave it out (their README lists it).", "Give the deployment the address of the other family (the intel stream's or data collection's addresses, the server's address), or remove the flow's cause.", other(lang)},
	{NetFWIPv4Only, errS, "A network firewall platform that writes IPv4 rules only, on a boundary with IPv6 flows", "Capirca's ciscoasa platform (2.0.6) writes IPv4 access-list entries only and drops IPv6 addresses without a word; trgen offers no platform whose output loses part of a flow.", "Use another platform for this boundary (a boundary block's targets), or leave ciscoasa to boundaries without IPv6 flows.", other(lang)},
	{NetFWBoundary, warnS, "A network_firewall boundary block names a boundary no flow crosses", "A boundary block's label is the source zone, \"-to-\" and the destination zone; its settings apply only to the policy of that boundary, and this deployment writes none for it.", "Use the label of a boundary change-request.md lists (e.g. internal-to-dmz), or remove the block.", other(lang)},
	{DirInvalid, errS, "An install or client directory cannot be excluded as written", "install_dir and client_dir are where every exclusion is resolved: they must be absolute, use the OS's separator, hold no per-user variables (Defender expands them in the SYSTEM context), no wildcard drive letter, no . or .. segments and no characters the file system forbids.", "Write the absolute directory, e.g. C:\\Program Files (x86)\\Tanium\\Tanium Client or /opt/Tanium/TaniumClient.", onPage("Security exclusions", "; trgen's practice (docs/sources.md)")},
	{TextInvalid, errS, "Free text holds a control or bidirectional-override character", "Display names, descriptions and computer group names are copied into the Console import files, the runbook and the change request. A control character (newline, NUL, escape...) breaks those lines or a terminal showing them, and a bidirectional override (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) makes text read differently from what it is.", "Remove the character; write the text on one line.", other(lang)},
	{FirewalldPolicies, errS, "firewalld on this release cannot load trgen's policy", "trgen writes a firewalld policy (an output filter from HOST to ANY); firewalld supports policies from 0.9.0, and RHEL, CentOS and Oracle Linux 7 ship firewalld 0.6, which rejects the file.", "Use host_firewall = \"iptables\" for groups on those releases.", other("firewalld (docs/sources.md)")},
	{ChangeWindow, errS, "The change request's dates are out of order", "A change board rejects a request whose window ends before it starts, or whose rules expire before the window ends; a date alone means the whole day.", "Correct window_start, window_end or expires in the change_request block.", other(lang)},
	{CatalogSyntax, errS, "The catalog given with --catalog is not valid JSON", "A requirements catalog is a JSON document; trgen reads none of it when it does not parse.", "Correct the JSON at the position shown.", other("docs/catalog.md")},
	{CatalogSchema, errS, "The catalog given with --catalog does not satisfy the catalog schema", "Every catalog, trgen's own and one given with --catalog, must satisfy schema/catalog.schema.json, so no check and no output meets a fact it cannot read; its version line must not be empty.", "Correct the field at the position shown; docs/catalog.md explains each section.", other("schema/catalog.schema.json")},
	{CatalogPortMissing, errS, "The deployment needs a flow the catalog has no port for", "Each port row of the requirements catalog names the deployment flow it opens; a flow with no row has no port to open, so it would be missing from every firewall output. This happens with a catalog given by --catalog that lacks a row (for example one for a version without Zone Servers).", "Remove what needs the flow (connect_via, the intel stream, the data collection), or add the row to the catalog if the page lists one.", other("docs/catalog.md")},
	{ExclusionLine, warnS, "The client's exclusion entries are inferred", "The vendor's exclusion table lists version-specific entries (the bundled Python) for some client lines only; for a client of another line trgen uses the nearest listed line. The message names the lines the catalog has.", "Move the group to a client of a listed line, or verify the Python path on its endpoints.", onPage("Security exclusions", "")},
	{VersionInvalid, errS, "A version is not a dotted version number", "Versions are compared numerically and must be one to four dot-separated numbers; the message gives an example of the kind the attribute takes (a Threat Response, Core Platform, Tanium Client, module or auditd version).", "Write the version as dotted numbers.", other(lang)},
	{TRVersion, errS, "No requirements catalog covers this Threat Response version", "threat_response_version selects the requirements catalog; trgen only checks versions its catalogs cover.", "Use a supported version (trgen requirements lists them).", onPage("", "")},
	{Platform, errS, "The Tanium Core Platform is too old", "Threat Response needs the Tanium Core Platform version the requirements page names, or later; the message gives it from the catalog.", "Upgrade the Tanium Server and set platform.core_version accordingly.", onPage("Tanium dependencies", "")},
	{ClientTooOld, errS, "The Tanium Client is older than the minimum", "Threat Response needs the minimum Tanium Client version the requirements page names, or later; the message gives it from the catalog.", "Upgrade the group's client.", onPage("Tanium dependencies", "")},
	{ClientExcluded, errS, "The Tanium Client version is excluded", "The page excludes some Tanium Client versions by name from the supported clients; the message names the one the group uses.", "Upgrade the group's client to another listed version.", onPage("Tanium dependencies", "")},
	{ClientMacOS, errS, "Newer macOS releases need a newer Tanium Client", "From the macOS release the page names, a higher Tanium Client minimum applies; the message gives both from the catalog.", "Upgrade the group's client to the minimum the message names.", onPage("Tanium dependencies", "")},
	{Client74, errS, "A client line needs a newer Threat Response", "Some listed client lines are supported only from a given Threat Response version; the message names the line and the version.", "Upgrade Threat Response, or keep the group on a client of an earlier line.", onPage("Tanium dependencies", "")},
	{ClientUnlisted, warnS, "The Tanium Client version is not listed", "With a client version the page does not list, certain product features might not be available, or stability issues can occur.", "Move the group to a listed client; the message lists them from the catalog.", onPage("Tanium dependencies", "")},
	{OSVersionInvalid, errS, "The OS version cannot be recognised", "os_version is parsed leniently into a canonical version; the message lists the accepted forms.", "Write the version in one of the accepted forms.", other(lang)},
	{OSUnsupported, errS, "The operating system version is not supported", "The page lists the Windows releases Threat Response supports and the oldest macOS; the message names them from the catalog.", "Upgrade the group's OS or leave it out of the deployment.", onPage("Endpoints", "")},
	{DNSEvents, warnS, "DNS events are not recorded on this Windows version", "DNS event recording is available on the newer Windows releases only; the message names the oldest desktop and server release from the catalog.", "Set dns_events = false for this group, or upgrade its OS.", onPage("Tanium Event Recorder Driver", "")},
	{Sysmon, warnS, "Sysmon as the recorder's event source", "Process hashes and command-line information require the Tanium driver, and the use of Sysmon is deprecated from the Threat Response version the message names.", "Use event_source = \"tanium_driver\" and redeploy the recorder profiles.", onPage("Tanium Event Recorder Driver", "")},
	{RecorderNotWindow, errS, "A Windows-only recorder setting on a non-Windows group", "event_source and dns_events apply to the Windows recorder only.", "Remove the setting from the group.", onPage("Tanium Event Recorder Driver", "")},
	{DBSize, warnS, "The recorder database size is outside the default range", "By default the endpoint database for Threat Response is between 256 MB and 1 GB (1024 MB); the page states no limit beyond that default, so another size is a warning, and the free disk space rule applies to the configured size.", "Check that the size is intended, or set max_db_size_mb between 256 and 1024.", onPage("Disk space requirements", "")},
	{DiskSpace, errS, "Not enough free disk for the recorder database", "The endpoint device must have three times the maximum database size available in free disk space.", "Free disk space on the group's endpoints or lower max_db_size_mb.", onPage("Disk space requirements", "")},
	{CPUs, warnS, "Fewer CPUs than recommended", "For full functionality a minimum of two CPUs per endpoint is recommended.", "Give the group's endpoints at least two CPUs.", onPage("CPU and memory requirements", "")},
	{Memory, warnS, "Less memory than recommended", "A minimum of 4 GB RAM is recommended on each endpoint device.", "Give the group's endpoints at least 4 GB of RAM.", onPage("CPU and memory requirements", "")},
	{FeatureReputation, errS, "Reputation data lacks the modules it needs", "Reputation data needs module versions the page names (alternatives of Connect and Reputation versions); the message gives the nearest alternative from the catalog.", "Install the modules in modules { } at the versions the message names, or turn the feature off.", onPage("Tanium products", "")},
	{FeatureRemediate, errS, "Alert remediation lacks the Protect version it needs", "Alert remediation needs the Protect version the page names, or later; the message gives it from the catalog.", "Set modules.protect to the version the message names, or turn the feature off.", onPage("Tanium products", "")},
	{FeatureIsolation, errS, "Endpoint isolation lacks the Quarantine version it needs", "Isolating endpoints needs the Quarantine version the page names, or later; the message gives it from the catalog.", "Set modules.quarantine to the version the message names, or turn the feature off.", onPage("Tanium products", "")},
	{FeatureTrends, errS, "Trends integration lacks the Trends version it needs", "Threat Response works with the Trends version the page names, or later; the message gives it from the catalog.", "Set modules.trends to the version the message names, or turn the feature off.", onPage("Tanium products", "")},
	{AuditdFailureMode, errS, "auditd failure mode 2 stops the recorder", "With -f 2 the kernel panics when an audit message is lost, and the recorder does not add audit rules when it detects this setting.", "Use failure_mode 0 or 1 on the group's endpoints.", onPage("Endpoints", "")},
	{AuditdImmutable, warnS, "Immutable audit rules need a restart", "With -e 2 the recorder adds its rules in front of the immutable flag, and the endpoint must be restarted after the recorder is enabled.", "Plan a restart of the group's endpoints after enabling the recorder, or set immutable = false.", onPage("Endpoints", "")},
	{AuditdNotLinux, errS, "An auditd block on a non-Linux group", "auditd settings apply to Linux endpoints only.", "Remove the auditd block from the group.", onPage("Endpoints", "")},
	{RoleUnknown, errS, "A user group names an unknown role", "user_group roles are provided role names (the four Threat Response roles and the other modules' roles the page names) or role labels of this deployment.", "Use a provided role name or a role label; the message suggests the nearest.", onPage("User role requirements", "")},
	{PermissionUnknown, errS, "An unknown permission name", "Permission names must be those of Tables 2 to 4 of the requirements page (or Bypass Action Approval, which its notes name).", "Use a permission name from the tables; the message suggests the nearest.", onPage("User role requirements", "")},
	{ContentSetUnknown, errS, "An unknown content set", "Advanced permissions apply to the content sets Table 4 names: Base, Reserved, Detect, Detect Service, Threat Response, Threat Response Service, Trace Analysis, Trace Deployment, Incident Response, Index.", "Use one of the content sets, or all_content_sets = true.", onPage("User role requirements", ", Table 4")},
	{PermissionKind, errS, "A permission of the wrong kind for the role", "Module roles take module permissions (Table 2), micro admin roles micro admin permissions (Table 3), advanced roles content-set permissions (Table 4) in content_set_permission blocks.", "Move the permission to a role of its kind.", onPage("User role requirements", "; Tanium Console roles (docs/sources.md)")},
	{RoleDeny, errS, "A module role cannot be a deny role", "Module roles grant permissions and have no deny variant; only advanced and micro admin roles can deny.", "Remove deny, or make the role advanced or micro_admin.", other("Tanium Console roles (docs/sources.md)")},
	{RoleReserved, errS, "A custom role takes a provided role's name", "Provided (predefined) roles cannot be edited or overwritten, so an import must create custom roles under other names.", "Rename the role (display_name).", other("Tanium Console roles (docs/sources.md)")},
	{RoleEmpty, errS, "A role grants nothing", "A role without permissions (or an advanced permission without content sets) imports as an empty role.", "Add permissions, content_sets or all_content_sets.", other(lang)},
	{PermissionDup, errS, "A permission is listed twice", "Each permission appears once per role (and each content set once per permission).", "Remove the duplicate.", other(lang)},
	{PermissionNeeds, warnS, "A permission needs another module", "Footnote 2: some permissions need permissions in other modules to complete their tasks; the page names modules such as Protect, Connect or Interact, and the message names the one the catalog gives.", "Add the module to modules { } at the version the message names, or drop the permission.", onPage("User role requirements", ", footnote 2")},
	{AllContentSets, errS, "A role mixes all_content_sets with specific content sets", "The platform's All Content Sets flag belongs to the role (all_content_sets_flag), so either every permission of an advanced role applies to all content sets or none does.", "Split the role in two: one with all_content_sets, one with content_sets.", other("Tanium role import format in public code (docs/sources.md): content_set_role.all_content_sets_flag")},
	{UserGroupEmpty, errS, "A user group has no roles", "A user_group assigns roles; without any it assigns nothing.", "List the roles the group gets.", other(lang)},
	{AuditSyntax, errS, "An audit rule auditctl cannot read", "Unknown options, missing or malformed values, and options in the wrong kind of rule. augenrules stops at the first bad line, silently dropping every later rule, -e 2 included.", "Correct the rule at the position shown (auditctl(8)).", other(audit)},
	{AuditFieldUnknown, errS, "An unknown -F or -C field", "auditctl knows a fixed set of fields (auid, uid, exit, success, path, dir, perm, key, arch, a0 to a3, ...).", "Use a field from auditctl(8); the message suggests the nearest.", other(audit)},
	{AuditOperator, errS, "A bad operator in -F or -C", "-F takes =, !=, <, >, <=, >=, & or &=; string fields (path, dir, key, exe, arch, ...) take only = and !=.", "Use an operator the field accepts.", other(audit)},
	{AuditSyscall, errS, "A syscall that does not exist on the rule's architecture", "Syscall names are checked against the tables of the endpoints' auditd line (auditd { version }, or audit lint --auditd-version; the newest line otherwise) for x86_64 (b64), i386 (b32), aarch64 and arm, checked in under schema/syscalls: 3.0 from the real ausyscall --dump, 2.8, 3.1 and 4.x from audit-userspace's tables. A name that only a later line knows says which.", "Use the syscall's name on that architecture, move it to the twin rule of the other one, or give the hosts' auditd version.", other(audit + "; ausyscall(8)")},
	{AuditArch, warnS, "A syscall rule without -F arch=", "Syscall numbers differ between 64- and 32-bit calls; without -F arch= a rule naming syscalls matches the native table only.", "Add -F arch=b64, and a b32 twin where 32-bit programs run.", other(audit)},
	{AuditFailureMode, errS, "-f 2 in an audit rules file", "With -f 2 the kernel panics when an audit message is lost, and the recorder does not add audit rules when it detects this setting.", "Use -f 1.", onPage("Endpoints", "")},
	{AuditImmutableLast, errS, "-e 2 is not the last rule", "At -e 2 the kernel locks the audit configuration; anything after it, including the rules the recorder inserts, is rejected.", "Move -e 2 to the very end (trgen writes it alone in 99-trgen-finalize.rules).", onPage("Endpoints", "; "+audit)},
	{AuditAfterImmutable, errS, "A rule after -e 2", "The kernel rejects every rule after the configuration is locked.", "Move the rule before -e 2.", other(audit)},
	{AuditEnableDup, warnS, "-e given more than once", "Only the last -e counts, and an early -e 2 locks the rest out.", "Keep one -e, at the end.", other(audit)},
	{AuditDeleteFirst, errS, "-D after other rules", "-D deletes every rule loaded before it, so rules above it in the same set are lost.", "Put -D first (trgen writes it in 10-trgen-base.rules).", other(audit)},
	{AuditDuplicate, errS, "The same audit rule twice", "The same kernel rule twice, written the same or differently (syscall order, -p letters, -k or -F key=; compared by the kernel form go-libaudit builds). The kernel refuses the copy and auditctl -R stops there, so augenrules --load loads no later rule; with -c or -i in effect auditctl goes on, and the finding is a warning.", "Remove the copy.", other(audit)},
	{AuditRecorderWatch, errS, "A rule watches the recorder's own files", "The Tanium recorder writes its database and audit pipe continuously; auditing them (or a directory above them) feeds the recorder its own writes.", "Watch specific binaries or configuration files instead, outside extensions/recorder.", onPage("Security exclusions", " (the recorder's files)")},
	{AuditSiteControl, errS, "A control option in site_rules", "trgen writes -D, -b, -f, -e and --backlog_wait_time in its own 10- and 99- files, from auditd.failure_mode and auditd.immutable, so the order the recorder needs is kept.", "Remove the option from the site rules and set it in the auditd block.", other(lang)},
	{AuditQuoted, warnS, "A quoted value in an audit rule", "auditctl splits rules at blanks and keeps quote characters in the word, so a quoted key reaches the kernel with its quotes: ausearch -k without them finds nothing.", "Remove the quotes.", other(audit)},
	{AuditOverridden, warnS, "A later rules.d file overrides -D, -b, -f or -e", "augenrules keeps only the last -D, -b, -f and -e of all rules.d files (in ls -1v order), so a later file silently replaces an earlier file's value.", "Set the option in one file, or order the files as you mean them.", other(audit + "; augenrules(8)")},
	{AuditAwk, warnS, "A line augenrules places differently with mawk and gawk", "augenrules' patterns use \\s, a blank for gawk (RHEL, SUSE) and the letter s for mawk (Debian, Ubuntu): an option or comment after leading blanks is moved or dropped by gawk only.", "Remove the leading blanks (and blanks after -D).", other(audit + "; augenrules(8)")},
	{AuditNoNewline, errS, "A rules.d file without a final newline", "augenrules concatenates rules.d with cat, so the last line of a file without a newline and the first line of the next file become one rule.", "End the file with a newline.", other(audit + "; augenrules(8)")},
	{FleetUnmatched, warnS, "An inventory endpoint matches no endpoint group", "trgen fleet assigns each endpoint to the group whose networks contain its IP address (longest prefix), or to the group its group column names; an endpoint matching none is checked against no group's requirements.", "Add the endpoint's network to a group's networks, or a group column to the inventory.", other(lang)},
	{FleetOSUnread, warnS, "trgen cannot read an endpoint's operating system string", "The inventory's OS version is in no form trgen reads (WMI captions, feature updates, sw_vers, os-release, redhat-release and their short forms), so the OS rules were not checked for the endpoint; the report lists every such string with its count.", "Map the string to a version trgen reads with --os-map FILE (docs/fleet.md), or fix the export.", other(lang)},
	{FleetOSGroup, errS, "An endpoint's operating system differs from its group's", "The endpoint falls in a group (by its address or the group column) whose os is another: it would be in that group's computer group and get its exclusions, audit rules and host firewall rules, written for another OS.", "Move the endpoint to the right computer group, or narrow the group's networks.", other(lang)},
	{FleetLine, warnS, "An endpoint's Tanium Client line differs from its group's", "trgen writes a group's exclusions and tamper watches for the client line of its client_version; an endpoint on another line gets the group's, whose version-specific entries (the bundled Python) may not match its files.", "Upgrade the endpoint to its group's client line, or move it to a group with its line.", onPage("Security exclusions", "")},
	{MacOSKnownIssue, warnS, "Known issue of this Threat Response version on newer macOS", "The page lists known issues of particular Threat Response versions on macOS releases from a given one on; the message quotes the issue.", "Upgrade Threat Response, or accept the issue for the group.", onPage("Tanium dependencies", "")},
	{ComputerGroups, warnS, "A computer group Threat Response requires is missing", "Threat Response requires the computer groups All Computers, All Windows, All Linux and All Mac.", "Create the missing groups in the Tanium Console and list them in platform.computer_groups.", onPage("Computer groups", "")},
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
