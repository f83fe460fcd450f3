package toolcheck

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/capirca"
)

// Permit is one packet shape a configuration accepts: TCP from a source
// prefix to a destination prefix on one destination port.
type Permit struct {
	Src, Dst netip.Prefix
	Port     int
}

func (p Permit) String() string { return fmt.Sprintf("%s -> %s tcp/%d", p.Src, p.Dst, p.Port) }

// Capirca compiles the policies of a firewall/capirca folder with Debian's
// aclgen into a scratch folder and checks that it succeeds with no
// warning, writes one file per policy and target its header names, and
// that each file accepts exactly the permits its policy describes (every
// source and destination address of a common family, on every port):
// nothing lost, nothing added. It returns the number of files checked.
func Capirca(t testing.TB, dir string) (int, error) {
	want, err := PolicyPermits(dir)
	if err != nil {
		return 0, err
	}
	if _, ok := optional(t, "aclgen"); !ok {
		return 0, nil
	}
	out, err := Aclgen(t, dir)
	if err != nil {
		return 0, err
	}
	checked := 0
	for _, p := range want {
		for _, target := range p.Targets {
			tg, ok := capirca.Lookup(target)
			if !ok {
				return checked, fmt.Errorf("%s names target %q, which trgen does not offer", p.File, target)
			}
			file := filepath.Join(out, p.Stem+tg.Suffix)
			data, err := os.ReadFile(file)
			if err != nil {
				return checked, fmt.Errorf("aclgen wrote no %s output for %s: %v", target, p.File, err)
			}
			got, err := TargetPermits(target, data)
			if err != nil {
				return checked, fmt.Errorf("%s: %v", filepath.Base(file), err)
			}
			if diff := PermitDiff(p.Permits, got); diff != "" {
				return checked, fmt.Errorf("%s (%s from %s) does not accept what the policy says:\n%s", filepath.Base(file), target, filepath.Base(p.File), diff)
			}
			checked++
		}
	}
	return checked, nil
}

// normalize returns permits in a canonical form, so that two lists that
// accept the same packets compare equal: duplicates and prefixes inside
// another are dropped, and sibling prefixes merged (aclgen collapses
// 10.65.0.0/20 and 10.65.16.0/20 into 10.65.0.0/19), for sources per
// destination and port, then destinations per source and port, until
// nothing changes.
func normalize(perms []Permit) []Permit {
	type key struct {
		other netip.Prefix
		port  int
	}
	pass := func(in []Permit, bySrc bool) []Permit {
		groups := map[key][]netip.Prefix{}
		var order []key
		for _, p := range in {
			k, v := key{p.Dst, p.Port}, p.Src
			if !bySrc {
				k, v = key{p.Src, p.Port}, p.Dst
			}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
			}
			groups[k] = append(groups[k], v)
		}
		var out []Permit
		for _, k := range order {
			for _, v := range collapse(groups[k]) {
				if bySrc {
					out = append(out, Permit{v, k.other, k.port})
				} else {
					out = append(out, Permit{k.other, v, k.port})
				}
			}
		}
		return out
	}
	cur := sortPermits(perms)
	for {
		next := sortPermits(pass(pass(cur, true), false))
		if slices.Equal(next, cur) {
			return cur
		}
		cur = next
	}
}

func sortPermits(ps []Permit) []Permit {
	out := slices.Clone(ps)
	slices.SortFunc(out, func(a, b Permit) int {
		if c := a.Src.Addr().Compare(b.Src.Addr()); c != 0 {
			return c
		}
		if c := a.Src.Bits() - b.Src.Bits(); c != 0 {
			return c
		}
		if c := a.Dst.Addr().Compare(b.Dst.Addr()); c != 0 {
			return c
		}
		if c := a.Dst.Bits() - b.Dst.Bits(); c != 0 {
			return c
		}
		return a.Port - b.Port
	})
	return slices.Compact(out)
}

// collapse drops prefixes inside another and merges siblings.
func collapse(ps []netip.Prefix) []netip.Prefix {
	for {
		changed := false
		var out []netip.Prefix
		for _, p := range ps {
			if slices.ContainsFunc(out, func(q netip.Prefix) bool { return q.Bits() <= p.Bits() && q.Contains(p.Addr()) }) {
				continue
			}
			out = slices.DeleteFunc(out, func(q netip.Prefix) bool { return p.Bits() < q.Bits() && p.Contains(q.Addr()) })
			out = append(out, p)
		}
		if len(out) != len(ps) {
			changed = true
		}
		for i := 0; i < len(out) && !changed; i++ {
			for j := i + 1; j < len(out); j++ {
				a, b := out[i], out[j]
				if a.Bits() == b.Bits() && a.Bits() > 0 && a.Addr().Is4() == b.Addr().Is4() {
					parent, _ := a.Addr().Prefix(a.Bits() - 1)
					if parent.Contains(b.Addr()) {
						out = slices.Delete(out, j, j+1)
						out[i] = parent
						changed = true
						break
					}
				}
			}
		}
		ps = out
		if !changed {
			return ps
		}
	}
}

