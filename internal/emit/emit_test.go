package emit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFailedWriteKeepsPrevious: a failure part-way through leaves the
// previous folder exactly as it was, and no temporary folder behind.
// manifested is files with their MANIFEST.json, as generate writes them.
func manifested(t *testing.T, files map[string][]byte) map[string][]byte {
	t.Helper()
	out, err := WithManifest(files, Meta{TrgenVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFailedWriteKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	old := manifested(t, map[string][]byte{"a.txt": []byte("old a"), "sub/b.txt": []byte("old b"), "gone.txt": []byte("x")})
	if _, err := (&Writer{}).Write(dir, "dep", old, Options{}); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, dir)
	next := manifested(t, map[string][]byte{"a.txt": []byte("new a"), "sub/b.txt": []byte("new b"), "c.txt": []byte("c")})
	for fail := 1; fail <= 2; fail++ {
		_, err := (&Writer{failAfter: fail}).Write(dir, "dep", next, Options{})
		if err == nil {
			t.Fatal("injected failure did not fail")
		}
		if diff := cmp.Diff(before, readTree(t, dir)); diff != "" {
			t.Fatalf("failure after %d files changed the tree:\n%s", fail, diff)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("temporary files left behind: %v", entries)
		}
	}
	// A successful write replaces the folder exactly.
	sum, err := (&Writer{}).Write(dir, "dep", next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 4 || sum.Added != 1 || sum.Changed != 2 || sum.Removed != 1 {
		t.Errorf("summary = %+v, want 4 files: 1 added, 2 changed, 1 removed", sum)
	}
	want := map[string]string{"dep/a.txt": "new a", "dep/sub/b.txt": "new b", "dep/c.txt": "c", "dep/MANIFEST.json": string(next[ManifestName])}
	if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
		t.Errorf("after a good write (-want +got):\n%s", diff)
	}
}

func TestRefusesPathsOutsideTheFolder(t *testing.T) {
	for _, p := range []string{"../x", "/etc/passwd", "a/../../x", "a//b", "./a", `a\b`, ""} {
		if _, err := WithManifest(map[string][]byte{p: nil}, Meta{}); err == nil {
			t.Errorf("WithManifest accepted %q", p)
		}
		if _, err := (&Writer{}).Write(t.TempDir(), "dep", map[string][]byte{p: nil}, Options{}); err == nil {
			t.Errorf("Write accepted %q", p)
		}
	}
	for _, dep := range []string{"..", "a/b", "", "."} {
		if _, err := (&Writer{}).Write(t.TempDir(), dep, map[string][]byte{"x": nil}, Options{}); err == nil {
			t.Errorf("Write accepted deployment folder %q", dep)
		}
	}
}

func TestModesAndManifest(t *testing.T) {
	dir := t.TempDir()
	files, err := WithManifest(map[string][]byte{"firewall/x.ps1": []byte("ps"), "firewall/x.csv": []byte("csv")}, Meta{TrgenVersion: "v", CatalogVersion: "c", Deployment: "dep"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Writer{}).Write(dir, "dep", files, Options{}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{"firewall/x.ps1": 0o755, "firewall/x.csv": 0o644, ManifestName: 0o644} {
		info, err := os.Stat(filepath.Join(dir, "dep", p))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), want)
		}
	}
	var m manifest
	if err := json.Unmarshal(files[ManifestName], &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("csv"))
	if len(m.Files) != 2 || m.Files[0].Path != "firewall/x.csv" || m.Files[0].SHA256 != hex.EncodeToString(sum[:]) || m.Files[0].Bytes != 3 || m.TrgenVersion != "v" {
		t.Errorf("manifest = %+v", m)
	}
	d, err := Compare(dir, "dep", files)
	if err != nil || !d.Empty() {
		t.Errorf("Compare after Write = %+v, %v", d, err)
	}
}

func TestSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(dir, "dep")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if _, err := (&Writer{}).Write(dir, "dep", map[string][]byte{"x": nil}, Options{Force: true}); err == nil {
		t.Fatal("wrote through a symlinked target")
	}
	if entries, _ := os.ReadDir(real); len(entries) != 0 {
		t.Fatalf("something was written through the link: %v", entries)
	}
}

// TestPendingConcurrent: files added from many goroutines at once make
// exactly the folder, and a manifest equal to WithManifest's; a second Add
// of a path, and any Add after Commit, fail; Abort keeps the old folder.
func TestPendingConcurrent(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{}
	for i := range 200 {
		files[fmt.Sprintf("d%d/sub%d/f%d.ps1", i%7, i%3, i)] = []byte(strconv.Itoa(i))
	}
	meta := Meta{TrgenVersion: "v", CatalogVersion: "c", Deployment: "dep"}
	p, err := (&Writer{}).Begin(dir, "dep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(files))
	for path, data := range files {
		wg.Go(func() { errs <- p.Add(path, data) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Add("d0/sub0/f0.ps1", nil); err == nil {
		t.Error("a second Add of one path succeeded")
	}
	manifestData, err := p.Manifest(meta)
	if err != nil {
		t.Fatal(err)
	}
	want, err := WithManifest(files, meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Add(ManifestName, manifestData); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if d, err := Compare(dir, "dep", want); err != nil || !d.Empty() {
		t.Errorf("Compare after concurrent writes = %+v, %v", d, err)
	}
	if err := p.Add("late", nil); err == nil {
		t.Error("Add after Commit succeeded")
	}
	p.Abort() // after Commit: nothing happens
	before := readTree(t, dir)
	q, err := (&Writer{}).Begin(dir, "dep", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Add("other", []byte("x")); err != nil {
		t.Fatal(err)
	}
	q.Abort()
	if diff := cmp.Diff(before, readTree(t, dir)); diff != "" {
		t.Errorf("Abort changed the folder:\n%s", diff)
	}
}
