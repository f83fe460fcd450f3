// Package catalog reads the Threat Response requirements catalogs embedded in
// the schema package: every fact trgen checks or renders, each with the section
// of the vendor's requirements page it comes from and any erratum recorded
// beside it. It decides nothing about a deployment; the check and plan
// packages do that with what it returns.
package catalog

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/trgen/trgen/internal/version"
	"github.com/trgen/trgen/schema"
)

// Source points at the passage of the requirements page a fact comes from.
type Source struct {
	Section string `json:"section"`
	Quote   string `json:"quote"`
	// Page is the title of the page the catalog transcribes (its
	// document.title), set on every source when the catalog loads.
	Page string `json:"-"`
}

// String renders the source for a diagnostic: the page and its section.
func (s Source) String() string { return s.PageTitle() + ", \"" + s.Section + "\"" }

// PageTitle is the title of the page the source quotes.
func (s Source) PageTitle() string {
	if s.Page == "" {
		return "the requirements page" // a Source not read from a catalog
	}
	return s.Page
}

// setPages sets Page on every Source the catalog holds to the catalog's
// document title.
func (c *Catalog) setPages() {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[Source]() {
				v.FieldByName("Page").SetString(c.Document.Title)
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				e := reflect.New(v.Type().Elem()).Elem()
				e.Set(v.MapIndex(k))
				walk(e)
				v.SetMapIndex(k, e)
			}
		}
	}
	walk(reflect.ValueOf(c).Elem())
}

// PageNote is a statement of the page that trgen records and shows,
// without deriving a check from it.
type PageNote struct {
	ID     string    `json:"id"`
	Text   string    `json:"text"`
	Source Source    `json:"source"`
	Errata []Erratum `json:"errata,omitempty"`
}

// Reading is how trgen applies a passage of the page that needs a
// decision (a qualifier such as "(Optional)" or "By default", an example
// list, a table that lists one thing at two ends).
type Reading struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Source Source `json:"source"`
}

// Reading returns the reading with id, if the catalog has it.
func (c *Catalog) Reading(id string) (Reading, bool) {
	for _, r := range c.Readings {
		if r.ID == id {
			return r, true
		}
	}
	return Reading{}, false
}

// Erratum records where the page is wrong or ambiguous and what trgen does.
type Erratum struct {
	Text string `json:"text"`
}

// Catalog is the requirements of one Threat Response version line.
type Catalog struct {
	CatalogVersion string `json:"catalog_version"`
	Document       struct {
		Title       string `json:"title"`
		Address     string `json:"address"`
		LastUpdated string `json:"last_updated"`
		Note        string `json:"note"`
	} `json:"document"`
	ThreatResponse struct {
		Min    string    `json:"min"`
		Below  string    `json:"below"`
		Source Source    `json:"source"`
		Errata []Erratum `json:"errata"`
	} `json:"threat_response"`
	Licenses     []License `json:"licenses"`
	CorePlatform struct {
		MinVersion string `json:"min_version"`
		Source     Source `json:"source"`
	} `json:"core_platform"`
	Client         Client            `json:"client"`
	ServerDirs     map[string]string `json:"server_dirs"`
	Modules        []Module          `json:"modules"`
	Features       []Feature         `json:"features"`
	ComputerGroups struct {
		Required []string `json:"required"`
		Source   Source   `json:"source"`
	} `json:"computer_groups"`
	Windows struct {
		Versions  []WindowsVersion `json:"versions"`
		Source    Source           `json:"source"`
		DNSSource Source           `json:"dns_source"`
		Errata    []Erratum        `json:"errata"`
	} `json:"windows"`
	MacOS struct {
		MinVersion string `json:"min_version"`
		Source     Source `json:"source"`
	} `json:"macos"`
	Linux struct {
		Note   string `json:"note"`
		Source Source `json:"source"`
	} `json:"linux"`
	Sizing      Sizing       `json:"sizing"`
	Recorder    Recorder     `json:"recorder"`
	LinuxAudit  LinuxAudit   `json:"linux_audit"`
	KnownIssues []KnownIssue `json:"known_issues"`
	// PageNotes are what the page states that changes no check and no
	// output; trgen requirements shows them.
	PageNotes []PageNote `json:"page_notes,omitempty"`
	// Readings are trgen's readings of the page where a qualifier or an
	// ambiguity needs a decision: trgen's, not the vendor's.
	Readings    []Reading                `json:"readings,omitempty"`
	Ports       []Port                   `json:"ports"`
	Exclusions  map[string]ExclusionList `json:"exclusions"`
	Permissions []Permission             `json:"permissions"`
	ContentSets []struct {
		Name   string `json:"name"`
		Source Source `json:"source"`
	} `json:"content_sets"`
	PermissionFootnotes []Footnote `json:"permission_footnotes"`
	ProvidedRoles       struct {
		Roles []struct {
			Name   string `json:"name"`
			Module string `json:"module"`
			Source Source `json:"source"`
		} `json:"roles"`
		Matrix     string `json:"matrix"`
		MatrixNote string `json:"matrix_note"`
	} `json:"provided_roles"`

	// File is the file a catalog given with --catalog was read from;
	// empty for trgen's own.
	File string `json:"-"`

	raw   []byte
	min   version.Version
	below version.Version
}

