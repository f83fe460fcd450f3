package generate_test

import (
	"image/png"
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
	src := []byte(strings.Replace(string(mustArchiveFile(t, "testdata/windows.txtar", "deploy.hcl")), "cpus         = 2", "cpus         = 1", 1))
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
	src := strings.Replace(string(mustArchiveFile(t, "testdata/roles.txtar", "deploy.hcl")), `display_name = "SOC \"Tier 1\""`, `display_name = "SOC <img src=x onerror=alert(1)> | x"`, 1)
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
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
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
