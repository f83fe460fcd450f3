package check

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
)

// Endpoint is what the endpoint rules look at: an endpoint group's smallest
// machine (validate) or one endpoint of an inventory (fleet). The same
// rules run on both, so a one-row inventory matching a group's hardware and
// versions gets the group's verdicts.
type Endpoint struct {
	// Subject names the endpoint or group in messages ("the group \"win\"").
	Subject                      string
	OS, OSVersion, ClientVersion string
	CPUs                         int
	MemoryGB, FreeDiskGB         float64
	HasHardware                  bool
	MaxDBSizeMB                  int
	DNSEvents                    bool
	EventSource                  string
	// OSUnknown and ClientUnknown: fleet could not read the endpoint's OS
	// version or has no client version for it (a blank, a placeholder, a
	// string it cannot read); the rules that need it are not checked.
	OSUnknown, ClientUnknown bool
}

// Endpoint fields a finding can be about.
const (
	FieldOSVersion     = "os_version"
	FieldClientVersion = "client_version"
	FieldCPUs          = "cpus"
	FieldMemory        = "memory_gb"
	FieldFreeDisk      = "free_disk_gb"
	FieldDNSEvents     = "dns_events"
	FieldEventSource   = "event_source"
)

// Finding is one endpoint rule's verdict.
type Finding struct {
	Rule    rule.ID
	Field   string
	Summary string
	Detail  string
	Source  *catalog.Source
}

// Error reports whether the finding's rule is an error.
func (f Finding) Error() bool {
	r, _ := rule.Lookup(f.Rule)
	return r.Severity == hcl.DiagError
}

// errOSUnknown stands for an OS version fleet could not read.
var errOSUnknown = errors.New("the OS version is unknown")

// EndpointFindings applies the endpoint rules of catalog c (Threat
// Response tr) to e: the OS and its support, the client version rules, the
// known issues, the recorder's Windows caveats and the sizing rules.
func EndpointFindings(c *catalog.Catalog, tr version.Version, e Endpoint) []Finding {
	var out []Finding
	add := func(id rule.ID, field, summary, detail string, src *catalog.Source) {
		out = append(out, Finding{Rule: id, Field: field, Summary: summary, Detail: detail, Source: src})
	}
	p, osErr := osversion.Parse(e.OS, e.OSVersion)
	if e.OSUnknown && osErr == nil {
		osErr = errOSUnknown
	}
	if model.KnownOS(e.OS) && osErr != nil && !e.OSUnknown {
		add(rule.OSVersionInvalid, FieldOSVersion, fmt.Sprintf("Unrecognised %s version %q", e.OS, truncate(e.OSVersion)), osversion.Accepted(e.OS), nil)
	}
	var win catalog.WindowsVersion
	if osErr == nil {
		switch e.OS {
		case model.OSWindows:
			w, ok := c.WindowsVersion(p.Canonical)
			if !ok {
				panic("catalog lacks " + p.Canonical) // the catalog test guards this
			}
			win = w
			if !w.Supported {
				add(rule.OSUnsupported, FieldOSVersion, fmt.Sprintf("%s is not supported", w.Name),
					fmt.Sprintf("Threat Response needs %s; %s not supported. Upgrade %s or leave it out.", windowsFloor(c, func(w catalog.WindowsVersion) bool { return w.Supported }), windowsUnsupported(c), e.Subject), &c.Windows.Source)
			}
		case model.OSMacOS:
			if min := version.MustParse(c.MacOS.MinVersion); p.Version.Less(min) {
				add(rule.OSUnsupported, FieldOSVersion, fmt.Sprintf("%s is not supported", p.Canonical),
					fmt.Sprintf("Threat Response needs macOS %s or later. Upgrade %s or leave it out.", c.MacOS.MinVersion, e.Subject), &c.MacOS.Source)
				break
			}
			for _, ki := range c.KnownIssues {
				if ki.MacOSFrom == "" || tr.Compare(version.MustParse(ki.ThreatResponse)) != 0 || p.Version.Less(version.MustParse(ki.MacOSFrom)) {
					continue
				}
				src := ki.Source
				add(rule.MacOSKnownIssue, FieldOSVersion, fmt.Sprintf("Known issue with Threat Response %s on %s", tr, p.Canonical),
					fmt.Sprintf("%s Accepting this means analysts cannot browse protected directories of %s over a live connection; upgrade Threat Response to avoid it.", ki.Text, e.Subject), &src)
			}
		}
	}
	if !e.ClientUnknown {
		out = append(out, clientFindings(c, tr, e, p, osErr == nil)...)
	}
	if e.OS == model.OSWindows {
		if e.DNSEvents && osErr == nil && win.Supported && !win.DNSEvents {
			add(rule.DNSEvents, FieldDNSEvents, fmt.Sprintf("DNS events are not available on %s", win.Name),
				fmt.Sprintf("DNS event recording needs %s. Set dns_events = false for %s, or upgrade it.", windowsFloor(c, func(w catalog.WindowsVersion) bool { return w.DNSEvents }), e.Subject), &c.Windows.DNSSource)
		}
		if e.EventSource == model.EventSourceSysmon {
			rec := c.Recorder
			dep := ""
			src := &rec.DriverRequiredSource
			for _, es := range rec.EventSources {
				if es.ID == model.EventSourceSysmon && es.DeprecatedFrom != "" {
					dep = fmt.Sprintf(" Sysmon is deprecated from Threat Response %s", es.DeprecatedFrom)
					if tr.AtLeast(version.MustParse(es.DeprecatedFrom)) {
						dep += fmt.Sprintf(", so it is deprecated in %s", tr)
						s := es.Source
						src = &s
					}
					dep += "."
				}
			}
			add(rule.Sysmon, FieldEventSource, "Sysmon is the recorder's event source",
				fmt.Sprintf("Process hashes and command-line information require the Tanium driver.%s Use event_source = \"tanium_driver\" and redeploy the recorder profile.", dep), src)
		}
	}
	if e.HasHardware {
		out = append(out, hardwareFindings(c, e)...)
	}
	return out
}

