package fluentcart

// FluentCart's error envelopes (spec fluentcart-customers.md §1.5). Each is a rest.HTTPError so handlers
// just return it.

import (
	"net/http"

	"github.com/wpsidecar/wpsidecar/wpcompat/rest"
	"github.com/wpsidecar/wpsidecar/wpcompat/wpjson"
)

// validationError is the 422 body of a ValidationException: {field: {rule: message}} (Route::callback ->
// Response::sendError($e->errors(), 422)).
type validationError struct{ fields *wpjson.Object }

func (e *validationError) Error() string { return "fluentcart: validation failed" }
func (e *validationError) Response() *rest.Response {
	return rest.NewResponse(http.StatusUnprocessableEntity, e.fields)
}

// messageError is Controller::sendError(['message' => …]): HTTP 422 {"message": …}.
func messageError(msg string) error {
	return &rest.ResponseError{Resp: rest.NewResponse(http.StatusUnprocessableEntity,
		wpjson.NewObject().Set("message", msg))}
}

// resourceError is a WP_Error built by api/Resource/BaseResourceApi::makeErrorResponse: an integer code and
// empty data, which rest_convert_error_to_response renders as HTTP 500 {"code":<int>,"message":…,"data":null}.
func resourceError(code int, msg string) error {
	resp := rest.NewResponse(http.StatusInternalServerError,
		wpjson.NewObject().Set("code", code).Set("message", msg).Set("data", nil))
	resp.Planned = true // PHP's own 500 for the same request, not a failure of the sidecar
	return &rest.ResponseError{Resp: resp}
}

// entityNotFound is Controller::entityNotFoundError (HTTP 404); the 404 decorator appends data.wpfluent.
func entityNotFound(msg, button, route string) error {
	return &rest.ResponseError{Resp: rest.NewResponse(http.StatusNotFound,
		wpjson.NewObject().
			Set("data", wpjson.NewObject().Set("message", msg).Set("buttonText", button).Set("route", route)).
			Set("code", "fluent_cart_entity_not_found"))}
}

// pluginException is Route::handleUnknownException for a PHP Throwable (TypeError, RelationNotFoundException
// …): HTTP 500 {"code":"plugin_exception","data":[],"message":…}. With WP_DEBUG PHP adds file/line, which the
// sidecar cannot know; it keeps data empty.
func pluginException(msg string) error {
	resp := rest.NewResponse(http.StatusInternalServerError,
		wpjson.NewObject().Set("code", "plugin_exception").Set("data", []any{}).Set("message", msg))
	resp.Planned = true // PHP's own 500 for the same request, not a failure of the sidecar
	return &rest.ResponseError{Resp: resp}
}

// typeErrorAssign is the TypeError PHP raises assigning a value to a typed property of BaseFilter.
func typeErrorAssign(v any, class, prop, typ string) error {
	return pluginException("Cannot assign " + phpTypeName(v) + " to property " + class + "::$" + prop + " of type " + typ)
}

// rejected is the sidecar's own 400 for requests PHP would execute unsafely (DEVIATIONS.md, "FluentCart").
func rejected(param, why string) error {
	return rest.NewError("rest_invalid_param", "Invalid parameter(s): "+param, http.StatusBadRequest).
		With("params", wpjson.NewObject().Set(param, why))
}
