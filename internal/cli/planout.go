package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// planOpenings are how each plan format trgen writes begins: --out
// replaces only a file that opens one of these ways. A mention of "trgen
// plan" elsewhere (a deployment's comment, a CI workflow) proves nothing.
var planOpenings = []struct{ opening, within string }{
	{"trgen plan: deployment ", ""},
	{"{\n  \"generated_by\": \"trgen plan\",\n", ""},
	{"# Incremental firewall change request: ", "written by trgen plan "},
}

// isPlan reports whether head, the start of a file, is the start of a plan.
func isPlan(head []byte) bool {
	for _, o := range planOpenings {
		if bytes.HasPrefix(head, []byte(o.opening)) && bytes.Contains(head, []byte(o.within)) {
			return true
		}
	}
	return false
}

// checkPlanOut refuses an --out that plan must not replace: a run's input,
// anything inside --from, anything that is not a regular file, a file
// with other hard links, or a regular file that is not a plan trgen
// wrote. A file that does not exist yet is fine.
func checkPlanOut(file string, inputs []string, from string) error {
	abs, err := resolvedParent(file)
	if err != nil {
		return fmt.Errorf("--out %s: %v", safeText(file), err)
	}
	if within(resolvedOr(from), abs) {
		return fmt.Errorf("refusing to write %s: it is inside --from %s, which plan reads and never writes; choose an --out file elsewhere", safeText(file), safeText(from))
	}
	info, err := os.Lstat(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil && (os.SameFile(st, info) || st.IsDir() && within(resolvedOr(in), abs)) {
			return fmt.Errorf("refusing to replace %s: it is read by this run (%s); choose another --out file", safeText(file), safeText(in))
		}
	}
	return openPlan(file, info)
}

// openPlan checks that file, whose Lstat is info, is a regular file with
// one link that opens as a plan.
func openPlan(file string, info os.FileInfo) error {
	switch {
	case info.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("refusing to replace %s: it is a symbolic link, and --out replaces only a regular file, never through a link; choose another --out file", safeText(file))
	case !info.Mode().IsRegular():
		return fmt.Errorf("refusing to write %s: it is not a regular file; choose another --out file", safeText(file))
	case links(info) > 1:
		return fmt.Errorf("refusing to replace %s: it has %d hard links, and replacing it would split them; choose another --out file", safeText(file), links(info))
	}
	f, err := os.OpenFile(file, os.O_RDONLY|openNoFollow, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !os.SameFile(st, info) {
		return fmt.Errorf("refusing to replace %s: it changed while trgen looked at it", safeText(file))
	}
	buf := make([]byte, 1024)
	n, _ := io.ReadFull(f, buf)
	if !isPlan(buf[:n]) {
		return fmt.Errorf("refusing to replace %s: it is not a plan trgen wrote; choose another --out file", safeText(file))
	}
	return nil
}

// resolvedParent is file's absolute path with its folder's symbolic links
// resolved (the file itself is not followed).
func resolvedParent(file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

func resolvedOr(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		if a, err := filepath.Abs(r); err == nil {
			return a
		}
	}
	return p
}

// within reports whether p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
