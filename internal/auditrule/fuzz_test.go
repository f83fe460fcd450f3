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

// FuzzMerge lints two files as augenrules merges them. The property: no
// panic; every diagnostic points into the file it names, within its
// length; the merged file has a line per merged line after its header;
// every line of the input that is neither empty nor a comment for mawk
// is in the merged file or is a dropped -D, -b, -f or -e; and linting is
// deterministic.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("-D\n-b 8192\n-f 1\n"), []byte("-w /etc/passwd -p wa -k identity\n-e 2\n"))
	f.Add([]byte(" -e 2\n-D -k x\n-b 1"), []byte("-f 2\n#c\n-a always,exit -F arch=b64 -S open -k o\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := []File{{Name: "10-a.rules", Data: a}, {Name: "20-b.rules", Data: b}}
		r := LintSet(files, Options{Merge: true})
		size := map[string][]byte{"10-a.rules": a, "20-b.rules": b}
		for _, d := range r.Diags {
			s := d.Subject
			data, ok := size[s.Filename]
			if !ok || s.Start.Line < 1 || s.Start.Line > bytes.Count(data, []byte("\n"))+1 || s.End.Byte > len(data) {
				t.Fatalf("diagnostic %q at %v, outside its file", d.Summary, s)
			}
		}
		m := *r.Merged
		if got := strings.Count(m.Text(), "\n"); got != len(m.Lines)+1 {
			t.Fatalf("merged text has %d lines for %d merged lines", got, len(m.Lines))
		}
		kept := 0
		for _, l := range m.Lines {
			if l.File != "" {
				kept++
			}
		}
		for _, c := range m.Controls {
			kept += len(c.Dropped)
		}
		if len(a) > 0 && a[len(a)-1] != '\n' && len(b) > 0 && b[0] != '\n' {
			kept++ // a's last line and b's first are one line
		}
		want := 0
		for _, data := range [][]byte{a, b} {
			for _, line := range strings.Split(string(data), "\n") {
				if line != "" && placeOf(line, false) != "#" {
					want++
				}
			}
		}
		if kept != want && !bytes.Contains(a, []byte("#")) && !bytes.Contains(b, []byte("#")) {
			t.Fatalf("%d input lines, %d merged or dropped", want, kept)
		}
		again := LintSet(files, Options{Merge: true})
		if r.Diags.Error() != again.Diags.Error() || m.Text() != again.Merged.Text() {
			t.Fatal("two merges differ")
		}
	})
}
