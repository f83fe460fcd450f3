package auditrule

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFileVerCmpMatchesLs holds FileVerCmp (through SortRulesFiles) to the
// real `ls -1v` of GNU coreutils, on names of the shapes rules.d holds and
// on random ones made of the characters filevercmp treats specially.
func TestFileVerCmpMatchesLs(t *testing.T) {
	ls := realLs(t)
	names := []string{"10-base-config.rules", "9-x.rules", "010-x.rules", "10-x.rules", "99-finalize.rules", "audit.rules",
		"a~1.rules", "a.rules", "a1.rules", "a01.rules", "A.rules", "_x.rules", "-x.rules", "x.rules.rules", "x.tar.gz.rules",
		"1.2.rules", "1.10.rules", "1.9.rules", "v1~rc1.rules", "v1.rules", "~.rules", "x..rules", "10-trgen-base.rules",
		"60-tanium-threat-response.rules", "30-stig.rules", "30-ospp-v42.rules", "30-ospp-v42-1-create-failed.rules", "43-module-load.rules"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "0123456789ab.~-_A"
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for len(names) < 400 {
		b := make([]byte, 1+r.IntN(8))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		n := string(b)
		if n[0] == '.' || n[0] == '-' {
			continue
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	dir := t.TempDir()
	var files []File
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Name: n})
	}
	out, err := exec.Command(ls, "-1v", dir).Output()
	if err != nil {
		t.Fatalf("ls -1v: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	var got []string
	for _, f := range SortRulesFiles(files) {
		got = append(got, f.Name)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortRulesFiles differs from ls -1v (-ls +trgen):\n%s", diff)
	}
}

func realLs(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("GNU ls is Linux's")
	}
	ls, err := exec.LookPath("ls")
	if err == nil {
		if v, _ := exec.Command(ls, "--version").Output(); strings.Contains(string(v), "GNU coreutils") {
			return ls
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs GNU coreutils' ls")
	}
	t.Skip("GNU coreutils' ls not found")
	return ""
}

// augenrules is Debian's packaged augenrules (TRGEN_AUDITD_ROOT, where
// .ci/run extracts the package without installing it), made to read and
// write a test folder: only its DestinationFile and SourceRulesDir
// assignments change, and every auditctl call becomes false, so nothing
// can be loaded. The merge itself is the script's own, run by this
// machine's sh and awk (mawk, as on Debian and Ubuntu).
func augenrules(t *testing.T, rulesDir, dest string) string {
	t.Helper()
	var script string
	if root := os.Getenv("TRGEN_AUDITD_ROOT"); root != "" {
		script = filepath.Join(root, "sbin/augenrules")
	}
	data, err := os.ReadFile(script)
	if script == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI needs Debian's augenrules: .ci/run extracts the auditd package and sets TRGEN_AUDITD_ROOT")
		}
		t.Skip("augenrules not found; set TRGEN_AUDITD_ROOT to an extracted auditd package")
	}
	var lines []string
	changed := 0
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, "DestinationFile="):
			l, changed = "DestinationFile="+dest, changed+1
		case strings.HasPrefix(l, "SourceRulesDir="):
			l, changed = "SourceRulesDir="+rulesDir, changed+1
		}
		lines = append(lines, strings.ReplaceAll(l, "/sbin/auditctl", "false"))
	}
	if changed != 2 {
		t.Fatalf("%s: found %d of its two path assignments", script, changed)
	}
	return strings.Join(lines, "\n")
}