// Aclgen runs Debian's aclgen on the policies below dir (in dir/pol) with
// the definitions in dir/def, and returns the folder it wrote to. Any
// warning or error it logs is an error.
func Aclgen(t testing.TB, dir string) (string, error) {
	aclgen := Need(t, "aclgen")
	out := t.TempDir()
	cmd := exec.Command(aclgen, "--base_directory", dir, "--definitions_directory", filepath.Join(dir, "def"),
		"--output_directory", out, "--max_renderers", "1")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("aclgen in %s: %v\n%s", dir, err, log.String())
	}
	for _, line := range strings.Split(log.String(), "\n") {
		// absl log lines: I (info), W, E, F; aclgen logs the folders it
		// found as warnings ("> pol (2 pol files found)").
		if len(line) > 0 && strings.ContainsRune("WEF", rune(line[0])) && !strings.Contains(line, " pol files found)") {
			return "", fmt.Errorf("aclgen in %s warned: %s", dir, line)
		}
	}
	return out, nil
}

// PermitDiff lists what want has and got lacks, and the reverse, after
// normalize; "" when they accept the same packets.
func PermitDiff(want, got []Permit) string { return permitDiff(normalize(want), normalize(got)) }

func permitDiff(want, got []Permit) string {
	var b strings.Builder
	for _, p := range want {
		if !slices.Contains(got, p) {
			fmt.Fprintf(&b, "  missing %s\n", p)
		}
	}
	for _, p := range got {
		if !slices.Contains(want, p) {
			fmt.Fprintf(&b, "  extra   %s\n", p)
		}
	}
	return b.String()
}

// Policy is what one .pol file describes.
type Policy struct {
	// File is the policy's path; Stem its name without ".pol", which
	// names aclgen's outputs.
	File, Stem string
	// Targets are the platforms its header names.
	Targets []string
	// Permits are what its terms accept.
	Permits []Permit
}

var (
	defLine  = regexp.MustCompile(`^([-_A-Za-z0-9]+)\s*=\s*(.*)$`)
	polField = regexp.MustCompile(`^\s*(target|source-address|destination-address|destination-port|protocol|action)::\s*(.*)$`)
)

