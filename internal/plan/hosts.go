package plan

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
)

// HostFirewall is the rule set one host (or one endpoint group) needs in
// its own firewall.
type HostFirewall struct {
	// Target is the file stem: "module-server-tms1", "zone-server-dmz1",
	// "endpoints-win".
	Target string
	// Kind is the firewall: windows, nftables, iptables or firewalld.
	Kind string
	// Host is the host or group the rules are for.
	Host Node
	// Rules are sorted by direction, port and peer.
	Rules []HostRule
	// Omitted are flows left out because the peer has only DNS names.
	Omitted []HostRule
	// Release is the Windows release of an endpoint group (its os_version
	// read by osversion), "" for servers and other OSes. NetSecurity is
	// false where that release lacks the NetSecurity module
	// (New-NetFirewallRule): its rules are netsh advfirewall commands.
	Release     string
	NetSecurity bool
}

// HostRule is one allow rule on a host.
type HostRule struct {
	// Flow is the flow the rule lets through (in the flows HostFirewalls
	// was given, which it does not copy).
	Flow *Flow
	// Direction is inbound (the host is the destination) or outbound.
	Direction string
	// Peer is the other end.
	Peer Node
	// IPv4 and IPv6 are the peer's addresses by family; Remote is every
	// peer address, IPv4 first.
	IPv4, IPv6, Remote []string
}

// HasIPv6 reports whether any rule has an IPv6 peer.
func (h HostFirewall) HasIPv6() bool {
	for _, r := range h.Rules {
		if len(r.IPv6) > 0 {
			return true
		}
	}
	return false
}

// hostTargetPrefix is the file stem prefix of each kind of host.
var hostTargetPrefix = map[string]string{"module_server": "module-server-", "zone_server": "zone-server-", "endpoint_group": "endpoints-"}

// HostTarget is the file stem of the host firewall files of a host or
// group, "module-server-tms1"; "" for a kind that gets none.
func HostTarget(kind, label string) string {
	p, ok := hostTargetPrefix[kind]
	if !ok {
		return ""
	}
	return p + label
}

// HostFirewalls returns the host firewall rule sets the deployment asks
// for: the Module Server and each Zone Server unless host_firewall = "none"
// (default windows: inbound and outbound rules), and each endpoint group
// whose host_firewall is set (outbound rules). Sorted by target.
func HostFirewalls(d *model.Deployment, flows []Flow) []HostFirewall {
	// Each host's flows (as indices into flows: a Flow is a large
	// value), by node name, so every host is one lookup.
	byNode := map[string][]int{}
	for i := range flows {
		f := &flows[i]
		byNode[f.Source.Name] = append(byNode[f.Source.Name], i)
		if f.Destination.Name != f.Source.Name {
			byNode[f.Destination.Name] = append(byNode[f.Destination.Name], i)
		}
	}
	hostRules := func(target, kind string, host Node, flows []Flow, inbound bool) HostFirewall {
		return hostRules(target, kind, host, flows, byNode[host.Name], inbound)
	}
	var out []HostFirewall
	ms := d.ModuleServers[0]
	if fw := model.Str(ms.HostFirewall, model.FirewallWindows); fw != model.FirewallNone {
		out = append(out, hostRules(HostTarget("module_server", ms.Name), fw, serverNode("module_server", ms.Name, ms.Address, ZoneInternal), flows, true))
	}
	for _, z := range d.ZoneServers {
		if !carries(flows, "zone_server."+z.Name) {
			continue // no group connects through it (a zone-server-unused warning): no rules, no script
		}
		if fw := model.Str(z.HostFirewall, model.FirewallWindows); fw != model.FirewallNone {
			out = append(out, hostRules(HostTarget("zone_server", z.Name), fw, serverNode("zone_server", z.Name, z.Address, ZoneDMZ), flows, true))
		}
	}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		if fw := g.HostFirewallOrDefault(); fw != model.FirewallNone {
			h := hostRules(HostTarget("endpoint_group", g.Name), fw, groupNode(g, ZoneInternal), flows, false)
			if g.OS == model.OSWindows {
				h.Release, h.NetSecurity, _ = windowsRelease(g.OSVersion)
			}
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b HostFirewall) int { return strings.Compare(a.Target, b.Target) })
	return out
}

// hostRules collects the rules of one host from the flows at indices
// mine: outbound for flows it starts, and inbound for flows it receives
// when inbound is set.
func hostRules(target, kind string, host Node, flows []Flow, mine []int, inbound bool) HostFirewall {
	h := HostFirewall{Target: target, Kind: kind, Host: host, Rules: make([]HostRule, 0, len(mine)), NetSecurity: true}
	for _, i := range mine {
		f := &flows[i]
		var r HostRule
		switch {
		case f.Source.Name == host.Name:
			r = HostRule{Flow: f, Direction: "outbound", Peer: f.Destination}
		case inbound && f.Destination.Name == host.Name:
			r = HostRule{Flow: f, Direction: "inbound", Peer: f.Source}
		default:
			continue
		}
		r.IPv4, r.IPv6 = splitFamilies(r.Peer.Addresses)
		r.Remote = append(r.IPv4[:len(r.IPv4):len(r.IPv4)], r.IPv6...)
		if len(r.IPv4)+len(r.IPv6) == 0 {
			h.Omitted = append(h.Omitted, r)
			continue
		}
		h.Rules = append(h.Rules, r)
	}
	if len(h.Rules) == 0 {
		h.Rules = nil // as without the capacity
	}
	sortRules(h.Rules)
	sortRules(h.Omitted)
	return h
}

func sortRules(rs []HostRule) {
	slices.SortFunc(rs, func(a, b HostRule) int {
		return cmp.Or(strings.Compare(a.Direction, b.Direction), cmp.Compare(a.Flow.Port, b.Flow.Port), strings.Compare(a.Peer.Name, b.Peer.Name))
	})
}

// splitFamilies separates IPv4 from IPv6 addresses and CIDRs.
func splitFamilies(addrs []string) (v4, v6 []string) {
	for _, a := range addrs {
		var ip netip.Addr
		if p, err := netip.ParsePrefix(a); err == nil {
			ip = p.Addr()
		} else if ip, err = netip.ParseAddr(a); err != nil {
			continue
		}
		if ip.Unmap().Is4() {
			v4 = append(v4, a)
		} else {
			v6 = append(v6, a)
		}
	}
	return v4, v6
}

// carries reports whether any flow starts or ends at the node name.
func carries(flows []Flow, name string) bool {
	for _, f := range flows {
		if f.Source.Name == name || f.Destination.Name == name {
			return true
		}
	}
	return false
}

// windowsRelease reads a Windows os_version and says which of the modules
// trgen's scripts call it has; an unread one (check reported it) is taken
// as current.
func windowsRelease(osVersion string) (release string, netSecurity, defender bool) {
	p, err := osversion.Parse(model.OSWindows, osVersion)
	if err != nil {
		return "", true, true
	}
	netSecurity, defender = osversion.WindowsModules(p.Canonical)
	return p.Canonical, netSecurity, defender
}

// WindowsRulePrefix starts the name of every Windows Defender Firewall
// rule of target's file ("trgen-endpoints-lab-"): the scripts remove the
// rules so named before adding theirs, and verify reads them back.
func WindowsRulePrefix(target string) string { return "trgen-" + target + "-" }

// RulePrefix is WindowsRulePrefix of the file's target.
func (h HostFirewall) RulePrefix() string { return WindowsRulePrefix(h.Target) }

// RuleName is the Windows Defender Firewall rule name of flow in the file.
func (h HostFirewall) RuleName(flow string) string { return h.RulePrefix() + flow }
