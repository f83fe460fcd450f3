package fleet

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"testing"
)

// FuzzInventory reads arbitrary bytes as an inventory and judges every
// row. The property: no panic; row lines only grow; a matched group is one
// of the deployment's; and the verdict of the caching checker equals that
// of a fresh one (the cache never changes an answer).
func FuzzInventory(f *testing.F) {
	f.Add([]byte(header + "ws1,10.64.16.5,windows,Windows 10,7.4.1.1955,2,8,20\n"))
	f.Add([]byte(header + "x,10.0.0.1,linux,RHEL 8,7.2.314.3476,1,2,0.5\nbad,not-an-ip,mac,macOS 10.15,7.2.314.3600,2,4,3\n"))
	f.Add([]byte("name,ip,os,os_version,client_version,cpus,memory_gb,free_disk_gb,group\nh,,linux,Ubuntu 20.04,7.4.1.1955,2,4,3,ubuntu-web\n"))
	f.Add([]byte(`{"name":"a","ip":"10.64.16.5","os":"windows","os_version":"Windows 10","client_version":"7.4.1.1955","cpus":2,"memory_gb":8,"free_disk_gb":20}` + "\n"))
	f.Add([]byte("\xef\xbb\xbf" + header + "\"q,\"\"x\",10.0.0.1,linux,RHEL 8,7.4.1.1955,2,4,3\n"))
	d, c := enterprise(f)
	k, err := NewChecker(d, c)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := NewReader(bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		var row Row
		var res Result
		last := 0
		for n := 0; n < 1000; n++ {
			err := rd.Next(&row)
			if err == io.EOF {
				return
			}
			var bad *BadRow
			if errors.As(err, &bad) {
				continue
			}
			if err != nil {
				return // the reader itself failed (bad gzip)
			}
			if row.Line <= last {
				t.Fatalf("row line %d after %d", row.Line, last)
			}
			last = row.Line
			if err := k.Check(&row, &res); err != nil {
				continue
			}
			if res.Group != unmatched && (res.Group < 0 || res.Group >= len(d.EndpointGroups)) {
				t.Fatalf("group index %d of %d", res.Group, len(d.EndpointGroups))
			}
			fresh, _ := NewChecker(d, c)
			var want Result
			if err := fresh.Check(&row, &want); err != nil {
				t.Fatalf("a fresh checker rejects what the cached one accepted: %v", err)
			}
			if want.Group != res.Group || !slices.Equal(want.Errors, res.Errors) || !slices.Equal(want.Warnings, res.Warnings) {
				t.Fatalf("cached verdict %+v, fresh verdict %+v for %q", res, want, row.Fields)
			}
		}
	})
}

// FuzzParseSize: the fast path for plain decimals gives what the general
// path (strconv.ParseFloat) gives, bit for bit, and both agree on what is
// an error.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"16", "21.1", "0.1", "15.6", ".5", "1.", "999999999999999", "9999999999999999", "16 GB", "16384 MB", "1e3", "-1", "", " 8 ", "0.30000000000000004"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := plainDecimal(s); ok {
			want, err := strconv.ParseFloat(s, 64)
			if err != nil || math.Float64bits(v) != math.Float64bits(want) {
				t.Fatalf("plainDecimal(%q) = %v; strconv.ParseFloat gives %v, %v", s, v, want, err)
			}
		}
	})
}
