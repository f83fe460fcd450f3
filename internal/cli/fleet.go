package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/trgen/trgen/internal/diag"
	"github.com/trgen/trgen/internal/fleet"
	"github.com/trgen/trgen/internal/generate"
	"github.com/trgen/trgen/internal/load"
	"github.com/trgen/trgen/internal/render"
)

// openInput opens a streamed input file (gzip or not, load.OpenStream),
// or stdin for "-".
func openInput(e *env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := load.OpenStream(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// columnFlags collects --column field=Header.
type columnFlags map[string]string

func (c columnFlags) String() string { return "" }

func (c columnFlags) Set(s string) error {
	f, h, ok := strings.Cut(s, "=")
	if !ok || f == "" || h == "" {
		return fmt.Errorf("--column takes field=Header, got %q", s)
	}
	known := false
	for _, r := range append(fleet.Required, fleet.FGroup) {
		known = known || r == f
	}
	if !known {
		return fmt.Errorf("--column: unknown field %q (fields: %s, group)", f, strings.Join(fleet.Required, ", "))
	}
	c[f] = h
	return nil
}

func runFleet(e *env, args []string) int {
	fs := newFlagSet(e, "fleet", "fleet [PATH] --inventory FILE [--format text|json|csv] [--max-failing N|P%] [flags]")
	cf := addLoadFlags(fs)
	cf.format = fs.String("format", "text", "report format: text, json, csv or html")
	inventory := fs.String("inventory", "", "the inventory: CSV or JSON Lines, gzip-compressed or not (- for stdin)")
	maxFailing := fs.String("max-failing", "0", "exit 1 when more endpoints fail: a count or a percentage (\"0.5%\")")
	maxBad := fs.Int("max-bad-rows", -1, "fail (exit 1) when more rows than this cannot be read (default: no limit; every one is reported and counted)")
	osMap := fs.String("os-map", "", "CSV mapping the export's OS strings trgen cannot read to ones it reads: inventory,os,os_version (docs/fleet.md)")
	allowEmpty := fs.Bool("allow-empty", false, "an inventory of no endpoints passes (by default it fails: an export that failed would pass the gate)")
	preset := fs.String("preset", "", "column names of a common export: tanium")
	maxListed := fs.Int("max-listed", 20, "text format: how many endpoints with findings to list, the worst first")
	columns := columnFlags{}
	fs.Var(columns, "column", "map a field to another header: field=Header (repeatable)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(e, err)
	}
	path, err := onePath(pos)
	if err != nil {
		return usageError(e, err)
	}
	if *inventory == "" {
		return usageError(e, fmt.Errorf("fleet needs --inventory FILE"))
	}
	format := *cf.format
	if !slices.Contains([]string{"text", "json", "csv", "html"}, format) {
		return usageError(e, fmt.Errorf("unknown format %q; fleet writes text, json, csv or html", format))
	}
	mapping, err := columnMapping(*preset, columns)
	if err != nil {
		return usageError(e, err)
	}
	if _, err := (&fleet.Report{}).Exceeds(*maxFailing); err != nil {
		return usageError(e, err)
	}
	v, err := validatePath(e, path, cf, false)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if v.report.Failed() {
		writeReport(e, "text", v.report, *cf.noColor)
		fmt.Fprintln(e.stderr, "The deployment must validate before its fleet can be checked.")
		return ExitInvalid
	}
	in, closeIn, err := openInput(e, *inventory)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	defer closeIn()
	rd, err := fleet.NewReader(in, mapping)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %s: %v\n", *inventory, err)
		return ExitUsage
	}
	k, err := fleet.NewChecker(v.config.Deployment, v.check.Catalog)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	if *osMap != "" {
		data, err := load.ReadFile(*osMap, load.MaxFileBytes)
		if err == nil {
			err = k.SetOSMap(bytes.NewReader(data))
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "trgen: %s: %v\n", *osMap, err)
			return ExitUsage
		}
	}
	var opts fleet.Options
	bar := progressBar(e, &opts)
	// Endpoints stream out as they are judged (CSV straight to stdout, JSON
	// through a temporary file spliced in after the counts), so memory does
	// not grow with the inventory.
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	sink, err := newSink(format, w, *maxListed)
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	defer sink.close()
	opts.OnEndpoint = sink.add
	opts.OnBadRow = sink.bad
	rep, err := k.Run(rd, opts)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %s: %v\n", *inventory, err)
		return ExitUsage
	}
	if format == "html" {
		err = writeFleetHTML(w, fleetPage{Deployment: v.config.Deployment.Name, Inventory: *inventory, Catalog: generate.NewHeader(v.config.Deployment, v.check.Catalog, Version, v.config.Filenames).Catalog,
			TrgenVersion: Version, Report: rep, Worst: sink.worstFirst(), Endpoints: sink.count})
	} else {
		err = sink.finish(format, w, rep)
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	return fleetExit(e, rep, *inventory, *maxBad, *maxFailing, *allowEmpty)
}

