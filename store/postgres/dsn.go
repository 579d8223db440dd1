package postgres

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// endpoint describes where cfg connects, for error messages: host and port,
// and how many fallback hosts follow.
func endpoint(cfg *pgx.ConnConfig) string {
	where := fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
	if strings.HasPrefix(cfg.Host, "/") {
		where = fmt.Sprintf("socket %s/.s.PGSQL.%d", cfg.Host, cfg.Port)
	}
	if n := len(cfg.Fallbacks); n > 0 {
		where += fmt.Sprintf(" (and %d fallbacks)", n)
	}
	return where
}

var (
	// keywordPassword finds a password in keyword=value form, quoted or not.
	keywordPassword = regexp.MustCompile(`password\s*=\s*('(?:[^'\\]|\\.)*'|[^\s]*)`)
	// queryPassword finds a password given as a URL query parameter.
	queryPassword = regexp.MustCompile(`[?&]password=([^&#]*)`)
)

// redact returns msg with every string that dsn may hold as a password
// replaced by "xxxxx". It is deliberately greedy: dsn may be malformed, and a
// message with too much masked beats one that shows a password.
func redact(msg, dsn string) string {
	var candidates []string
	add := func(s string) {
		if s == "" {
			return
		}
		candidates = append(candidates, s)
		if d, err := url.PathUnescape(s); err == nil && d != s {
			candidates = append(candidates, d)
		}
		if d, err := url.QueryUnescape(s); err == nil && d != s {
			candidates = append(candidates, d)
		}
	}
	// URL form: scheme://user:password@host...; the password may itself
	// hold '@' or '/' when the DSN is malformed, so take everything up to
	// the last '@'.
	if _, rest, ok := strings.Cut(dsn, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
				add(pw)
			}
		}
	}
	for _, m := range queryPassword.FindAllStringSubmatch(dsn, -1) {
		add(m[1])
	}
	for _, m := range keywordPassword.FindAllStringSubmatch(dsn, -1) {
		v := m[1]
		add(v)
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			inner := v[1 : len(v)-1]
			add(inner)
			add(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(inner))
		}
	}
	// Longest first, so a password is masked whole before any part of it.
	slices.SortFunc(candidates, func(a, b string) int { return len(b) - len(a) })
	for _, c := range candidates {
		msg = strings.ReplaceAll(msg, c, "xxxxx")
	}
	return msg
}
