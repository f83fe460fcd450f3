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
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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
	entries := make([]manifestFile, 0, len(files))
	out := make(map[string][]byte, len(files)+1)
	for p, data := range files {
		if err := checkRel(p); err != nil {
			return nil, err
		}
		entries = append(entries, entry(p, data))
		out[p] = data
	}
	data, err := manifestJSON(entries, meta)
	if err != nil {
		return nil, err
	}
	out[ManifestName] = data
	return out, nil
}

func entry(p string, data []byte) manifestFile {
	sum := sha256.Sum256(data)
	return manifestFile{Path: p, SHA256: hex.EncodeToString(sum[:]), Bytes: len(data)}
}

// manifestJSON is MANIFEST.json for entries, which it sorts by path.
func manifestJSON(entries []manifestFile, meta Meta) ([]byte, error) {
	slices.SortFunc(entries, func(a, b manifestFile) int { return strings.Compare(a.Path, b.Path) })
	data, err := json.MarshalIndent(manifest{Meta: meta, Files: append([]manifestFile{}, entries...)}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
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
func (w *Writer) Write(dir, deployment string, files map[string][]byte) error {
	p, err := w.Begin(dir, deployment)
	if err != nil {
		return err
	}
	defer p.Abort()
	paths := make([]string, 0, len(files))
	for path := range files {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if err := p.Add(path, files[path]); err != nil {
			return err
		}
	}
	return p.Commit()
}

// Pending is an output folder being written: its files go into a
// temporary directory beside DIR/<deployment>, which Commit swaps into
// place and Abort deletes. Add may be called from several goroutines at
// once; Commit and Abort wait for the Adds in progress.
type Pending struct {
	w       *Writer
	target  string
	tmp     string
	tree    *tree
	madeDir string // DIR, when Begin created it

	// state is held shared by Add while it writes, exclusively by Commit
	// and Abort, so the directory is never closed under a write.
	state   sync.RWMutex
	ended   bool
	mu      sync.Mutex // entries
	entries []manifestFile
	adds    atomic.Int64 // for failAfter
}

// Begin starts replacing DIR/<deployment>, creating DIR if needed and
// deleting what an earlier, killed run left beside the target.
func (w *Writer) Begin(dir, deployment string) (*Pending, error) {
	target, err := Target(dir, deployment)
	if err != nil {
		return nil, err
	}
	p := &Pending{w: w, target: target}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		p.madeDir = dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	removeStale(dir, deployment)
	if p.tmp, err = os.MkdirTemp(dir, "."+deployment+".new-"); err != nil {
		p.removeMadeDir()
		return nil, err
	}
	if err = os.Chmod(p.tmp, 0o755); err == nil {
		p.tree, err = openTree(p.tmp)
	}
	if err != nil {
		os.RemoveAll(p.tmp)
		p.removeMadeDir()
		return nil, err
	}
	return p, nil
}

// Add writes one file of the new folder and records it for the manifest.
func (p *Pending) Add(path string, data []byte) error {
	if err := checkRel(path); err != nil {
		return err
	}
	p.state.RLock()
	defer p.state.RUnlock()
	if p.ended {
		return errors.New("emit: Add after Commit or Abort")
	}
	if p.w.failAfter > 0 && p.adds.Add(1) > int64(p.w.failAfter) {
		return errors.New("injected failure")
	}
	if err := p.tree.create(path, data, Mode(path)); err != nil {
		return err
	}
	e := entry(path, data)
	p.mu.Lock()
	p.entries = append(p.entries, e)
	p.mu.Unlock()
	return nil
}

// Manifest returns MANIFEST.json for the files added so far.
func (p *Pending) Manifest(meta Meta) ([]byte, error) {
	p.mu.Lock()
	entries := append([]manifestFile{}, p.entries...)
	p.mu.Unlock()
	return manifestJSON(entries, meta)
}

// Commit puts the new folder in place of the old one in one step.
func (p *Pending) Commit() error {
	p.state.Lock()
	defer p.state.Unlock()
	if p.ended {
		return errors.New("emit: Commit after Commit or Abort")
	}
	p.ended = true
	err := p.tree.close()
	if err == nil {
		err = swap(p.tmp, p.target)
	}
	if err != nil {
		os.RemoveAll(p.tmp)
		p.removeMadeDir()
	}
	return err
}

// Abort deletes the new folder unless it was committed; the previous one
// stays as it was. It may be called more than once.
func (p *Pending) Abort() {
	p.state.Lock()
	defer p.state.Unlock()
	if p.ended {
		return
	}
	p.ended = true
	p.tree.close()
	os.RemoveAll(p.tmp)
	p.removeMadeDir()
}

// removeMadeDir deletes DIR if Begin created it and it is still empty, so
// that a failed first run leaves nothing behind.
func (p *Pending) removeMadeDir() {
	if p.madeDir != "" {
		os.Remove(p.madeDir)
	}
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