// PolicyPermits reads the definitions and policies of a firewall/capirca
// folder and returns, per policy, its targets and the permits its terms
// describe.
func PolicyPermits(dir string) ([]Policy, error) {
	nets, err := definitions(filepath.Join(dir, "def", "NETWORK.net"))
	if err != nil {
		return nil, err
	}
	svcs, err := definitions(filepath.Join(dir, "def", "SERVICES.svc"))
	if err != nil {
		return nil, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "pol", "*.pol"))
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no policies in pol/", dir)
	}
	var out []Policy
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		p := Policy{File: f, Stem: strings.TrimSuffix(filepath.Base(f), ".pol")}
		var src, dst, ports []string
		for _, line := range strings.Split(string(data), "\n") {
			m := polField.FindStringSubmatch(line)
			if m == nil {
				if strings.TrimSpace(line) == "}" && dst != nil {
					perms, err := termPermits(nets, svcs, src, dst, ports)
					if err != nil {
						return nil, fmt.Errorf("%s: %v", f, err)
					}
					p.Permits = append(p.Permits, perms...)
					src, dst, ports = nil, nil, nil
				}
				continue
			}
			fields := strings.Fields(m[2])
			switch m[1] {
			case "target":
				p.Targets = append(p.Targets, fields[0])
			case "source-address":
				src = fields
			case "destination-address":
				dst = fields
			case "destination-port":
				ports = fields
			case "protocol":
				if m[2] != "tcp" {
					return nil, fmt.Errorf("%s: protocol %q", f, m[2])
				}
			case "action":
				if m[2] != "accept" {
					return nil, fmt.Errorf("%s: action %q", f, m[2])
				}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// definitions reads a NETWORK.net or SERVICES.svc file: name → values.
func definitions(file string) (map[string][]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	defs := map[string][]string{}
	cur := ""
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := defLine.FindStringSubmatch(line); m != nil {
			cur = m[1]
			if _, dup := defs[cur]; dup {
				return nil, fmt.Errorf("%s: %s defined twice", file, cur)
			}
			defs[cur] = strings.Fields(m[2])
			continue
		}
		if cur == "" || line[0] != ' ' {
			return nil, fmt.Errorf("%s: unexpected line %q", file, line)
		}
		defs[cur] = append(defs[cur], strings.Fields(line)...)
	}
	return defs, nil
}

func termPermits(nets, svcs map[string][]string, src, dst, ports []string) ([]Permit, error) {
	prefixes := func(names []string) ([]netip.Prefix, error) {
		var out []netip.Prefix
		for _, n := range names {
			addrs, ok := nets[n]
			if !ok {
				return nil, fmt.Errorf("network %s is not defined", n)
			}
			for _, a := range addrs {
				p, err := ParsePrefix(a)
				if err != nil {
					return nil, err
				}
				out = append(out, p)
			}
		}
		return out, nil
	}
	srcs, err := prefixes(src)
	if err != nil {
		return nil, err
	}
	dsts, err := prefixes(dst)
	if err != nil {
		return nil, err
	}
	var portList []int
	for _, s := range ports {
		defs, ok := svcs[s]
		if !ok {
			return nil, fmt.Errorf("service %s is not defined", s)
		}
		for _, d := range defs {
			num, proto, _ := strings.Cut(d, "/")
			n, err := strconv.Atoi(num)
			if err != nil || proto != "tcp" {
				return nil, fmt.Errorf("service %s: %q", s, d)
			}
			portList = append(portList, n)
		}
	}
	var out []Permit
	for _, s := range srcs {
		for _, d := range dsts {
			if s.Addr().Is4() != d.Addr().Is4() {
				continue
			}
			for _, port := range portList {
				out = append(out, Permit{s, d, port})
			}
		}
	}
	return out, nil
}

// ParsePrefix reads an address or prefix; an address is a host prefix.
func ParsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an address: %q", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// TargetPermits parses one configuration aclgen wrote for target and
// returns what it accepts.
func TargetPermits(target string, data []byte) ([]Permit, error) {
	switch target {
	case "paloalto":
		return paloAltoPermits(data)
	case "juniper":
		return juniperPermits(data)
	case "srx":
		return srxPermits(data)
	case "cisco", "arista", "ciscoasa":
		return aclPermits(target, data)
	}
	return nil, fmt.Errorf("no parser for target %q", target)
}

// cross returns every permit of sources × destinations (of one family) ×
// ports.
func cross(srcs, dsts []netip.Prefix, ports []int) []Permit {
	var out []Permit
	for _, s := range srcs {
		for _, d := range dsts {
			if s.Addr().Is4() != d.Addr().Is4() {
				continue
			}
			for _, p := range ports {
				out = append(out, Permit{s, d, p})
			}
		}
	}
	return out
}

// portRange reads "17443", "17443-17444" or a comma-separated list of them.
func portRange(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("port %q", s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("port %q", s)
			}
		}
		for p := a; p <= b; p++ {
			out = append(out, p)
		}
	}
	return out, nil
}

