package models

// Subscription::toArray() (app/Models/Subscription.php) and the subscription wording of Helper
// (generateSubscriptionInfo, generateSetupFeeInfo; app/Helpers/Helper.php), in English.

import (
	"strconv"
	"strings"

	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// intervalMaps is Helper::getAvailableSubscriptionIntervalMaps (option value -> unit).
var intervalMaps = map[string]string{"yearly": "year", "half_yearly": "half_year", "quarterly": "quarter",
	"monthly": "month", "weekly": "week", "daily": "day"}

// translatedUnit is Helper::getTranslatedIntervalUnit in English.
func translatedUnit(unit string) string {
	if unit == "half_year" {
		return "six month"
	}
	return unit
}

// subscriptionInfo is Helper::generateSubscriptionInfo($otherInfo, $itemPrice) ?? ”.
func (s *Shop) subscriptionInfo(otherInfo any, itemPrice any) (string, error) {
	price := s.ToDecimal(itemPrice)
	if d, ok := arrGet(otherInfo, "recurring_discounts.amount"); ok && !Empty(d) {
		diff, err := subtract(itemPrice, d)
		if err != nil {
			return "", err
		}
		price = "<del>" + phpString(price) + "</del> " + phpString(s.ToDecimal(diff))
	}
	var repeat any = ""
	if v, ok := arrGet(otherInfo, "repeat_interval"); ok {
		repeat = v
	}
	var times any = int64(0)
	if v, ok := arrGet(otherInfo, "times"); ok {
		times = v
	}
	switch times.(type) {
	case []any, *wpjson.Object:
		return "", unsupported("subscription_times_array")
	}
	occurrence := Intval(times)
	unit := ""
	switch r := repeat.(type) {
	case []any, *wpjson.Object:
		return "", unsupported("subscription_interval_array")
	case string:
		if u, ok := intervalMaps[r]; ok {
			unit = u
		} else if !Empty(r) {
			unit = ucwords(strings.NewReplacer("_", " ", "-", " ").Replace(r))
		}
	default:
		if !Empty(r) {
			str, _ := ScalarString(r)
			if u, ok := intervalMaps[str]; ok {
				unit = u
			} else {
				unit = ucwords(strings.NewReplacer("_", " ", "-", " ").Replace(str))
			}
		}
	}
	label := translatedUnit(unit)
	interval, period := "", ""
	if unit != "" {
		interval, period = "per "+label, label
	}
	if Empty(otherInfo) {
		return "", nil
	}
	if occurrence == 0 {
		return phpString(price) + " " + interval + " until cancel", nil
	}
	return phpString(price) + " " + interval + ", for " + strconv.FormatInt(occurrence, 10) + " " + period, nil
}

// setupFeeInfo is Helper::generateSetupFeeInfo: the setup fee's name and price when the item manages one
// (CurrencySettings::getPriceHtml formats like toDecimal, a non-numeric fee as 0).
func (s *Shop) setupFeeInfo(otherInfo any) (string, error) {
	manage, ok := arrGet(otherInfo, "manage_setup_fee")
	if !ok {
		manage = "no"
	}
	fee, ok := arrGet(otherInfo, "signup_fee")
	if !ok {
		fee = int64(0)
	}
	if m, isStr := manage.(string); !isStr || m != "yes" || Empty(fee) {
		return "", nil
	}
	switch fee.(type) {
	case []any, *wpjson.Object:
		return "", unsupported("setup_fee_type")
	}
	price := fee
	if !IsNumeric(price) {
		price = int64(0)
	}
	html := phpString(s.ToDecimal(price))
	if orig, ok := arrGet(otherInfo, "original_signup_fee"); ok && !Empty(orig) {
		switch orig.(type) {
		case []any, *wpjson.Object:
			return "", unsupported("setup_fee_type")
		}
		if !looseEqualScalars(fee, orig) {
			return "Adjusted setup fee" + html, nil
		}
	}
	name, ok := arrGet(otherInfo, "signup_fee_name")
	if !ok {
		name = "Setup Fee"
	}
	switch name.(type) {
	case []any, *wpjson.Object:
		return "", unsupported("setup_fee_type")
	}
	return phpString(name) + " " + html, nil
}

// looseEqualScalars is PHP 8's == for two scalars (bool, null, numbers, strings).
func looseEqualScalars(a, b any) bool {
	if _, isBool := a.(bool); isBool || a == nil {
		return Empty(a) == Empty(b)
	}
	if _, isBool := b.(bool); isBool || b == nil {
		return Empty(a) == Empty(b)
	}
	as, aStr := a.(string)
	bs, bStr := b.(string)
	switch {
	case aStr && bStr:
		if IsNumericString(as) && IsNumericString(bs) {
			return StringToFloat(as) == StringToFloat(bs)
		}
		return as == bs
	case aStr && !IsNumericString(as):
		return as == phpString(b)
	case bStr && !IsNumericString(bs):
		return bs == phpString(a)
	}
	return toFloat(a) == toFloat(b)
}

// subtract is PHP's $a - $b for the scalar values the wording uses; a non-numeric operand is PHP's TypeError.
func subtract(a, b any) (any, error) {
	for _, v := range []any{a, b} {
		switch t := v.(type) {
		case nil, bool, int64, wpjson.PHPFloat, float64:
		case string:
			if start, end, _ := NumericPrefix(t); end == start {
				return nil, unsupported("non_numeric_discount")
			} else if !IsNumericString(t) {
				return nil, unsupported("leading_numeric_discount") // PHP warns, the warning may reach the output
			}
		default:
			return nil, unsupported("non_numeric_discount")
		}
	}
	ai, aInt := intOperand(a)
	bi, bInt := intOperand(b)
	if aInt && bInt {
		return ai - bi, nil
	}
	return wpjson.PHPFloat(toFloat(a) - toFloat(b)), nil
}

// intOperand reports whether PHP arithmetic treats v as an integer.
func intOperand(v any) (int64, bool) {
	switch t := v.(type) {
	case nil:
		return 0, true
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	case int64:
		return t, true
	case string:
		start, end, isFloat := NumericPrefix(t)
		if isFloat {
			return 0, false
		}
		n, err := strconv.ParseInt(t[start:end], 10, 64)
		return n, err == nil
	}
	return 0, false
}

// phpString is (string) of a scalar.
func phpString(v any) string {
	s, _ := ScalarString(v)
	return s
}

// ucwords is PHP ucwords() with its default delimiters.
func ucwords(s string) string {
	b := []byte(s)
	for i := range b {
		if i == 0 || strings.IndexByte(" \t\r\n\f\v", b[i-1]) >= 0 {
			if b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 32
			}
		}
	}
	return string(b)
}

