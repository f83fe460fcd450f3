package hostfw_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/toolcheck"
	"github.com/trgen/trgen/schema"
	"github.com/trgen/trgen/templates"
)

// TestEveryKindIsComplete: every host firewall of the registry has its
// template, a file, a real-tool check (PowerShell files are read by the
// PowerShell checks), and runs on a known OS; and the JSON Schemas list
// exactly the registry's values (make update writes them).
func TestEveryKindIsComplete(t *testing.T) {
	for _, k := range hostfw.Kinds {
		if _, err := fs.Stat(templates.FS, k.Template); err != nil {
			t.Errorf("%s: template %s: %v", k.Name, k.Template, err)
		}
		if !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*( [A-Za-z][A-Za-z0-9_-]*)*$`).MatchString(k.Object) {
			// The templates print it bare in rule files: words of
			// letters, digits, _ and - need no quoting in any of them.
			t.Errorf("%s: Object %q is not words of letters, digits, _ and -", k.Name, k.Object)
		}
		if k.Object == "" {
			t.Errorf("%s: no Object: the verify sensors could not find its rules on a host", k.Name)
		}
		if src, err := fs.ReadFile(templates.FS, k.Template); err == nil && k.Name != "firewalld" && !strings.Contains(string(src), ".Object") {
			// A firewalld policy's name is its file's name, which the
			// template does not write.
			t.Errorf("%s: template %s does not write the kind's Object from the registry", k.Name, k.Template)
		}
		if len(k.Files) == 0 || len(k.OS) == 0 {
			t.Errorf("%s: no files or no OS", k.Name)
		}
		for _, os := range k.OS {
			if !slices.Contains([]string{"windows", "linux", "macos"}, os) {
				t.Errorf("%s: unknown OS %q", k.Name, os)
			}
		}
		if _, ok := toolcheck.HostCheckers[k.Check]; !ok && k.Check != "powershell" {
			t.Errorf("%s: no checker %q in toolcheck.HostCheckers", k.Name, k.Check)
		}
		for _, f := range k.Files {
			if kk, ff, ok := hostfw.FileOf("firewall/endpoints-x" + f.Suffix); !ok || kk.Name != k.Name || ff != f {
				t.Errorf("%s: FileOf does not find %s", k.Name, f.Suffix)
			}
		}
	}
	// The schemas list the registry's values: make update rewrites
	// them from it (a new kind is its entry, its template and its
	// reference case; the enums follow).
	rewrite := func(file string, fix func(string) string) {
		data, err := fs.ReadFile(schema.FS, file)
		if err != nil {
			t.Fatal(err)
		}
		got := fix(string(data))
		if got == string(data) {
			return
		}
		if golden.Update() {
			if err := os.WriteFile(filepath.Join("..", "..", "schema", file), []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("schema/%s does not list hostfw.Kinds' values: run make update", file)
	}
	rewrite("deployment.schema.json", func(s string) string {
		n := 0
		s = hostFirewallProperty.ReplaceAllStringFunc(s, func(m string) string {
			n++
			sub := hostFirewallProperty.FindStringSubmatch(m)
			desc, values := sub[2], hostfw.Values()
			if strings.Contains(desc, "Default windows.") {
				values = hostfw.ForOS("windows") // servers run Windows
			} else {
				desc = "The host firewall trgen writes rules for: " + strings.Join(values[:len(values)-1], ", ") + " or none (default)."
			}
			return sub[1] + desc + sub[3] + jsonList(values, sub[4]) + sub[5]
		})
		if n != 3 {
			t.Errorf("schema/deployment.schema.json has %d host_firewall properties, want 3 (module_server, zone_server, endpoint_group)", n)
		}
		return s
	})
	rewrite("state.schema.json", func(s string) string {
		var names []string
		for _, k := range hostfw.Kinds {
			names = append(names, k.Name)
		}
		n := 0
		s = stateKind.ReplaceAllStringFunc(s, func(m string) string {
			n++
			sub := stateKind.FindStringSubmatch(m)
			return sub[1] + jsonList(names, sub[2]) + sub[3]
		})
		if n != 1 {
			t.Errorf("schema/state.schema.json has %d host firewall kind enums, want 1", n)
		}
		return s
	})
}

// hostFirewallProperty is a host_firewall property of the deployment
// schema: its description and its enum's items, with their indentation.
var hostFirewallProperty = regexp.MustCompile(`("host_firewall": \{\s*"type": "string",\s*"description": ")([^"]*)(",\s*"enum": \[)((?:\s*"[^"]*",?)*)(\s*\])`)

// stateKind is the enum of a host firewall's kind in the state schema.
var stateKind = regexp.MustCompile(`("kind": \{\s*"enum": \[)((?:\s*"(?:windows|nftables|iptables|firewalld|[a-z0-9-]+)",?)*?)(\s*\]\s*\},\s*"family")`)

// jsonList writes values as the items of a JSON array, indented as the
// items in old are.
func jsonList(values []string, old string) string {
	indent := "\n"
	if i := strings.Index(old, `"`); i > 0 {
		indent = old[:i]
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(indent + strconv.Quote(v))
	}
	return b.String()
}