// License is one license entitlement the page names.
type License struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Note   string `json:"note,omitempty"`
	Source Source `json:"source"`
}

// Client holds the Tanium Client version rules.
type Client struct {
	MinVersion       string `json:"min_version"`
	Source           Source `json:"source"`
	ExcludedVersions []struct {
		Version string `json:"version"`
		Source  Source `json:"source"`
	} `json:"excluded_versions"`
	ListedLines  []ClientLine `json:"listed_lines"`
	MacOSMinimum struct {
		MacOSFrom  string    `json:"macos_from"`
		MinVersion string    `json:"min_version"`
		Source     Source    `json:"source"`
		Errata     []Erratum `json:"errata"`
	} `json:"macos_minimum"`
	Unlisted struct {
		Source Source `json:"source"`
	} `json:"unlisted"`
	DefaultDirs map[string]string `json:"default_dirs"`
}

// ClientLine is a client version line the page lists as supported.
type ClientLine struct {
	Line                   string `json:"line"`
	From                   string `json:"from"`
	AndLater               bool   `json:"and_later"`
	RequiresThreatResponse string `json:"requires_threat_response"`
	Source                 Source `json:"source"`
}

// Module is a Tanium module Threat Response works with.
type Module struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Optional bool   `json:"optional"`
}

// Feature is a Threat Response feature and the modules it needs: any one of
// the alternatives, each a set of module version ranges.
type Feature struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	AnyOf []struct {
		Requires []ModuleRange `json:"requires"`
		Source   Source        `json:"source"`
		Errata   []Erratum     `json:"errata"`
	} `json:"any_of"`
}

// ModuleRange is a module with an inclusive minimum and optional inclusive maximum.
type ModuleRange struct {
	Module string `json:"module"`
	Min    string `json:"min"`
	Max    string `json:"max,omitempty"`
}

// Describe says the range in words for the module called name:
// "name 4.1.0 to 4.10.5", or "name 5.0 or later" when it has no Max.
func (r ModuleRange) Describe(name string) string {
	if r.Max != "" {
		return name + " " + r.Min + " to " + r.Max
	}
	return name + " " + r.Min + " or later"
}

// Admits reports whether module version v is in the range: Min or later
// and, when Max is set, Max or earlier. The schema's patterns guarantee
// both parse.
func (r ModuleRange) Admits(v version.Version) bool {
	if v.Less(version.MustParse(r.Min)) {
		return false
	}
	return r.Max == "" || !version.MustParse(r.Max).Less(v)
}

// WindowsVersion is one canonical Windows release and what the recorder can do on it.
type WindowsVersion struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Order     int    `json:"order"`
	Supported bool   `json:"supported"`
	DNSEvents bool   `json:"dns_events"`
}

// Sizing holds the endpoint database, disk, CPU and memory requirements.
type Sizing struct {
	DatabaseMB struct {
		Min     int       `json:"min"`
		Max     int       `json:"max"`
		Default int       `json:"default"`
		Source  Source    `json:"source"`
		Errata  []Erratum `json:"errata"`
	} `json:"database_mb"`
	FreeDiskFactor int    `json:"free_disk_factor"`
	FreeDiskSource Source `json:"free_disk_source"`
	MBPerGB        int    `json:"mb_per_gb"`
	MinCPUs        int    `json:"min_cpus"`
	CPUSource      Source `json:"cpu_source"`
	MinMemoryGB    int    `json:"min_memory_gb"`
	MemorySource   Source `json:"memory_source"`
}

