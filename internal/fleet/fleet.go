// Package fleet checks a real endpoint inventory against a deployment's
// requirements: each endpoint is assigned to an endpoint group (by a group
// column, or the longest network prefix containing its IP address) and
// judged by the same endpoint rules validate applies to the group's
// smallest machine (check.EndpointFindings, check.SizingVerdict). It
// streams: memory grows with the failing endpoints it reports, not with
// the inventory.
package fleet

import (
	"encoding/csv"
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
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// group is what the rules need of an endpoint group.
type group struct {
	name        string
	os          string
	clientLine  string
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
	// osMap maps inventory OS strings (lower case, blanks collapsed) to
	// the OS version trgen reads (SetOSMap).
	osMap map[string]OSMapping
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
	// notChecked are the OS and client rules not applied for want of a
	// value; unread is the OS string trgen could not read, os the
	// endpoint's OS as read (or inferred from its OS version).
	notChecked []string
	unread, os string
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
		gr := group{name: g.Name, os: g.OS, dbMB: g.MaxDBSizeMB(c.Sizing.DatabaseMB.Default), dnsEvents: g.DNSEvents(), eventSource: g.EventSource()}
		if v, err := version.Parse(g.ClientVersion); err == nil {
			gr.clientLine, _ = c.ExclusionLine(v)
		}
		k.groups = append(k.groups, gr)
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
	// NotChecked are the rules not applied for want of a value: a blank
	// size, an unknown or unread OS version, a blank client version.
	NotChecked []string
	// Address is the address the endpoint was matched on (the first one
	// when none matched); Addresses how many its cell held.
	Address   string
	Addresses int
	// OS is the endpoint's OS as read; UnreadOS its OS version string when
	// trgen could not read it.
	OS, UnreadOS string
}

// sizeUnits are the units a size may carry, in GB (1 GB = 1024 MB, as the
// sizing rules count).
var sizeUnits = map[string]float64{"": 1, "gb": 1, "gib": 1, "g": 1, "mb": 1.0 / 1024, "mib": 1.0 / 1024, "m": 1.0 / 1024, "tb": 1024, "tib": 1024, "t": 1024}

// ParseSize reads a memory or disk size in GB: "16", "16 GB", "16384 MB",
// "15.6 GiB", "1 TB". Blank is unknown (NaN).
func ParseSize(s string) (float64, error) {
	if v, ok := plainDecimal(s); ok {
		return v, nil
	}
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

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// plainDecimal reads the common form of a size, digits with at most one
// '.' and at most 15 digits: the mantissa and the power of ten are exact
// in a float64, so their quotient is the correctly rounded value, what
// strconv.ParseFloat returns (its own exact fast path). Anything else is
// not ok, for ParseSize's general path.
func plainDecimal(s string) (float64, bool) {
	var m uint64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	return float64(m) / pow10[frac], true
}

// Finding is one rule an endpoint breaks: what was found on it and how to
// fix it.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
	// Value is what the finding is about when it is a version (the client
	// version, the OS string), for the report's actions.
	Value string `json:"-"`
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
	res.Group, res.Address, res.Addresses, res.UnreadOS = unmatched, "", 0, ""
	if row.Group {
		if g, ok := k.byName[f[iGroup]]; ok {
			res.Group = g
		}
	}
	if err := k.address(row, res); err != nil {
		return err
	}
	// A blank size is unknown: the checks that need it are not made, and
	// the endpoint says so. Negative or infinite sizes are no endpoint's:
	// unreadable, never a pass.
	res.NotChecked = res.NotChecked[:0]
	cpus := -1
	for _, i := range []int{iCPUs, iMemoryGB, iFreeDiskGB} {
		if Placeholder(f[i]) {
			f[i] = "" // unknown, as a blank
		}
	}
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
	key := cacheKey{res.Group, f[iOS], f[iOSVersion], f[iClientVersion]}
	v, ok := k.cache[key]
	if !ok {
		// Strings in the key come from the input row; copy them so the
		// cache does not pin the reader's buffers.
		key.os, key.osv, key.version = strings.Clone(key.os), strings.Clone(key.osv), strings.Clone(key.version)
		v = k.judge(res.Group, g, key.os, key.osv, key.version)
		k.cache[key] = v
	}
	res.Errors = append(res.Errors, v.errors...)
	res.Warnings = append(res.Warnings, v.warnings...)
	res.Findings = append(res.Findings, v.findings...)
	res.NotChecked = append(res.NotChecked, v.notChecked...)
	res.UnreadOS, res.OS = v.unread, v.os
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

// judge applies the OS and client rules to one combination of group, OS,
// OS version and client version (cached by Check).
func (k *Checker) judge(gi int, g group, osCell, osvCell, clientCell string) verdict {
	var v verdict
	add := func(id rule.ID, error bool, msg string, value string) {
		if error {
			v.errors = append(v.errors, id)
		} else {
			v.warnings = append(v.warnings, id)
		}
		f := newFinding(id, error, msg)
		f.Value = value
		v.findings = append(v.findings, f)
	}
	os, osv := strings.ToLower(strings.TrimSpace(osCell)), strings.TrimSpace(osvCell)
	if Placeholder(os) {
		os = ""
	}
	if Placeholder(osv) {
		osv = ""
	}
	if o, ok := osAliases[os]; ok {
		os = o
	}
	if m, ok := k.osMap[mapKey(osv)]; ok && osv != "" {
		osv = m.OSVersion
		if m.OS != "" {
			os = m.OS
		}
	}
	if os == "" && osv != "" {
		os = inferOS(osv)
	}
	_, knownOS := osAliases[os]
	if !knownOS && os != "" {
		add(rule.OSVersionInvalid, true, fmt.Sprintf("Unrecognised operating system %q", osCell), "os "+osCell)
	}
	e := check.Endpoint{Subject: "the endpoint", OS: os, OSVersion: osv, ClientVersion: strings.TrimSpace(clientCell)}
	if os == model.OSWindows {
		e.DNSEvents, e.EventSource = g.dnsEvents, g.eventSource
	}
	parsed, osErr := osversion.Parse(os, osv)
	if !knownOS || osErr != nil {
		e.OSUnknown = true
		v.notChecked = append(v.notChecked, string(rule.OSUnsupported))
		if knownOS && osv != "" {
			v.unread = osvCell
			add(rule.FleetOSUnread, false, fmt.Sprintf("trgen cannot read the %s version %q: the OS rules were not checked", os, osv), "OS "+osv)
		}
	}
	if e.ClientVersion == "" || Placeholder(e.ClientVersion) {
		e.ClientUnknown = true
		v.notChecked = append(v.notChecked, string(rule.ClientTooOld))
	}
	for _, fd := range check.EndpointFindings(k.cat, k.tr, e) {
		if fd.Rule == rule.ExclusionLine {
			continue // a group's statement: an endpoint gets its group's exclusions (FleetLine)
		}
		value := ""
		switch fd.Field {
		case check.FieldClientVersion:
			value = "client " + e.ClientVersion
		case check.FieldOSVersion:
			value = "OS " + osv
			if osErr == nil {
				value = parsed.Canonical // one action for every form of a release
			}
		}
		add(fd.Rule, fd.Error(), fd.Summary, value)
	}
	if gi != unmatched && knownOS && os != g.os {
		add(rule.FleetOSGroup, true, fmt.Sprintf("A %s endpoint in the %s group %q: it would get that group's exclusions and firewall rules", os, g.os, g.name), os)
	}
	if gi != unmatched && !e.ClientUnknown && g.clientLine != "" {
		if cv, err := version.Parse(e.ClientVersion); err == nil {
			if line, _ := k.cat.ExclusionLine(cv); line != g.clientLine {
				add(rule.FleetLine, false, fmt.Sprintf("Tanium Client %s is on the %s line; the group %q's exclusions and watches are for the %s line", cv, line, g.name, g.clientLine), "client "+e.ClientVersion)
			}
		}
	}
	v.os = os
	return v
}

// inferOS is the OS whose version forms read osv, when exactly one does
// (an export with an OS version column and no OS column).
func inferOS(osv string) string {
	found := ""
	for _, os := range []string{model.OSWindows, model.OSMacOS, model.OSLinux} {
		if _, err := osversion.Parse(os, osv); err == nil {
			if found != "" {
				return ""
			}
			found = os
		}
	}
	return found
}

// address matches the row's addresses to a group (unless its group column
// did): a cell may hold several, one per line or separated by ';', ',',
// '|' or blanks (Tanium's multi-value IP Address sensor), and the first
// that falls in a group's networks counts. A blank or placeholder cell is
// an endpoint in no group; a cell with no address at all is unreadable.
func (k *Checker) address(row *Row, res *Result) error {
	cell := row.Fields[iIP]
	if Placeholder(cell) {
		return nil
	}
	first := ""
	for i := 0; ; {
		var a string
		if a, i = nextAddress(cell, i); a == "" {
			break
		}
		res.Addresses++
		addr, err := netip.ParseAddr(a)
		if err != nil {
			continue
		}
		if first == "" {
			first = a
		}
		if row.Group || res.Address != "" {
			continue // the group column, or an earlier address, decided
		}
		if g, ok := k.table.Lookup(addr.Unmap()); ok {
			res.Group, res.Address = g, a
		}
	}
	if res.Address == "" {
		res.Address = first
	}
	if res.Addresses > 0 && first == "" {
		return &BadRow{Line: row.Line, Err: fmt.Sprintf("ip %q is not an IP address", cell)}
	}
	return nil
}

// nextAddress returns the address of cell that starts at or after i, and
// where to look for the next; "" when there is none. Several addresses
// are separated by line breaks (Tanium's multi-value sensors), ';', ',',
// '|' or blanks.
func nextAddress(cell string, i int) (string, int) {
	for i < len(cell) && addressSeparator(cell[i]) {
		i++
	}
	start := i
	for i < len(cell) && !addressSeparator(cell[i]) {
		i++
	}
	return cell[start:i], i
}

func addressSeparator(c byte) bool {
	return c == '\n' || c == '\r' || c == ';' || c == ',' || c == ' ' || c == '\t' || c == '|'
}

// OSMapping is what an inventory OS string stands for (--os-map).
type OSMapping struct {
	OS, OSVersion string
}

// mapKey is the key of an OS string in the map: lower case, blanks
// collapsed.
func mapKey(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// SetOSMap reads an --os-map file: CSV with the header
// "inventory,os,os_version" (os may be blank: the row's OS column stays),
// one row per string of the export and what it stands for. Each mapped
// os_version must be one trgen reads for its OS.
func (k *Checker) SetOSMap(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("the OS map's header: %w", err)
	}
	if strings.TrimPrefix(strings.Join(head, ","), "\ufeff") != "inventory,os,os_version" {
		return fmt.Errorf("the OS map's header is %q; it must be inventory,os,os_version", strings.Join(head, ","))
	}
	k.osMap = map[string]OSMapping{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the OS map: %w", err)
		}
		m := OSMapping{OS: strings.ToLower(strings.TrimSpace(rec[1])), OSVersion: strings.TrimSpace(rec[2])}
		if m.OS != "" {
			if o, ok := osAliases[m.OS]; ok {
				m.OS = o
			} else {
				return fmt.Errorf("the OS map, line %d: os %q is not windows, linux or macos", line, rec[1])
			}
		}
		os := m.OS
		if os == "" {
			os = inferOS(m.OSVersion)
		}
		if _, err := osversion.Parse(os, m.OSVersion); os == "" || err != nil {
			return fmt.Errorf("the OS map, line %d: trgen does not read os_version %q%s", line, m.OSVersion, map[bool]string{true: " for " + os, false: ""}[os != ""])
		}
		k.osMap[mapKey(rec[0])] = m
	}
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
	Name    string `json:"name"`
	Line    int    `json:"line"`
	Address string `json:"address"`
	// Addresses is how many addresses the row's cell held; Address is the
	// one the endpoint was matched on (the first, when none matched).
	Addresses int       `json:"addresses"`
	Group     string    `json:"group"`
	Errors    []string  `json:"errors"`
	Warnings  []string  `json:"warnings"`
	Findings  []Finding `json:"findings"`
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
	SizesUnknown int `json:"sizes_unknown"`
	// NotChecked counts, per rule, the endpoints it was not applied to for
	// want of a value (a blank or placeholder cell, an unread OS string).
	NotChecked []RuleCount `json:"not_checked"`
	// UnreadOS are the distinct OS strings trgen could not read, the most
	// frequent first (at most MaxUnreadListed; UnreadOSOther counts the
	// endpoints of the others), for an --os-map.
	UnreadOS      []UnreadOS `json:"unread_os"`
	UnreadOSOther int        `json:"unread_os_other"`
	// Actions are what a remediation team does: per rule, group and
	// version, how many endpoints, errors first, then the most endpoints
	// (at most MaxActions).
	Actions   []Action         `json:"actions"`
	BadRows   int              `json:"bad_rows"`
	Groups    []GroupStats     `json:"groups"`
	Rules     []RuleStats      `json:"rules"`
	Bad       []BadRow         `json:"bad"`
	Endpoints []EndpointReport `json:"endpoints"`
}

// MaxBadListed is how many unreadable rows a Report lists; BadRows
// counts them all.
const MaxBadListed = 1000

// MaxUnreadListed is how many distinct unread OS strings a Report lists.
const MaxUnreadListed = 1000

// MaxActions is how many distinct actions a Report lists.
const MaxActions = 1000

// Action is one rule's fix on the endpoints of a group that break it,
// for one version where the rule is about one.
type Action struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Group     string `json:"group"`
	Value     string `json:"value,omitempty"`
	Endpoints int    `json:"endpoints"`
	Fix       string `json:"fix"`
}

