// Package fleet checks a real endpoint inventory against a deployment's
// requirements: each endpoint is assigned to an endpoint group (by a group
// column, or the longest network prefix containing its IP address) and
// judged by the same endpoint rules validate applies to the group's
// smallest machine (check.EndpointFindings, check.SizingVerdict). It
// streams: memory grows with the failing endpoints it reports, not with
// the inventory.
package fleet

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gaissmai/bart"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// group is what the rules need of an endpoint group.
type group struct {
	name        string
	os          string
	dbMB        int
	dnsEvents   bool
	eventSource string
}

// Checker judges inventory rows against one deployment.
type Checker struct {
	cat    *catalog.Catalog
	tr     version.Version
	groups []group
	byName map[string]int
	table  bart.Table[int]
	cache  map[cacheKey]verdict
}

type cacheKey struct {
	g                int
	os, osv, version string
}

// verdict is the rule ids an endpoint broke, errors and warnings apart,
// and what each found.
type verdict struct {
	errors, warnings []rule.ID
	findings         []Finding
}

// unmatched is the pseudo-group of endpoints in no group: the group-free
// rules still apply, with the recorder's defaults.
const unmatched = -1

// NewChecker prepares the group table of d, checked against c.
func NewChecker(d *model.Deployment, c *catalog.Catalog) (*Checker, error) {
	tr, err := version.Parse(d.ThreatResponseVersion)
	if err != nil {
		return nil, err
	}
	k := &Checker{cat: c, tr: tr, byName: map[string]int{}, cache: map[cacheKey]verdict{}}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		k.groups = append(k.groups, group{name: g.Name, os: g.OS, dbMB: g.MaxDBSizeMB(c.Sizing.DatabaseMB.Default), dnsEvents: g.DNSEvents(), eventSource: g.EventSource()})
		k.byName[g.Name] = i
		for _, n := range g.Networks {
			p, err := netip.ParsePrefix(n)
			if err != nil {
				return nil, fmt.Errorf("group %s: network %q: %w", g.Name, n, err)
			}
			k.table.Insert(p.Masked(), i)
		}
	}
	return k, nil
}

// Result is the verdict on one row.
type Result struct {
	Group    int // index, or -1 when unmatched
	Errors   []rule.ID
	Warnings []rule.ID
	// Findings says what each error and warning found, errors first.
	Findings []Finding
	// NotChecked are the sizing rules not applied for want of a size.
	NotChecked []string
}

// sizeUnits are the units a size may carry, in GB (1 GB = 1024 MB, as the
// sizing rules count).
var sizeUnits = map[string]float64{"": 1, "gb": 1, "gib": 1, "g": 1, "mb": 1.0 / 1024, "mib": 1.0 / 1024, "m": 1.0 / 1024, "tb": 1024, "tib": 1024, "t": 1024}

// ParseSize reads a memory or disk size in GB: "16", "16 GB", "16384 MB",
// "15.6 GiB", "1 TB". Blank is unknown (NaN).
func ParseSize(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return math.NaN(), nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	}
	factor, ok := sizeUnits[unit]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || !ok || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a size of 0 or more: a number of GB, or with a unit (MB, GB, GiB, TB)")
	}
	return v * factor, nil
}

// Finding is one rule an endpoint breaks: what was found on it and how to
// fix it.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

func newFinding(id rule.ID, error bool, message string) Finding {
	r, _ := rule.Lookup(id)
	sev := "warning"
	if error {
		sev = "error"
	}
	return Finding{Rule: string(id), Severity: sev, Message: message, Fix: r.Fix}
}

var osAliases = map[string]string{
	"windows": model.OSWindows, "win": model.OSWindows, "win32": model.OSWindows, "microsoft windows": model.OSWindows,
	"linux": model.OSLinux, "macos": model.OSMacOS, "mac": model.OSMacOS, "mac os x": model.OSMacOS, "osx": model.OSMacOS,
	"os x": model.OSMacOS, "darwin": model.OSMacOS,
}

