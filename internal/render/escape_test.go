package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"

	"github.com/trgen/trgen/templates"
)

// escapers names, per language of a generated file (its extension), the
// template functions that make a value that language's plain data.
var escapers = map[string][]string{
	".md":           {"mdCell", "mdCode", "mdURL", "mdBlock"},
	".ps1":          {"psQuote", "safeComment", "commentText"},
	".sh":           {"shQuote", "safeComment", "commentText"},
	".nft":          {"safeComment", "commentText"},
	".iptables":     {"safeComment", "commentText"},
	".rules":        {"safeComment", "commentText"},
	".xml":          {"xmlText"},
	".svg":          {"svgText"},
	".mobileconfig": {"xmlText"},
	".csv":          {"csvRow", "csvRecord", "csvRecords"},
	".json":         {"mustToJson", "mustToPrettyJson"},
	".mmd":          {"mermaidLabel", "mermaidID"},
	".txt":          {"safeLine"},
	".pol":          {"capircaText"},
	".net":          {"capircaText"},
	".svc":          {"capircaText"},
}

// language is the extension of the file a template renders.
func language(name string) string {
	base := strings.TrimSuffix(name, ".tmpl")
	if strings.HasSuffix(base, "/iptables") {
		return ".iptables"
	}
	return path.Ext(base)
}

// unescapedActions lists every action of every template whose value is
// printed without passing through its file's escaper, as "template:
// action".
func unescapedActions(t *testing.T) []string {
	var out []string
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		found, err := unescapedIn(p, string(src))
		out = append(out, found...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// unescapedIn lists the actions of template file p, source src, whose
// value is printed without passing through the file's escaper.
func unescapedIn(p, src string) ([]string, error) {
	tmpl, err := template.New(p).Funcs(FuncMap()).Parse(src)
	if err != nil {
		return nil, err
	}
	ok := escapers[language(p)]
	// The templates this file defines: what an include of one prints is
	// that template's output, whose every action this walk checks against
	// the same file's escapers.
	defined := map[string]bool{}
	for _, tr := range tmpl.Templates() {
		defined[tr.Name()] = tr.Name() != p
	}
	var out []string
	for _, tr := range tmpl.Templates() {
		walk(tr.Tree.Root, func(a *parse.ActionNode) {
			if len(a.Pipe.Decl) > 0 {
				return // an assignment prints nothing
			}
			cmds := a.Pipe.Cmds
			last := cmds[len(cmds)-1]
			if id, isID := last.Args[0].(*parse.IdentifierNode); isID {
				for _, e := range ok {
					if id.Ident == e {
						return
					}
				}
				if id.Ident == "include" && len(cmds) == 1 && len(last.Args) == 3 {
					if name, isStr := last.Args[1].(*parse.StringNode); isStr && (defined[name.Text] || definedLanguage(name.Text) == language(p)) {
						return // checked where it is defined, with the same escapers
					}
					// include (print "prefix" x) y: a family of text-only
					// templates (other files' "firewall/apply:<kind>"),
					// which print nothing that could need escaping.
					if prefix, ok := printPrefix(last.Args[1]); ok && textOnly(prefix) {
						return
					}
				}
			}
			out = append(out, p+": "+a.String())
		})
	}
	return out, nil
}

// definedLanguage is the language of the file that defines template
// name (a {{ define }} of another template file), "" if none does: an
// include of it is escaped when that file's language is the includer's,
// since the walk of that file checks the define with the same escapers.
func definedLanguage(name string) string {
	lang := ""
	eachTemplateFile(func(p string, tmpl *template.Template) {
		if lang == "" && name != p && tmpl.Lookup(name) != nil {
			lang = language(p)
		}
	})
	return lang
}

// printPrefix is the literal start of an include's name written as
// (print "prefix" ...).
func printPrefix(n parse.Node) (string, bool) {
	pipe, ok := n.(*parse.PipeNode)
	if !ok || len(pipe.Cmds) != 1 || len(pipe.Cmds[0].Args) < 2 {
		return "", false
	}
	fn, ok := pipe.Cmds[0].Args[0].(*parse.IdentifierNode)
	lit, isStr := pipe.Cmds[0].Args[1].(*parse.StringNode)
	if !ok || fn.Ident != "print" || !isStr || lit.Text == "" {
		return "", false
	}
	return lit.Text, true
}

// textOnly reports whether the templates named prefix... across every
// template file exist and hold text only, no action at all.
func textOnly(prefix string) bool {
	found, text := false, true
	eachTemplateFile(func(p string, tmpl *template.Template) {
		for _, tr := range tmpl.Templates() {
			if !strings.HasPrefix(tr.Name(), prefix) {
				continue
			}
			found = true
			walkAll(tr.Tree.Root, func(n parse.Node) { text = text && n.Type() == parse.NodeText })
		}
	})
	return found && text
}

// eachTemplateFile parses every template file and hands it to f; a file
// that does not parse is left out (TestEveryActionEscaped reports it).
func eachTemplateFile(f func(p string, tmpl *template.Template)) {
	fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		src, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		if tmpl, err := template.New(p).Funcs(FuncMap()).Parse(string(src)); err == nil {
			f(p, tmpl)
		}
		return nil
	})
}

