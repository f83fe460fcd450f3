package verify

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// winRule is one Windows Defender Firewall rule as the Windows sensor
// reports it: Get-NetFirewallRule's rule with its port and address
// filters, in ConvertTo-Json's form.
type winRule struct {
	Name                 string
	Enabled, Accept, TCP bool
	Direction            string
	LocalPort            []string
	RemotePort           []string
	RemoteAddress        []string
}

// jsonValues reads a JSON value that ConvertTo-Json may give as a string,
// a number, a boolean, or an array of them (Windows PowerShell unrolls a
// one-element array into its element): its values as strings.
func jsonValues(raw json.RawMessage) []string {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	var out []string
	for _, r := range list {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		if t := strings.TrimSpace(string(r)); t != "null" && t != "" {
			out = append(out, t)
		}
	}
	return out
}

// parseWindowsRules reads the JSON of one or more rules: an object, or an
// array of objects (ConvertTo-Json gives a bare object for one result).
// Enums may come as names ("Outbound", "Allow", "True") or, from
// ConvertTo-Json of the CIM objects themselves, as numbers: Direction 1
// inbound and 2 outbound (NET_FW_RULE_DIRECTION, icftypes.h). Any other
// number is not read as a match.
func parseWindowsRules(js string) ([]winRule, error) {
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &objs); err != nil {
		var one map[string]json.RawMessage
		if err := json.Unmarshal([]byte(js), &one); err != nil {
			return nil, fmt.Errorf("not a rule as JSON: %v", err)
		}
		objs = []map[string]json.RawMessage{one}
	}
	var out []winRule
	for _, o := range objs {
		first := func(k string) string {
			if v := jsonValues(o[k]); len(v) > 0 {
				return strings.ToLower(v[0])
			}
			return ""
		}
		r := winRule{Name: strings.Join(jsonValues(o["Name"]), ""), LocalPort: jsonValues(o["LocalPort"]), RemotePort: jsonValues(o["RemotePort"]),
			RemoteAddress: jsonValues(o["RemoteAddress"])}
		r.Enabled = first("Enabled") == "true"
		r.Accept = first("Action") == "allow"
		r.TCP = first("Protocol") == "tcp" || first("Protocol") == "6"
		switch first("Direction") {
		case "inbound", "1":
			r.Direction = "inbound"
		case "outbound", "2":
			r.Direction = "outbound"
		}
		if r.Name == "" {
			return nil, fmt.Errorf("a rule without a Name")
		}
		out = append(out, r)
	}
	return out, nil
}

// windowsAddress reads one RemoteAddress entry of an address filter: an
// address, a prefix, or an address with a dotted mask
// ("10.10.0.0/255.255.0.0"), as Windows lists them; ok is false for a
// keyword (Any, LocalSubnet, …) or a range.
func windowsAddress(s string) (string, bool) {
	a, m, masked := strings.Cut(strings.TrimSpace(s), "/")
	if masked && strings.Contains(m, ".") {
		mask, err := netip.ParseAddr(m)
		if err != nil || !mask.Is4() {
			return "", false
		}
		b := mask.As4()
		bits := 0
		for _, x := range b {
			for i := 7; i >= 0; i-- {
				if x&(1<<i) == 0 {
					goto done
				}
				bits++
			}
		}
	done:
		s = a + "/" + strconv.Itoa(bits)
	}
	p, err := prefix(s)
	if err != nil {
		return "", false
	}
	return p.String(), true
}

func (r winRule) describe() string {
	var b strings.Builder
	b.WriteString(cmpOr(r.Direction, "no direction"))
	ports := r.RemotePort
	if r.Direction == "inbound" {
		ports = r.LocalPort
	}
	proto := "tcp"
	if !r.TCP {
		proto = "not tcp"
	}
	fmt.Fprintf(&b, " %s/%s, remote %s", proto, strings.Join(ports, ","), strings.Join(r.RemoteAddress, ", "))
	if !r.Enabled {
		b.WriteString(", disabled")
	}
	if !r.Accept {
		b.WriteString(", not allow")
	}
	return b.String()
}

// matches reports whether the rule on the host is the rule trgen wrote.
func (r winRule) matches(want WindowsRule) bool {
	if !r.Enabled || !r.Accept || !r.TCP || r.Direction != want.Direction {
		return false
	}
	ports := r.RemotePort
	if want.Direction == "inbound" {
		ports = r.LocalPort
	}
	if !slices.Equal(ports, []string{strconv.Itoa(want.Port)}) {
		return false
	}
	var addrs []string
	for _, a := range r.RemoteAddress {
		p, ok := windowsAddress(a)
		if !ok {
			return false
		}
		addrs = append(addrs, p)
	}
	slices.Sort(addrs)
	return slices.Equal(slices.Compact(addrs), want.Addresses)
}

