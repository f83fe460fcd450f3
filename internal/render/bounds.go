package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Bounds on what a template (built in or from --templates) may make. A
// --templates folder is input: its files are read only if regular and at
// most maxTemplateBytes, and what they build is bounded, so that an
// override cannot exhaust memory.
const (
	// maxTemplateBytes is the largest template file read (the largest
	// built-in template is about 20 KB).
	maxTemplateBytes = 1 << 20
	// maxOutputBytes is the largest file a template may write.
	maxOutputBytes = 64 << 20
	// maxStringBytes is the longest string a template function may build.
	maxStringBytes = 16 << 20
)

// readOverride reads the template file p of the --templates folder dir:
// a regular file (a link is not followed) of at most maxTemplateBytes.
func readOverride(dir, p string) ([]byte, error) {
	full := filepath.Join(dir, filepath.FromSlash(p))
	info, err := os.Lstat(full)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("--templates: %s is not a regular file; a template override is a plain file", p)
	}
	f, err := os.OpenFile(full, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !os.SameFile(st, info) {
		return nil, fmt.Errorf("--templates: %s changed while trgen read it", p)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTemplateBytes+1))
	if err == nil && len(data) > maxTemplateBytes {
		err = fmt.Errorf("--templates: %s is larger than %d bytes", p, maxTemplateBytes)
	}
	return data, err
}

// checkOverrideEntry refuses what a --templates folder may not hold in
// place of a template: anything but a folder or a regular file.
func checkOverrideEntry(p string, d fs.DirEntry) error {
	if d.IsDir() || d.Type().IsRegular() {
		return nil
	}
	return fmt.Errorf("--templates: %s is not a regular file; a template override is a plain file", p)
}

// errTooLarge is a template's output over maxOutputBytes.
var errTooLarge = fmt.Errorf("the output is larger than %d bytes; no file trgen writes is that large", maxOutputBytes)

// limitedWriter fails a write that would take w past max bytes.
type limitedWriter struct {
	w   io.Writer
	n   int
	max int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n+len(p) > l.max {
		return 0, errTooLarge
	}
	l.n += len(p)
	return l.w.Write(p)
}

// tooLong is a string function's result over maxStringBytes.
func tooLong(fn string, n int64) error {
	return fmt.Errorf("%s would build %d bytes; a template function builds at most %d", fn, n, maxStringBytes)
}

// bounded replaces sprig's string builders with ones that check the size
// of their result before building it.
var bounded = map[string]any{
	"repeat": func(count int, s string) (string, error) {
		if count < 0 {
			return "", errors.New("repeat: negative count")
		}
		if n := int64(count) * int64(len(s)); n > maxStringBytes {
			return "", tooLong("repeat", n)
		}
		return strings.Repeat(s, count), nil
	},
	"replace": func(old, new, s string) (string, error) {
		k := int64(strings.Count(s, old))
		if n := int64(len(s)) + k*(int64(len(new))-int64(len(old))); n > maxStringBytes {
			return "", tooLong("replace", n)
		}
		return strings.ReplaceAll(s, old, new), nil
	},
	"indent": func(spaces int, s string) (string, error) { return indent("indent", spaces, s, "") },
	"nindent": func(spaces int, s string) (string, error) {
		return indent("nindent", spaces, s, "\n")
	},
}

func indent(fn string, spaces int, s, lead string) (string, error) {
	if spaces < 0 {
		return "", fmt.Errorf("%s: negative indent", fn)
	}
	lines := int64(strings.Count(s, "\n")) + 1
	if n := int64(len(s)) + lines*int64(spaces) + int64(len(lead)); n > maxStringBytes {
		return "", tooLong(fn, n)
	}
	pad := strings.Repeat(" ", spaces)
	return lead + pad + strings.ReplaceAll(s, "\n", "\n"+pad), nil
}
