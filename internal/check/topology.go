package check

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/suggest"
)

// labelled is a block label with its range, for the uniqueness check.
type labelled struct {
	name string
	rng  hcl.Range
}

// topology checks what the language itself requires of the deployment's
// blocks: unique labels, well-formed addresses and URLs, references that
// resolve, and host firewalls that exist on the OS.
func (c *checker) topology() {
	d := c.d
	var ts, ms, zs, is, dc, eg []labelled
	for _, s := range d.TaniumServers {
		ts = append(ts, labelled{s.Name, s.NameRange})
		c.address(s.Address, s.AddressRange, "address")
	}
	for _, s := range d.ModuleServers {
		ms = append(ms, labelled{s.Name, s.NameRange})
		c.address(s.Address, s.AddressRange, "address")
	}
	zones := make([]string, 0, len(d.ZoneServers))
	for _, s := range d.ZoneServers {
		zs = append(zs, labelled{s.Name, s.NameRange})
		if !contains(zones, s.Name) {
			zones = append(zones, s.Name)
		}
		c.address(s.Address, s.AddressRange, "address")
	}
	validURL := map[string]bool{}
	for _, s := range d.IntelStreams {
		is = append(is, labelled{s.Name, s.NameRange})
		validURL[s.Name] = c.intelURL(s)
		c.resolvedAddresses(s.Addresses, s.AddressRanges, s.AddressesRange)
	}
	for _, s := range d.DataCollection {
		dc = append(dc, labelled{s.Name, s.NameRange})
		c.address(s.Destination, s.DestinationRange, "destination")
		c.resolvedAddresses(s.Addresses, s.AddressRanges, s.AddressesRange)
	}
	c.firewallAddresses(validURL)
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		eg = append(eg, labelled{g.Name, g.NameRange})
		for j, n := range g.Networks {
			if _, err := netip.ParsePrefix(n); err != nil || strings.TrimSpace(n) != n {
				c.add(rule.NetworkInvalid, elemRange(g.NetworkRanges, j, g.NetworksRange),
					fmt.Sprintf("Invalid network %q", n),
					"Each entry of networks is a CIDR such as 10.20.0.0/16 or fd00::/64.", nil)
			} else if p := netip.MustParsePrefix(n); p.Masked() != p {
				c.add(rule.NetworkInvalid, elemRange(g.NetworkRanges, j, g.NetworksRange),
					fmt.Sprintf("Network %q has host bits set", n),
					fmt.Sprintf("Write the network address itself: %s.", p.Masked()), nil)
			}
		}
		if g.ConnectVia != nil && !contains(zones, *g.ConnectVia) {
			c.add(rule.ConnectVia, g.ConnectViaRange,
				fmt.Sprintf("No zone_server %q", *g.ConnectVia),
				fmt.Sprintf("connect_via must name a zone_server of this deployment (%s).%s Remove connect_via to connect directly to the Module Server.",
					listOrNone(zones), suggest.DidYouMean(*g.ConnectVia, zones)), nil)
		}
		c.hostFirewall(g)
	}
	c.unique("tanium_server", ts)
	c.unique("module_server", ms)
	c.unique("zone_server", zs)
	c.unique("intel_stream", is)
	c.unique("data_collection", dc)
	c.unique("endpoint_group", eg)
	c.overlappingNetworks()
	groups := make([]string, len(d.EndpointGroups))
	for i, g := range d.EndpointGroups {
		groups[i] = g.Name
	}
	for _, s := range d.DataCollection {
		for j, n := range s.Groups {
			if !contains(groups, n) {
				c.add(rule.DataCollectionGroup, elemRange(s.GroupRanges, j, s.GroupsRange), fmt.Sprintf("No endpoint_group %q", n),
					fmt.Sprintf("groups must name endpoint groups of this deployment (%s).%s", listOrNone(groups), suggest.DidYouMean(n, groups)), nil)
			}
		}
	}
}

