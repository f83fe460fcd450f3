// Command trgen turns an HCL description of a Tanium Threat Response
// deployment into checked, ready-to-hand-over artefacts. All behaviour lives
// in internal/cli so it can be tested in-process.
package main

import (
	"os"

	"github.com/trgen/trgen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