func (c *collector) windowsFirewall(ep *Endpoint, add func(Item)) {
	if c.exp.Firewall != "windows" {
		if c.exp.Firewall != "" {
			add(Item{Area: AreaFirewall, ID: c.exp.Firewall, Status: Unknown, Detail: "the group's host firewall is " + c.exp.Firewall + ", which the Windows sensor does not read"})
		}
		return
	}
	switch {
	case c.absent[KindWindowsFirewall] != "":
		for _, r := range c.exp.WindowsRules {
			add(Item{Area: AreaFirewall, ID: r.Name, Status: Missing, Expected: r.Describe(), Detail: c.absent[KindWindowsFirewall]})
		}
		return
	case !c.saw(KindWindowsFirewall):
		why := cmpOr(c.unknown[KindWindowsFirewall], "the sensor reported nothing for the Windows Defender Firewall")
		add(Item{Area: AreaFirewall, ID: "windows-firewall", Status: Unknown, Detail: fmt.Sprintf("%d expected rules not read: %s", len(c.exp.WindowsRules), why)})
		return
	}
	expected := map[string]bool{}
	for _, want := range c.exp.WindowsRules {
		expected[strings.ToLower(want.Name)] = true
		found := c.win[strings.ToLower(want.Name)]
		switch {
		case len(found) == 0:
			add(Item{Area: AreaFirewall, ID: want.Name, Status: Missing, Expected: want.Describe()})
		case !slices.ContainsFunc(found, func(r winRule) bool { return r.matches(want) }):
			add(Item{Area: AreaFirewall, ID: want.Name, Status: Different, Expected: want.Describe(), Found: found[0].describe()})
		default:
			ep.Present++
		}
	}
	var extra []string
	for name, rs := range c.win {
		if !expected[name] && strings.HasPrefix(name, strings.ToLower(c.exp.WindowsPrefix)) {
			extra = append(extra, rs[0].Name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		add(Item{Area: AreaFirewall, ID: name, Status: Unexpected, Found: c.win[strings.ToLower(name)][0].describe(),
			Detail: "a trgen rule of a flow this output no longer asks for: run the group's firewall script again"})
	}
}

// defender compares the Defender exclusion lists, case aside (Windows
// paths are): each entry trgen's script adds, present or missing. The
// host's other exclusions are its own.
func (c *collector) defender(ep *Endpoint, add func(Item)) {
	if len(c.exp.DefenderPaths) == 0 {
		return
	}
	if c.facts["defender"] != "read" {
		why := cmpOr(c.unknown["defender"], "the sensor reported no Defender preferences")
		add(Item{Area: AreaExclusion, ID: "Get-MpPreference", Status: Unknown, Detail: fmt.Sprintf("%d expected exclusions not read: %s", len(c.exp.DefenderPaths)+len(c.exp.DefenderProcesses), why)})
		return
	}
	for _, l := range []struct {
		list string
		want []string
		have map[string]bool
	}{{"ExclusionPath", c.exp.DefenderPaths, c.defPaths}, {"ExclusionProcess", c.exp.DefenderProcesses, c.defProcs}} {
		for _, w := range l.want {
			if l.have[strings.ToLower(w)] {
				ep.Present++
				continue
			}
			add(Item{Area: AreaExclusion, ID: l.list, Status: Missing, Expected: w})
		}
	}
}

// mdatpDoc is the part of Defender for Endpoint's managed configuration
// that holds exclusions: mdatp_managed.json's exclusionSettings on Linux,
// the com.microsoft.wdav preferences' antivirusEngine on macOS (either
// may be found on either).
type mdatpDoc struct {
	ExclusionSettings struct {
		Exclusions []mdatpItem `json:"exclusions"`
	} `json:"exclusionSettings"`
	AntivirusEngine struct {
		Exclusions []mdatpItem `json:"exclusions"`
	} `json:"antivirusEngine"`
}

type mdatpItem struct {
	Type string `json:"$type"`
	Path string `json:"path"`
	Name string `json:"name"`
}

// mdatp compares the managed configuration's exclusions with the ones
// trgen's fragment or profile holds: each present or missing. The
// configuration's other exclusions are the host's own.
func (c *collector) mdatp(ep *Endpoint, add func(Item)) {
	if len(c.exp.MdatpPaths)+len(c.exp.MdatpNames) == 0 {
		return
	}
	n := len(c.exp.MdatpPaths) + len(c.exp.MdatpNames)
	switch {
	case c.absent[KindMdatpManaged] != "" && c.facts["mdatp"] != "installed":
		// No Defender for Endpoint here: whether its exclusions matter
		// (another product's console takes them?) is not for verify to say.
		add(Item{Area: AreaExclusion, ID: "managed configuration", Status: Unknown, Detail: fmt.Sprintf("%d expected exclusions not compared: Defender for Endpoint is %s", n, cmpOr(c.facts["mdatp"], "not reported"))})
		return
	case c.absent[KindMdatpManaged] != "":
		add(Item{Area: AreaExclusion, ID: "managed configuration", Status: Missing, Detail: fmt.Sprintf("%d expected exclusions: %s", n, c.absent[KindMdatpManaged])})
		return
	case !c.saw(KindMdatpManaged):
		why := cmpOr(c.unknown[KindMdatpManaged], "the sensor reported no managed configuration")
		add(Item{Area: AreaExclusion, ID: "managed configuration", Status: Unknown, Detail: fmt.Sprintf("%d expected exclusions not read: %s", n, why)})
		return
	}
	for _, l := range []struct {
		typ  string
		want []string
	}{{"excludedPath", c.exp.MdatpPaths}, {"excludedFileName", c.exp.MdatpNames}} {
		for _, w := range l.want {
			if c.mdatpHave[l.typ+"\x00"+w] {
				ep.Present++
				continue
			}
			add(Item{Area: AreaExclusion, ID: l.typ, Status: Missing, Expected: w})
		}
	}
}

// mdatpManaged reads one managed configuration row.
func (c *collector) mdatpManaged(js string) error {
	var doc mdatpDoc
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		return fmt.Errorf("not JSON of a managed configuration: %v", err)
	}
	for _, it := range append(doc.ExclusionSettings.Exclusions, doc.AntivirusEngine.Exclusions...) {
		v := it.Path
		if it.Type == "excludedFileName" {
			v = it.Name
		}
		put(&c.mdatpHave, it.Type+"\x00"+v, true)
	}
	return nil
}
