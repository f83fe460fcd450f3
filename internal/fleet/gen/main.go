// Command gen writes a deterministic synthetic endpoint inventory for a
// deployment's groups, for tests and benchmarks: endpoints spread over the
// groups by head count, addresses inside their networks, realistic OS,
// client and hardware distributions, and a few percent that fail a rule.
//
//	go run ./internal/fleet/gen --rows 1000000 --seed 1 --deployment examples/enterprise > inventory.csv
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"sort"
	"strconv"

	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/model"
)

func main() {
	rows := flag.Int("rows", 1000, "rows to write")
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same file")
	path := flag.String("deployment", "examples/enterprise", "the deployment whose groups the endpoints belong to")
	format := flag.String("format", "csv", "csv or jsonl")
	zip := flag.Bool("gzip", false, "gzip the output")
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
	write(w, cfg.Deployment.EndpointGroups, *rows, rand.New(rand.NewPCG(*seed, 0x7472)), *format == "jsonl")
}

// Neighbouring versions an endpoint sometimes has instead of its group's.
var oldOS = map[string][]string{
	model.OSWindows: {"Windows Server 2008", "Windows 7", "Windows Server 2012"},
	model.OSLinux:   {"CentOS 6", "Ubuntu 18.04"},
	model.OSMacOS:   {"macOS 10.10", "macOS 10.15"},
}

func write(w *bufio.Writer, groups []model.EndpointGroup, rows int, r *rand.Rand, jsonl bool) {
	weights := make([]int, len(groups))
	total := 0
	for i := range groups {
		n := 100
		if groups[i].Endpoints != nil && *groups[i].Endpoints > 0 {
			n = *groups[i].Endpoints
		}
		total += n
		weights[i] = total
	}
	if !jsonl {
		w.WriteString("name,ip,os,os_version,client_version,cpus,memory_gb,free_disk_gb\n")
	}
	cpuChoices := []int{2, 2, 4, 4, 4, 8, 8, 16}
	memChoices := []string{"4", "8", "8", "16", "16", "32"}
	for i := 0; i < rows; i++ {
		g := &groups[sort.SearchInts(weights, r.IntN(total)+1)]
		ip := address(g.Networks[r.IntN(len(g.Networks))], r)
		osv := g.OSVersion
		if r.IntN(1000) < 6 {
			alts := oldOS[g.OS]
			osv = alts[r.IntN(len(alts))]
		}
		client := g.ClientVersion
		switch x := r.IntN(1000); {
		case x < 8:
			client = "7.2.314.3518"
		case x < 20:
			client = "7.3.0." + strconv.Itoa(100+r.IntN(50))
		}
		cpus := cpuChoices[r.IntN(len(cpuChoices))]
		if r.IntN(1000) < 10 {
			cpus = 1
		}
		mem := memChoices[r.IntN(len(memChoices))]
		if r.IntN(1000) < 15 {
			mem = "2"
		}
		disk := 3.5 + r.ExpFloat64()*60
		if r.IntN(1000) < 12 {
			disk = r.Float64() * 2.9
		}
		name := "host-" + strconv.Itoa(1000000+i)
		ds := strconv.FormatFloat(disk, 'f', 1, 64)
		if jsonl {
			fmt.Fprintf(w, "{\"name\":%q,\"ip\":%q,\"os\":%q,\"os_version\":%q,\"client_version\":%q,\"cpus\":%d,\"memory_gb\":%s,\"free_disk_gb\":%s}\n",
				name, ip, g.OS, osv, client, cpus, mem, ds)
			continue
		}
		w.WriteString(name)
		w.WriteByte(',')
		w.WriteString(ip)
		w.WriteByte(',')
		w.WriteString(g.OS)
		w.WriteByte(',')
		w.WriteString(osv)
		w.WriteByte(',')
		w.WriteString(client)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(cpus))
		w.WriteByte(',')
		w.WriteString(mem)
		w.WriteByte(',')
		w.WriteString(ds)
		w.WriteByte('\n')
	}
}

// address returns a random host address inside prefix.
func address(prefix string, r *rand.Rand) string {
	p := netip.MustParsePrefix(prefix)
	a := p.Addr().As16()
	hostBits := a[:]
	bits := p.Addr().BitLen() - p.Bits()
	if bits > 24 {
		bits = 24
	}
	n := 1 + r.IntN(max(1, 1<<bits-2))
	for i := len(hostBits) - 1; i >= 0 && n > 0; i-- {
		hostBits[i] |= byte(n)
		n >>= 8
	}
	addr := netip.AddrFrom16(a)
	if p.Addr().Is4() {
		addr = addr.Unmap()
	}
	return addr.String()
}
