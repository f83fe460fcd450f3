package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/capirca"
	"github.com/trgen/trgen/internal/model"
)

// NetworkPlan is the content of the network firewall policies
// (firewall/capirca): the named networks and services, and one policy per
// firewall boundary whose terms are the consolidated rules.
type NetworkPlan struct {
	// Networks are the nodes the terms name, sorted by token.
	Networks []NamedNetwork
	// Services are the ports the terms name, sorted by port.
	Services []NamedService
	// Policies are in the boundaries' order.
	Policies []Policy
	// LeftOut are flows no network firewall rule can express, with why.
	LeftOut []LeftOutFlow
}

// NamedNetwork is a node under its Capirca network name.
type NamedNetwork struct {
	Token string
	Node  Node
}

// NamedService is a port under its Capirca service name.
type NamedService struct {
	Token    string
	Protocol string
	Port     int
	// Purposes are the distinct purposes of the flows on the port, from
	// the vendor's port table.
	Purposes []string
}

// Policy is the policy of one firewall boundary.
type Policy struct {
	// Name is the file stem, "internal-to-dmz": the boundary as a
	// network_firewall boundary block labels it.
	Name     string
	Boundary string
	Targets  []PolicyTarget
	Terms    []Term
}

// HasIPv6 reports whether a term of the policy allows IPv6 traffic: a
// source and the destination both have IPv6 addresses.
func (p Policy) HasIPv6() bool {
	for _, t := range p.Terms {
		for _, f := range t.Rule.Flows {
			if families(f.Source)[6] && families(f.Destination)[6] {
				return true
			}
		}
	}
	return false
}

// PolicyTarget is one platform a policy is compiled to, with its header
// options.
type PolicyTarget struct {
	Target   capirca.Target
	Filter   string
	FromZone string
	ToZone   string
}

// Options returns the header options, as Target.Options.
func (t PolicyTarget) Options() string { return t.Target.Options(t.Filter, t.FromZone, t.ToZone) }

// Term is one consolidated rule under Capirca names.
type Term struct {
	Rule        Rule
	Sources     []string
	Destination string
	Services    []string
}

// LeftOutFlow is a flow no network firewall rule can express.
type LeftOutFlow struct {
	Flow   Flow
	Reason string
}

// policyName is a boundary's policy name, "internal-to-dmz".
func policyName(f Flow) string { return f.Source.Zone + "-to-" + f.Destination.Zone }

// NetworkPolicies plans the network firewall policies for flows of d: the
// flows whose two ends have addresses of a common family, consolidated
// into rules, one policy per boundary, each compiled to the targets d's
// network_firewall block asks for (capirca.Defaults without it).
func NetworkPolicies(d *model.Deployment, flows []Flow) NetworkPlan {
	var np NetworkPlan
	kept := make([]Flow, 0, len(flows))
	for i := range flows {
		if !flows[i].NeedsChange() {
			continue // no firewall of the organisation is on its path
		}
		if reason := unexpressible(flows[i]); reason != "" {
			np.LeftOut = append(np.LeftOut, LeftOutFlow{flows[i], reason})
			continue
		}
		kept = append(kept, flows[i])
	}
	networks := map[string]NamedNetwork{}
	services := map[int]*NamedService{}
	byName := map[string]int{} // policy name → index in np.Policies
	for _, r := range Consolidate(kept) {
		name := policyName(r.Flows[0])
		i, ok := byName[name]
		if !ok {
			i = len(np.Policies)
			np.Policies = append(np.Policies, Policy{Name: name, Boundary: r.Boundary, Targets: policyTargets(d, name, r.Flows[0])})
			byName[name] = i
		}
		t := Term{Rule: r, Destination: networkToken(r.Destination), Sources: make([]string, 0, len(r.Sources))}
		networks[t.Destination] = NamedNetwork{t.Destination, r.Destination}
		for _, s := range r.Sources {
			tok := networkToken(s)
			networks[tok] = NamedNetwork{tok, s}
			t.Sources = append(t.Sources, tok)
		}
		for _, port := range r.Ports {
			s := services[port]
			if s == nil {
				s = &NamedService{Token: fmt.Sprintf("TR_%s_%d", strings.ToUpper(r.Protocol), port), Protocol: r.Protocol, Port: port}
				services[port] = s
			}
			t.Services = append(t.Services, s.Token)
			for i := range r.Flows {
				if f := &r.Flows[i]; f.Port == port && !slices.Contains(s.Purposes, f.Purpose) {
					s.Purposes = append(s.Purposes, f.Purpose)
				}
			}
		}
		np.Policies[i].Terms = append(np.Policies[i].Terms, t)
	}
	for _, n := range networks {
		np.Networks = append(np.Networks, n)
	}
	slices.SortFunc(np.Networks, func(a, b NamedNetwork) int { return strings.Compare(a.Token, b.Token) })
	for _, s := range services {
		slices.Sort(s.Purposes)
		np.Services = append(np.Services, *s)
	}
	slices.SortFunc(np.Services, func(a, b NamedService) int { return a.Port - b.Port })
	return np
}

