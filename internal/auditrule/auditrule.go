// Package auditrule parses Linux audit rule files (auditctl syntax, as in
// /etc/audit/rules.d/*.rules) and lints them: unknown options and fields,
// bad operators, syscalls that do not exist on the rule's architecture,
// rules that augenrules would stop at or silently drop, and rules that
// would make the Tanium recorder watch its own writes. Findings are
// hcl.Diagnostics with file, line and column, so every trgen writer can
// print them. It never runs auditctl.
package auditrule

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/rule"
)

// The linter's rule ids, from package rule.
const (
	Syntax          = rule.AuditSyntax
	FieldUnknown    = rule.AuditFieldUnknown
	OperatorInvalid = rule.AuditOperator
	SyscallUnknown  = rule.AuditSyscall
	ArchMissing     = rule.AuditArch
	FailurePanic    = rule.AuditFailureMode
	ImmutableLast   = rule.AuditImmutableLast
	AfterImmutable  = rule.AuditAfterImmutable
	EnableDuplicate = rule.AuditEnableDup
	DeleteFirst     = rule.AuditDeleteFirst
	Duplicate       = rule.AuditDuplicate
	RecorderWatch   = rule.AuditRecorderWatch
	SiteControl     = rule.AuditSiteControl
	Quoted          = rule.AuditQuoted
	Overridden      = rule.AuditOverridden
	AwkDependent    = rule.AuditAwk
	NoNewline       = rule.AuditNoNewline
)

// Token is one whitespace-separated word of a rule line.
type Token struct {
	Text string
	// Col is the 1-based column (in characters); Byte the 0-based offset
	// of the token in the file.
	Col, Byte int
}

// Line is one rule: a non-blank, non-comment line.
type Line struct {
	File   string
	Num    int
	Tokens []Token
	// Kind is control, watch or syscall once parsed.
	Kind string
	// Option is the first option (-a, -w, -D, -e ...).
	Option string
	// Value is the control option's value (for -e, -f, -b ...).
	Value string
	end   int // byte offset of the line's end
}

// Text is the rule as written, with single spaces.
func (l Line) Text() string {
	words := make([]string, len(l.Tokens))
	for i, t := range l.Tokens {
		words[i] = t.Text
	}
	return strings.Join(words, " ")
}

// Split reads the rule lines of a file: '#' starts a comment only at the
// start of a line (after blanks), as auditctl -R reads them.
func Split(name string, src []byte) []Line {
	var lines []Line
	offset := 0
	rest := string(src)
	for num := 1; rest != ""; num++ {
		raw, next, _ := strings.Cut(rest, "\n")
		rest = next
		if l, ok := splitLine(name, num, offset, raw); ok {
			lines = append(lines, l)
		}
		offset += len(raw) + 1
	}
	return lines
}

// splitLine reads one rule line that starts at byte start of its file:
// words are separated by blanks, except a blank after a backslash, which
// auditctl keeps in the word ("-w /etc/x\ y" watches "/etc/x y"). ok is
// false for a blank or comment line.
func splitLine(name string, num, start int, raw string) (Line, bool) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" || strings.HasPrefix(trimmed, "#") {
		return Line{}, false
	}
	l := Line{File: name, Num: num, end: start + len(strings.TrimRight(raw, "\r"))}
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }
	i := 0
	col, counted := 1, 0 // the column of byte counted, advanced as tokens are found
	for i < len(raw) {
		for i < len(raw) && blank(raw[i]) {
			i++
		}
		j := i
		for j < len(raw) && !blank(raw[j]) {
			if raw[j] == '\\' && j+1 < len(raw) && (raw[j+1] == ' ' || raw[j+1] == '\\') {
				j++
			}
			j++
		}
		if j > i {
			col += utf8.RuneCountInString(raw[counted:i])
			counted = i
			l.Tokens = append(l.Tokens, Token{Text: raw[i:j], Col: col, Byte: start + i})
		}
		i = j
	}
	return l, true
}

// unescape is a word as auditctl reads it: "\ " is a blank, "\\" a
// backslash.
func unescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	return strings.NewReplacer("\\ ", " ", "\\\\", "\\").Replace(s)
}

