package emit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/trgen/trgen/internal/diag"
)

// previous is what DIR/<deployment> held before a run replaces it.
type previous struct {
	// files maps each path MANIFEST.json lists, and that is on disk, to
	// its sha256 ("" when edited since).
	files map[string]string
	// unlisted are entries MANIFEST.json does not list (a trailing "/"
	// marks an empty directory); edited are listed files whose content
	// is no longer what trgen wrote.
	unlisted, edited []string
	noManifest       bool
	// reuse holds the listed files, as written, that the new output may
	// link instead of writing again when its content is the same: each
	// has one link, belongs to this process's user and has the mode
	// Mode gives its path. Where linking is not done (outside Linux) it
	// is empty.
	reuse map[string]fileID
}

// fileInfo is what openRegular finds out about a file.
type fileInfo struct {
	size int64
	perm fs.FileMode
	id   fileID
	// linkable: the file has no other link and this process's user owns
	// it, so a new link to it shares it with nothing and no one else.
	linkable bool
}

// owned reports whether every entry of the folder is trgen's own, as
// written.
func (p previous) owned() bool { return len(p.unlisted)+len(p.edited) == 0 }

// NotOwnedError is an existing DIR/<deployment> that is not exactly
// trgen's previous output: replacing it would lose files trgen did not
// write. Inputs, when set, are the run's own input files inside it.
type NotOwnedError struct {
	Target     string
	NoManifest bool
	Unlisted   []string
	Edited     []string
	Inputs     []string
}

func (e *NotOwnedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "refusing to replace %s: ", e.Target)
	if len(e.Inputs) > 0 {
		fmt.Fprintf(&b, "it holds this run's own input (%s). Choose an output folder outside the deployment's files (-o); --force does not override this", nameList(e.Inputs))
		return b.String()
	}
	var parts []string
	if e.NoManifest {
		parts = append(parts, fmt.Sprintf("it is not a trgen output folder (no readable %s) and holds %s", ManifestName, nameList(e.Unlisted)))
	} else if len(e.Unlisted) > 0 {
		parts = append(parts, fmt.Sprintf("it holds files its %s does not list: %s", ManifestName, nameList(e.Unlisted)))
	}
	if len(e.Edited) > 0 {
		parts = append(parts, fmt.Sprintf("files changed since trgen wrote them: %s", nameList(e.Edited)))
	}
	b.WriteString(strings.Join(parts, "; "))
	b.WriteString(". Move them elsewhere, choose another output folder (-o), or use --force to replace the folder and delete them")
	return b.String()
}

// nameList is names joined for a message, at most ten of them; a name
// with a control or bidi character is quoted, escapes visible, so that it
// reaches a terminal as text.
func nameList(names []string) string {
	const max = 10
	shown := make([]string, 0, min(len(names), max))
	for _, n := range names[:min(len(names), max)] {
		if strings.IndexFunc(n, diag.Unsafe) >= 0 {
			n = strconv.QuoteToGraphic(n)
		}
		shown = append(shown, n)
	}
	if len(names) <= max {
		return strings.Join(shown, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(shown, ", "), len(names)-max)
}

// inspect reads DIR/<deployment> as it is before a run: which entries
// are trgen's, per its MANIFEST.json, and which are not. A missing
// folder is an empty previous output.
func inspect(target string) (previous, error) {
	prev := previous{files: map[string]string{}, reuse: map[string]fileID{}}
	info, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return prev, nil
	}
	if err != nil {
		return prev, err
	}
	if !info.IsDir() {
		return prev, fmt.Errorf("%s exists and is not a directory", target)
	}
	listed := map[string]manifestFile{}
	data, err := readLimited(filepath.Join(target, ManifestName), 64<<20)
	var m manifest
	if err == nil {
		err = json.Unmarshal(data, &m)
	}
	if err != nil {
		prev.noManifest = true
	} else {
		for _, f := range m.Files {
			listed[f.Path] = f
		}
	}
	// The walk lists the entries; the listed regular files' contents are
	// then compared on every core (a large output has thousands).
	var check []candidate
	children := map[string]int{} // directory → entries in it
	err = filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(target, p)
		rel = filepath.ToSlash(rel)
		if rel != "." {
			children[path.Dir(rel)]++
		}
		if d.IsDir() {
			children[rel] += 0 // seen, perhaps empty
			return nil
		}
		if rel == ManifestName && !prev.noManifest {
			return nil
		}
		want, ok := listed[rel]
		if !ok {
			prev.unlisted = append(prev.unlisted, rel)
			return nil
		}
		if !d.Type().IsRegular() {
			prev.edited = append(prev.edited, rel)
			prev.files[rel] = "" // counted as changed once replaced
			return nil
		}
		check = append(check, candidate{rel, p, want})
		return nil
	})
	for d, n := range children {
		if n == 0 && d != "." {
			prev.unlisted = append(prev.unlisted, d+"/")
		}
	}
	same, infos := sameContents(check)
	for i, c := range check {
		if same[i] {
			prev.files[c.rel] = c.want.SHA256
			if info := infos[i]; info.linkable && info.perm == Mode(c.rel) && info.id != (fileID{}) {
				prev.reuse[c.rel] = info.id
			}
		} else {
			prev.edited = append(prev.edited, c.rel)
			prev.files[c.rel] = "" // counted as changed once replaced
		}
	}
	sort.Strings(prev.unlisted)
	sort.Strings(prev.edited)
	return prev, err
}

