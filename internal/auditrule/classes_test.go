package auditrule

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/rule"
)

// TestAuditctlClasses: each class where trgen's linter and auditctl (as
// audit-userspace's src/auditctl.c and lib/libaudit.c behave, v2.8.5 to
// v4.2) disagreed, with rule lines written to reproduce it in the forms
// public rule sets use. want is the rule id the first line must get ("" for
// none) and sev its severity. The test reports agreement per class.
func TestAuditctlClasses(t *testing.T) {
	cases := []struct {
		class, version string
		lines          []string
		want           rule.ID
		sev            hcl.DiagnosticSeverity
	}{
		// False positives: auditctl accepts these.
		{"-p on a syscall rule with a path (audit_setup_perms)", "", []string{"-a always,exit -F path=/usr/bin/sudo -p x -k priv"}, "", 0},
		{"-p on a syscall rule, attribute order of public sets", "", []string{"-a always,exit -F arch=b64 -F dir=/etc/sudoers.d/ -p wa -k actions"}, "", 0},
		{"escaped blank in a watch path (preprocess/postprocess)", "", []string{`-w /etc/My\ Config -p wa -k cfg`}, "", 0},
		{"-D -k deletes by key", "", []string{"-D -k old"}, "", 0},
		{"arch=aarch64 (lib/machinetab.h)", "", []string{"-a always,exit -F arch=aarch64 -S openat -k open"}, "", 0},
		{"arch=armv7l (lib/machinetab.h)", "", []string{"-a always,exit -F arch=armv7l -S open -k open"}, "", 0},
		{"-F attached to its value (getopt)", "", []string{"-a always,exit -F arch=b64 -S execve -Fauid>=1000 -Fauid!=unset -k exec"}, "", 0},
		{"syscalls of audit 4.0 (fchmodat2) on a 4.x host", "4.0.5", []string{"-a always,exit -F arch=b64 -S fchmodat2 -F auid>=1000 -k perm_mod"}, "", 0},
		{"syscalls of audit 4.1.1 (file_setattr) on a 4.1 host", "4.1.4", []string{"-a always,exit -F arch=b64 -S file_setattr -F auid>=1000 -k perm_mod"}, "", 0},
		{"quoted key: loads, with the quotes in the key", "", []string{`-w /etc/passwd -p wa -k "identity"`}, rule.AuditQuoted, hcl.DiagWarning},
		// False negatives: auditctl refuses these, or the kernel does.
		{"-F arch= after -S (EAU_ARCHMISPLACED)", "", []string{"-a always,exit -S openat -F arch=b64 -k open"}, rule.AuditSyntax, hcl.DiagError},
		{"a 3.0 syscall (openat2) on an auditd 2.8 host", "2.8.5", []string{"-a always,exit -F arch=b64 -S openat2 -k open"}, rule.AuditSyscall, hcl.DiagError},
		{"io_uring_setup on auditd 2.8", "2.8.5", []string{"-a always,exit -F arch=b64 -S io_uring_setup -k uring"}, rule.AuditSyscall, hcl.DiagError},
		{"fchmodat2 on auditd 3.0", "3.0.9", []string{"-a always,exit -F arch=b64 -S fchmodat2 -k perm_mod"}, rule.AuditSyscall, hcl.DiagError},
		{"duplicate by kernel form: syscall order and -F key=", "", []string{"-a always,exit -F arch=b64 -S openat -S open -F key=x", "-a always,exit -F arch=b64 -S open,openat -k x"}, rule.AuditDuplicate, hcl.DiagError},
		{"duplicate by kernel form: -p wa and -p aw", "", []string{"-w /etc/shadow -p wa -k identity", "-w /etc/shadow -p aw -k identity"}, rule.AuditDuplicate, hcl.DiagError},
		{"duplicate after -c: auditctl goes on", "", []string{"-c", "-w /etc/shadow -p wa -k identity", "-w /etc/shadow -p aw -k identity"}, rule.AuditDuplicate, hcl.DiagWarning},
		{"duplicate after -i: auditctl goes on", "", []string{"-i", "-w /etc/shadow -p wa -k identity", "-w /etc/shadow -p wa -k identity"}, rule.AuditDuplicate, hcl.DiagWarning},
	}
	agree := map[string]int{}
	for _, c := range cases {
		diags, _ := Lint([]File{{Name: "x.rules", Data: []byte(strings.Join(c.lines, "\n") + "\n")}}, Options{AuditdVersion: c.version})
		ok := true
		switch {
		case c.want == "" && len(diags) > 0:
			ok = false
			t.Errorf("%s: %s: unexpected %s: %s", c.class, c.lines[0], rule.Of(diags[0]), diags[0].Detail)
		case c.want != "" && (len(diags) != 1 || rule.Of(diags[0]) != c.want || diags[0].Severity != c.sev):
			ok = false
			t.Errorf("%s: want one %s (severity %d), got %d findings: %v", c.class, c.want, c.sev, len(diags), diags)
		}
		if ok {
			agree[c.class]++
		}
	}
	t.Logf("auditctl and trgen agree on %d of %d classes", len(agree), len(cases))
}

// TestTableLine: each version picks its own line's table, or says which.
func TestTableLine(t *testing.T) {
	for v, want := range map[string]string{"": "4.2", "2.8.5": "2.8", "2.8.4": "2.8", "3.0.7": "3.0", "3.1.2": "3.1", "4.0.2": "4.0", "4.1.1": "4.1", "4.2.1": "4.2", "5.0": "4.2", "2.7.6": "2.8", "3.2": "3.1"} {
		line, note := TableLine(v)
		if line != want {
			t.Errorf("TableLine(%q) = %s, want %s", v, line, want)
		}
		if exact := v == "" || strings.HasPrefix(v, want+"."); exact != (note == "") {
			t.Errorf("TableLine(%q): note %q", v, note)
		}
	}
	// Every line's tables hold the names upstream's own rules of that
	// line use, and the 28 names 3.0 added are missing from 2.8's.
	for _, n := range []string{"openat2", "clone3", "io_uring_setup", "pidfd_open", "close_range", "faccessat2"} {
		if syscallTables()["2.8"]["x86_64"][n] || !syscallTables()["3.0"]["x86_64"][n] {
			t.Errorf("%s: want it in 3.0's table and not in 2.8's", n)
		}
	}
	if syscallTables()["4.0"]["x86_64"]["file_setattr"] || !syscallTables()["4.1"]["x86_64"]["file_setattr"] {
		t.Error("file_setattr arrives in 4.1")
	}
}
