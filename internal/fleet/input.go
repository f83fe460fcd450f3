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
	"slices"
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/suggest"
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
var Required = fieldOrder[:nRequired:nRequired] // capped: appending copies

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
	Fields [nFields]string // indexed by the i* constants, like fieldOrder
	Group  bool            // the row has a group column value
}

// Positions of the fields in Row.Fields and fieldOrder.
const (
	iName = iota
	iIP
	iOS
	iOSVersion
	iClientVersion
	iCPUs
	iMemoryGB
	iFreeDiskGB
	iGroup
	nFields
	// nRequired is how many fields, from the first, every inventory needs.
	nRequired = iGroup
)

var fieldOrder = [nFields]string{iName: FName, iIP: FIP, iOS: FOS, iOSVersion: FOSVersion, iClientVersion: FClientVersion,
	iCPUs: FCPUs, iMemoryGB: FMemoryGB, iFreeDiskGB: FFreeDiskGB, iGroup: FGroup}

// BadRow is an input row that could not be read.
type BadRow struct {
	Line int    `json:"line"`
	Err  string `json:"error"`
}

// Size limits of an inventory: a record is a line, or the lines a quoted
// field spans (MaxRecordLines), of at most MaxRecordBytes, and no field
// may exceed MaxFieldBytes. A longer record or field is an unreadable row;
// reading goes on at the next line, so memory stays flat whatever the
// input.
const (
	MaxRecordBytes = 1 << 20
	MaxFieldBytes  = 64 << 10
)

// Reader reads inventory rows from CSV (RFC 4180, quoted fields with line
// breaks included) or JSON Lines, gzip or not. A quote that never closes
// makes its line unreadable, never the lines after it.
type Reader struct {
	src     *bufio.Reader
	gzipped bool
	line    int
	json    bool
	csv     *csv.Reader // reads one line at a time, from feed
	feed    *lineFeed
	fields  []string     // reused by record
	commas  []int        // reused by record
	text    textArena    // holds the fields of unquoted rows
	idx     [nFields]int // column index of each field; -1 absent
	headers map[string]string
	nCols   int
	// back are lines read ahead and given back, to be read again (nil:
	// a line too long to keep).
	back [][]byte
}

// lineFeed hands the CSV reader the current line and then io.EOF, so
// the CSV reader can never read past the line it was given.
type lineFeed struct{ b []byte }

func (f *lineFeed) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}

// ErrHeader is a problem with the header (a missing required column).
var ErrHeader = errors.New("inventory header")

// NewReader opens an inventory. columns maps fields to header names
// (defaults: the field names themselves).
func NewReader(r io.Reader, columns map[string]string) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	rd := &Reader{headers: map[string]string{}}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, rd.readError(err)
		}
		br = bufio.NewReaderSize(gz, 1<<16)
		rd.gzipped = true
	}
	rd.src = br
	head, err := br.Peek(4)
	if err != nil && err != io.EOF {
		return nil, rd.readError(err)
	}
	if utf16(head) {
		return nil, errors.New("the inventory is UTF-16 text; trgen reads UTF-8: export it as UTF-8, or convert it (iconv -f UTF-16 -t UTF-8)")
	}
	// A UTF-8 BOM is skipped.
	if bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
	for i := range rd.idx {
		rd.idx[i] = -1
	}
	for _, f := range fieldOrder {
		rd.headers[f] = f
	}
	for f, h := range columns {
		rd.headers[f] = h
	}
	if first, _ := br.Peek(1); len(first) == 1 && first[0] == '{' {
		rd.json = true
		return rd, nil
	}
	rd.feed = &lineFeed{}
	rd.csv = csv.NewReader(rd.feed)
	rd.csv.ReuseRecord = true
	rd.csv.FieldsPerRecord = -1
	var header []string
	for header == nil {
		line, err := rd.readLine()
		if err == io.EOF {
			return nil, fmt.Errorf("%w: the inventory is empty", ErrHeader)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading the header: %v", ErrHeader, err)
		}
		rd.feed.b = line
		header, err = rd.csv.Read()
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%w: reading the header at line %d: %v", ErrHeader, rd.line, err)
		}
		header = slices.Clone(header)
	}
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
	var missing []string
	for i, f := range fieldOrder[:nRequired] {
		if rd.idx[i] < 0 {
			m := fmt.Sprintf("%q for the field %s", rd.headers[f], f)
			if near := suggest.Nearest(rd.headers[f], header); near != "" && strings.EqualFold(near[:1], rd.headers[f][:1]) {
				m += fmt.Sprintf(" (closest: %q; --column %s=%s)", near, f, near)
			}
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: line %d lacks %d required %s: %s. Its columns: %s. Map a field to another header with --column field=<header>, or --preset",
			ErrHeader, rd.line, len(missing), plural(len(missing), "column", "columns"), strings.Join(missing, "; "), strings.Join(header, ", "))
	}
	return rd, nil
}

