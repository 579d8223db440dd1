package cli

import (
	"encoding/pem"
	"strings"

	"github.com/carrierkit/carrierkit/device"
)

func pemEncode(b *pem.Block) []byte { return pem.EncodeToMemory(b) }

// Issues finds the errors and warnings in Junos CLI output:
//
//	[edit protocols l2circuit neighbor 192.0.2.2]     ← edit path
//	  'interface ge-1/0/9.100'                       ← statement
//	    interface not configured                      ← message
//	error: configuration check-out failed             ← error line
//
// and caret-marked "syntax error." / "unknown command." lines. It returns
// nil for output without any.
func Issues(out string) []device.Issue { return issues(out, true) }

// issues is Issues; with indented false, indented lines after an edit path
// are not taken for messages (in configuration text and "| compare" output
// they are data).
func issues(out string, indented bool) []device.Issue {
	var issues []device.Issue
	var path, elem string
	for _, raw := range strings.Split(strings.ReplaceAll(out, "\r", ""), "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
		case strings.HasPrefix(line, "[edit") && strings.HasSuffix(line, "]"):
			path, elem = line, ""
		case strings.HasPrefix(raw, "  '") && strings.HasSuffix(line, "'"):
			elem = strings.Trim(line, "'")
		case strings.HasPrefix(line, "warning:"):
			issues = append(issues, device.Issue{Severity: "warning", Path: path, Element: elem,
				Message: strings.TrimSpace(strings.TrimPrefix(line, "warning:"))})
		case strings.HasPrefix(line, "error:"):
			issues = append(issues, device.Issue{Severity: "error", Path: path, Element: elem,
				Message: strings.TrimSpace(strings.TrimPrefix(line, "error:"))})
			path, elem = "", ""
		case strings.HasPrefix(line, "syntax error"), strings.HasPrefix(line, "unknown command"),
			strings.Contains(line, "is ambiguous"):
			issues = append(issues, device.Issue{Severity: "error", Path: path, Element: elem, Message: line})
		case indented && strings.HasPrefix(raw, "    ") && path != "":
			issues = append(issues, device.Issue{Severity: "error", Path: path, Element: elem, Message: line})
		}
	}
	return issues
}
