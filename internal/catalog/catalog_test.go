package catalog_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/catalog/catalogtest"
	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/osversion"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/version"
	"github.com/trgen/trgen/schema"
	"github.com/trgen/trgen/templates"
)

func load(t *testing.T) *catalog.Set {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestCatalogSchema validates every embedded catalog against catalog.schema.json.
func TestCatalogSchema(t *testing.T) {
	data, err := schema.FS.ReadFile("catalog.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("catalog.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("catalog.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range load(t).All() {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(cat.Raw()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("catalog %s: %v", cat.CatalogVersion, err)
		}
	}
}

// requirementsText is the vendor page the built-in catalog transcribes,
// given by golden.PageEnv; without it the test skips and says why.
func requirementsText(t *testing.T) string {
	t.Helper()
	return normalize(string(golden.RequirementsPage(t)))
}

func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// TestSourcesQuoteThePage checks that every source quote in every catalog
// occurs, word for word, in the vendor's requirements page.
func TestSourcesQuoteThePage(t *testing.T) {
	page := requirementsText(t)
	for _, cat := range load(t).All() {
		var doc any
		if err := json.Unmarshal(cat.Raw(), &doc); err != nil {
			t.Fatal(err)
		}
		n := 0
		walk(doc, "", func(path string, obj map[string]any) {
			sec, ok1 := obj["section"].(string)
			q, ok2 := obj["quote"].(string)
			if !ok1 || !ok2 {
				return
			}
			n++
			if !strings.Contains(page, normalize(q)) {
				t.Errorf("%s: quote not in the requirements page: %q", path, q)
			}
			if sec == "" {
				t.Errorf("%s: empty section", path)
			}
		})
		if n < 200 {
			t.Errorf("only %d sourced facts found; the walk is broken", n)
		}
	}
}

func walk(v any, path string, f func(string, map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(path, x)
		for k, e := range x {
			walk(e, path+"/"+k, f)
		}
	case []any:
		for i, e := range x {
			walk(e, path+"/"+string(rune('0'+i%10)), f)
		}
	}
}

// TestFacts pins the facts issue 2 names, so a catalog edit that changes
// one is a visible test change.
func TestFacts(t *testing.T) {
	c := load(t).For(version.MustParse("2.2.0"))
	if c == nil {
		t.Fatal("no catalog for 2.2.0")
	}
	checks := map[string][2]any{
		"core platform":     {c.CorePlatform.MinVersion, "7.2.314.3550"},
		"client minimum":    {c.Client.MinVersion, "7.2.314.3476"},
		"excluded client":   {c.Client.ExcludedVersions[0].Version, "7.2.314.3518"},
		"macos client":      {c.Client.MacOSMinimum.MinVersion, "7.2.314.3608"},
		"macos from":        {c.Client.MacOSMinimum.MacOSFrom, "10.15"},
		"7.4 line":          {c.Client.ListedLines[1].From, "7.4.1.1955"},
		"7.4 needs TR":      {c.Client.ListedLines[1].RequiresThreatResponse, "2.1.0"},
		"macos min":         {c.MacOS.MinVersion, "10.11"},
		"db min":            {c.Sizing.DatabaseMB.Min, 256},
		"db max":            {c.Sizing.DatabaseMB.Max, 1024},
		"disk factor":       {c.Sizing.FreeDiskFactor, 3},
		"cpus":              {c.Sizing.MinCPUs, 2},
		"memory":            {c.Sizing.MinMemoryGB, 4},
		"sysmon deprecated": {c.Recorder.EventSources[1].DeprecatedFrom, "2.2.0"},
		"failure mode":      {c.LinuxAudit.FailurePanic.FailureMode, 2},
		"groups":            {strings.Join(c.ComputerGroups.Required, ","), "All Computers,All Windows,All Linux,All Mac"},
		"driver steps":      {len(c.Recorder.DriverUpgradeSteps), 6},
		"module server ex":  {len(c.Exclusions["module_server"].Entries), 7},
		"zone server ex":    {len(c.Exclusions["zone_server"].Entries), 1},
		"windows ex":        {len(c.Exclusions["windows"].Entries), 32},
		"linux ex":          {len(c.Exclusions["linux"].Entries), 25},
		"macos ex":          {len(c.Exclusions["macos"].Entries), 24},
		"ports":             {len(c.Ports), 10},
		"table 2":           {countKind(c, "module"), 92},
		"table 3":           {countKind(c, "micro_admin"), 4},
		"content sets":      {len(c.ContentSets), 10},
	}
	for name, p := range checks {
		if !reflect.DeepEqual(p[0], p[1]) {
			t.Errorf("%s = %v, want %v", name, p[0], p[1])
		}
	}
	// The Linux signature erratum: the page's .dylib.sig becomes .so.sig.
	found := false
	for _, e := range c.Exclusions["linux"].Entries {
		if strings.HasSuffix(e.Path, ".dylib.sig") || strings.HasSuffix(e.Path, ".dylib") {
			t.Errorf("linux entry %s names a macOS file", e.Path)
		}
		if e.Path == "extensions/libTaniumRecorder.so.sig" {
			found = len(e.Errata) == 1 && strings.Contains(e.Errata[0].Text, "libTaniumRecorder.dylib.sig")
		}
	}
	if !found {
		t.Error("linux libTaniumRecorder.so.sig entry with its erratum is missing")
	}
	// Action_nnn is a wildcard.
	for _, l := range c.Exclusions {
		for _, e := range l.Entries {
			if strings.Contains(e.Path, "Action_nnn") {
				t.Errorf("%s: Action_nnn not turned into a wildcard", e.Path)
			}
		}
	}
}

func countKind(c *catalog.Catalog, kind string) int {
	n := 0
	for _, p := range c.Permissions {
		if p.Kind == kind {
			n++
		}
	}
	return n
}

// TestWindowsNamesCovered: every canonical Windows name the parser can
// return has its facts in every catalog, and vice versa.
func TestWindowsNamesCovered(t *testing.T) {
	for _, c := range load(t).All() {
		for _, name := range osversion.WindowsNames {
			if _, ok := c.WindowsVersion(name); !ok {
				t.Errorf("catalog %s lacks %q", c.CatalogVersion, name)
			}
		}
		if len(c.Windows.Versions) != len(osversion.WindowsNames) {
			t.Errorf("catalog %s has %d Windows versions, the parser knows %d", c.CatalogVersion, len(c.Windows.Versions), len(osversion.WindowsNames))
		}
	}
}

// TestVersionsParse: every version string in a catalog parses.
func TestVersionsParse(t *testing.T) {
	for _, c := range load(t).All() {
		var doc any
		_ = json.Unmarshal(c.Raw(), &doc)
		walk(doc, "", func(path string, obj map[string]any) {
			for _, k := range []string{"min_version", "version", "min", "max", "from", "below", "requires_threat_response", "deprecated_from", "macos_from", "threat_response", "driver_default_from"} {
				if s, ok := obj[k].(string); ok {
					if _, err := version.Parse(s); err != nil {
						t.Errorf("%s/%s: %v", path, k, err)
					}
				}
			}
		})
	}
}

func TestForAndRanges(t *testing.T) {
	set := load(t)
	for v, want := range map[string]bool{"1.9.9": false, "2.0.0": true, "2.2.9": true, "2.3.0": false} {
		if got := set.For(version.MustParse(v)) != nil; got != want {
			t.Errorf("For(%s) found=%v, want %v", v, got, want)
		}
	}
}

// TestEmbeddedCatalogsLoadAsFiles: trgen's own catalogs pass the checks a
// catalog given with --catalog must pass.
func TestEmbeddedCatalogsLoadAsFiles(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range set.All() {
		got, diags := catalog.LoadFile(c.CatalogVersion+".json", c.Raw())
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.CatalogVersion, diags)
		}
		if got.Latest().CatalogVersion != c.CatalogVersion || got.Latest().File == "" {
			t.Errorf("%s: read back as %q from %q", c.CatalogVersion, got.Latest().CatalogVersion, got.Latest().File)
		}
	}
}

