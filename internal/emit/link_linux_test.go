package emit

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// sameInode reports whether two paths name one file.
func sameInode(t *testing.T, a, b string) bool {
	t.Helper()
	ia, err := os.Lstat(a)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := os.Lstat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(ia, ib)
}

// lstatAll returns what each named file of the folder root is, by name.
func lstatAll(t *testing.T, root string, names ...string) map[string]os.FileInfo {
	t.Helper()
	out := map[string]os.FileInfo{}
	for _, n := range names {
		info, err := os.Lstat(filepath.Join(root, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = info
	}
	return out
}

// keepLinks gives each named file of the output folder a second link
// outside it, in the folder it returns, as a user's backup made with
// `cp -al` would.
func keepLinks(t *testing.T, target string, names ...string) (kept string) {
	t.Helper()
	kept = t.TempDir()
	for _, n := range names {
		if err := os.Link(filepath.Join(target, n), filepath.Join(kept, filepath.Base(n))); err != nil {
			t.Fatal(err)
		}
	}
	return kept
}

// TestReplaceLinksUnchangedFiles: a run that replaces its own previous
// output links the files whose content is the same instead of writing
// them again, and writes the others; the result is exactly the new files.
func TestReplaceLinksUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dep")
	v1 := manifested(t, map[string][]byte{"a.txt": []byte("a"), "b.txt": []byte("old b"), "sub/c.sh": []byte("c")})
	if _, err := (&Writer{}).Write(dir, "dep", v1, Options{}); err != nil {
		t.Fatal(err)
	}
	// Each file by inode: the previous folder is deleted by the run, but
	// a file the new one links lives on.
	before := lstatAll(t, target, "a.txt", "b.txt", "sub/c.sh")
	v2 := manifested(t, map[string][]byte{"a.txt": []byte("a"), "b.txt": []byte("new b"), "sub/c.sh": []byte("c"), "d.txt": []byte("d")})
	sum, err := (&Writer{}).Write(dir, "dep", v2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 1 || sum.Changed != 1 || sum.Removed != 0 {
		t.Errorf("summary = %+v, want 1 added, 1 changed", sum)
	}
	after := lstatAll(t, target, "a.txt", "b.txt", "sub/c.sh")
	for n, kept := range map[string]bool{"a.txt": true, "b.txt": false, "sub/c.sh": true} {
		info := after[n]
		if os.SameFile(before[n], info) != kept {
			t.Errorf("%s: same file as before = %v, want %v", n, !kept, kept)
		}
		if info.Mode().Perm() != Mode(n) {
			t.Errorf("%s: mode %v, want %v", n, info.Mode().Perm(), Mode(n))
		}
	}
	want := map[string]string{"dep/a.txt": "a", "dep/b.txt": "new b", "dep/sub/c.sh": "c", "dep/d.txt": "d", "dep/MANIFEST.json": string(v2[ManifestName])}
	if got := readTree(t, dir); len(got) != len(want) {
		t.Errorf("tree = %v, want %v", got, want)
	} else {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
	}
}

// TestReplaceWritesWhatItCannotLink: a file is written, not linked, when
// linking it could share it or carry something trgen did not write: it
// has another link, its mode was changed, or it changed after the run
// inspected it (rewritten in place, or replaced by a symbolic link).
func TestReplaceWritesWhatItCannotLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dep")
	files := manifested(t, map[string][]byte{"linked.txt": []byte("l"), "chmod.txt": []byte("m"), "later.txt": []byte("later"), "symlink.txt": []byte("s"), "plain.txt": []byte("p")})
	if _, err := (&Writer{}).Write(dir, "dep", files, Options{}); err != nil {
		t.Fatal(err)
	}
	kept := keepLinks(t, target, "linked.txt")
	if err := os.Chmod(filepath.Join(target, "chmod.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := lstatAll(t, target, "later.txt", "symlink.txt", "plain.txt")
	p, err := (&Writer{}).Begin(dir, "dep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	// After the inspection: one file rewritten in place (same size, a
	// later modification time), one replaced by a symbolic link to a
	// file of the same content.
	later := filepath.Join(target, "later.txt")
	if err := os.WriteFile(later, []byte("LATER"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(later, time.Time{}, old["later.txt"].ModTime().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "s")
	if err := os.WriteFile(elsewhere, []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(target, "symlink.txt")
	// Moved away, not removed: a freed inode may be reused by the new
	// file, and SameFile below would then see the inspected file kept.
	if err := os.Rename(sym, filepath.Join(t.TempDir(), "held")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, sym); err != nil {
		t.Fatal(err)
	}
	for path, data := range files {
		if err := p.Add(path, data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	for n, data := range files {
		info, err := os.Lstat(filepath.Join(target, n))
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() || info.Mode().Perm() != Mode(n) {
			t.Errorf("%s: %v, want a regular file of mode %v", n, info.Mode(), Mode(n))
		}
		if got, _ := os.ReadFile(filepath.Join(target, n)); string(got) != string(data) {
			t.Errorf("%s = %q, want %q", n, got, data)
		}
	}
	if sameInode(t, filepath.Join(target, "linked.txt"), filepath.Join(kept, "linked.txt")) {
		t.Error("linked.txt, which had a second link, was linked again: the new output shares it")
	}
	now := lstatAll(t, target, "later.txt", "symlink.txt", "plain.txt")
	for n, want := range map[string]bool{"later.txt": false, "symlink.txt": false, "plain.txt": true} {
		if os.SameFile(old[n], now[n]) != want {
			t.Errorf("%s: kept the inspected file = %v, want %v", n, !want, want)
		}
	}
}
