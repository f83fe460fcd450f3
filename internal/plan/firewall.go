// Package plan computes, as pure functions of a checked deployment and its
// catalog, what every output must contain: network flows, per-host firewall
// rules, and (later) exclusions, audit rules, roles and the runbook. Plans
// are sorted and de-duplicated, and decide policy; they format nothing for a
// target syntax, which is the templates' job.
package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
)

// Node is one end of a flow: a host, a group of endpoints, or an external
// destination.
type Node struct {
	// Name is the logical name, "<block type>.<label>".
	Name string
	// Kind is the block type: tanium_server, module_server, zone_server,
	// endpoint_group, intel_stream, data_collection.
	Kind string
	// Label is the block label.
	Label string
	// Addresses are IP addresses and CIDRs, sorted.
	Addresses []string
	// Hostnames are DNS names that have no address given, sorted.
	Hostnames []string
	// Zone is the network zone used to group flows into firewall boundaries:
	// internal, dmz, remote, internet or external.
	Zone string
	// FQDN is the DNS name of an intel stream or data collection
	// destination given by name, also when its addresses are given.
	FQDN string
	// AddressList joins the addresses and host names with ";", for
	// tables; Endpoint describes the node's network end for a change
	// request: AddressList, after the DNS name when it has both
	// ("intel.example.com: 198.51.100.7"). Both are set with the other
	// fields (Described), so that templates print them without a call
	// per row.
	AddressList, Endpoint string
}

// Described returns n with AddressList and Endpoint set from its
// addresses, host names and DNS name. Every Node a planner returns is
// described.
func (n Node) Described() Node {
	n.AddressList = strings.Join(append(append([]string{}, n.Addresses...), n.Hostnames...), ";")
	n.Endpoint = n.AddressList
	if n.FQDN != "" && len(n.Addresses) > 0 {
		n.Endpoint = n.FQDN + ": " + n.AddressList
	}
	return n
}

// Flow is one network flow the deployment needs.
type Flow struct {
	// ID is derived from the flow itself, so it is stable across runs and
	// input order: "f" + 12 hex digits of a hash of source, destination,
	// protocol and port.
	ID          string
	Source      Node
	Destination Node
	Protocol    string
	Port        int
	// Direction is the flow seen from the organisation's network (the
	// internal and DMZ zones), the one viewpoint of every row of flows.csv:
	// "inbound" from outside into it (remote endpoints to a Zone Server),
	// "outbound" from it to outside (intel streams, data collection on the
	// internet), "internal" within it, "external" with neither end in it
	// (remote endpoints to an internet destination). The page's own side
	// of the row (inbound at the Module Server, outbound at the client) is
	// in Reference.
	Direction string
	Service   string
	Purpose   string
	// Required is false for flows the deployment does not depend on.
	// Every flow Flows returns is there because a group or a feature of
	// the deployment needs it (NeededBy), so each is required, including
	// those whose row the page marks "(Optional)" (VendorOptional).
	Required bool
	// Requirement is Required as flows.csv's "required" column says it:
	// "yes" or "optional".
	Requirement string
	// NeededBy says what in the deployment needs the flow.
	NeededBy string
	// Choice, when set, says why the flow is the deployment's choice and
	// not the page's requirement: the page lists the port but not this
	// path (a group behind a Zone Server uploading to an internal
	// destination). Requirement then says so.
	Choice string
	// NoChange, when set, says why no firewall of the organisation needs
	// a change for the flow (both ends are outside it): it is listed, and
	// left out of the change request's boundaries and the network
	// firewall policies.
	NoChange string
	// VendorOptional: the page's row is marked "(Optional)", which means
	// the row applies only to deployments with a Zone Server; where the
	// flow is emitted, this deployment has one that a group uses.
	VendorOptional bool
	// Reference cites the page's port row.
	Reference string
}

// Boundary names the firewall boundary the flow crosses, "internal → dmz".
func (f Flow) Boundary() string { return f.Source.Zone + " → " + f.Destination.Zone }

// Zones the flows are grouped by.
const (
	ZoneInternal = "internal"
	ZoneDMZ      = "dmz"
	ZoneRemote   = "remote"
	ZoneInternet = "internet"
	ZoneExternal = "external"
)

