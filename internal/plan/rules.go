package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Rule is one consolidated firewall rule, the way a network team writes
// one: the flows of one boundary that share a destination, a protocol and
// a set of sources, with all their ports.
type Rule struct {
	// ID is "r" + 12 hex digits of a hash of the flows' ids: stable across
	// runs for the same flows.
	ID string
	// Boundary is the flows' boundary, "internal → dmz".
	Boundary string
	Sources  []Node
	// Destination is the one destination of the rule.
	Destination Node
	Protocol    string
	// Ports are sorted and distinct.
	Ports []int
	// Flows are the per-source, per-port flows the rule covers, in the
	// order Flows returns them.
	Flows []Flow
}

// PortList joins the ports with ", ".
func (r Rule) PortList() string {
	s := make([]string, len(r.Ports))
	for i, p := range r.Ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

// FlowIDs lists the ids of the flows the rule covers.
func (r Rule) FlowIDs() []string {
	ids := make([]string, len(r.Flows))
	for i, f := range r.Flows {
		ids[i] = f.ID
	}
	return ids
}

// Citations lists, once per distinct port, purpose and page row, what the
// rule's flows are for and where the page says so:
// "tcp/17443: <purpose> (<reference>)".
func (r Rule) Citations() []string {
	type citation struct {
		protocol string
		port     int
		purpose  string
		ref      string
	}
	seen := map[citation]bool{} // a rule's thousands of flows share a few
	var out []string
	for i := range r.Flows {
		f := &r.Flows[i]
		c := citation{f.Protocol, f.Port, f.Purpose, f.Reference}
		if !seen[c] {
			seen[c] = true
			out = append(out, fmt.Sprintf("%s/%d: %s (%s)", c.protocol, c.port, c.purpose, c.ref))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Consolidate groups flows (as Flows returns them) into rules: within each
// boundary, the flows to one destination on one port are one set of
// sources; the ports that share a destination and the same set of sources
// are one rule. Rules keep the boundaries' order, then sort by
// destination, first port and sources.
func Consolidate(flows []Flow) []Rule {
	type portKey struct{ boundary, dst, proto string }
	type sourcesKey struct {
		portKey
		port int
	}
	// The work is on indices into flows: a Flow is a large value, and a
	// rule of a large deployment covers thousands.
	boundaries := make([]string, len(flows))
	// Each (boundary, destination, protocol, port): its flows.
	bySource := map[sourcesKey][]int{}
	var order []sourcesKey
	for i, f := range flows {
		boundaries[i] = f.Boundary()
		k := sourcesKey{portKey{boundaries[i], f.Destination.Name, f.Protocol}, f.Port}
		if _, ok := bySource[k]; !ok {
			order = append(order, k)
		}
		bySource[k] = append(bySource[k], i)
	}
	// Merge the ports whose source sets are equal.
	type ruleKey struct {
		portKey
		sources string
	}
	type building struct {
		rule  *Rule
		flows []int
	}
	byRule := map[ruleKey]*building{}
	var rules []*building
	for _, k := range order {
		idx := bySource[k]
		names := make([]string, len(idx))
		for j, i := range idx {
			names[j] = flows[i].Source.Name
		}
		slices.Sort(names)
		rk := ruleKey{k.portKey, strings.Join(slices.Compact(names), "\x00")}
		r, ok := byRule[rk]
		if !ok {
			r = &building{rule: &Rule{Boundary: k.boundary, Destination: flows[idx[0]].Destination, Protocol: k.proto}}
			seen := map[string]bool{}
			for _, i := range idx {
				if src := flows[i].Source; !seen[src.Name] {
					seen[src.Name] = true
					r.rule.Sources = append(r.rule.Sources, src)
				}
			}
			slices.SortFunc(r.rule.Sources, func(a, b Node) int { return strings.Compare(a.Name, b.Name) })
			byRule[rk] = r
			rules = append(rules, r)
		}
		if !slices.Contains(r.rule.Ports, k.port) {
			r.rule.Ports = append(r.rule.Ports, k.port)
		}
		r.flows = append(r.flows, idx...)
	}
	out := make([]Rule, len(rules))
	for n, b := range rules {
		r := b.rule
		slices.Sort(r.Ports)
		// By id; flows with the same id keep their order.
		slices.SortFunc(b.flows, func(i, j int) int { return cmp.Or(strings.Compare(flows[i].ID, flows[j].ID), cmp.Compare(i, j)) })
		r.Flows = make([]Flow, len(b.flows))
		for j, i := range b.flows {
			r.Flows[j] = flows[i]
		}
		sum := sha256.Sum256([]byte(strings.Join(r.FlowIDs(), "\x00")))
		r.ID = "r" + hex.EncodeToString(sum[:6])
		out[n] = *r
	}
	boundaryRank := map[string]int{}
	for _, b := range boundaries {
		if _, ok := boundaryRank[b]; !ok {
			boundaryRank[b] = len(boundaryRank)
		}
	}
	slices.SortStableFunc(out, func(a, b Rule) int {
		return cmp.Or(
			cmp.Compare(boundaryRank[a.Boundary], boundaryRank[b.Boundary]),
			strings.Compare(a.Destination.Name, b.Destination.Name),
			cmp.Compare(a.Ports[0], b.Ports[0]),
			strings.Compare(a.Sources[0].Name, b.Sources[0].Name),
			strings.Compare(a.ID, b.ID))
	})
	return out
}
