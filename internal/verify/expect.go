package verify

import (
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/plan"
	"github.com/trgen/trgen/internal/state"
)

// Expected is what the endpoints of one group should hold, from state.json.
type Expected struct {
	Group string
	// Firewall is the group's host firewall kind, "" when trgen wrote
	// none for it; Rules the rules its files hold, one per flow and
	// address family.
	Firewall string
	Rules    []FirewallRule
	// Audit are the group's audit rules (not the control lines), in the
	// order augenrules loads them; Status what the control lines set,
	// by the key auditctl -s prints.
	Audit  []AuditRule
	Status []StatusValue

	// WindowsRules are the rules of a Windows group's script, by their
	// names; WindowsPrefix starts every rule name of its file.
	WindowsRules  []WindowsRule
	WindowsPrefix string
	// DefenderPaths and DefenderProcesses are the Defender exclusion
	// lists the group's script adds (every entry as a path, the
	// executables also as processes, as exclusions/defender-*.ps1 does).
	DefenderPaths, DefenderProcesses []string
	// MdatpPaths and MdatpNames are the excludedPath and excludedFileName
	// items trgen's Linux fragment or macOS profile holds (every entry as
	// a path, the executables also by name, as generate's mdatpConfig
	// builds them).
	MdatpPaths, MdatpNames []string

	auditByForm map[string][]int
	// auditKeys are the keys of trgen's own rules (not the site's): a
	// listed rule with one of them and no expected kernel form is trgen's
	// and no longer expected.
	auditKeys map[string]bool
	// byText caches what a listed rule's text is to this group, up to
	// maxByText texts: endpoints list the same rules.
	byText   map[string]textEntry
	nftCache map[string]nftParsed
}

// textEntry is what a listed rule's text is to a group: the indexes of
// the expected rules of its kernel form, its key, whether it has a kernel
// form at all.
type textEntry struct {
	idx []int
	key string
	ok  bool
}

const maxByText = 100_000

// nftParsed is one table listing, read.
type nftParsed struct {
	rules  map[string]*observed
	hooked bool
	err    error
}

// maxNft bounds the table listings a group remembers: its endpoints
// mostly list the same table.
const maxNft = 1000

// nft reads a table listing (parseNft), from the cache when another
// endpoint of the group listed the same. The rules are shared: callers
// copy what they keep (collector.observe does).
func (e *Expected) nft(js string) (map[string]*observed, bool, error) {
	if p, hit := e.nftCache[js]; hit {
		return p.rules, p.hooked, p.err
	}
	rules, hooked, err := parseNft(js)
	if e.nftCache == nil {
		e.nftCache = map[string]nftParsed{}
	}
	if len(e.nftCache) < maxNft {
		e.nftCache[strings.Clone(js)] = nftParsed{rules, hooked, err}
	}
	return rules, hooked, err
}

// lookup is text's entry, from the cache or computed.
func (e *Expected) lookup(text string) textEntry {
	if te, hit := e.byText[text]; hit {
		return te
	}
	form, ok := kernelForm(text)
	te := textEntry{idx: e.auditByForm[form], key: auditKey(text), ok: ok}
	if e.byText == nil {
		e.byText = map[string]textEntry{}
	}
	if len(e.byText) < maxByText {
		e.byText[strings.Clone(text)] = te
	}
	return te
}

// FirewallRule is one host firewall rule trgen wrote.
type FirewallRule struct {
	Flow   string
	Family string // "ipv4" or "ipv6"
	Port   int
	Peer   string
	// Addresses are canonical prefixes, sorted.
	Addresses []string
}

// ID names the rule in a report.
func (r FirewallRule) ID() string { return r.Flow + " " + r.Family }

// Describe is the rule as a report shows it.
func (r FirewallRule) Describe() string {
	return fmt.Sprintf("tcp/%d to %s (%s)", r.Port, strings.Join(r.Addresses, ", "), r.Peer)
}

// WindowsRule is one Windows Defender Firewall rule trgen wrote.
type WindowsRule struct {
	Name, Flow, Direction, Peer string
	Port                        int
	// Addresses are canonical prefixes, sorted.
	Addresses []string
}

// Describe is the rule as a report shows it.
func (r WindowsRule) Describe() string {
	return fmt.Sprintf("%s tcp/%d, remote %s (%s)", r.Direction, r.Port, strings.Join(r.Addresses, ", "), r.Peer)
}

// AuditRule is one audit rule trgen wrote.
type AuditRule struct {
	Text, File string
	form       string
}

// StatusValue is one value of auditctl -s that a control line sets.
type StatusValue struct {
	Key, Value, Line string
}

// statusOf maps the control options to auditctl -s's keys.
var statusOf = map[string]string{"-e": "enabled", "-f": "failure", "-b": "backlog_limit", "--backlog_wait_time": "backlog_wait_time", "-r": "rate_limit"}

