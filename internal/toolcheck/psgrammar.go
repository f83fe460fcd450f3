package toolcheck

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

//go:embed psparse.cjs
var psparseScript []byte

//go:embed testdata/cmdlets.json
var cmdletsJSON []byte

// cmdletTable is testdata/cmdlets.json: the parameters of every cmdlet
// the scripts call, from Microsoft's cmdlet reference.
type cmdletTable struct {
	Common struct {
		Parameters map[string]psParam `json:"parameters"`
	} `json:"common_parameters"`
	Cmdlets map[string]struct {
		Source     string             `json:"source"`
		Parameters map[string]psParam `json:"parameters"`
		Positional string             `json:"positional"`
		Required   []string           `json:"required"`
		// WindowsFrom names the first Windows releases that have the
		// cmdlet's module; a script for Windows PowerShell 2.0 (Windows 7,
		// Server 2008 R2) must not call it.
		WindowsFrom string `json:"windows_from"`
	} `json:"cmdlets"`
	// Native are the executables the scripts call, with the key=value
	// arguments of each verb their reference gives.
	Native map[string]struct {
		Source string                `json:"source"`
		Verbs  map[string]nativeVerb `json:"verbs"`
	} `json:"native"`
}

type nativeVerb struct {
	Required []string `json:"required"`
	Keys     map[string]struct {
		Type   string   `json:"type"`
		Values []string `json:"values"`
		List   bool     `json:"list"`
	} `json:"keys"`
}

type psParam struct {
	Type    string   `json:"type"`
	Values  []string `json:"values"`
	List    bool     `json:"list"`
	Numbers []int    `json:"numbers"`
}

// psFile is what psparse.cjs reports of one file.
type psFile struct {
	File   string `json:"file"`
	Errors []struct {
		Line, Column int
		Kind, Text   string
	} `json:"errors"`
	// Functions are the script's own, with their parameters.
	Functions []struct {
		Name   string   `json:"name"`
		Params []string `json:"params"`
	} `json:"functions"`
	Commands []struct {
		Name string `json:"name"`
		Line int    `json:"line"`
		Args []struct {
			Parameter *string `json:"parameter"`
			Value     *struct {
				Type  string   `json:"type"`
				Text  string   `json:"text"`
				Kinds []string `json:"kinds"`
			} `json:"value"`
		} `json:"args"`
	} `json:"commands"`
}