// TestExclusionLine: a listed line is exact; another takes the lowest
// listed line above it, else the highest.
func TestExclusionLine(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := set.Latest()
	for v, want := range map[string]struct {
		line     string
		inferred bool
	}{
		"7.2.314.3632": {"7.2", false},
		"7.4.1.1955":   {"7.4", false},
		"7.1.0.1":      {"7.2", true},
		"7.3.0.5":      {"7.4", true},
		"7.5.0.10":     {"7.4", true},
	} {
		line, inferred := c.ExclusionLine(version.MustParse(v))
		if line != want.line || inferred != want.inferred {
			t.Errorf("ExclusionLine(%s) = %s, %v; want %s, %v", v, line, inferred, want.line, want.inferred)
		}
	}
}

// TestCatalogTextIsPrintable: a catalog given with --catalog is user input
// that trgen prints (requirements, diagnostics) and writes into every
// output. A control or bidi character in any string or key is a located
// error, not text that reaches a terminal or a document.
func TestCatalogTextIsPrintable(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	raw := string(set.Latest().Raw())
	for _, bad := range []string{`\u001b[31m`, `\u0007`, `\n`, `\u202e`, `\u061c`, "\u009b"} {
		// The document's note is a string; the first port's transfers keys
		// or purpose another: put bad into the note.
		i := strings.Index(raw, `"note": "`)
		if i < 0 {
			t.Fatal("the catalog has no note")
		}
		doc := raw[:i+len(`"note": "`)] + "before " + bad + " after" + raw[i+len(`"note": "`):]
		_, diags := catalog.LoadFile("c.json", []byte(doc))
		if !diags.HasErrors() {
			t.Errorf("%q in a string: loaded", bad)
			continue
		}
		d := diags[0]
		if d.Subject == nil || d.Subject.Start.Line < 2 || !strings.Contains(d.Detail, "/document/note") {
			t.Errorf("%q: not located at the note: %v (%s)", bad, d.Subject, d.Detail)
		}
	}
}

