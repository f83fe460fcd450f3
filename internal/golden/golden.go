// Package golden compares test output with checked-in golden files, and
// rewrites them only when the UPDATE_GOLDEN environment variable is set (a
// flag would break `go test ./...` in packages that do not define it). It is
// imported by tests only.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

// EnvVar is the environment variable that turns on update mode.
const EnvVar = "UPDATE_GOLDEN"

// Update reports whether goldens should be rewritten. It is read on every
// call, at test time, so go test's cache notices the variable.
func Update() bool { return os.Getenv(EnvVar) != "" }

// Check compares got with the golden file at path, or rewrites it in update
// mode. CRLF in the golden is read as LF.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if Update() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden %s: %v (run with %s=1 to create it)", path, err, EnvVar)
	}
	want = bytes.ReplaceAll(want, []byte("\r\n"), []byte("\n"))
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s\nRun `make update` if the change is intended.", path, diff)
	}
}

// ArchiveFile returns the file name of the txtar archive at path: a
// reference case's input, for the tests that read one.
func ArchiveFile(t testing.TB, archive, name string) []byte {
	t.Helper()
	ar, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("%s has no %s", archive, name)
	return nil
}

// PageEnv names the environment variable that gives the path of the
// vendor's requirements page as text: the page trgen's built-in catalog
// transcribes, which the fidelity tests compare the catalog with. The
// repository does not hold it (it is the vendor's); .ci/run sets the
// variable where the page is at hand.
const PageEnv = "TRGEN_REQUIREMENTS_PAGE"

// RequirementsPage returns the page PageEnv names. Without the variable
// the calling test skips and says why; a variable naming a file that
// cannot be read fails it.
func RequirementsPage(t testing.TB) []byte {
	t.Helper()
	p := os.Getenv(PageEnv)
	if p == "" {
		t.Skipf("%s is not set: skipping the comparison with the vendor's requirements page (.ci/run sets it where the page is at hand)", PageEnv)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%s names a page that cannot be read: %v", PageEnv, err)
	}
	return data
}