// Options say what the linter checks beyond the syntax.
type Options struct {
	// Protected are paths the recorder writes (its database, audit pipe):
	// a watch on them or on a directory above them is an error.
	Protected []string
	// Site marks rules a deployment's site_rules hold: control options
	// belong to trgen's own files there.
	Site bool
	// FailurePanic is the requirements page's statement that the recorder
	// adds no audit rules under failure mode 2, which that finding cites.
	FailurePanic *catalog.Source
	// Merge reads the files as augenrules builds audit.rules from a
	// rules.d folder (Merge); otherwise they are read as given, one after
	// the other, as auditctl -R reads a file.
	Merge bool
	// AuditdVersion is the endpoints' auditd version, which picks the
	// syscall table (TableLine); "" takes the newest.
	AuditdVersion string
}

// CatalogOptions are the options for rules of endpoints whose Tanium
// Client is installed in clientDir, from the catalog c: the recorder's
// files there are protected, and findings cite c's page.
func CatalogOptions(c *catalog.Catalog, clientDir string) Options {
	var protected []string
	for _, rel := range c.RecorderFiles() {
		protected = append(protected, path.Join(strings.TrimSuffix(clientDir, "/"), rel))
	}
	return Options{Protected: protected, FailurePanic: &c.LinuxAudit.FailurePanic.Source}
}

// fields are the -F fields auditctl knows (auditctl(8)); the value says
// whether the field is a string (only = and != apply).
var fields = map[string]bool{
	"a0": false, "a1": false, "a2": false, "a3": false, "arch": true, "auid": false, "loginuid": false, "devmajor": false,
	"devminor": false, "dir": true, "egid": false, "euid": false, "exe": true, "exit": false, "fsgid": false, "fstype": true,
	"fsuid": false, "filetype": true, "gid": false, "inode": false, "key": true, "msgtype": false, "obj_uid": false,
	"obj_gid": false, "obj_lev_high": true, "obj_lev_low": true, "obj_role": true, "obj_type": true, "obj_user": true,
	"path": true, "perm": true, "pers": false, "pid": false, "ppid": false, "saddr_fam": false, "sessionid": false,
	"sgid": false, "subj_clr": true, "subj_role": true, "subj_sen": true, "subj_type": true, "subj_user": true,
	"success": false, "suid": false, "uid": false,
}

var fieldNames = func() []string {
	var out []string
	for f := range fields {
		out = append(out, f)
	}
	return out
}()

var operators = []string{"!=", "<=", ">=", "&=", "=", "<", ">", "&"}

// withArg and flags are the options auditctl accepts in rule files.
var withArg = map[string]bool{"-a": true, "-A": true, "-d": true, "-S": true, "-F": true, "-C": true, "-k": true, "-w": true,
	"-W": true, "-p": true, "-b": true, "-f": true, "-e": true, "-r": true, "-q": true, "-Q": true, "--backlog_wait_time": true}
var flags = map[string]bool{"-D": true, "-i": true, "-c": true, "--loginuid-immutable": true, "--reset-lost": true, "-t": true}

// linter accumulates findings over the files of one rule set.
type linter struct {
	opts      Options
	diags     hcl.Diagnostics
	first     bool
	immutable *Line
	reported  bool // ImmutableLast was reported for immutable
	enabled   *Line
	seen      map[string]Line
	// table is the auditd line whose syscall table applies.
	table string
	// carryOn is the -c or -i line in effect: auditctl goes on past a
	// refused rule.
	carryOn *Line
	// overrides are the -f values a winning -f overrode, for its finding.
	overrides string
}

// Result is what Lint found in a rule set.
type Result struct {
	Diags hcl.Diagnostics
	// Lines are the rules, in the order they are loaded.
	Lines []Line
	// Merged is what augenrules builds (with Options.Merge).
	Merged *Merged
	// Table is the auditd line whose syscall table was used, and
	// TableNote how it was chosen where the version has no line of its own.
	Table, TableNote string
}

// Lint checks files and returns the findings and the parsed rules.
func Lint(files []File, opts Options) (hcl.Diagnostics, []Line) {
	r := LintSet(files, opts)
	return r.Diags, r.Lines
}

// LintSet checks files as opts says: as augenrules merges them, or in
// the given order.
func LintSet(files []File, opts Options) Result {
	l := &linter{opts: opts, first: true, seen: map[string]Line{}}
	var res Result
	l.table, res.TableNote = TableLine(opts.AuditdVersion)
	res.Table = l.table
	if !opts.Merge {
		for _, f := range files {
			for _, line := range Split(f.Name, f.Data) {
				l.line(&line)
				res.Lines = append(res.Lines, line)
			}
		}
		res.Diags = l.diags
		return res
	}
	m := Merge(files)
	res.Merged = &m
	l.merged(&m)
	for _, ml := range m.Lines {
		if ml.File == "" || ml.Joined != "" {
			continue
		}
		if line, ok := splitLine(ml.File, ml.Num, ml.Start, ml.Text); ok {
			l.overrides = ""
			if c := controlOf(&m, ml); c != nil && c.Option == "-f" {
				l.overrides = dropped(c, ml.Text)
			}
			l.line(&line)
			res.Lines = append(res.Lines, line)
		}
	}
	res.Diags = l.diags
	return res
}