// Recorder holds the Windows event source facts and the driver steps.
type Recorder struct {
	EventSources []struct {
		ID             string `json:"id"`
		Name           string `json:"name"`
		Default        bool   `json:"default"`
		DeprecatedFrom string `json:"deprecated_from"`
		Source         Source `json:"source"`
	} `json:"event_sources"`
	DriverRequiredFor    string   `json:"driver_required_for"`
	DriverRequiredSource Source   `json:"driver_required_source"`
	DriverDefaultFrom    string   `json:"driver_default_from"`
	DriverDefaultSource  Source   `json:"driver_default_source"`
	DriverUpgradeSteps   []string `json:"driver_upgrade_steps"`
	DriverUpgradeSource  Source   `json:"driver_upgrade_source"`
	EventSourceChange    Source   `json:"event_source_change"`
}

// LinuxAudit holds what the recorder needs from auditd.
type LinuxAudit struct {
	Packages  Source `json:"packages"`
	Immutable struct {
		Flag            string `json:"flag"`
		RestartRequired bool   `json:"restart_required"`
		Source          Source `json:"source"`
		RulesOrder      Source `json:"rules_order_source"`
	} `json:"immutable"`
	FailurePanic struct {
		Flag        string `json:"flag"`
		FailureMode int    `json:"failure_mode"`
		Source      Source `json:"source"`
	} `json:"failure_panic"`
}

// KnownIssue is a known product issue that applies to some deployments.
type KnownIssue struct {
	ID             string `json:"id"`
	ThreatResponse string `json:"threat_response"`
	MacOSFrom      string `json:"macos_from"`
	Text           string `json:"text"`
	Source         Source `json:"source"`
}

// Port is one row of the page's port table.
type Port struct {
	Component string `json:"component"`
	Port      int    `json:"port"`
	Protocol  string `json:"protocol"`
	Direction string `json:"direction"`
	Service   string `json:"service"`
	Purpose   string `json:"purpose"`
	Optional  bool   `json:"optional"`
	// Flow is the deployment flow the row opens (one of the Flow*
	// constants), on the row of the end that listens; empty on the rows
	// that describe the same flow from its other end.
	Flow      string         `json:"flow,omitempty"`
	Transfers map[string]int `json:"transfers,omitempty"`
	Source    Source         `json:"source"`
	Errata    []Erratum      `json:"errata,omitempty"`
}

// ExclusionKeys are the keys of Catalog.Exclusions, in the order trgen
// lists them: the servers first, then the endpoint operating systems.
var ExclusionKeys = []string{"module_server", "zone_server", "windows", "linux", "macos"}

// ExclusionList is the page's exclusion list for one kind of target
// (module_server, zone_server, windows, linux, macos).
type ExclusionList struct {
	Target    string      `json:"target"`
	Root      string      `json:"root"`
	Separator string      `json:"separator"`
	Entries   []Exclusion `json:"entries"`
}

// Exclusion is one path to exclude, relative to the target's install directory.
type Exclusion struct {
	Path       string    `json:"path"`
	Kind       string    `json:"kind"`
	ClientLine string    `json:"client_line,omitempty"`
	Note       string    `json:"note,omitempty"`
	Source     Source    `json:"source"`
	Errata     []Erratum `json:"errata,omitempty"`
}

// Footnote is one of the permission table's footnotes.
type Footnote struct {
	ID    int    `json:"id"`
	Text  string `json:"text"`
	Needs []struct {
		Module string `json:"module"`
		Min    string `json:"min,omitempty"`
	} `json:"needs,omitempty"`
	Source Source `json:"source"`
}

// Permission is one role permission of tables 2 to 4.
type Permission struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Module      string `json:"module"`
	Description string `json:"description"`
	// ProvidedMarks counts the row's role cells marked with footnote 1
	// (a provided permission); the columns did not survive in text.
	ProvidedMarks int   `json:"provided_marks,omitempty"`
	Footnotes     []int `json:"footnotes,omitempty"`
	// Needs narrows footnote 2's modules ("such as Protect, Connect, or
	// Interact") to those this permission needs, where its row says which
	// (trgen's reading, footnote-2-examples); empty: any of them.
	Needs       []string `json:"needs,omitempty"`
	ContentSets []string `json:"content_sets,omitempty"`
	Global      bool     `json:"global,omitempty"`
	// Enables names the deployment feature the page recommends this
	// advanced permission for, on its first content set.
	Enables string    `json:"enables,omitempty"`
	Source  Source    `json:"source"`
	Errata  []Erratum `json:"errata,omitempty"`
}

