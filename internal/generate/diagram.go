package generate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/trgen/trgen/internal/plan"
)

// Diagram is the network diagram of runbook.html, laid out: one band per
// network zone, left to right in the order traffic crosses them (remote,
// DMZ, internal, internet, external), each node a box in its band, and one
// arrow per source and destination with the ports it carries. The page's
// template draws it as inline SVG; every number is an integer, so the same
// flows give the same picture byte for byte.
type Diagram struct {
	Width, Height int
	Bands         []DiagramBand
	Nodes         []DiagramNode
	Edges         []DiagramEdge
}

// DiagramBand is a zone's rectangle and title, whose text starts at
// (TitleX, TitleY).
type DiagramBand struct {
	X, Y, W, H     int
	TitleX, TitleY int
	Title          string
}

// DiagramNode is one host, group or external destination.
type DiagramNode struct {
	X, Y, W, H int
	// TextX is where the name and detail lines start; NameY and DetailY
	// their baselines.
	TextX, NameY, DetailY int
	// Name is the node's logical name, Label the same shortened to fit
	// the box (the full name is the box's tooltip), Detail its addresses
	// (shortened when long; the full list is in the summary and the change
	// request).
	Name, Label, Detail string
	// Group is true for endpoint groups (drawn differently from hosts).
	Group bool
}

// DiagramEdge is an arrow: Path is SVG path data (numbers and commands
// only), the label the ports, placed at (LabelX, LabelY) with the SVG
// text-anchor Anchor ("start" or "end").
type DiagramEdge struct {
	// Path is the curve; Head the arrowhead at its destination end, a
	// closed triangle (drawn as a path, not a marker, so the page holds no
	// url() reference at all).
	Path, Head     string
	Label          string
	LabelX, LabelY int
	Anchor         string
	// From and To name the nodes, for the page's tooltips and tests.
	From, To string
}

// Layout sizes, in SVG user units (pixels at 100 %).
const (
	diagramBoxW    = 250
	diagramBoxH    = 44
	diagramGapY    = 14
	diagramGutter  = 150 // between sub-columns: arrows and their labels
	diagramPad     = 20
	diagramTitleH  = 34
	diagramLabelDY = 12
	diagramDetail  = 36 // characters of addresses shown in a box
	// Text inside boxes and bands: from the left edge, and baselines
	// from the top edge.
	diagramTextDX   = 10
	diagramNameDY   = 18
	diagramDetailDY = 34
	diagramTitleDX  = 12
	diagramTitleDY  = 23
)

// diagramBandOrder is the zones left to right.
var diagramBandOrder = []string{plan.ZoneRemote, plan.ZoneDMZ, plan.ZoneInternal, plan.ZoneInternet, plan.ZoneExternal}

var diagramBandTitle = map[string]string{
	plan.ZoneRemote: "Remote", plan.ZoneDMZ: "DMZ", plan.ZoneInternal: "Internal",
	plan.ZoneInternet: "Internet", plan.ZoneExternal: "External (DNS names only)",
}