// utf16 recognises UTF-16 text by its byte order mark, or by the zero
// bytes ASCII text has in it.
func utf16(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return true
	}
	return len(head) == 4 && (head[1] == 0 && head[3] == 0 && head[0] != 0 || head[0] == 0 && head[2] == 0 && head[1] != 0)
}

// readError names what went wrong reading the input, for gzip in words.
func (rd *Reader) readError(err error) error {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) && rd.gzipped:
		return fmt.Errorf("the gzip stream is truncated (after line %d)", rd.line)
	case errors.Is(err, gzip.ErrHeader) && rd.gzipped:
		return fmt.Errorf("data after the end of the gzip stream (after line %d) is not gzip", rd.line)
	case errors.Is(err, gzip.ErrHeader):
		return errors.New("not a gzip stream")
	case errors.Is(err, gzip.ErrChecksum):
		return fmt.Errorf("the gzip stream is corrupt: its checksum does not match (after line %d)", rd.line)
	}
	return err
}

// readLine returns the next line, with its line ending. A line over
// MaxRecordBytes is skipped to its end and returned as a *BadRow.
func (rd *Reader) readLine() ([]byte, error) {
	line, err := rd.src.ReadSlice('\n')
	if len(line) > 0 || err == nil || err == bufio.ErrBufferFull {
		rd.line++
	}
	size := len(line)
	for err == bufio.ErrBufferFull && size <= MaxRecordBytes {
		// Longer than the buffer: gather it, up to the limit.
		buf := slices.Clone(line)
		line, err = rd.src.ReadSlice('\n')
		buf = append(buf, line...)
		size, line = len(buf), buf
	}
	if size > MaxRecordBytes {
		for err == bufio.ErrBufferFull {
			_, err = rd.src.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return nil, rd.readError(err)
		}
		return nil, &BadRow{Line: rd.line, Err: fmt.Sprintf("the line is longer than %d bytes, the most a record may be", MaxRecordBytes)}
	}
	if err == io.EOF {
		if len(line) == 0 {
			return nil, io.EOF
		}
		return line, nil
	}
	if err != nil {
		return nil, rd.readError(err)
	}
	return line, nil
}

// record splits one line into fields. A line without quotes is split at
// its commas, as encoding/csv would, without its per-line cost; any other
// line goes through encoding/csv.
func (rd *Reader) record(line []byte) ([]string, error) {
	whole := line // encoding/csv gets the line with its end
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte{'\n'}), []byte{'\r'})
	// One pass finds the commas, or a quote that needs encoding/csv:
	// fields are short, so a byte loop beats a call per field.
	rd.commas = rd.commas[:0]
	for i, c := range line {
		switch c {
		case ',':
			rd.commas = append(rd.commas, i)
		case '"':
			rd.feed.b = whole
			return rd.csv.Read()
		}
	}
	if len(line) == 0 {
		return nil, io.EOF
	}
	text := rd.text.add(line)
	rd.fields = rd.fields[:0]
	start := 0
	for _, c := range rd.commas {
		rd.fields = append(rd.fields, text[start:c])
		start = c + 1
	}
	return append(rd.fields, text[start:]), nil
}

// textArena copies rows' text into shared chunks, so that a row costs no
// allocation of its own. A strings.Builder never changes bytes it has
// written, so each string it returned stays valid while later rows are
// appended; a full chunk is left to the garbage collector, which frees it
// once no field refers to it.
type textArena struct{ b strings.Builder }

const arenaChunk = 64 << 10

func (a *textArena) add(line []byte) string {
	if a.b.Cap()-a.b.Len() < len(line) {
		a.b = strings.Builder{}
		a.b.Grow(max(arenaChunk, len(line)))
	}
	start := a.b.Len()
	a.b.Write(line)
	return a.b.String()[start:]
}

// asParseError is errors.As(err, *csv.ParseError), without allocating its
// target when err is nil.
func asParseError(err error) (*csv.ParseError, bool) {
	if err == nil {
		return nil, false
	}
	var pe *csv.ParseError
	ok := errors.As(err, &pe)
	return pe, ok
}

// MaxRecordLines is the most lines one quoted record may span (RFC 4180
// lets a quoted field hold line breaks: Tanium's multi-value sensors
// export their values so). A quote that does not close within it, or
// within MaxRecordBytes, makes its first line unreadable and reading
// resumes at the line after it, so a stray quotation mark costs one row.
const MaxRecordLines = 64

// quotesOpen says whether line leaves a quoted field open: an odd count
// of quotation marks (RFC 4180 doubles a quote inside a quoted field).
func quotesOpen(line []byte) bool { return bytes.Count(line, []byte{'"'})%2 == 1 }

