// Package cli is trgen's command line: argument parsing, one file per
// subcommand, the choice of output view, and exit codes (0 valid, 1 the
// deployment has errors or drift, 2 usage or internal failure). It holds no
// global state; Main is called in-process by the tests.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Version is trgen's version, stamped at build time with
// -ldflags "-X github.com/trgen/trgen/internal/cli.Version=…".
var Version = "dev"

// Exit codes.
const (
	ExitOK      = 0
	ExitInvalid = 1
	ExitUsage   = 2
)

// env is what a command sees of its process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	environ        []string
	// described, when set, collects each command's flag set: the command
	// runs with -h, records its flags and stops (completions, man page).
	described map[string]*flag.FlagSet
}

type command struct {
	summary string
	run     func(e *env, args []string) int
}

// commands is the command table; filled in init because completion and
// man read it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"init":         {"init [DIR]: write a commented starter deployment (--example small|enterprise copies a bundled one)", runInit},
		"validate":     {"check a deployment against the requirements catalog", runValidate},
		"generate":     {"validate, then write every output under DIR/<deployment>/", runGenerate},
		"plan":         {"plan [PATH] --from DIR: what changed since a previous output (flows to open and close, exclusions, roles...)", runPlan},
		"fmt":          {"rewrite deployment files in canonical HCL style", runFmt},
		"audit":        {"audit lint FILE...: check Linux audit rule files", runAudit},
		"fleet":        {"check an endpoint inventory against the deployment's requirements", runFleet},
		"verify":       {"verify [PATH] --from DIR --results FILE | --local: whether the endpoints hold what the output asked for", runVerify},
		"schema":       {"print the JSON Schema of the deployment language", runSchema},
		"explain":      {"explain RULE: what a rule checks, why, how to fix it, an example", runExplain},
		"requirements": {"print the requirements catalog of a Threat Response version", runRequirements},
		"version":      {"print trgen's version", runVersion},
		"completion":   {"completion bash|zsh|fish: print a shell completion script", runCompletion},
		"man":          {"print the man page (roff)", runMan},
	}
}

// Main runs trgen with args (without the program name) and returns the
// exit code. A failed write to stdout is an error (exit 2) whatever the
// command returned: output redirected to a full disk or a closed pipe
// must not pass as complete.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := &checkedWriter{w: stdout}
	stop := guardMemory(stderr, memoryLimit(os.Getenv))
	code := run(args, stdin, out, stderr)
	stop()
	if out.err != nil {
		fmt.Fprintf(stderr, "trgen: writing standard output: %v\n", out.err)
		return ExitUsage
	}
	return code
}

// checkedWriter remembers the first write error; later writes are dropped.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	c.err = err
	return n, err
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, environ: os.Environ()}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return ExitOK
	case "-v", "--version":
		return runVersion(e, nil)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "trgen: unknown command %q\n\n", args[0])
		usage(stderr)
		return ExitUsage
	}
	return cmd.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: trgen <command> [PATH] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'trgen <command> -h' for a command's flags.")
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("validate PATH --format json"), as Terraform and cobra allow.
// "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if e.described != nil {
		e.described[name] = fs
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: trgen %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageError prints a usage problem and returns ExitUsage; -h returns ExitOK.
func usageError(e *env, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil && !strings.Contains(err.Error(), "flag provided but not defined") {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
	}
	return ExitUsage
}

// onePath returns the single optional PATH argument, "." by default.
func onePath(pos []string) (string, error) {
	switch len(pos) {
	case 0:
		return ".", nil
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("expected at most one PATH, got %d: %s", len(pos), strings.Join(pos, " "))
}
