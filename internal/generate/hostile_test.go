package generate_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/pslex"
	"github.com/trgen/trgen/internal/render"
	"github.com/trgen/trgen/internal/rule"
	"github.com/trgen/trgen/internal/toolcheck"
)

// payloads are strings that must never reach a generated file as code.
var payloads = []string{
	`'`, `"`, "`", "\u2018x\u2019", "\u201cx\u201d", "$(whoami)", "${HOME}", "%COMSPEC%", "a; rm -rf /", "a && b", "a | b",
	"a\nb", "a\r\nb", "a\x00b", "# c", "{x}", "\u0430ll", "\u202eevil", "../../etc/passwd", "/etc/shadow", `\\server\share`,
	"10.0.0.1; drop", "10.0.0.0/8\nx", "x.example.com\"", "<script>", "-A OUTPUT -j ACCEPT", "]] ; [[",
	strings.Repeat("A", 64<<10),
}

// field places a value in the deployment: which block, which attribute or
// label. Labels and attributes get the value as an HCL string literal.
type field struct {
	name  string
	build func(v string) *hclwrite.File
}

func fields() []field {
	var fs []field
	for _, f := range []string{"deployment", "tanium_server", "module_server", "zone_server", "intel_stream", "data_collection", "endpoint_group"} {
		f := f
		fs = append(fs, field{f + " label", func(v string) *hclwrite.File { return hostileDeployment(map[string]string{f + ".label": v}) }})
	}
	for _, a := range []string{"tanium_server.address", "module_server.address", "module_server.install_dir", "zone_server.address",
		"zone_server.install_dir", "intel_stream.url", "intel_stream.addresses", "data_collection.destination",
		"data_collection.addresses", "endpoint_group.networks", "endpoint_group.os_version", "endpoint_group.client_version",
		"endpoint_group.client_dir", "endpoint_group.connect_via", "platform.core_version", "platform.computer_groups", "deployment.licenses",
		"role.display_name", "role.description", "role.permissions", "user_group.display_name", "user_group.roles"} {
		a := a
		fs = append(fs, field{a, func(v string) *hclwrite.File { return hostileDeployment(map[string]string{a: v}) }})
	}
	return fs
}

// hostileDeployment writes a valid deployment (windows, nftables, iptables
// and firewalld hosts, a zone server, an intel stream and a data collection
// destination), with the given overrides.
func hostileDeployment(over map[string]string) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	str := func(key, def string) cty.Value {
		if v, ok := over[key]; ok {
			return cty.StringVal(v)
		}
		return cty.StringVal(def)
	}
	list := func(key string, def ...string) cty.Value {
		vals := []cty.Value{}
		for _, d := range def {
			vals = append(vals, cty.StringVal(d))
		}
		if v, ok := over[key]; ok {
			vals[0] = cty.StringVal(v)
		}
		return cty.ListVal(vals)
	}
	label := func(kind, def string) string {
		if v, ok := over[kind+".label"]; ok {
			return v
		}
		return def
	}
	d := f.Body().AppendNewBlock("deployment", []string{label("deployment", "h")}).Body()
	d.SetAttributeValue("threat_response_version", cty.StringVal("2.2.0"))
	d.SetAttributeValue("licenses", list("deployment.licenses", "trace"))
	p := d.AppendNewBlock("platform", nil).Body()
	p.SetAttributeValue("core_version", str("platform.core_version", "7.2.314.3550"))
	p.SetAttributeValue("computer_groups", list("platform.computer_groups", "All Computers", "All Windows", "All Linux", "All Mac"))
	d.AppendNewBlock("tanium_server", []string{label("tanium_server", "ts1")}).Body().SetAttributeValue("address", str("tanium_server.address", "10.0.0.10"))
	ms := d.AppendNewBlock("module_server", []string{label("module_server", "tms1")}).Body()
	ms.SetAttributeValue("address", str("module_server.address", "10.0.0.11"))
	ms.SetAttributeValue("install_dir", str("module_server.install_dir", `C:\Program Files\Tanium\Tanium Module Server`))
	zlabel := label("zone_server", "dmz1")
	zs := d.AppendNewBlock("zone_server", []string{zlabel}).Body()
	zs.SetAttributeValue("address", str("zone_server.address", "203.0.113.10"))
	zs.SetAttributeValue("install_dir", str("zone_server.install_dir", `C:\Program Files (x86)\Tanium\Tanium ZoneServer`))
	is := d.AppendNewBlock("intel_stream", []string{label("intel_stream", "feed")}).Body()
	is.SetAttributeValue("url", str("intel_stream.url", "https://intel.example.com/feed.xml"))
	is.SetAttributeValue("addresses", list("intel_stream.addresses", "198.51.100.20"))
	dc := d.AppendNewBlock("data_collection", []string{label("data_collection", "ev")}).Body()
	dc.SetAttributeValue("transfer", cty.StringVal("s3"))
	dc.SetAttributeValue("destination", str("data_collection.destination", "s3.example.com"))
	dc.SetAttributeValue("addresses", list("data_collection.addresses", "192.0.2.0/25"))
	r := d.AppendNewBlock("role", []string{"analyst"}).Body()
	r.SetAttributeValue("display_name", str("role.display_name", "SOC Analyst"))
	r.SetAttributeValue("description", str("role.description", "Tier 1"))
	r.SetAttributeValue("kind", cty.StringVal("module"))
	r.SetAttributeValue("permissions", list("role.permissions", "Show Threat Response", "Trace Use API"))
	ug := d.AppendNewBlock("user_group", []string{"soc"}).Body()
	ug.SetAttributeValue("display_name", str("user_group.display_name", "SOC"))
	ug.SetAttributeValue("roles", list("user_group.roles", "analyst", "Threat Response User"))
	for i, fw := range []string{"windows", "nftables", "iptables", "firewalld"} {
		os, osv := "linux", "RHEL 8"
		if fw == "windows" {
			os, osv = "windows", "Windows 10"
		}
		name := "g-" + fw
		if i == 0 {
			name = label("endpoint_group", name)
		}
		g := d.AppendNewBlock("endpoint_group", []string{name}).Body()
		g.SetAttributeValue("os", cty.StringVal(os))
		if i == 0 {
			g.SetAttributeValue("os_version", str("endpoint_group.os_version", osv))
			g.SetAttributeValue("client_version", str("endpoint_group.client_version", "7.4.1.1955"))
			g.SetAttributeValue("client_dir", str("endpoint_group.client_dir", `C:\Program Files (x86)\Tanium\Tanium Client`))
			g.SetAttributeValue("networks", list("endpoint_group.networks", fmt.Sprintf("10.%d.0.0/16", i+1)))
			g.SetAttributeValue("connect_via", str("endpoint_group.connect_via", zlabel))
		} else {
			g.SetAttributeValue("os_version", cty.StringVal(osv))
			g.SetAttributeValue("client_version", cty.StringVal("7.4.1.1955"))
			g.SetAttributeValue("networks", cty.ListVal([]cty.Value{cty.StringVal(fmt.Sprintf("10.%d.0.0/16", i+1))}))
		}
		g.SetAttributeValue("host_firewall", cty.StringVal(fw))
		h := g.AppendNewBlock("hardware", nil).Body()
		h.SetAttributeValue("cpus", cty.NumberIntVal(2))
		h.SetAttributeValue("memory_gb", cty.NumberIntVal(4))
		h.SetAttributeValue("free_disk_gb", cty.NumberIntVal(3))
	}
	return f
}

