package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/load"
)

// varFlags collects -var and -var-file in command-line order.
type varFlags struct {
	args *[]load.VarArg
}

type varFlag struct{ varFlags }

func (v varFlag) String() string { return "" }

func (v varFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("-var takes NAME=VALUE, got %q", s)
	}
	*v.args = append(*v.args, load.VarArg{Name: name, Value: value})
	return nil
}

type varFileFlag struct{ varFlags }

func (v varFileFlag) String() string { return "" }

func (v varFileFlag) Set(s string) error {
	if s == "" {
		return fmt.Errorf("-var-file takes a file name")
	}
	*v.args = append(*v.args, load.VarArg{File: s})
	return nil
}

// addVarFlags registers -var and -var-file on fs, appending to args.
func addVarFlags(fs *flag.FlagSet, args *[]load.VarArg) {
	fs.Var(varFlag{varFlags{args}}, "var", "set a variable: NAME=VALUE (repeatable; later wins)")
	fs.Var(varFileFlag{varFlags{args}}, "var-file", "read variables from an HCL or JSON file (repeatable)")
}

// checkFlags are the flags of every command that validates a deployment:
// variables, the diagnostics format, --strict and --no-color.
type checkFlags struct {
	vars    []load.VarArg
	limits  load.Limits
	format  *string
	strict  *bool
	noColor *bool
	catalog *string
}

func addCheckFlags(fs *flag.FlagSet) *checkFlags {
	c := addLoadFlags(fs)
	c.format = fs.String("format", "text", "diagnostics format: text, json, sarif, junit or github")
	return c
}

// addLoadFlags registers the flags of checkFlags except --format, for a
// command whose --format is its own (plan); its diagnostics are text.
func addLoadFlags(fs *flag.FlagSet) *checkFlags {
	text := "text"
	c := &checkFlags{format: &text}
	addVarFlags(fs, &c.vars)
	c.strict = fs.Bool("strict", false, "treat warnings as failures")
	c.noColor = fs.Bool("no-color", false, "no colour in text output (NO_COLOR is honoured too)")
	fs.Int64Var(&c.limits.MaxFileBytes, "max-file-bytes", load.DefaultLimits.MaxFileBytes, "refuse configuration files larger than this")
	fs.IntVar(&c.limits.MaxBlocks, "max-blocks", load.DefaultLimits.MaxBlocks, "refuse configurations with more blocks than this")
	fs.IntVar(&c.limits.MaxAttributes, "max-attributes", load.DefaultLimits.MaxAttributes, "refuse configurations with more attributes (locals included) than this")
	fs.IntVar(&c.limits.MaxDepth, "max-depth", load.DefaultLimits.MaxDepth, "refuse expressions nested deeper than this")
	c.catalog = fs.String("catalog", "", "check against the requirements catalog in `FILE` instead of trgen's own (docs/catalog.md)")
	return c
}