// newSink is where fleet's endpoints go as they are judged, for format:
// CSV rows written at once, JSON through a temporary file, or the worst
// maxListed kept for the text report.
func newSink(format string, w io.Writer, maxListed int) (*endpointSink, error) {
	switch format {
	case "csv":
		return newCSVSink(w), nil
	case "json":
		return newJSONSink()
	}
	// text and html: the worst endpoints.
	return newWorstSink(max(maxListed, 0)), nil
}

// finish writes what follows the endpoints in format: the JSON document
// around them, the CSV's end, or the text report with its worst endpoints.
func (s *endpointSink) finish(format string, w *bufio.Writer, rep *fleet.Report) error {
	switch format {
	case "json":
		return s.finishJSON(w, rep)
	case "csv":
		return s.finishCSV()
	}
	writeFleetText(w, rep, s.count)
	writeWorst(w, s.worstFirst(), s.count)
	return nil
}

// columnMapping is the field → header mapping of a preset, overridden
// field by field by --column.
func columnMapping(preset string, columns columnFlags) (map[string]string, error) {
	mapping := map[string]string{}
	if preset != "" {
		p, ok := fleet.Presets[preset]
		if !ok {
			return nil, fmt.Errorf("unknown preset %q (presets: tanium)", preset)
		}
		for f, h := range p {
			mapping[f] = h
		}
	}
	for f, h := range columns {
		mapping[f] = h
	}
	return mapping, nil
}