// walkAll calls f on every node below n (not on the list nodes).
func walkAll(n parse.Node, f func(parse.Node)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkAll(c, f)
		}
	default:
		f(n)
	}
}

// TestIncludeEscaped: an include prints escaped text only when it names,
// literally, a template its own file defines (whose actions are then
// checked against that file's escapers); the actions of a defined
// template are checked like any other.
func TestIncludeEscaped(t *testing.T) {
	for _, tc := range []struct {
		src       string
		unescaped []string
	}{
		{`{{ include "a" .X }}{{ define "a" }}{{ psQuote . }}{{ end }}`, nil},
		{`{{ include "a" .X }}{{ define "a" }}{{ . }}{{ end }}`, []string{"{{.}}"}},
		{`{{ include "other-file" .X }}`, []string{`{{include "other-file" .X}}`}},
		{`{{ include .Name .X }}{{ define "a" }}{{ psQuote . }}{{ end }}`, []string{`{{include .Name .X}}`}},
		{`{{ include "a" .X | lower }}{{ define "a" }}{{ psQuote . }}{{ end }}`, []string{`{{include "a" .X | lower}}`}},
		{`{{ include "x.ps1.tmpl" .X }}`, []string{`{{include "x.ps1.tmpl" .X}}`}},
		{`{{ include (print "firewall/apply:" .Name) . }}`, nil},
		// Another file's define: escaped where that file's language is
		// the includer's (change-request.md's header, in plan.md).
		{`{{ include "firewall/change-request:header" . }}`, []string{`{{include "firewall/change-request:header" .}}`}},
		{`{{ include "exclusions/mdatp.sh:files" . }}`, []string{`{{include "exclusions/mdatp.sh:files" .}}`}},
		{`{{ include (print "firewall/nowhere:" .Name) . }}`, []string{`{{include (print "firewall/nowhere:" .Name) .}}`}},
		{`{{ include (print .Prefix .Name) . }}`, []string{`{{include (print .Prefix .Name) .}}`}},
	} {
		got, err := unescapedIn("x.ps1.tmpl", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, a := range tc.unescaped {
			want = append(want, "x.ps1.tmpl: "+a)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: unescaped %q, want %q", tc.src, got, want)
		}
	}
	if got, err := unescapedIn("x.md.tmpl", `{{ include "firewall/change-request:header" . }}`); err != nil || len(got) > 0 {
		t.Errorf("a Markdown file including change-request.md's header: unescaped %q (%v), want none", got, err)
	}
}

func walk(n parse.Node, f func(*parse.ActionNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, f)
		}
	case *parse.ActionNode:
		f(n)
	case *parse.IfNode:
		walk(n.List, f)
		walk(n.ElseList, f)
	case *parse.RangeNode:
		walk(n.List, f)
		walk(n.ElseList, f)
	case *parse.WithNode:
		walk(n.List, f)
		walk(n.ElseList, f)
	}
}