// TestMergeMatchesAugenrules builds rules.d folders of many layouts and
// compares Merge's file with the one the real augenrules writes.
func TestMergeMatchesAugenrules(t *testing.T) {
	work := t.TempDir()
	script := filepath.Join(work, "augenrules")
	dest := filepath.Join(work, "audit.rules")
	rulesDir := filepath.Join(work, "rules.d")
	if err := os.WriteFile(script, []byte(augenrules(t, rulesDir, dest)), 0o755); err != nil {
		t.Fatal(err)
	}
	pieces := []string{"-D", "-D -k old", "-D ", "\t-D", "-b 8192", "-b 320", "-b8192", "  -b 100", "-f 1", "-f 2", "-f0",
		"-e 1", "-e 2", " -e 2", "--backlog_wait_time 60000", "-c", "-i", "## comment", "  # indented comment", "",
		"   ", "-w /etc/passwd -p wa -k identity", "-a always,exit -F arch=b64 -S execve -k exec", "-w /etc/x\\ y -p wa",
		"-r 100", "s#odd", "-Ds"}
	names := []string{"10-base.rules", "99-finalize.rules", "audit.rules", "30-stig.rules", "9-early.rules", "x.conf",
		".hidden.rules", "20-a.rules", "20-a~b.rules", "1.10.rules", "1.9.rules"}
	r := rand.New(rand.NewPCG(3, 4))
	for layout := 0; layout < 60; layout++ {
		os.RemoveAll(rulesDir)
		os.Remove(dest)
		if err := os.Mkdir(rulesDir, 0o755); err != nil {
			t.Fatal(err)
		}
		var files []File
		for _, n := range names {
			if r.IntN(3) == 0 {
				continue
			}
			var b strings.Builder
			for range r.IntN(6) {
				b.WriteString(pieces[r.IntN(len(pieces))] + "\n")
			}
			text := b.String()
			if r.IntN(8) == 0 {
				text = strings.TrimSuffix(text, "\n") // cat joins it with the next file
			}
			if err := os.WriteFile(filepath.Join(rulesDir, n), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if IsRulesFile(n) {
				files = append(files, File{Name: n, Data: []byte(text)})
			}
		}
		out, err := exec.Command("sh", script).CombinedOutput()
		if err != nil {
			t.Fatalf("layout %d: augenrules: %v\n%s", layout, err, out)
		}
		want, err := os.ReadFile(dest)
		if err != nil {
			// augenrules writes nothing for an empty merge; trgen's
			// merge is then the header and empty slots only.
			if !strings.Contains(string(out), "No rules") {
				t.Fatalf("layout %d: augenrules wrote no file: %s", layout, out)
			}
			continue
		}
		// The script names its source folder in the header.
		got := strings.Replace(Merge(files).Text(), "/etc/audit/rules.d", rulesDir, 1)
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("layout %d (%s): Merge differs from augenrules (-augenrules +trgen):\n%s", layout, fileNames(files), diff)
		}
	}
}

func fileNames(files []File) string {
	var n []string
	for _, f := range files {
		n = append(n, fmt.Sprintf("%s:%q", f.Name, f.Data))
	}
	return strings.Join(n, " ")
}

// TestTrgenBesideStockRules: each rules.d trgen wrote for the bundled
// examples (out/), merged beside the stock audit.rules of Debian's and
// Ubuntu's package (etc/audit/rules.d/audit.rules) and of RHEL's (whose
// audit.spec copies upstream's 10-base-config.rules to
// rules.d/audit.rules; Debian's package ships that file as an example),
// lints without a finding.
func TestTrgenBesideStockRules(t *testing.T) {
	root := os.Getenv("TRGEN_AUDITD_ROOT")
	if root == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI needs Debian's auditd package: .ci/run extracts it and sets TRGEN_AUDITD_ROOT")
		}
		t.Skip("set TRGEN_AUDITD_ROOT to an extracted auditd package")
	}
	stock := map[string]string{
		"Debian and Ubuntu": filepath.Join(root, "etc/audit/rules.d/audit.rules"),
		"RHEL":              filepath.Join(root, "usr/share/doc/auditd/examples/rules/10-base-config.rules"),
	}
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "out", "*", "auditd", "*", "rules.d"))
	if len(dirs) < 3 {
		t.Fatalf("only %d rules.d folders under out/", len(dirs))
	}
	for distro, path := range stock {
		base, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs {
			files := []File{{Name: "audit.rules", Data: base}}
			names, _ := filepath.Glob(filepath.Join(dir, "*.rules"))
			for _, n := range names {
				data, err := os.ReadFile(n)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, File{Name: filepath.Base(n), Data: data})
			}
			r := LintSet(files, Options{Merge: true})
			for _, d := range r.Diags {
				t.Errorf("%s beside %s's audit.rules: %s: %s", dir, distro, d.Subject, d.Summary)
			}
			if len(r.Lines) < 5 {
				t.Errorf("%s: only %d rules merged", dir, len(r.Lines))
			}
		}
	}
}
