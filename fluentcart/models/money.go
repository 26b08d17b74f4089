package models

// The store settings the computed fields read, and Helper::toDecimal (app/Helpers/Helper.php) that formats cents
// for them. FluentCart reads the settings from the fluent_cart_store_settings option (api/StoreSettings.php,
// merged over its defaults with wp_parse_args) and CurrencySettings::get (api/CurrencySettings.php, empty values
// replaced by its own defaults).

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wpsidecar/wpsidecar/wpcompat/phpserial"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// Unsupported is returned when a row needs something the models do not reproduce; the caller hands the request
// to PHP. Reason is short and metric-label safe.
type Unsupported struct{ Reason string }

func (e *Unsupported) Error() string { return "fluentcart/models: not reproduced: " + e.Reason }

func unsupported(reason string) error { return &Unsupported{Reason: reason} }

// Shop is what the models' appended attributes depend on besides the row.
type Shop struct {
	Currency  string // CurrencySettings::get('currency'): the stored code (case kept), "USD" when empty
	Position  string // currency_position ("before" by default)
	Comma     bool   // decimal_separator === 'comma'
	OrderMode string // StoreSettings::get('order_mode') ("" when empty: PHP's null)
	ProActive bool   // FluentCart Pro loaded (App::isProActive)
	Now       time.Time
}

// storeDefaults are the StoreSettings::getDefaultSettings values the models read.
var storeDefaults = map[string]string{"currency": "USD", "currency_position": "before", "decimal_separator": "dot",
	"order_mode": "test"}

// NewShop reads the fluent_cart_store_settings option value (raw, as stored; found false when the option does
// not exist).
func NewShop(raw string, found bool, proActive bool, now time.Time) (*Shop, error) {
	vals := map[string]string{}
	for k, v := range storeDefaults {
		vals[k] = v
	}
	if found {
		v, err := phpserial.MaybeUnserialize(raw)
		if err != nil {
			return nil, unsupported("store_settings_unreadable")
		}
		arr, ok := v.(*phpserial.PHPArray)
		if !ok {
			// wp_parse_args would parse a string as a query string; not reproduced.
			return nil, unsupported("store_settings_not_array")
		}
		for k := range storeDefaults {
			x, ok := arr.Get(k)
			if !ok {
				continue
			}
			switch t := x.(type) {
			case string:
				vals[k] = t
			case nil:
				vals[k] = ""
			default:
				return nil, unsupported("store_settings_type")
			}
		}
	}
	value := func(k, def string) string {
		if v := vals[k]; v != "" && v != "0" {
			return v
		}
		return def
	}
	s := &Shop{Currency: value("currency", "USD"), Position: value("currency_position", "left"),
		Comma: value("decimal_separator", ".") == "comma", ProActive: proActive, Now: now}
	if m := vals["order_mode"]; m != "" && m != "0" {
		s.OrderMode = m
	}
	return s, nil
}

// ToDecimal is Helper::toDecimal($amount) with its defaults (currency sign, formatted, decimals, thousands
// separator, English digits): a non-numeric amount is returned as it is.
func (s *Shop) ToDecimal(amount any) any {
	if !IsNumeric(amount) {
		return amount
	}
	decimals := 2
	code := strings.ToUpper(s.Currency)
	if zeroDecimal[code] {
		decimals = 0
	}
	sign := currencySigns[code]
	dec, thousands := ".", ","
	if s.Comma {
		dec, thousands = ",", "."
	}
	n := numberFormat(toFloat(amount)/100, decimals, dec, thousands)
	switch s.Position {
	case "before":
		return sign + n
	case "after":
		return n + sign
	case "iso_before":
		return s.Currency + " " + n
	case "iso_after":
		return n + " " + s.Currency
	case "symbool_before_iso":
		return sign + n + " " + s.Currency
	case "symbool_after_iso":
		return s.Currency + " " + n + sign
	case "symbool_and_iso":
		return s.Currency + " " + sign + n
	}
	return sign + n
}

// toFloat is PHP's numeric value of a numeric scalar as a float.
func toFloat(v any) float64 {
	switch t := v.(type) {
	case string:
		return StringToFloat(t)
	case wpjson.PHPFloat:
		return float64(t)
	case float64:
		return t
	case int64:
		return float64(t)
	case int:
		return float64(t)
	case bool:
		if t {
			return 1
		}
	}
	return 0
}

// numberFormat is PHP number_format(): round half away from zero, thousands grouping, no "-0".
func numberFormat(f float64, decimals int, dec, thousands string) string {
	p := math.Pow10(decimals)
	f = math.Round(f*p) / p
	neg := f < 0
	s := strconv.FormatFloat(math.Abs(f), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	if decimals > 0 {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}
