// Command benchfleet measures `trgen fleet` on generated inventories of
// several sizes against two references on the same files: the floor, a
// bare encoding/csv read loop (internal/fleet/bareread), and a peer,
// Miller (mlr) filtering for a comparable set of conditions. It reports
// the best wall time of a few runs, rows per second, peak RSS and ratios.
// `make bench-fleet` builds the binaries and runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	trgen := flag.String("trgen", "bin/trgen", "trgen binary")
	bare := flag.String("bare", "bin/fleet-bareread", "bare CSV reader binary")
	gen := flag.String("gen", "bin/fleet-gen", "inventory generator binary")
	deployment := flag.String("deployment", "examples/enterprise", "deployment the inventories are for")
	sizes := flag.String("rows", "100000,1000000,5000000", "inventory sizes")
	runs := flag.Int("runs", 3, "runs per measurement (the best counts)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "benchfleet-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	mlr, mlrErr := exec.LookPath("mlr")
	fmt.Printf("%-9s %-22s %9s %12s %10s %8s\n", "rows", "command", "wall", "rows/s", "peak RSS", "x floor")
	for _, s := range strings.Split(*sizes, ",") {
		rows, err := strconv.Atoi(s)
		if err != nil {
			fail(err)
		}
		file := filepath.Join(dir, "inventory-"+s+".csv")
		out, err := os.Create(file)
		if err != nil {
			fail(err)
		}
		cmd := exec.Command(*gen, "--rows", s, "--seed", "1", "--deployment", *deployment)
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(err)
		}
		out.Close()
		floor, floorRSS := measure(*runs, *bare, file)
		report(rows, "bare encoding/csv read", floor, floorRSS, floor)
		for _, format := range []string{"text", "json"} {
			t, rss := measure(*runs, *trgen, "fleet", *deployment, "--inventory", file, "--format", format, "--max-failing", "100%")
			report(rows, "trgen fleet ("+format+")", t, rss, floor)
		}
		if mlrErr == nil {
			t, rss := measure(*runs, mlr, "--icsv", "--ojson", "filter",
				`$cpus < 2 || $memory_gb < 4 || $free_disk_gb < 3 || $client_version == "7.2.314.3518" || $os_version == "Windows Server 2008"`, file)
			report(rows, "mlr filter (peer)", t, rss, floor)
		} else {
			fmt.Printf("%-9d %-22s not installed (apt-get install miller)\n", rows, "mlr filter (peer)")
		}
	}
}

// measure runs a command runs times with its output discarded and returns
// the best wall time and the largest peak RSS in KB.
func measure(runs int, name string, args ...string) (time.Duration, int64) {
	best := time.Duration(1 << 62)
	var rss int64
	for i := 0; i < runs; i++ {
		cmd := exec.Command(name, args...)
		cmd.Stderr = os.Stderr
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("%s %v: %w", name, args, err))
		}
		if d := time.Since(t0); d < best {
			best = d
		}
		rss = max(rss, maxRSS(cmd.ProcessState))
	}
	return best, rss
}

func report(rows int, what string, t time.Duration, rssKB int64, floor time.Duration) {
	fmt.Printf("%-9d %-22s %8.3fs %12.0f %8.1f MB %7.2fx\n", rows, what, t.Seconds(), float64(rows)/t.Seconds(), float64(rssKB)/1024, t.Seconds()/floor.Seconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchfleet:", err)
	os.Exit(1)
}
