package sim

import "strings"

// word is one word of a CLI line and the byte offset where it starts, so that
// errors can put their caret under it.
type cliWord struct {
	text string // without surrounding quotes
	pos  int
}

// segment is one part of a command line between pipes.
type cliSegment struct {
	raw   string // the text as typed, trimmed
	pos   int    // offset of raw in the line
	words []cliWord
}

// splitPipes splits a CLI line at "|" characters outside double quotes and
// splits each part into words. Quotes group words ("two words") and a
// backslash escapes the next character inside them, as in Junos.
func cliSplitPipes(line string) []cliSegment {
	var segs []cliSegment
	start := 0
	inQuote := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '|' && !inQuote:
			segs = append(segs, cliMakeSegment(line, start, i))
			start = i + 1
		}
	}
	return append(segs, cliMakeSegment(line, start, len(line)))
}

func cliMakeSegment(line string, start, end int) cliSegment {
	part := line[start:end]
	lead := len(part) - len(strings.TrimLeft(part, " \t"))
	raw := strings.TrimRight(part[lead:], " \t")
	return cliSegment{raw: raw, pos: start + lead, words: cliSplitWords(raw, start+lead)}
}

// splitWords splits s into words at blanks outside double quotes; base is the
// offset of s in the whole line.
func cliSplitWords(s string, base int) []cliWord {
	var ws []cliWord
	var cur strings.Builder
	inWord, inQuote := false, false
	wstart := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == '"':
			if !inWord {
				inWord, wstart = true, i
			}
			inQuote = !inQuote
		case !inQuote && (c == ' ' || c == '\t'):
			if inWord {
				ws = append(ws, cliWord{text: cur.String(), pos: base + wstart})
				cur.Reset()
				inWord = false
			}
		default:
			if !inWord {
				inWord, wstart = true, i
			}
			cur.WriteByte(c)
		}
	}
	if inWord {
		ws = append(ws, cliWord{text: cur.String(), pos: base + wstart})
	}
	return ws
}

// wordTexts returns the texts of ws.
func cliTexts(ws []cliWord) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out
}

// quoteWord quotes a word for a Junos command line when it needs it.
func cliQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"\\;{}#|") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
