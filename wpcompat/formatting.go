package wpcompat

// is_email and sanitize_user of WordPress 7.1 (spec §2.3, §5.4; wp-includes/formatting.php is_email,
// sanitize_user, wp_strip_all_tags), without their filters.

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

// IsEmail is WordPress is_email() as a boolean.
func IsEmail(s string) bool {
	if len(s) < 6 {
		return false // email_too_short
	}
	if strings.IndexByte(s[1:], '@') < 0 {
		return false // email_no_at (an @ after the first byte)
	}
	local, domain, _ := strings.Cut(s, "@")
	// PCRE's $ also matches before a final "\n", so the local part may end with one newline.
	if !allBytes(strings.TrimSuffix(local, "\n"), isEmailLocalByte) {
		return false // local_invalid_chars
	}
	if strings.Contains(domain, "..") {
		return false // domain_period_sequence
	}
	if strings.Trim(domain, php.TrimChars+".") != domain {
		return false // domain_period_limits
	}
	subs := strings.Split(domain, ".")
	if len(subs) < 2 {
		return false // domain_no_periods
	}
	for _, sub := range subs {
		if strings.Trim(sub, php.TrimChars+"-") != sub {
			return false // sub_hyphen_limits
		}
		if !allBytes(sub, isDomainByte) {
			return false // sub_invalid_chars
		}
	}
	return true
}

// allBytes reports a non-empty string made only of bytes accepted by ok.
func allBytes(s string, ok func(byte) bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isEmailLocalByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~.-", c) >= 0
}

func isDomainByte(c byte) bool { return isAlnum(c) || c == '-' }

var (
	scriptStyleRe = regexp.MustCompile(`(?is)<script[^>]*?>.*?</script>|<style[^>]*?>.*?</style>`)
	// PercentOctet is a percent-encoded octet (%XX), as sanitize_user and the JWT login field remove it.
	PercentOctet = regexp.MustCompile(`%[a-fA-F0-9][a-fA-F0-9]`)
	htmlEntityRe = regexp.MustCompile(`&.+?;`)
	pcreSpaceRun = regexp.MustCompile("[\t\n\v\f\r ]+") // PCRE \s without /u includes \v
)

// SanitizeUser is sanitize_user($username) (non-strict), as get_user_by('login') applies it after trim.
// Simplification: remove_accents() is not reproduced; non-ASCII UTF-8 passes through unchanged and the
// database collation decides (utf8mb4_unicode_ci already equates "é" and "e"), and invalid UTF-8, which
// remove_accents would read as Latin-1, gives "" (no user).
func SanitizeUser(s string) string {
	if plainLogin(s) {
		return s // nothing below would change it (the common case: every authenticated request comes here)
	}
	s = StripLoginTags(s)
	if !utf8.ValidString(s) {
		return ""
	}
	s = PercentOctet.ReplaceAllString(s, "")
	s = htmlEntityRe.ReplaceAllString(s, "")
	s = php.Trim(s)
	return pcreSpaceRun.ReplaceAllString(s, " ")
}

// plainLogin reports whether SanitizeUser leaves s as it is: printable ASCII without '<', '%' or '&', no space at
// either end and no two spaces in a row.
func plainLogin(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 && !(c == ' ' && s[i+1] != ' ') || c > 0x7e || c == '<' || c == '%' || c == '&' {
			return false
		}
	}
	return true
}

// StripLoginTags is wp_strip_all_tags as sanitize_user and the JWT login field apply it: script/style blocks removed,
// then an approximate strip_tags, then trim (wpformat.StripAllTags ports PHP's full strip_tags state machine).
func StripLoginTags(s string) string {
	if strings.ContainsAny(s, "<\x00") {
		s = scriptStyleRe.ReplaceAllString(s, "")
		s = stripTags(s)
	}
	return php.Trim(s)
}

// stripTags approximates PHP strip_tags without allowed tags: "<" followed by a non-space starts a tag that
// ends at the matching ">" (quotes and nested "<" respected), "<!--" runs to "-->", an unclosed tag swallows the
// rest, and NUL bytes are dropped. Logins never legitimately contain "<", so the rare corner cases of PHP's
// state machine are not reproduced.
func stripTags(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0:
			continue
		case c == '<' && i+1 < len(s) && isPHPSpace(s[i+1]):
			b.WriteByte(c)
		case c == '<':
			if strings.HasPrefix(s[i:], "<!--") {
				end := strings.Index(s[i+4:], "-->")
				if end < 0 {
					return b.String()
				}
				i += 4 + end + 2
				continue
			}
			depth, quote := 0, byte(0)
			j := i + 1
			for ; j < len(s); j++ {
				d := s[j]
				if quote != 0 {
					if d == quote {
						quote = 0
					}
					continue
				}
				if d == '"' || d == '\'' {
					quote = d
				} else if d == '<' {
					depth++
				} else if d == '>' {
					if depth == 0 {
						break
					}
					depth--
				}
			}
			if j >= len(s) {
				return b.String()
			}
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isPHPSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
