package verify

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// observed is one trgen rule found on a host: what it matches.
type observed struct {
	Ports     []int
	Addresses []string
	Protocol  string
	Accept    bool
}

func (o *observed) describe(peer string) string {
	ports := make([]string, len(o.Ports))
	for i, p := range o.Ports {
		ports[i] = strconv.Itoa(p)
	}
	verdict := ""
	if !o.Accept {
		verdict = ", not accept"
	}
	return fmt.Sprintf("%s/%s to %s (%s)%s", cmpOr(o.Protocol, "any"), cmpOr(strings.Join(ports, ","), "any port"), cmpOr(strings.Join(o.Addresses, ", "), "any address"), peer, verdict)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// merge adds another rule of the same flow and family (iptables-save
// lists one rule per address).
func (o *observed) merge(p observed) {
	o.Ports = append(o.Ports, p.Ports...)
	o.Addresses = append(o.Addresses, p.Addresses...)
	if o.Protocol != p.Protocol {
		o.Protocol = o.Protocol + "," + p.Protocol
	}
	o.Accept = o.Accept && p.Accept
	o.normalize()
}

// normalize sorts the ports and addresses and drops repeats, as the
// expected rules hold them.
func (o *observed) normalize() {
	slices.Sort(o.Ports)
	o.Ports = slices.Compact(o.Ports)
	slices.Sort(o.Addresses)
	o.Addresses = slices.Compact(o.Addresses)
}

// flowOfComment reads the flow id from a rule comment trgen wrote,
// "trgen <id> <peer>".
func flowOfComment(c string) (string, bool) {
	f := strings.Fields(c)
	if len(f) < 2 || f[0] != "trgen" {
		return "", false
	}
	return f[1], true
}

// nftDoc is the part of `nft -j list table` verify reads
// (libnftables-json(5)).
type nftDoc struct {
	Nftables []struct {
		Chain *struct {
			Name string `json:"name"`
			Hook string `json:"hook"`
		} `json:"chain"`
		Rule *struct {
			Comment string     `json:"comment"`
			Expr    []nftMatch `json:"expr"`
		} `json:"rule"`
	} `json:"nftables"`
}

type nftMatch struct {
	Match *struct {
		Op   string `json:"op"`
		Left struct {
			Payload *struct {
				Protocol string `json:"protocol"`
				Field    string `json:"field"`
			} `json:"payload"`
		} `json:"left"`
		Right json.RawMessage `json:"right"`
	} `json:"match"`
	// Accept is "null" for {"accept": null}: a RawMessage keeps the
	// literal, so that the key's presence shows.
	Accept json.RawMessage `json:"accept"`
}

// parseNft reads trgen's rules of one table listing: by flow and family.
// hooked says whether a chain of the table hooks output.
func parseNft(js string) (rules map[string]*observed, hooked bool, err error) {
	var doc nftDoc
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		return nil, false, fmt.Errorf("nft -j: %v", err)
	}
	rules = map[string]*observed{}
	for _, o := range doc.Nftables {
		if o.Chain != nil && o.Chain.Hook == "output" {
			hooked = true
		}
		if o.Rule == nil {
			continue
		}
		flow, ok := flowOfComment(o.Rule.Comment)
		if !ok {
			continue
		}
		var ob observed
		family := ""
		for _, e := range o.Rule.Expr {
			if e.Accept != nil {
				ob.Accept = true // {"accept": null}
			}
			if e.Match == nil || e.Match.Left.Payload == nil || e.Match.Op != "==" {
				continue
			}
			pl := e.Match.Left.Payload
			switch {
			case (pl.Protocol == "ip" || pl.Protocol == "ip6") && pl.Field == "daddr":
				family = map[string]string{"ip": "ipv4", "ip6": "ipv6"}[pl.Protocol]
				addrs, err := nftAddresses(e.Match.Right)
				if err != nil {
					return nil, false, fmt.Errorf("nft -j: rule %s: %v", flow, err)
				}
				ob.Addresses = append(ob.Addresses, addrs...)
			case pl.Field == "dport":
				ob.Protocol = pl.Protocol
				ports, err := nftPorts(e.Match.Right)
				if err != nil {
					return nil, false, fmt.Errorf("nft -j: rule %s: %v", flow, err)
				}
				ob.Ports = append(ob.Ports, ports...)
			}
		}
		key := flow + " " + family
		if prev, ok := rules[key]; ok {
			prev.merge(ob)
		} else {
			ob.normalize()
			rules[key] = &ob
		}
	}
	return rules, hooked, nil
}

