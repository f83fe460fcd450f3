package generate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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

// payload is one hostile string from testdata/hostile/payloads.json; a
// value with repeat > 0 is repeated that many times (the 64 KiB string).
type payload struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Repeat int    `json:"repeat"`
}

// corpusDir holds the hostile-input corpus shared with the fuzz seeds.
const corpusDir = "../../testdata/hostile"

func payloads(t *testing.T) []payload {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, "payloads.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ps []payload
	if err := json.Unmarshal(data, &ps); err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		if ps[i].Repeat > 0 {
			ps[i].Value = strings.Repeat(ps[i].Value, ps[i].Repeat)
		}
	}
	if len(ps) < 50 {
		t.Fatalf("only %d payloads in the corpus", len(ps))
	}
	return ps
}

// field places a value in the deployment: which block, which attribute or
// label. Labels and attributes get the value as an HCL string literal.
type field struct {
	name  string
	build func(v string) *hclwrite.File
}

// labels and attributes are the places a payload goes, "block.label" or
// "block.attribute"; together they are every string the language accepts.
var (
	labels = []string{"deployment", "tanium_server", "module_server", "zone_server", "intel_stream", "data_collection",
		"endpoint_group", "role", "user_group", "content_set_permission", "variable"}
	attributes = []string{"deployment.threat_response_version", "deployment.licenses", "platform.core_version", "platform.computer_groups",
		"tanium_server.address", "module_server.address", "module_server.install_dir", "zone_server.address", "zone_server.install_dir",
		"intel_stream.url", "intel_stream.addresses", "data_collection.transfer", "data_collection.destination", "data_collection.addresses",
		"endpoint_group.os", "endpoint_group.networks", "endpoint_group.os_version", "endpoint_group.client_version",
		"endpoint_group.client_dir", "endpoint_group.client_dir.linux", "endpoint_group.client_dir.macos", "endpoint_group.connect_via", "endpoint_group.host_firewall", "recorder.event_source",
		"auditd.version", "auditd.site_rules", "auditd.site_rules.watch", "auditd.site_rules.key",
		"role.display_name", "role.description", "role.kind", "role.permissions", "content_set_permission.content_sets",
		"user_group.display_name", "user_group.roles", "variable.default", "variable.description"}
)

func fields() []field {
	var fs []field
	for _, f := range labels {
		f := f
		fs = append(fs, field{f + " label", func(v string) *hclwrite.File { return hostileDeployment(map[string]string{f + ".label": v}) }})
	}
	for _, a := range attributes {
		a := a
		fs = append(fs, field{a, func(v string) *hclwrite.File { return hostileDeployment(map[string]string{a: v}) }})
	}
	return fs
}