// option is one option of a rule line and its argument, if it takes one.
type option struct {
	tok Token
	arg *Token
}

// File is one rules file.
type File struct {
	Name string
	Data []byte
}

func (l *linter) add(id rule.ID, sev hcl.DiagnosticSeverity, line *Line, tok *Token, summary, detail string) {
	rng := hcl.Range{Filename: line.File, Start: hcl.Pos{Line: line.Num, Column: 1, Byte: 0}, End: hcl.Pos{Line: line.Num, Column: 1, Byte: 0}}
	if tok != nil {
		rng.Start = hcl.Pos{Line: line.Num, Column: tok.Col, Byte: tok.Byte}
		rng.End = hcl.Pos{Line: line.Num, Column: tok.Col + utf8.RuneCountInString(tok.Text), Byte: tok.Byte + len(tok.Text)}
	} else if len(line.Tokens) > 0 {
		first, last := line.Tokens[0], line.Tokens[len(line.Tokens)-1]
		rng.Start = hcl.Pos{Line: line.Num, Column: first.Col, Byte: first.Byte}
		rng.End = hcl.Pos{Line: line.Num, Column: last.Col + utf8.RuneCountInString(last.Text), Byte: last.Byte + len(last.Text)}
	}
	l.diags = append(l.diags, rule.Tag(&hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Subject: &rng}, id))
}

func (l *linter) line(line *Line) {
	toks := line.Tokens
	line.Option = toks[0].Text
	if l.immutable != nil && !l.reported {
		l.reported = true
		l.add(ImmutableLast, hcl.DiagError, l.immutable, nil, "-e 2 is not the last rule",
			fmt.Sprintf("The kernel locks the audit configuration at -e 2, so the rules after it (from %s:%d on), and the ones the Tanium recorder inserts in front of the flag, are rejected. Move -e 2 to the end (a 99-finalize.rules file of its own).", line.File, line.Num))
	}
	if l.immutable != nil {
		l.add(AfterImmutable, hcl.DiagError, line, nil, "Rule after -e 2",
			fmt.Sprintf("The kernel locks the audit configuration at -e 2 (%s:%d); this rule and every later one would be rejected. Move -e 2 to the very end.", l.immutable.File, l.immutable.Num))
	}
	for i := range toks {
		if strings.IndexFunc(toks[i].Text, unicode.IsControl) >= 0 {
			l.add(Syntax, hcl.DiagError, line, &toks[i], fmt.Sprintf("Control character in %q", toks[i].Text),
				"auditctl reads rules as text lines: a NUL ends the line early and escape sequences end up in keys and paths. Remove the character.")
			return
		}
	}
	for i := range toks {
		if strings.ContainsAny(toks[i].Text, `'"`) {
			if l.opts.Site {
				// trgen writes site rules into its own files, which every
				// reader of rule files must read alike.
				l.add(Syntax, hcl.DiagError, line, &toks[i], fmt.Sprintf("Quote character in %q", toks[i].Text),
					"auditctl splits a rule at blanks and keeps quotes as part of the word, while other readers of rule files take them as quoting; trgen writes no quotes into the rules it hands over (trgen's practice). Remove the quote.")
				return
			}
			l.add(Quoted, hcl.DiagWarning, line, &toks[i], fmt.Sprintf("Quote character in %q", toks[i].Text),
				fmt.Sprintf("auditctl splits a rule at blanks and keeps quotes as part of the word, so the kernel gets %s with its quotes: `ausearch -k %s` finds nothing of this rule, and a path never matches. Remove the quotes.", toks[i].Text, strings.Trim(strings.TrimPrefix(toks[i].Text, "key="), `'"`)))
			break
		}
	}
	var opts []option
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		name, val, hasEq := t.Text, "", false
		if strings.HasPrefix(name, "--") {
			if n, v, ok := strings.Cut(name, "="); ok {
				name, val, hasEq = n, v, true
			}
		} else if len(name) > 2 && name[0] == '-' && withArg[name[:2]] {
			name = name[:2] // -k<key>, -F<field=value>: getopt takes attached values
		}
		switch {
		case withArg[name]:
			o := option{tok: Token{Text: name, Col: t.Col, Byte: t.Byte}}
			if hasEq {
				o.arg = &Token{Text: val, Col: t.Col + len(name) + 1, Byte: t.Byte + len(name) + 1}
			} else if len(t.Text) > 2 && !strings.HasPrefix(t.Text, "--") {
				o.arg = &Token{Text: t.Text[2:], Col: t.Col + 2, Byte: t.Byte + 2}
			} else if i+1 < len(toks) {
				i++
				o.arg = &toks[i]
			} else {
				l.add(Syntax, hcl.DiagError, line, &t, fmt.Sprintf("%s needs a value", name), "The option takes an argument; augenrules stops at this line, dropping every later rule.")
				return
			}
			opts = append(opts, o)
		case flags[name]:
			opts = append(opts, option{tok: t})
		case strings.HasPrefix(name, "-"):
			l.add(Syntax, hcl.DiagError, line, &t, fmt.Sprintf("Unknown option %s", name),
				"auditctl does not know this option in a rules file; augenrules would stop here and drop every later rule (including -e 2).")
			return
		default:
			l.add(Syntax, hcl.DiagError, line, &t, fmt.Sprintf("Unexpected word %q", t.Text), "Every word of a rule is an option or an option's value.")
			return
		}
	}
	first := opts[0].tok.Text
	switch first {
	case "-w", "-W":
		line.Kind = "watch"
		l.watch(line, opts[0].arg, opts)
	case "-a", "-A", "-d":
		line.Kind = "syscall"
		l.syscall(line, opts)
	default:
		line.Kind = "control"
		if first == "-D" && len(opts) == 2 && opts[1].tok.Text == "-k" {
			// -D -k key deletes the rules with that key (auditctl(8)).
			line.Value = opts[1].arg.Text
			break
		}
		for _, o := range opts {
			l.control(line, o.tok, o.arg)
		}
	}
	if l.opts.Site && line.Kind == "control" {
		l.add(SiteControl, hcl.DiagError, line, &opts[0].tok, fmt.Sprintf("%s in site rules", first),
			"trgen writes the control options (-D, -b, -f, -e, --backlog_wait_time and the like) in its own 10- and 99- files, from auditd.failure_mode and auditd.immutable; site_rules may only hold watches and syscall rules.")
	}
	if line.Kind == "control" && (first == "-c" || first == "-i") {
		l.carryOn = line
	}
	if line.Kind != "control" && (first == "-a" || first == "-A" || first == "-w") {
		l.duplicate(line)
	}
	l.first = false
}