// clientFindings applies the Tanium Client rules of "Tanium dependencies".
func clientFindings(c *catalog.Catalog, tr version.Version, e Endpoint, p osversion.Parsed, osKnown bool) []Finding {
	cl := c.Client
	v, err := version.Parse(e.ClientVersion)
	if err != nil {
		return []Finding{{Rule: rule.VersionInvalid, Field: FieldClientVersion, Summary: "Invalid client_version", Detail: fmt.Sprintf("client_version: %s; write a Tanium Client version like %q.", err, cl.MinVersion)}}
	}
	one := func(id rule.ID, summary, detail string, src catalog.Source) []Finding {
		return []Finding{{Rule: id, Field: FieldClientVersion, Summary: summary, Detail: detail, Source: &src}}
	}
	for _, ex := range cl.ExcludedVersions {
		if v.Compare(version.MustParse(ex.Version)) == 0 {
			return one(rule.ClientExcluded, fmt.Sprintf("Tanium Client %s is not supported", v),
				fmt.Sprintf("Clients %s and later are supported with the exception of %s. Upgrade %s to another listed client.", cl.MinVersion, ex.Version, e.Subject), ex.Source)
		}
	}
	if v.Less(version.MustParse(cl.MinVersion)) {
		return one(rule.ClientTooOld, fmt.Sprintf("Tanium Client %s is older than the minimum", v),
			fmt.Sprintf("Threat Response needs Tanium Client %s or later%s. Upgrade %s.", cl.MinVersion, excepted(cl, " (not %s)"), e.Subject), cl.Source)
	}
	if e.OS == model.OSMacOS && osKnown {
		mm := cl.MacOSMinimum
		if p.Version.AtLeast(version.MustParse(mm.MacOSFrom)) && v.Less(version.MustParse(mm.MinVersion)) {
			return one(rule.ClientMacOS, fmt.Sprintf("Tanium Client %s is too old for %s", v, p.Canonical),
				fmt.Sprintf("For macOS %s and later, Tanium Client %s is required as a minimum. Upgrade %s.", mm.MacOSFrom, mm.MinVersion, e.Subject), mm.Source)
		}
	}
	var out []Finding
	listed := false
	for _, line := range cl.ListedLines {
		from := version.MustParse(line.From)
		if v.Less(from) || (!line.AndLater && !v.HasPrefix(version.MustParse(line.Line))) {
			continue
		}
		if line.RequiresThreatResponse != "" && tr.Less(version.MustParse(line.RequiresThreatResponse)) {
			return one(rule.Client74, fmt.Sprintf("Tanium Client %s needs Threat Response %s or later", v, line.RequiresThreatResponse),
				fmt.Sprintf("%s and later clients are supported on Threat Response %s and later; this deployment runs %s. Upgrade Threat Response or keep %s on an earlier client.", line.From, line.RequiresThreatResponse, tr, e.Subject), line.Source)
		}
		listed = true
		break
	}
	if !listed {
		var lines []string
		for _, line := range cl.ListedLines {
			s := line.From + " and later"
			if !line.AndLater {
				s += " in the " + line.Line + " line"
			}
			lines = append(lines, s)
		}
		out = append(out, one(rule.ClientUnlisted, fmt.Sprintf("Tanium Client %s is not a listed version", v),
			fmt.Sprintf("The listed clients are %s%s. With an unlisted client, certain product features might not be available. Move %s to a listed client.",
				strings.Join(lines, ", "), excepted(cl, " (except %s)"), e.Subject), cl.Unlisted.Source)...)
	}
	if line, inferred := c.ExclusionLine(v); inferred {
		var lines []string
		for _, l := range c.ClientLines() {
			lines = append(lines, l+".x")
		}
		out = append(out, Finding{Rule: rule.ExclusionLine, Field: FieldClientVersion, Summary: fmt.Sprintf("Exclusions for client %s use the %s.x entries", v, line),
			Detail: fmt.Sprintf("The exclusion table lists version-specific entries (the bundled Python) for %s clients only; %s gets the %s.x entries, the nearest line. Verify the Python path on its endpoints, or move it to a listed client.", joinAnd(lines), e.Subject, line)})
	}
	return out
}

