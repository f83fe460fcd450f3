package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trgen/trgen/internal/toolcheck"
)

// TestCompletionsAndMan: the completions and the man page name every
// command and every flag, and pass their own shells' and groff's checks.
func TestCompletionsAndMan(t *testing.T) {
	cmds := describeCommands()
	if len(cmds) != len(commands) {
		t.Fatalf("described %d of %d commands", len(cmds), len(commands))
	}
	flags := 0
	for _, c := range cmds {
		flags += len(c.flags)
	}
	if flags < 30 {
		t.Fatalf("only %d flags described", flags)
	}
	checks := map[string][]string{
		"bash": {"bash", "-n"},
		"zsh":  {"zsh", "-n"},
		"fish": {"fish", "--no-execute"},
		"man":  {"groff", "-man", "-Tutf8", "-ww", "-z"},
	}
	for what, check := range checks {
		t.Run(what, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := []string{"completion", what}
			if what == "man" {
				args = []string{"man"}
			}
			if code := Main(args, nil, &out, &errb); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			text := out.String()
			name := func(s string) string {
				if what == "man" {
					return roff(s)
				}
				return s
			}
			for _, c := range cmds {
				if !strings.Contains(text, name(c.name)) {
					t.Errorf("%s lacks command %s", what, c.name)
				}
				for _, f := range c.flags {
					if !flagListed(what, text, c.name, f.Name) {
						t.Errorf("%s lacks %s --%s", what, c.name, f.Name)
					}
				}
			}
			// The check can fail: a flag no command has, one letter long
			// as -o is, is not found.
			if flagListed(what, text, "generate", "q") {
				t.Errorf("%s: flagListed finds a flag no command has", what)
			}
			bin := toolcheck.Need(t, check[0])
			file := filepath.Join(t.TempDir(), "script")
			os.WriteFile(file, out.Bytes(), 0o644)
			res, err := exec.Command(bin, append(check[1:], file)...).CombinedOutput()
			if err != nil || (what == "man" && len(res) > 0) {
				t.Errorf("%s %v: %v\n%s", check[0], check[1:], err, res)
			}
		})
	}
}

// flagListed reports whether a completion script or the man page lists
// flag for command cmd, in the form each uses: a word of bash's compgen
// list, a zsh _arguments spec, a fish complete line for the subcommand,
// a man page .B line. A one-letter flag such as -o is found only there,
// not in any word holding its letter.
func flagListed(what, text, cmd, flag string) bool {
	var form string
	switch what {
	case "bash":
		form = `[' ]--` + regexp.QuoteMeta(flag) + `[' ]`
	case "zsh":
		form = `'--` + regexp.QuoteMeta(flag) + `\[`
	case "fish":
		form = `(?m)^complete .*__fish_seen_subcommand_from ` + regexp.QuoteMeta(cmd) + `' .*-l ` + regexp.QuoteMeta(flag) + ` `
	case "man":
		form = `(?m)^\.B ` + regexp.QuoteMeta(roff("--"+flag)) + `( |$)`
	}
	return regexp.MustCompile(form).MatchString(text)
}
