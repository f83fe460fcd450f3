package fleet

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Fields of an inventory row.
const (
	FName          = "name"
	FIP            = "ip"
	FOS            = "os"
	FOSVersion     = "os_version"
	FClientVersion = "client_version"
	FCPUs          = "cpus"
	FMemoryGB      = "memory_gb"
	FFreeDiskGB    = "free_disk_gb"
	FGroup         = "group"
)

// Required are the fields every inventory needs; group is optional.
var Required = []string{FName, FIP, FOS, FOSVersion, FClientVersion, FCPUs, FMemoryGB, FFreeDiskGB}

// Presets map fields to the headers of common exports. The Tanium preset
// assumes a question over the sensors named in its headers; adjust single
// columns with --column when an export differs.
var Presets = map[string]map[string]string{
	"tanium": {
		FName: "Computer Name", FIP: "IP Address", FOS: "OS Platform", FOSVersion: "Operating System",
		FClientVersion: "Tanium Client Version", FCPUs: "CPU Count", FMemoryGB: "RAM GB", FFreeDiskGB: "Free Disk GB",
	},
}

// Row is one inventory row, as strings, with its line in the input.
type Row struct {
	Line   int
	Fields [9]string // indexed like fieldOrder
	Group  bool      // the row has a group column value
}

var fieldOrder = []string{FName, FIP, FOS, FOSVersion, FClientVersion, FCPUs, FMemoryGB, FFreeDiskGB, FGroup}

// BadRow is an input row that could not be read.
type BadRow struct {
	Line int    `json:"line"`
	Err  string `json:"error"`
}

// Reader reads inventory rows from CSV or JSON Lines, gzip or not.
type Reader struct {
	csv     *csv.Reader
	lines   *bufio.Scanner
	line    int
	idx     [9]int // column index of each field; -1 absent
	headers map[string]string
	nCols   int
}

// ErrHeader is a problem with the header (a missing required column).
var ErrHeader = errors.New("inventory header")

// NewReader opens an inventory. columns maps fields to header names
// (defaults: the field names themselves).
func NewReader(r io.Reader, columns map[string]string) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		br = bufio.NewReaderSize(gz, 1<<20)
	}
	// A UTF-8 BOM is skipped.
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
	rd := &Reader{headers: map[string]string{}}
	for i := range rd.idx {
		rd.idx[i] = -1
	}
	for _, f := range fieldOrder {
		rd.headers[f] = f
	}
	for f, h := range columns {
		rd.headers[f] = h
	}
	first, _ := br.Peek(1)
	if len(first) == 1 && first[0] == '{' {
		rd.lines = bufio.NewScanner(br)
		rd.lines.Buffer(make([]byte, 64*1024), 4<<20)
		return rd, nil
	}
	rd.csv = csv.NewReader(br)
	rd.csv.ReuseRecord = true
	rd.csv.FieldsPerRecord = -1
	header, err := rd.csv.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: reading the header: %v", ErrHeader, err)
	}
	rd.line = 1
	rd.nCols = len(header)
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.TrimSpace(h)] = i
	}
	for i, f := range fieldOrder {
		if p, ok := pos[rd.headers[f]]; ok {
			rd.idx[i] = p
		}
	}
	for i, f := range fieldOrder[:8] {
		if rd.idx[i] < 0 {
			return nil, fmt.Errorf("%w: line 1 has no column %q for the field %s (columns: %s); map it with --column %s=<header>",
				ErrHeader, rd.headers[f], f, strings.Join(header, ", "), f)
		}
	}
	return rd, nil
}

// Next reads the next row into row. It returns io.EOF at the end, or a
// *BadRow for a row that cannot be read (the caller counts it and goes on).
func (rd *Reader) Next(row *Row) error {
	if rd.lines != nil {
		return rd.nextJSON(row)
	}
	rec, err := rd.csv.Read()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &BadRow{Line: pe.StartLine, Err: pe.Err.Error()}
		}
		return err
	}
	line, _ := rd.csv.FieldPos(0)
	row.Line = line
	if len(rec) != rd.nCols {
		return &BadRow{Line: line, Err: fmt.Sprintf("%d fields, the header has %d", len(rec), rd.nCols)}
	}
	for i, p := range rd.idx {
		if p >= 0 {
			row.Fields[i] = rec[p]
		} else {
			row.Fields[i] = ""
		}
	}
	row.Group = rd.idx[8] >= 0 && rec[rd.idx[8]] != ""
	return nil
}

func (rd *Reader) nextJSON(row *Row) error {
	for rd.lines.Scan() {
		rd.line++
		b := bytes.TrimSpace(rd.lines.Bytes())
		if len(b) == 0 {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal(b, &obj); err != nil {
			return &BadRow{Line: rd.line, Err: "not a JSON object: " + err.Error()}
		}
		row.Line = rd.line
		for i, f := range fieldOrder {
			v, ok := obj[rd.headers[f]]
			switch x := v.(type) {
			case string:
				row.Fields[i] = x
			case float64:
				row.Fields[i] = strconv.FormatFloat(x, 'f', -1, 64)
			case nil:
				if !ok && i < 8 {
					return &BadRow{Line: rd.line, Err: fmt.Sprintf("no %q key", rd.headers[f])}
				}
				row.Fields[i] = ""
			default:
				return &BadRow{Line: rd.line, Err: fmt.Sprintf("%q is not a string or number", rd.headers[f])}
			}
		}
		row.Group = row.Fields[8] != ""
		return nil
	}
	if err := rd.lines.Err(); err != nil {
		return err
	}
	return io.EOF
}

func (b *BadRow) Error() string { return fmt.Sprintf("line %d: %s", b.Line, b.Err) }