// hostileDeployment writes a valid deployment (windows, nftables, iptables
// and firewalld hosts, a zone server, an intel stream, a data collection
// destination whose name comes from a variable, auditd site rules, a
// module and an advanced role), with the given overrides.
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
	v := f.Body().AppendNewBlock("variable", []string{label("variable", "bucket")}).Body()
	v.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	v.SetAttributeValue("default", str("variable.default", "s3.example.com"))
	v.SetAttributeValue("description", str("variable.description", "Evidence bucket"))
	d := f.Body().AppendNewBlock("deployment", []string{label("deployment", "h")}).Body()
	d.SetAttributeValue("threat_response_version", str("deployment.threat_response_version", "2.2.0"))
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
	dc.SetAttributeValue("transfer", str("data_collection.transfer", "s3"))
	if dest, ok := over["data_collection.destination"]; ok {
		dc.SetAttributeValue("destination", cty.StringVal(dest))
	} else if vname := label("variable", "bucket"); hclsyntax.ValidIdentifier(vname) {
		dc.SetAttributeTraversal("destination", hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: vname}})
	} else {
		dc.SetAttributeValue("destination", cty.StringVal("s3.example.com"))
	}
	dc.SetAttributeValue("addresses", list("data_collection.addresses", "192.0.2.0/25"))
	r := d.AppendNewBlock("role", []string{label("role", "analyst")}).Body()
	r.SetAttributeValue("display_name", str("role.display_name", "SOC Analyst"))
	r.SetAttributeValue("description", str("role.description", "Tier 1"))
	r.SetAttributeValue("kind", str("role.kind", "module"))
	r.SetAttributeValue("permissions", list("role.permissions", "Show Threat Response", "Trace Use API"))
	adv := d.AppendNewBlock("role", []string{"hunter"}).Body()
	adv.SetAttributeValue("display_name", cty.StringVal("Hunter"))
	adv.SetAttributeValue("kind", cty.StringVal("advanced"))
	adv.AppendNewBlock("content_set_permission", []string{label("content_set_permission", "Read Sensor")}).Body().
		SetAttributeValue("content_sets", list("content_set_permission.content_sets", "Threat Response"))
	ug := d.AppendNewBlock("user_group", []string{label("user_group", "soc")}).Body()
	ug.SetAttributeValue("display_name", str("user_group.display_name", "SOC"))
	ug.SetAttributeValue("roles", list("user_group.roles", label("role", "analyst"), "hunter", "Threat Response User"))
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
		if i == 0 {
			g.SetAttributeValue("os", str("endpoint_group.os", os))
			g.SetAttributeValue("os_version", str("endpoint_group.os_version", osv))
			g.SetAttributeValue("client_version", str("endpoint_group.client_version", "7.4.1.1955"))
			g.SetAttributeValue("client_dir", str("endpoint_group.client_dir", `C:\Program Files (x86)\Tanium\Tanium Client`))
			g.SetAttributeValue("networks", list("endpoint_group.networks", fmt.Sprintf("10.%d.0.0/16", i+1)))
			g.SetAttributeValue("connect_via", str("endpoint_group.connect_via", zlabel))
			g.SetAttributeValue("host_firewall", str("endpoint_group.host_firewall", fw))
			g.AppendNewBlock("recorder", nil).Body().SetAttributeValue("event_source", str("recorder.event_source", "tanium_driver"))
		} else {
			g.SetAttributeValue("os", cty.StringVal(os))
			g.SetAttributeValue("os_version", cty.StringVal(osv))
			g.SetAttributeValue("client_version", cty.StringVal("7.4.1.1955"))
			g.SetAttributeValue("networks", cty.ListVal([]cty.Value{cty.StringVal(fmt.Sprintf("10.%d.0.0/16", i+1))}))
			g.SetAttributeValue("host_firewall", cty.StringVal(fw))
		}
		h := g.AppendNewBlock("hardware", nil).Body()
		h.SetAttributeValue("cpus", cty.NumberIntVal(2))
		h.SetAttributeValue("memory_gb", cty.NumberIntVal(4))
		h.SetAttributeValue("free_disk_gb", cty.NumberIntVal(3))
		if v, ok := over["endpoint_group.client_dir.linux"]; ok && fw == "nftables" {
			g.SetAttributeValue("client_dir", cty.StringVal(v))
		}
		if fw == "nftables" {
			a := g.AppendNewBlock("auditd", nil).Body()
			a.SetAttributeValue("version", str("auditd.version", "3.0.7"))
			rules := "-w /etc/passwd -p wa -k identity\n"
			if v, ok := over["auditd.site_rules"]; ok {
				rules = v
			} else if v, ok := over["auditd.site_rules.watch"]; ok {
				rules = "-w " + v + " -p wa -k site\n"
			} else if v, ok := over["auditd.site_rules.key"]; ok {
				rules = "-w /etc/passwd -p wa -k " + v + "\n"
			}
			a.SetAttributeValue("site_rules", cty.StringVal(rules))
		}
	}
	mac := d.AppendNewBlock("endpoint_group", []string{"g-macos"}).Body()
	mac.SetAttributeValue("os", cty.StringVal("macos"))
	mac.SetAttributeValue("os_version", cty.StringVal("macOS 12"))
	mac.SetAttributeValue("client_version", cty.StringVal("7.4.1.1955"))
	mac.SetAttributeValue("networks", cty.ListVal([]cty.Value{cty.StringVal("10.9.0.0/16")}))
	if v, ok := over["endpoint_group.client_dir.macos"]; ok {
		mac.SetAttributeValue("client_dir", cty.StringVal(v))
	}
	h := mac.AppendNewBlock("hardware", nil).Body()
	h.SetAttributeValue("cpus", cty.NumberIntVal(2))
	h.SetAttributeValue("memory_gb", cty.NumberIntVal(4))
	h.SetAttributeValue("free_disk_gb", cty.NumberIntVal(3))
	return f
}

