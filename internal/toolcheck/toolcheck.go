// Package toolcheck runs generated files through the real tools that read
// them, harmlessly: nft -c and iptables-restore --test inside a private
// network namespace, firewall-offline-cmd against a scratch copy of
// /etc/firewalld in a private mount namespace, shellcheck, and the
// PowerShell lexer. A missing tool fails the test when CI=true and skips it
// otherwise. It is for tests only and never loads anything into the kernel.
package toolcheck

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/trgen/trgen/internal/auditrule"
	"github.com/trgen/trgen/internal/hostfw"
	"github.com/trgen/trgen/internal/jsondoc"
	"github.com/trgen/trgen/internal/pslex"
)

// Need returns the path of tool, or ends the test: a failure in CI, a skip
// with a message elsewhere. For a test whose subject is the tool's
// verdict; a check among others uses optional.
func Need(t testing.TB, tool string) string {
	t.Helper()
	if p, ok := lookTool(tool); ok {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; CI must install it (see .ci/run)", tool)
	}
	t.Skipf("%s is not installed; skipping its check (CI installs it)", tool)
	return ""
}

func lookTool(tool string) (string, bool) {
	if p, err := exec.LookPath(tool); err == nil {
		return p, true
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		if _, err := os.Stat(filepath.Join(dir, tool)); err == nil {
			return filepath.Join(dir, tool), true
		}
	}
	return "", false
}

// optional returns the paths of tools for one check among the many a
// test runs. In CI a missing tool fails the test. Elsewhere the check is
// left out (ok is false; the caller returns no error) and the test goes
// on with every other check: the test's output says which tool's checks
// were left out, once per test and tool, as a skipped subtest
// "skipped/<tool>" where the test can have one, else in its log. A test
// that did its work is never reported as skipped as a whole.
func optional(t testing.TB, tools ...string) (paths []string, ok bool) {
	t.Helper()
	for _, tool := range tools {
		p, found := lookTool(tool)
		if !found {
			missing(t, tool, "")
			return nil, false
		}
		paths = append(paths, p)
	}
	return paths, true
}

// skippedChecks remembers which test was told of which missing tool.
var skippedChecks sync.Map

// missing reports a tool a check needs and this machine lacks: a failure
// in CI, else once per test a skipped subtest (or a log line) naming it.
func missing(t testing.TB, tool, hint string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; CI must install it (see .ci/run)%s", tool, hint)
	}
	if _, told := skippedChecks.LoadOrStore(t.Name()+"\x00"+tool, true); told {
		return
	}
	msg := fmt.Sprintf("%s is not installed%s: its checks are left out, every other check runs (CI installs it)", tool, hint)
	if tt, ok := t.(*testing.T); ok {
		tt.Run("skipped/"+tool, func(t *testing.T) { t.Skip(msg) })
		return
	}
	t.Log(msg)
}

// unshare returns the unshare flags for private namespaces: as root plain
// -n/-m; otherwise with a user namespace (-r).
func unshare(ns string) []string {
	if os.Geteuid() == 0 {
		return []string{ns}
	}
	return []string{"-r", ns}
}

func run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// Nft checks an nftables file with nft -c in a private network namespace.
func Nft(t testing.TB, file string) error {
	tools, ok := optional(t, "nft", "unshare")
	if !ok {
		return nil
	}
	nft, us := tools[0], tools[1]
	out, err := run(us, append(unshare("-n"), nft, "-c", "-f", file)...)
	if err != nil {
		return fmt.Errorf("nft -c -f %s: %v\n%s", file, err, out)
	}
	return nil
}

// IptablesRestore checks iptables-restore (or, for v6, ip6tables-restore)
// input with --test in a private network namespace.
func IptablesRestore(t testing.TB, file string, v6 bool) error {
	tool := "iptables-restore"
	if v6 {
		tool = "ip6tables-restore"
	}
	tools, ok := optional(t, tool, "unshare")
	if !ok {
		return nil
	}
	bin, us := tools[0], tools[1]
	out, err := run(us, append(unshare("-n"), bin, "--test", "--noflush", file)...)
	if err != nil {
		return fmt.Errorf("%s --test %s: %v\n%s", tool, file, err, out)
	}
	return nil
}

