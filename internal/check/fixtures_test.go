package check_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/check"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/rule"
)

// markerRE finds an expectation comment: "# ERROR: rule-id" or
// "# WARNING: rule-id", several separated by ";".
var markerRE = regexp.MustCompile(`#\s*((?:(?:ERROR|WARNING):\s*[a-z0-9-]+\s*;?\s*)+)$`)

// expectations reads the markers of a fixture as line -> sorted "SEVERITY rule".
func expectations(t *testing.T, src []byte) map[int][]string {
	t.Helper()
	want := map[int][]string{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		m := markerRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		for _, part := range strings.Split(m[1], ";") {
			sev, id, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok {
				continue
			}
			id = strings.TrimSpace(id)
			if _, known := rule.Lookup(rule.ID(id)); !known {
				t.Errorf("line %d: marker names unknown rule %q", line, id)
			}
			want[line] = append(want[line], sev+" "+id)
		}
	}
	for _, v := range want {
		sort.Strings(v)
	}
	return want
}

// got maps the diagnostics to line -> sorted "SEVERITY rule".
func got(t *testing.T, diags hcl.Diagnostics, file string) map[int][]string {
	t.Helper()
	out := map[int][]string{}
	for _, d := range diags {
		if d.Subject == nil || d.Subject.Filename != file {
			t.Errorf("diagnostic without a position in %s: %s: %s", file, d.Summary, d.Detail)
			continue
		}
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			sev = "WARNING"
		}
		out[d.Subject.Start.Line] = append(out[d.Subject.Start.Line], fmt.Sprintf("%s %s", sev, rule.Of(d)))
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func validate(t *testing.T, path string) (*load.Config, hcl.Diagnostics) {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags, err := load.New().LoadPath(path, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Deployment != nil && !diags.HasErrors() {
		diags = append(diags, check.Deployment(cfg.Deployment, set).Diagnostics...)
	}
	return cfg, diags
}

// TestInvalidExamples checks that each examples/invalid file produces
// exactly the diagnostics its "# ERROR:" / "# WARNING:" markers state, on
// those lines, and nothing else.
func TestInvalidExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/invalid/*.hcl")
	if len(files) == 0 {
		t.Fatal("no invalid examples found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := expectations(t, src)
			if len(want) == 0 {
				t.Fatal("fixture states no expected diagnostics")
			}
			_, diags := validate(t, f)
			if diff := cmp.Diff(want, got(t, diags, f)); diff != "" {
				t.Errorf("diagnostics differ from the markers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHostileCases checks the hand-written hostile-input cases: a case
// with markers produces exactly those diagnostics; a case without any is
// accepted with none (TestHostileInputs then checks what it generates).
func TestHostileCases(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/hostile/cases/*.hcl")
	if len(files) == 0 {
		t.Fatal("no hostile cases found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, diags := validate(t, f)
			if diff := cmp.Diff(expectations(t, src), got(t, diags, f), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("diagnostics differ from the markers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidExamples checks that every bundled example deployment validates
// with no diagnostics at all: warnings are for conditions a deployment
// could change, and the examples change them.
func TestValidExamples(t *testing.T) {
	dirs, _ := filepath.Glob("../../examples/*")
	n := 0
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || filepath.Base(dir) == "invalid" {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg, diags := validate(t, dir)
			for _, d := range diags {
				t.Errorf("%s: %s: %s", d.Subject, d.Summary, d.Detail)
			}
			if cfg.Deployment == nil {
				t.Fatal("no deployment decoded")
			}
		})
	}
	if n == 0 {
		t.Fatal("no example deployments found")
	}
}
