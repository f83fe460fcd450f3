// Package render executes trgen's text/template files over data computed by
// package plan. The function map is hermetic: an allow-list of sprig's pure
// functions plus quoting functions for each target language, nothing that
// reads the environment, the clock or randomness; templates run with
// missingkey=error. Templates come from the embedded templates package,
// each of which a --templates directory may override by relative path.
// Render returns bytes in memory; writing is package emit's job.
package render

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"github.com/trgen/trgen/templates"
)

// Output is one file to render: its path in the output folder, the template
// (by path in the templates tree) and the data.
type Output struct {
	Path     string
	Template string
	Data     any
	// Size, when known, is about how large the file will be: RenderHTML
	// starts its buffer there instead of growing it from nothing.
	Size int
}

// Error is a template failure, naming the output and template.
type Error struct {
	Output   string
	Template string
	Err      error
}

func (e *Error) Error() string {
	return fmt.Sprintf("rendering %s with template %s: %v", e.Output, e.Template, e.Err)
}

// Unwrap returns the template error.
func (e *Error) Unwrap() error { return e.Err }

// Engine holds the parsed templates.
type Engine struct {
	tmpl *template.Template
	// html holds the .html templates parsed by html/template, which
	// escapes every action for its context in the page.
	html map[string]*htmltemplate.Template
}

// allowed are the sprig functions templates may use: pure string, list and
// formatting helpers. Not sprig's "hermetic" map, which still has ago,
// randInt, shuffle, bcrypt and genPrivateKey. TestAllowedExist guards
// against sprig renaming one.
var allowed = []string{
	"default", "empty", "indent", "nindent", "join", "lower", "upper", "replace", "trim",
	"trimSuffix", "trimPrefix", "hasPrefix", "hasSuffix", "contains", "repeat", "sortAlpha",
	"uniq", "list", "first", "last", "add", "sub", "plural", "mustToPrettyJson", "mustToJson",
}

// FuncMap returns the functions templates can call.
func FuncMap() template.FuncMap {
	all := sprig.TxtFuncMap()
	m := template.FuncMap{}
	for _, name := range allowed {
		if f, ok := all[name]; ok {
			m[name] = f
		}
	}
	for name, f := range bounded {
		m[name] = f
	}
	for name, f := range quoting {
		m[name] = f
	}
	m["include"] = func(name string, _ any) (string, error) {
		return "", fmt.Errorf("include %q: only templates executed by Engine.Stream can include", name)
	}
	return m
}

