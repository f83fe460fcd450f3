package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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
					if !strings.Contains(text, name(f.Name)) {
						t.Errorf("%s lacks %s --%s", what, c.name, f.Name)
					}
				}
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
