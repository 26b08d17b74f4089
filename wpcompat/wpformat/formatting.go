package wpformat

// WordPress 7.1 formatting functions (wp-includes/formatting.php, wp-includes/kses.php): sanitize_text_field,
// sanitize_email, is_email, esc_url, esc_html, sanitize_user, sanitize_title. Written from their documented
// behaviour; each function names its PHP counterpart.

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
)

// SanitizeTextField is sanitize_text_field() (_sanitize_text_fields with keep_newlines false) for a string.
func SanitizeTextField(s string) string {
	if !utf8.ValidString(s) { // wp_check_invalid_utf8 without strip
		return ""
	}
	if strings.Contains(s, "<") {
		s = preKsesLessThan(s)
		s = StripAllTags(s)
		s = strings.ReplaceAll(s, "<\n", "&lt;\n")
	}
	s = collapseSpaces(s)
	s = php.Trim(s)
	found := false
	for {
		m := percentOctet.FindString(s)
		if m == "" {
			break
		}
		s = strings.ReplaceAll(s, m, "")
		found = true
	}
	if found {
		s = php.Trim(multiSpace.ReplaceAllString(s, " "))
	}
	return s
}

var (
	percentOctet  = regexp.MustCompile(`(?i)%[a-f0-9]{2}`)
	multiSpace    = regexp.MustCompile(` +`)
	scriptStyle   = regexp.MustCompile(`(?is)<(script|style)[^>]*?>.*?</(script|style)>`)
	entityPattern = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)
)

// collapseSpaces is preg_replace('/[\r\n\t ]+/', ' ', $s).
func collapseSpaces(s string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' || c == '\t' || c == ' ' {
			if !in {
				b.WriteByte(' ')
				in = true
			}
			continue
		}
		in = false
		b.WriteByte(c)
	}
	return b.String()
}

// preKsesLessThan is wp_pre_kses_less_than(): a "<" run with no ">" before the next "<" or the end is escaped.
func preKsesLessThan(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '<' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != '>' && s[j] != '<' {
			j++
		}
		if j < len(s) && s[j] == '>' {
			b.WriteString(s[i : j+1])
			i = j + 1
			continue
		}
		b.WriteString(EscHTML(s[i:j]))
		i = j
	}
	return b.String()
}

// StripAllTags is wp_strip_all_tags($s, false).
func StripAllTags(s string) string {
	s = scriptStyle.ReplaceAllStringFunc(s, func(m string) string {
		sm := scriptStyle.FindStringSubmatch(m)
		if strings.EqualFold(sm[1], sm[2]) {
			return ""
		}
		return m
	})
	return php.Trim(stripTags(s))
}

// stripTags is PHP strip_tags() without allowed tags: a small port of php_strip_tags_ex's state machine
// (tags, quoted attribute values, "<?...?>", "<!...>" and "<!--...-->").
func stripTags(s string) string {
	var b strings.Builder
	state, depth := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch state {
		case 0:
			if c == '<' {
				if i+1 < len(s) && php.IsSpace(s[i+1]) {
					b.WriteByte(c)
					continue
				}
				state, depth, quote = 1, 0, 0
				if i+1 < len(s) {
					switch s[i+1] {
					case '?':
						state = 2
						i++
					case '!':
						if strings.HasPrefix(s[i+1:], "!--") {
							state = 4
							i += 3
						} else {
							state = 3
							i++
						}
					}
				}
				continue
			}
			b.WriteByte(c)
		case 1, 3:
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '<':
				depth++
			case c == '>':
				if depth > 0 {
					depth--
				} else {
					state = 0
				}
			}
		case 2:
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>' && i > 0 && s[i-1] == '?':
				state = 0
			}
		case 4:
			if c == '>' && i >= 2 && s[i-1] == '-' && s[i-2] == '-' {
				state = 0
			}
		}
	}
	return b.String()
}