// nftAddresses reads the right side of an address match: an address, a
// prefix, or a set of them.
func nftAddresses(raw json.RawMessage) ([]string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		p, err := prefix(s)
		if err != nil {
			return nil, err
		}
		return []string{p.String()}, nil
	}
	var pre struct {
		Prefix *struct {
			Addr string `json:"addr"`
			Len  int    `json:"len"`
		} `json:"prefix"`
		Set []json.RawMessage `json:"set"`
	}
	if err := json.Unmarshal(raw, &pre); err != nil {
		return nil, fmt.Errorf("address %s: %v", clip(string(raw)), err)
	}
	if pre.Prefix != nil {
		p, err := prefix(pre.Prefix.Addr + "/" + strconv.Itoa(pre.Prefix.Len))
		if err != nil {
			return nil, err
		}
		return []string{p.String()}, nil
	}
	var out []string
	for _, e := range pre.Set {
		a, err := nftAddresses(e)
		if err != nil {
			return nil, err
		}
		out = append(out, a...)
	}
	if pre.Set == nil {
		return nil, fmt.Errorf("address %s: not an address, prefix or set", clip(string(raw)))
	}
	return out, nil
}

// nftPorts reads the right side of a port match: a port or a set.
func nftPorts(raw json.RawMessage) ([]int, error) {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return []int{n}, nil
	}
	var set struct {
		Set []int `json:"set"`
	}
	if err := json.Unmarshal(raw, &set); err != nil || set.Set == nil {
		return nil, fmt.Errorf("port %s: not a port or a set of ports", clip(string(raw)))
	}
	return set.Set, nil
}

// iptLine is one line of iptables-save that verify reads.
type iptLine struct {
	Chain, Jump, Comment string
	rule                 observed
}

// parseIptables reads one `-A CHAIN …` line of iptables-save.
func parseIptables(line string) (iptLine, error) {
	toks, err := splitQuoted(line)
	if err != nil {
		return iptLine{}, err
	}
	var l iptLine
	for i := 0; i < len(toks); i++ {
		opt := toks[i]
		switch opt {
		case "-A", "-d", "-p", "--dport", "--comment", "-j":
		default:
			continue
		}
		if i+1 >= len(toks) {
			return iptLine{}, fmt.Errorf("%s without a value", opt)
		}
		i++
		v := toks[i]
		switch opt {
		case "-A":
			l.Chain = v
		case "-d":
			for _, a := range strings.Split(v, ",") {
				p, err := prefix(a)
				if err != nil {
					return iptLine{}, fmt.Errorf("-d %s: %v", clip(v), err)
				}
				l.rule.Addresses = append(l.rule.Addresses, p.String())
			}
		case "-p":
			l.rule.Protocol = v
		case "--dport":
			n, err := strconv.Atoi(v)
			if err != nil {
				return iptLine{}, fmt.Errorf("--dport %s: not a port", clip(v))
			}
			l.rule.Ports = append(l.rule.Ports, n)
		case "--comment":
			l.Comment = v
		case "-j":
			l.Jump = v
			l.rule.Accept = v == "ACCEPT"
		}
	}
	if l.Chain == "" {
		return iptLine{}, fmt.Errorf("not an -A line")
	}
	return l, nil
}

// splitQuoted splits an iptables-save line into words: iptables-save
// double-quotes a value with blanks (a comment) and escapes " and \ in it.
func splitQuoted(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	in, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			quoted = !quoted
			in = true
		case !quoted && (c == ' ' || c == '\t'):
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("a quote that does not close")
	}
	if in {
		out = append(out, b.String())
	}
	return out, nil
}

// tuple is one firewalld rich rule trgen's policy holds.
type tuple struct {
	Family, Address, Protocol string
	Port                      int
}

// parseRichRule reads a rich rule as firewall-cmd --list-rich-rules
// prints it: rule family="ipv4" destination address="…" port
// port="…" protocol="tcp" accept.
func parseRichRule(s string) (tuple, bool, error) {
	toks, err := splitQuoted(s)
	if err != nil {
		return tuple{}, false, err
	}
	var t tuple
	accept := false
	section := ""
	for _, tok := range toks {
		k, v, kv := strings.Cut(tok, "=")
		if !kv {
			section = tok
			if tok == "accept" {
				accept = true
			}
			continue
		}
		switch {
		case section == "rule" && k == "family":
			t.Family = v
		case section == "destination" && k == "address":
			p, err := prefix(v)
			if err != nil {
				return tuple{}, false, fmt.Errorf("destination address %s: %v", clip(v), err)
			}
			t.Address = p.String()
		case section == "port" && k == "port":
			n, err := strconv.Atoi(v)
			if err != nil {
				return tuple{}, false, fmt.Errorf("port %s: not a port", clip(v))
			}
			t.Port = n
		case section == "port" && k == "protocol":
			t.Protocol = v
		}
	}
	if len(toks) == 0 || toks[0] != "rule" {
		return tuple{}, false, fmt.Errorf("not a rich rule")
	}
	return t, accept, nil
}