// progressBar shows the rows checked on a terminal's stderr, through
// opts.Progress, and returns the bar to finish (nil when stderr is not a
// terminal).
func progressBar(e *env, opts *fleet.Options) *progressbar.ProgressBar {
	f, ok := e.stderr.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	start := time.Now()
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("checking"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	opts.Progress = func(rows int) {
		bar.Describe(fmt.Sprintf("checking (%s)", time.Since(start).Round(time.Second)))
		bar.Set(rows)
	}
	return bar
}

// fleetExit is fleet's exit code: 1 when more rows could not be read
// than --max-bad-rows allows, or more endpoints fail than --max-failing.
func fleetExit(e *env, rep *fleet.Report, inventory string, maxBad int, maxFailing string, allowEmpty bool) int {
	code := ExitOK
	if rep.Checked == 0 && !allowEmpty {
		fmt.Fprintf(e.stderr, "%s holds no endpoint (%s): an export that failed would pass the gate. Give --allow-empty if none is right.\n", inventory, plural(rep.BadRows, "unreadable row"))
		code = ExitInvalid
	}
	if maxBad >= 0 && rep.BadRows > maxBad {
		fmt.Fprintf(e.stderr, "%s of %s could not be read (--max-bad-rows %d): fix the export, or raise --max-bad-rows.\n", plural(rep.BadRows, "row"), inventory, maxBad)
		code = ExitInvalid
	}
	if over, _ := rep.Exceeds(maxFailing); over {
		fmt.Fprintf(e.stderr, "%d failing endpoints exceed --max-failing %s.\n", rep.Failing, maxFailing)
		code = ExitInvalid
	}
	return code
}

// notCheckedLines say which rules could not be checked on how many
// endpoints, for the text and HTML reports.
func notCheckedLines(r *fleet.Report) []string {
	var out []string
	if r.SizesUnknown > 0 {
		out = append(out, fmt.Sprintf("%s had a blank size: the sizing rules that need it were not checked there (not_checked in --format json).", plural(r.SizesUnknown, "endpoint")))
	}
	for _, n := range r.NotChecked {
		if n.Rule == "os-unsupported" || n.Rule == "client-version-too-old" {
			what := map[string]string{"os-unsupported": "the OS rules (no OS version trgen reads)", "client-version-too-old": "the client rules (no client version)"}[n.Rule]
			out = append(out, fmt.Sprintf("%s: %s not checked.", plural(n.Endpoints, "endpoint"), what))
		}
	}
	return out
}

// maxBadText is how many unreadable rows the text report lists.
const maxBadText = 20

func writeFleetText(w io.Writer, r *fleet.Report, endpoints int) {
	fmt.Fprintf(w, "%d endpoints checked: %d failing, %d with warnings only, %d in no group, %d unreadable rows.\n", r.Checked, r.Failing, r.Warning, r.Unmatched, r.BadRows)
	for _, line := range notCheckedLines(r) {
		fmt.Fprintln(w, line)
	}
	if len(r.Actions) > 0 {
		fmt.Fprintf(w, "\nWhat to do, errors first, the most endpoints first:\n")
		for i, a := range r.Actions {
			if i == maxBadText {
				fmt.Fprintf(w, "… and %d more (--format json lists them).\n", len(r.Actions)-maxBadText)
				break
			}
			where := " in no group"
			if a.Group != "" {
				where = " of " + a.Group
			}
			value := ""
			if a.Value != "" {
				value = ", " + textCell(a.Value)
			}
			fmt.Fprintf(w, "- %s: %s%s (%s %s)\n", strings.TrimSuffix(a.Fix, "."), plural(a.Endpoints, "endpoint")+where, value, a.Severity, a.Rule)
		}
	}
	if len(r.UnreadOS) > 0 {
		fmt.Fprintf(w, "\nOS strings trgen cannot read (map them with --os-map FILE, docs/fleet.md):\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "endpoints\tos\tstring")
		for i, u := range r.UnreadOS {
			if i == maxBadText {
				fmt.Fprintf(tw, "…\t\t%d more strings (--format json lists them)\n", len(r.UnreadOS)-maxBadText)
				break
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", u.Endpoints, u.OS, textCell(strconv.Quote(u.Text)))
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "group\tchecked\tfailing\twarning")
	for _, g := range worstGroups(r.Groups) {
		name := g.Name
		if name == "" {
			name = "(no group)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", name, g.Checked, g.Failing, g.Warning)
	}
	tw.Flush()
	if len(r.Rules) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "rule\terrors\twarnings")
		for _, ru := range r.Rules {
			fmt.Fprintf(tw, "%s\t%d\t%d\n", ru.Rule, ru.Errors, ru.Warnings)
		}
		tw.Flush()
	}
	if len(r.Bad) > 0 {
		fmt.Fprintln(w)
	}
	for i, b := range r.Bad {
		if i == maxBadText {
			fmt.Fprintf(w, "… and %d more unreadable rows (--format json or csv lists them).\n", r.BadRows-maxBadText)
			break
		}
		fmt.Fprintf(w, "unreadable row at line %d: %s\n", b.Line, b.Err)
	}
}

// worstGroups returns the groups, the most failing first, then the most
// with warnings.
func worstGroups(gs []fleet.GroupStats) []fleet.GroupStats {
	groups := slices.Clone(gs)
	slices.SortStableFunc(groups, func(a, b fleet.GroupStats) int {
		return cmp.Or(cmp.Compare(b.Failing, a.Failing), cmp.Compare(b.Warning, a.Warning))
	})
	return groups
}

// newWorstSink keeps the n worst endpoints (most errors, then most
// warnings, then the earliest line) in bounded memory: the slice is
// trimmed to n whenever it reaches 2n.
func newWorstSink(n int) *endpointSink {
	s := &endpointSink{}
	s.write = func(ep fleet.EndpointReport) error {
		if n == 0 {
			return nil
		}
		s.worst = append(s.worst, ep)
		if len(s.worst) >= 2*n {
			s.trim(n)
		}
		return nil
	}
	s.keep = n
	return s
}

func (s *endpointSink) trim(n int) {
	slices.SortStableFunc(s.worst, func(a, b fleet.EndpointReport) int {
		return cmp.Or(cmp.Compare(len(b.Errors), len(a.Errors)), cmp.Compare(len(b.Warnings), len(a.Warnings)), cmp.Compare(a.Line, b.Line))
	})
	if len(s.worst) > n {
		s.worst = s.worst[:n]
	}
}

// worstFirst returns the kept endpoints, the worst first.
func (s *endpointSink) worstFirst() []fleet.EndpointReport {
	s.trim(s.keep)
	return s.worst
}

// writeWorst lists endpoints with their findings, and how many more there
// are.
func writeWorst(w io.Writer, eps []fleet.EndpointReport, total int) {
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "\nEndpoints with findings, the worst first (%d of %d; --max-listed N lists more, --format json or csv all):\n", len(eps), total)
	for _, ep := range eps {
		group := ep.Group
		if group == "" {
			group = "(no group)"
		}
		fmt.Fprintf(w, "\n%s  %s  %s  (line %d)\n", textCell(ep.Name), textCell(ep.Address), group, ep.Line)
		for _, f := range ep.Findings {
			fmt.Fprintf(w, "  %s %s: %s. Fix: %s\n", f.Severity, f.Rule, textCell(strings.TrimSuffix(f.Message, ".")), f.Fix)
		}
	}
	if rest := total - len(eps); rest > 0 {
		fmt.Fprintf(w, "\n… and %d more endpoints with findings.\n", rest)
	}
}

// textCell makes inventory text safe for a terminal: control characters
// (escape sequences among them) and bidirectional controls become "?".
func textCell(s string) string {
	return strings.Map(func(r rune) rune {
		if diag.Unsafe(r) {
			return '?'
		}
		return r
	}, s)
}

// endpointSink receives the endpoints with findings as they are judged.
type endpointSink struct {
	count int
	worst []fleet.EndpointReport // text format: the worst endpoints
	keep  int
	write func(fleet.EndpointReport) error
	bad   func(fleet.BadRow) error // nil: reported with the counts
	csv   *csv.Writer
	tmp   *os.File
	buf   *bufio.Writer
}

func (s *endpointSink) add(ep fleet.EndpointReport) error {
	s.count++
	return s.write(ep)
}

func newCSVSink(w io.Writer) *endpointSink {
	// A UTF-8 byte order mark first: spreadsheets (Excel) read the file as
	// UTF-8 only with it, and endpoint names need not be ASCII.
	io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write([]string{"name", "line", "group", "errors", "warnings", "address", "findings"})
	s := &endpointSink{csv: cw}
	s.write = func(ep fleet.EndpointReport) error {
		return cw.Write([]string{render.SpreadsheetCell(ep.Name), strconv.Itoa(ep.Line), ep.Group, strings.Join(ep.Errors, ";"), strings.Join(ep.Warnings, ";"),
			render.SpreadsheetCell(ep.Address), render.SpreadsheetCell(findingsText(ep.Findings))})
	}
	// An unreadable row is a row of the report too, so a CSV consumer
	// cannot miss it.
	s.bad = func(b fleet.BadRow) error {
		return cw.Write([]string{"", strconv.Itoa(b.Line), "", render.SpreadsheetCell("unreadable row: " + b.Err), "", "", ""})
	}
	return s
}

// findingsText is an endpoint's findings in one line each:
// "error client-version-excluded: Tanium Client 7.2.314.3518 is not
// supported. Fix: …", joined by " | ".
func findingsText(fs []fleet.Finding) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %s: %s. Fix: %s", f.Severity, f.Rule, strings.TrimSuffix(f.Message, "."), f.Fix)
	}
	return strings.Join(parts, " | ")
}