// Firewalld imports a policy file with firewall-offline-cmd into a scratch
// copy of /etc/firewalld (bind-mounted in a private mount namespace, so the
// host's configuration is untouched), then runs --check-config. Any WARNING
// or ERROR line fails: firewalld exits 0 on a dropped rich rule.
func Firewalld(t testing.TB, file string) error {
	tools, ok := optional(t, "firewall-offline-cmd", "unshare")
	if !ok {
		return nil
	}
	us := tools[1]
	dir := t.TempDir()
	// Policy names come from the file name: at most 17 characters, no dots.
	policy := filepath.Join(dir, "trgen-tr.xml")
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if err := os.WriteFile(policy, data, 0o644); err != nil {
		return err
	}
	scratch := filepath.Join(dir, "etc")
	script := `set -e
mkdir -p "$1"
cp -a /etc/firewalld/. "$1"/ 2>/dev/null || true
mount --bind "$1" /etc/firewalld
firewall-offline-cmd --new-policy-from-file="$2" --name=trgen-tr
firewall-offline-cmd --check-config`
	out, err := run(us, append(unshare("-m"), "sh", "-c", script, "sh", scratch, policy)...)
	if err != nil {
		return fmt.Errorf("firewall-offline-cmd on %s: %v\n%s", file, err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "WARNING") || strings.Contains(line, "ERROR") {
			return fmt.Errorf("firewall-offline-cmd on %s: %s\n%s", file, line, out)
		}
	}
	return nil
}

// Shellcheck runs shellcheck (POSIX sh) and sh -n on a script.
func Shellcheck(t testing.TB, file string) error {
	tools, ok := optional(t, "shellcheck")
	if !ok {
		return nil
	}
	sc := tools[0]
	if out, err := run(sc, "-s", "sh", file); err != nil {
		return fmt.Errorf("shellcheck %s: %v\n%s", file, err, out)
	}
	if out, err := run("sh", "-n", file); err != nil {
		return fmt.Errorf("sh -n %s: %v\n%s", file, err, out)
	}
	return nil
}

// PowerShell lexes a generated script and enforces trgen's quoting policy:
// it must lex, and hold no double-quoted or expandable strings, so every
// interpolated value is a single-quoted literal.
func PowerShell(file string, data []byte) error {
	toks, err := pslex.Lex(string(data))
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	for _, tk := range toks {
		if tk.Kind == pslex.DoubleQuoted || tk.Kind == pslex.HereDouble || tk.Expands {
			return fmt.Errorf("%s: offset %d: %s string %s; generated scripts use single-quoted literals only", file, tk.Offset, tk.Kind, tk.Text)
		}
	}
	return nil
}

// JSONSchema validates a JSON file against a schema embedded in the schema
// package, with santhosh-tekuri/jsonschema.
func JSONSchema(file string, data []byte, schemaName string) error {
	sch, err := compiled(schemaName)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: not JSON: %v", file, err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("%s does not satisfy %s: %v", file, schemaName, err)
	}
	return nil
}

// schemas caches compiled schemas by name (a fuzzer validates thousands of
// files).
var schemas sync.Map

func compiled(name string) (*jsonschema.Schema, error) {
	if s, ok := schemas.Load(name); ok {
		return s.(*jsonschema.Schema), nil
	}
	s, err := jsondoc.CompileSchema(name)
	if err != nil {
		return nil, err
	}
	schemas.Store(name, s)
	return s, nil
}

