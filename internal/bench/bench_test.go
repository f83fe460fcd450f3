package bench

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/fleet/fleetgen"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/render"
)

// TestSyntheticIsValid keeps the benchmark honest: the generated deployment
// must pass validation with no diagnostics, so the benchmark measures the
// whole check, not an early exit.
func TestSyntheticIsValid(t *testing.T) {
	src := Deployment(Size{Groups: 60, Zones: 4, NetworksPerGroup: 4})
	if d := validate(t, src); d != 0 {
		t.Fatalf("synthetic deployment has %d diagnostics", d)
	}
}

func validate(tb testing.TB, src []byte) int {
	set, err := catalog.Load()
	if err != nil {
		tb.Fatal(err)
	}
	cfg, diags := load.New().LoadSources(tb.TempDir(), []load.Source{{Name: "synthetic.hcl", Data: src}}, load.Options{})
	if diags.HasErrors() {
		tb.Fatalf("load: %v", diags)
	}
	res := check.Deployment(cfg.Deployment, set)
	for _, d := range res.Diagnostics {
		tb.Logf("%s: %s", d.Subject, d.Summary)
	}
	return len(diags) + len(res.Diagnostics)
}

var sizes = []struct {
	name string
	size Size
}{
	{"groups=100", Size{Groups: 100, Zones: 20, NetworksPerGroup: 4}},
	{"groups=1000", Enterprise},
	{"groups=5000", Size{Groups: 5000, Zones: 20, NetworksPerGroup: 4}},
}

// BenchmarkParse is the floor: HCL parsing alone.
func BenchmarkParse(b *testing.B) {
	for _, s := range sizes {
		src := Deployment(s.size)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, d := hclparse.NewParser().ParseHCL(src, "synthetic.hcl"); d.HasErrors() {
					b.Fatal(d)
				}
			}
		})
	}
}

// BenchmarkValidate is everything `trgen validate` does in-process: parse,
// variables and locals, decode, schema validation and every check.
func BenchmarkValidate(b *testing.B) {
	set, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, s := range sizes {
		src := Deployment(s.size)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				cfg, diags := load.New().LoadSources(dir, []load.Source{{Name: "synthetic.hcl", Data: src}}, load.Options{})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				if r := check.Deployment(cfg.Deployment, set); len(r.Diagnostics) != 0 {
					b.Fatal(r.Diagnostics)
				}
			}
		})
	}
}

// BenchmarkValidateVsParse measures both on the 1,000-group deployment in
// one benchmark and reports validate/parse as the "x-parse" metric.
func BenchmarkValidateVsParse(b *testing.B) {
	set, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	src := Deployment(Enterprise)
	dir := b.TempDir()
	var parse, full time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, d := hclparse.NewParser().ParseHCL(src, "synthetic.hcl"); d.HasErrors() {
			b.Fatal(d)
		}
		t1 := time.Now()
		cfg, diags := load.New().LoadSources(dir, []load.Source{{Name: "synthetic.hcl", Data: src}}, load.Options{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		check.Deployment(cfg.Deployment, set)
		t2 := time.Now()
		parse += t1.Sub(t0)
		full += t2.Sub(t1)
	}
	b.ReportMetric(float64(parse.Nanoseconds())/float64(b.N), "parse-ns/op")
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "validate-ns/op")
	b.ReportMetric(float64(full)/float64(parse), "x-parse")
}

// BenchmarkProcess runs whole processes on the 1,000-group file, each
// iteration both the
// parse-only program (the floor) and `trgen validate`, both built here,
// and reports validate/parse as "x-parse".
func BenchmarkProcess(b *testing.B) {
	dir := b.TempDir()
	parseonly, trgen := buildBinaries(b, dir)
	file := filepath.Join(dir, "synthetic.hcl")
	if err := os.WriteFile(file, Deployment(Enterprise), 0o644); err != nil {
		b.Fatal(err)
	}
	var floor, full time.Duration
	for b.Loop() {
		floor += timeCommand(b, parseonly, file)
		full += timeCommand(b, trgen, "validate", file)
	}
	b.ReportMetric(float64(floor.Nanoseconds())/float64(b.N), "parseonly-ns/op")
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "validate-ns/op")
	b.ReportMetric(float64(full)/float64(floor), "x-parse")
}

// catalogAndTemplates loads what every generate benchmark reuses across
// iterations, as one trgen process does.
func catalogAndTemplates(b *testing.B) (*catalog.Set, *render.Engine) {
	set, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	eng, err := render.New("")
	if err != nil {
		b.Fatal(err)
	}
	return set, eng
}