// Flows returns every network flow of d, sorted by boundary, source,
// destination and port, as the catalog's port table implies; each port row
// names the flow it opens (catalog.Port.Flow), and a flow whose row the
// catalog lacks is not generated (check reports it as catalog-port-missing).
// For the 2.0 page: Tanium Server → Module Server 17477; directly connected
// groups → Module Server 17443 and 17444; groups with connect_via → their
// Zone Server 17444; Module Server → each used Zone Server 17449; Module
// Server → intel streams on 80/443 or the URL's port; every group → each
// data collection destination on the transfer method's port.
func Flows(d *model.Deployment, c *catalog.Catalog) []Flow {
	ms := serverNode("module_server", d.ModuleServers[0].Name, d.ModuleServers[0].Address, ZoneInternal)
	zones := map[string]Node{}
	for _, z := range d.ZoneServers {
		zones[z.Name] = serverNode("zone_server", z.Name, z.Address, ZoneDMZ)
	}
	var flows []Flow
	add := func(src, dst Node, flow string, neededBy string) {
		for _, row := range c.PortsFor(flow) {
			flows = append(flows, newFlow(src, dst, row.Port, row, neededBy))
		}
	}
	for _, ts := range d.TaniumServers {
		add(serverNode("tanium_server", ts.Name, ts.Address, ZoneInternal), ms, catalog.FlowTaniumServer,
			"Threat Response on the Module Server")
	}
	usedZones := map[string][]string{} // zone label → the groups connecting through it
	for i := range d.EndpointGroups {
		g := &d.EndpointGroups[i]
		if g.ConnectVia != nil {
			z := zones[*g.ConnectVia]
			usedZones[z.Label] = append(usedZones[z.Label], "endpoint_group."+g.Name)
			add(groupNode(g, ZoneRemote), z, catalog.FlowLiveConnectionZone,
				fmt.Sprintf("endpoint_group.%s: live connections, through %s (its only path)", g.Name, z.Name))
			continue
		}
		gn := groupNode(g, ZoneInternal)
		add(gn, ms, catalog.FlowSnapshotUpload, "endpoint_group."+g.Name+": snapshot uploads")
		add(gn, ms, catalog.FlowLiveConnection, "endpoint_group."+g.Name+": live connections")
	}
	for name, groups := range usedZones {
		add(ms, zones[name], catalog.FlowZoneHub,
			fmt.Sprintf("%s: live connections through %s (the zone hub's only path to its proxy)", strings.Join(groups, ", "), zones[name].Name))
	}
	for _, s := range d.IntelStreams {
		u, _ := url.Parse(s.URL)
		flow := catalog.FlowIntelHTTPS
		if u.Scheme == "http" {
			flow = catalog.FlowIntelHTTP
		}
		rows := c.PortsFor(flow)
		if len(rows) == 0 {
			continue // check reported catalog-port-missing
		}
		row, port := rows[0], rows[0].Port // the URL names one port
		if p := u.Port(); p != "" {
			port, _ = strconv.Atoi(p)
		}
		flows = append(flows, newFlow(ms, externalNode("intel_stream", s.Name, u.Hostname(), s.Addresses), port, row, "intel_stream."+s.Name))
	}
	for _, dc := range d.DataCollection {
		row, port, ok := c.TransferPort(dc.Transfer)
		if !ok {
			continue
		}
		dst := externalNode("data_collection", dc.Name, dc.Destination, dc.Addresses)
		for i := range d.EndpointGroups {
			g := &d.EndpointGroups[i]
			if !dc.Uses(g.Name) {
				continue
			}
			zone := ZoneInternal
			if g.ConnectVia != nil {
				zone = ZoneRemote
			}
			f := newFlow(groupNode(g, zone), dst, port, row, fmt.Sprintf("data_collection.%s: endpoint_group.%s uploads collected data", dc.Name, g.Name))
			if zone == ZoneRemote && dst.Zone == ZoneInternal {
				f.Choice = fmt.Sprintf("endpoint_group.%s connects through %s: its upload to %s, inside the organisation, is an inbound path from outside that the page does not list (trgen's reading %s)",
					g.Name, "zone_server."+*g.ConnectVia, dst.Name, ReadingDataCollectionZone)
				f.Requirement = "the deployment's choice (" + ReadingDataCollectionZone + ")"
				f.Reference += "; from behind a Zone Server the path is the deployment's choice, not on the page (trgen's reading " + ReadingDataCollectionZone + ")"
			}
			flows = append(flows, f)
		}
	}
	for i := range flows {
		flows[i].NoChange = noChange(flows[i])
	}
	// Boundaries in zone order (internal first, by source then destination
	// zone), then source, destination and port.
	slices.SortFunc(flows, func(a, b Flow) int {
		return cmp.Or(
			cmp.Compare(zoneRank(a.Source.Zone), zoneRank(b.Source.Zone)),
			cmp.Compare(zoneRank(a.Destination.Zone), zoneRank(b.Destination.Zone)),
			strings.Compare(a.Source.Name, b.Source.Name),
			strings.Compare(a.Destination.Name, b.Destination.Name),
			cmp.Compare(a.Port, b.Port))
	})
	return flows
}

// The readings of the catalog that flows cite by id (trgen requirements
// prints their text).
const (
	ReadingDataCollectionZone = "data-collection-zone"
	ReadingRemoteInternet     = "remote-internet-no-change"
	ReadingSnapshotZone       = "snapshot-upload-zone"
)

// noChange says why no firewall of the organisation needs a change for f,
// "" when one does: a group outside the organisation (behind a Zone
// Server) reaching a destination on the internet crosses none of them.
func noChange(f Flow) string {
	if f.Source.Zone == ZoneRemote && f.Destination.Zone == ZoneInternet {
		return fmt.Sprintf("%s is outside the organisation's network and %s is on the internet: no firewall of the organisation is on the path (trgen's reading %s)",
			f.Source.Name, f.Destination.Name, ReadingRemoteInternet)
	}
	return ""
}