// nonText are the actions printed as they are because their values
// cannot carry deployment text: numbers, trgen's own enumerations and
// identifiers, and addresses parsed by net/netip. A new action that
// prints a string needs its file's escaper instead.
var nonText = map[string]string{
	"auditd/README.md.tmpl: {{$g.BacklogWaitTime}}":                                         "int",
	"auditd/README.md.tmpl: {{$g.Backlog}}":                                                 "int",
	"auditd/README.md.tmpl: {{$g.FailureMode}}":                                             "int",
	"auditd/README.md.tmpl: {{$g.RuleCount}}":                                               "int",
	"auditd/README.md.tmpl: {{len $g.SiteRules}}":                                           "int",
	"auditd/README.md.tmpl: {{len $g.Watches}}":                                             "int",
	"auditd/base.rules.tmpl: {{.Group.BacklogWaitTime}}":                                    "int",
	"auditd/base.rules.tmpl: {{.Group.Backlog}}":                                            "int",
	"auditd/base.rules.tmpl: {{.Group.FailureMode}}":                                        "int",
	"auditd/site.rules.tmpl: {{.}}":                                                         "a site rule as trgen's audit linter normalised it (internal/auditrule)",
	"auditd/tanium.rules.tmpl: {{.Key}}":                                                    "trgen's own audit keys",
	"auditd/tanium.rules.tmpl: {{.Path}}":                                                   "a path under client_dir, which install-dir-invalid restricts and trgen's audit linter checks in every generation",
	"exclusions/defender.ps1.tmpl: {{$t.ClientLine}}":                                       "trgen's client line (7.2, 7.4)",
	"exclusions/mdatp.sh.tmpl: {{$t.ClientLine}}":                                           "trgen's client line (7.2, 7.4)",
	"exclusions/mdatp.sh.tmpl: {{$t.OS}}":                                                   "trgen's OS enumeration",
	"firewall/capirca/NETWORK.net.tmpl: {{$a}}":                                             "addresses and prefixes parsed by net/netip",
	"firewall/capirca/NETWORK.net.tmpl: {{first .Node.Addresses}}":                          "addresses and prefixes parsed by net/netip",
	"firewall/capirca/NETWORK.net.tmpl: {{.Token}}":                                         "a Capirca network name: trgen's prefix and a block label, which the schema restricts",
	"firewall/capirca/NETWORK.net.tmpl: {{.Flow.ID}}":                                       "a flow id: hex digest",
	"firewall/capirca/NETWORK.net.tmpl: {{.Flow.Port}}":                                     "int",
	"firewall/capirca/README.md.tmpl: {{.Flow.Port}}":                                       "int",
	"firewall/capirca/README.md.tmpl: {{len .Terms}}":                                       "int",
	"firewall/capirca/SERVICES.svc.tmpl: {{.Port}}":                                         "int",
	"firewall/capirca/SERVICES.svc.tmpl: {{.Protocol}}":                                     "trgen's protocol enumeration",
	"firewall/capirca/SERVICES.svc.tmpl: {{.Token}}":                                        "a Capirca service name: TR_, the protocol and the port",
	"firewall/capirca/policy.pol.tmpl: {{.Destination}}":                                    "a Capirca network name: trgen's prefix and a block label, which the schema restricts",
	`firewall/capirca/policy.pol.tmpl: {{join " " .Sources}}`:                               "Capirca network names: trgen's prefix and a block label, which the schema restricts",
	`firewall/capirca/policy.pol.tmpl: {{join " " .Services}}`:                              "Capirca service names: TR_, the protocol and the port",
	"firewall/capirca/policy.pol.tmpl: {{.Options}}":                                        "header options: platform names, and zone and filter names the schema restricts to letters, digits, '_', '.' and '-'",
	"firewall/capirca/policy.pol.tmpl: {{.Target.Name}}":                                    "a platform name from internal/capirca, which the schema restricts",
	"firewall/capirca/policy.pol.tmpl: {{.Rule.ID}}":                                        "a rule id: hex digest",
	"firewall/capirca/policy.pol.tmpl: {{.Rule.Protocol}}":                                  "trgen's protocol enumeration",
	"firewall/change-request.md.tmpl: {{.Port}}":                                            "int",
	"firewall/change-request.md.tmpl: {{len .Boundaries}}":                                  "int",
	"firewall/change-request.md.tmpl: {{len .Flows}}":                                       "int",
	"firewall/change-request.md.tmpl: {{len .Rules}}":                                       "int",
	`firewall/change-request.md.tmpl: {{plural "flow" "flows" (len .Flows)}}`:               "trgen's own words",
	`firewall/change-request.md.tmpl: {{plural "flow" "flows" .Changed}}`:                   "trgen's own words",
	`firewall/change-request.md.tmpl: {{plural "flow needs" "flows need" (len .NoChange)}}`: "trgen's own words",
	`firewall/change-request.md.tmpl: {{plural "boundary" "boundaries" (len .Boundaries)}}`: "trgen's own words",
	`firewall/change-request.md.tmpl: {{plural "rule" "rules" (len .Rules)}}`:               "trgen's own words",
	"firewall/firewalld.xml.tmpl: {{$r.Flow.ID}}":                                           "a flow id: hex digest (safe in an XML comment)",
	"firewall/firewalld.xml.tmpl: {{$r.Flow.Port}}":                                         "int",
	"firewall/firewalld.xml.tmpl: {{.Flow.ID}}":                                             "a flow id: hex digest",
	"firewall/firewalld.xml.tmpl: {{.Flow.Port}}":                                           "int",
	"firewall/flows.mmd.tmpl: {{.Port}}":                                                    "int",
	"firewall/flows.mmd.tmpl: {{.Protocol}}":                                                "trgen's protocol enumeration",
	"firewall/iptables.tmpl: {{$.Object}}":                                                  "hostfw.Kinds' chain name: letters and dashes (TestEveryKindIsComplete)",
	"firewall/nftables.nft.tmpl: {{$.Object}}":                                              "hostfw.Kinds' family and table name: letters, digits and _ (TestEveryKindIsComplete)",
	"firewall/iptables.tmpl: {{.Family}}":                                                   "trgen's address family enumeration",
	"firewall/iptables.tmpl: {{.Flow.ID}}":                                                  "a flow id: hex digest",
	"firewall/iptables.tmpl: {{.Flow.Port}}":                                                "int",
	`firewall/iptables.tmpl: {{join "," $addrs}}`:                                           "addresses and prefixes parsed by net/netip",
	"firewall/nftables.nft.tmpl: {{.Flow.ID}}":                                              "a flow id: hex digest",
	"firewall/nftables.nft.tmpl: {{.Flow.Port}}":                                            "int",
	`firewall/nftables.nft.tmpl: {{join ", " .IPv4}}`:                                       "addresses and prefixes parsed by net/netip",
	`firewall/nftables.nft.tmpl: {{join ", " .IPv6}}`:                                       "addresses and prefixes parsed by net/netip",
	"firewall/windows.ps1.tmpl: {{.Direction}}":                                             "trgen's direction enumeration (Inbound, Outbound)",
	"firewall/windows.ps1.tmpl: {{.Flow.ID}}":                                               "a flow id: hex digest",
	"firewall/windows.ps1.tmpl: {{.Flow.Port}}":                                             "int",
	"plan/plan.md.tmpl: {{.Plan.Summary.FlowsToChange}}":                                    "int",
	"plan/plan.md.tmpl: {{.Plan.Summary.FlowsToClose}}":                                     "int",
	"plan/plan.md.tmpl: {{.Plan.Summary.FlowsToOpen}}":                                      "int",
	"plan/plan.md.tmpl: {{len .Change}}":                                                    "int",
	"plan/plan.md.tmpl: {{len .Close}}":                                                     "int",
	"plan/plan.md.tmpl: {{len .Open}}":                                                      "int",
	`plan/plan.md.tmpl: {{plural "flow" "flows" .Plan.Summary.FlowsToOpen}}`:                "trgen's own words",
	"requirements/requirements.txt.tmpl: {{.Default}}":                                      "int",
	"requirements/requirements.txt.tmpl: {{.FreeDiskFactor}}":                               "int",
	"requirements/requirements.txt.tmpl: {{.Footnotes}}":                                    "[]int",
	"requirements/requirements.txt.tmpl: {{.ID}}":                                           "int (a footnote's number)",
	"requirements/requirements.txt.tmpl: {{.Max}}":                                          "int",
	"requirements/requirements.txt.tmpl: {{.MinCPUs}}":                                      "int",
	"requirements/requirements.txt.tmpl: {{.MinMemoryGB}}":                                  "int",
	"requirements/requirements.txt.tmpl: {{.Min}}":                                          "int",
	"requirements/requirements.txt.tmpl: {{.ProvidedMarks}}":                                "int",
	"requirements/requirements.txt.tmpl: {{add $i 1}}":                                      "int",
	"requirements/requirements.txt.tmpl: {{len .Entries}}":                                  "int",
	"roles/README.md.tmpl: {{len .Plan.Memberships}}":                                       "int",
	"roles/README.md.tmpl: {{len .Plan.Roles}}":                                             "int",
	"roles/README.md.tmpl: {{len .Privileges}}":                                             "int",
	"runbook/diagram.svg.tmpl: {{.DetailY}}":                                                "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.Height}}":                                                 "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.H}}":                                                      "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.LabelX}}":                                                 "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.LabelY}}":                                                 "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.NameY}}":                                                  "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.TextX}}":                                                  "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.TitleX}}":                                                 "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.TitleY}}":                                                 "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.Width}}":                                                  "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.W}}":                                                      "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.X}}":                                                      "int: an SVG coordinate or size the layout computes",
	"runbook/diagram.svg.tmpl: {{.Y}}":                                                      "int: an SVG coordinate or size the layout computes",
	"runbook/runbook.md.tmpl: {{.Endpoints}}":                                               "int",
	"runbook/runbook.md.tmpl: {{.Roles}}":                                                   "int",
	"runbook/runbook.md.tmpl: {{len .Warnings}}":                                            "int",
}