// nextRecord returns the next record's bytes and the line it starts on:
// one line, or several while a quoted field is open.
func (rd *Reader) nextRecord() ([]byte, int, error) {
	line, err := rd.takeLine()
	if err != nil {
		return nil, 0, err
	}
	start := rd.line
	if !quotesOpen(line) {
		return line, start, nil
	}
	rec := slices.Clone(line)
	var held [][]byte // the lines after the first, to read again if the quote never closes
	for open := true; open; open = quotesOpen(rec) {
		next, err := rd.takeLine()
		var bad *BadRow
		if err == io.EOF || errors.As(err, &bad) || len(held) == MaxRecordLines-1 || len(rec)+len(next) > MaxRecordBytes {
			if err == nil {
				held = append(held, slices.Clone(next))
			} else if bad != nil {
				held = append(held, nil) // the over-long line: unreadable again
			} else if err != io.EOF {
				return nil, 0, err
			}
			// The quote does not close: the first line is unreadable,
			// the others are read again.
			rd.pushback(held, start)
			return nil, start, &BadRow{Line: start, Err: "a quoted field does not end (a stray quotation mark?)"}
		}
		if err != nil {
			return nil, 0, err
		}
		held = append(held, slices.Clone(next))
		rec = append(rec, next...)
	}
	return rec, start, nil
}

// takeLine is readLine, after the lines pushed back.
func (rd *Reader) takeLine() ([]byte, error) {
	if len(rd.back) > 0 {
		line := rd.back[0]
		rd.back = rd.back[1:]
		rd.line++
		if line == nil {
			return nil, &BadRow{Line: rd.line, Err: fmt.Sprintf("the line is longer than %d bytes, the most a record may be", MaxRecordBytes)}
		}
		return line, nil
	}
	return rd.readLine()
}

// pushback makes lines the next ones read, after the line numbered start.
func (rd *Reader) pushback(lines [][]byte, start int) {
	rd.back = append(lines, rd.back...)
	rd.line = start
}

// Next reads the next row into row. It returns io.EOF at the end, or a
// *BadRow for a row that cannot be read (the caller counts it and goes on).
func (rd *Reader) Next(row *Row) error {
	if rd.json {
		return rd.nextJSON(row)
	}
	for {
		line, start, err := rd.nextRecord()
		if err != nil {
			return err
		}
		rec, err := rd.record(line)
		if err == io.EOF {
			continue // a blank line
		}
		row.Line = start
		if pe, ok := asParseError(err); ok {
			msg := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrQuote) {
				msg = "a quotation mark inside a field that is not quoted, or after a quoted field's end"
			}
			return &BadRow{Line: start, Err: msg}
		}
		if err != nil {
			return err
		}
		if len(rec) != rd.nCols {
			return &BadRow{Line: start, Err: fmt.Sprintf("%d fields, the header has %d", len(rec), rd.nCols)}
		}
		for i, p := range rd.idx {
			if p >= 0 {
				if len(rec[p]) > MaxFieldBytes {
					return &BadRow{Line: start, Err: fmt.Sprintf("field %s is longer than %d bytes", fieldOrder[i], MaxFieldBytes)}
				}
				row.Fields[i] = rec[p]
			} else {
				row.Fields[i] = ""
			}
		}
		row.Group = rd.idx[iGroup] >= 0 && rec[rd.idx[iGroup]] != "" && !Placeholder(rec[rd.idx[iGroup]])
		return nil
	}
}

// Placeholder says whether a cell is Tanium's (or an export's) way of
// saying the value is unknown: "[current result unavailable]", "[no
// results]", "[results currently unavailable]" and the other bracketed
// notes, "TSE-Error: …" from a sensor that failed, and "N/A". Such a cell
// is blank for the rules: those that need it are not checked.
func Placeholder(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false // the common case: a value
	}
	s = strings.TrimSpace(s)
	switch {
	case len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']':
		return true
	case strings.HasPrefix(s, "TSE-Error"):
		return true
	case strings.EqualFold(s, "n/a"):
		return true
	}
	return false
}

func (rd *Reader) nextJSON(row *Row) error {
	for {
		line, err := rd.readLine()
		if err != nil {
			return err
		}
		b := bytes.TrimSpace(line)
		if len(b) == 0 {
			continue
		}
		row.Line = rd.line
		var obj map[string]any
		if err := json.Unmarshal(b, &obj); err != nil {
			return &BadRow{Line: rd.line, Err: "not a JSON object: " + err.Error()}
		}
		for i, f := range fieldOrder {
			v, ok := obj[rd.headers[f]]
			switch x := v.(type) {
			case string:
				if len(x) > MaxFieldBytes {
					return &BadRow{Line: rd.line, Err: fmt.Sprintf("field %s is longer than %d bytes", f, MaxFieldBytes)}
				}
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
		row.Group = row.Fields[iGroup] != ""
		return nil
	}
}

func (b *BadRow) Error() string { return fmt.Sprintf("line %d: %s", b.Line, b.Err) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// NewRow is a row of the given fields, by their F* names, as verify
// builds one from what an endpoint's sensor reported; an unknown field
// name is an error. A row with FGroup names its group instead of being
// matched by address.
func NewRow(line int, fields map[string]string) (*Row, error) {
	r := &Row{Line: line}
	for name, v := range fields {
		i := slices.Index(fieldOrder[:], name)
		if i < 0 {
			return nil, fmt.Errorf("no inventory field %q", name)
		}
		r.Fields[i] = v
		if i == iGroup {
			r.Group = true
		}
	}
	return r, nil
}
