package plan

import (
	"cmp"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/version"
)

// ExclusionTarget is the resolved exclusion list of one target: the Module
// Server, a Zone Server, or an endpoint group.
type ExclusionTarget struct {
	// Target is the file stem: "module-server-tms1", "endpoints-win".
	Target string
	// Name is the logical name, "module_server.tms1".
	Name string
	// OS is windows, linux or macos.
	OS string
	// Dir is the install or client directory the entries are resolved in.
	Dir string
	// ClientLine is the client version line whose entries apply ("7.2" or
	// "7.4"), empty for servers.
	ClientLine string
	// Inferred is set when the client version is in neither listed line
	// and ClientLine is the nearest one.
	Inferred bool
	// Entries are sorted by kind (processes first), then path.
	Entries []Exclusion
	// Release is the Windows release of an endpoint group, "" for servers
	// and other OSes. Defender says whether Windows targets have Defender's
	// PowerShell module for Add-MpPreference: DefenderBuiltIn (Windows 10 /
	// Server 2016 and later, and the servers), DefenderByAgent (only with
	// Defender for Endpoint's unified agent, Server 2012 R2) or
	// DefenderNone (older releases: the list goes to the AV product's own
	// console).
	Release  string
	Defender string
	// DirFrom says where Dir comes from for an endpoint group: "" for its
	// client_dir, else which of the catalog's defaults.
	DirFrom string
}

// ClientDir is the Tanium Client directory of group g and, when it is a
// default, which: the catalog's per OS, on Windows per architecture.
func ClientDir(c *catalog.Catalog, g *model.EndpointGroup) (dir, from string) {
	if g.ClientDir != nil {
		return *g.ClientDir, ""
	}
	if g.OS == model.OSWindows && g.ArchitectureOrDefault() == model.ArchX86 {
		return c.Client.DefaultDirs["windows_x86"], "the default for x86 Windows"
	}
	if g.OS == model.OSWindows {
		return c.Client.DefaultDirs[g.OS], "the default for x64 Windows (architecture = \"x86\" for 32-bit endpoints)"
	}
	return c.Client.DefaultDirs[g.OS], "the default for " + g.OS
}

// Defender PowerShell module availability (ExclusionTarget.Defender).
const (
	DefenderBuiltIn = "built-in"
	DefenderByAgent = "agent"
	DefenderNone    = "none"
)

// Exclusion is one resolved exclusion.
type Exclusion struct {
	// Path is absolute, with the target OS's separator.
	Path string
	// Kind is "process" (an executable) or "file".
	Kind string
	// Condition says why a version-specific entry is present, "client 7.4.x".
	Condition string
	// Reference cites the vendor's table.
	Reference string
}

// Processes returns the process entries: the start of Entries, which
// sorts them first, so targets that share Entries share these too.
func (t ExclusionTarget) Processes() []Exclusion {
	n := 0
	for n < len(t.Entries) && t.Entries[n].Kind == "process" {
		n++
	}
	return t.Entries[:n:n]
}

// Default install directories of the servers, and client directories per OS.
func defaultDir(c *catalog.Catalog, kind, os string) string {
	switch kind {
	case "module_server", "zone_server":
		return c.ServerDirs[kind]
	}
	return c.Client.DefaultDirs[os]
}

