package userfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noLeftovers fails if anything but want is in dir.
func noLeftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %v, want %v", dir, names, want)
	}
}

// TestReplaceRefuses: read-only files, hard-linked files, non-regular
// files and files in a folder that takes no new file are left as they
// are, with an error naming the user's file and no temporary file behind.
func TestReplaceRefuses(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro.hcl")
	os.WriteFile(ro, []byte("old"), 0o444)
	if err := Replace(ro, []byte("new")); err == nil || !strings.Contains(err.Error(), ro+" is read-only") {
		t.Errorf("read-only: %v", err)
	}
	linked := filepath.Join(dir, "a.hcl")
	os.WriteFile(linked, []byte("old"), 0o644)
	if err := os.Link(linked, filepath.Join(dir, "b.hcl")); err != nil {
		t.Fatal(err)
	}
	if err := Replace(linked, []byte("new")); err == nil || !strings.Contains(err.Error(), linked+" has 2 hard links") {
		t.Errorf("hard link: %v", err)
	}
	if err := Replace(dir, []byte("new")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("folder: %v", err)
	}
	for _, f := range []string{ro, linked} {
		if data, _ := os.ReadFile(f); string(data) != "old" {
			t.Errorf("%s was changed", f)
		}
	}
	noLeftovers(t, dir, "a.hcl", "b.hcl", "ro.hcl")

	// A folder that takes no new file (a file system mounted read-only
	// behaves alike; root ignores permission bits, so only non-root runs
	// can show it here).
	if os.Getuid() == 0 {
		t.Log("running as root: the non-writable folder case needs another user")
		return
	}
	locked := filepath.Join(t.TempDir(), "locked")
	os.Mkdir(locked, 0o755)
	name := filepath.Join(locked, "d.hcl")
	os.WriteFile(name, []byte("old"), 0o644)
	os.Chmod(locked, 0o555)
	defer os.Chmod(locked, 0o755)
	err := Replace(name, []byte("new"))
	if err == nil || !strings.HasPrefix(err.Error(), "cannot rewrite "+name+": its folder does not take a new file") || strings.Contains(err.Error(), ".trgen-fmt") {
		t.Errorf("non-writable folder: %v", err)
	}
}
