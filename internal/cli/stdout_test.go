package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fullWriter fails every write after the first n bytes, as /dev/full or a
// closed pipe does.
type fullWriter struct{ n int }

func (f *fullWriter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return len(p), nil
	}
	n := f.n
	f.n = 0
	return n, errors.New("no space left on device")
}

// TestStdoutWriteErrors: every command that prints its result fails with
// exit 2 and a message when standard output cannot be written, at the
// first byte or part-way, instead of passing a truncated result as done.
func TestStdoutWriteErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "d.hcl")
	base, err := os.ReadFile(filepath.Join("testdata", "base", "deploy.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, base, 0o644)
	for _, args := range [][]string{
		{"schema"},
		{"requirements", "--format", "json"},
		{"requirements"},
		{"man"},
		{"completion", "bash"},
		{"validate", cfg, "--format", "json"},
		{"explain", "cpu-count"},
		{"version"},
		{"--help"},
	} {
		rooms := []int{0, 100}
		if args[0] == "version" {
			rooms = rooms[:1] // its output fits in 100 bytes
		}
		for _, room := range rooms {
			var stderr strings.Builder
			code := Main(args, strings.NewReader(""), &fullWriter{n: room}, &stderr)
			if code != ExitUsage || !strings.Contains(stderr.String(), "trgen: writing standard output: no space left on device") {
				t.Errorf("%v with %d bytes of room: exit %d, stderr %q", args, room, code, stderr.String())
			}
		}
	}
}

// TestStdoutDevFull: the same through a real /dev/full.
func TestStdoutDevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	bin := filepath.Join(buildTrgen(t), "trgen")
	cmd := exec.Command(bin, "schema")
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = full, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitUsage || !strings.Contains(stderr.String(), "writing standard output") {
		t.Fatalf("trgen schema > /dev/full: %v %s", err, stderr.String())
	}
}