// Footnote returns the permission footnote numbered id (zero when the
// catalog has none).
func (c *Catalog) Footnote(id int) Footnote {
	for _, f := range c.PermissionFootnotes {
		if f.ID == id {
			return f
		}
	}
	return Footnote{}
}

// footnote2Modules are the modules footnote 2 gives, in its order.
func (c *Catalog) footnote2Modules() []string {
	var out []string
	for _, n := range c.Footnote(2).Needs {
		out = append(out, n.Module)
	}
	return out
}

// strayNeeds lists, as JSON pointers, the permissions' needs that name a
// module footnote 2 does not give.
func (c *Catalog) strayNeeds() []string {
	var out []string
	given := c.footnote2Modules()
	for i, p := range c.Permissions {
		for j, m := range p.Needs {
			if !slices.Contains(given, m) {
				out = append(out, fmt.Sprintf("/permissions/%d/needs/%d", i, j))
			}
		}
	}
	return out
}

// EnablesLiveConnections is Permission.Enables for the permission that
// lets Trace users make live connections without action approval
// (features.live_connections_without_approval).
const EnablesLiveConnections = "live_connections_without_approval"

// PermissionEnabling returns the permission the page recommends for a
// deployment feature (Permission.Enables), and whether the catalog names
// one. The catalog schema requires exactly one for
// EnablesLiveConnections, with a content set.
func (c *Catalog) PermissionEnabling(feature string) (Permission, bool) {
	for _, p := range c.Permissions {
		if p.Enables == feature {
			return p, true
		}
	}
	return Permission{}, false
}

// Set is every embedded catalog, oldest version line first.
type Set struct {
	catalogs []*Catalog
}

// Load reads every catalog embedded in the schema package.
func Load() (*Set, error) { return LoadFS(schema.FS, "catalog") }

// LoadFS reads every *.json file of dir in fsys as a catalog.
func LoadFS(fsys fs.FS, dir string) (*Set, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	s := &Set{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		c := &Catalog{raw: data}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		if err := dec.Decode(c); err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		if c.min, err = version.Parse(c.ThreatResponse.Min); err != nil {
			return nil, fmt.Errorf("catalog %s: threat_response.min: %w", name, err)
		}
		if c.below, err = version.Parse(c.ThreatResponse.Below); err != nil {
			return nil, fmt.Errorf("catalog %s: threat_response.below: %w", name, err)
		}
		c.setPages()
		s.catalogs = append(s.catalogs, c)
	}
	if len(s.catalogs) == 0 {
		return nil, fmt.Errorf("no catalog in %s", dir)
	}
	sort.Slice(s.catalogs, func(i, j int) bool { return s.catalogs[i].min.Less(s.catalogs[j].min) })
	return s, nil
}

// For returns the catalog covering Threat Response version v, or nil.
func (s *Set) For(v version.Version) *Catalog {
	for _, c := range s.catalogs {
		if c.Covers(v) {
			return c
		}
	}
	return nil
}

// Latest returns the catalog of the newest version line.
func (s *Set) Latest() *Catalog { return s.catalogs[len(s.catalogs)-1] }

// All returns every catalog, oldest first.
func (s *Set) All() []*Catalog { return s.catalogs }

// Ranges describes the supported Threat Response versions, for messages.
func (s *Set) Ranges() string {
	var parts []string
	for _, c := range s.catalogs {
		parts = append(parts, c.Range())
	}
	return strings.Join(parts, ", ")
}

// Covers reports whether v falls in the catalog's version line.
func (c *Catalog) Covers(v version.Version) bool { return v.AtLeast(c.min) && v.Less(c.below) }

// Range describes the catalog's version line, e.g. "2.0.0 up to (not including) 2.3.0".
func (c *Catalog) Range() string {
	return c.ThreatResponse.Min + " up to (not including) " + c.ThreatResponse.Below
}

// Raw returns the catalog exactly as embedded.
func (c *Catalog) Raw() []byte { return c.raw }

// WindowsVersion returns the facts for a canonical Windows release name.
func (c *Catalog) WindowsVersion(name string) (WindowsVersion, bool) {
	for _, w := range c.Windows.Versions {
		if w.Name == name {
			return w, true
		}
	}
	return WindowsVersion{}, false
}