// Row is a row as read with SELECT *: column names and the strings (or nil) MySQL returned.
type Row struct {
	Keys []string
	Vals []any
}

func (r Row) get(k string) any {
	for i, c := range r.Keys {
		if c == k {
			return r.Vals[i]
		}
	}
	return nil
}

// metaValue is SubscriptionMeta::getMetaValueAttribute: a string decoding to a truthy value is that value.
func metaValue(v any) any {
	if s, ok := v.(string); ok {
		if d, ok := JSONDecode(s); ok && !Empty(d) {
			return d
		}
	}
	return v
}

// subscriptionMeta is SubscriptionMeta::toArray().
func subscriptionMeta(r Row) *wpjson.Object {
	out := wpjson.NewObject()
	for i, k := range r.Keys {
		v := r.Vals[i]
		switch k {
		case "id":
			if v != nil {
				v = Intval(v)
			}
		case "meta_value":
			v = metaValue(v)
		case "created_at", "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		}
		out.Set(k, v)
	}
	return out
}

// Subscription is Subscription::toArray(): the columns (id cast to int, config through getConfigAttribute,
// timestamps ISO), then the appends url, payment_info, billingInfo, overridden_status, currency and
// reactivate_url; then the meta relation that billingInfo loaded. metas are the subscription's meta rows
// (fct_subscription_meta, SELECT *) in the order MySQL returns them.
func (s *Shop) Subscription(keys []string, vals []any, metas []Row) (*wpjson.Object, error) {
	out := wpjson.NewObject()
	raw := map[string]any{}
	var config any = []any{}
	for i, k := range keys {
		v := vals[i]
		raw[k] = v
		switch k {
		case "id":
			if v != nil {
				v = Intval(v)
			}
		case "config":
			v = subscriptionConfig(v)
			config = v
		case "created_at", "updated_at":
			if v != nil {
				v = ISODate(v)
			}
		}
		out.Set(k, v)
	}
	str := func(k string) string { v, _ := raw[k].(string); return v }

	// url: the payment gateway's fluent_cart/subscription/url_{method} filter.
	url := ""
	switch str("current_payment_method") {
	case "stripe":
		url = "https://dashboard.stripe.com/subscriptions/" + str("vendor_subscription_id")
	case "paypal":
		if s.OrderMode == "test" {
			url = "https://www.sandbox.paypal.com/billing/subscriptions/" + str("vendor_subscription_id")
		} else {
			url = "https://www.paypal.com/billing/subscriptions" + str("vendor_subscription_id")
		}
	}
	out.Set("url", url)

	// payment_info: generateSubscriptionInfo over the subscription's own terms.
	orZero := func(k string) any {
		if v := raw[k]; v != nil {
			return v
		}
		return int64(0)
	}
	other := wpjson.NewObject()
	if v := raw["billing_interval"]; v != nil {
		other.Set("repeat_interval", v)
	} else {
		other.Set("repeat_interval", "")
	}
	other.Set("times", orZero("bill_times"))
	other.Set("recurring_total", orZero("recurring_total"))
	other.Set("trial_days", orZero("trial_days"))
	info, err := s.subscriptionInfo(other, orZero("recurring_total"))
	if err != nil {
		return nil, err
	}
	out.Set("payment_info", info)

	// billingInfo: the first active_payment_method meta, its value decoded (twice, as the accessor and the
	// append each try).
	var billing any = []any{}
	for _, m := range metas {
		if k, _ := m.get("meta_key").(string); k != "active_payment_method" {
			continue
		}
		acc := metaValue(m.get("meta_value"))
		if as, isStr := acc.(string); isStr {
			if d, ok := JSONDecode(as); ok {
				acc = d
			} else {
				acc = nil
			}
		}
		billing = acc
		break
	}
	out.Set("billingInfo", billing)

	// overridden_status.
	status := raw["status"]
	simulated, ok := arrGet(config, "is_trial_days_simulated")
	if !ok {
		simulated = "no"
	}
	overridden := status
	if looseEqualsString(simulated, "yes") && status == "trialing" {
		overridden = "active"
	} else if s2, isStr := simulated.(string); (!isStr || s2 != "yes") && status == "active" && !Empty(raw["trial_days"]) {
		created, ok := PHPDate(str("created_at"))
		if !ok {
			return nil, unsupported("subscription_created_at")
		}
		td := raw["trial_days"].(string)
		if !IsNumericString(td) {
			return nil, unsupported("subscription_trial_days")
		}
		if float64(created.Unix())+StringToFloat(td)*86400 > float64(s.Now.Unix()) {
			overridden = "trialing"
		}
	}
	out.Set("overridden_status", overridden)

	// currency: the config's currency, else the store's, upper-cased.
	currency := strings.ToUpper(s.Currency)
	if !Empty(config) {
		if c, ok := arrGet(config, "currency"); ok && !Empty(c) {
			cs, isScalar := c.(string)
			if !isScalar {
				return nil, unsupported("subscription_currency_type")
			}
			currency = strings.ToUpper(cs)
		}
	}
	out.Set("currency", currency)

	// reactivate_url: '' unless Pro is active (canReactive).
	if s.ProActive {
		return nil, unsupported("subscription_reactivate_url_pro")
	}
	out.Set("reactivate_url", "")

	// The meta relation, lazily loaded by billingInfo.
	list := make([]any, len(metas))
	for i, m := range metas {
		list[i] = subscriptionMeta(m)
	}
	out.Set("meta", list)
	return out, nil
}

// subscriptionConfig is Subscription::getConfigAttribute: a string decoding to a truthy value is that value,
// other strings stay as they are; NULL is [].
func subscriptionConfig(v any) any {
	s, ok := v.(string)
	if !ok {
		if Empty(v) {
			return []any{}
		}
		return v
	}
	if d, ok := JSONDecode(s); ok && !Empty(d) {
		return d
	}
	return s
}

// looseEqualsString is PHP 8's $v == $s for a non-numeric string $s.
func looseEqualsString(v any, s string) bool {
	switch t := v.(type) {
	case string:
		return t == s
	case bool:
		return t == (s != "" && s != "0")
	case nil:
		return s == ""
	case int64, wpjson.PHPFloat:
		return phpString(t) == s
	}
	return false
}