// duplicate reports a rule the kernel already has from an earlier line:
// the same rule written differently (-S a,b and -S b -S a, -p wa and
// -p aw, -k x and -F key=x) is the same kernel rule. The kernel refuses
// it, and auditctl -R stops there unless -c or -i is in effect.
func (l *linter) duplicate(line *Line) {
	text := line.Text()
	key := "text:" + text
	if !strings.ContainsAny(text, `'"`) {
		if form, ok := kernelForm(unescapeRule(line)); ok {
			key = "kernel:" + form
		}
	}
	prev, dup := l.seen[key]
	if !dup {
		l.seen[key] = *line
		return
	}
	same := "The same rule"
	if prev.Text() != text {
		same = "The same kernel rule, written differently,"
	}
	if l.carryOn != nil {
		l.add(Duplicate, hcl.DiagWarning, line, nil, "Duplicate rule", fmt.Sprintf("%s is at %s:%d; the kernel refuses this copy (\"Rule exists\"), and with %s in effect (%s:%d) auditctl reports it and goes on. Remove the copy.", same, prev.File, prev.Num, l.carryOn.Tokens[0].Text, l.carryOn.File, l.carryOn.Num))
		return
	}
	l.add(Duplicate, hcl.DiagError, line, nil, "Duplicate rule", fmt.Sprintf("%s is at %s:%d; the kernel refuses this copy (\"Rule exists\"), and with neither -c nor -i in effect auditctl -R stops here: augenrules --load loads no later rule. Remove the copy.", same, prev.File, prev.Num))
}

