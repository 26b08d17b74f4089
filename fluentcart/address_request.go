package fluentcart

// app/Http/Requests/CustomerAddressRequest.php (create and update of customer addresses, spec §5.11):
// beforeValidation defaults status to "active" and is_primary to 0; the country/state rules come from
// LocalizationManager::getValidationRule (the country's sanitizeText rule is overwritten by the country check,
// keyed "1"); then the request's own rules.

import (
	"context"
	"database/sql"

	"github.com/wpsidecar/wpsidecar/fluentcart/models"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
)

// addressSanitizeKeys is CustomerAddressRequest::sanitize() in order.
var addressSanitizeKeys = []string{"label", "type", "status", "name", "address_1", "address_2", "city", "state",
	"phone", "postcode", "country", "email", "is_primary", "company_name"}

var addressSanitizers = map[string]func(any) any{
	"label": textField, "type": textField, "status": textField, "name": textField, "address_1": textField,
	"address_2": textField, "city": textField, "state": textField, "phone": textField, "postcode": textField,
	"country": textField, "email": emailField, "is_primary": intField, "company_name": textField,
}

var addressMessages = map[string]string{
	"name.required":      "Name field is required.",
	"email.required":     "Email field is required.",
	"email.email":        "Email must be a valid email address.",
	"address_1.required": "Street Address field is required.",
	"city.required":      "City field is required.",
	"postcode.required":  "Postcode field is required.",
	"country.required":   "Country field is required.",
	"state.required":     "State field is required.",
}

// validateAddress runs CustomerAddressRequest over in (after its beforeValidation defaults).
func validateAddress(in *input) error {
	if !in.has("status") {
		in.set("status", "active")
	}
	if !in.has("is_primary") {
		in.set("is_primary", int64(0))
	}
	cv, _ := in.get("country")
	country, _ := scalarString(cv)
	if isArray(cv) {
		country = ""
	}
	stateReq := models.StateRequired(country)
	var states map[string]bool
	if !phpEmpty(cv) {
		states = models.CountryStateCodes(country)
	}
	fields := []fieldRules{
		{"country", []rule{{name: "required"}, {key: "1", fn: func(v any, _ bool) (string, error) {
			s, ok := scalarString(v)
			if !ok || v == nil || !models.CountryKnown(s) {
				return "Invalid country code.", nil
			}
			return "", nil
		}}}},
		{"state", []rule{
			{key: "required", fn: func(v any, _ bool) (string, error) {
				if stateReq && phpEmpty(v) {
					return "State is required.", nil
				}
				return "", nil
			}},
			{key: "invalid", fn: func(v any, _ bool) (string, error) {
				if len(states) == 0 || phpEmpty(cv) || phpEmpty(v) {
					return "", nil
				}
				s, _ := scalarString(v)
				if !states[s] {
					return "Invalid state code.", nil
				}
				return "", nil
			}},
		}},
		{"label", parseRules("nullable|sanitizeText|maxLength:15")},
		{"name", parseRules("required|sanitizeText|maxLength:255")},
		{"email", parseRules("required|sanitizeText|email|maxLength:255")},
		{"address_1", parseRules("required|sanitizeText")},
		{"address_2", parseRules("nullable|sanitizeText")},
		{"city", parseRules("required|sanitizeText|maxLength:255")},
		{"is_primary", parseRules("nullable|numeric")},
		{"company_name", parseRules("nullable|sanitizeText|maxLength:255")},
	}
	v := &validator{in: in, messages: addressMessages}
	return v.run(fields)
}

// addressValidationSideEffect is what building the address rules does in PHP besides validating:
// CartCheckoutHelper::getAddressFields -> CustomerResource::getCurrentCustomer(), which links the caller's
// customer found by e-mail to the caller's user id.
// An array country fails before that, in addressLocales($country) ("Illegal offset type").
func (a *api) addressValidationSideEffect(ctx context.Context, r *rest.Request, in *input) error {
	if cv, _ := in.get("country"); isArray(cv) {
		return pluginException("Illegal offset type")
	}
	_, err := a.currentCustomer(ctx, r)
	return err
}

// ownedBy reports whether MySQL's `customer_id = ?` with the path id would match the address (numeric
// comparison of the BIGINT with the path string: "12abc" is 12).
func ownedBy(addr *attrs, pathID string) bool {
	cv, _ := addr.get("customer_id")
	cs, _ := cv.(string)
	return stringToFloat(pathID) == stringToFloat(cs)
}

// syncOrderAddress is OrderAddressResource::update / create for the address routes' order_id: only the
// OrderAddress fillable keys present in data are written (company, label, phone, e-mail are not).
func (a *api) syncOrderAddress(ctx context.Context, tx *sql.Tx, data map[string]any, orderID int64, allowCreate bool) error {
	st := a.store
	row, err := st.orderAddress(ctx, tx, orderID, data["type"])
	if err != nil {
		return err
	}
	keys := []string{"type", "name", "address_1", "address_2", "city", "state", "postcode", "country"}
	now := a.now()
	if row != nil {
		var cols []string
		var vals []any
		for _, k := range keys {
			if changed(data[k], row, k) {
				cols = append(cols, k)
				vals = append(vals, sqlValue(data[k]))
			}
		}
		if len(cols) == 0 {
			return nil
		}
		return st.updateByID(ctx, tx, st.orderAddrs, row.id(), append(cols, "updated_at"), append(vals, now))
	}
	if !allowCreate {
		return nil // OrderAddressResource::update answers "not found"; the address route ignores it
	}
	// OrderAddress::create($data): fillable keys in $data order (order_id was appended last), then timestamps.
	m := &attrs{}
	for _, k := range keys {
		m.set(k, data[k])
	}
	m.set("order_id", orderID)
	m.set("updated_at", now)
	m.set("created_at", now)
	_, err = st.insertAttrs(ctx, tx, st.orderAddrs, m)
	return err
}