// paloAltoPermits reads a PAN-OS XML configuration: security rules whose
// source and destination members are address groups or addresses, and
// whose services are TCP port entries.
func paloAltoPermits(data []byte) ([]Permit, error) {
	type member struct {
		Members []string `xml:"member"`
	}
	var cfg struct {
		Vsys []struct {
			Services []struct {
				Name string `xml:"name,attr"`
				TCP  string `xml:"protocol>tcp>port"`
				UDP  string `xml:"protocol>udp>port"`
			} `xml:"service>entry"`
			Rules []struct {
				Name        string `xml:"name,attr"`
				Source      member `xml:"source"`
				Destination member `xml:"destination"`
				Service     member `xml:"service"`
				Action      string `xml:"action"`
				Disabled    string `xml:"disabled"`
			} `xml:"rulebase>security>rules>entry"`
			Groups []struct {
				Name    string `xml:"name,attr"`
				Members member `xml:"static"`
			} `xml:"address-group>entry"`
			Addresses []struct {
				Name    string `xml:"name,attr"`
				Netmask string `xml:"ip-netmask"`
			} `xml:"address>entry"`
		} `xml:"devices>entry>vsys>entry"`
	}
	if err := xml.Unmarshal(data, &cfg); err != nil {
		return nil, err
	}
	var out []Permit
	for _, v := range cfg.Vsys {
		addr := map[string]netip.Prefix{}
		for _, a := range v.Addresses {
			p, err := ParsePrefix(a.Netmask)
			if err != nil {
				return nil, fmt.Errorf("address %s: %v", a.Name, err)
			}
			addr[a.Name] = p
		}
		groups := map[string][]string{}
		for _, g := range v.Groups {
			groups[g.Name] = g.Members.Members
		}
		resolve := func(names []string) ([]netip.Prefix, error) {
			var out []netip.Prefix
			for _, n := range names {
				if p, ok := addr[n]; ok {
					out = append(out, p)
					continue
				}
				ms, ok := groups[n]
				if !ok {
					return nil, fmt.Errorf("member %q is neither an address nor an address group", n)
				}
				for _, m := range ms {
					p, ok := addr[m]
					if !ok {
						return nil, fmt.Errorf("group %s: member %q is not an address", n, m)
					}
					out = append(out, p)
				}
			}
			return out, nil
		}
		services := map[string][]int{}
		for _, s := range v.Services {
			if s.UDP != "" {
				return nil, fmt.Errorf("service %s is UDP", s.Name)
			}
			ports, err := portRange(s.TCP)
			if err != nil {
				return nil, fmt.Errorf("service %s: %v", s.Name, err)
			}
			services[s.Name] = ports
		}
		for _, r := range v.Rules {
			if r.Action != "allow" || r.Disabled == "yes" {
				return nil, fmt.Errorf("rule %s: action %q", r.Name, r.Action)
			}
			srcs, err := resolve(r.Source.Members)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %v", r.Name, err)
			}
			dsts, err := resolve(r.Destination.Members)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %v", r.Name, err)
			}
			var ports []int
			for _, s := range r.Service.Members {
				p, ok := services[s]
				if !ok {
					return nil, fmt.Errorf("rule %s: service %q is not defined (any?)", r.Name, s)
				}
				ports = append(ports, p...)
			}
			out = append(out, cross(srcs, dsts, ports)...)
		}
	}
	return out, nil
}

// junosNode is a statement of a Junos configuration: its words, and its
// block's statements when it has one.
type junosNode struct {
	words    []string
	children []*junosNode
}

var junosComment = regexp.MustCompile(`(?s)/\*.*?\*/|(?m)^\s*#.*$`)

// parseJunos reads Junos' curly-brace syntax into a tree. "[ a b ]" lists
// stay words of their statement.
func parseJunos(data []byte) (*junosNode, error) {
	src := junosComment.ReplaceAllString(string(data), " ")
	src = strings.NewReplacer("{", " { ", "}", " } ", ";", " ; ").Replace(src)
	root := &junosNode{}
	stack := []*junosNode{root}
	var words []string
	for _, tok := range strings.Fields(src) {
		top := stack[len(stack)-1]
		switch tok {
		case "{":
			n := &junosNode{words: words}
			top.children = append(top.children, n)
			stack = append(stack, n)
			words = nil
		case "}":
			if len(words) > 0 || len(stack) == 1 {
				return nil, fmt.Errorf("unbalanced braces or a statement without ';': %v", words)
			}
			stack = stack[:len(stack)-1]
		case ";":
			top.children = append(top.children, &junosNode{words: words})
			words = nil
		default:
			words = append(words, tok)
		}
	}
	if len(stack) != 1 {
		return nil, fmt.Errorf("%d unclosed braces", len(stack)-1)
	}
	return root, nil
}

// find calls f for every node, depth first.
func (n *junosNode) find(f func(*junosNode)) {
	f(n)
	for _, c := range n.children {
		c.find(f)
	}
}

// child returns the first child whose first word is w.
func (n *junosNode) child(w string) *junosNode {
	for _, c := range n.children {
		if len(c.words) > 0 && c.words[0] == w {
			return c
		}
	}
	return nil
}

// listWords returns a statement's values after its keyword, with "[ ]"
// removed.
func listWords(words []string) []string {
	var out []string
	for _, w := range words[1:] {
		if w != "[" && w != "]" {
			out = append(out, w)
		}
	}
	return out
}

