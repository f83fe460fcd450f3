//go:build unix

package render

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOverridesBounded (issue 29): a --templates folder is input. A link
// to /dev/zero or a named pipe in place of a template, or a file over the
// size bound, is refused when the engine is built; a template that would
// build more text than a file may hold fails with an error, not with the
// memory exhausted.
func TestOverridesBounded(t *testing.T) {
	const name = "auditd/README.md.tmpl"
	for _, c := range []struct {
		what  string
		plant func(p string) error
		want  string
	}{
		{"link to /dev/zero", func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file"},
		{"named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file"},
		{"too large", func(p string) error { return os.WriteFile(p, make([]byte, maxTemplateBytes+1), 0o644) }, "larger than"},
	} {
		t.Run(c.what, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := c.plant(p); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := New(dir); done <- err }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), name) {
					t.Errorf("New = %v, want an error naming %s and saying %q", err, name, c.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("New did not return within 10 s")
			}
		})
	}
	for _, src := range []string{
		`{{ repeat 2000000000 "x" }}`,
		`{{ "x" | repeat 100000 | replace "x" "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy" | replace "y" "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz" }}`,
		`{{ "a\na\na\na\na\na\na\na\na\na" | repeat 100000 | indent 100000 }}`,
		`{{ range 1000 }}{{ repeat 100000 "y" }}{{ end }}`,
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := New(dir)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Render([]Output{{Path: "README.md", Template: name, Data: nil}})
		if err == nil || !strings.Contains(err.Error(), "bytes") {
			t.Errorf("%.60s: Render = %v, want a size error", src, err)
		}
	}
}