// Sizing is the verdict of the sizing rules on one machine.
type Sizing struct {
	DiskShort, FewCPUs, LowMemory bool
	// NeedMB is the free disk the recorder needs, in MB.
	NeedMB float64
}

// SizingVerdict applies the sizing rules: free disk at least the catalog's
// factor times the database size (1 GB = 1024 MB), the recommended CPUs and
// memory. A NaN size or negative CPU count is unknown and passes. This is
// the one implementation of those rules; validate and fleet both use it.
func SizingVerdict(c *catalog.Catalog, cpus int, memoryGB, freeDiskGB float64, dbMB int) Sizing {
	sz := c.Sizing
	var v Sizing
	// The page's 256 MB to 1 GB is a default (recorder-db-size warns
	// outside it); the free disk space follows whatever size is set.
	if dbMB > 0 && !math.IsNaN(freeDiskGB) {
		v.NeedMB = float64(sz.FreeDiskFactor * dbMB)
		v.DiskShort = freeDiskGB*float64(sz.MBPerGB) < v.NeedMB
	}
	v.FewCPUs = cpus >= 0 && cpus < sz.MinCPUs
	v.LowMemory = !math.IsNaN(memoryGB) && memoryGB < float64(sz.MinMemoryGB)
	return v
}

// hardwareFindings words the sizing verdict.
func hardwareFindings(c *catalog.Catalog, e Endpoint) []Finding {
	sz := c.Sizing
	var out []Finding
	dbMB := e.MaxDBSizeMB
	v := SizingVerdict(c, e.CPUs, e.MemoryGB, e.FreeDiskGB, dbMB)
	if v.DiskShort {
		needMB := v.NeedMB
		{
			src := sz.FreeDiskSource
			out = append(out, Finding{Rule: rule.DiskSpace, Field: FieldFreeDisk, Summary: fmt.Sprintf("%s GB free disk is less than the %s GB the recorder needs", num(e.FreeDiskGB), num(needMB/float64(sz.MBPerGB))),
				Detail: fmt.Sprintf("Endpoints need %d × the maximum database size (%d MB) free: %s MB. Free disk space on %s, or lower recorder.max_db_size_mb.", sz.FreeDiskFactor, dbMB, num(needMB), e.Subject), Source: &src})
		}
	}
	if v.FewCPUs {
		src := sz.CPUSource
		out = append(out, Finding{Rule: rule.CPUs, Field: FieldCPUs, Summary: fmt.Sprintf("%d CPU is fewer than the recommended %d", e.CPUs, sz.MinCPUs),
			Detail: fmt.Sprintf("The page recommends a minimum of %d CPUs per endpoint for full functionality; %s has fewer. The page does not say what is lost below it.", sz.MinCPUs, e.Subject), Source: &src})
	}
	if v.LowMemory {
		src := sz.MemorySource
		out = append(out, Finding{Rule: rule.Memory, Field: FieldMemory, Summary: fmt.Sprintf("%s GB RAM is less than the recommended %d GB", num(e.MemoryGB), sz.MinMemoryGB),
			Detail: fmt.Sprintf("The page recommends a minimum of %d GB RAM on each endpoint device; %s has less. The page does not say what happens below it.", sz.MinMemoryGB, e.Subject), Source: &src})
	}
	return out
}

// num formats a size without a trailing .0.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// excepted formats the client versions the catalog excludes with format
// ("(not %s)"), or "" when it excludes none.
func excepted(cl catalog.Client, format string) string {
	var vs []string
	for _, ex := range cl.ExcludedVersions {
		vs = append(vs, ex.Version)
	}
	if len(vs) == 0 {
		return ""
	}
	return fmt.Sprintf(format, joinAnd(vs))
}

// windowsFloor names, for desktop and server Windows, the oldest release
// for which ok holds and from which it holds for every later one:
// "Windows 7 or later, or Windows Server 2008 R2 or later".
func windowsFloor(c *catalog.Catalog, ok func(catalog.WindowsVersion) bool) string {
	var parts []string
	for _, kind := range []string{"client", "server"} {
		var vs []catalog.WindowsVersion
		for _, w := range c.Windows.Versions {
			if w.Kind == kind {
				vs = append(vs, w)
			}
		}
		sort.Slice(vs, func(i, j int) bool { return vs[i].Order < vs[j].Order })
		floor := ""
		for i := len(vs) - 1; i >= 0 && ok(vs[i]); i-- {
			floor = vs[i].Name
		}
		if floor != "" {
			parts = append(parts, floor+" or later")
		}
	}
	if len(parts) == 0 {
		return "a Windows release the requirements page lists"
	}
	return strings.Join(parts, ", or ")
}

// windowsUnsupported lists the Windows releases the catalog marks as not
// supported: "Windows XP, Windows Server 2003 and Windows Server 2008 are".
func windowsUnsupported(c *catalog.Catalog) string {
	var names []string
	for _, w := range c.Windows.Versions {
		if !w.Supported {
			names = append(names, w.Name)
		}
	}
	if len(names) == 1 {
		return names[0] + " is"
	}
	return joinAnd(names) + " are"
}

// joinAnd joins words as prose: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
