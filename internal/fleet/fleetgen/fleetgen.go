// Package fleetgen writes deterministic synthetic endpoint inventories for
// a deployment's groups, for tests and benchmarks: endpoints spread over
// the groups by head count, addresses inside their networks, realistic OS,
// client and hardware distributions, and a few percent that fail a rule.
// With Field, the same endpoints are written as real exports write them:
// Tanium's column names, WMI captions, sw_vers and os-release strings,
// multi-value address cells over two lines, and Tanium's placeholders for
// values a sensor could not give (only where the value would have passed,
// so every endpoint's verdict is the one its plain form gets).
package fleetgen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sort"
	"strconv"

	"github.com/trgen/trgen/internal/model"
)

// Options say how an inventory is written.
type Options struct {
	JSONL bool
	// Field writes the real exports' forms (CSV only), with choices drawn
	// from a random source of its own, so the endpoints are the same.
	Field bool
}

// Neighbouring versions an endpoint sometimes has instead of its group's.
var oldOS = map[string][]string{
	model.OSWindows: {"Windows Server 2008", "Windows 7", "Windows Server 2012"},
	model.OSLinux:   {"CentOS 6", "Ubuntu 18.04"},
	model.OSMacOS:   {"macOS 10.10", "macOS 10.15"},
}

// Write writes rows endpoints of groups, drawn from r.
func Write(w *bufio.Writer, groups []model.EndpointGroup, rows int, r *rand.Rand, opts Options) {
	jsonl := opts.JSONL && !opts.Field
	fr := rand.New(rand.NewPCG(uint64(rows), 0x6669656c64)) // its own source: r draws what it drew before
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	defer cw.Flush()
	weights := make([]int, len(groups))
	total := 0
	for i := range groups {
		n := 100
		if groups[i].Endpoints != nil && *groups[i].Endpoints > 0 {
			n = *groups[i].Endpoints
		}
		total += n
		weights[i] = total
	}
	switch {
	case opts.Field:
		w.WriteString("Computer Name,IP Address,OS Platform,Operating System,Tanium Client Version,CPU Count,RAM GB,Free Disk GB\r\n")
	case !jsonl:
		w.WriteString("name,ip,os,os_version,client_version,cpus,memory_gb,free_disk_gb\n")
	}
	cpuChoices := []int{2, 2, 4, 4, 4, 8, 8, 16}
	memChoices := []string{"4", "8", "8", "16", "16", "32"}
	for i := 0; i < rows; i++ {
		g := &groups[sort.SearchInts(weights, r.IntN(total)+1)]
		ip := address(g.Networks[r.IntN(len(g.Networks))], r)
		osv := g.OSVersion
		if r.IntN(1000) < 6 {
			alts := oldOS[g.OS]
			osv = alts[r.IntN(len(alts))]
		}
		client := g.ClientVersion
		switch x := r.IntN(1000); {
		case x < 8:
			client = "7.2.314.3518"
		case x < 20:
			client = "7.3.0." + strconv.Itoa(100+r.IntN(50))
		}
		cpus := cpuChoices[r.IntN(len(cpuChoices))]
		if r.IntN(1000) < 10 {
			cpus = 1
		}
		mem := memChoices[r.IntN(len(memChoices))]
		if r.IntN(1000) < 15 {
			mem = "2"
		}
		disk := 3.5 + r.ExpFloat64()*60
		if r.IntN(1000) < 12 {
			disk = r.Float64() * 2.9
		}
		name := "host-" + strconv.Itoa(1000000+i)
		ds := strconv.FormatFloat(disk, 'f', 1, 64)
		if opts.Field {
			passes := client == g.ClientVersion && cpus > 1 && mem != "2" && disk >= 3
			writeField(cw, fr, name, ip, g, osv, client, strconv.Itoa(cpus), mem, ds, passes)
			continue
		}
		if jsonl {
			fmt.Fprintf(w, "{\"name\":%q,\"ip\":%q,\"os\":%q,\"os_version\":%q,\"client_version\":%q,\"cpus\":%d,\"memory_gb\":%s,\"free_disk_gb\":%s}\n",
				name, ip, g.OS, osv, client, cpus, mem, ds)
			continue
		}
		w.WriteString(name)
		w.WriteByte(',')
		w.WriteString(ip)
		w.WriteByte(',')
		w.WriteString(g.OS)
		w.WriteByte(',')
		w.WriteString(osv)
		w.WriteByte(',')
		w.WriteString(client)
		w.WriteByte(',')
		w.WriteString(strconv.Itoa(cpus))
		w.WriteByte(',')
		w.WriteString(mem)
		w.WriteByte(',')
		w.WriteString(ds)
		w.WriteByte('\n')
	}
}

// address returns a random host address inside prefix.
func address(prefix string, r *rand.Rand) string {
	p := netip.MustParsePrefix(prefix)
	a := p.Addr().As16()
	hostBits := a[:]
	bits := p.Addr().BitLen() - p.Bits()
	if bits > 24 {
		bits = 24
	}
	n := 1 + r.IntN(max(1, 1<<bits-2))
	for i := len(hostBits) - 1; i >= 0 && n > 0; i-- {
		hostBits[i] |= byte(n)
		n >>= 8
	}
	addr := netip.AddrFrom16(a)
	if p.Addr().Is4() {
		addr = addr.Unmap()
	}
	return addr.String()
}

