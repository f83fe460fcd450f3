package verify_test

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/trgen/trgen/internal/verify"
)

// benchEndpoints is how many endpoints BenchmarkResults answers for:
// TRGEN_BENCH_ENDPOINTS, or 100,000.
func benchEndpoints() int {
	if n, err := strconv.Atoi(os.Getenv("TRGEN_BENCH_ENDPOINTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// writeBenchResults writes a Console-style export of n rhel-app
// endpoints, each with the recorded sensor rows (facts, audit status, the
// group's audit rules, its nftables table) and 100 audit rules of the
// host's own: about 150 rows per endpoint.
func writeBenchResults(b *testing.B, f fixture, rows []verify.Row, n int) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "results.csv")
	file, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(file, 1<<20)
	w := csv.NewWriter(bw)
	w.Write([]string{"Computer Name", "IP Address", "Kind", "Item", "Value", "Count"})
	var host []verify.Row
	for i := range 100 {
		host = append(host, verify.Row{Kind: verify.KindAuditRule, Item: strconv.Itoa(100 + i), Value: fmt.Sprintf("-w /etc/host-file-%d -p wa -k host-%d", i, i%10)})
	}
	base := netip.MustParseAddr(groupAddressB(b, f))
	rec := make([]string, 6)
	for e := range n {
		addr := base
		for range e % 1000 {
			addr = addr.Next()
		}
		rec[0], rec[1], rec[5] = "app-"+strconv.Itoa(e), addr.String(), "1"
		for _, set := range [][]verify.Row{rows, host} {
			for _, r := range set {
				rec[2], rec[3], rec[4] = r.Kind, r.Item, encode(r.Value)
				w.Write(rec)
			}
		}
	}
	w.Flush()
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	file.Close()
	return p
}

func groupAddressB(b *testing.B, f fixture) string {
	for _, n := range f.st.Nodes {
		if n.Name == "endpoint_group.rhel-app" {
			return netip.MustParsePrefix(n.Addresses[0]).Addr().Next().String()
		}
	}
	b.Fatal("no rhel-app")
	return ""
}

// BenchmarkResults: verify reading and comparing a results file of
// benchEndpoints endpoints, against the floor of reading the same file
// with encoding/csv alone, interleaved in each iteration; it reports
// the ratio and the heap in use after the comparison.
func BenchmarkResults(b *testing.B) {
	f := enterprise(b)
	rows := sensorRows(b, f)
	n := benchEndpoints()
	p := writeBenchResults(b, f, rows, n)
	info, _ := os.Stat(p)
	b.ReportMetric(float64(info.Size())/(1<<20), "MiB")
	var floor, full time.Duration
	var heap uint64
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		file, _ := os.Open(p)
		cr := csv.NewReader(bufio.NewReaderSize(file, 1<<16))
		cr.ReuseRecord = true
		cr.FieldsPerRecord = -1
		for {
			if _, err := cr.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
		file.Close()
		floor += time.Since(start)

		start = time.Now()
		file, _ = os.Open(p)
		v := f.verifier(b)
		if err := verify.ReadResults(file, verify.DefaultResultColumns, v); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = max(heap, ms.HeapInuse)
		rep := v.Report()
		file.Close()
		full += time.Since(start)
		if rep.Summary.Endpoints != n {
			b.Fatalf("%d endpoints, want %d", rep.Summary.Endpoints, n)
		}
	}
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "csv-ms")
	b.ReportMetric(float64(full.Milliseconds())/float64(b.N), "verify-ms")
	b.ReportMetric(float64(full)/float64(floor), "ratio")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}