// layoutDiagram lays out the flows' nodes by zone (zs, as zones returns
// them) and one arrow per source and destination.
func layoutDiagram(zs []Zone, flows []plan.Flow) Diagram {
	byZone := map[string]Zone{}
	for _, z := range zs {
		byZone[z.Name] = z
	}
	var d Diagram
	boxes := map[string]*DiagramNode{}
	x := diagramPad
	var bandH int
	var bands []*DiagramBand
	for _, name := range diagramBandOrder {
		z, ok := byZone[name]
		if !ok {
			continue
		}
		// Groups in the first sub-column, hosts and destinations in the
		// second: arrows between them stay inside the band's gutter.
		var cols [2][]plan.Node
		for _, n := range z.Nodes {
			if n.Kind == "endpoint_group" {
				cols[0] = append(cols[0], n)
			} else {
				cols[1] = append(cols[1], n)
			}
		}
		slices.SortStableFunc(cols[1], func(a, b plan.Node) int { return nodeRank(a) - nodeRank(b) })
		band := &DiagramBand{X: x, Y: diagramPad, TitleX: x + diagramTitleDX, TitleY: diagramPad + diagramTitleDY, Title: diagramBandTitle[name]}
		cx := x + diagramGutter/2
		used := 0
		for _, col := range cols {
			if len(col) == 0 {
				continue
			}
			if used > 0 {
				cx += diagramBoxW + diagramGutter
			}
			used++
			y := diagramPad + diagramTitleH
			for _, n := range col {
				dn := &DiagramNode{X: cx, Y: y, W: diagramBoxW, H: diagramBoxH, TextX: cx + diagramTextDX, NameY: y + diagramNameDY, DetailY: y + diagramDetailDY, Name: n.Name, Label: shorten(n.Name, diagramDetail), Detail: shorten(n.Endpoint, diagramDetail), Group: n.Kind == "endpoint_group"}
				boxes[n.Name] = dn
				y += diagramBoxH + diagramGapY
			}
			bandH = max(bandH, y-diagramPad)
		}
		band.W = cx + diagramBoxW + diagramGutter/2 - x
		bands = append(bands, band)
		x += band.W + diagramPad
	}
	for _, b := range bands {
		b.H = bandH
		d.Bands = append(d.Bands, *b)
	}
	d.Width, d.Height = x, bandH+2*diagramPad

	// One arrow per source and destination, carrying all their ports.
	type pair struct{ from, to string }
	ports := map[pair][]string{}
	var order []pair
	for _, f := range flows {
		p := pair{f.Source.Name, f.Destination.Name}
		if _, ok := ports[p]; !ok {
			order = append(order, p)
		}
		if port := fmt.Sprintf("%s/%d", f.Protocol, f.Port); !slices.Contains(ports[p], port) {
			ports[p] = append(ports[p], port)
		}
	}
	// Labels sit beside the end that is not shared by many arrows: the
	// source for arrows from endpoint groups, the destination otherwise.
	// slots counts the labels already at each side of each box.
	slots := map[string]int{}
	for _, p := range order {
		src, dst := boxes[p.from], boxes[p.to]
		e := DiagramEdge{From: p.from, To: p.to, Label: strings.Join(ports[p], ", ")}
		sx, sy, dx, dy := src.X+src.W, src.Y+src.H/2, dst.X, dst.Y+dst.H/2
		switch {
		case dst.X < src.X: // leftwards
			sx, dx = src.X, dst.X+dst.W
		case dst.X == src.X: // same column: out and back on the right
			dx = dst.X + dst.W
		}
		bend := max(abs(dx-sx)/2, 40)
		c1, c2 := sx+bend, dx-bend
		if sx == src.X {
			c1 = sx - bend
		}
		if dx == dst.X+dst.W {
			c2 = dx + bend
		}
		e.Path = fmt.Sprintf("M%d %d C%d %d %d %d %d %d", sx, sy, c1, sy, c2, dy, dx, dy)
		back := -8 // the curve arrives horizontally, from c2's side
		if c2 > dx {
			back = 8
		}
		e.Head = fmt.Sprintf("M%d %d L%d %d L%d %d Z", dx, dy, dx+back, dy-4, dx+back, dy+4)
		lx, ly, side, box := sx, sy, "src", src
		if !src.Group {
			lx, ly, side, box = dx, dy, "dst", dst
		}
		key := fmt.Sprintf("%s|%s|%d", box.Name, side, lx)
		ly += slots[key]*diagramLabelDY - 3
		slots[key]++
		if lx == box.X {
			e.LabelX, e.Anchor = lx-6, "end"
		} else {
			e.LabelX, e.Anchor = lx+6, "start"
		}
		e.LabelY = ly
		d.Edges = append(d.Edges, e)
	}
	for _, n := range nodesInOrder(zs, boxes) {
		d.Nodes = append(d.Nodes, *n)
	}
	return d
}

// nodesInOrder returns the laid-out boxes in zone and name order.
func nodesInOrder(zs []Zone, boxes map[string]*DiagramNode) []*DiagramNode {
	var out []*DiagramNode
	for _, z := range zs {
		for _, n := range z.Nodes {
			out = append(out, boxes[n.Name])
		}
	}
	return out
}

// nodeRank orders the hosts of a column: Tanium Servers, the Module
// Server, Zone Servers, then external destinations.
func nodeRank(n plan.Node) int {
	return slices.Index([]string{"tanium_server", "module_server", "zone_server", "intel_stream", "data_collection"}, n.Kind)
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
