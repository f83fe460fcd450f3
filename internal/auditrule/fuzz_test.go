package auditrule

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// FuzzLint lints arbitrary files, as trgen's own and as site rules. The
// property: no panic; every diagnostic points at a line of the input
// within its length; a file without errors holds no control characters
// in its rules; and linting is deterministic.
func FuzzLint(f *testing.F) {
	for _, s := range []string{"-D\n-b 8192\n-f 1\n-w /etc/passwd -p wa -k identity\n-e 2\n",
		"-a always,exit -F arch=b64 -S execve -k exec\n-a exit,always -F arch=b32 -S 59\n",
		"-w /etc/shadow -p wa -k a\x1bb\n", "-a always,exit -F path=/x -F perm=x -F auid>=1000 -F auid!=-1\n",
		"-e 2\n-w /x\n", "-a never,task\n-D\n-e 1\n-e 1\n"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	samples, _ := filepath.Glob("../../examples/enterprise/rules/*.rules")
	for _, p := range samples {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, true)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, site bool) {
		opts := Options{Site: site, Protected: []string{"/opt/Tanium/TaniumClient/TDS"}}
		diags, lines := Lint([]File{{Name: "f.rules", Data: data}}, opts)
		nLines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range diags {
			s := d.Subject
			if s == nil || s.Filename != "f.rules" || s.Start.Line < 1 || s.Start.Line > nLines || s.Start.Byte > len(data) || s.End.Byte > len(data) {
				t.Fatalf("diagnostic %q at %v, outside the %d-line input", d.Summary, s, nLines)
			}
		}
		if !diags.HasErrors() {
			for _, l := range lines {
				for _, tk := range l.Tokens {
					if strings.IndexFunc(tk.Text, unicode.IsControl) >= 0 {
						t.Fatalf("line %d passed with a control character: %q", l.Num, tk.Text)
					}
				}
			}
		}
		again, _ := Lint([]File{{Name: "f.rules", Data: data}}, opts)
		if diags.Error() != again.Error() {
			t.Fatalf("two lints differ:\n%s\n%s", diags.Error(), again.Error())
		}
	})
}
