package fleet

import (
	"bytes"
	"os"
	"testing"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/load"
)

// BenchmarkRun checks the inventory in FLEET_BENCH_FILE (written by
// internal/fleet/gen) against examples/enterprise, in memory.
func BenchmarkRun(b *testing.B) {
	path := os.Getenv("FLEET_BENCH_FILE")
	if path == "" {
		b.Skip("set FLEET_BENCH_FILE to an inventory written by internal/fleet/gen")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	set, _ := catalog.Load()
	cfg, diags, err := load.New().LoadPath("../../examples/enterprise", load.Options{})
	if err != nil || diags.HasErrors() {
		b.Fatal(err, diags)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		k, err := NewChecker(cfg.Deployment, set.Latest())
		if err != nil {
			b.Fatal(err)
		}
		var mapping map[string]string
		if os.Getenv("FLEET_BENCH_PRESET") != "" {
			mapping = Presets[os.Getenv("FLEET_BENCH_PRESET")]
		}
		rd, err := NewReader(bytes.NewReader(data), mapping)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := k.Run(rd, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
