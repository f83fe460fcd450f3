package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/internal/golden"
)

// TestExamplesOut generates every example in-process and requires the
// committed out/ to be exactly that: the same files, byte for byte, no
// missing and no extra ones. UPDATE_GOLDEN=1 regenerates out/ instead.
func TestExamplesOut(t *testing.T) {
	examples, _ := filepath.Glob("../../examples/*")
	tmp := t.TempDir()
	dest := tmp
	if golden.Update() {
		dest = "../../out"
	}
	n := 0
	for _, ex := range examples {
		if fi, err := os.Stat(ex); err != nil || !fi.IsDir() || filepath.Base(ex) == "invalid" {
			continue
		}
		n++
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"generate", ex, "-o", dest}, nil, &stdout, &stderr); code != ExitOK {
			t.Fatalf("generate %s: exit %d\n%s", ex, code, stderr.String())
		}
	}
	if n == 0 {
		t.Fatal("no examples")
	}
	if golden.Update() {
		return
	}
	want, got := tree(t, "../../out"), tree(t, tmp)
	delete(want, "README.md")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("out/ is stale (-committed +generated); run `make generate`:\n%s", diff)
	}
}

func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
