package catalog_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
)

// mutate applies f to the bundled catalog's document and returns it as
// JSON, indented as the bundled file is.
func mutate(t *testing.T, f func(doc map[string]any)) []byte {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(set.Latest().Raw(), &doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func list(doc map[string]any, keys ...string) []any {
	var v any = doc
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v.([]any)
}

func setPath(doc map[string]any, os string, i int, path string) {
	list(doc, "exclusions", os, "entries")[i].(map[string]any)["path"] = path
}

// TestUserCatalogAssumptionsChecked (issue 29): a catalog given with
// --catalog is input. What the code assumes of it (every Windows version
// the OS parser reads is listed; exclusion paths stay inside their folder
// and fit the languages they are written in) is checked when it is
// loaded, one located error each, instead of a panic or a harmful output.
func TestUserCatalogAssumptionsChecked(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(map[string]any)
		where  string // the pointer the error names
		says   string
	}{
		{"Windows 10 removed", func(d map[string]any) {
			vs := list(d, "windows", "versions")
			var kept []any
			for _, v := range vs {
				if v.(map[string]any)["name"] != "Windows 10" {
					kept = append(kept, v)
				}
			}
			d["windows"].(map[string]any)["versions"] = kept
		}, "/windows/versions", "Windows 10"},
		{"Windows traversal", func(d map[string]any) { setPath(d, "windows", 0, `..\..\..\..\*`) }, "/exclusions/windows/entries/0/path", `".."`},
		{"Linux traversal", func(d map[string]any) { setPath(d, "linux", 0, "../../../../") }, "/exclusions/linux/entries/0/path", `".."`},
		{"audit option in a Linux path", func(d map[string]any) { setPath(d, "linux", 0, "TaniumAuditPipe -k evil") }, "/exclusions/linux/entries/0/path", "space"},
		{"audit field in a Linux path", func(d map[string]any) { setPath(d, "linux", 0, "TaniumAuditPipe -F auid!=0") }, "/exclusions/linux/entries/0/path", "space"},
		{"the whole folder by wildcard", func(d map[string]any) { setPath(d, "macos", 0, "*") }, "/exclusions/macos/entries/0/path", "wildcard"},
		{"an empty segment", func(d map[string]any) { setPath(d, "module_server", 0, `services\\node.exe`) }, "/exclusions/module_server/entries/0/path", "empty"},
		{"a quote", func(d map[string]any) { setPath(d, "windows", 1, `Tools\IR\x'.exe`) }, "/exclusions/windows/entries/1/path", "'"},
		{"the other separator", func(d map[string]any) { setPath(d, "windows", 1, `Tools/IR/x.exe`) }, "/exclusions/windows/entries/1/path", "separator"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, diags := catalog.LoadFile("c.json", mutate(t, c.mutate))
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Subject == nil || d.Subject.Start.Line <= 1 {
				t.Errorf("the error has no line in the catalog: %v", d.Subject)
			}
			if !strings.Contains(d.Detail, c.where) || !strings.Contains(d.Summary+d.Detail, c.says) {
				t.Errorf("the error does not name %s and say %q:\n%s: %s", c.where, c.says, d.Summary, d.Detail)
			}
		})
	}
}