// New parses every embedded template, replacing any that overrideDir (if
// not "") holds at the same relative path. An override file that matches no
// built-in template is an error, so a typo cannot be silently ignored.
func New(overrideDir string) (*Engine, error) {
	var names []string
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tmpl") {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var override fs.FS
	if overrideDir != "" {
		info, err := os.Stat(overrideDir)
		if err != nil {
			return nil, fmt.Errorf("--templates: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--templates: %s is not a directory", overrideDir)
		}
		override = os.DirFS(overrideDir)
		known := map[string]bool{}
		for _, n := range names {
			known[n] = true
		}
		err = fs.WalkDir(override, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				err = checkOverrideEntry(p, d)
			}
			if err == nil && !d.IsDir() && !known[p] {
				return fmt.Errorf("--templates: %s overrides no built-in template (they are: %s)", p, strings.Join(names, ", "))
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	root := template.New("").Option("missingkey=error").Funcs(FuncMap())
	pages := map[string]*htmltemplate.Template{}
	for _, n := range names {
		src, err := fs.ReadFile(templates.FS, n)
		if override != nil {
			if _, serr := fs.Stat(override, n); serr == nil {
				if src, err = readOverride(overrideDir, n); err != nil {
					return nil, err
				}
			}
		}
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(n, ".html.tmpl") {
			page, err := htmltemplate.New(n).Option("missingkey=error").Funcs(htmltemplate.FuncMap(FuncMap())).Parse(string(src))
			if err != nil {
				return nil, &Error{Template: n, Err: err}
			}
			pages[n] = page
			continue
		}
		if _, err := root.New(n).Parse(string(src)); err != nil {
			return nil, &Error{Template: n, Err: err}
		}
	}
	return &Engine{tmpl: root, html: pages}, nil
}

// RenderHTML executes an .html template with html/template: every value
// is escaped for its place in the page; only values of type
// htmltemplate.HTML go in as markup.
func (e *Engine) RenderHTML(out Output) ([]byte, error) {
	page, ok := e.html[out.Template]
	if !ok {
		return nil, &Error{Output: out.Path, Template: out.Template, Err: errors.New("no such HTML template")}
	}
	var b bytes.Buffer
	b.Grow(out.Size)
	if err := page.Execute(&limitedWriter{w: &b, max: maxOutputBytes}, out.Data); err != nil {
		return nil, &Error{Output: out.Path, Template: out.Template, Err: err}
	}
	return b.Bytes(), nil
}

// Render executes every output, concurrently on GOMAXPROCS goroutines, and
// returns the files by path. The first failure (in output order) is
// returned as *Error and no files.
func (e *Engine) Render(outputs []Output) (map[string][]byte, error) {
	return Collect(func(sink Sink) error { return e.Stream(outputs, sink) })
}

// Sink receives rendered files; it may be called from several goroutines
// at once. data is valid only until the call returns: Stream renders the
// next file into the same memory, so a sink that keeps data copies it
// (Collect does; writing it to a file does not need to).
type Sink func(path string, data []byte) error

// Collect runs stream with a sink that gathers the files by path, and
// returns them, or stream's error and no files.
func Collect(stream func(Sink) error) (map[string][]byte, error) {
	files := map[string][]byte{}
	var mu sync.Mutex
	err := stream(func(path string, data []byte) error {
		data = bytes.Clone(data)
		mu.Lock()
		files[path] = data
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// Stream executes every output on GOMAXPROCS goroutines, taking them in
// the order given, and hands each file to sink as soon as it is rendered.
// sink is called from those goroutines, so several calls may run at once.
// After a template fails, sink is called no more; Stream still renders
// the rest, so that the failure it returns (as *Error) is the first in
// output order whatever the timing. After sink fails, Stream stops and
// returns that error.
func (e *Engine) Stream(outputs []Output, sink Sink) error {
	seen := make(map[string]bool, len(outputs))
	for _, o := range outputs {
		if seen[o.Path] {
			return &Error{Output: o.Path, Template: o.Template, Err: errors.New("two outputs have the same path")}
		}
		seen[o.Path] = true
	}
	errs := make([]error, len(outputs))
	frags := &fragments{done: map[fragmentKey]fragment{}}
	var (
		next     atomic.Int64
		failed   atomic.Bool // a template failed: no more sink calls
		stop     atomic.Bool // sink failed: no more work
		sinkOnce sync.Once
		sinkErr  error
		wg       sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(outputs)) {
		wg.Go(func() {
			// This worker's own copy of the template set: text/template
			// takes a read lock on the set's function map for every
			// function call, and workers sharing one set contend for it.
			tmpl, err := e.tmpl.Clone()
			if err != nil {
				panic(err) // text/template's Clone returns no error
			}
			tmpl.Funcs(template.FuncMap{"include": frags.include(tmpl)})
			var b bytes.Buffer // this worker's: grown to its largest file, once
			for {
				i := int(next.Add(1) - 1)
				if i >= len(outputs) || stop.Load() {
					return
				}
				data, err := one(tmpl, outputs[i], &b)
				if err != nil {
					errs[i] = err
					failed.Store(true)
					continue
				}
				if failed.Load() {
					continue
				}
				if err := sink(outputs[i].Path, data); err != nil {
					sinkOnce.Do(func() { sinkErr = err })
					failed.Store(true)
					stop.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return sinkErr
}

func one(set *template.Template, o Output, b *bytes.Buffer) ([]byte, error) {
	t := set.Lookup(o.Template)
	if t == nil {
		return nil, &Error{Output: o.Path, Template: o.Template, Err: errors.New("no such template")}
	}
	b.Reset()
	if err := t.Execute(&limitedWriter{w: b, max: maxOutputBytes}, o.Data); err != nil {
		return nil, &Error{Output: o.Path, Template: o.Template, Err: err}
	}
	if bytes.Contains(b.Bytes(), []byte("<no value>")) {
		return nil, &Error{Output: o.Path, Template: o.Template, Err: errors.New("output contains <no value>")}
	}
	return b.Bytes(), nil // the worker's: valid until its next file (Sink)
}

// fragments are the texts templates included during one Stream, each
// rendered once per distinct data. Every template is a pure function of
// its data (the function map is hermetic) and the data of a Stream is
// read-only, so a template included again with the same data renders
// the same text: the exclusion lists a thousand endpoint groups share
// are rendered once per list, not once per group.
type fragments struct {
	mu   sync.Mutex
	done map[fragmentKey]fragment
}

// fragmentKey identifies a template's data by identity: the type, the
// address and, for a slice, the length. Two slices of one type with the
// same address and length are the same elements.
type fragmentKey struct {
	name string
	typ  reflect.Type
	ptr  uintptr
	n    int
}

type fragment struct {
	// data keeps the value alive for the Stream, so its address is not
	// reused by another value while it is a key.
	data any
	text string
}

// include returns the template function include for one worker's
// template set: {{ include "name" data }} executes the named template
// with data and returns its text. Data that is a non-nil pointer or a
// non-empty slice is rendered once per Stream; anything else, every time.
func (f *fragments) include(set *template.Template) func(string, any) (string, error) {
	depth := 0 // includes in progress on this worker (one goroutine)
	return func(name string, data any) (string, error) {
		t := set.Lookup(name)
		if t == nil {
			return "", fmt.Errorf("include: no template %q", name)
		}
		if depth >= maxIncludeDepth {
			return "", &includeDepthError{name}
		}
		depth++
		defer func() { depth-- }()
		key, keyed := identity(name, data)
		if keyed {
			f.mu.Lock()
			frag, ok := f.done[key]
			f.mu.Unlock()
			if ok {
				return frag.text, nil
			}
		}
		var b strings.Builder
		if err := t.Execute(&limitedWriter{w: &b, max: maxOutputBytes}, data); err != nil {
			if deep := (*includeDepthError)(nil); errors.As(err, &deep) {
				return "", deep // once, not wrapped by every include on the way
			}
			return "", err
		}
		if keyed {
			f.mu.Lock()
			f.done[key] = fragment{data: data, text: b.String()}
			f.mu.Unlock()
		}
		return b.String(), nil
	}
}

// maxIncludeDepth bounds includes within includes: each starts an
// execution of its own, outside text/template's own depth limit.
const maxIncludeDepth = 100

// includeDepthError is an include past maxIncludeDepth.
type includeDepthError struct{ name string }

func (e *includeDepthError) Error() string {
	return fmt.Sprintf("include %q: includes nested more than %d deep (does a template include itself?)", e.name, maxIncludeDepth)
}

// identity is the key of data included by template name, if data has an
// identity: a non-nil pointer or a non-empty slice.
func identity(name string, data any) (fragmentKey, bool) {
	v := reflect.ValueOf(data)
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return fragmentKey{name: name, typ: v.Type(), ptr: v.Pointer()}, true
		}
	case reflect.Slice:
		if v.Len() > 0 {
			return fragmentKey{name: name, typ: v.Type(), ptr: v.Pointer(), n: v.Len()}, true
		}
	}
	return fragmentKey{}, false
}
