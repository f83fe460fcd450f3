package generate_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/toolcheck"
)

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// allOutputs renders the examples and every reference case.
func allOutputs(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	out := map[string]map[string][]byte{
		"enterprise": renderDir(t, "../../examples/enterprise"),
		"small":      renderDir(t, "../../examples/small"),
	}
	for _, c := range cases(t) {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(c)] = renderCase(t, ar)
	}
	return out
}

// TestRunbookLinks: every relative link of every generated Markdown file
// points at a file generated beside it.
func TestRunbookLinks(t *testing.T) {
	checked := 0
	for name, files := range allOutputs(t) {
		for p, data := range files {
			if !strings.HasSuffix(p, ".md") {
				continue
			}
			for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "#") {
					continue
				}
				resolved := path.Clean(path.Join(path.Dir(p), target))
				if _, ok := files[resolved]; !ok {
					t.Errorf("%s: %s links to %s, which is not generated", name, p, target)
				}
				checked++
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d links checked", checked)
	}
}

// TestRunbookLeadsWithWarnings: a deployment with warnings gets a runbook
// whose first screen lists them, each with what accepting it means.
func TestRunbookLeadsWithWarnings(t *testing.T) {
	src := []byte(strings.Replace(string(golden.ArchiveFile(t, "testdata/windows.txtar", "deploy.hcl")), "cpus         = 2", "cpus         = 1", 1))
	files := renderSources(t, t.TempDir(), []load.Source{{Name: "deploy.hcl", Data: src}})
	lines := strings.Split(string(files["runbook/runbook.md"]), "\n")
	first := strings.Join(lines[:min(12, len(lines))], "\n")
	for _, want := range []string{"## Warnings to accept before you start", "1 CPU is fewer than the recommended 2", "cpu-count", "Proceeding means accepting this", "firewall-needs-address"} {
		if !strings.Contains(first, want) {
			t.Errorf("the runbook's first screen lacks %q:\n%s", want, first)
		}
	}
	clean := renderDir(t, "../../examples/small")
	if strings.Contains(string(clean["runbook/runbook.md"]), "Warnings to accept") {
		t.Error("a clean deployment's runbook has a warnings section")
	}
}

// TestRunbookHTML: the page is self-contained (no scripts, no external
// resources) and carries no raw HTML from the deployment.
func TestRunbookHTML(t *testing.T) {
	for name, files := range allOutputs(t) {
		page := string(files["runbook/runbook.html"])
		if page == "" {
			t.Fatalf("%s: no runbook.html", name)
		}
		for _, bad := range []string{"<script", "src=\"http", "href=\"http", "@import", "url(", "<link", "<iframe"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: runbook.html contains %q", name, bad)
			}
		}
		if strings.Contains(page, "raw HTML omitted") {
			t.Errorf("%s: markdown held raw HTML", name)
		}
	}
	src := strings.Replace(string(golden.ArchiveFile(t, "testdata/roles.txtar", "deploy.hcl")), `display_name = "SOC \"Tier 1\""`, `display_name = "SOC <img src=x onerror=alert(1)> | x"`, 1)
	files := renderSources(t, t.TempDir(), []load.Source{{Name: "deploy.hcl", Data: []byte(src)}})
	page := string(files["runbook/runbook.html"])
	if strings.Contains(page, "<img") || !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("a user group name with markup was not escaped in the HTML")
	}
}