// TestModuleRangeAdmits: Min is inclusive; Max, when set, is inclusive
// too (the page's "4.1.0 to 4.10.5").
func TestModuleRangeAdmits(t *testing.T) {
	open := catalog.ModuleRange{Module: "connect", Min: "4.11"}
	closed := catalog.ModuleRange{Module: "connect", Min: "4.1.0", Max: "4.10.5"}
	for _, tc := range []struct {
		r    catalog.ModuleRange
		v    string
		want bool
	}{
		{open, "4.10.9", false}, {open, "4.11", true}, {open, "4.11.0", true}, {open, "9.0", true},
		{closed, "4.0.9", false}, {closed, "4.1.0", true}, {closed, "4.10.5", true}, {closed, "4.10.6", false}, {closed, "4.11", false},
	} {
		if got := tc.r.Admits(version.MustParse(tc.v)); got != tc.want {
			t.Errorf("%+v admits %s: %v, want %v", tc.r, tc.v, got, tc.want)
		}
	}
}

// TestBypassPermissionRequired: the role trgen adds for live connections
// without approval is built from the catalog's permission that enables
// them; a catalog without one is a located schema error, not a role
// granting nothing.
func TestBypassPermissionRequired(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	raw := string(set.Latest().Raw())
	const mark = `"enables": "live_connections_without_approval",`
	if !strings.Contains(raw, mark) {
		t.Fatal("the bundled catalog marks no permission")
	}
	_, diags := catalog.LoadFile("c.json", []byte(strings.Replace(raw, mark, "", 1)))
	if !diags.HasErrors() || diags[0].Subject == nil || !strings.Contains(diags[0].Detail, "/permissions") {
		t.Fatalf("a catalog without the permission: %v", diags)
	}
	twice := strings.Replace(raw, `"name": "Read Filter Group",`, `"name": "Read Filter Group", `+mark, 1)
	if _, diags := catalog.LoadFile("c.json", []byte(twice)); !diags.HasErrors() {
		t.Error("a catalog marking two permissions loaded")
	}
}