// candidate is a listed regular file of the previous output, to compare
// with its manifest entry.
type candidate struct {
	rel, path string
	want      manifestFile
}

// sameContents runs sameContent on every file of list, on every core,
// and returns the verdicts, and what each file is, in list's order.
func sameContents(list []candidate) ([]bool, []fileInfo) {
	same := make([]bool, len(list))
	infos := make([]fileInfo, len(list))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(list)) {
		wg.Go(func() {
			var buf []byte // reused: one read buffer per worker
			for i := int(next.Add(1) - 1); i < len(list); i = int(next.Add(1) - 1) {
				same[i], infos[i], buf = sameContent(list[i].path, list[i].want, buf)
			}
		})
	}
	wg.Wait()
	return same, infos
}

// sameContent reports whether the regular file at p has the size and
// sha256 its manifest entry records, and what the file is. It reads the
// file through buf (in as few reads as buf allows, and none past the size
// the file has), and returns buf for the next file.
func sameContent(p string, want manifestFile, buf []byte) (bool, fileInfo, []byte) {
	f, info, regular, err := openRegular(p)
	if err != nil || !regular {
		return false, info, buf
	}
	defer f.Close()
	if info.size != int64(want.Bytes) {
		return false, info, buf
	}
	if buf == nil {
		buf = make([]byte, 1<<20)
	}
	h := sha256.New()
	for left := want.Bytes; left > 0; {
		n := min(left, len(buf))
		if _, err := io.ReadFull(f, buf[:n]); err != nil {
			return false, info, buf
		}
		h.Write(buf[:n])
		left -= n
	}
	return hex.EncodeToString(h.Sum(nil)) == want.SHA256, info, buf
}

// readLimited reads a regular file of at most max bytes, never following
// a symbolic link or opening a pipe or device: what it checks is what it
// reads.
func readLimited(p string, max int64) ([]byte, error) {
	f, info, regular, err := openRegular(p)
	if err != nil {
		return nil, err
	}
	if !regular {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	defer f.Close()
	if info.size > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", p, max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		err = fmt.Errorf("%s is larger than %d bytes", p, max)
	}
	return data, err
}

// inputsInside returns the inputs (absolute or relative paths) that lie
// inside target, as paths relative to it.
func inputsInside(target string, inputs []string) []string {
	t, err := filepath.Abs(target)
	if err != nil {
		return nil
	}
	if r, err := filepath.EvalSymlinks(t); err == nil {
		t = r
	}
	var inside []string
	for _, in := range inputs {
		a, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if r, err := filepath.EvalSymlinks(a); err == nil {
			a = r
		}
		rel, err := filepath.Rel(t, a)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			inside = append(inside, filepath.ToSlash(rel))
		}
	}
	sort.Strings(inside)
	return inside
}

// Output is a previous output folder read back for comparison: the files
// its MANIFEST.json lists, as they are on disk, and what is not trgen's.
type Output struct {
	// Meta is what MANIFEST.json records of the run that wrote it.
	Meta Meta
	// Files are the listed files present on disk, edited or not.
	Files map[string][]byte
	// Listed maps every file MANIFEST.json lists to the sha256 (hex)
	// it records, what trgen wrote there.
	Listed map[string]string
	// NoManifest: there is no readable MANIFEST.json; not a trgen output.
	NoManifest bool
	// Unlisted are entries MANIFEST.json does not list; Edited are listed
	// files whose content is no longer what trgen wrote; Missing are
	// listed files that are gone.
	Unlisted, Edited, Missing []string
}

// Intact reports whether the folder is exactly what trgen wrote.
func (o *Output) Intact() bool {
	return !o.NoManifest && len(o.Unlisted)+len(o.Edited)+len(o.Missing) == 0
}

// MaxReadBytes bounds what ReadOutput reads of a previous output's
// files, all together: a folder given with --from is input.
const MaxReadBytes = 256 << 20

// ReadOutput reads the output folder target (DIR/<deployment>) for
// comparison; it writes nothing. A missing folder is an error. Of the
// listed files it reads those want takes (all, with want nil), never
// following a link, at most MaxReadBytes together.
func ReadOutput(target string, want func(path string) bool) (*Output, error) {
	info, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", target)
	}
	prev, err := inspect(target)
	if err != nil {
		return nil, err
	}
	out := &Output{Files: map[string][]byte{}, Listed: map[string]string{}, NoManifest: prev.noManifest, Unlisted: prev.unlisted, Edited: prev.edited}
	if prev.noManifest {
		return out, nil
	}
	data, err := readLimited(filepath.Join(target, ManifestName), 64<<20)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	out.Meta = m.Meta
	left := int64(MaxReadBytes)
	for _, f := range m.Files {
		out.Listed[f.Path] = f.SHA256
		if _, ok := prev.files[f.Path]; !ok {
			out.Missing = append(out.Missing, f.Path)
			continue
		}
		if want != nil && !want(f.Path) {
			continue
		}
		p := filepath.Join(target, filepath.FromSlash(f.Path))
		if info, err := os.Lstat(p); err == nil && info.Size() > left {
			return nil, fmt.Errorf("its files to compare hold more than %d bytes together, more than trgen ever writes: it is not an output trgen wrote", int64(MaxReadBytes))
		}
		data, err := readLimited(p, left)
		if err != nil {
			return nil, err
		}
		left -= int64(len(data))
		out.Files[f.Path] = data
	}
	sort.Strings(out.Missing)
	return out, nil
}
