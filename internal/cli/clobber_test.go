//go:build unix

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trgen/trgen/internal/emit"
)

// returnsWithin runs f and fails the test if it has not returned in 10 s: a run
// that opens a named pipe would otherwise hang the test binary.
func returnsWithin(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return within 10 s", what)
	}
}

// baseOutput generates the CLI scripts' base deployment into a new folder
// and returns the folder and the deployment's output folder.
func baseOutput(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if code, _, stderr := runMain(t, "generate", "testdata/base/deploy.hcl", "-o", dir); code != 0 {
		t.Fatalf("generate: %s", stderr)
	}
	return dir, filepath.Join(dir, "base")
}

// TestCheckDiffNeverFollowsLinks (issue 29): generate --check --diff
// compares only regular files. A committed file replaced by a symbolic
// link to a secret, to /dev/zero or by a named pipe is reported as not
// trgen's file, its target never read or printed, in bounded time.
func TestCheckDiffNeverFollowsLinks(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "environ")
	if err := os.WriteFile(secret, []byte("GITHUB_TOKEN=ghp_s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		plant func(p string) error
	}{
		{"link to a secret", func(p string) error { return os.Symlink(secret, p) }},
		{"link to /dev/zero", func(p string) error { return os.Symlink("/dev/zero", p) }},
		{"named pipe", func(p string) error { return syscall.Mkfifo(p, 0o644) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, target := baseOutput(t)
			p := filepath.Join(target, "report.json")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := c.plant(p); err != nil {
				t.Fatal(err)
			}
			var code int
			var stdout, stderr string
			returnsWithin(t, "generate --check --diff", func() {
				code, stdout, stderr = runMain(t, "generate", "testdata/base/deploy.hcl", "-o", dir, "--check", "--diff")
			})
			if code != ExitInvalid {
				t.Fatalf("exit %d, want %d: %s", code, ExitInvalid, stderr)
			}
			if strings.Contains(stdout+stderr, "s3cr3t") {
				t.Errorf("the link's target was printed:\n%s", stdout)
			}
			if !strings.Contains(stdout, "not trgen's file: "+p) {
				t.Errorf("report.json is not reported as not trgen's file:\n%s", stdout)
			}
		})
	}
}

// TestPlanOutNeverReplacesInputs (issue 29): --out replaces only a
// regular file that opens the way a plan trgen wrote opens, and never a
// file the run reads or anything in --from.
func TestPlanOutNeverReplacesInputs(t *testing.T) {
	_, target := baseOutput(t)
	from := filepath.Dir(target)
	work := t.TempDir()
	dep := filepath.Join(work, "main.hcl")
	data, err := os.ReadFile("testdata/base/deploy.hcl")
	if err != nil {
		t.Fatal(err)
	}
	data = append([]byte("# Review with: trgen plan --from out\n"), data...)
	if err := os.WriteFile(dep, data, 0o644); err != nil {
		t.Fatal(err)
	}
	workflow := filepath.Join(work, "ci.yml")
	if err := os.WriteFile(workflow, []byte("steps:\n  - run: trgen plan . --from out --out plan.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(work, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	earlier := filepath.Join(work, "earlier.txt")
	if code, _, stderr := runMain(t, "plan", dep, "--from", from, "--out", earlier); code != 0 {
		t.Fatalf("plan --out: %s", stderr)
	}
	link := filepath.Join(work, "link.txt")
	if err := os.Symlink(earlier, link); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, out, want string }{
		{"the deployment itself", dep, "is read by this run"},
		{"a file that mentions trgen plan", workflow, "not a plan trgen wrote"},
		{"a named pipe", fifo, "not a regular file"},
		{"a symbolic link to a plan", link, "symbolic link"},
		{"a file in --from", filepath.Join(target, "plan.txt"), "--from"},
		{"MANIFEST.json in --from", filepath.Join(target, "MANIFEST.json"), "--from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.Lstat(c.out)
			var beforeData []byte
			if before != nil && before.Mode().IsRegular() {
				beforeData, _ = os.ReadFile(c.out)
			}
			var code int
			var stderr string
			returnsWithin(t, "plan --out", func() {
				code, _, stderr = runMain(t, "plan", dep, "--from", from, "--out", c.out)
			})
			if code != ExitUsage {
				t.Fatalf("plan --out %s exited %d, want %d", c.out, code, ExitUsage)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("the refusal does not say %q:\n%s", c.want, stderr)
			}
			after, err := os.Lstat(c.out)
			switch {
			case before == nil && err == nil:
				t.Errorf("%s was created", c.out)
			case before != nil && (err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after)):
				t.Errorf("%s was replaced", c.out)
			case beforeData != nil:
				if now, _ := os.ReadFile(c.out); string(now) != string(beforeData) {
					t.Errorf("%s was rewritten", c.out)
				}
			}
		})
	}
	// An earlier plan is still replaced, in every format.
	for _, f := range []string{"text", "json", "markdown"} {
		if code, _, stderr := runMain(t, "plan", dep, "--from", from, "--out", earlier, "--format", f); code != 0 {
			t.Fatalf("plan --format %s --out over an earlier plan: %s", f, stderr)
		}
	}
}