// overlappingNetworks warns once per pair of endpoint groups whose
// networks overlap, at the network of the later group: an endpoint there
// matches both. Networks nest or are disjoint, so one pass over them
// sorted by address, keeping the enclosing networks on a stack, finds
// every overlap in O(n log n).
func (c *checker) overlappingNetworks() {
	type net struct {
		p     netip.Prefix
		group int
		elem  int
	}
	var nets []net
	for i, g := range c.d.EndpointGroups {
		for j, n := range g.Networks {
			if p, err := netip.ParsePrefix(n); err == nil && p.Masked() == p {
				nets = append(nets, net{p, i, j})
			}
		}
	}
	sort.SliceStable(nets, func(a, b int) bool {
		if c := nets[a].p.Addr().Compare(nets[b].p.Addr()); c != 0 {
			return c < 0
		}
		return nets[a].p.Bits() < nets[b].p.Bits()
	})
	reported := map[[2]int]bool{}
	var stack []net
	for _, n := range nets {
		for len(stack) > 0 && !stack[len(stack)-1].p.Contains(n.p.Addr()) {
			stack = stack[:len(stack)-1]
		}
		for _, outer := range stack {
			if outer.group == n.group {
				continue
			}
			a, b := min(outer.group, n.group), max(outer.group, n.group)
			if reported[[2]int{a, b}] {
				continue
			}
			reported[[2]int{a, b}] = true
			later := n
			if outer.group > n.group {
				later = outer
			}
			ga, gb := c.d.EndpointGroups[a], c.d.EndpointGroups[b]
			g := c.d.EndpointGroups[later.group]
			c.add(rule.NetworkOverlap, elemRange(g.NetworkRanges, later.elem, g.NetworksRange),
				fmt.Sprintf("The networks of endpoint groups %q and %q overlap", ga.Name, gb.Name),
				fmt.Sprintf("%s (endpoint_group %q) contains %s (endpoint_group %q). An endpoint there is in both groups' network firewall rules; which group's exclusions, host firewall and audit rules it gets is decided by the Tanium computer group it is in, not by its address; trgen fleet counts it in %q only (the longest prefix). Make the networks disjoint, or accept the warning if the computer groups are scoped so.",
					outer.p, c.d.EndpointGroups[outer.group].Name, n.p, c.d.EndpointGroups[n.group].Name, c.d.EndpointGroups[n.group].Name), nil)
		}
		stack = append(stack, n)
	}
}

// resolvedAddresses checks an addresses list: IP addresses or CIDRs only.
func (c *checker) resolvedAddresses(addrs []string, elems []hcl.Range, whole hcl.Range) {
	for i, a := range addrs {
		if k := AddressKind(a); k != "ip" && k != "cidr" {
			c.add(rule.AddressInvalid, elemRange(elems, i, whole), fmt.Sprintf("Invalid address %q", truncate(a)),
				"addresses lists IP addresses or CIDRs (network addresses, no host bits), the ones the DNS name resolves to.", nil)
		}
	}
}

// firewallAddresses warns where firewall rules need the addresses of a DNS
// name that the deployment does not give: the network firewall policies
// (always written) and the host firewalls leave the flows to it out.
func (c *checker) firewallAddresses(validURL map[string]bool) {
	d := c.d
	for _, s := range d.IntelStreams {
		u, err := url.Parse(s.URL)
		if err != nil || !validURL[s.Name] || len(s.Addresses) > 0 || AddressKind(u.Hostname()) != "dns" {
			continue
		}
		host := ""
		if len(d.ModuleServers) > 0 && model.Str(d.ModuleServers[0].HostFirewall, model.FirewallWindows) != model.FirewallNone {
			host = fmt.Sprintf(" and of module_server %q's host firewall rules", d.ModuleServers[0].Name)
		}
		c.add(rule.FirewallAddress, s.URLRange, fmt.Sprintf("Firewall rules need the addresses of %s", u.Hostname()),
			fmt.Sprintf("Firewall rules match IP addresses and trgen resolves nothing, so the flow to intel_stream %q is left out of the network firewall policies (firewall/capirca)%s. Add addresses = [...] to the intel_stream with what the name resolves to.", s.Name, host), nil)
	}
	var firewalled []string
	for i := range d.EndpointGroups {
		if g := &d.EndpointGroups[i]; g.HostFirewallOrDefault() != model.FirewallNone {
			firewalled = append(firewalled, g.Name)
		}
	}
	for _, s := range d.DataCollection {
		if len(s.Addresses) > 0 || AddressKind(s.Destination) != "dns" {
			continue
		}
		host := ""
		if len(firewalled) > 0 {
			host = fmt.Sprintf(" and of the host firewall rules of the endpoint groups %s", quoteList(firewalled))
		}
		c.add(rule.FirewallAddress, s.DestinationRange, fmt.Sprintf("Firewall rules need the addresses of %s", s.Destination),
			fmt.Sprintf("Firewall rules match IP addresses and trgen resolves nothing, so the flows to data_collection %q are left out of the network firewall policies (firewall/capirca)%s. Add addresses = [...] to the data_collection.", s.Name, host), nil)
	}
}

func (c *checker) unique(block string, labels []labelled) {
	first := map[string]hcl.Range{}
	for _, l := range labels {
		if r, dup := first[l.name]; dup {
			c.add(rule.LabelDuplicate, l.rng, fmt.Sprintf("Duplicate %s %q", block, l.name),
				fmt.Sprintf("%s %q is already defined at %s. Labels are unique per block type; rename one of them.", block, l.name, r), nil)
			continue
		}
		first[l.name] = l.rng
	}
}

