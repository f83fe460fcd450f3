package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/golden"
	"github.com/trgen/trgen/internal/toolcheck"
)

// TestFleetHTML: fleet's HTML report is one self-contained page (no
// script, no external resource), inventory text in it is escaped, it has
// a bar per group, and headless Chromium renders it without a console
// message. A page that logs an error proves the browser check can fail.
func TestFleetHTML(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "f"), 0o755)
	os.WriteFile(filepath.Join(dir, "f", "main.hcl"), golden.ArchiveFile(t, "testdata/script/fleet.txtar", "f/main.hcl"), 0o644)
	inv := string(golden.ArchiveFile(t, "testdata/script/fleet.txtar", "bad.csv")) +
		`"<img src=x onerror=alert(1)>",10.1.0.9,windows,"Windows </td><script>alert(2)</script>",7.4.1.1955,2,4,3` + "\n" +
		`"a""b",10.2.0.9,linux,RHEL 8,"7.4.1.1955",2,4,"x<svg onload=alert(3)>"` + "\n"
	os.WriteFile(filepath.Join(dir, "inv.csv"), []byte(inv), 0o644)
	var out, errb strings.Builder
	code := Main([]string{"fleet", filepath.Join(dir, "f"), "--inventory", filepath.Join(dir, "inv.csv"), "--format", "html", "--max-failing", "100%"}, strings.NewReader(""), &out, &errb)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	page := out.String()
	for _, bad := range []string{"<script", "<img", "<svg onload", "src=\"http", "href=\"http", "@import", "url(", "<link", "<iframe"} {
		if strings.Contains(page, bad) {
			t.Errorf("the fleet page contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "Windows &lt;/td&gt;&lt;script&gt;", "<h2 id=\"groups\">", "<title>4 failing, 3 with warnings only"} {
		if !strings.Contains(page, want) {
			t.Errorf("the fleet page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<svg class="bar"`); n != 5 {
		t.Errorf("%d group bars, want 5 (win, mac, lin, win-inner, no group)", n)
	}

	html := filepath.Join(dir, "fleet.html")
	os.WriteFile(html, []byte(page), 0o644)
	shot := filepath.Join(dir, "fleet.png")
	console, err := toolcheck.Screenshot(t, html, shot, 1200, 1400)
	if err != nil {
		t.Fatal(err)
	}
	if len(console) > 0 {
		t.Errorf("console messages: %v", console)
	}
	img := toolcheck.DecodePNG(t, shot)
	// The bars' red must be on screen: the page rendered, bars included.
	red := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == 0xcf && g>>8 == 0x22 && bl>>8 == 0x2e {
				red++
			}
		}
	}
	if red < 100 {
		t.Errorf("the screenshot shows no failing bar (%d red pixels)", red)
	}
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><p>x</p><script>console.error("broken")</script>`), 0o644)
	if console, err := toolcheck.Screenshot(t, bad, filepath.Join(dir, "bad.png"), 400, 300); err != nil || len(console) == 0 {
		t.Errorf("a console error went undetected (err %v): the check cannot fail", err)
	}
}
