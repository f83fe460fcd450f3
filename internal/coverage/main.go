// Command coverage turns the coverage profile of the whole suite
// (`go test -coverpkg=./... -coverprofile=FILE ./...`, named as its
// argument) into docs/coverage.md (standard output): one row per package,
// with the share of its statements that some test of any package runs.
// `make coverage` runs it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// module is the import path prefix the rows leave out.
const module = "github.com/trgen/trgen/"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: coverage PROFILE > docs/coverage.md")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "coverage:", err)
		os.Exit(1)
	}
	defer f.Close()
	// A profile of several test binaries lists a block once per binary:
	// it is covered when any of them ran it.
	type block struct {
		stmts   int
		covered bool
	}
	blocks := map[string]*block{}
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		if strings.HasPrefix(line, "mode:") || line == "" {
			continue
		}
		// "path/file.go:12.3,14.2 2 1": the block, its statements, its count.
		fields := strings.Fields(line)
		if len(fields) != 3 {
			fmt.Fprintf(os.Stderr, "coverage: line %d is not a profile line: %q\n", n, line)
			os.Exit(1)
		}
		stmts, err1 := strconv.Atoi(fields[1])
		count, err2 := strconv.Atoi(fields[2])
		if err1 != nil || err2 != nil {
			fmt.Fprintf(os.Stderr, "coverage: line %d is not a profile line: %q\n", n, line)
			os.Exit(1)
		}
		b := blocks[fields[0]]
		if b == nil {
			b = &block{stmts: stmts}
			blocks[fields[0]] = b
		}
		b.covered = b.covered || count > 0
	}
	if err := s.Err(); err != nil || len(blocks) == 0 {
		fmt.Fprintln(os.Stderr, "coverage: the profile is empty or unreadable; docs/coverage.md not written", err)
		os.Exit(1)
	}
	type total struct{ stmts, covered int }
	pkgs := map[string]*total{}
	for key, b := range blocks {
		file, _, _ := strings.Cut(key, ":")
		pkg := strings.TrimPrefix(path.Dir(file), module)
		t := pkgs[pkg]
		if t == nil {
			t = &total{}
			pkgs[pkg] = t
		}
		t.stmts += b.stmts
		if b.covered {
			t.covered += b.stmts
		}
	}
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	fmt.Println("# Test coverage by package")
	fmt.Println()
	fmt.Println("The share of each package's statements that the whole suite runs")
	fmt.Println("(`go test -coverpkg=./...`: a statement counts when a test of any package")
	fmt.Println("runs it, so the CLI's end-to-end tests count for the packages they reach).")
	fmt.Println("`make coverage` rewrites this file; it runs the whole suite, with the")
	fmt.Println("external tools CI installs, so that the tests that need them run. The")
	fmt.Println("figures move a little from run to run (the kill and lock tests depend on")
	fmt.Println("timing), so CI does not compare this file.")
	fmt.Println()
	fmt.Println("| package | statements | coverage |")
	fmt.Println("| --- | ---: | ---: |")
	for _, p := range names {
		t := pkgs[p]
		if t.stmts == 0 {
			continue
		}
		fmt.Printf("| `%s` | %d | %.1f%% |\n", p, t.stmts, 100*float64(t.covered)/float64(t.stmts))
	}
}
