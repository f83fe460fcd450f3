package load

import (
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/apparentlymart/go-cidr/cidr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxFileFuncBytes bounds what file() will read, so a stray path to a large
// file is an error rather than a memory spike.
const maxFileFuncBytes = 1 << 20

// functions returns the functions a deployment's expressions may call: the
// pure functions of go-cty's standard library (nothing that reads the clock),
// the CIDR helpers, and file() confined to baseDir.
func functions(baseDir string, limits Limits, read func(string)) map[string]function.Function {
	fs := map[string]function.Function{
		"abs":             stdlib.AbsoluteFunc,
		"ceil":            stdlib.CeilFunc,
		"chomp":           stdlib.ChompFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"csvdecode":       stdlib.CSVDecodeFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"floor":           stdlib.FloorFunc,
		"format":          stdlib.FormatFunc,
		"formatdate":      stdlib.FormatDateFunc,
		"formatlist":      stdlib.FormatListFunc,
		"indent":          stdlib.IndentFunc,
		"index":           stdlib.IndexFunc,
		"join":            stdlib.JoinFunc,
		"jsondecode":      stdlib.JSONDecodeFunc,
		"jsonencode":      stdlib.JSONEncodeFunc,
		"keys":            stdlib.KeysFunc,
		"length":          stdlib.LengthFunc,
		"log":             stdlib.LogFunc,
		"lookup":          stdlib.LookupFunc,
		"lower":           stdlib.LowerFunc,
		"max":             stdlib.MaxFunc,
		"merge":           stdlib.MergeFunc,
		"min":             stdlib.MinFunc,
		"parseint":        stdlib.ParseIntFunc,
		"pow":             stdlib.PowFunc,
		"range":           stdlib.RangeFunc,
		"regex":           stdlib.RegexFunc,
		"regexall":        stdlib.RegexAllFunc,
		"regex_replace":   stdlib.RegexReplaceFunc,
		"replace":         stdlib.ReplaceFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"signum":          stdlib.SignumFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"split":           stdlib.SplitFunc,
		"strlen":          stdlib.StrlenFunc,
		"strrev":          stdlib.ReverseFunc,
		"substr":          stdlib.SubstrFunc,
		"title":           stdlib.TitleFunc,
		"trim":            stdlib.TrimFunc,
		"trimprefix":      stdlib.TrimPrefixFunc,
		"trimspace":       stdlib.TrimSpaceFunc,
		"trimsuffix":      stdlib.TrimSuffixFunc,
		"upper":           stdlib.UpperFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		"tostring":        stdlib.MakeToFunc(cty.String),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"cidrhost":        cidrHostFunc,
		"cidrnetmask":     cidrNetmaskFunc,
		"cidrsubnet":      cidrSubnetFunc,
		"file":            fileFunc(baseDir, read),
	}
	bounded(fs, limits.orDefault())
	return fs
}

// fileFunc reads a file relative to baseDir. The resolved path, symlinks
// followed, must stay inside baseDir: a deployment cannot read /etc/shadow
// into a generated script. read, when set, is told each file read, so
// that a run never writes over its own input.
func fileFunc(baseDir string, read func(string)) function.Function {
	return function.New(&function.Spec{
		Description: "Reads a UTF-8 file inside the configuration's directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			rel := args[0].AsString()
			p, err := confine(baseDir, rel)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			info, err := os.Stat(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, fmt.Errorf("cannot read %q: %w", rel, unwrapPathError(err)))
			}
			if !info.Mode().IsRegular() {
				return cty.NilVal, function.NewArgError(0, fmt.Errorf("%q is not a regular file", rel))
			}
			if info.Size() > maxFileFuncBytes {
				return cty.NilVal, function.NewArgError(0, fmt.Errorf("%q is %d bytes; file() reads at most %d", rel, info.Size(), maxFileFuncBytes))
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, fmt.Errorf("cannot read %q: %w", rel, unwrapPathError(err)))
			}
			if !isUTF8(data) {
				return cty.NilVal, function.NewArgError(0, fmt.Errorf("%q is not valid UTF-8 text", rel))
			}
			if read != nil {
				read(p)
			}
			return cty.StringVal(string(data)), nil
		},
	})
}

// confine resolves rel against baseDir and refuses anything outside it.
func confine(baseDir, rel string) (string, error) {
	if rel == "" {
		return "", fmt.Errorf("empty path")
	}
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, `\\`) {
		return "", fmt.Errorf("%q is absolute; file() takes a path relative to the configuration directory", rel)
	}
	base, err := filepath.EvalSymlinks(baseDir)
	if err != nil {
		return "", err
	}
	base, _ = filepath.Abs(base)
	p := filepath.Join(base, rel)
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		p = resolved
	}
	if p != base && !strings.HasPrefix(p, base+string(filepath.Separator)) {
		return "", fmt.Errorf("%q is outside the configuration directory; file() may only read files inside it", rel)
	}
	return p, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func isUTF8(b []byte) bool { return utf8.Valid(b) }

var cidrHostFunc = function.New(&function.Spec{
	Description: "Calculates a full host IP address for a given host number within a given IP network address prefix.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		_, network, err := net.ParseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		hostNum := args[1].AsBigFloat()
		n, acc := hostNum.Int(nil)
		if acc != big.Exact {
			return cty.NilVal, function.NewArgErrorf(1, "host number must be a whole number")
		}
		ip, err := cidr.HostBig(network, n)
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		return cty.StringVal(ip.String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Description: "Converts an IPv4 address prefix given in CIDR notation into a subnet mask address.",
	Params:      []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		_, network, err := net.ParseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		if network.IP.To4() == nil {
			return cty.NilVal, function.NewArgErrorf(0, "IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		return cty.StringVal(net.IP(network.Mask).String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Description: "Calculates a subnet address within a given IP network address prefix.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		_, network, err := net.ParseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "invalid CIDR expression: %s", err)
		}
		newbits, acc := args[1].AsBigFloat().Int64()
		if acc != big.Exact || newbits < 0 || newbits > 128 {
			return cty.NilVal, function.NewArgErrorf(1, "newbits must be a whole number from 0 to 128")
		}
		netnum, acc := args[2].AsBigFloat().Int(nil)
		if acc != big.Exact {
			return cty.NilVal, function.NewArgErrorf(2, "netnum must be a whole number")
		}
		sub, err := cidr.SubnetBig(network, int(newbits), netnum)
		if err != nil {
			return cty.NilVal, function.NewArgError(2, err)
		}
		return cty.StringVal(sub.String()), nil
	},
})

// FunctionNames lists the functions a deployment's expressions may call.
func FunctionNames() []string {
	fs := functions(".", DefaultLimits, nil)
	names := make([]string, 0, len(fs))
	for n := range fs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