// juniperPermits reads a Junos firewall filter: terms with from { source-
// address, destination-address, protocol tcp, destination-port } and then
// accept.
func juniperPermits(data []byte) ([]Permit, error) {
	root, err := parseJunos(data)
	if err != nil {
		return nil, err
	}
	var out []Permit
	var ferr error
	root.find(func(n *junosNode) {
		if ferr != nil || len(n.words) != 2 || n.words[0] != "term" {
			return
		}
		from := n.child("from")
		then := n.child("then")
		if from == nil || then == nil {
			ferr = fmt.Errorf("term %s has no from or then", n.words[1])
			return
		}
		if !slices.Equal(then.words, []string{"then", "accept"}) && then.child("accept") == nil {
			ferr = fmt.Errorf("term %s does not accept", n.words[1])
			return
		}
		var srcs, dsts []netip.Prefix
		var ports []int
		proto := ""
		for _, c := range from.children {
			switch c.words[0] {
			case "source-address", "destination-address":
				for _, a := range c.children {
					p, err := ParsePrefix(a.words[0])
					if err != nil {
						ferr = err
						return
					}
					if c.words[0] == "source-address" {
						srcs = append(srcs, p)
					} else {
						dsts = append(dsts, p)
					}
				}
			case "protocol":
				proto = strings.Join(listWords(c.words), " ")
			case "next-header":
				proto = strings.Join(listWords(c.words), " ")
			case "destination-port":
				for _, w := range listWords(c.words) {
					ps, err := portRange(w)
					if err != nil {
						ferr = err
						return
					}
					ports = append(ports, ps...)
				}
			default:
				ferr = fmt.Errorf("term %s matches %s, which trgen does not write", n.words[1], c.words[0])
				return
			}
		}
		if proto != "tcp" || len(ports) == 0 || len(srcs) == 0 || len(dsts) == 0 {
			ferr = fmt.Errorf("term %s: protocol %q, %d ports, %d sources, %d destinations", n.words[1], proto, len(ports), len(srcs), len(dsts))
			return
		}
		out = append(out, cross(srcs, dsts, ports)...)
	})
	return out, ferr
}

// srxPermits reads a Junos SRX configuration: the global address book,
// zone policies and their applications.
func srxPermits(data []byte) ([]Permit, error) {
	root, err := parseJunos(data)
	if err != nil {
		return nil, err
	}
	addrs := map[string][]netip.Prefix{}
	apps := map[string][]int{}
	appSets := map[string][]string{}
	var perr error
	root.find(func(n *junosNode) {
		if perr != nil || len(n.words) == 0 {
			return
		}
		switch {
		case n.words[0] == "address" && len(n.words) == 3:
			p, err := ParsePrefix(n.words[2])
			if err != nil {
				perr = err
				return
			}
			addrs[n.words[1]] = append(addrs[n.words[1]], p)
		case n.words[0] == "address-set" && len(n.words) == 2:
			for _, c := range n.children {
				addrs[n.words[1]] = append(addrs[n.words[1]], addrs[c.words[1]]...)
			}
		case n.words[0] == "application" && len(n.words) == 2 && len(n.children) > 0:
			for _, c := range n.children {
				// term t1 protocol tcp destination-port 17443-17444
				w := c.words
				i := slices.Index(w, "destination-port")
				if !slices.Contains(w, "tcp") || i < 0 || i+1 >= len(w) {
					perr = fmt.Errorf("application %s: %v", n.words[1], w)
					return
				}
				ps, err := portRange(w[i+1])
				if err != nil {
					perr = err
					return
				}
				apps[n.words[1]] = append(apps[n.words[1]], ps...)
			}
		case n.words[0] == "application-set" && len(n.words) == 2:
			for _, c := range n.children {
				appSets[n.words[1]] = append(appSets[n.words[1]], c.words[1])
			}
		}
	})
	if perr != nil {
		return nil, perr
	}
	var out []Permit
	root.find(func(n *junosNode) {
		if perr != nil || len(n.words) != 2 || n.words[0] != "policy" {
			return
		}
		match, then := n.child("match"), n.child("then")
		if match == nil || then == nil || then.child("permit") == nil {
			perr = fmt.Errorf("policy %s does not match and permit", n.words[1])
			return
		}
		var srcs, dsts []netip.Prefix
		var ports []int
		for _, c := range match.children {
			for _, name := range listWords(c.words) {
				switch c.words[0] {
				case "source-address":
					srcs = append(srcs, addrs[name]...)
				case "destination-address":
					dsts = append(dsts, addrs[name]...)
				case "application":
					members := appSets[name]
					if members == nil {
						members = []string{name}
					}
					for _, m := range members {
						if apps[m] == nil {
							perr = fmt.Errorf("policy %s: application %q is not defined", n.words[1], m)
							return
						}
						ports = append(ports, apps[m]...)
					}
				default:
					perr = fmt.Errorf("policy %s matches %s", n.words[1], c.words[0])
					return
				}
			}
		}
		out = append(out, cross(srcs, dsts, ports)...)
	})
	return out, perr
}