// PowerShellGrammar parses PowerShell files with the tree-sitter-powershell
// grammar (web-tree-sitter under Node, from the npm tools `make
// node-tools` installs) and checks that none has an ERROR or MISSING node
// and that every command is a cmdlet of testdata/cmdlets.json called only
// with parameters it has, each with a value of the right shape: enum
// values among the accepted ones, switches without a value, script blocks
// where a script block goes. All files are parsed by one Node process.
func PowerShellGrammar(t testing.TB, files ...string) error {
	if len(files) == 0 {
		return nil
	}
	tools, ok := optional(t, "node")
	if !ok {
		return nil
	}
	node := tools[0]
	modules, ok := nodeModules(t)
	if !ok {
		return nil
	}
	script := filepath.Join(t.TempDir(), "psparse.cjs")
	if err := os.WriteFile(script, psparseScript, 0o644); err != nil {
		return err
	}
	// --liftoff-only: V8 otherwise optimises the grammar's WebAssembly in
	// the background after the first parse and the process waits ~9 s for
	// that at exit (measured with Node 20 here); the baseline compiler
	// parses these files in well under a second.
	cmd := exec.Command(node, append([]string{"--liftoff-only", script}, files...)...)
	cmd.Env = append(cmd.Environ(), "NODE_PATH="+modules)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		return fmt.Errorf("psparse: %v\n%s", err, stderr)
	}
	var parsed []psFile
	if err := json.Unmarshal(out, &parsed); err != nil {
		return fmt.Errorf("psparse output: %v", err)
	}
	var table cmdletTable
	if err := json.Unmarshal(cmdletsJSON, &table); err != nil {
		return err
	}
	var problems []string
	for _, f := range parsed {
		for _, e := range f.Errors {
			problems = append(problems, fmt.Sprintf("%s:%d:%d: %s node: %q", f.File, e.Line, e.Column, e.Kind, e.Text))
		}
		src, err := os.ReadFile(f.File)
		if err != nil {
			return err
		}
		ps2 := slices.Contains(strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n"), "#Requires -Version 2.0")
		own := map[string][]string{}
		for _, fn := range f.Functions {
			own[strings.ToLower(fn.Name)] = fn.Params
		}
		for _, c := range f.Commands {
			where := fmt.Sprintf("%s:%d: %s", f.File, c.Line, c.Name)
			if params, ok := own[strings.ToLower(c.Name)]; ok {
				// A function of the script: its arguments are positional,
				// or name one of its parameters.
				positional := 0
				for _, a := range c.Args {
					if a.Parameter == nil {
						positional++
						continue
					}
					name := strings.TrimSuffix(strings.TrimPrefix(*a.Parameter, "-"), ":")
					if !slices.ContainsFunc(params, func(p string) bool { return strings.EqualFold(p, name) }) {
						problems = append(problems, fmt.Sprintf("%s: the script's function has no parameter -%s", where, name))
					}
				}
				if positional > len(params) {
					problems = append(problems, fmt.Sprintf("%s: %d arguments, the script's function takes %d", where, positional, len(params)))
				}
				continue
			}
			if native, ok := table.Native[c.Name]; ok {
				var words []string
				for _, a := range c.Args {
					if a.Parameter != nil || a.Value == nil {
						problems = append(problems, where+": a parameter, where "+c.Name+" takes words")
						continue
					}
					w, ok := psWord(a.Value.Text)
					if !ok {
						problems = append(problems, fmt.Sprintf("%s: %s is not a bare word or a verbatim string", where, a.Value.Text))
						continue
					}
					words = append(words, w)
				}
				problems = append(problems, nativeArgs(where, native.Verbs, native.Source, words)...)
				continue
			}
			spec, ok := table.Cmdlets[c.Name]
			if ok && ps2 && spec.WindowsFrom != "" {
				problems = append(problems, fmt.Sprintf("%s: a script for Windows PowerShell 2.0 calls it, which needs %s", where, spec.WindowsFrom))
			}
			if !ok {
				problems = append(problems, where+": not a cmdlet of testdata/cmdlets.json")
				continue
			}
			var given []string
			for _, a := range c.Args {
				if a.Parameter == nil {
					if spec.Positional == "" {
						problems = append(problems, where+": a positional argument, which it does not take")
					} else if msg := psValue(psParam{Type: spec.Positional}, a.Value.Kinds, a.Value.Text); msg != "" {
						problems = append(problems, where+": positional argument: "+msg)
					}
					continue
				}
				name := strings.TrimSuffix(strings.TrimPrefix(*a.Parameter, "-"), ":")
				p, ok := lookupParam(spec.Parameters, name)
				if !ok {
					p, ok = lookupParam(table.Common.Parameters, name)
				}
				if !ok {
					problems = append(problems, fmt.Sprintf("%s: no parameter -%s (%s)", where, name, spec.Source))
					continue
				}
				given = append(given, strings.ToLower(name))
				if p.Type == "SwitchParameter" {
					if a.Value != nil {
						problems = append(problems, fmt.Sprintf("%s: -%s is a switch and takes no value", where, name))
					}
					continue
				}
				if a.Value == nil {
					problems = append(problems, fmt.Sprintf("%s: -%s has no value", where, name))
					continue
				}
				if msg := psValue(p, a.Value.Kinds, a.Value.Text); msg != "" {
					problems = append(problems, fmt.Sprintf("%s: -%s: %s", where, name, msg))
				}
			}
			for _, r := range spec.Required {
				if !slices.Contains(given, strings.ToLower(r)) {
					problems = append(problems, fmt.Sprintf("%s: the required -%s is missing", where, r))
				}
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("PowerShell grammar (tree-sitter-powershell):\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// lookupParam finds a parameter by name, case-insensitively, as
// PowerShell does (trgen's scripts never abbreviate one).
func lookupParam(params map[string]psParam, name string) (psParam, bool) {
	for n, p := range params {
		if strings.EqualFold(n, name) {
			return p, true
		}
	}
	return psParam{}, false
}

// valueKinds are the expression kinds a value of each type may be.
var valueKinds = map[string][]string{
	"String":      {"string_literal", "variable", "generic_token", "parenthesized_expression", "integer_literal"},
	"String[]":    {"string_literal", "variable", "generic_token", "parenthesized_expression", "integer_literal", "array_expression"},
	"ScriptBlock": {"script_block_expression"},
	"Int32":       {"integer_literal", "variable"},
}

// psValue checks a value against its parameter: "" when it fits.
func psValue(p psParam, kinds []string, text string) string {
	if len(p.Values) > 0 {
		words := []string{text}
		if p.List {
			words = strings.Split(text, ",")
		}
		for _, w := range words {
			w = strings.Trim(w, `'"`)
			if slices.ContainsFunc(p.Values, func(v string) bool { return strings.EqualFold(v, w) }) {
				continue
			}
			if n, err := strconv.Atoi(w); err == nil && len(p.Numbers) == 2 && n >= p.Numbers[0] && n <= p.Numbers[1] {
				continue
			}
			return fmt.Sprintf("%q is not one of %s", w, strings.Join(p.Values, ", "))
		}
		return ""
	}
	allowed, ok := valueKinds[strings.TrimSuffix(p.Type, "[]")]
	if strings.HasSuffix(p.Type, "[]") {
		if a, ok2 := valueKinds[p.Type]; ok2 {
			allowed, ok = a, true
		}
	}
	if !ok {
		return "" // PSObject and the like take any expression
	}
	for _, k := range kinds {
		if !slices.Contains(allowed, k) {
			return fmt.Sprintf("a %s, where a %s goes (%.40q)", k, p.Type, text)
		}
	}
	return ""
}

// nodeModules returns the node_modules folder `make node-tools` filled
// (TRGEN_NODE_BIN's parent) when it holds the PowerShell grammar; without
// it the grammar check is left out (a failure in CI; see optional).
func nodeModules(t testing.TB) (string, bool) {
	t.Helper()
	if bin := os.Getenv("TRGEN_NODE_BIN"); bin != "" {
		dir := filepath.Dir(bin)
		if fileExists(filepath.Join(dir, "tree-sitter-powershell", "tree-sitter-powershell.wasm")) && fileExists(filepath.Join(dir, "web-tree-sitter")) {
			return dir, true
		}
	}
	missing(t, "tree-sitter-powershell", " (make node-tools, TRGEN_NODE_BIN)")
	return "", false
}

// psWord is the text a native command receives for one argument: a bare
// word, or a single-quoted (verbatim) string. Anything else (an expanding
// string, an expression) is not ok: the checks cannot know its value.
func psWord(text string) (string, bool) {
	if len(text) >= 2 && text[0] == '\'' && text[len(text)-1] == '\'' {
		return strings.ReplaceAll(text[1:len(text)-1], "''", "'"), true
	}
	if text == "" || strings.ContainsAny(text, "'\"$`@(){}; \t") {
		return "", false
	}
	return text, true
}

// nativeArgs checks a native command's words against its verbs: the verb
// words, then key=value arguments with known keys, enumerated values among
// the accepted ones, ports and addresses of the right shape, and the
// required keys.
func nativeArgs(where string, verbs map[string]nativeVerb, source string, words []string) []string {
	var problems []string
	for name, verb := range verbs {
		vw := strings.Fields(name)
		if len(words) < len(vw) || !slices.EqualFunc(words[:len(vw)], vw, strings.EqualFold) {
			continue
		}
		given := map[string]bool{}
		for _, w := range words[len(vw):] {
			key, value, ok := strings.Cut(w, "=")
			key = strings.ToLower(key)
			spec, known := verb.Keys[key]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s %s: %q is not key=value", where, name, w))
				continue
			case !known:
				problems = append(problems, fmt.Sprintf("%s %s: no key %q (%s)", where, name, key, source))
				continue
			case given[key]:
				problems = append(problems, fmt.Sprintf("%s %s: %s given twice", where, name, key))
			}
			given[key] = true
			values := []string{value}
			if spec.List || spec.Type == "ports" || spec.Type == "addresses" {
				values = strings.Split(value, ",")
			}
			for _, v := range values {
				if msg := nativeValue(spec.Type, spec.Values, v); msg != "" {
					problems = append(problems, fmt.Sprintf("%s %s: %s=%s: %s", where, name, key, value, msg))
				}
			}
		}
		for _, r := range verb.Required {
			if !given[r] {
				problems = append(problems, fmt.Sprintf("%s %s: the required %s= is missing", where, name, r))
			}
		}
		return problems
	}
	return []string{fmt.Sprintf("%s: %q is no verb of its reference (%s)", where, strings.Join(words, " "), source)}
}

func nativeValue(typ string, values []string, v string) string {
	switch {
	case len(values) > 0:
		if !slices.ContainsFunc(values, func(a string) bool { return strings.EqualFold(a, v) }) {
			return "not one of " + strings.Join(values, ", ")
		}
	case typ == "ports":
		if n, err := strconv.Atoi(v); (err != nil || n < 0 || n > 65535) && !strings.EqualFold(v, "any") {
			return fmt.Sprintf("%q is not a port", v)
		}
	case typ == "addresses":
		if _, err := netip.ParseAddr(v); err == nil {
			return ""
		}
		if _, err := netip.ParsePrefix(v); err == nil {
			return ""
		}
		if !strings.EqualFold(v, "any") && !strings.EqualFold(v, "localsubnet") {
			return fmt.Sprintf("%q is not an address, a CIDR or any", v)
		}
	case v == "":
		return "empty"
	}
	return ""
}
