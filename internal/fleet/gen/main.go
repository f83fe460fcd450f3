// Command gen writes a deterministic synthetic endpoint inventory for a
// deployment's groups (package fleetgen), for tests and benchmarks.
//
//	go run ./internal/fleet/gen --rows 1000000 --seed 1 --deployment examples/enterprise > inventory.csv
//	go run ./internal/fleet/gen --field --rows 3000 > tanium-export.csv   # trgen fleet --preset tanium
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/trgen/trgen/internal/fleet/fleetgen"
	"github.com/trgen/trgen/internal/load"
)

func main() {
	rows := flag.Int("rows", 1000, "rows to write")
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same file")
	path := flag.String("deployment", "examples/enterprise", "the deployment whose groups the endpoints belong to")
	format := flag.String("format", "csv", "csv or jsonl")
	zip := flag.Bool("gzip", false, "gzip the output")
	field := flag.Bool("field", false, "write the forms real exports hold (Tanium's headers, WMI captions, os-release and sw_vers strings, multi-line address cells, placeholders)")
	flag.Parse()
	cfg, diags, err := load.New().LoadPath(*path, load.Options{Env: os.Environ()})
	if err != nil || diags.HasErrors() {
		fmt.Fprintln(os.Stderr, "gen:", err, diags)
		os.Exit(2)
	}
	var out io.Writer = os.Stdout
	if *zip {
		gz := gzip.NewWriter(os.Stdout)
		defer gz.Close()
		out = gz
	}
	w := bufio.NewWriterSize(out, 1<<20)
	defer w.Flush()
	fleetgen.Write(w, cfg.Deployment.EndpointGroups, *rows, rand.New(rand.NewPCG(*seed, 0x7472)), fleetgen.Options{JSONL: *format == "jsonl", Field: *field})
}
