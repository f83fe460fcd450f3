// Package emit writes a rendered output folder, DIR/<deployment>/,
// atomically: every file goes into a temporary directory beside the target,
// which then replaces the target in one step, so a failure at any point
// leaves the previous output exactly as it was. It also adds MANIFEST.json
// and compares a folder with what would be written (--check). It knows bytes
// and paths, nothing about their contents.
package emit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ManifestName is the manifest's file name in every output folder.
const ManifestName = "MANIFEST.json"

// Meta is what the manifest records besides the files.
type Meta struct {
	TrgenVersion   string `json:"trgen_version"`
	CatalogVersion string `json:"catalog_version"`
	Deployment     string `json:"deployment"`
}

type manifest struct {
	Meta
	Files []manifestFile `json:"files"`
}

type manifestFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// WithManifest returns files plus MANIFEST.json listing every one of them
// with its sha256, sorted by path.
func WithManifest(files map[string][]byte, meta Meta) (map[string][]byte, error) {
	m := manifest{Meta: meta, Files: []manifestFile{}}
	out := make(map[string][]byte, len(files)+1)
	for p, data := range files {
		if err := checkRel(p); err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		m.Files = append(m.Files, manifestFile{Path: p, SHA256: hex.EncodeToString(sum[:]), Bytes: len(data)})
		out[p] = data
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	out[ManifestName] = append(data, '\n')
	return out, nil
}

// checkRel refuses output paths that are absolute, climb out with "..", or
// are not clean: nothing may be written outside the output folder.
func checkRel(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
		return fmt.Errorf("refusing output path %q", p)
	}
	return nil
}

// Mode is the file mode of an output: scripts are executable.
func Mode(p string) fs.FileMode {
	switch path.Ext(p) {
	case ".ps1", ".sh", ".nft":
		return 0o755
	}
	return 0o644
}

// Writer writes output folders. The zero value is ready to use.
type Writer struct {
	// failAfter, when positive, makes the write fail after that many files
	// (tests inject failures with it).
	failAfter int
}

// Target returns DIR/<deployment>, refusing a symlinked DIR or target.
func Target(dir, deployment string) (string, error) {
	if err := checkRel(deployment); err != nil || strings.Contains(deployment, "/") {
		return "", fmt.Errorf("refusing deployment folder name %q", deployment)
	}
	if info, err := os.Lstat(dir); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return "", fmt.Errorf("%s is a symbolic link; refusing to write through it", dir)
	}
	target := filepath.Join(dir, deployment)
	if info, err := os.Lstat(target); err == nil {
		if info.Mode()&os.ModeSymlink != 0 {
			return "", fmt.Errorf("%s is a symbolic link; refusing to write through it", target)
		}
		if !info.IsDir() {
			return "", fmt.Errorf("%s exists and is not a directory", target)
		}
	}
	return target, nil
}

// Write replaces DIR/<deployment> with exactly files. It creates DIR if
// needed. On any error the previous folder is left as it was and nothing
// of the new one remains.
func (w *Writer) Write(dir, deployment string, files map[string][]byte) (err error) {
	target, err := Target(dir, deployment)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStale(dir, deployment)
	tmp, err := os.MkdirTemp(dir, "."+deployment+".new-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for i, p := range paths {
		if w.failAfter > 0 && i == w.failAfter {
			return errors.New("injected failure")
		}
		if err := checkRel(p); err != nil {
			return err
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		// O_EXCL: never follow or overwrite anything already there.
		f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode(p))
		if err != nil {
			return err
		}
		_, werr := f.Write(files[p])
		if werr == nil {
			werr = f.Chmod(Mode(p)) // not subject to the umask
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
	}
	return swap(tmp, target)
}

// removeStale deletes what a killed run left beside the target: its
// temporary folder, or a folder moved aside during a swap. (Two runs must
// not write the same DIR at once.)
func removeStale(dir, deployment string) {
	stale, _ := filepath.Glob(filepath.Join(dir, "."+deployment+".new-*"))
	for _, p := range stale {
		if info, err := os.Lstat(p); err == nil && info.IsDir() {
			os.RemoveAll(p)
		}
	}
}

// Diff is how an output folder differs from what would be written.
type Diff struct {
	Missing, Extra, Changed []string
}

// Empty reports whether the folder is current.
func (d Diff) Empty() bool { return len(d.Missing)+len(d.Extra)+len(d.Changed) == 0 }

// Compare reports how DIR/<deployment> differs from files.
func Compare(dir, deployment string, files map[string][]byte) (Diff, error) {
	var d Diff
	target, err := Target(dir, deployment)
	if err != nil {
		return d, err
	}
	have := map[string]bool{}
	err = filepath.WalkDir(target, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == target {
				return filepath.SkipDir
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(target, p)
		have[filepath.ToSlash(rel)] = true
		return nil
	})
	if err != nil {
		return d, err
	}
	for p, want := range files {
		if !have[p] {
			d.Missing = append(d.Missing, p)
			continue
		}
		got, err := os.ReadFile(filepath.Join(target, filepath.FromSlash(p)))
		if err != nil {
			return d, err
		}
		if !bytes.Equal(got, want) {
			d.Changed = append(d.Changed, p)
		}
	}
	for p := range have {
		if _, ok := files[p]; !ok {
			d.Extra = append(d.Extra, p)
		}
	}
	sort.Strings(d.Missing)
	sort.Strings(d.Extra)
	sort.Strings(d.Changed)
	return d, nil
}
