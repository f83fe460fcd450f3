// Package verify compares what the endpoints report with what a trgen
// output requested: the rows of trgen's verify sensor (one per item,
// "Kind|Item|Value"), read from a Tanium question's results or from the
// sensor run on this host, against the output's state.json. It parses
// each firewall's and auditd's own listing (nft's JSON, iptables-save,
// firewalld's rich rules, auditctl -l by kernel form) and reports, per
// endpoint, each expected item present, missing or different, trgen's
// items no longer expected, and what could not be read, with the reason.
package verify

import (
	"fmt"
	"strings"
)

// The sensor's row format. The Tanium sensor splits each row on
// Delimiter into the columns Columns; items and values are
// percent-encoded (%25, %7C, %0D, %0A), so that none holds the delimiter.
const (
	Delimiter = "|"
	// Format is the first row's value (Kind "fact", Item "sensor"): the
	// sensor's script and row format, which verify checks before reading
	// anything else.
	FormatLinux   = "trgen-verify-linux/1"
	FormatWindows = "trgen-verify-windows/1"
	FormatMacOS   = "trgen-verify-macos/1"
)

// Columns are the sensor's columns, in order.
var Columns = []string{"Kind", "Item", "Value"}

// Row kinds.
const (
	KindFact        = "fact"
	KindUnknown     = "unknown"
	KindAbsent      = "absent"
	KindAuditStatus = "audit-status"
	KindAuditRule   = "audit-rule"
	KindNftables    = "nftables"
	KindIptables    = "iptables"
	KindIp6tables   = "ip6tables"
	KindFirewalld   = "firewalld"
	// Windows: one rule of trgen's group as JSON; one Defender
	// exclusion of each list.
	KindWindowsFirewall = "windows-firewall"
	KindDefenderPath    = "defender-path"
	KindDefenderProcess = "defender-process"
	// Linux and macOS: Defender for Endpoint's managed configuration
	// (mdatp_managed.json, or the managed com.microsoft.wdav
	// preferences as JSON), one line.
	KindMdatpManaged = "mdatp-managed"
)

// knownKind reports whether the sensors write rows of kind.
func knownKind(kind string) bool {
	switch kind {
	case KindFact, KindUnknown, KindAbsent, KindAuditStatus, KindAuditRule, KindNftables, KindIptables, KindIp6tables,
		KindFirewalld, KindWindowsFirewall, KindDefenderPath, KindDefenderProcess, KindMdatpManaged:
		return true
	}
	return false
}

// Row is one sensor row, its value decoded.
type Row struct {
	Kind, Item, Value string
}

// MaxValue is the longest value a row may hold: an nftables table of
// thousands of rules fits; a longer cell is an unreadable row.
const MaxValue = 4 << 20

// ParseLine reads one row as the sensor prints it.
func ParseLine(line string) (Row, error) {
	line = strings.TrimSuffix(line, "\r")
	parts := strings.Split(line, Delimiter)
	if len(parts) != len(Columns) {
		return Row{}, fmt.Errorf("%d fields, not %d (Kind%sItem%sValue)", len(parts), len(Columns), Delimiter, Delimiter)
	}
	return NewRow(parts[0], parts[1], parts[2])
}

// NewRow checks one row's cells, as a results file gives them, and
// decodes its value.
func NewRow(kind, item, value string) (Row, error) {
	if !knownKind(kind) {
		return Row{}, fmt.Errorf("kind %q is not one the sensor writes", clip(kind))
	}
	if len(value) > MaxValue {
		return Row{}, fmt.Errorf("value of %d bytes: at most %d", len(value), MaxValue)
	}
	v, err := decode(value)
	if err != nil {
		return Row{}, err
	}
	it, err := decode(item)
	if err != nil {
		return Row{}, err
	}
	return Row{Kind: kind, Item: it, Value: v}, nil
}

// decode undoes the sensor's percent-encoding.
// decode undoes the sensors' percent-encoding. A raw delimiter or line
// break is an error: the sensors encode them, so a cell holding one is
// not a cell they wrote.
func decode(s string) (string, error) {
	escaped := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '|', '\n', '\r':
			return "", fmt.Errorf("a delimiter or line break in a cell, which the sensor encodes: not a row it wrote")
		case '%':
			escaped = true
		}
	}
	if !escaped {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], "%25"):
			b.WriteByte('%')
		case strings.HasPrefix(s[i:], "%7C"):
			b.WriteByte('|')
		case strings.HasPrefix(s[i:], "%0D"):
			b.WriteByte('\r')
		case strings.HasPrefix(s[i:], "%0A"):
			b.WriteByte('\n')
		default:
			return "", fmt.Errorf("%q at byte %d is not an escape the sensors write (%%25, %%7C, %%0D, %%0A)", clip(s[i:min(len(s), i+3)]), i)
		}
		i += 2
	}
	return b.String(), nil
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