// unescapeRule is the rule's text as go-libaudit's parser reads what
// auditctl reads: an attached value is a word of its own (-kx, -Fauid=0),
// -F key=x is -k x (auditctl handles both the same way, on watches too),
// and a backslash is doubled for its shell quoting.
func unescapeRule(line *Line) string {
	var words []string
	for _, t := range line.Tokens {
		w := strings.ReplaceAll(t.Text, "\\\\", "\\\\\\\\")
		if len(w) > 2 && w[0] == '-' && w[1] != '-' && withArg[w[:2]] {
			words = append(words, w[:2], w[2:])
			continue
		}
		words = append(words, w)
	}
	for i := 0; i+1 < len(words); i++ {
		if words[i] == "-F" && strings.HasPrefix(words[i+1], "key=") {
			words[i], words[i+1] = "-k", strings.TrimPrefix(words[i+1], "key=")
		}
	}
	return strings.Join(words, " ")
}

func (l *linter) control(line *Line, t Token, arg *Token) {
	switch t.Text {
	case "-D":
		if !l.first {
			l.add(DeleteFirst, hcl.DiagError, line, &t, "-D after other rules", "-D deletes every rule loaded before it, including the ones above in this set; put it first.")
		}
	case "-e":
		line.Value = arg.Text
		if arg.Text != "0" && arg.Text != "1" && arg.Text != "2" {
			l.add(Syntax, hcl.DiagError, line, arg, fmt.Sprintf("Invalid -e %s", arg.Text), "-e takes 0 (disable), 1 (enable) or 2 (enable and lock).")
			return
		}
		if l.enabled != nil {
			l.add(EnableDuplicate, hcl.DiagWarning, line, &t, "-e given twice", fmt.Sprintf("-e was already set at %s:%d; keep one, at the end.", l.enabled.File, l.enabled.Num))
		}
		l.enabled = line
		if arg.Text == "2" {
			l.immutable, l.reported = line, false
		}
	case "-f":
		line.Value = arg.Text
		switch arg.Text {
		case "0", "1":
		case "2":
			detail := "With -f 2 the kernel panics when an audit message is lost, and the Tanium recorder does not add audit rules when it detects this setting. Use -f 1."
			if l.overrides != "" {
				detail += " It overrides " + l.overrides + ": augenrules keeps only the last -f of rules.d."
			}
			if src := l.opts.FailurePanic; src != nil {
				detail += fmt.Sprintf(" Source: %s: %q", src, src.Quote)
			}
			l.add(FailurePanic, hcl.DiagError, line, arg, "Failure mode 2: the recorder adds no audit rules", detail)
		default:
			l.add(Syntax, hcl.DiagError, line, arg, fmt.Sprintf("Invalid -f %s", arg.Text), "-f takes 0 (silent), 1 (printk) or 2 (panic).")
		}
	case "-b", "-r", "--backlog_wait_time":
		line.Value = arg.Text
		if n, err := strconv.Atoi(arg.Text); err != nil || n < 0 {
			l.add(Syntax, hcl.DiagError, line, arg, fmt.Sprintf("Invalid %s %s", t.Text, arg.Text), t.Text+" takes a whole number.")
		}
	case "-q", "-Q":
		if !strings.Contains(arg.Text, ",") {
			l.add(Syntax, hcl.DiagError, line, arg, fmt.Sprintf("Invalid %s %s", t.Text, arg.Text), t.Text+" takes mount-point,subtree.")
		}
	case "-i", "-c", "--loginuid-immutable", "--reset-lost", "-t":
	default:
		l.add(Syntax, hcl.DiagError, line, &t, fmt.Sprintf("%s cannot be combined here", t.Text), "Control options stand on their own line; -S, -F, -k and -p belong to -a and -w rules.")
	}
}

// maxKeyLen is the kernel's AUDIT_MAX_KEY_LEN: every key of a rule
// together, joined by auditctl with a separator byte, may be this long.
const maxKeyLen = 256

// keys checks the total length of a rule's keys (-k, -F key=).
func (l *linter) keys(line *Line, opts []option) {
	total, n := 0, 0
	var last *Token
	for _, o := range opts {
		k, ok := "", false
		switch {
		case o.tok.Text == "-k":
			k, ok = o.arg.Text, true
		case o.tok.Text == "-F" && strings.HasPrefix(o.arg.Text, "key="):
			k, ok = strings.TrimPrefix(o.arg.Text, "key="), true
		}
		if ok {
			total += len(k)
			n++
			last = o.arg
		}
	}
	if n > 1 {
		total += n - 1
	}
	if total > maxKeyLen {
		l.add(Syntax, hcl.DiagError, line, last, fmt.Sprintf("Key of %d bytes", total),
			fmt.Sprintf("The kernel takes keys of at most %d bytes in all (AUDIT_MAX_KEY_LEN); auditctl refuses the rule. Shorten the key.", maxKeyLen))
	}
}

