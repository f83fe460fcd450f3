package emit

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestInspect: what a previous output folder holds besides trgen's own
// files, as Begin reads it before refusing or replacing the folder.
func TestInspect(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{}
	files := map[string][]byte{
		"a.txt":       []byte("alpha\n"),
		"sub/b.txt":   []byte("bravo\n"),
		"sub/c.txt":   []byte("charlie\n"),
		"sub/d/e.txt": []byte("echo\n"),
		"big.bin":     make([]byte, 3<<20+17), // larger than one read buffer
	}
	withManifest, err := WithManifest(files, Meta{Deployment: "dep"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(dir, "dep", withManifest, Options{}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "dep")
	prev, err := inspect(target)
	if err != nil {
		t.Fatal(err)
	}
	if !prev.owned() || len(prev.files) != len(files) {
		t.Fatalf("fresh output: owned %v, %d files, unlisted %v, edited %v", prev.owned(), len(prev.files), prev.unlisted, prev.edited)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(target, "sub/b.txt"), []byte("BRAVO\n"), 0o644)) // same size, other content
	big := make([]byte, 3<<20+17)
	big[3<<20+16] = 1 // differs only in the last byte
	must(os.WriteFile(filepath.Join(target, "big.bin"), big, 0o644))
	must(os.Remove(filepath.Join(target, "sub/c.txt")))
	must(os.Symlink("a.txt", filepath.Join(target, "sub/c.txt")))
	must(os.WriteFile(filepath.Join(target, "notes.md"), []byte("mine"), 0o644))
	must(os.MkdirAll(filepath.Join(target, "empty/inner"), 0o755))
	must(os.Mkdir(filepath.Join(target, "keep"), 0o755))
	must(os.WriteFile(filepath.Join(target, "keep/x"), nil, 0o644))
	must(os.Remove(filepath.Join(target, "sub/d/e.txt"))) // sub/d is now empty
	prev, err = inspect(target)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"empty/inner/", "keep/x", "notes.md", "sub/d/"}; !reflect.DeepEqual(prev.unlisted, want) {
		t.Errorf("unlisted %q, want %q", prev.unlisted, want)
	}
	if want := []string{"big.bin", "sub/b.txt", "sub/c.txt"}; !reflect.DeepEqual(prev.edited, want) {
		t.Errorf("edited %q, want %q", prev.edited, want)
	}
	if prev.files["a.txt"] == "" || prev.files["sub/b.txt"] != "" {
		t.Errorf("files: %q", prev.files)
	}
	if _, ok := prev.files["sub/d/e.txt"]; ok {
		t.Error("a deleted file is still listed as on disk")
	}
}
