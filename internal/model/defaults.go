package model

import (
	"slices"

	"github.com/trgen/trgen/internal/hostfw"
)

// The host_firewall values the code names; package hostfw describes
// every one.
const (
	FirewallNone      = hostfw.None
	FirewallWindows   = "windows"
	FirewallNftables  = "nftables"
	FirewallIptables  = "iptables"
	FirewallFirewalld = "firewalld"
)

// The operating systems an endpoint group may run.
const (
	OSWindows = "windows"
	OSLinux   = "linux"
	OSMacOS   = "macos"
)

// Event sources of the Windows recorder.
const (
	EventSourceDriver = "tanium_driver"
	EventSourceSysmon = "sysmon"
)

// KnownOS reports whether os is one of the operating systems above: the
// checks that depend on a group's os are skipped when it is not (the
// schema has reported it).
func KnownOS(os string) bool { return os == OSWindows || os == OSLinux || os == OSMacOS }

// KnownFirewall reports whether fw is one of the host_firewall values
// (package hostfw describes them).
func KnownFirewall(fw string) bool { return hostfw.Known(fw) }

// Transfer methods of a data_collection block.
const (
	TransferS3   = "s3"
	TransferSFTP = "sftp"
	TransferSCP  = "scp"
	TransferSMB  = "smb"
)

// KnownTransfer reports whether t is one of the transfer methods above;
// the checks that depend on it are skipped when it is not (the schema has
// reported it).
func KnownTransfer(t string) bool { return slices.Contains(Transfers, t) }

// Transfers are the transfer methods in the language's order.
var Transfers = []string{TransferS3, TransferSFTP, TransferSCP, TransferSMB}

// Str returns *p, or def when p is nil.
func Str(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// Bool returns *p, or def when p is nil.
func Bool(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// Int returns *p, or def when p is nil.
func Int(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// HostFirewallOrDefault is the group's host firewall, "none" when unset.
func (g *EndpointGroup) HostFirewallOrDefault() string { return Str(g.HostFirewall, FirewallNone) }

// Architectures of Windows groups.
const (
	ArchX64 = "x64"
	ArchX86 = "x86"
)

// ArchitectureOrDefault is the group's architecture, x64 when unset.
func (g *EndpointGroup) ArchitectureOrDefault() string { return Str(g.Architecture, ArchX64) }

// EventSource is the group's recorder event source, the driver when unset.
func (g *EndpointGroup) EventSource() string {
	if g.Recorder == nil {
		return EventSourceDriver
	}
	return Str(g.Recorder.EventSource, EventSourceDriver)
}

// DNSEvents reports whether the group asks for DNS event recording.
func (g *EndpointGroup) DNSEvents() bool {
	return g.Recorder != nil && Bool(g.Recorder.DNSEvents, false)
}

// MaxDBSizeMB returns the recorder database size, or def when unset.
func (g *EndpointGroup) MaxDBSizeMB(def int) int {
	if g.Recorder == nil {
		return def
	}
	return Int(g.Recorder.MaxDBSizeMB, def)
}
