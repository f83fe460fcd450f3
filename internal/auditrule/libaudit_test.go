//go:build !windows

package auditrule_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/toolcheck"
)

// TestAgreesWithGoLibaudit holds trgen's linter to an independent parser:
// every watch and syscall rule of the upstream samples (which trgen's
// linter accepts, TestUpstreamSamples) and of the broken cases that lint
// clean goes through go-libaudit's flags.Parse and rule.Build, which
// build the kernel's wire format; and a rule go-libaudit refuses must not
// lint clean, except where the audit userspace source shows go-libaudit
// is stricter than auditctl (toolcheck.LibauditGap: user and group names, which
// go-libaudit resolves on the machine running the test while auditctl
// resolves them on the endpoint; the filesystem list, which auditctl
// 3.0 reads (upstream's 23-ignore-filesystems.rules uses it) and
// go-libaudit 2.6.2 does not know). Quotes, which auditctl reads
// literally and go-libaudit as shell quoting, trgen refuses.
func TestAgreesWithGoLibaudit(t *testing.T) {
	dir := auditrule.TestSamplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.rules"))
	built := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, lines := auditrule.Lint([]auditrule.File{{Name: filepath.Base(f), Data: data}}, auditrule.Options{})
		for _, l := range lines {
			if l.Kind == "control" {
				continue
			}
			err := toolcheck.BuildAuditRule(l.Text())
			if why := toolcheck.LibauditGap(err); why != "" {
				t.Logf("%s:%d: go-libaudit cannot judge it: %s", filepath.Base(f), l.Num, why)
				continue
			}
			if err != nil {
				t.Errorf("%s:%d: trgen accepts, go-libaudit refuses: %v", filepath.Base(f), l.Num, err)
			}
			built++
		}
	}
	for _, line := range []string{
		"-w /etc/passwd -p wa -k 'id'",
		"-w /etc/passwd -p wa -k " + strings.Repeat("k", 257),
		"-a always,exit -F arch=b64 -S nosuchcall -k x",
		"-a always,exit -F arch=b64 -S open -F auidd>=1000",
		"-w /etc/passwd -p rwz",
	} {
		libErr := toolcheck.BuildAuditRule(line)
		diags, _ := auditrule.Lint([]auditrule.File{{Name: "x.rules", Data: []byte(line + "\n")}}, auditrule.Options{})
		if libErr != nil && !diags.HasErrors() {
			t.Errorf("%q: go-libaudit refuses (%v), trgen's linter accepts", line, libErr)
		}
	}
	t.Logf("%d upstream sample rules built by go-libaudit", built)
}
