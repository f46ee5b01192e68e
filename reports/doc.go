// Package reports renders the result of one cffuzz campaign, a cffuzz.Report
// and its []cffuzz.Finding, into the files a person or a CI system reads:
//
//	report.json    the campaign's totals (cffuzz.Report)
//	findings.json  the findings, the machine-readable contract (cffuzz.FindingsFile)
//	junit.xml      one test case per oracle, a <failure> per finding
//	results.sarif  SARIF 2.1.0 for code scanning, one result per finding
//	summary.md     a short Markdown page for a CI job summary
//	report.html    a self-contained HTML page with charts drawn as inline SVG
//
// WriteAll writes them all; Load reads report.json and findings.json back so
// that `fuzz report DIR` can render the other formats again without running
// the campaign. Each Write function renders one format to an io.Writer.
//
// Every string in a finding may come from hostile input (a connection object
// or a message quoting one): each format escapes it for its own syntax, and
// the HTML page runs no script and fetches nothing.
package reports
