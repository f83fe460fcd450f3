// Package schema embeds trgen's data files: the JSON Schema of the deployment
// language, the requirements catalogs (one per Threat Response version line)
// and the JSON Schema the catalogs themselves must satisfy. It exists because
// //go:embed cannot reach parent directories; it holds no logic.
package schema

import "embed"

// FS holds deployment.schema.json, catalog.schema.json,
// mdatp-exclusions.schema.json and catalog/*.json.
//
//go:embed deployment.schema.json catalog.schema.json mdatp-exclusions.schema.json catalog/*.json
var FS embed.FS