// PageNote returns the page note with the given id: a statement of the
// page an output quotes where it changes advice.
func (c *Catalog) PageNote(id string) (PageNote, bool) {
	for _, n := range c.PageNotes {
		if n.ID == id {
			return n, true
		}
	}
	return PageNote{}, false
}

// Feature returns the feature with the given id.
func (c *Catalog) Feature(id string) (Feature, bool) {
	for _, f := range c.Features {
		if f.ID == id {
			return f, true
		}
	}
	return Feature{}, false
}

// Module returns the module with the given id.
func (c *Catalog) Module(id string) (Module, bool) {
	for _, m := range c.Modules {
		if m.ID == id {
			return m, true
		}
	}
	return Module{}, false
}

// LicenseIDs lists the license ids, in catalog order.
func (c *Catalog) LicenseIDs() []string {
	ids := make([]string, len(c.Licenses))
	for i, l := range c.Licenses {
		ids[i] = l.ID
	}
	return ids
}

// Flows a port row can open (Port.Flow): what each is in a deployment is
// trgen's reading of the port table, recorded in the catalog data.
const (
	FlowTaniumServer       = "tanium_server"        // Tanium Server → Module Server
	FlowSnapshotUpload     = "snapshot_upload"      // endpoints → Module Server
	FlowLiveConnection     = "live_connection"      // endpoints → Module Server
	FlowLiveConnectionZone = "live_connection_zone" // endpoints → Zone Server
	FlowZoneHub            = "zone_hub"             // Module Server → Zone Server
	FlowIntelHTTP          = "intel_stream_http"    // Module Server → http:// intel stream
	FlowIntelHTTPS         = "intel_stream_https"   // Module Server → https:// intel stream
	FlowDataCollection     = "data_collection"      // endpoints → data collection destination
)

// PortsFor returns the port rows that open flow, in catalog order.
func (c *Catalog) PortsFor(flow string) []Port {
	var out []Port
	for _, p := range c.Ports {
		if p.Flow == flow {
			out = append(out, p)
		}
	}
	return out
}

// TransferPort returns the data collection row and port of a transfer
// method, and whether the catalog has one.
func (c *Catalog) TransferPort(transfer string) (Port, int, bool) {
	for _, p := range c.PortsFor(FlowDataCollection) {
		if port, ok := p.Transfers[transfer]; ok {
			return p, port, true
		}
	}
	return Port{}, 0, false
}

// ClientLines returns the client version lines the exclusion lists have
// version-specific entries for ("7.2", "7.4"), lowest first.
func (c *Catalog) ClientLines() []string {
	seen := map[string]bool{}
	var lines []string
	for _, list := range c.Exclusions {
		for _, e := range list.Entries {
			if e.ClientLine != "" && !seen[e.ClientLine] {
				seen[e.ClientLine] = true
				lines = append(lines, e.ClientLine)
			}
		}
	}
	sort.Slice(lines, func(i, j int) bool { return version.MustParse(lines[i]).Less(version.MustParse(lines[j])) })
	return lines
}

// ExclusionLine returns the client version line whose version-specific
// exclusion entries apply to client v, and whether it was inferred. A
// client of a listed line takes that line; any other takes the lowest
// listed line above it, or the highest listed line when none is above
// (trgen's reading: with lines 7.2 and 7.4, a 7.3 client takes 7.4, a 7.1
// client 7.2). It returns "" when the catalog has no version-specific
// entries.
func (c *Catalog) ExclusionLine(v version.Version) (line string, inferred bool) {
	lines := c.ClientLines()
	for _, l := range lines {
		if v.HasPrefix(version.MustParse(l)) {
			return l, false
		}
	}
	for _, l := range lines {
		if v.Less(version.MustParse(l)) {
			return l, true
		}
	}
	if len(lines) == 0 {
		return "", false
	}
	return lines[len(lines)-1], true
}

// RecorderFiles returns the files the recorder writes continuously on
// Linux (its database and audit pipe), relative to the client directory:
// the Linux exclusion entries under extensions/recorder/. Audit rules must
// not watch them.
func (c *Catalog) RecorderFiles() []string {
	var out []string
	for _, e := range c.Exclusions["linux"].Entries {
		if strings.HasPrefix(e.Path, "extensions/recorder/") {
			out = append(out, e.Path)
		}
	}
	return out
}