// TestLockNeverTruncatesALinkedFile (issue 29): a hard link planted at
// DIR/.<deployment>.lock to a user's file is refused, the file intact.
func TestLockNeverTruncatesALinkedFile(t *testing.T) {
	dir := t.TempDir()
	user := filepath.Join(t.TempDir(), "thesis.txt")
	if err := os.WriteFile(user, []byte("four years of work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(user, filepath.Join(dir, ".base.lock")); err != nil {
		t.Skipf("no hard link across these folders: %v", err)
	}
	code, _, stderr := runMain(t, "generate", "testdata/base/deploy.hcl", "-o", dir)
	if code == 0 {
		t.Errorf("generate took a lock that is a link to another file")
	}
	if !strings.Contains(stderr, "not trgen's lock") {
		t.Errorf("the refusal does not name the lock file:\n%s", stderr)
	}
	if got, _ := os.ReadFile(user); string(got) != "four years of work\n" {
		t.Errorf("the linked file now holds %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".base.lock")); err != nil {
		t.Errorf("the planted link was removed: %v", err)
	}
}

// TestForceKeepsFileInputs (issue 29): a file read through file() inside
// the output folder makes the folder the run's input; --force does not
// replace it.
func TestForceKeepsFileInputs(t *testing.T) {
	work := t.TempDir()
	out := filepath.Join(work, "out")
	if err := os.MkdirAll(filepath.Join(out, "base"), 0o755); err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(out, "base", "site.rules")
	if err := os.WriteFile(rules, []byte("-w /etc/site.conf -p wa -k site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/base/deploy.hcl")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "deployment \"base\" {", "locals {\n  site = file(\"out/base/site.rules\")\n}\n\ndeployment \"base\" {", 1)
	if err := os.WriteFile(filepath.Join(work, "main.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runMain(t, "generate", work, "-o", out, "--force")
	if code == 0 {
		t.Errorf("generate --force replaced a folder holding a file() input")
	}
	if !strings.Contains(stderr, "site.rules") {
		t.Errorf("the refusal does not name the input:\n%s", stderr)
	}
	if _, err := os.Stat(rules); err != nil {
		t.Errorf("the input is gone: %v", err)
	}
}

// TestInitNeverWritesThroughLinks (issue 29): init refuses a symbolic
// link as DIR and as any folder it writes into (the enterprise example
// has a rules/ folder).
func TestInitNeverWritesThroughLinks(t *testing.T) {
	elsewhere := t.TempDir()
	work := t.TempDir()
	dir := filepath.Join(work, "site")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, "rules")); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(work, "linked")
	if err := os.Symlink(elsewhere, linked); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{dir, linked} {
		code, _, stderr := runMain(t, "init", target, "--example", "enterprise")
		if code == 0 {
			t.Errorf("init %s wrote through a symbolic link", target)
		}
		if !strings.Contains(stderr, "symbolic link") {
			t.Errorf("init %s: the refusal does not say why:\n%s", target, stderr)
		}
		if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
			t.Errorf("init %s wrote %d entries into the link's target", target, len(entries))
		}
	}
}

// TestSwapFailureSaysWhereTheOutputIs (issue 29): when the swap fails
// half-way the previous output is moved aside, not unchanged: the message
// says where it is and that the next run puts it back.
func TestSwapFailureSaysWhereTheOutputIs(t *testing.T) {
	var stderr strings.Builder
	e := &env{stdout: &strings.Builder{}, stderr: &stderr, getenv: func(string) string { return "" }}
	swapErr := &emit.SwapError{Target: "out/base", Old: "out/.base.new-1.old", Err: errors.New("rename: injected failure")}
	generateFailed(e, &writeError{swapErr}, "out/base")
	if strings.Contains(stderr.String(), "unchanged") {
		t.Errorf("the message says the previous output is unchanged:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "out/.base.new-1.old") || !strings.Contains(stderr.String(), "puts it back") {
		t.Errorf("the message does not say where the previous output is:\n%s", stderr.String())
	}
	if !errors.Is(&writeError{swapErr}, swapErr) {
		t.Error("writeError does not unwrap to its cause")
	}
}

// TestFileNamesSanitised (issue 29): a file name with a control character
// reaches the terminal only as printable text: a configuration file's
// name in a diagnostic, an output folder's file in generate's and plan's
// refusals; and such a name never stops generate.
func TestFileNamesSanitised(t *testing.T) {
	const hostile = "n\x1b[2J\a.hcl"
	data, err := os.ReadFile("testdata/base/deploy.hcl")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, hostile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	// An error names the file.
	code, _, stderr := runMain(t, "validate", work, "-var", "tr=9.9.9")
	if strings.ContainsAny(stderr, "\x1b\a") {
		t.Errorf("validate printed a control character from a file name:\n%q", stderr)
	}
	if code != 1 || !strings.Contains(stderr, "n?[2J?.hcl:") {
		t.Errorf("validate: exit %d, the diagnostic does not name the file printably:\n%s", code, stderr)
	}
	out := t.TempDir()
	code, _, stderr = runMain(t, "generate", work, "-o", out)
	if code != 0 {
		t.Fatalf("a file name with a control character stops generate:\n%s", stderr)
	}
	planted := filepath.Join(out, "base", "x\x1b]0;pwned\a.txt")
	if err := os.WriteFile(planted, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"generate", work, "-o", out}, {"plan", work, "--from", out}} {
		code, _, stderr := runMain(t, args...)
		if code == 0 {
			t.Errorf("%s accepted a folder holding a file it did not write", args[0])
		}
		if strings.ContainsAny(stderr, "\x1b\a") {
			t.Errorf("%s printed a control character from a file name:\n%q", args[0], stderr)
		}
	}
}
