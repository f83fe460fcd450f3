package load_test

import (
	"bytes"
	"fmt"
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
	// Break every 37th group: an unknown argument.
	src = bytes.ReplaceAll(src, []byte("endpoints      = 87\n"), []byte("endpoints      = 87\n    endpoint = 1\n"))
	run := func(procs int) (string, []string) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		cfg, diags := load.New().LoadSources(t.TempDir(), []load.Source{{Name: "s.hcl", Data: src}}, load.Options{})
		var names []string
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
	if strings.Count(seqDiags, "Unsupported argument") == 0 {
		t.Fatal("the broken groups produced no diagnostics; the test input is wrong")
	}
	if fmt.Sprint(seqGroups) != fmt.Sprint(parGroups) || len(parGroups) != 300 {
		t.Errorf("decoded groups differ (%d vs %d)", len(seqGroups), len(parGroups))
	}
}
