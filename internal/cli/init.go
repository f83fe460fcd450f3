package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/trgen/trgen/examples"
	"github.com/trgen/trgen/internal/starter"
)

func runInit(e *env, args []string) int {
	fset := newFlagSet(e, "init", "init [DIR] [--example small|enterprise]")
	example := fset.String("example", "", "copy a bundled example instead of the starter: "+strings.Join(examples.Names, " or "))
	pos, err := parseInterspersed(fset, args)
	if err != nil {
		return usageError(e, err)
	}
	if len(pos) > 1 {
		return usageError(e, fmt.Errorf("init takes at most one directory"))
	}
	dir := "."
	if len(pos) == 1 {
		dir = pos[0]
	}
	var src fs.FS
	switch {
	case *example == "":
		src, _ = fs.Sub(starter.FS, "files")
	case slices.Contains(examples.Names, *example):
		src, _ = fs.Sub(examples.FS, *example)
	default:
		return usageError(e, fmt.Errorf("unknown example %q: %s", *example, strings.Join(examples.Names, " or ")))
	}
	files := map[string][]byte{}
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		files[p] = data
		return err
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "trgen: %v\n", err)
		return ExitUsage
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if link, kind := linkOnPath(dir, p); link != "" {
			fmt.Fprintf(e.stderr, "trgen: refusing to write %s: %s is %s, and init writes only into real folders; nothing was written. Choose an empty directory: trgen init DIR\n", safeText(filepath.Join(dir, p)), safeText(link), kind)
			return ExitInvalid
		}
	}
	var existing []string
	for _, p := range names {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
			existing = append(existing, p)
		}
	}
	if len(existing) > 0 {
		fmt.Fprintf(e.stderr, "trgen: refusing to overwrite %s in %s; nothing was written. Choose an empty directory: trgen init DIR\n", strings.Join(existing, ", "), dir)
		return ExitInvalid
	}
	var written []string
	undo := func() {
		for _, p := range slices.Backward(written) {
			os.Remove(p)
		}
	}
	for _, p := range names {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			undo()
			fmt.Fprintf(e.stderr, "trgen: %v; nothing was written\n", err)
			return ExitUsage
		}
		err := writeNew(full, files[p])
		if err != nil {
			undo()
			if errors.Is(err, fs.ErrExist) {
				fmt.Fprintf(e.stderr, "trgen: refusing to overwrite %s, which appeared while writing; nothing was written\n", full)
				return ExitInvalid
			}
			fmt.Fprintf(e.stderr, "trgen: %v; nothing was written\n", err)
			return ExitUsage
		}
		written = append(written, full)
	}
	what := "a starter deployment"
	if *example != "" {
		what = "the " + *example + " example"
	}
	fmt.Fprintf(e.stdout, "Wrote %s to %s: %s.\nNext: trgen validate %s, then trgen generate %s -o out\n", what, dir, strings.Join(names, ", "), dir, dir)
	return ExitOK
}

// linkOnPath returns the first of dir and the folders between it and
// the file rel that exists and is not a real folder (a symbolic link),
// with what it is, or "".
func linkOnPath(dir, rel string) (string, string) {
	p := dir
	parts := strings.Split(path.Dir(rel), "/")
	if parts[0] == "." {
		parts = nil
	}
	for i := -1; i < len(parts); i++ {
		if i >= 0 {
			p = filepath.Join(p, parts[i])
		}
		info, err := os.Lstat(p)
		if err != nil {
			return "", "" // what does not exist yet, init creates as a folder
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return p, "a symbolic link"
		}
		if !info.IsDir() {
			return p, "not a folder"
		}
	}
	return "", ""
}

// writeNew creates file with data, failing if it exists.
func writeNew(file string, data []byte) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(file)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(file)
		return err
	}
	return nil
}