// TestPermissionNeedsFootnote2: a permission's needs narrow footnote 2 to
// modules the footnote gives. One that names another module, or needs on
// a permission without footnote 2, is a located catalog error, not a
// warning that names nothing.
func TestPermissionNeedsFootnote2(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	raw := string(set.Latest().Raw())
	const needs = "\"needs\": [\n        \"protect\"\n      ],"
	if !strings.Contains(raw, needs) {
		t.Fatal("the bundled catalog narrows no permission's footnote 2")
	}
	for _, tc := range []struct{ name, doc, where string }{
		{"a module footnote 2 does not give", strings.Replace(raw, needs, `"needs": ["quarantine"],`, 1), "/needs/0"},
		{"needs without footnote 2", strings.Replace(raw, `"name": "Read Filter Group",`, `"name": "Read Filter Group", "needs": ["protect"],`, 1), "/permissions/"},
	} {
		_, diags := catalog.LoadFile("c.json", []byte(tc.doc))
		if !diags.HasErrors() || diags[0].Subject == nil || diags[0].Subject.Start.Line == 0 || !strings.Contains(diags[0].Detail, tc.where) {
			t.Errorf("%s: %v", tc.name, diags)
		}
	}
}

// TestCitationsNameTheCatalogsPage: a source is cited under the title of
// the page its catalog transcribes (document.title), so a catalog given
// with --catalog for another page is not cited as the bundled one.
func TestCitationsNameTheCatalogsPage(t *testing.T) {
	other, c := catalogtest.Retitled(t, "Another requirements page")
	if got := c.CorePlatform.Source.String(); !strings.HasPrefix(got, c.Document.Title+", ") {
		t.Errorf("bundled: %q does not start with the page title %q", got, c.Document.Title)
	}
	o := other.Latest()
	for _, s := range []catalog.Source{o.CorePlatform.Source, o.Permissions[0].Source, o.Ports[0].Source, o.PermissionFootnotes[1].Source} {
		if got := s.String(); !strings.HasPrefix(got, "Another requirements page, ") {
			t.Errorf("--catalog: %q does not cite the catalog's page", got)
		}
	}
}

// TestPortsLiveInTheCatalog: the vendor's ports are catalog data. The
// deployment schema (and docs/language.md, made from it), the rule
// registry and the templates describe what a port is for, never which
// port it is, so a catalog for another version changes every statement
// of one. A port is found in any form ("tcp/17443", "port 17443",
// "17443/tcp", a bare 17443); the ports below 1024 that are not Tanium's
// alone (22, 443, 445) only in a port form.
func TestPortsLiveInTheCatalog(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	stated := map[int]bool{}
	for _, c := range set.All() {
		for _, p := range c.Ports {
			stated[p.Port] = true
			for _, n := range p.Transfers {
				stated[n] = true
			}
		}
	}
	data, err := fs.ReadFile(schema.FS, "deployment.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"schema/deployment.schema.json": string(data)}
	for _, r := range rule.All() {
		texts["rule "+string(r.ID)] = r.Title + " " + r.Description + " " + r.Fix
	}
	err = fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS, p)
		texts["templates/"+p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 30 {
		t.Fatalf("only %d texts to check", len(texts))
	}
	for where, text := range texts {
		for _, m := range portMentions(text, stated) {
			t.Errorf("%s states the catalog's port: %q", where, m)
		}
	}
}

// portMentions finds the ports of stated that text names.
func portMentions(text string, stated map[int]bool) []string {
	var out []string
	for port := range stated {
		form := fmt.Sprintf(`(?i)(?:tcp|udp)/%[1]d\b|\bports? %[1]d\b|\b%[1]d/(?:tcp|udp)\b`, port)
		if port >= 1024 {
			form = fmt.Sprintf(`(?:^|[^0-9.])%d(?:$|[^0-9])`, port)
		}
		out = append(out, regexp.MustCompile(form).FindAllString(text, -1)...)
	}
	return out
}

// TestPortMentions: the check above finds a port in every form a text
// might state it, and not in other numbers.
func TestPortMentions(t *testing.T) {
	stated := map[int]bool{17443: true, 22: true}
	for _, text := range []string{"open tcp/17443", "port 17443 only", "17443/tcp", "(17443)", "ports 17443-17444", "SFTP on tcp/22", "port 22", "22/tcp"} {
		if len(portMentions(text, stated)) == 0 {
			t.Errorf("%q: the port is not found", text)
		}
	}
	for _, text := range []string{"174430 bytes", "version 7.2.174431", "22 groups", "line 22", "2.17443"} {
		if m := portMentions(text, stated); len(m) > 0 {
			t.Errorf("%q: found %q, which is not a port", text, m)
		}
	}
}