// ciscoPorts maps the port names Capirca's Cisco and Arista generators
// write for the ports trgen uses.
var ciscoPorts = map[string]int{"ssh": 22, "www": 80, "https": 443}

// aclPermits reads Cisco IOS, Arista EOS and Cisco ASA access lists:
// "permit tcp SRC [sport] DST [eq P | range A B]" lines, addresses as
// "host A", "A/len", "A WILDCARD" (IOS) or "A NETMASK" (ASA).
func aclPermits(target string, data []byte) ([]Permit, error) {
	var out []Permit
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		i := slices.Index(f, "permit")
		if i < 0 {
			if slices.Contains(f, "deny") && !slices.Contains(f, "remark") {
				return nil, fmt.Errorf("a deny line: %q", line)
			}
			continue
		}
		if slices.Contains(f[:i], "remark") {
			continue
		}
		rest := f[i+1:]
		if len(rest) == 0 || rest[0] != "tcp" {
			return nil, fmt.Errorf("not a TCP permit: %q", line)
		}
		rest = rest[1:]
		addr := func() (netip.Prefix, error) {
			if len(rest) == 0 {
				return netip.Prefix{}, fmt.Errorf("missing address in %q", line)
			}
			switch w := rest[0]; {
			case w == "host" && len(rest) > 1:
				a := rest[1]
				rest = rest[2:]
				return ParsePrefix(a)
			case strings.HasPrefix(w, "any"):
				return netip.Prefix{}, fmt.Errorf("'any' in %q", line)
			case strings.Contains(w, "/"):
				rest = rest[1:]
				return ParsePrefix(w)
			default:
				a, err := netip.ParseAddr(w)
				if err != nil || len(rest) < 2 {
					return netip.Prefix{}, fmt.Errorf("address %q in %q", w, line)
				}
				m, err := netip.ParseAddr(rest[1])
				if err != nil {
					return netip.Prefix{}, fmt.Errorf("mask %q in %q", rest[1], line)
				}
				rest = rest[2:]
				bits := maskBits(m, target != "ciscoasa")
				if bits < 0 {
					return netip.Prefix{}, fmt.Errorf("mask %s in %q is not contiguous", m, line)
				}
				return netip.PrefixFrom(a, bits).Masked(), nil
			}
		}
		ports := func() ([]int, error) {
			if len(rest) == 0 || (rest[0] != "eq" && rest[0] != "range") {
				return nil, nil
			}
			num := func(s string) (int, error) {
				if n, ok := ciscoPorts[s]; ok {
					return n, nil
				}
				return strconv.Atoi(s)
			}
			if rest[0] == "eq" && len(rest) > 1 {
				n, err := num(rest[1])
				rest = rest[2:]
				return []int{n}, err
			}
			if len(rest) < 3 {
				return nil, fmt.Errorf("range in %q", line)
			}
			a, err1 := num(rest[1])
			b, err2 := num(rest[2])
			rest = rest[3:]
			if err1 != nil || err2 != nil || b < a {
				return nil, fmt.Errorf("range in %q", line)
			}
			var ps []int
			for p := a; p <= b; p++ {
				ps = append(ps, p)
			}
			return ps, nil
		}
		src, err := addr()
		if err != nil {
			return nil, err
		}
		if sp, err := ports(); err != nil || sp != nil {
			return nil, fmt.Errorf("a source port in %q", line)
		}
		dst, err := addr()
		if err != nil {
			return nil, err
		}
		dp, err := ports()
		if err != nil || dp == nil {
			return nil, fmt.Errorf("no destination port in %q", line)
		}
		if len(rest) > 0 {
			return nil, fmt.Errorf("unexpected %v in %q", rest, line)
		}
		out = append(out, cross([]netip.Prefix{src}, []netip.Prefix{dst}, dp)...)
	}
	return out, nil
}

// maskBits returns the prefix length of an IPv4 netmask (or, wildcard,
// of its inverse), -1 when it is not contiguous.
func maskBits(m netip.Addr, wildcard bool) int {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if wildcard {
		v = ^v
	}
	bits := 0
	for bits < 32 && v&(1<<(31-bits)) != 0 {
		bits++
	}
	if v<<bits != 0 {
		return -1
	}
	return bits
}
