package verify

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ResultColumns are the headers of a results file's columns: the
// endpoint's name and address (Tanium's Computer Name and IP Address
// sensors), its group (optional: "" matches endpoints to groups by
// address) and the sensor's three columns.
type ResultColumns struct {
	Name, Address, Group, Kind, Item, Value string
}

// DefaultResultColumns are the headers of the question README.md asks.
var DefaultResultColumns = ResultColumns{Name: "Computer Name", Address: "IP Address", Kind: Columns[0], Item: Columns[1], Value: Columns[2]}

// MaxLine is the longest line a CSV results file may have: a cell of
// MaxValue and its quoting.
const MaxLine = 2*MaxValue + 1024

// ReadResults reads a question's results into v: the CSV a Console
// export writes, or the JSON of the REST API's result data
// (data.result_sets[].columns and rows), told apart by their first byte.
// Rows are read one at a time: memory grows with the endpoints, not the
// rows. A row that cannot be read is counted against its endpoint (or
// against none, when it names none), never skipped silently.
func ReadResults(r io.Reader, cols ResultColumns, v *Verifier) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for {
		b, err := br.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return errors.New("the results file is empty")
			}
			return err
		}
		if b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' {
			br.ReadByte()
			continue
		}
		if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
			continue
		}
		if b[0] == '{' {
			return readJSON(br, cols, v)
		}
		return readCSV(br, cols, v)
	}
}

// columnIndex finds each wanted header among headers (case and blanks
// aside); a wanted header of "" is optional and absent.
func columnIndex(headers []string, cols ResultColumns) (map[string]int, error) {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	idx := map[string]int{}
	want := []struct{ field, header string }{{"name", cols.Name}, {"address", cols.Address}, {"group", cols.Group},
		{"kind", cols.Kind}, {"item", cols.Item}, {"value", cols.Value}}
	var missing []string
	for _, w := range want {
		if w.header == "" {
			continue
		}
		found := -1
		for i, h := range headers {
			if norm(h) == norm(w.header) {
				if found >= 0 {
					return nil, fmt.Errorf("two columns are headed %q", w.header)
				}
				found = i
			}
		}
		if found < 0 && w.field != "address" {
			missing = append(missing, fmt.Sprintf("%q (%s)", w.header, w.field))
			continue
		}
		idx[w.field] = found
	}
	if len(missing) > 0 {
		shown := make([]string, 0, len(headers))
		for _, h := range headers {
			shown = append(shown, fmt.Sprintf("%q", clip(h)))
		}
		return nil, fmt.Errorf("no column %s among %s: ask the question README.md gives, or name the columns with --column", strings.Join(missing, ", "), strings.Join(shown, ", "))
	}
	return idx, nil
}

// cells are one result row's cells: a single value for the endpoint's
// name, address and group, and the sensor's columns, each a list (a
// multi-line answer puts its rows in one cell, line by line).
type cells struct {
	name, address, group string
	kind, item, value    []string
}

// location says where a row is, formatted only for a row that is unreadable.
type location interface{ String() string }

type csvLine int

func (l csvLine) String() string { return fmt.Sprintf("line %d", int(l)) }

type restRowAt struct{ set, row int }

func (r restRowAt) String() string { return fmt.Sprintf("result_sets[%d].rows[%d]", r.set, r.row) }

// add adds the row's sensor rows to v, or counts it unreadable.
func (c cells) add(v *Verifier, loc location) {
	name := strings.TrimSpace(c.name)
	if name == "" {
		v.Bad("", "", "", loc.String(), errors.New("no computer name"))
		return
	}
	addr := strings.TrimSpace(c.address)
	if len(c.kind) != len(c.item) || len(c.kind) != len(c.value) {
		v.Bad(name, addr, c.group, loc.String(), fmt.Errorf("the sensor's columns hold %d, %d and %d lines: not rows of one answer", len(c.kind), len(c.item), len(c.value)))
		return
	}
	for i := range c.kind {
		k := strings.TrimSpace(c.kind[i])
		if answer, ok := tanium(k); ok {
			v.Add(name, addr, c.group, Row{Kind: KindUnknown, Item: "answer", Value: answer})
			continue
		}
		r, err := NewRow(k, c.item[i], c.value[i])
		if err != nil {
			v.Bad(name, addr, c.group, loc.String(), err)
			continue
		}
		v.Add(name, addr, c.group, r)
	}
}

// tanium recognises the values Tanium puts in place of an answer
// ("[no results]", "[current result unavailable]", "TSE-Error: …").
func tanium(cell string) (string, bool) {
	if strings.HasPrefix(cell, "[") && strings.HasSuffix(cell, "]") || strings.HasPrefix(cell, "TSE-Error") {
		return cell, true
	}
	return "", false
}

