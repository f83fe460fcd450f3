package cli

import (
	"fmt"
	"strings"

	"github.com/trgen/trgen/internal/diag"
)

func runValidate(e *env, args []string) int {
	fs := newFlagSet(e, "validate", "validate [PATH] [flags]")
	cf := addCheckFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	f, err := diag.ParseFormat(*cf.format)
	if err != nil {
		return usageError(e, err)
	}
	v, err := validatePath(e, path, cf, *cf.strict)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if err := writeReport(e, f, v.report, *cf.noColor); err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if v.report.Failed() {
		return ExitInvalid
	}
	return ExitOK
}

// writeReport prints diagnostics in format f: machine formats on stdout
// (GitHub annotations too, with the full text on stderr since GitHub shows
// only ten annotations per step), text on stderr with a summary on stdout.
func writeReport(e *env, f diag.Format, r *diag.Report, noColor bool) error {
	switch f {
	case diag.Text:
		if err := diag.WriteText(e.stderr, r, colorFor(e, e.stderr, noColor)); err != nil {
			return err
		}
		errs, warns := r.Counts()
		accepted := ""
		if n := r.AcceptedCount(); n > 0 {
			accepted = fmt.Sprintf(" (and %s accepted)", plural(n, "warning"))
		}
		switch {
		case r.Failed():
			fmt.Fprintf(e.stderr, "%s, %s%s.\n", plural(errs, "error"), plural(warns, "warning"), accepted)
			if errs == 0 {
				fmt.Fprintln(e.stderr, "Warnings fail the run because of --strict.")
			}
		case warns > 0:
			fmt.Fprintf(e.stdout, "The configuration is valid, with %s%s.\n", plural(warns, "warning"), accepted)
		case accepted != "":
			fmt.Fprintf(e.stdout, "Success! The configuration is valid, with %s accepted.\n", plural(r.AcceptedCount(), "warning"))
		default:
			fmt.Fprintln(e.stdout, "Success! The configuration is valid.")
		}
		return nil
	case diag.GitHub:
		if err := diag.WriteText(e.stderr, r, false); err != nil {
			return err
		}
	}
	return diag.Write(e.stdout, f, r, false)
}

// plural is "1 file" or "N files"; a word ending in y takes -ies.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if stem, ok := strings.CutSuffix(word, "y"); ok {
		return fmt.Sprintf("%d %sies", n, stem)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