// TestMarkdownAndMermaidTools runs markdownlint-cli2 on every generated
// Markdown file, and Mermaid's own parser (mermaid-cli) on the examples'
// diagrams and runbooks.
func TestMarkdownAndMermaidTools(t *testing.T) {
	// The tools are this test's subject: without them it skips as a whole.
	toolcheck.NodeTool(t, "markdownlint-cli2")
	toolcheck.NodeTool(t, "mmdc")
	toolcheck.Need(t, "chromium")
	dir := t.TempDir()
	var mds, mermaid []string
	for name, files := range allOutputs(t) {
		for p, data := range files {
			ext := path.Ext(p)
			if ext != ".md" && ext != ".mmd" {
				continue
			}
			full := filepath.Join(dir, name, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if ext == ".md" {
				mds = append(mds, full)
			}
			if (name == "enterprise" || name == "small") && (ext == ".mmd" || strings.HasSuffix(p, "runbook.md")) {
				mermaid = append(mermaid, full)
			}
		}
	}
	sort.Strings(mds)
	if err := toolcheck.Markdownlint(t, "../../.markdownlint-cli2.jsonc", mds...); err != nil {
		t.Error(err)
	}
	sort.Strings(mermaid)
	for _, f := range mermaid {
		if err := toolcheck.Mermaid(t, f); err != nil {
			t.Error(err)
		}
	}
	bad := filepath.Join(dir, "bad.mmd")
	os.WriteFile(bad, []byte("flowchart LR\n  a -->|\"x\" b\n"), 0o644)
	if toolcheck.Mermaid(t, bad) == nil {
		t.Error("mermaid-cli accepted a broken diagram: the check cannot fail")
	}
	t.Logf("markdownlint: %d files; mermaid: %d files", len(mds), len(mermaid))
}

// TestRunbookInBrowser renders the enterprise runbook in headless Chromium:
// the page must render (a non-blank PNG) with no console errors. A page
// that logs an error proves the check can fail. UPDATE_GOLDEN=1 refreshes
// the screenshot in docs/.
func TestRunbookInBrowser(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "runbook.html")
	if err := os.WriteFile(html, renderDir(t, "../../examples/enterprise")["runbook/runbook.html"], 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "runbook.png")
	console, err := toolcheck.Screenshot(t, html, shot, 1280, 1800)
	if err != nil {
		t.Fatal(err)
	}
	if len(console) > 0 {
		t.Errorf("console messages: %v", console)
	}
	img := toolcheck.DecodePNG(t, shot)
	b := img.Bounds()
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>12<<8|g>>12<<4|bl>>12] = true
		}
	}
	if b.Dx() < 1000 || len(colours) < 8 {
		t.Errorf("the screenshot looks blank: %dx%d, %d colours", b.Dx(), b.Dy(), len(colours))
	}
	if golden.Update() {
		data, _ := os.ReadFile(shot)
		os.WriteFile("../../docs/runbook-enterprise.png", data, 0o644)
	}
	// Negative control: a page that logs to the console is caught.
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><p>x</p><script>console.error("broken")</script>`), 0o644)
	console, err = toolcheck.Screenshot(t, bad, filepath.Join(dir, "bad.png"), 400, 300)
	if err != nil || len(console) == 0 {
		t.Errorf("a console error went undetected (err %v): the check cannot fail", err)
	}
}

// svgOf returns the inline SVG of a runbook.html.
func svgOf(t *testing.T, page []byte) string {
	t.Helper()
	s := string(page)
	i, j := strings.Index(s, "<svg"), strings.LastIndex(s, "</svg>")
	if i < 0 || j < i {
		t.Fatal("runbook.html has no inline SVG diagram")
	}
	return s[i : j+len("</svg>")]
}

// TestRunbookDiagram: every runbook.html draws the flows as inline SVG
// that is well-formed XML, holds no script, link or external reference, and
// whose text names every source, destination and port of flows.csv.
func TestRunbookDiagram(t *testing.T) {
	for name, files := range allOutputs(t) {
		page := files["runbook/runbook.html"]
		svg := svgOf(t, page)
		if strings.Contains(string(page), "language-mermaid") {
			t.Errorf("%s: runbook.html still shows the Mermaid source", name)
		}
		var text strings.Builder
		dec := xml.NewDecoder(strings.NewReader(svg))
		dec.Strict = true
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: the SVG is not well-formed XML: %v", name, err)
			}
			switch tk := tok.(type) {
			case xml.CharData:
				text.Write(tk)
				text.WriteByte('\n')
			case xml.StartElement:
				if tk.Name.Local == "script" || tk.Name.Local == "a" || tk.Name.Local == "image" || tk.Name.Local == "foreignObject" {
					t.Errorf("%s: the SVG holds a <%s>", name, tk.Name.Local)
				}
				for _, a := range tk.Attr {
					if a.Name.Local == "href" || strings.HasPrefix(a.Name.Local, "on") || strings.Contains(a.Value, "://") && a.Name.Local != "xmlns" {
						t.Errorf("%s: the SVG's <%s> has %s=%q", name, tk.Name.Local, a.Name.Local, a.Value)
					}
				}
			}
		}
		rows, err := csv.NewReader(bytes.NewReader(files["firewall/flows.csv"])).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: flows.csv: %v", name, err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			for _, want := range []string{r[col["source"]], r[col["destination"]], "tcp/" + r[col["port"]]} {
				if !strings.Contains(text.String(), want) {
					t.Errorf("%s: the diagram does not name %s (flow %s)", name, want, r[col["id"]])
				}
			}
		}
	}
}

// TestRunbookDiagramInBrowser: Chromium parses the enterprise runbook's
// diagram as SVG (its DOM has the svg, every box's text) and paints it (a
// page holding only the diagram shows the zone, host and group colours).
func TestRunbookDiagramInBrowser(t *testing.T) {
	dir := t.TempDir()
	page := renderDir(t, "../../examples/enterprise")["runbook/runbook.html"]
	html := filepath.Join(dir, "runbook.html")
	if err := os.WriteFile(html, page, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, err := toolcheck.DumpDOM(t, html)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(dom, "<svg")
	if i < 0 {
		t.Fatal("Chromium's DOM has no svg element")
	}
	svgDOM := dom[i:]
	for _, name := range []string{"module_server.tms1", "zone_server.dmz-eu", "endpoint_group.remote-laptops", "tcp/17449", "tcp/17444"} {
		if !strings.Contains(svgDOM, name) {
			t.Errorf("Chromium's SVG DOM lacks %q", name)
		}
	}
	// The diagram alone, with the page's styles.
	s := string(page)
	only := strings.Replace(s[:strings.Index(s, "<body>")], "</head>", "<style>body { max-width: none; margin: 0; padding: 0; }</style></head>", 1) +
		"<body>" + svgOf(t, page) + "</body></html>"
	alone := filepath.Join(dir, "diagram.html")
	if err := os.WriteFile(alone, []byte(only), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "diagram.png")
	var w, h int
	if _, err := fmt.Sscanf(svgOf(t, page), `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"`, &w, &h); err != nil {
		t.Fatalf("the diagram's size: %v", err)
	}
	if _, err := toolcheck.Screenshot(t, alone, shot, w+80, h+80); err != nil {
		t.Fatal(err)
	}
	img := toolcheck.DecodePNG(t, shot)
	want := map[string][3]uint32{"band": {0xf6, 0xf8, 0xfa}, "host": {0xdd, 0xf4, 0xff}, "group": {0xff, 0xf8, 0xc5}}
	found := map[string]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			for k, c := range want {
				if r>>8 == c[0] && g>>8 == c[1] && bl>>8 == c[2] {
					found[k] = true
				}
			}
		}
	}
	for k := range want {
		if !found[k] {
			t.Errorf("the screenshot of the diagram shows no %s colour: the SVG did not paint", k)
		}
	}
	if golden.Update() {
		data, _ := os.ReadFile(shot)
		os.WriteFile("../../docs/runbook-diagram-enterprise.png", data, 0o644)
	}
}

// TestPageNotesWhereTheyChangeAdvice: the page's pointers elsewhere (the
// driver's install guide, the audit daemon's deprecated parameters, the
// Module Server's sizing) are quoted where the advice is given, and left
// out for a catalog that has no such note.
func TestPageNotesWhereTheyChangeAdvice(t *testing.T) {
	out := allOutputs(t)
	ent := out["enterprise"]
	for file, want := range map[string]string{
		"runbook/runbook.md":        "see Tanium Client Recorder Extension User Guide: Installing the Tanium Event Recorder Driver",
		"auditd/rhel-app/README.md": "For information on deprecated parameters in the audit daemon configuration",
		"runbook/runbook.md#sizing": "Contact your Technical Account Manager (TAM) for details.",
	} {
		file, _, _ = strings.Cut(file, "#")
		if !strings.Contains(string(ent[file]), want) {
			t.Errorf("enterprise %s does not quote %q", file, want)
		}
	}
	fict := out["fictional-catalog.txtar"]
	if strings.Contains(string(fict["runbook/runbook.md"]), "Technical Account Manager") || strings.Contains(string(fict["auditd/lin/README.md"]), "deprecated parameters") {
		t.Error("a catalog without page notes still gets their quotes")
	}
}
