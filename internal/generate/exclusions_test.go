package generate_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/plan"
)

// vendorTable parses Table 1 of the requirements page itself, independently
// of the catalog: target heading -> entries as written ("<Tanium
// Client>\Python38\TPython.exe(7.4.x clients)").
func vendorTable(t *testing.T) map[string][]string {
	t.Helper()
	text := string(golden.RequirementsPage(t))
	text = text[strings.Index(text, "Table 1:"):strings.Index(text, "User role requirements")]
	headings := map[string]string{"Tanium Module Server ": "module_server", "Tanium Zone Server ": "zone_server",
		"Windows x86 and x64 endpoints ": "windows", "Linux x86 and x64 endpoints ": "linux", "Mac OS endpoints ": "macos"}
	out := map[string][]string{}
	cur := ""
	for _, line := range strings.Split(text, "\n")[2:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		for h, k := range headings {
			if strings.HasPrefix(line, h) {
				cur, line = k, strings.TrimPrefix(line, h)
			}
		}
		out[cur] = append(out[cur], line)
	}
	return out
}

var condRE = regexp.MustCompile(`\s*\((7\.[24])\.x clients\)$`)

// expected resolves the vendor's rows for a directory and client line the
// way the page says to: substitute the placeholder, keep rows whose
// condition matches, Action_nnn -> Action_*, and the Linux .dylib.sig
// erratum -> .so.sig.
func expected(rows []string, dir, sep, line string, linux bool) []string {
	var out []string
	for _, r := range rows {
		if m := condRE.FindStringSubmatch(r); m != nil {
			if m[1] != line {
				continue
			}
			r = condRE.ReplaceAllString(r, "")
		}
		r = r[strings.Index(r, ">")+1:]
		r = strings.ReplaceAll(r, "Action_nnn", "Action_*")
		if linux {
			r = strings.ReplaceAll(r, "libTaniumRecorder.dylib.sig", "libTaniumRecorder.so.sig")
		}
		out = append(out, strings.TrimSuffix(dir, sep)+sep+strings.TrimPrefix(r, sep))
	}
	sort.Strings(out)
	return out
}

