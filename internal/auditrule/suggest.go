package auditrule

import "github.com/trgen/trgen/internal/suggest"

func suggestField(name string) string { return suggest.DidYouMean(name, fieldNames) }
