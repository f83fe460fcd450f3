package auditrule

// TestSamplesDir is samplesDir for the package's external tests.
var TestSamplesDir = samplesDir