// EscHTML is esc_html(): _wp_specialchars with ENT_QUOTES and no double encoding of valid entities.
func EscHTML(s string) string {
	if !utf8.ValidString(s) { // wp_check_invalid_utf8
		return ""
	}
	if !strings.ContainsAny(s, "&<>\"'") {
		return s
	}
	s = NormalizeEntities(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			if m := entityPattern.FindStringIndex(s[i:]); m != nil && m[0] == 0 {
				b.WriteString(s[i : i+m[1]])
				i += m[1] - 1
				continue
			}
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#039;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// allowedEntityNames is the part of kses' $allowedentitynames that realistic customer data can contain.
var allowedEntityNames = map[string]bool{
	"nbsp": true, "iexcl": true, "cent": true, "pound": true, "curren": true, "yen": true, "brvbar": true,
	"sect": true, "uml": true, "copy": true, "ordf": true, "laquo": true, "not": true, "shy": true, "reg": true,
	"macr": true, "deg": true, "plusmn": true, "acute": true, "micro": true, "para": true, "middot": true,
	"cedil": true, "ordm": true, "raquo": true, "iquest": true, "amp": true, "lt": true, "gt": true, "quot": true,
	"ndash": true, "mdash": true, "lsquo": true, "rsquo": true, "ldquo": true, "rdquo": true, "hellip": true,
	"euro": true, "trade": true, "times": true, "divide": true, "bull": true, "apos": true,
}

// NormalizeEntities is wp_kses_normalize_entities(): every "&" that does not start a valid character
// reference becomes "&amp;"; numeric references are kept (zero-padded decimal as kses writes them).
func NormalizeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			b.WriteByte(s[i])
			continue
		}
		m := entityPattern.FindStringSubmatchIndex(s[i:])
		if m == nil || m[0] != 0 {
			b.WriteString("&amp;")
			continue
		}
		name := s[i+m[2] : i+m[3]]
		switch {
		case name[0] == '#' && (name[1] == 'x' || name[1] == 'X'):
			b.WriteString("&#x" + strings.TrimLeft(name[2:], "0") + ";")
		case name[0] == '#':
			d := strings.TrimLeft(name[1:], "0")
			for len(d) < 3 {
				d = "0" + d
			}
			b.WriteString("&#" + d + ";")
		case allowedEntityNames[name]:
			b.WriteString("&" + name + ";")
		default:
			b.WriteString("&amp;" + name + ";")
		}
		i += m[1] - 1
	}
	return b.String()
}