// TestExclusionsMatchVendorTable compares, entry by entry, the resolved
// lists for every target kind, both client lines, and default and custom
// directories, with Table 1 of the vendor's page.
func TestExclusionsMatchVendorTable(t *testing.T) {
	table := vendorTable(t)
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := set.Latest()
	type tc struct {
		list, os, client, dir, wantDir string
	}
	cases := []tc{
		{"windows", "windows", "7.2.314.3632", "", `C:\Program Files (x86)\Tanium\Tanium Client`},
		{"windows", "windows", "7.4.1.1955", `D:\Tanium\Client\`, `D:\Tanium\Client`},
		{"linux", "linux", "7.2.314.3632", "", "/opt/Tanium/TaniumClient"},
		{"linux", "linux", "7.4.1.1955", "/srv//tanium/", "/srv/tanium"},
		{"macos", "macos", "7.2.314.3632", "", "/Library/Tanium/TaniumClient"},
		{"macos", "macos", "7.4.1.1955", "/Applications/Tanium", "/Applications/Tanium"},
	}
	for _, k := range cases {
		t.Run(k.os+"-"+k.client+"-"+k.wantDir, func(t *testing.T) {
			g := model.EndpointGroup{Name: "g", OS: k.os, ClientVersion: k.client}
			if k.dir != "" {
				g.ClientDir = &k.dir
			}
			d := &model.Deployment{ModuleServers: []model.ModuleServer{{Name: "m"}}, EndpointGroups: []model.EndpointGroup{g}}
			var got []string
			for _, tgt := range plan.Exclusions(d, c) {
				if tgt.Target == "endpoints-g" {
					for _, e := range tgt.Entries {
						got = append(got, e.Path)
					}
				}
			}
			sort.Strings(got)
			sep := "/"
			if k.os == "windows" {
				sep = `\`
			}
			line := "7.2"
			if strings.HasPrefix(k.client, "7.4") {
				line = "7.4"
			}
			want := expected(table[k.list], k.wantDir, sep, line, k.os == "linux")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-vendor +trgen):\n%s", diff)
			}
			if len(got) == 0 {
				t.Fatal("empty list")
			}
		})
	}
	// The servers: 7 Module Server entries, 1 Zone Server entry.
	d := &model.Deployment{ModuleServers: []model.ModuleServer{{Name: "m"}}, ZoneServers: []model.ZoneServer{{Name: "z"}}}
	for _, tgt := range plan.Exclusions(d, c) {
		list, dir := "module_server", c.ServerDirs["module_server"]
		if tgt.Target == "zone-server-z" {
			list, dir = "zone_server", c.ServerDirs["zone_server"]
		}
		var got []string
		for _, e := range tgt.Entries {
			got = append(got, e.Path)
		}
		sort.Strings(got)
		if diff := cmp.Diff(expected(table[list], dir, `\`, "", false), got); diff != "" {
			t.Errorf("%s (-vendor +trgen):\n%s", tgt.Target, diff)
		}
	}
}

// TestExclusionOutputs checks the generated files of the reference case
// beyond the goldens: list counts and the Defender script's structure.
func TestExclusionOutputs(t *testing.T) {
	files := renderSources(t, t.TempDir(), []load.Source{{Name: "deploy.hcl", Data: golden.ArchiveFile(t, "testdata/exclusions.txtar", "deploy.hcl")}})
	counts := map[string]int{
		"exclusions/module-server-tms1.txt": 7, "exclusions/zone-server-dmz1.txt": 1,
		"exclusions/endpoints-win72.txt": 30, "exclusions/endpoints-win74.txt": 31,
		"exclusions/endpoints-lin72.txt": 24, "exclusions/endpoints-mac74.txt": 23,
	}
	for p, n := range counts {
		lines := strings.Split(strings.TrimSuffix(string(files[p]), "\n"), "\n")
		if len(lines) != n {
			t.Errorf("%s has %d entries, want %d", p, len(lines), n)
		}
	}
	ps := string(files["exclusions/defender-module-server-tms1.ps1"])
	for _, want := range []string{"Add-MpPreference -ExclusionProcess $processes", "Add-MpPreference -ExclusionPath $paths", `'D:\Tanium\Module Server\services\trace-service\node.exe'`, "Get-MpPreference", "exit 1"} {
		if !strings.Contains(ps, want) {
			t.Errorf("defender script lacks %q", want)
		}
	}
	if strings.Contains(ps, "Set-MpPreference -") {
		t.Error("defender script calls Set-MpPreference, which replaces the lists")
	}
	if !strings.Contains(string(files["exclusions/zone-server-dmz1.txt"]), `E:\Tanium\ZoneServer\proxy\node.exe`) {
		t.Errorf("doubled separators not normalised: %s", files["exclusions/zone-server-dmz1.txt"])
	}
}

// TestEveryFolderHasAReadme: each output folder a team receives says
// what its files are and how to apply them (issue 32: exclusions/ had no
// README); runbook/ is the runbook itself.
func TestEveryFolderHasAReadme(t *testing.T) {
	for _, dir := range []string{"../../examples/small", "../../examples/enterprise"} {
		files := renderDir(t, dir)
		folders := map[string]bool{}
		for p := range files {
			parts := strings.Split(p, "/")
			switch {
			case len(parts) < 2 || parts[0] == "runbook":
			case parts[0] == "auditd":
				folders["auditd/"+parts[1]] = true // one folder per Linux group
			default:
				folders[parts[0]] = true
			}
		}
		if len(folders) < 4 {
			t.Fatalf("%s: only the folders %v", dir, folders)
		}
		for f := range folders {
			if _, ok := files[f+"/README.md"]; !ok {
				t.Errorf("%s: %s/ has no README.md", dir, f)
			}
		}
	}
}