func (l *linter) watch(line *Line, path *Token, opts []option) {
	l.keys(line, opts)
	if !strings.HasPrefix(path.Text, "/") {
		l.add(Syntax, hcl.DiagError, line, path, fmt.Sprintf("Watch path %q is not absolute", path.Text), "-w takes an absolute path.")
	}
	l.pathLength(line, path, unescape(path.Text))
	for _, o := range opts[1:] {
		switch o.tok.Text {
		case "-p":
			if strings.Trim(o.arg.Text, "rwxa") != "" || o.arg.Text == "" {
				l.add(Syntax, hcl.DiagError, line, o.arg, fmt.Sprintf("Invalid permissions %q", o.arg.Text), "-p takes any of r, w, x and a.")
			}
		case "-k":
			if o.arg.Text == "" {
				l.add(Syntax, hcl.DiagError, line, o.arg, "Empty key", "-k takes a key.")
			}
		case "-F":
			// auditctl accepts -F key= on watches; other fields are not for watches.
			if !strings.HasPrefix(o.arg.Text, "key=") {
				l.add(Syntax, hcl.DiagError, line, o.arg, "Fields are not allowed on a watch", "A watch takes -p and -k only; use a syscall rule with -F path= or dir= for more.")
			}
		default:
			l.add(Syntax, hcl.DiagError, line, &o.tok, fmt.Sprintf("%s is not allowed on a watch", o.tok.Text), "A watch takes -p and -k only.")
		}
	}
	if opts[0].tok.Text == "-w" {
		l.protected(line, path, unescape(path.Text), true)
	}
}

// maxFields and pathMax are the kernel's AUDIT_MAX_FIELDS and the
// PATH_MAX auditctl checks paths against.
const (
	maxFields = 64
	pathMax   = 4096
)

// pathLength reports a path auditctl refuses for its length.
func (l *linter) pathLength(line *Line, t *Token, p string) {
	if len(p) >= pathMax {
		l.add(Syntax, hcl.DiagError, line, t, fmt.Sprintf("Path of %d bytes", len(p)),
			fmt.Sprintf("auditctl refuses paths of PATH_MAX (%d) bytes or more. Shorten the path.", pathMax))
	}
}

// protected reports a watch (or path/dir rule) on the recorder's own files.
func (l *linter) protected(line *Line, tok *Token, p string, dirMatch bool) {
	p = strings.TrimSuffix(p, "/")
	for _, prot := range l.opts.Protected {
		if p == prot || (dirMatch && strings.HasPrefix(prot, p+"/")) {
			l.add(RecorderWatch, hcl.DiagError, line, tok, fmt.Sprintf("Rule watches the recorder's own %s", prot),
				"The Tanium recorder writes its database and audit pipe continuously, and a rule on them would audit each of those writes (trgen's practice). Watch specific files instead, outside extensions/recorder.")
			return
		}
	}
}

