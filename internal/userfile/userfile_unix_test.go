//go:build unix

package userfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func stat(t *testing.T, name string) *syscall.Stat_t {
	t.Helper()
	info, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t)
}

// TestReplaceKeepsMetadata: the content changes; mode (set-id bits
// included), owner and group do not.
func TestReplaceKeepsMetadata(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "d.hcl")
	os.WriteFile(name, []byte("old"), 0o640)
	os.Chmod(name, 0o640|os.ModeSetgid)
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 1234, 5678 // root can give the file to another owner
		if err := os.Chown(name, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := Replace(name, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(name); string(data) != "new" {
		t.Errorf("content %q", data)
	}
	st := stat(t, name)
	if int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("owner %d:%d, want %d:%d", st.Uid, st.Gid, uid, gid)
	}
	info, _ := os.Lstat(name)
	if info.Mode() != 0o640|os.ModeSetgid {
		t.Errorf("mode %v", info.Mode())
	}
	noLeftovers(t, dir, "d.hcl")
}