func isEmailLocalByte(c byte) bool {
	return php.IsAlnum(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~.-", c) >= 0
}

// pregDollarEnd trims one trailing "\n": PCRE's "$" (no D modifier) also matches before a final newline.
func pregDollarEnd(s string) string { return strings.TrimSuffix(s, "\n") }

// IsEmail is is_email() as a boolean.
func IsEmail(email string) bool {
	if len(email) < 6 {
		return false
	}
	at := strings.IndexByte(email[1:], '@')
	if at < 0 {
		return false
	}
	local, domain := email[:at+1], email[at+2:]
	lc := pregDollarEnd(local)
	if lc == "" {
		return false
	}
	for i := 0; i < len(lc); i++ {
		if !isEmailLocalByte(lc[i]) {
			return false
		}
	}
	if strings.Contains(domain, "..") {
		return false
	}
	if strings.Trim(domain, php.TrimChars+".") != domain {
		return false
	}
	subs := strings.Split(domain, ".")
	if len(subs) < 2 {
		return false
	}
	for _, sub := range subs {
		if strings.Trim(sub, php.TrimChars+"-") != sub {
			return false
		}
		sc := pregDollarEnd(sub)
		if sc == "" {
			return false
		}
		for i := 0; i < len(sc); i++ {
			if !php.IsAlnum(sc[i]) && sc[i] != '-' {
				return false
			}
		}
	}
	return true
}

// SanitizeEmail is sanitize_email().
func SanitizeEmail(email string) string {
	if len(email) < 6 {
		return ""
	}
	at := strings.IndexByte(email[1:], '@')
	if at < 0 {
		return ""
	}
	local, domain := email[:at+1], email[at+2:]
	var lb strings.Builder
	for i := 0; i < len(local); i++ {
		if isEmailLocalByte(local[i]) {
			lb.WriteByte(local[i])
		}
	}
	local = lb.String()
	if local == "" {
		return ""
	}
	domain = dotRuns.ReplaceAllString(domain, "")
	if domain == "" {
		return ""
	}
	domain = strings.Trim(domain, php.TrimChars+".")
	if domain == "" {
		return ""
	}
	var subs []string
	for _, sub := range strings.Split(domain, ".") {
		sub = strings.Trim(sub, php.TrimChars+"-")
		var sb strings.Builder
		for i := 0; i < len(sub); i++ {
			if php.IsAlnum(sub[i]) || sub[i] == '-' {
				sb.WriteByte(sub[i])
			}
		}
		if sb.Len() > 0 {
			subs = append(subs, sb.String())
		}
	}
	if len(subs) < 2 {
		return ""
	}
	return local + "@" + strings.Join(subs, ".")
}

var dotRuns = regexp.MustCompile(`\.{2,}`)

// allowedProtocols is wp_allowed_protocols() of WordPress 7.1.
var allowedProtocols = []string{"http", "https", "ftp", "ftps", "mailto", "news", "irc", "irc6", "ircs", "gopher",
	"nntp", "feed", "telnet", "mms", "rtsp", "sms", "svn", "tel", "fax", "xmpp", "webcal", "urn"}

var badURLChars = regexp.MustCompile(`(?i)[^a-z0-9~+_.?#=!&;,/:%@$|*'()\[\]\x{80}-\x{10FFFF}-]`)

// EscURL is esc_url($url) in display context ("&" -> "&#038;", "'" -> "&#039;"); display false is
// esc_url_raw / sanitize_url.
func EscURL(url string, display bool) string {
	if url == "" {
		return ""
	}
	url = strings.ReplaceAll(strings.TrimLeft(url, php.TrimChars), " ", "%20")
	url = badURLChars.ReplaceAllString(url, "")
	if url == "" {
		return ""
	}
	if !strings.HasPrefix(strings.ToLower(url), "mailto:") {
		for {
			n := url
			for _, x := range []string{"%0d", "%0a", "%0D", "%0A"} {
				n = strings.ReplaceAll(n, x, "")
			}
			if n == url {
				break
			}
			url = n
		}
	}
	url = strings.ReplaceAll(url, ";//", "://")
	// The %0a stripping can leave "": PHP's $url[0] is then "" (with a warning), so "http://" is prepended.
	if !strings.Contains(url, ":") && !strings.HasPrefix(url, "/") && !strings.HasPrefix(url, "#") && !strings.HasPrefix(url, "?") && !phpFileLike.MatchString(url) {
		url = "http://" + url
	}
	if display {
		url = NormalizeEntities(url)
		url = strings.ReplaceAll(url, "&amp;", "&#038;")
		url = strings.ReplaceAll(url, "'", "&#039;")
	}
	if url[0] == '/' {
		return url
	}
	// wp_kses_bad_protocol: a scheme before the first ":" must be an allowed protocol.
	if i := strings.IndexByte(url, ':'); i >= 0 {
		scheme := strings.ToLower(url[:i])
		if !strings.ContainsAny(scheme, "/?#") {
			ok := false
			for _, p := range allowedProtocols {
				ok = ok || p == scheme
			}
			if !ok {
				return ""
			}
			url = scheme + url[i:] // wp_kses_bad_protocol normalises the protocol to lower case
		}
	}
	return url
}

var phpFileLike = regexp.MustCompile(`(?i)^[a-z0-9-]+?\.php`)

// RemoveAccents is remove_accents() for the Latin letters WordPress maps (Latin-1 Supplement, Latin
// Extended-A and the common ligatures), for an en_US site.
func RemoveAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	if !utf8.ValidString(s) { // not UTF-8: read as ISO-8859-1
		for i := 0; i < len(s); i++ {
			if m, ok := accentMap[rune(s[i])]; ok && s[i] >= 0x80 {
				b.WriteString(m)
				continue
			}
			b.WriteByte(s[i])
		}
		return b.String()
	}
	for _, r := range s {
		if m, ok := accentMap[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var accentMap = func() map[rune]string {
	m := map[rune]string{
		'ª': "a", 'º': "o", 'ß': "s", 'Æ': "AE", 'æ': "ae", 'Ð': "D", 'ð': "d", 'Ø': "O", 'ø': "o", 'Þ': "TH",
		'þ': "th", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'Ĳ': "IJ", 'ĳ': "ij", 'ĸ': "k", 'Ŀ': "L",
		'ŀ': "l", 'Ł': "L", 'ł': "l", 'ŉ': "N", 'Ŋ': "N", 'ŋ': "n", 'Œ': "OE", 'œ': "oe", 'ſ': "s", '€': "E",
		'£': "", 'Ŧ': "T", 'ŧ': "t",
	}
	groups := []struct {
		base string
		rs   string
	}{
		{"A", "ÀÁÂÃÄÅĀĂĄ"}, {"a", "àáâãäåāăą"}, {"C", "ÇĆĈĊČ"}, {"c", "çćĉċč"}, {"D", "Ď"}, {"d", "ď"},
		{"E", "ÈÉÊËĒĔĖĘĚ"}, {"e", "èéêëēĕėęě"}, {"G", "ĜĞĠĢ"}, {"g", "ĝğġģ"}, {"H", "Ĥ"}, {"h", "ĥ"},
		{"I", "ÌÍÎÏĨĪĬĮİ"}, {"i", "ìíîïĩīĭį"}, {"J", "Ĵ"}, {"j", "ĵ"}, {"K", "Ķ"}, {"k", "ķ"},
		{"L", "ĹĻĽ"}, {"l", "ĺļľ"}, {"N", "ÑŃŅŇ"}, {"n", "ñńņň"}, {"O", "ÒÓÔÕÖŌŎŐ"}, {"o", "òóôõöōŏő"},
		{"R", "ŔŖŘ"}, {"r", "ŕŗř"}, {"S", "ŚŜŞŠ"}, {"s", "śŝşš"}, {"T", "ŢŤ"}, {"t", "ţť"},
		{"U", "ÙÚÛÜŨŪŬŮŰŲ"}, {"u", "ùúûüũūŭůűų"}, {"W", "Ŵ"}, {"w", "ŵ"}, {"Y", "ÝŶŸ"}, {"y", "ýÿŷ"},
		{"Z", "ŹŻŽ"}, {"z", "źżž"},
	}
	for _, g := range groups {
		for _, r := range g.rs {
			m[r] = g.base
		}
	}
	delete(m, '£')
	return m
}()

var (
	octets       = regexp.MustCompile(`%([a-fA-F0-9][a-fA-F0-9])`)
	entityAny    = regexp.MustCompile(`&.+?;`)
	userStrict   = regexp.MustCompile(`(?i)[^a-z0-9 _.\-@]`)
	spaceRunsAll = regexp.MustCompile(`\s+`)
)

// SanitizeUser is sanitize_user($s) (not strict).
func SanitizeUser(s string) string {
	s = StripAllTags(s)
	s = RemoveAccents(s)
	s = octets.ReplaceAllString(s, "")
	s = entityAny.ReplaceAllString(s, "")
	s = php.Trim(s)
	return spaceRunsAll.ReplaceAllString(s, " ")
}

// SanitizeUserStrict is sanitize_user($s, true).
func SanitizeUserStrict(s string) string {
	s = StripAllTags(s)
	s = RemoveAccents(s)
	s = octets.ReplaceAllString(s, "")
	s = entityAny.ReplaceAllString(s, "")
	s = userStrict.ReplaceAllString(s, "")
	s = php.Trim(s)
	return spaceRunsAll.ReplaceAllString(s, " ")
}

var (
	titleNotAllowed = regexp.MustCompile(`[^%a-z0-9 _-]`)
	dashRuns        = regexp.MustCompile(`-+`)
)

// SanitizeTitleASCII is sanitize_title() (save context) for input sanitize_user(strict) already reduced to
// [A-Za-z0-9 _.-@]: remove_accents and the UTF-8 percent-encoding steps have nothing left to do.
func SanitizeTitleASCII(s string) string {
	s = stripTags(s)
	s = strings.ToLower(s)
	s = strings.ReplaceAll(s, "/", "-")
	s = entityAny.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, ".", "-")
	s = titleNotAllowed.ReplaceAllString(s, "")
	s = spaceRunsAll.ReplaceAllString(s, "-")
	s = dashRuns.ReplaceAllString(s, "-")
	return strings.Trim(s, "-")
}
