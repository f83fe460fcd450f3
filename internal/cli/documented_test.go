package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kballard/go-shellquote"
)

// documentedLine is one trgen command line found in a document.
type documentedLine struct {
	where string // file:line
	text  string // from "trgen" on
	// block: from a fenced code block, a command line to run; inline code
	// and usage texts often name a command in prose, so only their flags
	// are checked.
	block bool
}

var (
	fence      = regexp.MustCompile("^\\s*```")
	inlineCode = regexp.MustCompile("`(trgen [^`]+)`")
	// placeholder marks a synopsis rather than a command line to run:
	// [optional], <value>, a|b alternatives, … or an upper-case word.
	placeholder = regexp.MustCompile(`[\[\]<>|…]|(^|\s)[A-Z][A-Z_=%]+(\s|$)`)
)

// documentedLines finds the command lines of a Markdown document: lines of
// fenced code blocks that run trgen (after a "$ " prompt or environment
// assignments), and inline code spans that start with "trgen ".
func documentedLines(name string, data []byte) []documentedLine {
	var out []documentedLine
	inFence := false
	for i, line := range strings.Split(string(data), "\n") {
		where := name + ":" + strconv.Itoa(i+1)
		if fence.MatchString(line) {
			inFence = !inFence
			continue
		}
		if inFence {
			l := strings.TrimPrefix(strings.TrimSpace(line), "$ ")
			if i := strings.Index(l, "trgen "); i >= 0 && (i == 0 || strings.HasSuffix(strings.TrimSpace(l[:i]), "=") || envPrefix(l[:i])) {
				out = append(out, documentedLine{where, l[i:], true})
			}
			continue
		}
		for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
			out = append(out, documentedLine{where, m[1], false})
		}
	}
	return out
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// envPrefix reports whether s is only NAME=VALUE assignments.
func envPrefix(s string) bool {
	words, err := shellquote.Split(s)
	if err != nil {
		return false
	}
	for _, w := range words {
		if k, _, ok := strings.Cut(w, "="); !ok || !envName.MatchString(k) {
			return false
		}
	}
	return len(words) > 0
}

// TestDocumentedCommands checks every trgen command line the documents
// show (README.md, docs/*.md), the man page and every command's usage
// text: each flag a line names is a flag of its command, and each line
// without placeholders runs, in a folder holding a copy of examples/,
// without a usage error (an unknown flag or format, a wrong argument
// count). Lines are read from the documents themselves, so an example
// written tomorrow is tested the day it is written.
func TestDocumentedCommands(t *testing.T) {
	cmds := describeCommands()
	flags := map[string]map[string]bool{}
	var lines []documentedLine
	for _, c := range cmds {
		key := c.name
		if c.name == "audit" {
			key = "audit lint"
		}
		flags[key] = map[string]bool{"h": true, "help": true}
		for _, f := range c.flags {
			flags[key][f.Name] = true
		}
		lines = append(lines, documentedLine{"usage of " + c.name, c.synopsis, false})
	}
	docs, _ := filepath.Glob("../../docs/*.md")
	docs = append(docs, "../../README.md", "../../CHANGELOG.md", "../../CONTRIBUTING.md")
	for _, d := range docs {
		data, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, documentedLines(filepath.Base(d), data)...)
	}
	var man bytes.Buffer
	if code := Main([]string{"man"}, nil, &man, &bytes.Buffer{}); code != ExitOK {
		t.Fatal("trgen man failed")
	}
	for i, l := range strings.Split(strings.ReplaceAll(man.String(), `\-`, "-"), "\n") {
		l = strings.TrimPrefix(strings.TrimSpace(regexp.MustCompile(`\\f[BIRP]`).ReplaceAllString(l, "")), ".B ")
		if strings.HasPrefix(l, "trgen ") {
			lines = append(lines, documentedLine{"man page:" + strconv.Itoa(i+1), l, false})
		}
	}

	dir := t.TempDir()
	// The folder holds the examples, and the small one at its top, as a
	// reader's deployment folder would.
	copyTree(t, "../../examples", filepath.Join(dir, "examples"))
	copyTree(t, "../../examples/small", dir)
	t.Chdir(dir)
	ran, checked := 0, 0
	for _, l := range lines {
		text := l.text
		for _, sep := range []string{" | ", " && ", " || ", "; ", " # ", " > ", " 2>"} {
			if i := strings.Index(text, sep); i >= 0 {
				text = text[:i]
			}
		}
		words, err := shellquote.Split(text)
		if err != nil || len(words) < 2 || words[0] != "trgen" {
			continue // prose that mentions trgen, not a command line
		}
		cmd := words[1]
		if cmd == "audit" && len(words) > 2 {
			cmd = "audit lint"
		}
		known, ok := flags[cmd]
		if !ok {
			if _, isCmd := commands[cmd]; !isCmd && !strings.HasPrefix(cmd, "-") {
				t.Errorf("%s: %q: trgen has no command %q", l.where, l.text, cmd)
			}
			continue
		}
		checked++
		for _, name := range unknownFlags(words[2:], known) {
			t.Errorf("%s: %q: trgen %s has no flag -%s", l.where, l.text, cmd, name)
		}
		if !l.block || placeholder.MatchString(strings.Join(words[2:], " ")) {
			continue // prose or a synopsis: its flags are checked above
		}
		var stdout, stderr bytes.Buffer
		code := Main(words[1:], strings.NewReader(""), &stdout, &stderr)
		ran++
		msg := stderr.String()
		if code == ExitUsage && !strings.Contains(msg, "no such file") && !strings.Contains(msg, "does not exist") && !strings.Contains(msg, "not a directory") {
			t.Errorf("%s: %q: exit %d, a usage error:\n%s", l.where, l.text, code, msg)
		}
	}
	if ran < 5 || checked < 30 {
		t.Fatalf("only %d documented command lines checked and %d run: the extraction is broken", checked, ran)
	}
	t.Logf("%d documented command lines checked, %d run", checked, ran)
}

// unknownFlags returns the flags among words that known lacks.
func unknownFlags(words []string, known map[string]bool) []string {
	var out []string
	for _, w := range words {
		if !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		name = strings.Trim(name, "[]")
		if name != "" && !known[name] && !strings.ContainsAny(name[:1], "0123456789") {
			out = append(out, name)
		}
	}
	return out
}

// TestDocumentedCommandsCanFail: the extraction finds fenced and inline
// command lines, and a misspelt flag is reported.
func TestDocumentedCommandsCanFail(t *testing.T) {
	doc := "Run\n\n```sh\n$ TRGEN_VAR_x=1 trgen validate --strcit .\n```\n\nor `trgen explain --lst`.\n"
	lines := documentedLines("doc.md", []byte(doc))
	if len(lines) != 2 || !lines[0].block || lines[1].block || lines[0].text != "trgen validate --strcit ." {
		t.Fatalf("extracted %+v", lines)
	}
	known := map[string]bool{"strict": true, "list": true}
	if got := unknownFlags([]string{"--strcit", "."}, known); len(got) != 1 || got[0] != "strcit" {
		t.Errorf("unknownFlags = %v", got)
	}
	if got := unknownFlags([]string{"--lst"}, known); len(got) != 1 {
		t.Errorf("unknownFlags = %v", got)
	}
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
