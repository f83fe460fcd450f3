package check

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/trgen/trgen/internal/catalog"
	"github.com/trgen/trgen/internal/model"
	"github.com/trgen/trgen/internal/rule"
)

// ports reports each part of the deployment that needs a flow the catalog
// has no port row for: without the row there is no port to open, so the
// flow would be missing from every firewall output.
func (c *checker) ports() {
	// missing reports, once per block, the flows of what it needs that
	// no port row opens.
	missing := func(what string, rng hcl.Range, flows ...string) {
		var lacking []string
		for _, flow := range flows {
			if len(c.cat.PortsFor(flow)) == 0 {
				lacking = append(lacking, fmt.Sprintf("%q", flow))
			}
		}
		if len(lacking) == 0 {
			return
		}
		c.add(rule.CatalogPortMissing, rng, fmt.Sprintf("No port for %s in the catalog", what),
			fmt.Sprintf("The requirements catalog for Threat Response %s (%s) has no port row that opens %s (a row with \"flow\": %s). Remove what needs it from the deployment, or add the row to the catalog if the page lists one.",
				c.tr, c.cat.CatalogVersion, what, strings.Join(lacking, " or ")), nil)
	}
	for _, ts := range c.d.TaniumServers {
		missing("the Tanium Server's connections to the Module Server", ts.DeclRange, catalog.FlowTaniumServer)
	}
	for i := range c.d.EndpointGroups {
		g := &c.d.EndpointGroups[i]
		if g.ConnectVia != nil {
			missing("live connections through a Zone Server", g.ConnectViaRange, catalog.FlowLiveConnectionZone, catalog.FlowZoneHub)
			continue
		}
		missing("snapshot uploads and live connections to the Module Server", g.DeclRange, catalog.FlowSnapshotUpload, catalog.FlowLiveConnection)
	}
	for _, s := range c.d.IntelStreams {
		u, err := url.Parse(s.URL)
		if err != nil {
			continue // url-invalid reported it
		}
		flow := catalog.FlowIntelHTTPS
		if u.Scheme == "http" {
			flow = catalog.FlowIntelHTTP
		}
		missing(u.Scheme+" intel streams", s.URLRange, flow)
	}
	for _, dc := range c.d.DataCollection {
		if !model.KnownTransfer(dc.Transfer) {
			continue // the schema reported it
		}
		if _, _, ok := c.cat.TransferPort(dc.Transfer); !ok && len(c.cat.PortsFor(catalog.FlowDataCollection)) > 0 {
			c.add(rule.CatalogPortMissing, dc.TransferRange, fmt.Sprintf("No port for transfer %q in the catalog", dc.Transfer),
				fmt.Sprintf("The requirements catalog for Threat Response %s (%s) gives no port for the transfer method %q. Use another transfer method, or add it to the data collection row's transfers if the page lists one.",
					c.tr, c.cat.CatalogVersion, dc.Transfer), nil)
			continue
		}
		missing("uploads of collected data", dc.TransferRange, catalog.FlowDataCollection)
	}
}
