package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/trgen/trgen/schema"
)

// enumAttr is an attribute the deployment schema restricts to a list of
// values: its block path from deployment, and whether it is a list.
type enumAttr struct {
	path []string
	name string
	list bool
	num  bool
}

// schemaEnums lists every enumerated attribute of the deployment schema.
func schemaEnums(t *testing.T) []enumAttr {
	data, err := schema.FS.ReadFile("deployment.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Type       string           `json:"type"`
		Enum       []any            `json:"enum"`
		Items      *json.RawMessage `json:"items"`
		Properties map[string]json.RawMessage
	}
	var out []enumAttr
	var walk func(raw json.RawMessage, path []string)
	walk = func(raw json.RawMessage, path []string) {
		var n node
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatal(err)
		}
		for name, praw := range n.Properties {
			if name == "label" {
				continue
			}
			var p node
			json.Unmarshal(praw, &p)
			var item node
			if p.Items != nil {
				json.Unmarshal(*p.Items, &item)
			}
			switch {
			case p.Type == "object":
				walk(praw, append(append([]string{}, path...), name))
			case p.Type == "array" && item.Type == "object":
				walk(*p.Items, append(append([]string{}, path...), name))
			case len(p.Enum) > 0:
				_, num := p.Enum[0].(float64)
				out = append(out, enumAttr{path: path, name: name, num: num})
			case p.Type == "array" && len(item.Enum) > 0:
				out = append(out, enumAttr{path: path, name: name, list: true})
			}
		}
	}
	var root struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	json.Unmarshal(data, &root)
	walk(root.Properties["deployment"], []string{"deployment"})
	return out
}

// findBlock returns the first block of body along path, preferring at
// each step a block that already holds the next one, and creating the last
// ones when absent (a recorder block of the first group).
func findBlock(body *hclwrite.Body, path []string) *hclwrite.Block {
	var b *hclwrite.Block
	for i, typ := range path {
		var found *hclwrite.Block
		for _, c := range body.Blocks() {
			if c.Type() != typ {
				continue
			}
			if found == nil {
				found = c
			}
			if i+1 < len(path) && hasBlock(c.Body(), path[i+1]) {
				found = c
				break
			}
		}
		if found == nil {
			if i == 0 {
				return nil
			}
			found = body.AppendNewBlock(typ, labelsFor(typ))
		}
		b, body = found, found.Body()
	}
	return b
}

func hasBlock(body *hclwrite.Body, typ string) bool {
	for _, c := range body.Blocks() {
		if c.Type() == typ {
			return true
		}
	}
	return false
}

// labelsFor gives a new block the labels its type needs.
func labelsFor(typ string) []string {
	switch typ {
	case "boundary":
		return []string{"internal-to-dmz"}
	case "recorder", "auditd", "hardware", "change_request", "network_firewall", "features", "modules", "platform":
		return nil
	}
	return []string{"added"}
}

// TestEveryEnumValueOneError sets each enumerated attribute of the
// deployment schema, in the enterprise example, to a value outside its
// list: validate reports exactly one error, the schema's, and no
// follow-on error from checks that depend on the value.
func TestEveryEnumValueOneError(t *testing.T) {
	attrs := schemaEnums(t)
	if len(attrs) < 8 {
		t.Fatalf("only %d enumerated attributes found in the schema", len(attrs))
	}
	src, err := os.ReadFile("../../examples/enterprise/main.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range attrs {
		name := strings.Join(a.path[1:], ".") + "." + a.name
		t.Run(name, func(t *testing.T) {
			f, diags := hclwrite.ParseConfig(src, "main.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			b := findBlock(f.Body(), a.path)
			if b == nil {
				t.Fatalf("no %s block in the example", strings.Join(a.path, " > "))
			}
			if a.path[len(a.path)-1] == "auditd" && b.Body().GetAttribute("version") == nil {
				b.Body().SetAttributeValue("version", cty.StringVal("3.0.7"))
			}
			bad := cty.StringVal("zz-invalid")
			switch {
			case a.list:
				bad = cty.ListVal([]cty.Value{cty.StringVal("zz-invalid")})
			case a.num:
				bad = cty.NumberIntVal(77)
			}
			b.Body().SetAttributeValue(a.name, bad)
			dir := t.TempDir()
			copyTree(t, "../../examples/enterprise", dir)
			if err := os.WriteFile(filepath.Join(dir, "main.hcl"), f.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			code := Main([]string{"validate", "--format", "json", dir}, nil, &stderr, &stderr)
			var rep struct {
				Diagnostics []struct {
					Severity string `json:"severity"`
					Rule     string `json:"rule"`
					Summary  string `json:"summary"`
				} `json:"diagnostics"`
			}
			if err := json.Unmarshal(stderr.Bytes(), &rep); err != nil {
				t.Fatalf("exit %d, output not JSON: %v\n%s", code, err, stderr.String())
			}
			var errs []string
			for _, d := range rep.Diagnostics {
				if d.Severity == "error" {
					errs = append(errs, d.Rule+": "+d.Summary)
				}
			}
			if len(errs) != 1 || !strings.HasPrefix(errs[0], "schema: ") {
				t.Errorf("%s = invalid: want exactly the schema's error, got %d:\n%s", name, len(errs), strings.Join(errs, "\n"))
			}
		})
	}
}