// platforms are Tanium's OS Platform values.
var platforms = map[string]string{model.OSWindows: "Windows", model.OSLinux: "Linux", model.OSMacOS: "Mac"}

// exportForms are the strings real exports hold for each canonical OS
// version: WMI captions with and without Version, feature updates,
// os-release PRETTY_NAME, redhat-release, sw_vers.
var exportForms = map[string][]string{
	"Windows 10":             {"Microsoft Windows 10 Enterprise", "Microsoft Windows 10 Enterprise 10.0.19045", "Microsoft Windows 10 Pro 10.0.19044", "Windows 10 22H2", "Microsoft Windows 10 Education"},
	"Windows 10 Enterprise":  {"Microsoft Windows 10 Enterprise", "Microsoft Windows 10 Enterprise 10.0.19045", "Microsoft Windows 10 Enterprise LTSC"},
	"Windows 11":             {"Microsoft Windows 11 Pro 10.0.22631", "Microsoft Windows 11 Enterprise", "Windows 11 Enterprise 23H2"},
	"Windows 7":              {"Microsoft Windows 7 Professional Service Pack 1", "Microsoft Windows 7 Enterprise 6.1.7601"},
	"Windows Server 2008":    {"Microsoft® Windows Server® 2008 Enterprise", "Microsoft Windows Server 2008 Standard 6.0.6003 Service Pack 2"},
	"Windows Server 2008 R2": {"Microsoft Windows Server 2008 R2 Standard 6.1.7601 Service Pack 1", "Microsoft Windows Server 2008 R2 Enterprise"},
	"Windows Server 2012":    {"Microsoft Windows Server 2012 Standard", "Microsoft Windows Server 2012 Datacenter 6.2.9200"},
	"Windows Server 2012 R2": {"Microsoft Windows Server 2012 R2 Datacenter 6.3.9600", "Microsoft Windows Server 2012 R2 Standard"},
	"Windows Server 2016":    {"Microsoft Windows Server 2016 Standard", "Microsoft Windows Server 2016 Datacenter 10.0.14393"},
	"Windows Server 2019":    {"Microsoft Windows Server 2019 Datacenter 10.0.17763", "Microsoft Windows Server 2019 Standard"},
	"Windows Server 2022":    {"Microsoft Windows Server 2022 Standard", "Microsoft Windows Server 2022 Datacenter: Azure Edition 10.0.20348"},
	"RHEL 8":                 {"Red Hat Enterprise Linux 8.9 (Ootpa)", "Red Hat Enterprise Linux release 8.9 (Ootpa)", "Red Hat Enterprise Linux 8.6"},
	"CentOS 7":               {"CentOS Linux 7 (Core)", "CentOS Linux release 7.9.2009 (Core)"},
	"CentOS 6":               {"CentOS release 6.10 (Final)"},
	"Ubuntu 20.04":           {"Ubuntu 20.04.6 LTS", "Ubuntu 20.04"},
	"Ubuntu 18.04":           {"Ubuntu 18.04.6 LTS"},
	"Amazon Linux 2":         {"Amazon Linux 2", "Amazon Linux release 2 (Karoo)"},
	"macOS 12":               {"macOS 12.7.2", "macOS Monterey 12.7.2", "macOS 12.7.2 (21G1974)"},
	"macOS 13":               {"macOS Ventura 13.6.1", "macOS 13.6.1 (22G313)"},
	"macOS 10.15":            {"Mac OS X 10.15.7", "macOS 10.15.7 (19H2)", "10.15.7"},
	"macOS 10.10":            {"Mac OS X 10.10.5", "OS X 10.10.5"},
}

// placeholders are Tanium's answers for a value a sensor could not give.
var placeholders = []string{"[current result unavailable]", "[no results]", "[results currently unavailable]", "TSE-Error: Python is disabled", "N/A"}

// writeField writes one endpoint as a real export writes it; passes says
// whether the endpoint's client and sizes pass, so that a placeholder
// there leaves its verdict as it was.
func writeField(w *csv.Writer, r *rand.Rand, name, ip string, g *model.EndpointGroup, osv, client, cpus, mem, disk string, passes bool) {
	if forms := exportForms[osv]; len(forms) > 0 && r.IntN(10) > 0 {
		osv = forms[r.IntN(len(forms))]
	}
	cell := ip
	if r.IntN(20) == 0 {
		// Tanium's IP Address sensor: one address per line, the one in a
		// group's network first or second.
		other := fmt.Sprintf("192.0.2.%d", 1+r.IntN(250))
		if r.IntN(2) == 0 {
			cell = other + "\n" + ip
		} else {
			cell = ip + "\n" + other
		}
	}
	if passes && r.IntN(100) == 0 {
		client = placeholders[r.IntN(len(placeholders))]
	}
	if passes && r.IntN(100) == 0 {
		cpus, mem, disk = placeholders[r.IntN(len(placeholders))], placeholders[r.IntN(len(placeholders))], placeholders[r.IntN(len(placeholders))]
	}
	w.Write([]string{name, cell, platforms[g.OS], osv, client, cpus, mem, disk})
}