// RuleCount is how many endpoints a rule was not applied to.
type RuleCount struct {
	Rule      string `json:"rule"`
	Endpoints int    `json:"endpoints"`
}

// UnreadOS is an OS string trgen could not read, and on how many
// endpoints.
type UnreadOS struct {
	OS        string `json:"os"`
	Text      string `json:"text"`
	Endpoints int    `json:"endpoints"`
}

// sizingRules are the rules a blank size leaves unchecked.
var sizingRules = map[string]bool{string(rule.CPUs): true, string(rule.Memory): true, string(rule.DiskSpace): true}

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
// asBadRow is errors.As(err, *BadRow), without the heap allocation of its
// target on every row when err is nil.
func asBadRow(err error) (*BadRow, bool) {
	if err == nil {
		return nil, false
	}
	var bad *BadRow
	ok := errors.As(err, &bad)
	return bad, ok
}

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
			if bad, ok := asBadRow(err); ok {
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
				_, isBad := asBadRow(it.err)
				ended = it.err != nil && !isBad // EOF or a read failure ends the input
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
	notChecked        map[string]int
	unread            map[UnreadOS]int
	actions           map[Action]int
}

func (k *Checker) newTally() *tally {
	t := &tally{r: &Report{Bad: []BadRow{}, Endpoints: []EndpointReport{}}, stats: make([]GroupStats, len(k.groups)+1),
		ruleErr: map[rule.ID]int{}, ruleWarn: map[rule.ID]int{}, notChecked: map[string]int{}, unread: map[UnreadOS]int{}, actions: map[Action]int{}}
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
	for _, f := range res.Findings {
		a := Action{Rule: f.Rule, Severity: f.Severity, Value: f.Value, Fix: f.Fix}
		if gi < len(k.groups) {
			a.Group = k.groups[gi].name
		}
		if _, ok := t.actions[a]; ok || len(t.actions) < MaxActions {
			t.actions[a]++
		}
	}
	sizes := false
	for _, id := range res.NotChecked {
		t.notChecked[id]++
		sizes = sizes || sizingRules[id]
	}
	if sizes {
		t.r.SizesUnknown++
	}
	if res.UnreadOS != "" {
		key := UnreadOS{OS: res.OS, Text: res.UnreadOS}
		if _, ok := t.unread[key]; ok || len(t.unread) < MaxUnreadListed {
			t.unread[key]++
		} else {
			t.r.UnreadOSOther++
		}
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
	ep = EndpointReport{Name: strings.Clone(row.Fields[iName]), Line: row.Line, Address: strings.Clone(res.Address), Addresses: res.Addresses,
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
	r.NotChecked = []RuleCount{}
	for id, n := range t.notChecked {
		r.NotChecked = append(r.NotChecked, RuleCount{Rule: id, Endpoints: n})
	}
	sort.Slice(r.NotChecked, func(i, j int) bool { return r.NotChecked[i].Rule < r.NotChecked[j].Rule })
	r.Actions = []Action{}
	for a, n := range t.actions {
		a.Endpoints = n
		r.Actions = append(r.Actions, a)
	}
	sort.Slice(r.Actions, func(i, j int) bool {
		a, b := r.Actions[i], r.Actions[j]
		if a.Severity != b.Severity {
			return a.Severity == "error"
		}
		if a.Endpoints != b.Endpoints {
			return a.Endpoints > b.Endpoints
		}
		return a.Rule+"\x00"+a.Group+"\x00"+a.Value < b.Rule+"\x00"+b.Group+"\x00"+b.Value
	})
	r.UnreadOS = []UnreadOS{}
	for u, n := range t.unread {
		u.Endpoints = n
		r.UnreadOS = append(r.UnreadOS, u)
	}
	sort.Slice(r.UnreadOS, func(i, j int) bool {
		a, b := r.UnreadOS[i], r.UnreadOS[j]
		return a.Endpoints > b.Endpoints || a.Endpoints == b.Endpoints && (a.OS < b.OS || a.OS == b.OS && a.Text < b.Text)
	})
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

// GroupName is the name of the group Result.Group indexes, "" for an
// endpoint in no group.
func (k *Checker) GroupName(i int) string {
	if i < 0 || i >= len(k.groups) {
		return ""
	}
	return k.groups[i].name
}
