// Command coverage turns the output of `go test -cover ./...` (standard
// input) into docs/coverage.md (standard output): one row per package,
// with what its own tests cover. `make coverage` runs it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

// line matches go test's package summary with coverage, e.g.
// "ok  	github.com/trgen/trgen/internal/plan	0.04s	coverage: 58.8% of statements".
var line = regexp.MustCompile(`^(ok|FAIL|\?)\s+(\S+)\s+.*?coverage: ([0-9.]+)% of statements`)

func main() {
	type row struct{ pkg, cover string }
	var rows []row
	failed := false
	s := bufio.NewScanner(os.Stdin)
	for s.Scan() {
		text := s.Text()
		if strings.HasPrefix(text, "FAIL") || strings.HasPrefix(text, "--- FAIL") {
			failed = true
		}
		m := line.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		rows = append(rows, row{strings.TrimPrefix(m[2], "github.com/trgen/trgen/"), m[3] + "%"})
	}
	if err := s.Err(); err != nil || failed || len(rows) == 0 {
		fmt.Fprintln(os.Stderr, "coverage: the tests failed or printed no coverage; docs/coverage.md not written")
		os.Exit(1)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pkg < rows[j].pkg })
	fmt.Println("# Test coverage by package")
	fmt.Println()
	fmt.Println("What each package's own tests cover (`go test -cover`: statements of the")
	fmt.Println("package run by its own tests, not by other packages' tests). `make coverage`")
	fmt.Println("rewrites this file; it runs the whole suite, with the external tools CI")
	fmt.Println("installs, so that the tests that need them run. Packages without tests are")
	fmt.Println("left out. The figures move a little from run to run (the kill and lock tests")
	fmt.Println("depend on timing), so CI does not compare this file.")
	fmt.Println()
	fmt.Println("| package | coverage |")
	fmt.Println("| --- | ---: |")
	for _, r := range rows {
		fmt.Printf("| `%s` | %s |\n", r.pkg, r.cover)
	}
}