// File checks one generated file with the tool for its kind, by name.
// It returns false when no tool reads that kind of file.
func File(t testing.TB, file string) (bool, error) {
	for _, k := range hostfw.Kinds {
		for _, f := range k.Files {
			if !strings.HasSuffix(file, f.Suffix) {
				continue
			}
			if check, ok := HostCheckers[k.Check]; ok {
				return true, check(t, file, f)
			}
		}
	}
	switch {
	case strings.HasSuffix(file, ".sh"):
		return true, Shellcheck(t, file)
	case strings.HasSuffix(file, ".mobileconfig"):
		return true, MobileConfig(t, file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return false, err
	}
	return InProcess(file, data)
}

// HostCheckers read back the files of each host firewall, by its
// hostfw.Kind.Check. PowerShell files (windows) have none here: InProcess
// and PowerShellGrammar read every .ps1 trgen writes.
var HostCheckers = map[string]func(t testing.TB, file string, f hostfw.File) error{
	"nft": func(t testing.TB, file string, _ hostfw.File) error { return Nft(t, file) },
	"iptables-restore": func(t testing.TB, file string, f hostfw.File) error {
		return IptablesRestore(t, file, f.Family == "ipv6")
	},
	"firewalld": func(t testing.TB, file string, _ hostfw.File) error { return Firewalld(t, file) },
}

// InProcess checks the kinds of generated file whose checks run inside the
// test process (fast enough for a fuzzer): PowerShell's lexer and quoting
// policy, JSON and its schema, the auditd linter, CSV without formulas and
// Markdown without raw HTML. It returns false for other kinds.
func InProcess(name string, data []byte) (bool, error) {
	switch {
	case strings.HasSuffix(name, ".ps1"):
		return true, PowerShell(name, data)
	case strings.HasSuffix(name, "roles.json"):
		return true, JSONSchema(name, data, "roles-import.schema.json")
	case strings.HasSuffix(name, "memberships.json"):
		return true, JSONSchema(name, data, "memberships.schema.json")
	case strings.HasPrefix(filepath.Base(name), "mdatp-") && strings.HasSuffix(name, ".json"):
		return true, JSONSchema(name, data, "mdatp-exclusions.schema.json")
	case strings.HasSuffix(name, ".json"):
		return true, JSON(name, data)
	case strings.HasSuffix(name, ".rules"):
		return true, AuditRules(name, data)
	case strings.HasSuffix(name, ".csv"):
		return true, CSV(name, data)
	case strings.HasSuffix(name, ".md"):
		return true, Markdown(name, data)
	case strings.HasSuffix(name, ".mobileconfig"):
		return true, XML(name, data)
	}
	return false, nil
}

// JSON checks that a file is one well-formed JSON value.
func JSON(file string, data []byte) error {
	if !json.Valid(data) {
		return fmt.Errorf("%s: not valid JSON", file)
	}
	return nil
}

// AuditRules runs trgen's auditd rule linter (the checks auditctl would
// make, without loading anything) on one rules file, files named
// 30-site.rules as site rules; then every watch and syscall rule goes
// through go-libaudit, an independent parser of auditctl's syntax that
// builds the kernel's wire format (flags.Parse, rule.Build), so a mistake
// shared by trgen's generator and its linter still fails. Control lines
// (-D, -b, -f, -e, -c, --backlog_wait_time), which go-libaudit does not
// parse, stay the linter's.
func AuditRules(file string, data []byte) error {
	diags, lines := auditrule.Lint([]auditrule.File{{Name: file, Data: data}}, auditrule.Options{Site: filepath.Base(file) == "30-site.rules"})
	if diags.HasErrors() {
		return fmt.Errorf("%s: %s", file, diags.Error())
	}
	for _, l := range lines {
		if l.Kind == "control" {
			continue
		}
		if err := BuildAuditRule(l.Text()); err != nil && LibauditGap(err) == "" {
			return fmt.Errorf("%s:%d: go-libaudit: %v", file, l.Num, err)
		}
	}
	return nil
}

// LibauditGap says why an error of BuildAuditRule is no verdict on the
// rule, or "" when it is one: go-libaudit resolves user and group names on
// the machine running the test (auditctl on the endpoint), and 2.6.2 does
// not know the filesystem list that auditctl 3.0 reads.
func LibauditGap(err error) string {
	switch {
	case err == nil:
		return ""
	case strings.Contains(err.Error(), "to a numeric ID"):
		return "a user or group name, resolved on the endpoint by auditctl, on this machine by go-libaudit"
	case strings.Contains(err.Error(), "'filesystem'"):
		return "the filesystem list, which auditctl 3.0 reads and go-libaudit 2.6.2 does not know"
	}
	return ""
}

// CSV parses a file as RFC 4180 and checks that no cell would be read as a
// formula by a spreadsheet (starting with =, +, -, @, tab or CR).
func CSV(file string, data []byte) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	for i, rec := range records {
		for j, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				return fmt.Errorf("%s: record %d, field %d starts a formula: %.40q", file, i+1, j+1, cell)
			}
		}
	}
	return nil
}

// Markdown renders a file with goldmark's default (safe) renderer, which
// replaces raw HTML with a marker: finding the marker means the file holds
// raw HTML that GitHub or another renderer would turn into markup.
func Markdown(file string, data []byte) error {
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(data, &b); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	if i := bytes.Index(b.Bytes(), []byte("raw HTML omitted")); i >= 0 {
		return fmt.Errorf("%s holds raw HTML (rendered: %.80q)", file, b.Bytes()[max(0, i-60):])
	}
	return nil
}

// Unshare returns unshare's flags for private namespaces ns ("-n",
// "-m"): as root those alone, otherwise inside a user namespace (-r).
func Unshare(ns ...string) []string {
	if os.Geteuid() == 0 {
		return ns
	}
	return append([]string{"-r"}, ns...)
}
