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
	"time"

	"github.com/trgen/trgen/internal/hostfw"
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

// Mode is the file mode of an output: scripts are executable, and so are
// the host firewall files package hostfw marks executable.
func Mode(p string) fs.FileMode {
	switch path.Ext(p) {
	case ".ps1", ".sh":
		return 0o755
	}
	if _, f, ok := hostfw.FileOf(p); ok && f.Executable {
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

// Options say how Begin may treat what is already on disk.
type Options struct {
	// Force replaces a previous folder that holds files trgen did not
	// write (or that were edited since), deleting them; Summary.Forced
	// lists them. It never replaces a folder holding Inputs.
	Force bool
	// Inputs are the run's input files: a target folder that holds one
	// of them is never replaced.
	Inputs []string
	// LockTimeout bounds the wait for another run writing the same
	// folder; negative waits as long as it takes.
	LockTimeout time.Duration
	// Waiting, when set, is called once if another run holds the lock,
	// with a description of that run.
	Waiting func(holder string)
}

// Summary is what a committed run changed, counted against the
// previous output's manifest (MANIFEST.json itself is not counted).
type Summary struct {
	Target                  string
	Files                   int // files written, MANIFEST.json included
	Added, Changed, Removed int
	Forced                  []string // entries not trgen's that Force deleted
	Restored                string   // a previous output recovered from an interrupted swap
}

// LockedError is another run holding the output folder's lock past the
// timeout.
type LockedError struct {
	Path    string
	Holder  string
	Timeout time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("the output folder is locked by %s (%s); gave up after %v", e.Holder, e.Path, e.Timeout)
}

// CleanupError is a committed run whose previous output could not be
// deleted: the new output is in place, the old copy remains at Old (the
// next run deletes it).
type CleanupError struct {
	Old string
	Err error
}

func (e *CleanupError) Error() string {
	return fmt.Sprintf("the new output is in place, but the previous copy could not be removed and remains at %s: %v", e.Old, e.Err)
}

func (e *CleanupError) Unwrap() error { return e.Err }

// SwapError is a swap that failed half-way: the previous output was
// moved aside to Old and could not be put back. The next run restores it.
type SwapError struct {
	Target, Old string
	Err         error
}

func (e *SwapError) Error() string {
	return fmt.Sprintf("%v; %s is absent and the previous output is at %s (the next trgen generate puts it back)", e.Err, e.Target, e.Old)
}

func (e *SwapError) Unwrap() error { return e.Err }

// Target returns DIR/<deployment>, refusing a symlinked DIR or target.
// DIR is cleaned first, so "lnk/" and "lnk/." are the link lnk.
func Target(dir, deployment string) (string, error) {
	if err := checkRel(deployment); err != nil || deployment == "." || strings.Contains(deployment, "/") {
		return "", fmt.Errorf("refusing deployment folder name %q", deployment)
	}
	dir = filepath.Clean(dir)
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

// Write replaces DIR/<deployment> with exactly files, under opt. It
// creates DIR if needed. On any error before the swap the previous
// folder is left as it was and nothing of the new one remains.
func (w *Writer) Write(dir, deployment string, files map[string][]byte, opt Options) (Summary, error) {
	p, err := w.Begin(dir, deployment, opt)
	if err != nil {
		return Summary{}, err
	}
	defer p.Abort()
	paths := make([]string, 0, len(files))
	for path := range files {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if err := p.Add(path, files[path]); err != nil {
			return Summary{}, err
		}
	}
	return p.Commit()
}

// Pending is an output folder being written: its files go into a
// temporary directory beside DIR/<deployment>, which Commit swaps into
// place and Abort deletes. Add may be called from several goroutines at
// once; Commit and Abort wait for the Adds in progress. A Pending holds
// the output folder's lock until Commit or Abort.
type Pending struct {
	w       *Writer
	target  string
	tmp     string
	tree    *tree
	lock    *lock
	prev    previous
	summary Summary
	madeDir string // DIR, when Begin created it

	// state is held shared by Add while it writes, exclusively by Commit
	// and Abort, so the directory is never closed under a write.
	state   sync.RWMutex
	ended   bool
	mu      sync.Mutex // entries
	entries []manifestFile
	adds    atomic.Int64 // for failAfter
}

// Begin starts replacing DIR/<deployment>, creating DIR if needed. It
// takes the folder's lock, finishes what a run killed during its swap
// left (restoring the previous output if only the moved-aside copy
// remains), refuses a previous folder that is not trgen's own output
// unless opt.Force, and deletes the staging folders of dead runs.
func (w *Writer) Begin(dir, deployment string, opt Options) (_ *Pending, err error) {
	target, err := Target(dir, deployment)
	if err != nil {
		return nil, err
	}
	dir = filepath.Dir(target)
	p := &Pending{w: w, target: target, summary: Summary{Target: target}}
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		p.madeDir = dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if p.lock, err = acquireLock(filepath.Join(dir, "."+deployment+".lock"), opt.LockTimeout, opt.Waiting); err != nil {
		p.removeMadeDir()
		return nil, err
	}
	defer func() {
		if err != nil {
			p.lock.release()
			p.removeMadeDir()
		}
	}()
	if p.summary.Restored, err = recoverSwap(dir, deployment, target); err != nil {
		return nil, err
	}
	if inside := inputsInside(target, opt.Inputs); len(inside) > 0 {
		return nil, &NotOwnedError{Target: target, Inputs: inside}
	}
	if p.prev, err = inspect(target); err != nil {
		return nil, err
	}
	if !p.prev.owned() {
		if !opt.Force {
			return nil, &NotOwnedError{Target: target, NoManifest: p.prev.noManifest, Unlisted: p.prev.unlisted, Edited: p.prev.edited}
		}
		p.summary.Forced = append(append([]string{}, p.prev.unlisted...), p.prev.edited...)
		sort.Strings(p.summary.Forced)
	}
	removeStale(dir, deployment)
	if p.tmp, err = os.MkdirTemp(dir, "."+deployment+".new-"); err != nil {
		return nil, err
	}
	if err = os.Chmod(p.tmp, 0o755); err == nil {
		p.tree, err = openTree(p.tmp)
	}
	if err != nil {
		os.RemoveAll(p.tmp)
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
	e := entry(path, data)
	// A file the previous output holds as written, with the same content,
	// is linked into the new folder instead of written again: the common
	// run replaces an output with one that differs in a few files.
	id, reusable := p.prev.reuse[path]
	if !reusable || p.prev.files[path] != e.SHA256 || !p.tree.link(p.target, path, id) {
		if err := p.tree.create(path, data, Mode(path)); err != nil {
			return err
		}
	}
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

// Commit puts the new folder in place of the old one in one step, then
// deletes the old one and releases the lock. An error other than
// *CleanupError means the previous output is as it was (or, with
// *SwapError, moved aside where the next run restores it from).
func (p *Pending) Commit() (Summary, error) {
	p.state.Lock()
	defer p.state.Unlock()
	if p.ended {
		return Summary{}, errors.New("emit: Commit after Commit or Abort")
	}
	p.ended = true
	defer p.lock.release()
	err := p.tree.close()
	var old string
	if err == nil {
		old, err = swap(p.tmp, p.target)
	}
	if err != nil {
		var se *SwapError
		if !errors.As(err, &se) {
			os.RemoveAll(p.tmp)
			p.removeMadeDir()
		}
		return Summary{}, err
	}
	s := p.summarize()
	if old != "" {
		if err := removeAll(old); err != nil {
			return s, &CleanupError{Old: old, Err: err}
		}
	}
	return s, nil
}

// summarize counts the committed files against the previous manifest.
func (p *Pending) summarize() Summary {
	s := p.summary
	s.Files = len(p.entries)
	seen := map[string]bool{}
	for _, e := range p.entries {
		if e.Path == ManifestName {
			continue
		}
		seen[e.Path] = true
		switch old, ok := p.prev.files[e.Path]; {
		case !ok:
			s.Added++
		case old != e.SHA256:
			s.Changed++
		}
	}
	for path := range p.prev.files {
		if !seen[path] {
			s.Removed++
		}
	}
	return s
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
	p.lock.release()
	p.removeMadeDir()
}

// removeMadeDir deletes DIR if Begin created it and it is still empty, so
// that a failed first run leaves nothing behind.
func (p *Pending) removeMadeDir() {
	if p.madeDir != "" {
		os.Remove(p.madeDir)
	}
}

// removeAll deletes a folder; tests replace it to inject failures.
var removeAll = os.RemoveAll

// staging lists the folders runs leave beside DIR/<deployment>: their
// staging folders (.<deployment>.new-*) and, from a swap by two renames,
// the previous output moved aside (.<deployment>.new-*.old).
func staging(dir, deployment string) (news, olds []string) {
	entries, _ := os.ReadDir(dir)
	prefix := "." + deployment + ".new-"
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if strings.HasSuffix(e.Name(), ".old") {
			olds = append(olds, filepath.Join(dir, e.Name()))
		} else {
			news = append(news, filepath.Join(dir, e.Name()))
		}
	}
	return news, olds
}

// recoverSwap finishes a swap by two renames that a killed run left
// half-done. If DIR/<deployment> is absent and the previous output was
// moved aside, it is put back (and returned); the new copy is left for
// removeStale. Called with the lock held, so no live run owns them.
func recoverSwap(dir, deployment, target string) (string, error) {
	_, olds := staging(dir, deployment)
	if len(olds) == 0 {
		return "", nil
	}
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		return "", nil // the swap completed; removeStale deletes the old copy
	}
	// One moved-aside copy at most exists under the lock; take the newest.
	newest, newestTime := "", time.Time{}
	for _, o := range olds {
		if info, err := os.Lstat(o); err == nil && (newest == "" || info.ModTime().After(newestTime)) {
			newest, newestTime = o, info.ModTime()
		}
	}
	if err := os.Rename(newest, target); err != nil {
		return "", fmt.Errorf("restoring the previous output from %s, left there by an interrupted run: %w", newest, err)
	}
	return newest, nil
}

// removeStale deletes what dead runs left beside the target: staging
// folders, and moved-aside copies once the target is in place. Called
// with the lock held, after recoverSwap.
func removeStale(dir, deployment string) {
	news, olds := staging(dir, deployment)
	if _, err := os.Lstat(filepath.Join(dir, deployment)); err != nil {
		olds = nil // never delete what may be the only complete copy
	}
	for _, p := range append(news, olds...) {
		os.RemoveAll(p)
	}
}

// Diff is how an output folder differs from what would be written.
type Diff struct {
	Missing, Extra, Changed []string
	// Foreign are entries that are not regular files (symbolic links,
	// pipes, devices), with what each is: never trgen's, never read.
	Foreign map[string]string
	// Old holds the content on disk of each changed file.
	Old map[string][]byte
}

// Empty reports whether the folder is current.
func (d Diff) Empty() bool {
	return len(d.Missing)+len(d.Extra)+len(d.Changed)+len(d.Foreign) == 0
}

// maxCompareBytes bounds a file read back for comparison: a committed
// output file larger than this is not one trgen wrote.
const maxCompareBytes = 64 << 20

// Compare reports how DIR/<deployment> differs from files. It reads only
// regular files, never following a link: an entry that is a symbolic
// link, a pipe or a device is reported in Foreign, its target unread.
func Compare(dir, deployment string, files map[string][]byte) (Diff, error) {
	d := Diff{Foreign: map[string]string{}, Old: map[string][]byte{}}
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
		rel = filepath.ToSlash(rel)
		if !e.Type().IsRegular() {
			d.Foreign[rel] = kindOf(e.Type())
			return nil
		}
		have[rel] = true
		return nil
	})
	if err != nil {
		return d, err
	}
	for p, want := range files {
		if _, foreign := d.Foreign[p]; foreign {
			continue
		}
		if !have[p] {
			d.Missing = append(d.Missing, p)
			continue
		}
		got, err := readLimited(filepath.Join(target, filepath.FromSlash(p)), maxCompareBytes)
		if err != nil {
			return d, err
		}
		if !bytes.Equal(got, want) {
			d.Changed = append(d.Changed, p)
			d.Old[p] = got
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

// kindOf names a file type that is not a regular file, for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