// TestHostileInputs puts every payload of the corpus in every string field,
// then runs the hand-written cases of testdata/hostile/cases. Each case is
// either rejected, with an error diagnostic that has a rule id and points
// inside the input, or it validates and every generated file holding the
// payload passes its real tool (nft -c, iptables-restore --test,
// firewall-offline-cmd, shellcheck and sh -n, the PowerShell lexer and
// quoting policy, the auditd linter, JSON Schema, RFC 4180 without
// formulas, Markdown without raw HTML) and holds it only as data.
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
		t.Fatalf("the base deployment is not clean: %v %v\n%s", diags, check.Deployment(cfg.Deployment, set).Diagnostics, base)
	}
	st := hostileStats{baseWords: map[string]bool{}, byKind: map[string]int{}}
	{
		cfg, _ := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "h.hcl", Data: base}}, load.Options{})
		files, err := renderFiles(eng, cfg.Deployment, set.Latest(), generate.NewHeader(cfg.Deployment, set.Latest(), "test", cfg.Filenames), nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if strings.HasSuffix(name, ".ps1") {
				toks, _ := pslex.Lex(string(data))
				for _, tk := range toks {
					if tk.Kind == pslex.Word {
						st.baseWords[tk.Text] = true
					}
				}
			}
		}
	}
	ps := payloads(t)
	for _, f := range fields() {
		for _, p := range ps {
			st.try(t, set, eng, f.name+" = "+p.Name, f.build(p.Value).Bytes(), p.Value, f.name != "auditd.site_rules")
		}
	}
	cases, _ := filepath.Glob(filepath.Join(corpusDir, "cases", "*.hcl"))
	if len(cases) < 10 {
		t.Fatalf("only %d hand-written cases in %s/cases", len(cases), corpusDir)
	}
	for _, c := range cases {
		src, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		st.try(t, set, eng, filepath.Base(c), src, "", true)
	}
	// The PowerShell grammar reads every script that holds a payload, in
	// one Node process.
	if err := toolcheck.PowerShellGrammar(t, st.ps1...); err != nil {
		t.Error(err)
	}
	st.byKind["ps1-grammar"] = len(st.ps1)
	t.Logf("%d cases (%d fields x %d payloads + %d hand-written): %d rejected at validation, %d validated and rendered; %d generated files holding a payload checked by their tool: %v",
		st.rejected+st.rendered, len(fields()), len(ps), len(cases), st.rejected, st.rendered, st.toolChecked, st.byKind)
	if st.rejected == 0 || st.rendered == 0 {
		t.Fatal("the corpus must both be rejected and reach the renderers")
	}
}

// hostileStats counts the outcomes of TestHostileInputs; baseWords are the
// bare words of the base deployment's PowerShell scripts (cmdlets,
// parameters), which a payload may happen to be part of.
type hostileStats struct {
	rejected, rendered, toolChecked int
	byKind                          map[string]int // tool-checked files by extension
	baseWords                       map[string]bool
	// ps1 are the written scripts holding a payload, for the grammar.
	ps1 []string
}

// elements finds images and link destinations in HTML.
var elements = regexp.MustCompile(`<img|<a href="([^"]*)"`)

// gfm renders Markdown as GitHub does, autolinks included.
var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