// unexpressible says why no network firewall rule can express f, "" when
// one can.
func unexpressible(f Flow) string {
	for _, n := range []Node{f.Source, f.Destination} {
		if len(n.Addresses) == 0 {
			return fmt.Sprintf("%s has no IP address (only the DNS name %s); firewall rules match addresses and trgen resolves nothing", n.Name, strings.Join(n.Hostnames, ", "))
		}
	}
	src, dst := families(f.Source), families(f.Destination)
	if !(src[4] && dst[4]) && !(src[6] && dst[6]) {
		return fmt.Sprintf("%s has only %s addresses and %s only %s ones: no packet can flow between them", f.Source.Name, familyName(src), f.Destination.Name, familyName(dst))
	}
	return ""
}

// families reports which IP versions (4, 6) a node's addresses have.
func families(n Node) map[int]bool {
	fam := map[int]bool{}
	for _, a := range n.Addresses {
		if p, err := netip.ParsePrefix(a); err == nil {
			fam[ipVersion(p.Addr())] = true
		} else if ip, err := netip.ParseAddr(a); err == nil {
			fam[ipVersion(ip)] = true
		}
	}
	return fam
}

func ipVersion(a netip.Addr) int {
	if a.Is4() || a.Is4In6() {
		return 4
	}
	return 6
}

func familyName(fam map[int]bool) string {
	if fam[4] {
		return "IPv4"
	}
	return "IPv6"
}

// policyTargets returns the targets of the policy called name: its
// boundary block's, else the network_firewall's, else the defaults.
func policyTargets(d *model.Deployment, name string, f Flow) []PolicyTarget {
	names := capirca.Defaults()
	filter, from, to := "tr-"+name, f.Source.Zone, f.Destination.Zone
	if nf := d.NetworkFirewall; nf != nil {
		if len(nf.Targets) > 0 {
			names = nf.Targets
		}
		for _, b := range nf.Boundaries {
			if b.Name != name {
				continue
			}
			if len(b.Targets) > 0 {
				names = b.Targets
			}
			filter = model.Str(b.Filter, filter)
			from = model.Str(b.FromZone, from)
			to = model.Str(b.ToZone, to)
		}
	}
	out := make([]PolicyTarget, 0, len(names))
	for _, n := range names {
		t, ok := capirca.Lookup(n)
		if !ok {
			panic(fmt.Sprintf("no Capirca target %q", n)) // the schema restricts the names
		}
		out = append(out, PolicyTarget{Target: t, Filter: filter, FromZone: from, ToZone: to})
	}
	return out
}

// tokenPrefix is each node kind's prefix in Capirca network names.
var tokenPrefix = map[string]string{
	"tanium_server": "TS", "module_server": "MS", "zone_server": "ZS",
	"endpoint_group": "GROUP", "intel_stream": "INTEL", "data_collection": "DATA",
}

// networkToken is a node's Capirca network name: its kind's prefix and its
// label ("GROUP_win-desktops"), unique because labels are unique per block
// type; a long label is shortened and made unique by a hash, so names stay
// within what every target accepts.
func networkToken(n Node) string {
	p, ok := tokenPrefix[n.Kind]
	if !ok {
		panic("no Capirca prefix for " + n.Kind)
	}
	label := n.Label
	if len(label) > 32 {
		sum := sha256.Sum256([]byte(label))
		label = label[:23] + "-" + hex.EncodeToString(sum[:4])
	}
	return p + "_" + label
}
