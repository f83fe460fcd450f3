package auditrule

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trgen/trgen/schema"
)

// ausyscall finds the real ausyscall: in TRGEN_AUDITD_ROOT (the package
// .ci/run extracts without installing) or on PATH.
func ausyscall(t *testing.T) string {
	t.Helper()
	if root := os.Getenv("TRGEN_AUDITD_ROOT"); root != "" {
		if p := filepath.Join(root, "usr/bin/ausyscall"); fileExists(p) {
			return p
		}
	}
	if p, err := exec.LookPath("ausyscall"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs ausyscall: .ci/run extracts Debian's auditd package and sets TRGEN_AUDITD_ROOT")
	}
	t.Skip("ausyscall not found; set TRGEN_AUDITD_ROOT to an extracted auditd package")
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestSyscallTables: the checked-in tables of the 3.0 line are exactly
// what Debian's ausyscall --dump prints for each architecture (the other
// lines are transcribed from upstream's tables, which no package this
// machine can run holds: see each file's header).
func TestSyscallTables(t *testing.T) {
	bin := ausyscall(t)
	for _, arch := range tableArches {
		out, err := exec.Command(bin, arch, "--dump").Output()
		if err != nil {
			t.Fatalf("ausyscall %s --dump: %v", arch, err)
		}
		want := strings.SplitN(string(out), "\n", 2)[1] // drop "Using ... syscall table:"
		data, err := schema.FS.ReadFile("syscalls/3.0/" + arch + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.HasPrefix(line, "#") {
				got = append(got, line)
			}
		}
		if diff := cmp.Diff(want, strings.Join(got, "\n")); diff != "" {
			t.Errorf("schema/syscalls/3.0/%s.txt differs from ausyscall (run make syscalls):\n%s", arch, diff)
		}
	}
}