// noLiveLinks: deployment text never becomes a link or an image in a
// Markdown document (rendered as GitHub would) or the HTML runbook: every
// link goes to a file beside the document or to an anchor in it.
func noLiveLinks(t *testing.T, name, out string, data []byte) {
	t.Helper()
	html := data
	switch {
	case strings.HasSuffix(out, ".md"):
		var b bytes.Buffer
		if err := gfm.Convert(data, &b); err != nil {
			t.Fatal(err)
		}
		html = b.Bytes()
	case !strings.HasSuffix(out, ".html"):
		return
	}
	for _, m := range elements.FindAllSubmatch(html, -1) {
		if len(m[1]) == 0 && bytes.HasPrefix(m[0], []byte("<img")) {
			t.Errorf("%s: an image in %s", name, out)
		} else if strings.Contains(string(m[1]), ":") || strings.HasPrefix(string(m[1]), "//") {
			t.Errorf("%s: %s links outside the output: %s", name, out, m[1])
		}
	}
}

// try validates one source and, if it is accepted, renders it and checks
// every output that holds p (every output when p is empty or blank).
// controlFree says that p must never appear verbatim if it holds a line
// break, NUL or escape character.
func (st *hostileStats) try(t *testing.T, set *catalog.Set, eng *render.Engine, name string, src []byte, p string, controlFree bool) {
	t.Helper()
	cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "h.hcl", Data: src}}, load.Options{})
	if !diags.HasErrors() {
		diags = append(diags, check.Deployment(cfg.Deployment, set).Diagnostics...)
	}
	if diags.HasErrors() {
		st.rejected++
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			if rule.Of(d) == "" || d.Subject == nil || d.Subject.Filename != "h.hcl" || d.Subject.End.Byte > len(src) || d.Subject.Start.Line < 1 {
				t.Errorf("%s: error without a rule id or position: %s", name, d.Summary)
			}
		}
		return
	}
	st.rendered++
	h := generate.NewHeader(cfg.Deployment, set.Latest(), "test", cfg.Filenames)
	files, err := renderFiles(eng, cfg.Deployment, set.Latest(), h, nil)
	if err != nil {
		// A quoting function refusing a value is also a rejection, but
		// validation should have caught it first.
		t.Errorf("%s: validated but failed to render: %v", name, err)
		return
	}
	dir := t.TempDir()
	all := strings.TrimSpace(p) == ""
	reachedCapirca := false
	for _, out := range sortedKeys(files) {
		data := files[out]
		noLiveLinks(t, name, out, data)
		if !all && !bytes.Contains(data, []byte(p)) {
			continue
		}
		reachedCapirca = reachedCapirca || strings.HasPrefix(out, "firewall/capirca/")
		if !all && controlFree && strings.ContainsAny(p, "\n\r\x00\x1b") {
			t.Errorf("%s: a value with a control character reached %s verbatim", name, out)
		}
		if !all && strings.HasSuffix(out, ".html") && strings.Contains(p, "<") {
			t.Errorf("%s: markup reached %s unescaped", name, out)
		}
		full := filepath.Join(dir, filepath.FromSlash(out))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if ok, err := toolcheck.File(t, full); err != nil {
			t.Errorf("%s: %s: %v", name, out, err)
		} else if ok {
			st.toolChecked++
			st.byKind[filepath.Ext(out)]++
		}
		if strings.HasSuffix(out, ".ps1") {
			st.ps1 = append(st.ps1, full)
		}
		if strings.HasSuffix(out, ".ps1") && !all {
			toks, _ := pslex.Lex(string(data))
			for _, tk := range toks {
				if tk.Kind == pslex.Word && strings.Contains(tk.Text, p) && !st.baseWords[tk.Text] {
					t.Errorf("%s reached %s as bare code: %s", name, out, tk.Text)
				}
			}
		}
	}
	if reachedCapirca && !all {
		// The policies are read as a folder: aclgen compiles them all.
		cdir := t.TempDir()
		for out, data := range files {
			if rel, ok := strings.CutPrefix(out, "firewall/capirca/"); ok {
				full := filepath.Join(cdir, filepath.FromSlash(rel))
				os.MkdirAll(filepath.Dir(full), 0o755)
				if err := os.WriteFile(full, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := toolcheck.Capirca(t, cdir); err != nil {
			t.Errorf("%s: firewall/capirca: %v", name, err)
		}
		st.byKind["aclgen"]++
	}
}
