package latepoint

import (
	"regexp"
	"strings"
)

// iso3166Alpha2 is the set of the 249 officially assigned ISO 3166-1 alpha-2 codes (the update page asks for
// "Country code (ISO 3166-1 alpha-2)", seed 000). User-assigned codes such as XK are not included.
const iso3166Alpha2 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// isCountryCode reports whether code (upper case) is an assigned ISO 3166-1 alpha-2 code.
func isCountryCode(code string) bool {
	if len(code) != 2 {
		return false
	}
	i := strings.Index(iso3166Alpha2, code)
	return i >= 0 && i%3 == 0
}

// postalFormats are postal-code patterns for countries with a simple, stable format ("postal code must match
// country format", seed 001). Countries not listed accept any postal code up to the length limit.
var postalFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{5}(-\d{4})?$`),
	"CA": regexp.MustCompile(`^(?i)[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$`),
	"GB": regexp.MustCompile(`^(?i)(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?[0-9][ABD-HJLNP-UW-Z]{2})$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	"FR": regexp.MustCompile(`^\d{5}$`),
	"IT": regexp.MustCompile(`^\d{5}$`),
	"ES": regexp.MustCompile(`^\d{5}$`),
	"NL": regexp.MustCompile(`^(?i)\d{4} ?[A-Z]{2}$`),
	"AU": regexp.MustCompile(`^\d{4}$`),
	"JP": regexp.MustCompile(`^\d{3}-?\d{4}$`),
	"IN": regexp.MustCompile(`^\d{6}$`),
	"BR": regexp.MustCompile(`^\d{5}-?\d{3}$`),
	"IE": regexp.MustCompile(`^(?i)[A-Z]\d[\dW] ?[0-9AC-FHKNPRTV-Y]{4}$`),
}

func postalCodeMatches(country, code string) bool {
	re, ok := postalFormats[country]
	return !ok || re.MatchString(code)
}