// TestEveryActionEscaped walks every action of every template: each
// value it prints passes through the escaper of its file's language, or
// is one of nonText. The documentation templates (docs/) render trgen's
// own rule and language descriptions, never deployment text; the .html
// templates run under html/template, which escapes every action for its
// context (Engine.RenderHTML).
func TestEveryActionEscaped(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range unescapedActions(t) {
		seen[a] = true
		if strings.HasPrefix(a, "docs/") || strings.Contains(a, ".html.tmpl: ") {
			continue
		}
		if _, ok := nonText[a]; !ok {
			t.Errorf("%s prints a value without its file's escaper (%s)", a, strings.Join(escapers[language(strings.SplitN(a, ":", 2)[0])], ", "))
		}
	}
	for a := range nonText {
		if !seen[a] {
			t.Errorf("nonText lists %s, which no template prints unescaped any more", a)
		}
	}
}

// TestHTMLTemplatesAutoescaped: every .html template is parsed by
// html/template, and a value with markup comes out as text.
func TestHTMLTemplatesAutoescaped(t *testing.T) {
	e, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if e.tmpl.Lookup("runbook/runbook.html.tmpl") != nil || e.html["runbook/runbook.html.tmpl"] == nil {
		t.Fatal("runbook.html.tmpl is not an html/template")
	}
	type header struct{ TrgenVersion, Deployment string }
	evil := "<img src=x onerror=alert(1)>"
	out, err := e.RenderHTML(Output{Path: "x.html", Template: "runbook/runbook.html.tmpl", Data: struct {
		Header             header
		Before, After, SVG string
	}{header{`"><script>alert(1)</script>`, evil}, "<b>not markup</b>", "<b>not markup</b>", evil}})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img", "<b>not"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("%q reached the page as markup", bad)
		}
	}
}