// hostnameRE matches an RFC 1123 host name of at least one dot-separated
// label; it admits no quotes, spaces or shell metacharacters.
var hostnameRE = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// AddressKind classifies an address attribute value: "ip", "cidr", "dns" or "" when invalid.
func AddressKind(s string) string {
	if _, err := netip.ParseAddr(s); err == nil && !strings.Contains(s, "%") {
		return "ip"
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.Masked() == p {
		return "cidr"
	}
	if len(s) <= 253 && hostnameRE.MatchString(s) && !isAllDigitsAndDots(s) {
		return "dns"
	}
	return ""
}

func isAllDigitsAndDots(s string) bool { return strings.Trim(s, "0123456789.") == "" }

func (c *checker) address(s string, rng hcl.Range, attr string) {
	if AddressKind(s) != "" {
		return
	}
	c.add(rule.AddressInvalid, rng, fmt.Sprintf("Invalid %s %q", attr, truncate(s)),
		fmt.Sprintf("%s must be an IPv4 or IPv6 address, a CIDR (network address, no host bits), or a DNS host name of letters, digits, '-' and '.'.", attr), nil)
}

// intelURL reports an invalid intel stream URL and returns whether it is valid.
func (c *checker) intelURL(s model.IntelStream) bool {
	u, err := url.Parse(s.URL)
	msg := ""
	switch {
	case err != nil:
		msg = "it does not parse as a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		msg = "its scheme must be http or https"
	case u.User != nil:
		msg = "it must not carry user credentials"
	case AddressKind(u.Hostname()) != "ip" && AddressKind(u.Hostname()) != "dns":
		msg = "its host must be an IP address or DNS name"
	case u.Port() != "":
		if p, err := strconv.Atoi(u.Port()); err != nil || p < 1 || p > 65535 {
			msg = "its port must be 1 to 65535"
		}
	}
	if strings.ContainsAny(s.URL, " \t\r\n'\"`<>\\{}|^") {
		msg = "it contains characters that must be percent-encoded"
	}
	if msg == "" {
		return true
	}
	c.add(rule.URLInvalid, s.URLRange, fmt.Sprintf("Invalid intel stream URL %q", truncate(s.URL)),
		"The URL is invalid: "+msg+". Write an absolute URL such as https://intel.example.com/feed.xml.", nil)
	return false
}

// oldFirewalld lists the Linux releases whose firewalld predates policy
// objects (firewalld 0.9.0), which trgen's firewalld files are: the
// distribution id, its major version and the firewalld it ships
// (docs/sources.md, "firewalld").
var oldFirewalld = []struct {
	distro   string
	major    uint32
	firewall string
}{
	{"rhel", 7, "0.6"}, {"centos", 7, "0.6"}, {"oracle", 7, "0.6"},
}

func (c *checker) hostFirewall(g *model.EndpointGroup) {
	allowed, ok := hostfw.ForOS(g.OS), model.KnownOS(g.OS)
	// An unknown os or host_firewall has its schema error already.
	if ok && g.HostFirewall != nil && *g.HostFirewall == model.FirewallFirewalld {
		if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil {
			for _, o := range oldFirewalld {
				if p.Distro == o.distro && p.Version.Part(0) == o.major {
					c.add(rule.FirewalldPolicies, g.HostFirewallRange,
						fmt.Sprintf("firewalld on %s cannot load policies", p.Canonical),
						fmt.Sprintf("trgen's firewalld file is a policy, which firewalld supports from 0.9.0; %s ships firewalld %s. Use host_firewall = \"iptables\" for the group %q.", p.Canonical, o.firewall, g.Name), nil)
				}
			}
		}
	}
	if !ok || g.HostFirewall == nil || !model.KnownFirewall(*g.HostFirewall) || contains(allowed, *g.HostFirewall) {
		return
	}
	c.add(rule.HostFirewall, g.HostFirewallRange,
		fmt.Sprintf("host_firewall %q does not apply to %s endpoints", *g.HostFirewall, g.OS),
		fmt.Sprintf("For os = %q, host_firewall must be one of %s.", g.OS, quoteList(allowed)), nil)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "it has none"
	}
	return "known: " + quoteList(list)
}

func elemRange(elems []hcl.Range, i int, whole hcl.Range) hcl.Range {
	if i < len(elems) && elems[i].Filename != "" {
		return elems[i]
	}
	return whole
}

// truncate shortens a value quoted in a summary, so a 64 KiB hostile string
// does not become a 64 KiB message.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// unusedZones warns about each zone_server no endpoint group connects
// through: it gets no flows and no firewall script.
func (c *checker) unusedZones() {
	used := map[string]bool{}
	for _, g := range c.d.EndpointGroups {
		if g.ConnectVia != nil {
			used[*g.ConnectVia] = true
		}
	}
	for _, z := range c.d.ZoneServers {
		if !used[z.Name] {
			c.add(rule.ZoneUnused, z.NameRange, fmt.Sprintf("No endpoint group connects through zone_server %q", z.Name),
				"It gets no flows and no firewall script. Set connect_via on the groups that reach the Module Server through it, or remove the block.", nil)
		}
	}
}
