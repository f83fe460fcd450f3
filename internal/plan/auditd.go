package plan

import (
	"path"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/version"
)

// Kernel backlog settings of the base file: the upstream base configuration's
// values (linux-audit/audit-userspace rules/10-base-config.rules, "make
// bigger for busy systems"), which leave room for the bursts of process and
// network events a recording endpoint produces.
const (
	AuditBacklog         = 8192
	AuditBacklogWaitTime = 60000
)

// AuditdGroup is the audit configuration of one Linux endpoint group.
type AuditdGroup struct {
	// Group is the endpoint group's label; Name its logical name.
	Group, Name string
	// OSVersion is the canonical OS version, Distro its distribution id.
	OSVersion, Distro string
	// Version is the auditd version given ("" when the group has no auditd
	// block); Major is 2 or 3, or 0 when unknown.
	Version string
	Major   int
	// FailureMode is the -f value written (never 2).
	FailureMode int
	Immutable   bool
	ClientDir   string
	// SiteRules are the site's rule lines, normalised (single spaces) in
	// their original order, comments kept.
	SiteRules []string
	// Watches are the tamper watches on the client's binaries and libraries.
	Watches []AuditWatch
	// Packages are the audit daemon and dispatcher plugin packages, and
	// Install the command installing them, for the group's distribution.
	Packages []string
	Install  string
	// PluginDir is where dispatcher plugins live for this auditd version.
	PluginDir string
	// Files are the rules.d file names written, in load order.
	Files []string
	// RuleCount is how many rules auditctl -l lists once they are loaded,
	// before the recorder adds its own.
	RuleCount int
	// Backlog and BacklogWaitTime are the base file's values.
	Backlog, BacklogWaitTime int
	// WatchesOnly: no base and no finalize file are written; the site's
	// own base rules set -D, -b, -f and -e.
	WatchesOnly bool
}

// AuditWatch is one tamper watch: -w Path -p wa -k Key.
type AuditWatch struct {
	Path, Key, Reason string
}

// Rules.d file names, by the upstream numbering convention: 10 base
// configuration, 30 main rules, 60 trgen's own rules, 99 finalize.
const (
	AuditBaseFile     = "10-trgen-base.rules"
	AuditSiteFile     = "30-site.rules"
	AuditTaniumFile   = "60-tanium-threat-response.rules"
	AuditFinalizeFile = "99-trgen-finalize.rules"
)

// Auditd plans the audit configuration of every Linux endpoint group.
func Auditd(d *model.Deployment, c *catalog.Catalog) []AuditdGroup {
	var out []AuditdGroup
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		if g.OS != model.OSLinux {
			continue
		}
		a := AuditdGroup{Group: g.Name, Name: "endpoint_group." + g.Name, FailureMode: 1, Backlog: AuditBacklog, BacklogWaitTime: AuditBacklogWaitTime,
			ClientDir: cleanDir(model.Str(g.ClientDir, c.Client.DefaultDirs[model.OSLinux]), "/")}
		if p, err := osversion.Parse(g.OS, g.OSVersion); err == nil {
			a.OSVersion, a.Distro = p.Canonical, p.Distro
			a.Packages, a.Install = auditPackages(p)
		}
		watch := true
		if ad := g.Auditd; ad != nil {
			a.Version = ad.Version
			if v, err := version.Parse(ad.Version); err == nil {
				a.Major = int(v.Part(0))
			}
			if fm := model.Int(ad.FailureMode, 1); fm == 0 || fm == 1 {
				a.FailureMode = fm
			}
			a.Immutable = model.Bool(ad.Immutable, false)
			watch = model.Bool(ad.WatchClient, true)
			a.WatchesOnly = model.Bool(ad.WatchesOnly, false)
			if ad.SiteRules != nil {
				a.SiteRules = normaliseRules(*ad.SiteRules)
			}
		}
		switch a.Major {
		case 2:
			a.PluginDir = "/etc/audisp/plugins.d"
		case 3:
			a.PluginDir = "/etc/audit/plugins.d"
		}
		if watch {
			line := ""
			if v, err := version.Parse(g.ClientVersion); err == nil {
				line, _ = c.ExclusionLine(v)
			}
			a.Watches = tamperWatches(c, a.ClientDir, line)
		}
		if !a.WatchesOnly {
			a.Files = append(a.Files, AuditBaseFile)
		}
		if len(a.SiteRules) > 0 {
			a.Files = append(a.Files, AuditSiteFile)
		}
		if len(a.Watches) > 0 {
			a.Files = append(a.Files, AuditTaniumFile)
		}
		if a.Immutable && !a.WatchesOnly {
			a.Files = append(a.Files, AuditFinalizeFile)
		}
		_, lines := auditrule.Lint([]auditrule.File{{Name: AuditSiteFile, Data: []byte(strings.Join(a.SiteRules, "\n"))}}, auditrule.Options{})
		for _, l := range lines {
			if l.Kind != "control" {
				a.RuleCount++
			}
		}
		a.RuleCount += len(a.Watches)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b AuditdGroup) int { return strings.Compare(a.Group, b.Group) })
	return out
}

// tamperWatches watches the client binaries and libraries the vendor's
// Linux exclusion list names for the group's client line (an entry the
// page qualifies "(7.2.x clients)" only on 7.2 clients, as the exclusions),
// never the recorder's own files (its database and audit pipe, under
// extensions/recorder) and never wildcard entries, which -w cannot take.
func tamperWatches(c *catalog.Catalog, dir, line string) []AuditWatch {
	var out []AuditWatch
	for _, e := range c.Exclusions[model.OSLinux].Entries {
		if strings.HasPrefix(e.Path, "extensions/recorder/") || strings.ContainsAny(e.Path, "*?") {
			continue
		}
		if e.ClientLine != "" && e.ClientLine != line {
			continue // the qualifier says this client line has no such file
		}
		w := AuditWatch{Path: path.Join(dir, e.Path), Key: "tanium-client-library", Reason: "a client library or signature"}
		if e.Kind == "process" {
			w.Key, w.Reason = "tanium-client-binary", "a client executable"
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b AuditWatch) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// normaliseRules keeps the rule lines in order with single spaces, and
// comment lines as written; blank lines go.
func normaliseRules(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
		case strings.HasPrefix(t, "#"):
			out = append(out, t)
		default:
			out = append(out, strings.Join(strings.Fields(t), " "))
		}
	}
	return out
}

// auditPackages names the audit daemon and dispatcher plugin packages for
// a distribution and the command installing them. The page asks for "the
// audit daemon and audispd-plugins"; the per-distribution names are the
// distributions' own.
func auditPackages(p osversion.Parsed) ([]string, string) {
	switch p.Distro {
	case "debian", "ubuntu":
		return []string{"auditd", "audispd-plugins"}, "apt-get install -y auditd audispd-plugins"
	case "sles", "opensuse":
		return []string{"audit", "audit-audispd-plugins"}, "zypper install -y audit audit-audispd-plugins"
	}
	tool := "dnf"
	if (p.Distro == "rhel" || p.Distro == "centos" || p.Distro == "oracle") && p.Version.Less(version.MustParse("8")) ||
		p.Distro == "amazon" && p.Version.Compare(version.MustParse("2")) == 0 {
		tool = "yum"
	}
	return []string{"audit", "audispd-plugins"}, tool + " install -y audit audispd-plugins"
}
