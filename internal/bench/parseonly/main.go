// Command parseonly parses an HCL file and does nothing else. It is the
// floor that `bin/trgen validate` is compared with as a whole process: the
// same startup, the same file read and the same HCL parser.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2/hclparse"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: parseonly FILE")
		os.Exit(2)
	}
	_, diags := hclparse.NewParser().ParseHCLFile(os.Args[1])
	if diags.HasErrors() {
		fmt.Fprintln(os.Stderr, diags.Error())
		os.Exit(1)
	}
}
