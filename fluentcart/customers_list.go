package fluentcart

// GET /customers — CustomerController::index: CustomerFilter::fromRequest($request)->paginate() (spec §5.1;
// app/Services/Filter/BaseFilter.php parseArgs/buildQuery/paginate, CustomerFilter.php applySimpleFilter).

import (
	"context"
	"math"
	"strings"

	sq "github.com/Masterminds/squirrel"

	"github.com/wpsidecar/wpsidecar/wpcompat/php"
	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpformat"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

const baseFilterClass = `FluentCart\App\Services\Filter\BaseFilter`

// listArgs is BaseFilter after parseArgs.
type listArgs struct {
	filterType string
	search     string
	with       []string
	scopes     []any
	includeIDs []any
	sortBy     string
	sortType   string
	perPage    int64
	page       int64 // 0: not numeric (null) or 0
	selectCols []string
}

// assignString is assigning to a typed `string` property in coercive mode.
func assignString(v any, prop, typ string) (string, error) {
	switch t := v.(type) {
	case nil:
		if strings.HasPrefix(typ, "?") {
			return "", nil
		}
	case []any, *wpjson.Object:
	default:
		s, _ := scalarString(t)
		return s, nil
	}
	return "", typeErrorAssign(v, baseFilterClass, prop, typ)
}

// assignNullableInt is assigning to a `?int` property: integral numbers and numeric strings pass (fractions are
// truncated), other strings, arrays fail.
func assignNullableInt(v any, prop string) error {
	switch t := v.(type) {
	case nil, bool:
		return nil
	case string:
		if isNumericString(t) {
			return nil
		}
	case []any, *wpjson.Object:
	default:
		return nil
	}
	return typeErrorAssign(v, baseFilterClass, prop, "?int")
}

// parseListArgs is BaseFilter::parseArgs over $request->only(parseableKeys), including the TypeErrors PHP's
// typed properties raise for values of the wrong type.
func parseListArgs(in *input) (*listArgs, error) {
	la := &listArgs{filterType: "simple", sortBy: "id", sortType: "desc", perPage: 10}
	if v, ok := in.get("select"); ok && !phpEmpty(v) {
		var items []any
		if s, isStr := v.(string); isStr {
			for _, p := range strings.Split(s, ",") {
				items = append(items, p)
			}
		} else if l, isList := list(v); isList {
			items = l
		}
		for _, it := range items {
			if s, isStr := it.(string); isStr {
				la.selectCols = append(la.selectCols, wpformat.SanitizeTextField(s))
			}
		}
	}
	var err error
	if v, ok := in.get("filter_type"); ok {
		if la.filterType, err = assignString(v, "filterType", "string"); err != nil {
			return nil, err
		}
	}
	if v, ok := in.get("search"); ok {
		if la.search, err = assignString(v, "search", "string"); err != nil {
			return nil, err
		}
	}
	if v, ok := in.get("with"); ok {
		l, isList := list(v)
		if !isList {
			return nil, typeErrorAssign(v, baseFilterClass, "with", "array")
		}
		for _, x := range l {
			if s, isStr := scalarString(x); isStr {
				la.with = append(la.with, s)
			}
		}
	}
	if v, ok := in.get("scopes"); ok && v != nil {
		l, isList := list(v)
		if !isList {
			return nil, typeErrorAssign(v, baseFilterClass, "scopes", "?array")
		}
		la.scopes = l
	}
	for _, k := range []string{"limit", "offset"} {
		if v, ok := in.get(k); ok {
			if err := assignNullableInt(v, k); err != nil {
				return nil, err
			}
		}
	}
	if v, ok := in.get("user_tz"); ok {
		if _, err := assignString(v, "userTz", "?string"); err != nil {
			return nil, err
		}
	}
	if v, ok := in.get("include_ids"); ok && !phpEmpty(v) {
		if s, isStr := v.(string); isStr {
			for _, p := range strings.Split(s, ",") {
				la.includeIDs = append(la.includeIDs, p)
			}
		} else if l, isList := list(v); isList {
			la.includeIDs = l
		} else {
			la.includeIDs = []any{v}
		}
	}
	if v, ok := in.get("sort_by"); ok && !phpEmpty(v) {
		if s, isStr := v.(string); isStr {
			for _, c := range customerFillable {
				if c == s {
					la.sortBy = s
				}
			}
		}
	}
	if v, ok := in.get("sort_type"); ok {
		s, _ := scalarString(v)
		if isArray(v) {
			s = "Array"
		}
		if s = strings.ToLower(s); s == "asc" || s == "desc" {
			la.sortType = s
		}
	}
	if v, ok := in.get("advanced_filters"); ok && isArray(v) {
		return nil, pluginException("json_decode(): Argument #1 ($json) must be of type string, array given")
	}
	if v, ok := in.get("per_page"); ok && isNumeric(v) {
		s, _ := scalarString(v)
		if f := stringToFloat(s); f > 0 && f < 200 {
			// A fraction below 1 truncates to 0 and Builder::paginate then falls back to Model::$perPage (15).
			if la.perPage = floatToInt(f); la.perPage == 0 {
				la.perPage = 15
			}
		}
	}
	if v, ok := in.get("page"); ok && isNumeric(v) {
		s, _ := scalarString(v)
		la.page = stringToInt(s)
	}
	return la, nil
}

// currentPage is the page the query uses and the page the paginator reports: BaseFilter's (int) page, or 1
// when that is 0 (the request's page then never passes the currentPageResolver's FILTER_VALIDATE_INT >= 1
// either); a negative page selects the first rows (offset is clamped at 0) but is reported as page 1
// (LengthAwarePaginator::setCurrentPage).
func (la *listArgs) currentPage() (query int64, shown int64) {
	p := la.page
	if p == 0 {
		p = 1
	}
	if p < 1 {
		return p, 1
	}
	return p, p
}

// allowedScopes are the Customer model scopes the sidecar runs (DEVIATIONS.md: PHP calls any builder method).
var allowedScopes = map[string]string{"ofactive": "active", "ofarchived": "archived"}

func (a *api) listCustomers(r *rest.Request) (*rest.Response, error) {
	ctx := r.Ctx()
	in := newInput(r)
	la, err := parseListArgs(in)
	if err != nil {
		return nil, err
	}
	lq := &listQuery{sortBy: la.sortBy, sortDir: strings.ToUpper(la.sortType)}
	if la.selectCols != nil {
		for _, c := range la.selectCols {
			if !validColumn(c) {
				return nil, pluginException("Unknown column '" + c + "' in 'field list'")
			}
		}
		lq.columns = la.selectCols
	}
	var eager []string
	for _, w := range la.with {
		if strings.HasSuffix(strings.ToLower(w), "count") {
			rel := w[:len(w)-5]
			cc, err := a.relationCount(rel)
			if err != nil {
				return nil, err
			}
			lq.counts = append(lq.counts, cc)
			continue
		}
		eager = append(eager, w)
	}
	eager = withNames(anySlice(eager))
	for _, sc := range la.scopes {
		name := sc
		if l, ok := list(sc); ok && len(l) > 0 {
			name = l[0]
		}
		s, _ := scalarString(name)
		status, ok := allowedScopes[strings.ToLower(s)]
		if !ok {
			return nil, rejected("scopes", "Only the ofActive and ofArchived scopes are accepted.")
		}
		lq.wheres = append(lq.wheres, andWhere(sq.Eq{ident("status"): status}))
	}
	if len(la.includeIDs) > 0 {
		in := sq.Eq{ident("id"): stringArgs(la.includeIDs)}
		if la.search == "" {
			lq.wheres = append(lq.wheres, andWhere(in), orWhere(sq.NotEq{ident("id"): nil}))
		} else {
			lq.wheres = append(lq.wheres, orWhere(in))
		}
	}
	if la.filterType == "simple" {
		lq.wheres = append(lq.wheres, customerSearch(la.search)...)
	}
	total, err := a.store.countCustomers(ctx, lq)
	if err != nil {
		return nil, err
	}
	qpage, page := la.currentPage()
	lq.limit = uint64(la.perPage)
	lq.offset = uint64(max(0, (qpage-1)*la.perPage))
	var rows []*attrs
	if total > 0 {
		if rows, err = a.store.pageCustomers(ctx, lq); err != nil {
			return nil, err
		}
	}
	items, err := a.customerList(ctx, r, rows, eager)
	if err != nil {
		return nil, err
	}
	return rest.OK(wpjson.NewObject().Set("customers", model(paginator(requestURL(r, a.site), items, total, la.perPage, page)))), nil
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

func validColumn(c string) bool {
	for _, k := range customerColumns {
		if k == c {
			return true
		}
	}
	return false
}

// stringArgs binds request values as the strings PHP binds.
func stringArgs(vals []any) []string {
	args := make([]string, len(vals))
	for i, v := range vals {
		args[i], _ = scalarString(v)
	}
	return args
}

// customerSearch is CustomerFilter::applySimpleFilter: the "id <op> value" operator form, else the name / id /
// e-mail LIKE group. A search that PHP finds falsy ("" or "0") adds nothing.
func customerSearch(search string) []whereClause {
	if w, ok := operatorSearch(search, customerSearchColumns, nil); ok {
		return w
	}
	if search == "" || search == "0" {
		return nil
	}
	s := php.Trim(search)
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
	group := sq.Or{sq.Expr("CONCAT(first_name, ' ', last_name) LIKE ?", "%"+like+"%")}
	if isNumericString(s) {
		group = append(group, sq.Like{ident("id"): "%" + s + "%"})
	}
	if !strings.Contains(s, " ") {
		group = append(group, sq.Like{ident("email"): "%" + s + "%"})
	}
	return []whereClause{andWhere(group)}
}

// searchOperators is BaseFilter::getSimpleOperators in pattern order: the regex alternation tries "=" first.
var searchOperators = []string{"=", "!=", ">", "<", ">=", "<=", "::"}

// customerSearchColumns is CustomerFilter::getSearchableFields: only "id", column "ID". A dotted key reaches into
// the field's description through Arr::get ("id.column" is the column name itself).
var customerSearchColumns = map[string]string{"id": "ID", "id.column": "ID"}

// operatorSearch is BaseFilter::applySimpleOperatorFilter over a filter's searchable fields (key -> column);
// custom handles fields with a callback.
func operatorSearch(search string, columns map[string]string, custom func(key, value string) ([]whereClause, bool)) ([]whereClause, bool) {
	s := php.Trim(search)
	op := ""
	for i := 0; i < len(s) && op == ""; i++ {
		for _, o := range searchOperators {
			if strings.HasPrefix(s[i:], o) {
				op = o
				break
			}
		}
	}
	if op == "" {
		return nil, false
	}
	parts := strings.Split(s, op)
	if len(parts) < 2 {
		return nil, false
	}
	key := strings.ToLower(php.Trim(parts[0]))
	value := php.Trim(parts[1])
	if custom != nil {
		if w, ok := custom(key, value); ok {
			return w, true
		}
	}
	column, ok := columns[key]
	if !ok {
		return nil, false
	}
	if op == "::" {
		if vals := strings.Split(value, "-"); len(vals) == 2 {
			return []whereClause{andWhere(sq.Expr(ident(column)+" BETWEEN ? AND ?", vals[0], vals[1]))}, true
		}
	}
	if op == "=" || op == "!=" {
		v := wpformat.SanitizeTextField(value)
		start, end := strings.HasPrefix(v, "*"), strings.HasSuffix(v, "*")
		if !start && !end {
			return []whereClause{andWhere(compare(column, op, v))}, true
		}
		like := v
		if start {
			like = strings.TrimLeft(like, "*")
		}
		if end {
			like = strings.TrimRight(like, "*")
		}
		switch {
		case start && end:
			like = "%" + like + "%"
		case start:
			like = "%" + like
		default:
			like = like + "%"
		}
		if op == "!=" {
			return []whereClause{andWhere(sq.NotLike{ident(column): like})}, true
		}
		return []whereClause{andWhere(sq.Like{ident(column): like})}, true
	}
	if op == "::" {
		// Query\Builder::where with an operator it does not know binds the operator as the value.
		return []whereClause{andWhere(sq.Eq{ident(column): "::"})}, true
	}
	return []whereClause{andWhere(compare(column, op, value))}, true
}

// compare is where(column, op, value) for the simple operators (=, !=, >, <, >=, <=).
func compare(column, op, value string) sq.Sqlizer {
	c := ident(column)
	switch op {
	case "!=":
		return sq.NotEq{c: value}
	case ">":
		return sq.Gt{c: value}
	case "<":
		return sq.Lt{c: value}
	case ">=":
		return sq.GtOrEq{c: value}
	case "<=":
		return sq.LtOrEq{c: value}
	}
	return sq.Eq{c: value}
}

// relationCount is withCount(relation): a correlated COUNT(*) aliased <snake relation>_count.
func (a *api) relationCount(rel string) (countColumn, error) {
	kind, ok := relationKinds[strings.ToLower(rel)]
	if !ok { // withCount calls the relation method directly: Model::__call's BadMethodCallException
		return countColumn{}, pluginException("Call to undefined method " + customerClass + "::" + rel + "()")
	}
	st := a.store
	alias := snakeCase(rel) + "_count"
	// count is `select count(*) from table where <parent id column> = table.column [and ...]`.
	count := func(table, parentCol, col, extra string, args ...any) countColumn {
		q := "SELECT COUNT(*) FROM " + ident(table) + " WHERE " + ident(st.customers, parentCol) + " = " + ident(table, col) + extra
		return countColumn{alias, sq.Expr(q, args...)}
	}
	switch kind {
	case "labels":
		return count(st.labelRels, "id", "labelable_id", " AND `labelable_type` = ?", customerMorphType), nil
	case "billing_address", "shipping_address":
		return count(st.addresses, "id", "customer_id", " AND `type` = ?", strings.TrimSuffix(kind, "_address")), nil
	case "primary_billing_address", "primary_shipping_address":
		typ := strings.TrimSuffix(strings.TrimPrefix(kind, "primary_"), "_address")
		return count(st.addresses, "id", "customer_id", " AND `type` = ? AND `is_primary` = ?", typ, 1), nil
	case "wpUser":
		return count(st.users, "user_id", "ID", ""), nil
	case "orders":
		return count(st.orders, "id", "customer_id", ""), nil
	case "subscriptions":
		return count(st.subscriptions, "id", "customer_id", ""), nil
	}
	return countColumn{alias, sq.Expr("SELECT COUNT(*) FROM " + ident(st.orderItems) + " INNER JOIN " + ident(st.orders) + " ON " +
		ident(st.orders, "id") + " = " + ident(st.orderItems, "order_id") + " WHERE " + ident(st.customers, "id") + " = " +
		ident(st.orders, "customer_id") + " AND " + ident(st.orders, "payment_status") + " IN ('paid', 'partially_refunded', 'partially_paid')")}, nil
}

// customerList serialises customer rows with their eager-loaded relations, in a fixed number of queries.
func (a *api) customerList(ctx context.Context, r *rest.Request, rows []*attrs, eager []string) ([]any, error) {
	items := []any{}
	if len(rows) == 0 {
		return items, nil
	}
	rels, err := a.loadRelations(ctx, rows, eager)
	if err != nil {
		return nil, err
	}
	vc, err := a.viewFor(ctx, r, rows)
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		items = append(items, vc.customer(row, nil, rels[i]))
	}
	return items, nil
}

// viewFor builds the view context for rows (one photo-meta query for all linked users).
func (a *api) viewFor(ctx context.Context, r *rest.Request, rows []*attrs) (*viewCtx, error) {
	return a.viewForPhotos(ctx, r, rows, nil)
}

// viewForPhotos is viewFor with the photo metas already read (nil: read them); photos must hold every linked user
// of rows.
func (a *api) viewForPhotos(ctx context.Context, r *rest.Request, rows []*attrs, photos map[int64]string) (*viewCtx, error) {
	vc, err := newViewCtx(ctx, a.site, r)
	if err != nil {
		return nil, err
	}
	if photos != nil {
		vc.photos = photos
	} else if ids := customerUserIDs(rows); len(ids) > 0 {
		if vc.photos, err = a.store.photoMetas(ctx, ids); err != nil {
			return nil, err
		}
	}
	return vc, nil
}

// paginator is LengthAwarePaginator::toArray (vendor/wpfluent/framework/src/WPFluent/Pagination).
func paginator(path string, items []any, total, perPage, page int64) *wpjson.Object {
	if path != "/" {
		path = strings.TrimRight(path, "/")
	}
	lastPage := max(int64(math.Ceil(float64(total)/float64(perPage))), 1)
	url := func(p int64) string {
		if p <= 0 {
			p = 1
		}
		sep := "/?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		return path + sep + "page=" + itoa(p)
	}
	var from, to any
	if n := int64(len(items)); n > 0 {
		f := (page-1)*perPage + 1
		from, to = f, f+n-1
	}
	var next, prev any
	if page < lastPage {
		next = url(page + 1)
	}
	if page > 1 {
		prev = url(page - 1)
	}
	links := []any{wpjson.NewObject().Set("url", prev).Set("label", "pagination.previous").Set("active", false)}
	pageLink := func(p int64) {
		links = append(links, wpjson.NewObject().Set("url", url(p)).Set("label", itoa(p)).Set("active", p == page))
	}
	gap := func() {
		links = append(links, wpjson.NewObject().Set("url", nil).Set("label", "...").Set("active", false))
	}
	rng := func(a, b int64) {
		for p := a; p <= b; p++ {
			pageLink(p)
		}
	}
	const onEachSide, window = 3, 3 + 4
	switch {
	case lastPage < onEachSide*2+8:
		rng(1, lastPage)
	case page <= window:
		rng(1, window+onEachSide)
		gap()
		rng(lastPage-1, lastPage)
	case page > lastPage-window:
		rng(1, 2)
		gap()
		rng(lastPage-(window+(onEachSide-1)), lastPage)
	default:
		rng(1, 2)
		gap()
		rng(page-onEachSide, page+onEachSide)
		gap()
		rng(lastPage-1, lastPage)
	}
	links = append(links, wpjson.NewObject().Set("url", next).Set("label", "pagination.next").Set("active", false))
	return wpjson.NewObject().
		Set("current_page", page).
		Set("data", items).
		Set("first_page_url", url(1)).
		Set("from", from).
		Set("last_page", lastPage).
		Set("last_page_url", url(lastPage)).
		Set("links", links).
		Set("next_page_url", next).
		Set("path", path).
		Set("per_page", perPage).
		Set("prev_page_url", prev).
		Set("to", to).
		Set("total", total)
}
