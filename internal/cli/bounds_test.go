package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/trgen/trgen/internal/bench"
)

// boundCase is one pathological input and what trgen must answer.
type boundCase struct {
	name  string
	files map[string]string // written into the case's folder
	args  []string          // "DIR" is replaced by the case's folder
	env   []string
	code  int    // the exit code wanted
	want  string // a regexp stderr must match
	// prepare, when set, runs in-process on the case's folder before
	// trgen does (an output folder to plan against, say).
	prepare func(t *testing.T, dir string)
}

// Resources every case runs under, enforced by the kernel on the trgen
// process (not timed by the test): address space and CPU seconds. A case
// that exceeds them is killed by a signal and fails.
const (
	boundMemKiB = 2 << 20 // 2 GiB of address space, as docs/security.md promises
	boundCPUSec = 15
)

func nested(open, close string, n int, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func boundCases(base string) []boundCase {
	// A deployment that validates, plus the case's blocks.
	dep := func(blocks string) string { return base + "\n" + blocks }
	var chain8k, chain30k strings.Builder
	chain8k.WriteString("locals {\n  l0 = 1\n")
	for i := 1; i < 8000; i++ {
		fmt.Fprintf(&chain8k, "  l%d = local.l%d + 1\n", i, i-1)
	}
	chain8k.WriteString("}\n")
	chain30k.WriteString("locals {\n")
	for i := 30000 - 1; i > 0; i-- { // in reverse: each pass of a naive loop settles one
		fmt.Fprintf(&chain30k, "  l%05d = local.l%05d + 1\n", i, i-1)
	}
	chain30k.WriteString("  l00000 = 1\n}\n")
	return []boundCase{
		{name: "unary-minus", files: map[string]string{"d.hcl": dep("locals {\n  x = " + strings.Repeat("-", 300_000) + "1\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Nesting too deep`},
		{name: "unary-not", files: map[string]string{"d.hcl": dep("locals {\n  x = " + strings.Repeat("!", 300_000) + "true\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Nesting too deep`},
		{name: "conditionals", files: map[string]string{"d.hcl": dep("locals {\n  x = " + strings.Repeat("true ? 1 : ", 100_000) + "0\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Nesting too deep`},
		{name: "binary-plus", files: map[string]string{"d.hcl": dep("locals {\n  x = 1" + strings.Repeat("+1", 150_000) + "\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Expression too long .*on .*d.hcl:\d+:\d+ .*more than 1000 binary operators`},
		{name: "binary-plus-million", files: map[string]string{"d.hcl": dep("locals {\n  x = 1" + strings.Repeat("+1", 1_000_000) + "\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Expression too long`},
		{name: "binary-and", files: map[string]string{"d.hcl": dep("locals {\n  x = true" + strings.Repeat(" && true", 150_000) + "\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Expression too long`},
		{name: "binary-minus", files: map[string]string{"d.hcl": dep("locals {\n  x = 1" + strings.Repeat("-1", 150_000) + "\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `Expression too long`},
		{name: "binary-json-template", files: map[string]string{"d.hcl": dep(""), "e.hcl.json": `{"locals": {"x": "${1` + strings.Repeat("+1", 150_000) + `}"}}`},
			args: []string{"validate", "DIR"}, code: 1, want: `Expression too long .*on .*e.hcl.json:1:`},
		{name: "binary-fmt", files: map[string]string{"d.hcl": "x = 1" + strings.Repeat("+1", 150_000) + "\n"},
			args: []string{"fmt", "DIR"}, code: 1, want: `Expression too long`},
		{name: "binary-1000", files: map[string]string{"d.hcl": dep("locals {\n  x = 1" + strings.Repeat("+1", 999) + "\n  y = [" + strings.Repeat("1+1, ", 5000) + "]\n}\n")},
			args: []string{"validate", "DIR"}, code: 0, want: ``},
		{name: "catalog-deep-keys", files: map[string]string{"d.hcl": dep(""), "c.json": deepKeys(1000, 2000)},
			args: []string{"validate", "DIR/d.hcl", "--catalog", "DIR/c.json"}, code: 1, want: `on .*c.json:1:2 .*The catalog has a key of 2001 bytes here`},
		{name: "catalog-deep", files: map[string]string{"d.hcl": dep(""), "c.json": deepKeys(100_000, 1)},
			args: []string{"validate", "DIR/d.hcl", "--catalog", "DIR/c.json"}, code: 1, want: `on .*c.json:1:\d+ .*The catalog nests deeper than 32 levels here`},
		{name: "catalog-long-key", files: map[string]string{"d.hcl": dep(""), "c.json": `{"` + strings.Repeat("k", 10_000) + `": 1}`},
			args: []string{"validate", "DIR/d.hcl", "--catalog", "DIR/c.json"}, code: 1, want: `key of 10000 bytes`},
		{name: "brackets-8mb", files: map[string]string{"d.hcl": "x = " + strings.Repeat("[", 8<<20-100)},
			args: []string{"validate", "DIR"}, code: 1, want: `Nesting too deep .*on .*d.hcl:1:69 `},
		{name: "json-nested", files: map[string]string{"d.hcl.json": `{"locals": {"x": ` + nested("[", "]", 2_000_000, "1") + `}}`},
			args: []string{"validate", "DIR"}, code: 1, want: `Nesting too deep`},
		{name: "var-nested", files: map[string]string{"d.hcl": dep(`variable "v" { type = list(any) }` + "\n")},
			args: []string{"validate", "DIR", "-var", "v=" + nested("[", "]", 65_000, "1")}, code: 1, want: `Nesting too deep`},
		{name: "var-file-nested", files: map[string]string{"d.hcl": dep(`variable "v" { type = list(any) }` + "\n"), "v.vars": "v = " + nested("[", "]", 65_000, "1")},
			args: []string{"validate", "DIR/d.hcl", "-var-file", "DIR/v.vars"}, code: 1, want: `Nesting too deep`},
		{name: "env-nested", files: map[string]string{"d.hcl": dep(`variable "v" { type = list(any) }` + "\n")},
			args: []string{"validate", "DIR"}, env: []string{"TRGEN_VAR_v=" + nested("[", "]", 65_000, "1")}, code: 1, want: `Nesting too deep`},
		{name: "jsondecode-nested", files: map[string]string{"d.hcl": dep("locals {\n  x = jsondecode(\"" + nested("[", "]", 1_000_000, "1") + "\")\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `exceeded max depth`},
		{name: "fmt-nested", files: map[string]string{"d.hcl": "x = " + nested("[", "]", 100_000, "1") + "\n"},
			args: []string{"fmt", "DIR"}, code: 1, want: `Nesting too deep`},
		{name: "fmt-large", files: map[string]string{"d.hcl": "x = \"" + strings.Repeat("a", 9<<20) + "\"\n"},
			args: []string{"fmt", "DIR"}, code: 2, want: `at most 8388608 bytes \(--max-file-bytes\)`},
		{name: "validate-dev-zero", args: []string{"validate", "/dev/zero"}, code: 2, want: `/dev/zero is not a regular file`},
		{name: "symlink-dev-zero", files: map[string]string{"d.hcl": dep(""), "@z.hcl": "/dev/zero"},
			args: []string{"validate", "DIR"}, code: 2, want: `z.hcl is not a regular file`},
		{name: "var-file-dev-zero", files: map[string]string{"d.hcl": dep("")},
			args: []string{"validate", "DIR", "-var-file", "/dev/zero"}, code: 1, want: `/dev/zero is not a regular file`},
		{name: "audit-lint-dev-zero", args: []string{"audit", "lint", "/dev/zero"}, code: 2, want: `/dev/zero is not a regular file`},
		{name: "fleet-dev-zero", files: map[string]string{"d.hcl": dep("")},
			args: []string{"fleet", "DIR", "--inventory", "/dev/zero"}, code: 2, want: `/dev/zero is not a regular file`},
		{name: "setproduct", files: map[string]string{"d.hcl": dep("locals {\n  x = setproduct(range(100), range(100), range(100), range(100), range(100))\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `setproduct would build 10000000000 elements; functions may build at most 1000000`},
		{name: "range", files: map[string]string{"d.hcl": dep("locals {\n  x = range(1e12)\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `more than 1024 values were generated`},
		{name: "indent", files: map[string]string{"d.hcl": dep("locals {\n  x = indent(900000000, \"a\\nb\")\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `indent would build a string of 900000003 bytes; functions may build at most 16777216`},
		{name: "doubling", files: map[string]string{"d.hcl": dep("locals {\n  a0 = \"xxxxxxxxxxxxxxxx\"\n" + doubling(40) + "}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `local\.a\d+ holds more than \d+ bytes of text; a value may hold at most 16777216`},
		// On one core (GOMAXPROCS=1): near the memory guard the collector
		// works hard, and on two cores its spinning took the process past
		// 15 CPU seconds in 9 s of wall time, before the 10 s guard.
		{name: "for-product", files: map[string]string{"d.hcl": dep("locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n")},
			args: []string{"validate", "DIR"}, env: []string{"TRGEN_MAX_MEMORY_MIB=512", "GOMAXPROCS=1"}, code: 2, want: `^trgen: stopped: (this run needed more than 512 MiB of memory|evaluating the configuration took longer than 10s)`}, // whichever guard comes first: the collector works hard near the limit
		{name: "for-time", files: map[string]string{"d.hcl": dep("locals {\n  x = [for a in range(1000) : length([for b in range(1000) : length([for c in range(1000) : c])])]\n}\n")},
			args: []string{"validate", "DIR"}, env: []string{"TRGEN_EVAL_TIMEOUT=3s"}, code: 2, want: `^trgen: stopped: evaluating the configuration took longer than 3s`},
		{name: "distinct-million", files: map[string]string{"d.hcl": dep("locals {\n  y = distinct(flatten([for i in range(1000) : range(1000)]))\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `distinct compares every pair of its 1000000 elements; it takes at most 10000`},
		{name: "jsonencode-doubling-lists", files: map[string]string{"d.hcl": dep("locals {\n  b0 = [\"x\"]\n" + doublingLists(26) + "  j = jsonencode(local.b26)\n}\n")},
			args: []string{"validate", "DIR"}, code: 1, want: `local\.b\d+ holds more than 1000000 elements at all its levels`},
		{name: "audit-lint-duplicates", files: map[string]string{"dup.rules": strings.Repeat("-w /etc/passwd -p wa -k identity\n", 300_000)},
			args: []string{"audit", "lint", "DIR/dup.rules", "--format", "json"}, code: 1, want: ``},
		{name: "audit-lint-duplicates-text", files: map[string]string{"dup.rules": strings.Repeat("-w /etc/passwd -p wa -k identity\n", 300_000)},
			args: []string{"audit", "lint", "DIR/dup.rules"}, code: 1, want: `Duplicate rule`},
		{name: "audit-lint-keys", files: map[string]string{"keys.rules": "-w /etc/passwd -p wa" + strings.Repeat(" -k k", 100_000) + "\n"},
			args: []string{"audit", "lint", "DIR/keys.rules"}, code: 1, want: `audit-`},
		{name: "site-rules-keys", files: map[string]string{"d.hcl": strings.Replace(dep(""), "immutable    = var.immutable", "immutable    = var.immutable\n      site_rules   = file(\"keys.rules\")", 1), "keys.rules": "-w /etc/passwd -p wa" + strings.Repeat(" -k k", 100_000) + "\n"},
			args: []string{"validate", "DIR"}, code: 1, want: `audit-`},
		{name: "plan-from-wide-csv", files: map[string]string{"d.hcl": dep("")}, prepare: hostileFrom(wideCSV),
			args: []string{"plan", "DIR/d.hcl", "--from", "DIR/out", "--allow-edited"}, code: 2, want: `firewall/flows.csv: .*has 2000 columns; trgen's CSV files have at most 64`},
		{name: "plan-from-sparse", files: map[string]string{"d.hcl": dep("")}, prepare: hostileFrom(sparseFiles),
			args: []string{"plan", "DIR/d.hcl", "--from", "DIR/out", "--allow-edited"}, code: 2, want: `more than 268435456 bytes`},
		{name: "groups-8000", files: map[string]string{"main.hcl": string(bench.Deployment(bench.Size{Groups: 8_000, Zones: 20, NetworksPerGroup: 4}))},
			args: []string{"generate", "DIR", "-o", "MEMDIR/out"}, code: 0, want: ``},
		{name: "groups-12000", files: map[string]string{"main.hcl": string(bench.Deployment(bench.Size{Groups: 12_000, Zones: 20, NetworksPerGroup: 4}))},
			args: []string{"validate", "DIR"}, code: 1, want: `more than 22000 blocks \(--max-blocks\)`},
		{name: "groups-20000", files: map[string]string{"main.hcl": string(bench.Deployment(bench.Size{Groups: 20_000, Zones: 20, NetworksPerGroup: 4}))},
			args: []string{"validate", "DIR"}, code: 2, want: `main.hcl is larger than 8388608 bytes`},
		{name: "locals-250000", files: map[string]string{"d.hcl": dep(manyLocals(249_000))},
			args: []string{"validate", "DIR"}, code: 0, want: ``},
		{name: "locals-700000", files: map[string]string{"d.hcl": dep(manyLocals(700_000))},
			args: []string{"validate", "DIR"}, code: 2, want: `d.hcl is larger than 8388608 bytes`},
		{name: "locals-450000", files: map[string]string{"d.hcl": dep(manyLocals(450_000))},
			args: []string{"validate", "DIR"}, code: 1, want: `more than 250000 attributes, locals included \(--max-attributes\)`},
		{name: "configuration-total", files: map[string]string{"a.hcl": dep(""), "b.hcl": "# " + strings.Repeat("x", 5<<20) + "\n", "c.hcl": "# " + strings.Repeat("x", 5<<20) + "\n"},
			args: []string{"validate", "DIR"}, code: 1, want: `hold more than 8388608 bytes together`},
		{name: "locals-700000-json", files: map[string]string{"d.hcl": dep(""), "l.hcl.json": manyLocalsJSON(700_000)},
			args: []string{"validate", "DIR"}, code: 2, want: `l.hcl.json is larger than 8388608 bytes`},
		{name: "locals-450000-json", files: map[string]string{"d.hcl": dep(""), "l.hcl.json": manyLocalsJSON(450_000)},
			args: []string{"validate", "DIR"}, code: 1, want: `more than 250000 attributes`},
		{name: "locals-8000", files: map[string]string{"d.hcl": dep(chain8k.String())},
			args: []string{"validate", "DIR"}, code: 0, want: ``},
		{name: "locals-30000-reversed", files: map[string]string{"d.hcl": dep(chain30k.String())},
			args: []string{"validate", "DIR"}, code: 0, want: ``},
	}
}

// hostileFrom generates the case's deployment into DIR/out, then lets
// spoil change it.
func hostileFrom(spoil func(t *testing.T, target string)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if code, _, stderr := runMain(t, "generate", filepath.Join(dir, "d.hcl"), "-o", filepath.Join(dir, "out")); code != 0 {
			t.Fatalf("generate: %s", stderr)
		}
		spoil(t, filepath.Join(dir, "out", "base"))
	}
}

// wideCSV replaces flows.csv with 9 MB of 2,000 columns, in an output
// without state.json, which plan reads back from its files.
func wideCSV(t *testing.T, target string) {
	if err := os.Remove(filepath.Join(target, "state.json")); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for r := 0; r < 450; r++ {
		for c := 0; c < 2000; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			if r == 0 {
				fmt.Fprintf(&b, "c%d", c)
			} else {
				b.WriteString("xxxxxxxx")
			}
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(target, "firewall", "flows.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sparseFiles lists thirty sparse 60 MB host firewall files in the
// manifest (a few hundred KB on disk).
func sparseFiles(t *testing.T, target string) {
	data, err := os.ReadFile(filepath.Join(target, "MANIFEST.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for i := 0; i < 30; i++ {
		p := fmt.Sprintf("firewall/sparse-%02d.ps1", i)
		f, err := os.Create(filepath.Join(target, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(60 << 20); err != nil {
			t.Fatal(err)
		}
		f.Close()
		entries = append(entries, fmt.Sprintf(`{"path": %q, "bytes": %d, "sha256": "%064d"}`, p, 60<<20, 0))
	}
	s := strings.Replace(string(data), `"files": [`, `"files": [`+strings.Join(entries, ",")+",", 1)
	if err := os.WriteFile(filepath.Join(target, "MANIFEST.json"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// manyLocals is one locals block of n trivial locals.
func manyLocals(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  m%d = %d\n", i, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// manyLocalsJSON is manyLocals in JSON syntax.
func manyLocalsJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"locals": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"j%d": %d`, i, i)
	}
	b.WriteString("}}\n")
	return b.String()
}

// doublingLists is n locals, each a list of the one before twice.
func doublingLists(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  b%d = [local.b%d, local.b%d]\n", i, i-1, i-1)
	}
	return b.String()
}

// deepKeys is a JSON document n objects deep, each key k bytes long.
func deepKeys(n, k int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"%s%d": `, strings.Repeat("k", k), i)
	}
	b.WriteString("1")
	b.WriteString(strings.Repeat("}", n))
	return b.String()
}

func doubling(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  a%d = \"${local.a%d}${local.a%d}\"\n", i, i-1, i-1)
	}
	return b.String()
}

// TestBoundedAnswers runs trgen on each pathological input under kernel
// limits on memory and CPU time: each gets its answer (an exit code and a
// message), none crashes, overflows its stack or is killed.
func TestBoundedAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds trgen and runs it on large inputs")
	}
	bin := filepath.Join(buildTrgen(t), "trgen")
	base, err := os.ReadFile(filepath.Join("testdata", "base", "deploy.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range boundCases(string(base)) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case is its own process under its own limits (CPU time, not wall time)
			dir := t.TempDir()
			for name, body := range c.files {
				if target, ok := strings.CutPrefix(name, "@"); ok {
					if err := os.Symlink(body, filepath.Join(dir, target)); err != nil {
						t.Skip("no symlinks:", err)
					}
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.prepare != nil {
				c.prepare(t, dir)
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(strings.ReplaceAll(a, "MEMDIR", memDir(t)), "DIR", dir)
			}
			script := fmt.Sprintf(`ulimit -v %d && ulimit -t %d && exec "$0" "$@"`, boundMemKiB, boundCPUSec)
			cmd := exec.Command("sh", append([]string{"-c", script, bin}, args...)...)
			cmd.Env = append(os.Environ(), c.env...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					t.Fatalf("killed by %v (over %d KiB or %d s of CPU)\n%s", ws.Signal(), boundMemKiB, boundCPUSec, tail(stderr.String()))
				}
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			out := strings.Join(strings.Fields(stderr.String()), " ") // unwrapped
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "fatal error") || strings.Contains(out, "panic:") {
				t.Fatalf("crashed:\n%s", head(out)) // the runtime's first line says why
			}
			if code != c.code || !regexp.MustCompile(c.want).MatchString(out) {
				t.Errorf("exit %d, want %d matching %q; stderr:\n%s", code, c.code, c.want, tail(out))
			}
		})
	}
}

// memDir is a temporary folder in memory (tmpfs) where the machine has
// one, else on disk: a case writing tens of thousands of files there
// measures trgen's own time, not this machine's disk, whose kernel time
// for 33,000 file creations alone is 10 s here (writing to disk is
// measured by make bench, against a plain-write floor).
func memDir(t *testing.T) string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "trgen-bounds-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return t.TempDir()
}

func head(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}