// TestDiagramSVGEscaped: the diagram's text template, whose output
// runbook.html takes as markup, writes every value of the layout as text:
// markup in a name, a label, a path or an anchor stays text, and the
// drawing is well-formed XML.
func TestDiagramSVGEscaped(t *testing.T) {
	e, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		X, Y, W, H            int
		TextX, NameY, DetailY int
		Name, Label, Detail   string
		Group                 bool
	}
	type edge struct {
		Path, Head, Label, Anchor, From, To string
		LabelX, LabelY                      int
	}
	type band struct {
		X, Y, W, H     int
		TitleX, TitleY int
		Title          string
	}
	type diagram struct {
		Width, Height int
		Bands         []band
		Nodes         []node
		Edges         []edge
	}
	evil := "<img src=x onerror=alert(1)>&'+\x00"
	files, err := e.Render([]Output{{Path: "d.svg", Template: "runbook/diagram.svg.tmpl", Data: struct {
		Deployment string
		Diagram    *diagram
	}{`"><script>alert(1)</script>`, &diagram{Width: 10, Height: 10, Bands: []band{{Title: evil}}, Nodes: []node{{Name: evil, Label: evil, Detail: evil}},
		Edges: []edge{{Path: `M0 0"/><script>alert(1)</script>`, Head: evil, Label: evil, Anchor: `start" onload="alert(1)`, From: evil, To: evil}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	out := files["d.svg"]
	for _, bad := range []string{"<script>", "<img", `onload="`, "\x00"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("%q reached the drawing as markup", bad)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the drawing is not well-formed XML: %v\n%s", err, out)
		}
	}
}