func (l *linter) syscall(line *Line, opts []option) {
	l.keys(line, opts)
	al := opts[0].arg
	parts := strings.Split(al.Text, ",")
	actions := map[string]bool{"always": true, "never": true}
	lists := map[string]bool{"task": true, "exit": true, "user": true, "exclude": true, "filesystem": true, "io_uring": true}
	if len(parts) != 2 || !((actions[parts[0]] && lists[parts[1]]) || (lists[parts[0]] && actions[parts[1]])) {
		l.add(Syntax, hcl.DiagError, line, al, fmt.Sprintf("Invalid action and list %q", al.Text), "-a takes action,list: always or never, and task, exit, user, exclude, filesystem or io_uring (entry is gone).")
	}
	arch := ""
	var syscalls []*Token
	nFields := 0
	for _, o := range opts[1:] {
		if o.tok.Text == "-F" || o.tok.Text == "-C" || o.tok.Text == "-k" {
			nFields++
		}
	}
	if nFields > maxFields {
		l.add(Syntax, hcl.DiagError, line, &opts[0].tok, fmt.Sprintf("%d fields in one rule", nFields),
			fmt.Sprintf("The kernel takes at most %d fields per rule (AUDIT_MAX_FIELDS; each -F, -C and -k is one); auditctl refuses the rule. Split it.", maxFields))
	}
	for _, o := range opts[1:] {
		switch o.tok.Text {
		case "-S":
			syscalls = append(syscalls, o.arg)
		case "-F":
			if strings.HasPrefix(o.arg.Text, "arch=") && len(syscalls) > 0 {
				l.add(Syntax, hcl.DiagError, line, o.arg, "-F arch= after -S",
					"libaudit reads -S by the arch in effect when it comes, so it refuses an arch given after it (EAU_ARCHMISPLACED: \"must be before -S\"); auditctl refuses the rule. Move -F arch= before the first -S.")
				return
			}
			if f := l.field(line, o.arg); f != "" {
				arch = f
			}
		case "-p":
			// On a syscall rule auditctl turns -p into a perm field
			// (audit_setup_perms), as with -F perm=.
			if strings.Trim(o.arg.Text, "rwxa") != "" || o.arg.Text == "" {
				l.add(Syntax, hcl.DiagError, line, o.arg, fmt.Sprintf("Invalid permissions %q", o.arg.Text), "-p takes any of r, w, x and a.")
			}
		case "-C":
			l.compare(line, o.arg)
		case "-k":
			if o.arg.Text == "" {
				l.add(Syntax, hcl.DiagError, line, o.arg, "Empty key", "-k takes a key.")
			}
		default:
			l.add(Syntax, hcl.DiagError, line, &o.tok, fmt.Sprintf("%s is not allowed in a syscall rule", o.tok.Text), "A syscall rule takes -S, -F, -C, -p and -k.")
		}
	}
	if len(syscalls) == 0 {
		return
	}
	table, known := archTable[arch]
	named := false
	for _, s := range syscalls {
		for _, name := range strings.Split(s.Text, ",") {
			named = named || name != "all"
		}
	}
	// With -S all every syscall bit is set, so the arch does not matter.
	if arch == "" && named {
		l.add(ArchMissing, hcl.DiagWarning, line, &opts[0].tok, "Syscall rule without -F arch=",
			"Syscall numbers differ between architectures; without -F arch=b64 or b32 the rule matches the machine's native table only, and 32-bit calls go unaudited. Add -F arch=b64 (and a b32 twin).")
	}
	if arch == "" {
		table, known = "x86_64", true
	}
	if !known || table == "" {
		return // an arch whose table trgen does not ship: names unchecked
	}
	names := syscallTables()[l.table][table]
	for _, s := range syscalls {
		off := 0
		for _, name := range strings.Split(s.Text, ",") {
			if name != "all" && !names[name] {
				tok := Token{Text: name, Col: s.Col + off, Byte: s.Byte + off}
				if later := firstLineKnowing(l.table, table, name); later != "" {
					l.add(SyscallUnknown, hcl.DiagError, line, &tok, fmt.Sprintf("No syscall %q in auditd %s on %s", name, l.table, table),
						fmt.Sprintf("auditd %s's %s syscall table has no %q, so its auditctl rejects the rule and augenrules stops there; auditd %s and later know it. Keep the rule for hosts with auditd %s or later (give their version: auditd { version } or --auditd-version), or leave the syscall out.", l.table, table, name, later, later))
				} else {
					l.add(SyscallUnknown, hcl.DiagError, line, &tok, fmt.Sprintf("No syscall %q on %s", name, table),
						fmt.Sprintf("The %s syscall table of auditd %s (ausyscall %s --dump) has no %q; auditctl rejects the rule and augenrules stops there.", table, l.table, table, name))
				}
			}
			off += len(name) + 1
		}
	}
}

// field checks one -F field op value and returns the arch value if it is one.
func (l *linter) field(line *Line, t *Token) string {
	for _, op := range operators {
		i := strings.Index(t.Text, op)
		if i <= 0 {
			continue
		}
		name, val := t.Text[:i], t.Text[i+len(op):]
		// A longer operator may start at the same place ("!=" vs "=").
		if j := strings.IndexAny(name, "!<>=&"); j >= 0 {
			continue
		}
		isString, known := fields[name]
		ftok := Token{Text: name, Col: t.Col, Byte: t.Byte}
		if !known {
			l.add(FieldUnknown, hcl.DiagError, line, &ftok, fmt.Sprintf("Unknown field %q", name),
				"auditctl knows no such -F field."+suggestField(name))
			return ""
		}
		optok := Token{Text: op, Col: t.Col + len(name), Byte: t.Byte + len(name)}
		if isString && op != "=" && op != "!=" {
			l.add(OperatorInvalid, hcl.DiagError, line, &optok, fmt.Sprintf("Operator %s on %s", op, name), name+" is compared as a string: only = and != apply.")
		}
		if val == "" {
			l.add(Syntax, hcl.DiagError, line, t, fmt.Sprintf("%s has no value", name), "Write field=value.")
		}
		if val != "" {
			l.value(line, t, &optok, name, op, val)
		}
		switch name {
		case "arch":
			if _, ok := archTable[strings.ToLower(val)]; !ok {
				l.add(Syntax, hcl.DiagError, line, t, fmt.Sprintf("Unknown arch %q", val), "arch is b64, b32, a machine name libaudit knows (x86_64, i386, aarch64, armv7l, ppc64le, s390x, ...) or its ELF number.")
				return ""
			}
			return strings.ToLower(val)
		case "perm":
			if strings.Trim(val, "rwxa") != "" {
				l.add(Syntax, hcl.DiagError, line, t, fmt.Sprintf("Invalid perm %q", val), "perm takes any of r, w, x and a.")
			}
		case "path", "dir":
			l.pathLength(line, t, val)
			l.protected(line, t, val, name == "dir")
		}
		return ""
	}
	l.add(OperatorInvalid, hcl.DiagError, line, t, fmt.Sprintf("No operator in %q", t.Text), "-F takes field op value with op one of =, !=, <, >, <=, >=, &, &=.")
	return ""
}