// Check judges one row. A row with an unreadable number or address is a
// *BadRow.
func (k *Checker) Check(row *Row, res *Result) error {
	f := &row.Fields
	res.Errors, res.Warnings, res.Findings = res.Errors[:0], res.Warnings[:0], res.Findings[:0]
	res.Group = unmatched
	if row.Group {
		if g, ok := k.byName[f[iGroup]]; ok {
			res.Group = g
		}
	} else {
		addr, err := netip.ParseAddr(strings.TrimSpace(f[iIP]))
		if err != nil {
			return &BadRow{Line: row.Line, Err: fmt.Sprintf("ip %q is not an IP address", f[iIP])}
		}
		if g, ok := k.table.Lookup(addr.Unmap()); ok {
			res.Group = g
		}
	}
	os := strings.ToLower(strings.TrimSpace(f[iOS]))
	if o, ok := osAliases[os]; ok {
		os = o
	}
	// A blank size is unknown: the checks that need it are not made, and
	// the endpoint says so. Negative or infinite sizes are no endpoint's:
	// unreadable, never a pass.
	res.NotChecked = res.NotChecked[:0]
	cpus := -1
	if c := strings.TrimSpace(f[iCPUs]); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			return &BadRow{Line: row.Line, Err: fmt.Sprintf("cpus %q is not a whole number of 0 or more", f[iCPUs])}
		}
		cpus = n
	} else {
		res.NotChecked = append(res.NotChecked, string(rule.CPUs))
	}
	mem, err := ParseSize(f[iMemoryGB])
	if err != nil {
		return &BadRow{Line: row.Line, Err: fmt.Sprintf("memory_gb %q: %v", f[iMemoryGB], err)}
	}
	if math.IsNaN(mem) {
		res.NotChecked = append(res.NotChecked, string(rule.Memory))
	}
	disk, err := ParseSize(f[iFreeDiskGB])
	if err != nil {
		return &BadRow{Line: row.Line, Err: fmt.Sprintf("free_disk_gb %q: %v", f[iFreeDiskGB], err)}
	}
	if math.IsNaN(disk) {
		res.NotChecked = append(res.NotChecked, string(rule.DiskSpace))
	}
	g := group{dbMB: k.cat.Sizing.DatabaseMB.Default, eventSource: model.EventSourceDriver}
	if res.Group != unmatched {
		g = k.groups[res.Group]
	}
	key := cacheKey{res.Group, os, f[iOSVersion], f[iClientVersion]}
	v, ok := k.cache[key]
	if !ok {
		e := check.Endpoint{Subject: "the endpoint", OS: os, OSVersion: f[iOSVersion], ClientVersion: f[iClientVersion]}
		if os == model.OSWindows {
			e.DNSEvents, e.EventSource = g.dnsEvents, g.eventSource
		}
		for _, fd := range check.EndpointFindings(k.cat, k.tr, e) {
			if fd.Error() {
				v.errors = append(v.errors, fd.Rule)
			} else {
				v.warnings = append(v.warnings, fd.Rule)
			}
			v.findings = append(v.findings, newFinding(fd.Rule, fd.Error(), fd.Summary))
		}
		if _, known := osAliases[os]; !known && os != "" {
			v.errors = append(v.errors, rule.OSVersionInvalid)
			v.findings = append(v.findings, newFinding(rule.OSVersionInvalid, true, fmt.Sprintf("Unrecognised operating system %q", f[iOS])))
		}
		// Strings in the key come from the input row; copy them so the
		// cache does not pin the reader's buffers.
		key.os, key.osv, key.version = strings.Clone(key.os), strings.Clone(key.osv), strings.Clone(key.version)
		k.cache[key] = v
	}
	res.Errors = append(res.Errors, v.errors...)
	res.Warnings = append(res.Warnings, v.warnings...)
	res.Findings = append(res.Findings, v.findings...)
	sz := check.SizingVerdict(k.cat, cpus, mem, disk, g.dbMB)
	if sz.DiskShort {
		res.Errors = append(res.Errors, rule.DiskSpace)
		res.Findings = append(res.Findings, newFinding(rule.DiskSpace, true,
			fmt.Sprintf("%.1f GB free; the recorder needs %.1f GB (%d × its %d MB database)", disk, sz.NeedMB/float64(k.cat.Sizing.MBPerGB), k.cat.Sizing.FreeDiskFactor, g.dbMB)))
	}
	if sz.FewCPUs {
		res.Warnings = append(res.Warnings, rule.CPUs)
		res.Findings = append(res.Findings, newFinding(rule.CPUs, false, fmt.Sprintf("%d CPUs; %d recommended", cpus, k.cat.Sizing.MinCPUs)))
	}
	if sz.LowMemory {
		res.Warnings = append(res.Warnings, rule.Memory)
		res.Findings = append(res.Findings, newFinding(rule.Memory, false, fmt.Sprintf("%.1f GB memory; %d GB recommended", mem, k.cat.Sizing.MinMemoryGB)))
	}
	if res.Group == unmatched {
		res.Warnings = append(res.Warnings, rule.FleetUnmatched)
		res.Findings = append(res.Findings, newFinding(rule.FleetUnmatched, false, "In no endpoint group's networks"))
	}
	slices.SortStableFunc(res.Findings, func(a, b Finding) int { return strings.Compare(a.Severity, b.Severity) })
	return nil
}