// BenchmarkGenerate is everything `trgen generate` computes in-process:
// validation, planning and rendering every output (nothing written).
func BenchmarkGenerate(b *testing.B) {
	set, eng := catalogAndTemplates(b)
	dir := b.TempDir()
	for _, s := range sizes {
		src := Deployment(s.size)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				cfg, diags := load.New().LoadSources(dir, []load.Source{{Name: "synthetic.hcl", Data: src}}, load.Options{})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				r := check.Deployment(cfg.Deployment, set)
				h := generate.NewHeader(cfg.Deployment, r.Catalog, "bench", cfg.Filenames)
				if _, err := render.Collect(func(sink render.Sink) error {
					return generate.Stream(eng, cfg.Deployment, r.Catalog, h, r.Diagnostics, sink)
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRender is what generate adds to validation, in-process: the
// plan and every rendered output (runbook.html included) of the validated
// deployment, on all cores as generate.Stream runs them, nothing
// written. Its ns/op is the render time issue 17 asks to halve.
func BenchmarkRender(b *testing.B) {
	set, eng := catalogAndTemplates(b)
	for _, s := range sizes[:2] {
		src := Deployment(s.size)
		cfg, diags := load.New().LoadSources(b.TempDir(), []load.Source{{Name: "synthetic.hcl", Data: src}}, load.Options{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		r := check.Deployment(cfg.Deployment, set)
		h := generate.NewHeader(cfg.Deployment, r.Catalog, "bench", cfg.Filenames)
		b.Run(s.name, func(b *testing.B) {
			var bytes atomic.Int64
			for b.Loop() {
				err := generate.Stream(eng, cfg.Deployment, r.Catalog, h, r.Diagnostics, func(_ string, data []byte) error {
					bytes.Add(int64(len(data)))
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(bytes.Load())/float64(b.N), "out-bytes/op")
		})
	}
}

// BenchmarkProcessGenerate runs whole processes on the 1,000-group file.
// Each iteration times the parse-only floor; `trgen generate` writing
// every output to disk, replacing the previous run's folder (as a
// repository's `make generate` does: trgen links the files whose content
// is unchanged instead of writing them again), into a new, empty folder
// (every file written) and, where /dev/shm exists, replacing a folder on
// tmpfs; and, as the disk's own floor, plain Go deleting a copy of the
// same files (os.RemoveAll) and writing them again (os.MkdirAll and
// os.WriteFile per file), no rendering. Ratios to the parse-only floor
// are reported as "x-parse" (disk), "tmpfs-x-parse" and
// "writeonly-x-parse" (deleting and writing); "x-parse+write" is
// generate replacing its folder on disk against the parse floor plus the
// disk floor, "fresh-x-parse+write" generate into an empty folder against
// the parse floor plus the floor's writing alone.
func BenchmarkProcessGenerate(b *testing.B) {
	dir := b.TempDir()
	parseonly, trgen := buildBinaries(b, dir)
	file := filepath.Join(dir, "synthetic.hcl")
	if err := os.WriteFile(file, Deployment(Enterprise), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	shm := ""
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if shm, err = os.MkdirTemp("/dev/shm", "trgen-bench-"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(shm) })
	}
	// Each "replacing" measurement replaces the previous iteration's
	// folder; the first replaces this one.
	timeCommand(b, trgen, "generate", file, "-o", out)
	writeCopy(b, filepath.Join(out, "synthetic"), filepath.Join(dir, "copy"))
	var floor, full, fresh, tmpfs, remove, write time.Duration
	for b.Loop() {
		floor += timeCommand(b, parseonly, file)
		full += timeCommand(b, trgen, "generate", file, "-o", out)
		empty := filepath.Join(dir, "fresh")
		fresh += timeCommand(b, trgen, "generate", file, "-o", empty)
		if err := os.RemoveAll(empty); err != nil {
			b.Fatal(err)
		}
		if shm != "" {
			tmpfs += timeCommand(b, trgen, "generate", file, "-o", shm)
		}
		r, w := writeCopy(b, filepath.Join(out, "synthetic"), filepath.Join(dir, "copy"))
		remove += r
		write += w
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(per(floor), "parseonly-ns/op")
	b.ReportMetric(per(full), "generate-ns/op")
	b.ReportMetric(per(fresh), "fresh-ns/op")
	b.ReportMetric(float64(full)/float64(floor), "x-parse")
	if shm != "" {
		b.ReportMetric(per(tmpfs), "tmpfs-ns/op")
		b.ReportMetric(float64(tmpfs)/float64(floor), "tmpfs-x-parse")
	}
	b.ReportMetric(per(remove+write), "writeonly-ns/op")
	b.ReportMetric(float64(remove+write)/float64(floor), "writeonly-x-parse")
	// Issue 17's disk target: generate against the parse floor plus plain
	// Go writing the same files, measured in the same iterations.
	b.ReportMetric(float64(full)/float64(floor+remove+write), "x-parse+write")
	b.ReportMetric(float64(fresh)/float64(floor+write), "fresh-x-parse+write")
}

// writeCopy times replacing dst with a copy of every file under src: the
// os.RemoveAll of the previous copy, and then os.MkdirAll and
// os.WriteFile per file. What merely putting generate's output on this
// disk in place of the last run's costs, with no rendering.
func writeCopy(b *testing.B, src, dst string) (remove, write time.Duration) {
	type file struct {
		rel  string
		data []byte
	}
	var files []file
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(src, p)
		files = append(files, file{rel, data})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := os.RemoveAll(dst); err != nil {
		b.Fatal(err)
	}
	t1 := time.Now()
	for _, f := range files {
		p := filepath.Join(dst, f.rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return t1.Sub(t0), time.Since(t1)
}

func buildBinaries(b *testing.B, dir string) (parseonly, trgen string) {
	build := func(name, pkg string) string {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("building %s: %v", pkg, err)
		}
		return out
	}
	return build("parseonly", "github.com/trgen/trgen/internal/bench/parseonly"), build("trgen", "github.com/trgen/trgen/cmd/trgen")
}

func timeCommand(b *testing.B, args ...string) time.Duration {
	t0 := time.Now()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		b.Fatalf("%v: %v\n%s", args, err, out)
	}
	return time.Since(t0)
}

// BenchmarkProcessPlan runs `trgen plan` of the 1,000-group file with 10
// groups' networks changed against the output of the unchanged file, and,
// as its floor in the same iteration, `trgen generate` of the changed
// file to tmpfs (or to disk where /dev/shm is missing). Reported:
// "plan-x-generate", the ratio of the two (issue 18's target is at most
// 1.5); plan writes nothing.
func BenchmarkProcessPlan(b *testing.B) {
	dir := b.TempDir()
	_, trgen := buildBinaries(b, dir)
	src := Deployment(Enterprise)
	orig := filepath.Join(dir, "orig", "synthetic.hcl")
	changed := filepath.Join(dir, "changed", "synthetic.hcl")
	mod := string(src)
	for n := 0; n < 10*Enterprise.NetworksPerGroup; n++ {
		mod = strings.Replace(mod, fmt.Sprintf("%q", fmt.Sprintf("10.1.%d.0/24", n)), fmt.Sprintf("%q", fmt.Sprintf("10.250.%d.0/24", n)), 1)
	}
	if mod == string(src) {
		b.Fatal("the change did not apply")
	}
	for p, data := range map[string][]byte{orig: src, changed: []byte(mod)} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	prev := filepath.Join(dir, "prev")
	timeCommand(b, trgen, "generate", orig, "-o", prev)
	out := filepath.Join(dir, "out")
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if out, err = os.MkdirTemp("/dev/shm", "trgen-bench-"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(out) })
	}
	var gen, plan time.Duration
	for b.Loop() {
		gen += timeCommand(b, trgen, "generate", changed, "-o", out)
		plan += timeCommand(b, trgen, "plan", changed, "--from", prev, "--format", "json")
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N) }
	b.ReportMetric(per(gen), "generate-ns/op")
	b.ReportMetric(per(plan), "plan-ns/op")
	b.ReportMetric(float64(plan)/float64(gen), "plan-x-generate")
}

// BenchmarkFleetVsCSV runs fleet's check of 1,000,000 endpoints in the
// forms real exports hold (fleetgen's field mix: Tanium's headers, WMI,
// sw_vers and os-release strings, multi-line address cells, placeholders)
// against examples/enterprise, and, on the same bytes in the same
// iteration, the floor: encoding/csv reading every record. "x-csv" is
// their ratio (issue 28: at most 2).
func BenchmarkFleetVsCSV(b *testing.B) {
	set, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	cfg, diags, err := load.New().LoadPath("../../examples/enterprise", load.Options{})
	if err != nil || diags.HasErrors() {
		b.Fatal(err, diags)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	fleetgen.Write(w, cfg.Deployment.EndpointGroups, 1_000_000, rand.New(rand.NewPCG(1, 0x7472)), fleetgen.Options{Field: true})
	w.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	var floor, full time.Duration
	for b.Loop() {
		t0 := time.Now()
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord, r.FieldsPerRecord = true, -1
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		k, err := fleet.NewChecker(cfg.Deployment, set.Latest())
		if err != nil {
			b.Fatal(err)
		}
		rd, err := fleet.NewReader(bytes.NewReader(data), fleet.Presets["tanium"])
		if err != nil {
			b.Fatal(err)
		}
		rep, err := k.Run(rd, fleet.Options{})
		if err != nil || rep.Checked+rep.BadRows != 1_000_000 {
			b.Fatal(err, rep.Checked, rep.BadRows)
		}
		t2 := time.Now()
		floor += t1.Sub(t0)
		full += t2.Sub(t1)
	}
	b.ReportMetric(float64(floor.Nanoseconds())/float64(b.N), "csv-ns/op")
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "fleet-ns/op")
	b.ReportMetric(float64(full)/float64(floor), "x-csv")
}
