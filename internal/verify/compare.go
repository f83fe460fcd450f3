package verify

import (
	"fmt"
	"slices"
	"strings"
)

// Item statuses.
const (
	Present    = "present"
	Missing    = "missing"
	Different  = "different"
	Unexpected = "unexpected" // trgen's, present, no longer expected
	Unknown    = "unknown"
	NotReady   = "not-ready" // a readiness error
	Advice     = "advice"    // a readiness warning
)

// Areas an item belongs to.
const (
	AreaFirewall    = "firewall"
	AreaAuditRule   = "audit-rule"
	AreaAuditStatus = "audit-status"
	AreaReadiness   = "readiness"
	AreaSensor      = "sensor"
	AreaExclusion   = "exclusion"
)

// Item is one thing verify compared on an endpoint that is not simply
// present.
type Item struct {
	Area     string `json:"area"`
	ID       string `json:"id"`
	Status   string `json:"status"`
	Expected string `json:"expected,omitempty"`
	Found    string `json:"found,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// Endpoint states.
const (
	StateMatch    = "match"
	StateDrift    = "drift"
	StateUnknown  = "unknown"
	StateNotReady = "not-ready"
)

// Endpoint is the verdict on one endpoint.
type Endpoint struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	Group   string `json:"group"`
	State   string `json:"state"`
	// Present counts the expected items found as requested.
	Present int `json:"present"`
	// Items are the items not present as requested, in area order.
	Items []Item `json:"items"`
	// Unreadable are the endpoint's rows that could not be read.
	Unreadable []string `json:"unreadable,omitempty"`
	// Facts are what the sensor reported about the endpoint.
	Facts map[string]string `json:"facts,omitempty"`
}

// setState sets State from the items: any drift (missing, different,
// unexpected) or unreadable row is drift; else a readiness error is
// not-ready; else an unknown item is unknown.
func (e *Endpoint) setState() {
	e.State = StateMatch
	rank := map[string]int{StateMatch: 0, StateUnknown: 1, StateNotReady: 2, StateDrift: 3}
	raise := func(s string) {
		if rank[s] > rank[e.State] {
			e.State = s
		}
	}
	if len(e.Unreadable) > 0 {
		raise(StateDrift)
	}
	for _, it := range e.Items {
		switch it.Status {
		case Missing, Different, Unexpected:
			raise(StateDrift)
		case NotReady:
			raise(StateNotReady)
		case Unknown:
			raise(StateUnknown)
		}
	}
}

// collector gathers one endpoint's rows and compares them with its
// group's expectations. It keeps what it needs of each row, not the row.
type collector struct {
	exp        *Expected
	sensor     string
	facts      map[string]string
	status     map[string]string
	unknown    map[string]string
	absent     map[string]string
	seen       uint32               // kindBit of each row kind reported, absent ones included
	fw         map[string]*observed // by flow and family
	hooked     map[string]bool      // by row kind
	tuples     map[tuple]bool       // firewalld
	rejected   []string             // firewalld rich rules that are not accept
	auditSeen  []int
	auditExtra []string
	unreadable []string
	// win are the Windows rules by lower-case name; defPaths and
	// defProcs the Defender exclusions, lower case.
	win                map[string][]winRule
	defPaths, defProcs map[string]bool
	// mdatpHave are the managed configuration's exclusions, "type\x00path".
	mdatpHave map[string]bool
}

func newCollector(exp *Expected) *collector {
	return &collector{exp: exp, facts: map[string]string{}, status: map[string]string{}, auditSeen: make([]int, len(exp.Audit))}
}

// kindBit is a row kind's bit in collector.seen.
func kindBit(kind string) uint32 {
	for i, k := range []string{KindAuditStatus, KindAuditRule, KindNftables, KindIptables, KindIp6tables, KindFirewalld, KindWindowsFirewall, KindMdatpManaged} {
		if k == kind {
			return 1 << i
		}
	}
	return 1 << 31
}

func (c *collector) see(kind string)      { c.seen |= kindBit(kind) }
func (c *collector) saw(kind string) bool { return c.seen&kindBit(kind) != 0 }

// put sets m[k], making the map on its first entry: most endpoints
// never fill most of a collector's maps.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// maxUnreadable bounds the unreadable rows kept per endpoint; the count
// goes on.
const maxUnreadable = 20

func (c *collector) bad(format string, args ...any) {
	if len(c.unreadable) < maxUnreadable {
		c.unreadable = append(c.unreadable, fmt.Sprintf(format, args...))
	} else if len(c.unreadable) == maxUnreadable {
		c.unreadable = append(c.unreadable, "… more unreadable rows")
	}
}

// add takes one row.
func (c *collector) add(r Row) {
	switch r.Kind {
	case KindFact:
		if r.Item == "sensor" {
			c.sensor = r.Value
			c.facts["sensor"] = r.Value
			return
		}
		if len(c.facts) < 64 {
			c.facts[strings.Clone(r.Item)] = strings.Clone(r.Value)
		}
	case KindUnknown:
		put(&c.unknown, strings.Clone(r.Item), strings.Clone(r.Value))
	case KindAbsent:
		put(&c.absent, strings.Clone(r.Item), strings.Clone(r.Value))
		c.see(r.Item)
	case KindAuditStatus:
		c.status[strings.Clone(r.Item)] = strings.Clone(r.Value)
		c.see(KindAuditStatus)
	case KindAuditRule:
		c.see(KindAuditRule)
		if r.Value == "No rules" {
			return
		}
		c.auditRule(r.Value)
	case KindNftables:
		c.see(KindNftables)
		rules, hooked, err := c.exp.nft(r.Value)
		if err != nil {
			c.bad("nftables %s: %v", clip(r.Item), err)
			return
		}
		put(&c.hooked, KindNftables, c.hooked[KindNftables] || hooked)
		for k, o := range rules {
			c.observe(k, o)
		}
	case KindIptables, KindIp6tables:
		c.see(r.Kind)
		l, err := parseIptables(r.Value)
		if err != nil {
			c.bad("%s row %s: %v", r.Kind, clip(r.Item), err)
			return
		}
		if l.Chain == "OUTPUT" && l.Jump != "" {
			put(&c.hooked, r.Kind, true)
			return
		}
		if flow, ok := flowOfComment(l.Comment); ok {
			fam := "ipv4"
			if r.Kind == KindIp6tables {
				fam = "ipv6"
			}
			o := l.rule
			c.observe(flow+" "+fam, &o)
		}
	case KindWindowsFirewall:
		c.see(KindWindowsFirewall)
		rules, err := parseWindowsRules(r.Value)
		if err != nil {
			c.bad("windows-firewall %s: %v", clip(r.Item), err)
			return
		}
		for _, w := range rules {
			k := strings.ToLower(w.Name)
			if len(c.win[k]) < 8 {
				put(&c.win, k, append(c.win[k], w))
			}
		}
	case KindMdatpManaged:
		c.see(KindMdatpManaged)
		if err := c.mdatpManaged(r.Value); err != nil {
			c.bad("mdatp-managed %s: %v", clip(r.Item), err)
		}
	case KindDefenderPath:
		put(&c.defPaths, strings.ToLower(r.Value), true)
	case KindDefenderProcess:
		put(&c.defProcs, strings.ToLower(r.Value), true)
	case KindFirewalld:
		c.see(KindFirewalld)
		t, accept, err := parseRichRule(r.Value)
		if err != nil {
			c.bad("firewalld row %s: %v", clip(r.Item), err)
			return
		}
		if !accept {
			c.rejected = append(c.rejected, strings.Clone(r.Value))
			return
		}
		put(&c.tuples, t, true)
	}
}

func (c *collector) observe(key string, o *observed) {
	if prev, ok := c.fw[key]; ok {
		prev.merge(*o)
		return
	}
	// A copy: o may be a cached listing's, shared by other endpoints.
	cp := observed{Ports: slices.Clone(o.Ports), Addresses: slices.Clone(o.Addresses), Protocol: o.Protocol, Accept: o.Accept}
	cp.normalize()
	put(&c.fw, key, &cp)
}

func (c *collector) auditRule(text string) {
	te := c.exp.lookup(text)
	if !te.ok {
		c.bad("audit rule %q: not a rule auditctl lists", clip(text))
		return
	}
	for _, i := range te.idx {
		if c.auditSeen[i] == 0 {
			c.auditSeen[i]++
			return
		}
	}
	if len(te.idx) > 0 {
		return // loaded twice: the kernel refuses a duplicate, so a listing never shows one
	}
	if c.exp.auditKeys[te.key] && len(c.auditExtra) < 200 {
		c.auditExtra = append(c.auditExtra, strings.Clone(text))
	}
}

// finish compares what was gathered with the expectations.
func (c *collector) finish(ep *Endpoint) {
	ep.Facts = c.facts
	ep.Unreadable = c.unreadable
	add := func(it Item) { ep.Items = append(ep.Items, it) }
	if c.sensor == "" {
		detail := "no row of trgen's sensor: the endpoint did not answer, or answered with another sensor"
		if a := c.unknown["answer"]; a != "" {
			detail = "Tanium's answer for the endpoint is " + a + ", not the sensor's rows"
		}
		add(Item{Area: AreaSensor, ID: "sensor", Status: Unknown, Detail: detail})
		ep.setState()
		return
	}
	switch c.sensor {
	case FormatLinux:
		c.firewall(ep, add)
		c.audit(ep, add)
		c.mdatp(ep, add)
	case FormatMacOS:
		c.mdatp(ep, add)
	case FormatWindows:
		c.windowsFirewall(ep, add)
		c.defender(ep, add)
	default:
		add(Item{Area: AreaSensor, ID: "sensor", Status: Unknown, Found: c.sensor, Detail: "rows of another sensor format: update the sensor from this output's verify/"})
	}
	ep.setState()
}

// firewallRows are the row kinds each host firewall's rules come in.
var firewallRows = map[string][]string{"nftables": {KindNftables}, "iptables": {KindIptables, KindIp6tables}, "firewalld": {KindFirewalld}}

func (c *collector) firewall(ep *Endpoint, add func(Item)) {
	kinds, known := firewallRows[c.exp.Firewall]
	if c.exp.Firewall == "" {
		return
	}
	if c.exp.Firewall == "windows" {
		add(Item{Area: AreaFirewall, ID: "windows", Status: Unknown, Detail: "a Windows group's endpoint answered with the Linux sensor's rows"})
		return
	}
	if !known {
		add(Item{Area: AreaFirewall, ID: c.exp.Firewall, Status: Unknown, Detail: "the Linux sensor does not read " + c.exp.Firewall + " rules"})
		return
	}
	// A listing that could not be read makes every rule of it unknown.
	for _, k := range kinds {
		if why, ok := c.unknown[k]; ok && !c.saw(k) {
			n := 0
			for _, r := range c.exp.Rules {
				if k != KindIp6tables || r.Family == "ipv6" {
					n++
				}
			}
			add(Item{Area: AreaFirewall, ID: k, Status: Unknown, Detail: fmt.Sprintf("%d expected rules not read: %s", n, why)})
			return
		}
		if !c.saw(k) {
			add(Item{Area: AreaFirewall, ID: k, Status: Unknown, Detail: "the sensor reported nothing for " + k})
			return
		}
	}
	if c.exp.Firewall == "firewalld" {
		c.firewalld(ep, add)
		return
	}
	families := map[string]bool{}
	for _, r := range c.exp.Rules {
		families[r.Family] = true
		kind := kinds[0]
		if r.Family == "ipv6" && len(kinds) > 1 {
			kind = kinds[1]
		}
		o, found := c.fw[r.ID()]
		switch {
		case c.absent[kind] != "":
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Missing, Expected: r.Describe(), Detail: c.absent[kind]})
		case !found:
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Missing, Expected: r.Describe()})
		case o.Protocol != "tcp" || !slices.Equal(o.Ports, []int{r.Port}) || !slices.Equal(o.Addresses, r.Addresses) || !o.Accept:
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Different, Expected: r.Describe(), Found: o.describe(r.Peer)})
		default:
			ep.Present++
		}
	}
	// The chain must be reached: iptables' from OUTPUT, nftables' by
	// its hook.
	for i, k := range kinds {
		fam := []string{"ipv4", "ipv6"}[i]
		if !families[fam] || c.absent[k] != "" {
			continue
		}
		if c.hooked[k] {
			ep.Present++
			continue
		}
		what := "no chain of the table hooks output"
		if k != KindNftables {
			what = "OUTPUT does not jump to the chain: the rules are never reached"
		}
		add(Item{Area: AreaFirewall, ID: k + " hook", Status: Missing, Detail: what})
	}
	expected := map[string]bool{}
	for _, r := range c.exp.Rules {
		expected[r.ID()] = true
	}
	keys := make([]string, 0, len(c.fw))
	for k := range c.fw {
		if !expected[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(Item{Area: AreaFirewall, ID: k, Status: Unexpected, Found: c.fw[k].describe("flow no longer in this output"),
			Detail: "a trgen rule of a flow this output no longer asks for: reload the group's firewall file"})
	}
}

func (c *collector) firewalld(ep *Endpoint, add func(Item)) {
	used := map[tuple]bool{}
	lacking := make([][]string, len(c.exp.Rules))
	// First every rule's rich rules that are there, then what the rest
	// became: a rule whose port changed must not take another's.
	for i, r := range c.exp.Rules {
		for _, a := range r.Addresses {
			t := tuple{Family: r.Family, Address: a, Protocol: "tcp", Port: r.Port}
			if c.tuples[t] {
				used[t] = true
			} else {
				lacking[i] = append(lacking[i], a)
			}
		}
	}
	for i, r := range c.exp.Rules {
		switch {
		case c.absent[KindFirewalld] != "":
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Missing, Expected: r.Describe(), Detail: c.absent[KindFirewalld]})
		case len(lacking[i]) == 0:
			ep.Present++
		case len(lacking[i]) < len(r.Addresses):
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Different, Expected: r.Describe(), Detail: "no rich rule for " + strings.Join(lacking[i], ", ")})
		default:
			if port, ok := c.movedPort(r, used); ok {
				add(Item{Area: AreaFirewall, ID: r.ID(), Status: Different, Expected: r.Describe(),
					Found: fmt.Sprintf("tcp/%d to %s", port, strings.Join(r.Addresses, ", "))})
				continue
			}
			add(Item{Area: AreaFirewall, ID: r.ID(), Status: Missing, Expected: r.Describe()})
		}
	}
	var extra []string
	for t := range c.tuples {
		if !used[t] {
			extra = append(extra, fmt.Sprintf("%s %s/%d to %s", t.Family, t.Protocol, t.Port, t.Address))
		}
	}
	slices.Sort(extra)
	for _, x := range extra {
		add(Item{Area: AreaFirewall, ID: "rich rule", Status: Unexpected, Found: x, Detail: "in trgen's policy, for no flow this output asks for"})
	}
	for _, x := range c.rejected {
		add(Item{Area: AreaFirewall, ID: "rich rule", Status: Unexpected, Found: x, Detail: "trgen's policy holds only accept rules"})
	}
}

// movedPort finds, for a rule none of whose rich rules is there, unused
// rich rules to each of its addresses on one other port: the rule with
// its port changed. It marks them used.
func (c *collector) movedPort(r FirewallRule, used map[tuple]bool) (int, bool) {
	ports := map[int]int{}
	for t := range c.tuples {
		if !used[t] && t.Family == r.Family && t.Protocol == "tcp" && slices.Contains(r.Addresses, t.Address) {
			ports[t.Port]++
		}
	}
	for port, n := range ports {
		if n == len(r.Addresses) && len(ports) == 1 {
			for _, a := range r.Addresses {
				used[tuple{Family: r.Family, Address: a, Protocol: "tcp", Port: port}] = true
			}
			return port, true
		}
	}
	return 0, false
}

func (c *collector) audit(ep *Endpoint, add func(Item)) {
	if len(c.exp.Audit) == 0 && len(c.exp.Status) == 0 {
		return
	}
	if why, ok := c.unknown[KindAuditRule]; ok && !c.saw(KindAuditRule) {
		add(Item{Area: AreaAuditRule, ID: "auditctl -l", Status: Unknown, Detail: fmt.Sprintf("%d expected rules not read: %s", len(c.exp.Audit), why)})
	} else if !c.saw(KindAuditRule) {
		add(Item{Area: AreaAuditRule, ID: "auditctl -l", Status: Unknown, Detail: "the sensor reported no audit rules"})
	} else {
		for i, r := range c.exp.Audit {
			if c.auditSeen[i] > 0 {
				ep.Present++
				continue
			}
			add(Item{Area: AreaAuditRule, ID: r.File, Status: Missing, Expected: r.Text})
		}
		for _, x := range c.auditExtra {
			add(Item{Area: AreaAuditRule, ID: auditKey(x), Status: Unexpected, Found: x, Detail: "a rule with trgen's key that this output no longer writes"})
		}
	}
	if why, ok := c.unknown[KindAuditStatus]; ok && !c.saw(KindAuditStatus) {
		add(Item{Area: AreaAuditStatus, ID: "auditctl -s", Status: Unknown, Detail: why})
		return
	}
	for _, s := range c.exp.Status {
		got, ok := c.status[s.Key]
		got, _, _ = strings.Cut(got, " ") // "loginuid_immutable 0 unlocked"
		switch {
		case !ok:
			add(Item{Area: AreaAuditStatus, ID: s.Key, Status: Unknown, Expected: s.Value, Detail: "auditctl -s did not print it (set by " + s.Line + ")"})
		case got != s.Value:
			add(Item{Area: AreaAuditStatus, ID: s.Key, Status: Different, Expected: s.Value, Found: got, Detail: "set by " + s.Line})
		default:
			ep.Present++
		}
	}
}
