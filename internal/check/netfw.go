package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/capirca"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/rule"
)

// networkFirewall checks what the network firewall policies
// (firewall/capirca) will hold: flows they must leave out, platforms that
// cannot write a boundary's flows, and boundary blocks that match no
// boundary. It plans the flows, so it runs only on a deployment without
// errors.
func (c *checker) networkFirewall() {
	d := c.d
	flows := plan.Flows(d, c.cat)
	c.inboundUploads(flows)
	np := plan.NetworkPolicies(d, flows)
	c.planned.Flows, c.planned.Network = flows, &np
	addrRange := map[string]hcl.Range{}
	for _, s := range d.TaniumServers {
		addrRange["tanium_server."+s.Name] = s.AddressRange
	}
	for _, s := range d.ModuleServers {
		addrRange["module_server."+s.Name] = s.AddressRange
	}
	for _, s := range d.ZoneServers {
		addrRange["zone_server."+s.Name] = s.AddressRange
	}
	for _, s := range d.IntelStreams {
		addrRange["intel_stream."+s.Name] = s.AddressesRange
		if len(s.Addresses) == 0 {
			addrRange["intel_stream."+s.Name] = s.URLRange
		}
	}
	for _, s := range d.DataCollection {
		addrRange["data_collection."+s.Name] = s.AddressesRange
		if len(s.Addresses) == 0 {
			addrRange["data_collection."+s.Name] = s.DestinationRange
		}
	}
	for _, g := range d.EndpointGroups {
		addrRange["endpoint_group."+g.Name] = g.NetworksRange
	}
	reported := map[string]bool{}
	for _, l := range np.LeftOut {
		f := l.Flow
		for _, n := range []plan.Node{f.Source, f.Destination} {
			// DNS-only intel streams and data collections have their
			// warning from firewallAddresses already.
			if len(n.Addresses) == 0 && !reported[n.Name] && n.Kind != "intel_stream" && n.Kind != "data_collection" {
				reported[n.Name] = true
				c.add(rule.FirewallAddress, addrRange[n.Name], fmt.Sprintf("Firewall rules need the address of %s", n.Name),
					fmt.Sprintf("%s is given as the DNS name %s; firewall rules match IP addresses and trgen resolves nothing, so its flows are left out of the network firewall policies (firewall/capirca) and of host firewall rules. Write its IP address instead.", n.Name, strings.Join(n.Hostnames, ", ")), nil)
			}
		}
		if len(f.Source.Addresses) == 0 || len(f.Destination.Addresses) == 0 {
			continue
		}
		c.add(rule.NetFWFamily, addrRange[f.Destination.Name], fmt.Sprintf("No network firewall rule can express flow %s (%s → %s tcp/%d)", f.ID, f.Source.Name, f.Destination.Name, f.Port),
			fmt.Sprintf("%s; the network firewall policies leave the flow out. Give %s an address of the other family, or %s one.", l.Reason, f.Destination.Name, f.Source.Name), nil)
	}
	nf := d.NetworkFirewall
	if nf == nil {
		return
	}
	policies := map[string]plan.Policy{}
	var names []string
	for _, p := range np.Policies {
		policies[p.Name] = p
		names = append(names, p.Name)
	}
	ipv4Only := func(targets []string, ranges []hcl.Range, whole hcl.Range, p plan.Policy) {
		if !p.HasIPv6() {
			return
		}
		for i, name := range targets {
			if t, ok := capirca.Lookup(name); ok && t.IPv4Only {
				c.add(rule.NetFWIPv4Only, elemRange(ranges, i, whole), fmt.Sprintf("%s writes IPv4 rules only, and %s has IPv6 flows", name, p.Name),
					fmt.Sprintf("The %s policy (%s) permits IPv6 traffic, which %s would drop from its access list. Choose another platform for this boundary: a boundary %q block with its own targets.", p.Name, p.Boundary, name, p.Name), nil)
			}
		}
	}
	overridden := map[string]bool{}
	for _, b := range nf.Boundaries {
		p, ok := policies[b.Name]
		if !ok {
			c.add(rule.NetFWBoundary, b.NameRange, fmt.Sprintf("No flow crosses the boundary %q", b.Name),
				fmt.Sprintf("This deployment's network firewall policies are %s; the settings of this block apply to none of them. Use one of those labels, or remove the block.", quoteList(names)), nil)
			continue
		}
		if len(b.Targets) > 0 {
			overridden[b.Name] = true
			ipv4Only(b.Targets, b.TargetRanges, b.TargetsRange, p)
		}
	}
	for _, p := range np.Policies {
		if !overridden[p.Name] {
			ipv4Only(nf.Targets, nf.TargetRanges, nf.TargetsRange, p)
		}
	}
}

// inboundUploads warns, once per data_collection, about the groups behind
// a Zone Server whose uploads to it would need an inbound path from
// outside the organisation (plan.Flow.Choice), at the group's entry in
// groups, or at the destination when groups is not given.
func (c *checker) inboundUploads(flows []plan.Flow) {
	remote := map[string][]string{} // data_collection label → groups
	port := map[string]int{}
	for _, f := range flows {
		if f.Choice != "" {
			remote[f.Destination.Label] = append(remote[f.Destination.Label], f.Source.Label)
			port[f.Destination.Label] = f.Port
		}
	}
	for _, dc := range c.d.DataCollection {
		groups := remote[dc.Name]
		if len(groups) == 0 {
			continue
		}
		rng := dc.DestinationRange
		if i := slices.Index(dc.Groups, groups[0]); i >= 0 {
			rng = elemRange(dc.GroupRanges, i, dc.GroupsRange)
		}
		quoted := make([]string, len(groups))
		for i, g := range groups {
			quoted[i] = fmt.Sprintf("%q", g)
		}
		verb := "connects"
		if len(groups) > 1 {
			verb = "connect"
		}
		c.add(rule.DataCollectionInbound, rng, fmt.Sprintf("endpoint_group %s would upload to data_collection %q through an inbound path from outside", strings.Join(quoted, ", "), dc.Name),
			fmt.Sprintf("%s %s through a Zone Server, outside the organisation's network, and %s (%s) is inside it: the upload needs %s/%d open from outside into the internal network. The page lists the port, not this path (trgen's reading %s): list the groups that can reach it (groups = [...]) and give the others an internet-reachable destination (S3, or SFTP in the DMZ), or accept the warning where a path exists (a VPN).",
				strings.Join(quoted, ", "), verb, dc.Name, dc.Destination, "tcp", port[dc.Name], plan.ReadingDataCollectionZone), nil)
	}
}
