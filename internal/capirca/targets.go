// Package capirca describes the Capirca targets trgen writes network
// firewall policies for: which aclgen platforms are offered, the header
// options each takes, the file aclgen writes for it and what that file
// configures. It holds trgen's knowledge of Capirca (checked against
// Debian's python3-capirca 2.0.6 by the tests), not vendor facts about
// Threat Response, which live in the catalog.
package capirca

import (
	"slices"
	"strings"
)

// Target is one aclgen platform trgen offers.
type Target struct {
	// Name is the platform name in a policy header (target:: NAME ...).
	Name string
	// Device says what the configuration aclgen writes is for.
	Device string
	// Suffix is the extension of the file aclgen writes, per policy.
	Suffix string
	// Zones: the header names a from-zone and a to-zone (zone-based
	// firewalls); otherwise it names a filter (access list).
	Zones bool
	// Family is the address-family option written in the header, "" when
	// the platform takes none (it then handles both families itself, or
	// IPv4Only says it cannot).
	Family string
	// IPv4Only: the platform writes IPv4 rules only; a boundary with IPv6
	// flows cannot use it.
	IPv4Only bool
	// Default: used for every boundary when the deployment has no
	// network_firewall block.
	Default bool
}

// Targets are the platforms trgen offers, by name. Each is rendered by
// Debian's aclgen in the tests and every flow is found in its output,
// with its addresses and ports, and nothing else.
var Targets = []Target{
	{Name: "arista", Device: "Arista EOS IP access list", Suffix: ".eacl", Family: "mixed"},
	{Name: "cisco", Device: "Cisco IOS extended access list (IPv4 and IPv6)", Suffix: ".acl", Family: "mixed", Default: true},
	{Name: "ciscoasa", Device: "Cisco ASA access list (IPv4 only)", Suffix: ".asa", IPv4Only: true},
	{Name: "juniper", Device: "Juniper Junos firewall filter (family inet and inet6)", Suffix: ".jcl", Family: "mixed", Default: true},
	{Name: "paloalto", Device: "Palo Alto Networks PAN-OS security rules (XML configuration)", Suffix: ".xml", Zones: true, Family: "mixed", Default: true},
	{Name: "srx", Device: "Juniper SRX security policies and address book", Suffix: ".srx", Zones: true},
}

// NotOffered are aclgen platforms trgen does not write policies for, with
// the reason: each either loses part of a flow or has not been checked
// flow by flow.
var NotOffered = []struct{ Name, Why string }{
	{"nftables", "Capirca 2.0.6 writes, for a term with destination ports, one rule with the ports and one accepting every TCP port between the same addresses (with the inet family it drops the ports altogether), so the flows would be opened wider than requested; and its IPv6 rules match \"ip protocol tcp\", which nft refuses. trgen writes nftables host rulesets itself."},
	{"gce", "GCE ingress rules take no destination ranges (aclgen refuses them): the boundaries trgen describes are between networks, not instances with target tags."},
	{"iptables, speedway, ipset, windows_advfirewall", "Host firewalls; trgen writes Windows Defender Firewall, nftables, iptables and firewalld rules for each host itself."},
	{"juniperevo, msmpc, srxlo, cisconx, ciscoxr, brocade, arista_tp, aruba, nsxv, openconfig, packetfilter, pcap, gcp_hf, cloudarmor", "Not yet checked flow by flow against aclgen's output; the policies trgen writes can name them by hand."},
}

// Lookup returns the target called name.
func Lookup(name string) (Target, bool) {
	i := slices.IndexFunc(Targets, func(t Target) bool { return t.Name == name })
	if i < 0 {
		return Target{}, false
	}
	return Targets[i], true
}

// Names lists the offered targets' names in order.
func Names() []string {
	names := make([]string, len(Targets))
	for i, t := range Targets {
		names[i] = t.Name
	}
	return names
}

// Defaults lists the targets used without a network_firewall block.
func Defaults() []string {
	var names []string
	for _, t := range Targets {
		if t.Default {
			names = append(names, t.Name)
		}
	}
	return names
}

// Options returns the header options of t for a policy: the zones for a
// zone-based firewall, otherwise the filter name, then the address family.
func (t Target) Options(filter, fromZone, toZone string) string {
	var opts []string
	if t.Zones {
		opts = append(opts, "from-zone", fromZone, "to-zone", toZone)
	} else {
		opts = append(opts, filter)
	}
	if t.Family != "" {
		opts = append(opts, t.Family)
	}
	return strings.Join(opts, " ")
}