// Expect reads what group's endpoints should hold from st.
func Expect(st *state.State, group string) (*Expected, error) {
	e := &Expected{Group: group, auditByForm: map[string][]int{}, auditKeys: map[string]bool{}}
	host := "endpoint_group." + group
	for _, hf := range st.HostFirewalls {
		if hf.Host != host {
			continue
		}
		e.Firewall = hf.Kind
		if hf.Kind == "windows" {
			target := strings.TrimSuffix(path.Base(hf.Path), ".ps1")
			e.WindowsPrefix = plan.WindowsRulePrefix(target)
			for _, r := range hf.Rules {
				var addrs []string
				for _, a := range r.Addresses {
					p, err := prefix(a)
					if err != nil {
						return nil, fmt.Errorf("state.json: %s: flow %s: %v", hf.Path, r.Flow, err)
					}
					addrs = append(addrs, p.String())
				}
				slices.Sort(addrs)
				e.WindowsRules = append(e.WindowsRules, WindowsRule{Name: e.WindowsPrefix + r.Flow, Flow: r.Flow, Direction: r.Direction,
					Port: r.Port, Peer: r.Peer, Addresses: slices.Compact(addrs)})
			}
			continue
		}
		for _, r := range hf.Rules {
			byFamily := map[string][]string{}
			for _, a := range r.Addresses {
				p, err := prefix(a)
				if err != nil {
					return nil, fmt.Errorf("state.json: %s: flow %s: %v", hf.Path, r.Flow, err)
				}
				fam := "ipv4"
				if p.Addr().Is6() {
					fam = "ipv6"
				}
				if hf.Family != "" && hf.Family != fam {
					continue
				}
				byFamily[fam] = append(byFamily[fam], p.String())
			}
			for _, fam := range []string{"ipv4", "ipv6"} {
				if addrs := byFamily[fam]; len(addrs) > 0 {
					slices.Sort(addrs)
					e.Rules = append(e.Rules, FirewallRule{Flow: r.Flow, Family: fam, Port: r.Port, Peer: r.Peer, Addresses: slices.Compact(addrs)})
				}
			}
		}
	}
	slices.SortFunc(e.Rules, func(a, b FirewallRule) int { return strings.Compare(a.ID(), b.ID()) })
	target := plan.HostTarget("endpoint_group", group)
	for _, x := range st.Exclusions {
		if x.Target != target {
			continue
		}
		paths, procs := &e.DefenderPaths, &e.DefenderProcesses
		if x.OS != "windows" {
			paths, procs = &e.MdatpPaths, &e.MdatpNames
		}
		for _, en := range x.Entries {
			*paths = append(*paths, en.Path)
			if en.Kind == "process" {
				*procs = append(*procs, en.Path)
			}
		}
	}
	for _, rs := range st.AuditRules {
		if rs.Group != group {
			continue
		}
		files := slices.Clone(rs.Files)
		slices.SortFunc(files, func(a, b state.AuditFile) int {
			return auditrule.FileVerCmp(a.Path[strings.LastIndex(a.Path, "/")+1:], b.Path[strings.LastIndex(b.Path, "/")+1:])
		})
		status := map[string]StatusValue{}
		for _, f := range files {
			for _, text := range f.Rules {
				fields := strings.Fields(text)
				if len(fields) == 0 {
					continue
				}
				if key, ok := statusOf[fields[0]]; ok && len(fields) == 2 {
					status[key] = StatusValue{Key: key, Value: fields[1], Line: text}
					continue
				}
				if !strings.HasPrefix(fields[0], "-w") && !strings.HasPrefix(fields[0], "-a") && !strings.HasPrefix(fields[0], "-A") {
					continue // -D, -c, -i and the other control lines set nothing auditctl -s shows
				}
				form, ok := kernelForm(text)
				if !ok {
					return nil, fmt.Errorf("state.json: %s: %q has no kernel form", f.Path, text)
				}
				e.auditByForm[form] = append(e.auditByForm[form], len(e.Audit))
				e.Audit = append(e.Audit, AuditRule{Text: text, File: f.Path, form: form})
				if k := auditKey(text); k != "" && path.Base(f.Path) != plan.AuditSiteFile {
					// The site's own rules share their keys with the
					// host's: only trgen's keys mark a rule as trgen's.
					e.auditKeys[k] = true
				}
			}
		}
		for _, k := range []string{"enabled", "failure", "backlog_limit", "backlog_wait_time", "rate_limit"} {
			if v, ok := status[k]; ok {
				e.Status = append(e.Status, v)
			}
		}
	}
	return e, nil
}

// prefix reads an address or CIDR as a canonical prefix.
func prefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// auditKey is the key of an audit rule (-k or -F key=), "" if none.
func auditKey(text string) string {
	f := strings.Fields(text)
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == "-k" && i+1 < len(f):
			return f[i+1]
		case f[i] == "-F" && i+1 < len(f) && strings.HasPrefix(f[i+1], "key="):
			return strings.TrimPrefix(f[i+1], "key=")
		case strings.HasPrefix(f[i], "-k") && len(f[i]) > 2:
			return f[i][2:]
		}
	}
	return ""
}