// Value kinds of the numeric -F fields, as libaudit's
// audit_rule_fieldpair_data reads them: user and group ids take a number,
// "unset" or a name it looks up; the others a number (strtoul, base 0);
// exit also an errno name, msgtype a message type name.
var (
	userFields    = map[string]bool{"uid": true, "euid": true, "suid": true, "fsuid": true, "auid": true, "loginuid": true, "obj_uid": true}
	groupFields   = map[string]bool{"gid": true, "egid": true, "sgid": true, "fsgid": true, "obj_gid": true}
	numberValue   = regexp.MustCompile(`^-?(0[xX][0-9a-fA-F]+|[0-9]+)$`)
	accountName   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*\$?$`)
	errnoValue    = regexp.MustCompile(`^-?(E[A-Z0-9]+|[0-9]+)$`)
	msgTypeValue  = regexp.MustCompile(`^([0-9]+|[A-Z][A-Z0-9_]*)$`)
	operatorStart = "=<>!&"
)

// value checks the value of a numeric -F field: a value auditctl cannot
// read (uid=>1000 is field uid, operator =, value ">1000") makes it
// refuse the rule.
func (l *linter) value(line *Line, t, optok *Token, name, op, val string) {
	if isString, _ := fields[name]; isString || name == "arch" || name == "perm" {
		return
	}
	ok, kind := true, "a number"
	switch {
	case userFields[name]:
		ok, kind = numberValue.MatchString(val) || val == "unset" || accountName.MatchString(val), `a user id, "unset" or a user name`
	case groupFields[name]:
		ok, kind = numberValue.MatchString(val) || val == "unset" || accountName.MatchString(val), `a group id, "unset" or a group name`
	case name == "exit":
		ok, kind = errnoValue.MatchString(val), "a number or an errno name such as -EPERM"
	case name == "msgtype":
		ok, kind = msgTypeValue.MatchString(val), "a message type number or name"
	default:
		ok = numberValue.MatchString(val)
	}
	if ok {
		return
	}
	if strings.ContainsRune(operatorStart, rune(val[0])) {
		l.add(OperatorInvalid, hcl.DiagError, line, optok, fmt.Sprintf("Operator %s%c on %s", op, val[0], name),
			fmt.Sprintf("auditctl reads %q as %s %s %q: %q is not %s, so it refuses the rule. The operators are =, !=, <, >, <=, >=, & and &=; write for example %s>=%s.", t.Text, name, op, val, val, kind, name, strings.TrimLeft(val, operatorStart)))
		return
	}
	l.add(Syntax, hcl.DiagError, line, t, fmt.Sprintf("%s takes %s", name, kind),
		fmt.Sprintf("%q is not %s; auditctl refuses the rule.", val, kind))
}

func (l *linter) compare(line *Line, t *Token) {
	for _, op := range []string{"!=", "="} {
		if a, b, ok := strings.Cut(t.Text, op); ok {
			for _, f := range []string{a, b} {
				if _, known := fields[f]; !known {
					l.add(FieldUnknown, hcl.DiagError, line, t, fmt.Sprintf("Unknown field %q", f), "-C compares two fields auditctl knows."+suggestField(f))
				}
			}
			return
		}
	}
	l.add(OperatorInvalid, hcl.DiagError, line, t, fmt.Sprintf("No operator in %q", t.Text), "-C takes field=field or field!=field.")
}
