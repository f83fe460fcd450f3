package toolcheck

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// NodeTool finds an npm-installed command: in TRGEN_NODE_BIN (where .ci/run
// installs markdownlint-cli2 and mermaid-cli) or on PATH.
func NodeTool(t testing.TB, name string) string {
	t.Helper()
	if dir := os.Getenv("TRGEN_NODE_BIN"); dir != "" {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	return Need(t, name)
}

// optionalNodeTool is NodeTool for one check among many (optional).
func optionalNodeTool(t testing.TB, name string) (string, bool) {
	t.Helper()
	if dir := os.Getenv("TRGEN_NODE_BIN"); dir != "" {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p, true
		}
	}
	if p, ok := lookTool(name); ok {
		return p, true
	}
	missing(t, name, " (make node-tools)")
	return "", false
}

// browserTimeout bounds one run of Chromium or mermaid-cli: on a loaded
// machine a headless Chromium once hung until the suite's 10-minute
// timeout; killed after this long, the check fails and says so.
const browserTimeout = 3 * time.Minute

// browserCommand is exec.Command for Chromium and the tools that drive
// it, killed after browserTimeout (its context ends with the test, too);
// WaitDelay then closes the pipes its child processes may still hold.
func browserCommand(t testing.TB, name string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// chromiumFlags keep Chromium off the network and out of the host's profile.
func chromiumFlags(profile string) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile}
}

// Markdownlint runs markdownlint-cli2 with config on files.
func Markdownlint(t testing.TB, config string, files ...string) error {
	bin, ok := optionalNodeTool(t, "markdownlint-cli2")
	if !ok {
		return nil
	}
	args := append([]string{"--config", config}, files...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("markdownlint-cli2: %v\n%s", err, out)
	}
	return nil
}

// Mermaid parses and renders a .mmd file (or the mermaid blocks of a .md
// file) with mermaid-cli driving Debian's Chromium; it fails on any syntax
// error.
func Mermaid(t testing.TB, file string) error {
	bin, ok := optionalNodeTool(t, "mmdc")
	if !ok {
		return nil
	}
	tools, ok := optional(t, "chromium")
	if !ok {
		return nil
	}
	chromium := tools[0]
	dir := t.TempDir()
	cfg := filepath.Join(dir, "puppeteer.json")
	flags := `"` + strings.Join(chromiumFlags(filepath.Join(dir, "profile")), `", "`) + `"`
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`{"executablePath": %q, "args": [%s]}`, chromium, flags)), 0o644); err != nil {
		return err
	}
	outFile := filepath.Join(dir, "out.svg")
	if strings.HasSuffix(file, ".md") {
		outFile = filepath.Join(dir, "out.md")
	}
	out, err := browserCommand(t, bin, "-q", "-p", cfg, "-i", file, "-o", outFile).CombinedOutput()
	if err != nil {
		return fmt.Errorf("mmdc %s: %v\n%s", file, err, out)
	}
	return nil
}

// Screenshot renders an HTML file in headless Chromium to a PNG and returns
// the console messages and page errors Chromium logged.
func Screenshot(t testing.TB, html, png string, width, height int) ([]string, error) {
	chromium := Need(t, "chromium")
	abs, err := filepath.Abs(html)
	if err != nil {
		return nil, err
	}
	// The screenshot waits for the page to settle and paint completely: on
	// a loaded machine Chromium once captured a half-painted page, and the
	// committed docs/runbook-enterprise.png then looked stale in CI.
	args := append(chromiumFlags(t.TempDir()), "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
		"--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
		fmt.Sprintf("--window-size=%d,%d", width, height), "--screenshot="+png, "file://"+abs)
	out, err := browserCommand(t, chromium, args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("chromium: %v\n%s", err, out)
	}
	var console []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			console = append(console, line)
		}
	}
	return console, nil
}

// DumpDOM loads an HTML file in headless Chromium and returns the document
// as Chromium parsed it (--dump-dom), so a test sees what the browser made
// of the markup, inline SVG included.
func DumpDOM(t testing.TB, html string) (string, error) {
	chromium := Need(t, "chromium")
	abs, err := filepath.Abs(html)
	if err != nil {
		return "", err
	}
	args := append(chromiumFlags(t.TempDir()), "--virtual-time-budget=10000", "--dump-dom", "file://"+abs)
	cmd := browserCommand(t, chromium, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("chromium --dump-dom: %v\n%s", err, stderr.String())
	}
	return string(out), nil
}

// DecodePNG reads a screenshot Screenshot wrote.
func DecodePNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
