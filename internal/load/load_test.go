package load_test

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/bench"
	"github.com/trgen/trgen/internal/load"
)

// render makes diagnostics comparable: position, severity and summary.
func render(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%v %d %s\n", d.Subject, d.Severity, d.Summary)
	}
	return b.String()
}

// TestParallelDecodeMatchesSequential decodes a configuration large enough
// to take the parallel path, with a decode error in several groups, on one
// and on several goroutines, and requires identical models and diagnostics.
func TestParallelDecodeMatchesSequential(t *testing.T) {
	src := bench.Deployment(bench.Size{Groups: 300, Zones: 5, NetworksPerGroup: 2})
	// Break many groups across the file, in two ways, so that errors
	// from every decoding goroutine must come back in source order: an
	// unknown argument in each group whose endpoint count ends in 7, a
	// value of the wrong type in each whose count ends in 3.
	broken := 0
	src = regexp.MustCompile(`(?m)^    endpoints      = \d*[37]\n`).ReplaceAllFunc(src, func(line []byte) []byte {
		broken++
		if line[len(line)-2] == '7' {
			return append(append([]byte{}, line...), "    endpoint = 1\n"...) // line aliases src
		}
		return []byte("    endpoints      = \"many\"\n")
	})
	if broken < 50 {
		t.Fatalf("only %d groups broken; the test input is wrong", broken)
	}
	run := func(procs int) (string, []string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "s.hcl", Data: src}}, load.Options{})
		var names []string
		if cfg == nil || cfg.Deployment == nil {
			t.Fatalf("nothing decoded:\n%s", render(diags))
		}
		for _, g := range cfg.Deployment.EndpointGroups {
			names = append(names, fmt.Sprintf("%s %s %v %v", g.Name, g.OSVersion, g.Networks, g.NameRange))
		}
		return render(diags), names
	}
	seqDiags, seqGroups := run(1)
	parDiags, parGroups := run(4)
	if seqDiags != parDiags {
		t.Errorf("diagnostics differ:\nsequential:\n%s\nparallel:\n%s", seqDiags, parDiags)
	}
	if n := strings.Count(seqDiags, "Unsupported argument") + strings.Count(seqDiags, "Unsuitable value type"); n != broken {
		t.Fatalf("%d broken groups gave %d diagnostics:\n%s", broken, n, seqDiags)
	}
	if fmt.Sprint(seqGroups) != fmt.Sprint(parGroups) || len(parGroups) != 300 {
		t.Errorf("decoded groups differ (%d vs %d)", len(seqGroups), len(parGroups))
	}
}