func (s *endpointSink) finishCSV() error {
	s.csv.Flush()
	return s.csv.Error()
}

func newJSONSink() (*endpointSink, error) {
	f, err := os.CreateTemp("", "trgen-fleet-*.json")
	if err != nil {
		return nil, err
	}
	s := &endpointSink{tmp: f, buf: bufio.NewWriterSize(f, 1<<16)}
	s.write = func(ep fleet.EndpointReport) error {
		if s.count > 1 {
			s.buf.WriteString(",\n")
		}
		s.buf.WriteString("    ")
		data, err := json.Marshal(ep)
		if err != nil {
			return err
		}
		_, err = s.buf.Write(data)
		return err
	}
	return s, nil
}

// finishJSON writes the report's counts, then the endpoints from the
// temporary file, as one JSON object.
func (s *endpointSink) finishJSON(w io.Writer, r *fleet.Report) error {
	if err := s.buf.Flush(); err != nil {
		return err
	}
	head, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	// The report's endpoints are empty ("endpoints": []); splice the
	// streamed ones in.
	const tail = "\"endpoints\": []\n}"
	if !bytes.HasSuffix(head, []byte(tail)) {
		return fmt.Errorf("internal error: unexpected report shape")
	}
	w.Write(head[:len(head)-len(tail)])
	if s.count == 0 {
		_, err = io.WriteString(w, "\"endpoints\": []\n}\n")
		return err
	}
	io.WriteString(w, "\"endpoints\": [\n")
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(w, s.tmp); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n  ]\n}\n")
	return err
}

func (s *endpointSink) close() {
	if s.tmp != nil {
		s.tmp.Close()
		os.Remove(s.tmp.Name())
	}
}
