package models

// Country and state names as FluentCart's LocalizationManager and Helper resolve them
// (app/Services/Localization/LocalizationManager.php getCountryNameByCode, getStateNameByCode, getValidationRule;
// app/Helpers/Helper.php getCountryName). The tables are generated into locale_data.go.

import (
	"strconv"
	"sync"
)

type countryStates struct {
	country string
	states  [][2]string
}

type stateRule struct {
	hidden        string // (string) of address-locales' state.hidden ("1" for true)
	requiredFalse bool   // state.required === false
}

type localeTables struct {
	countries map[string]string
	states    map[string][][2]string // country -> declared states (may be empty)
	// flatByCountry and flatAll mirror Collection::flatMap over the states: PHP array_merge renumbers integer
	// keys (e.g. the "81" codes of UM), so those states are only reachable as "0", "1", ... after flattening.
	flatByCountry map[string]map[string]string
	flatAll       map[string]string
}

var locales = sync.OnceValue(func() *localeTables {
	t := &localeTables{
		countries:     make(map[string]string, len(countryNames)),
		states:        make(map[string][][2]string, len(stateNames)),
		flatByCountry: make(map[string]map[string]string, len(stateNames)),
		flatAll:       map[string]string{},
	}
	for _, c := range countryNames {
		t.countries[c[0]] = c[1]
	}
	next := 0
	for _, cs := range stateNames {
		t.states[cs.country] = cs.states
		own := map[string]string{}
		ownNext := 0
		for _, s := range cs.states {
			if isPHPIntKey(s[0]) {
				own[strconv.Itoa(ownNext)] = s[1]
				ownNext++
				t.flatAll[strconv.Itoa(next)] = s[1]
				next++
				continue
			}
			own[s[0]] = s[1]
			t.flatAll[s[0]] = s[1]
		}
		t.flatByCountry[cs.country] = own
	}
	return t
})

// isPHPIntKey reports whether PHP stores an array key given as this string as an integer ("81", "-5", not
// "081" or "8.1").
func isPHPIntKey(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && strconv.FormatInt(n, 10) == s
}

// CountryName is Helper::getCountryName (the customer's country_name): "" for empty, the code when unknown.
func CountryName(code string, valid bool) string {
	if !valid || code == "" || code == "0" {
		return ""
	}
	if n, ok := locales().countries[code]; ok {
		return n
	}
	return code
}

// StateName is LocalizationManager::getStateNameByCode($state, $country). A nil state stays nil.
func StateName(state *string, country *string) any {
	t := locales()
	var flat map[string]string
	if country == nil || *country == "" || *country == "0" {
		flat = t.flatAll
	} else if states := t.states[*country]; len(states) > 0 {
		flat = t.flatByCountry[*country]
	}
	if state == nil {
		return nil // Collection::get(null) finds no key and returns the default, null
	}
	if n, ok := flat[phpArrayKey(*state)]; ok {
		return n
	}
	return *state
}

// phpArrayKey is the key PHP uses for a string offset ("081" stays a string, "81" becomes 81 → "81").
func phpArrayKey(s string) string { return s }

// CountryKnown is Arr::has($countries, $code) for the address validation rule.
func CountryKnown(code string) bool {
	_, ok := locales().countries[code]
	return ok
}

// StateRequired is getValidationRule's $StateRequired for a country.
func StateRequired(country string) bool {
	r, ok := stateRules[country]
	if !ok {
		return true
	}
	return r.hidden != "1" && !r.requiredFalse
}

// CountryStateCodes is countryStates($country) as a set (empty when the country declares none or is unknown).
func CountryStateCodes(country string) map[string]bool {
	states := locales().states[country]
	if len(states) == 0 {
		return nil
	}
	m := make(map[string]bool, len(states))
	for _, s := range states {
		m[s[0]] = true
	}
	return m
}