// TestHostileInputs puts every payload in every string field. Each case is
// either rejected, with an error diagnostic that has a rule id and points
// at or around the value, or it validates and every generated file holding
// the payload passes its real tool and the PowerShell quoting policy.
func TestHostileInputs(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	base := hostileDeployment(nil).Bytes()
	if cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "h.hcl", Data: base}}, load.Options{}); diags.HasErrors() || len(check.Deployment(cfg.Deployment, set).Diagnostics) != 0 {
		t.Fatalf("the base deployment is not clean: %v", diags)
	}
	rejected, rendered, toolChecked := 0, 0, 0
	for _, f := range fields() {
		for _, p := range payloads {
			src := f.build(p).Bytes()
			cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "h.hcl", Data: src}}, load.Options{})
			if !diags.HasErrors() {
				diags = append(diags, check.Deployment(cfg.Deployment, set).Diagnostics...)
			}
			if diags.HasErrors() {
				rejected++
				for _, d := range diags {
					if d.Severity != hcl.DiagError {
						continue
					}
					if rule.Of(d) == "" || d.Subject == nil || d.Subject.Filename != "h.hcl" || d.Subject.End.Byte > len(src) {
						t.Errorf("%s = %.40q: error without a rule id or position: %s", f.name, p, d.Summary)
					}
				}
				continue
			}
			rendered++
			h := generate.NewHeader(cfg.Deployment, set.Latest(), "test", cfg.Filenames)
			files, err := generate.Files(eng, cfg.Deployment, set.Latest(), h, nil)
			if err != nil {
				// A quoting function refusing a value is also a rejection,
				// but validation should have caught it first.
				t.Errorf("%s = %.40q: validated but failed to render: %v", f.name, p, err)
				continue
			}
			dir := t.TempDir()
			for name, data := range files {
				if !bytes.Contains(data, []byte(p)) {
					continue
				}
				full := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(full), 0o755)
				if err := os.WriteFile(full, data, 0o644); err != nil {
					t.Fatal(err)
				}
				if ok, err := toolcheck.File(t, full); err != nil {
					t.Errorf("%s = %.40q: %s: %v", f.name, p, name, err)
				} else if ok {
					toolChecked++
				}
				if strings.HasSuffix(name, ".ps1") {
					toks, _ := pslex.Lex(string(data))
					for _, tk := range toks {
						if tk.Kind == pslex.Word && strings.Contains(tk.Text, p) && strings.Trim(p, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
							t.Errorf("%s = %.40q reached %s as bare code: %s", f.name, p, name, tk.Text)
						}
					}
				}
			}
		}
	}
	t.Logf("%d cases: %d rejected at validation, %d validated and rendered, %d generated files holding a payload checked by their tool",
		rejected+rendered, rejected, rendered, toolChecked)
	if rejected == 0 {
		t.Fatal("nothing was rejected: the payloads do not reach the checks")
	}
}