// splitLines splits a cell into its lines; one holding no line break is
// itself, in buf.
func splitLines(s string, buf *[1]string) []string {
	if !strings.Contains(s, "\n") {
		buf[0] = s
		return buf[:]
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(s, "\n")
}

func readCSV(r io.Reader, cols ResultColumns, v *Verifier) error {
	cr := csv.NewReader(&lineLimit{r: r, max: MaxLine})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("reading the header: %w", err)
	}
	idx, err := columnIndex(header, cols)
	if err != nil {
		return err
	}
	var kb, ib, vb [1]string
	col := func(f string) int {
		if i, ok := idx[f]; ok {
			return i
		}
		return -1
	}
	iName, iAddr, iGroup, iKind, iItem, iValue := col("name"), col("address"), col("group"), col("kind"), col("item"), col("value")
	need := max(iKind, iItem, iValue, iName)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.Is(err, errLongLine) || !errors.As(err, &pe) {
				return err
			}
			v.Bad("", "", "", fmt.Sprintf("line %d", pe.StartLine), pe.Err)
			continue
		}
		line, _ := cr.FieldPos(0)
		where := csvLine(line)
		cell := func(f int) string {
			if f >= 0 && f < len(rec) {
				return rec[f]
			}
			return ""
		}
		if len(rec) <= need {
			v.Bad(strings.TrimSpace(cell(iName)), strings.TrimSpace(cell(iAddr)), cell(iGroup), where.String(), fmt.Errorf("%d cells, fewer than the header's columns", len(rec)))
			continue
		}
		cells{name: cell(iName), address: cell(iAddr), group: strings.TrimSpace(cell(iGroup)),
			kind: splitLines(cell(iKind), &kb), item: splitLines(cell(iItem), &ib), value: splitLines(cell(iValue), &vb)}.add(v, where)
	}
}

var errLongLine = fmt.Errorf("a line longer than %d bytes: not a results file trgen's sensor answers make", MaxLine)

// lineLimit fails a read once a line exceeds max bytes, so that a huge
// cell is an error, not a file held in memory.
type lineLimit struct {
	r   io.Reader
	max int
	run int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	chunk := p[:n]
	if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
		// Every line but the last of the chunk: the longest run between
		// line breaks, found a line at a time.
		for rest := chunk[:i+1]; len(rest) > 0; {
			j := bytes.IndexByte(rest, '\n')
			if l.run+j > l.max {
				return 0, errLongLine
			}
			l.run = 0
			rest = rest[j+1:]
		}
		chunk = chunk[i+1:]
	}
	if l.run += len(chunk); l.run > l.max {
		return 0, errLongLine
	}
	return n, err
}

// restRow is one row of the REST API's result data: per column, its
// values (several for a multi-line answer).
type restRow struct {
	Data [][]struct {
		Text string `json:"text"`
	} `json:"data"`
}

func readJSON(r io.Reader, cols ResultColumns, v *Verifier) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	sawSets := false
	for dec.More() {
		key, err := objectKey(dec)
		if err != nil {
			return err
		}
		if key != "data" {
			if err := skip(dec); err != nil {
				return err
			}
			continue
		}
		if err := expectDelim(dec, '{'); err != nil {
			return fmt.Errorf("data: %w", err)
		}
		for dec.More() {
			key, err := objectKey(dec)
			if err != nil {
				return err
			}
			if key != "result_sets" {
				if err := skip(dec); err != nil {
					return err
				}
				continue
			}
			sawSets = true
			if err := readSets(dec, cols, v); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	if !sawSets {
		return errors.New("no data.result_sets: not the REST API's result data (GET /api/v2/result_data/question/<id>)")
	}
	return nil
}

func readSets(dec *json.Decoder, cols ResultColumns, v *Verifier) error {
	if err := expectDelim(dec, '['); err != nil {
		return fmt.Errorf("result_sets: %w", err)
	}
	for set := 0; dec.More(); set++ {
		if err := expectDelim(dec, '{'); err != nil {
			return fmt.Errorf("result_sets[%d]: %w", set, err)
		}
		var idx map[string]int
		for dec.More() {
			key, err := objectKey(dec)
			if err != nil {
				return err
			}
			switch key {
			case "columns":
				var cs []struct {
					Name string `json:"name"`
				}
				if err := dec.Decode(&cs); err != nil {
					return fmt.Errorf("result_sets[%d].columns: %w", set, err)
				}
				names := make([]string, len(cs))
				for i, c := range cs {
					names[i] = c.Name
				}
				if idx, err = columnIndex(names, cols); err != nil {
					return fmt.Errorf("result_sets[%d]: %w", set, err)
				}
			case "rows":
				if idx == nil {
					return fmt.Errorf("result_sets[%d]: rows before columns: trgen reads the columns first", set)
				}
				if err := expectDelim(dec, '['); err != nil {
					return fmt.Errorf("result_sets[%d].rows: %w", set, err)
				}
				for i := 0; dec.More(); i++ {
					where := restRowAt{set, i}
					var row restRow
					if err := dec.Decode(&row); err != nil {
						return fmt.Errorf("%s: %w", where, err)
					}
					texts := func(f string) []string {
						c, ok := idx[f]
						if !ok || c < 0 || c >= len(row.Data) {
							return nil
						}
						out := make([]string, len(row.Data[c]))
						for j, t := range row.Data[c] {
							out[j] = t.Text
						}
						return out
					}
					one := func(f string) string {
						t := texts(f)
						if len(t) == 0 {
							return ""
						}
						return strings.Join(t, "\n")
					}
					cells{name: one("name"), address: one("address"), group: strings.TrimSpace(one("group")),
						kind: texts("kind"), item: texts("item"), value: texts("value")}.add(v, where)
				}
				if _, err := dec.Token(); err != nil {
					return err
				}
			default:
				if err := skip(dec); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != d {
		return fmt.Errorf("expected %q, found %v", d, t)
	}
	return nil
}

func objectKey(dec *json.Decoder) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("expected an object key, found %v", t)
	}
	return k, nil
}

func skip(dec *json.Decoder) error {
	var raw json.RawMessage
	return dec.Decode(&raw)
}
