// Package schema embeds trgen's data files: the JSON Schema of the deployment
// language, the requirements catalogs (one per Threat Response version line)
// and the JSON Schema the catalogs themselves must satisfy. It exists because
// //go:embed cannot reach parent directories; it holds no logic.
package schema

import "embed"

// FS holds the JSON Schemas (deployment, catalog, and those of the JSON
// outputs), catalog/*.json and the syscall tables syscalls/*/*.txt.
//
//go:embed *.schema.json catalog/*.json syscalls/*/*.txt
var FS embed.FS