// Exclusions resolves the catalog's exclusion lists for every target of d:
// the Module Server, each Zone Server, and each endpoint group (by its OS
// and client line). Sorted by target. Targets that resolve the same list
// in the same directory share one Entries slice, which callers must treat
// as read-only.
func Exclusions(d *model.Deployment, c *catalog.Catalog) []ExclusionTarget {
	r := resolver{c: c, done: map[resolveKey][]Exclusion{}}
	var out []ExclusionTarget
	ms := d.ModuleServers[0]
	out = append(out, r.target("module-server-"+ms.Name, "module_server."+ms.Name, "module_server", "windows",
		model.Str(ms.InstallDir, defaultDir(c, "module_server", "windows")), "", false))
	used := map[string]bool{}
	for _, g := range d.EndpointGroups {
		if g.ConnectVia != nil {
			used[*g.ConnectVia] = true
		}
	}
	for _, z := range d.ZoneServers {
		if !used[z.Name] {
			continue // no group connects through it (zone-server-unused): nothing to install or exclude there
		}
		out = append(out, r.target("zone-server-"+z.Name, "zone_server."+z.Name, "zone_server", "windows",
			model.Str(z.InstallDir, defaultDir(c, "zone_server", "windows")), "", false))
	}
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		v, err := version.Parse(g.ClientVersion)
		if err != nil {
			continue // check reported it
		}
		line, inferred := c.ExclusionLine(v)
		dir, from := ClientDir(c, g)
		t := r.target("endpoints-"+g.Name, "endpoint_group."+g.Name, g.OS, g.OS, dir, line, inferred)
		t.DirFrom = from
		if g.OS == model.OSWindows {
			var module bool
			t.Release, _, module = windowsRelease(g.OSVersion)
			switch {
			case osversion.DefenderByAgent(t.Release):
				t.Defender = DefenderByAgent
			case !module:
				t.Defender = DefenderNone
			}
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b ExclusionTarget) int { return strings.Compare(a.Target, b.Target) })
	return out
}

// resolver resolves exclusion lists, each distinct list once.
type resolver struct {
	c    *catalog.Catalog
	done map[resolveKey][]Exclusion
}

type resolveKey struct{ listKind, dir, line string }

// target returns the exclusion target for the catalog list listKind
// joined onto dir.
func (r resolver) target(target, name, listKind, os, dir, line string, inferred bool) ExclusionTarget {
	list := r.c.Exclusions[listKind]
	t := ExclusionTarget{Target: target, Name: name, OS: os, Dir: cleanDir(dir, list.Separator), ClientLine: line, Inferred: inferred, Defender: DefenderBuiltIn}
	key := resolveKey{listKind, t.Dir, line}
	entries, ok := r.done[key]
	if !ok {
		entries = resolve(list, t.Dir, line)
		r.done[key] = entries
	}
	t.Entries = entries
	return t
}

// resolve joins the entries of list that apply to client line onto dir,
// processes first, then by path.
func resolve(list catalog.ExclusionList, dir, line string) []Exclusion {
	var entries []Exclusion
	for _, e := range list.Entries {
		if e.ClientLine != "" && e.ClientLine != line {
			continue
		}
		x := Exclusion{
			Path:      joinPath(dir, e.Path, list.Separator),
			Kind:      e.Kind,
			Reference: e.Source.PageTitle() + ", Security exclusions, Table 1: " + list.Target,
		}
		if e.ClientLine != "" {
			x.Condition = "client " + e.ClientLine + ".x"
		}
		if len(e.Errata) > 0 {
			x.Reference += " (erratum: " + e.Errata[0].Text + ")"
		}
		entries = append(entries, x)
	}
	slices.SortStableFunc(entries, func(a, b Exclusion) int {
		return cmp.Or(cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)), strings.Compare(a.Path, b.Path))
	})
	return entries
}

// kindRank orders processes before files.
func kindRank(kind string) int {
	if kind == "process" {
		return 0
	}
	return 1
}

// cleanDir removes trailing separators (keeping a root such as C:\ or /)
// and collapses doubled ones, except a UNC path's leading pair.
func cleanDir(dir, sep string) string {
	prefix := ""
	if sep == `\` && strings.HasPrefix(dir, `\\`) {
		prefix, dir = `\\`, dir[2:]
	}
	for strings.Contains(dir, sep+sep) {
		dir = strings.ReplaceAll(dir, sep+sep, sep)
	}
	for len(dir) > 1 && strings.HasSuffix(dir, sep) && !(sep == `\` && len(dir) == 3 && dir[1] == ':') {
		dir = strings.TrimSuffix(dir, sep)
	}
	return prefix + dir
}

// joinPath joins a directory and a relative path with sep, with exactly one
// separator between them.
func joinPath(dir, rel, sep string) string {
	return strings.TrimSuffix(dir, sep) + sep + strings.TrimPrefix(rel, sep)
}