// GroupStats counts the endpoints of one group.
type GroupStats struct {
	Name    string `json:"name"`
	Checked int    `json:"checked"`
	Failing int    `json:"failing"`
	Warning int    `json:"warning"`
}

// RuleStats counts one rule's findings.
type RuleStats struct {
	Rule     string `json:"rule"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
}

// EndpointReport is one endpoint with an error or a warning.
type EndpointReport struct {
	Name     string    `json:"name"`
	Line     int       `json:"line"`
	Address  string    `json:"address"`
	Group    string    `json:"group"`
	Errors   []string  `json:"errors"`
	Warnings []string  `json:"warnings"`
	Findings []Finding `json:"findings"`
	// NotChecked are the sizing rules not applied: the size was blank.
	NotChecked []string `json:"not_checked,omitempty"`
}

// Report is the result of a run.
type Report struct {
	Checked   int `json:"checked"`
	Failing   int `json:"failing"`
	Warning   int `json:"warning"`
	Unmatched int `json:"unmatched"`
	// SizesUnknown counts the endpoints with a blank size, whose sizing
	// rules were not checked.
	SizesUnknown int              `json:"sizes_unknown"`
	BadRows      int              `json:"bad_rows"`
	Groups       []GroupStats     `json:"groups"`
	Rules        []RuleStats      `json:"rules"`
	Bad          []BadRow         `json:"bad"`
	Endpoints    []EndpointReport `json:"endpoints"`
}

// MaxBadListed is how many unreadable rows a Report lists; BadRows
// counts them all.
const MaxBadListed = 1000

// Options bound a run.
type Options struct {
	// OnBadRow, if set, receives each unreadable row as it is met.
	OnBadRow func(BadRow) error
	// Progress, if set, is called every few thousand rows with the count.
	Progress func(rows int)
	// OnEndpoint, if set, receives each endpoint with findings as it is
	// judged, and Report.Endpoints stays empty: memory then stays flat
	// whatever the size of the inventory.
	OnEndpoint func(EndpointReport) error
}

// batchSize is how many rows the reader hands to the checker at a time.
const batchSize = 1024

// item is a row as read, or the error reading it.
type item struct {
	row Row
	err error
}

// Run reads every row of rd and judges it.
func (k *Checker) Run(rd *Reader, opts Options) (*Report, error) {
	t := k.newTally()
	// Reading (CSV parsing) and checking overlap: a goroutine fills batches
	// of rows in input order, this one checks them.
	free := make(chan []item, 8)
	stop := make(chan struct{})
	defer close(stop)
	var res Result
	n := 0
	for batch := range readBatches(rd, free, stop) {
		for i := range batch {
			n++
			row := &batch[i].row
			err := batch[i].err
			if err == nil {
				err = k.Check(row, &res)
			}
			if err == io.EOF {
				break
			}
			var bad *BadRow
			if errors.As(err, &bad) {
				t.badRow(*bad)
				if opts.OnBadRow != nil {
					if err := opts.OnBadRow(*bad); err != nil {
						return t.r, err
					}
				}
				continue
			}
			if err != nil {
				return t.r, err
			}
			if opts.Progress != nil && n%8192 == 0 {
				opts.Progress(n)
			}
			ep, listed := t.checked(k, row, &res)
			if !listed {
				continue
			}
			if opts.OnEndpoint != nil {
				if err := opts.OnEndpoint(ep); err != nil {
					return t.r, err
				}
				continue
			}
			t.r.Endpoints = append(t.r.Endpoints, ep)
		}
		select {
		case free <- batch:
		default:
		}
	}
	return t.report(), nil
}

// readBatches reads rd on its own goroutine and sends its rows in
// batches, in input order, reusing the batches handed back on free. The
// last batch ends with the row whose error is io.EOF or a read failure;
// rows that are bad (*BadRow) do not end the input. Closing stop ends the
// goroutine early.
func readBatches(rd *Reader, free <-chan []item, stop <-chan struct{}) <-chan []item {
	batches := make(chan []item, 8)
	go func() {
		defer close(batches)
		for {
			var batch []item
			select {
			case batch = <-free:
				batch = batch[:0]
			default:
				batch = make([]item, 0, batchSize)
			}
			ended := false
			for len(batch) < batchSize && !ended {
				var it item
				it.err = rd.Next(&it.row)
				batch = append(batch, it)
				var bad *BadRow
				ended = it.err != nil && !errors.As(it.err, &bad) // EOF or a read failure ends the input
			}
			select {
			case batches <- batch:
			case <-stop:
				return
			}
			if ended {
				return
			}
		}
	}()
	return batches
}

// tally adds up a Report while rows are checked.
type tally struct {
	r *Report
	// stats are by group index; the last is the endpoints in no group.
	stats             []GroupStats
	ruleErr, ruleWarn map[rule.ID]int
}

func (k *Checker) newTally() *tally {
	t := &tally{r: &Report{Bad: []BadRow{}, Endpoints: []EndpointReport{}}, stats: make([]GroupStats, len(k.groups)+1),
		ruleErr: map[rule.ID]int{}, ruleWarn: map[rule.ID]int{}}
	for i, g := range k.groups {
		t.stats[i].Name = g.name
	}
	return t
}

// badRow counts a row that could not be read, listing the first
// MaxBadListed.
func (t *tally) badRow(bad BadRow) {
	t.r.BadRows++
	if len(t.r.Bad) < MaxBadListed {
		t.r.Bad = append(t.r.Bad, bad)
	}
}

// checked counts an endpoint's verdict, and returns its report when it
// has errors or warnings (listed), copied out of the reused row.
func (t *tally) checked(k *Checker, row *Row, res *Result) (ep EndpointReport, listed bool) {
	t.r.Checked++
	gi := res.Group
	if gi == unmatched {
		gi = len(k.groups)
		t.r.Unmatched++
	}
	st := &t.stats[gi]
	st.Checked++
	if len(res.NotChecked) > 0 {
		t.r.SizesUnknown++
	}
	for _, id := range res.Errors {
		t.ruleErr[id]++
	}
	for _, id := range res.Warnings {
		t.ruleWarn[id]++
	}
	switch {
	case len(res.Errors) > 0:
		t.r.Failing++
		st.Failing++
	case len(res.Warnings) > 0:
		t.r.Warning++
		st.Warning++
	default:
		return EndpointReport{}, false
	}
	ep = EndpointReport{Name: strings.Clone(row.Fields[iName]), Line: row.Line, Address: strings.Clone(strings.TrimSpace(row.Fields[iIP])),
		Errors: ids(res.Errors), Warnings: ids(res.Warnings), Findings: slices.Clone(res.Findings), NotChecked: slices.Clone(res.NotChecked)}
	if res.Group != unmatched {
		ep.Group = k.groups[res.Group].name
	}
	return ep, true
}

// report finishes the Report: the groups (those with endpoints, and every
// named one) and the rules' counts.
func (t *tally) report() *Report {
	r := t.r
	for _, st := range t.stats {
		if st.Checked > 0 || st.Name != "" {
			r.Groups = append(r.Groups, st)
		}
	}
	seen := map[rule.ID]bool{}
	for id := range t.ruleErr {
		seen[id] = true
	}
	for id := range t.ruleWarn {
		seen[id] = true
	}
	for id := range seen {
		r.Rules = append(r.Rules, RuleStats{Rule: string(id), Errors: t.ruleErr[id], Warnings: t.ruleWarn[id]})
	}
	sort.Slice(r.Rules, func(i, j int) bool { return r.Rules[i].Rule < r.Rules[j].Rule })
	return r
}

func ids(list []rule.ID) []string {
	out := make([]string, len(list))
	for i, id := range list {
		out[i] = string(id)
	}
	return out
}

// Exceeds reports whether the failing count is over a --max-failing limit:
// a count ("10") or a percentage of the checked endpoints ("0.5%").
func (r *Report) Exceeds(limit string) (bool, error) {
	if strings.HasSuffix(limit, "%") {
		p, err := strconv.ParseFloat(strings.TrimSuffix(limit, "%"), 64)
		if err != nil || p < 0 || p > 100 {
			return false, fmt.Errorf("--max-failing %q: a count or a percentage from 0%% to 100%%", limit)
		}
		return float64(r.Failing) > p/100*float64(r.Checked), nil
	}
	n, err := strconv.Atoi(limit)
	if err != nil || n < 0 {
		return false, fmt.Errorf("--max-failing %q: a count or a percentage from 0%% to 100%%", limit)
	}
	return r.Failing > n, nil
}