// NeedsChange reports whether a firewall of the organisation must be
// changed for f.
func (f Flow) NeedsChange() bool { return f.NoChange == "" }

// ZoneOrder is the order boundaries and zones are listed in: the
// organisation's own network first, the internet last.
var ZoneOrder = []string{ZoneInternal, ZoneDMZ, ZoneRemote, ZoneExternal, ZoneInternet}

func zoneRank(z string) int { return slices.Index(ZoneOrder, z) }

func newFlow(src, dst Node, port int, row catalog.Port, neededBy string) Flow {
	page := row.Source.PageTitle()
	ref := fmt.Sprintf("%s, Ports: %s %d %s", page, componentName(row.Component), port, row.Direction)
	if row.Port != 0 && port != row.Port {
		// An intel stream on another port: the row is the scheme's (80 or
		// 443); the port is the URL's. The page has no row for it.
		ref = fmt.Sprintf("%s, Ports: %s %d %s, on port %d from the stream's URL (trgen's reading: the page lists only 80 and 443)",
			page, componentName(row.Component), row.Port, row.Direction, port)
	}
	if row.Port == 0 {
		ref = fmt.Sprintf("%s, Ports: Threat Response data collection %d (%s) %s", page, port, transferNames(row, port), row.Direction)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{src.Name, dst.Name, row.Protocol, strconv.Itoa(port)}, "\x00")))
	dir := direction(src.Zone, dst.Zone)
	return Flow{
		ID:          "f" + hex.EncodeToString(sum[:6]),
		Source:      src,
		Destination: dst,
		Protocol:    row.Protocol,
		Port:        port,
		Direction:   dir,
		Service:     row.Service,
		Purpose:     row.Purpose,
		// Emitted only because neededBy needs it: required here, whatever
		// the row's "(Optional)" says of deployments without a Zone Server.
		Required:       true,
		Requirement:    requirement(true),
		NeededBy:       neededBy,
		VendorOptional: row.Optional,
		Reference:      ref,
	}
}

// direction is a flow's Direction from the zones of its ends.
func direction(src, dst string) string {
	inside := func(z string) bool { return z == ZoneInternal || z == ZoneDMZ }
	switch {
	case inside(src) && inside(dst):
		return "internal"
	case inside(dst):
		return "inbound"
	case inside(src):
		return "outbound"
	}
	return "external"
}

func componentName(c string) string {
	switch c {
	case "module_server":
		return "Module Server"
	case "zone_server":
		return "Zone Server"
	case "client":
		return "Tanium Client"
	}
	return c
}

// transferNames names the transfer methods that use port, "SFTP/SCP".
func transferNames(row catalog.Port, port int) string {
	var names []string
	for _, t := range model.Transfers {
		if p, ok := row.Transfers[t]; ok && p == port {
			names = append(names, strings.ToUpper(t))
		}
	}
	return strings.Join(names, "/")
}

func serverNode(kind, label, address, zone string) Node {
	n := Node{Name: kind + "." + label, Kind: kind, Label: label, Zone: zone}
	addAddress(&n, address)
	return n.Described()
}

func groupNode(g *model.EndpointGroup, zone string) Node {
	n := Node{Name: "endpoint_group." + g.Name, Kind: "endpoint_group", Label: g.Name, Zone: zone}
	n.Addresses = append(n.Addresses, g.Networks...)
	sort.Strings(n.Addresses)
	return n.Described()
}

// externalNode is an intel stream or data collection destination: its
// zone is internal for private addresses, internet for public ones, and
// external when only a DNS name is known.
func externalNode(kind, label, host string, addresses []string) Node {
	n := Node{Name: kind + "." + label, Kind: kind, Label: label}
	if _, err := netip.ParseAddr(host); err != nil {
		n.FQDN = strings.TrimSuffix(strings.ToLower(host), ".")
	}
	if len(addresses) > 0 {
		for _, a := range addresses {
			addAddress(&n, a)
		}
	} else {
		addAddress(&n, host)
	}
	n.Zone = ZoneExternal
	if len(n.Addresses) > 0 {
		n.Zone = ZoneInternet
		if allPrivate(n.Addresses) {
			n.Zone = ZoneInternal
		}
	}
	return n.Described()
}

func addAddress(n *Node, a string) {
	if _, err := netip.ParseAddr(a); err == nil {
		n.Addresses = append(n.Addresses, a)
	} else if _, err := netip.ParsePrefix(a); err == nil {
		n.Addresses = append(n.Addresses, a)
	} else {
		n.Hostnames = append(n.Hostnames, strings.TrimSuffix(strings.ToLower(a), "."))
	}
	sort.Strings(n.Addresses)
	sort.Strings(n.Hostnames)
}

func allPrivate(addrs []string) bool {
	for _, a := range addrs {
		var ip netip.Addr
		if p, err := netip.ParsePrefix(a); err == nil {
			ip = p.Addr()
		} else {
			ip, _ = netip.ParseAddr(a)
		}
		if !ip.IsPrivate() && !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// requirement is the flows.csv "required" value of a flow: "yes" or
// "optional".
func requirement(required bool) string {
	if required {
		return "yes"
	}
	return "optional"
}
