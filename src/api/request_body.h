#pragma once
// Turns what a client sent into one JSON object, so validation reads every request the same
// way: a JSON body as it is, a form-urlencoded body or a query string as an object whose members
// are strings. Kaleyra's own samples send form fields with Content-Type: application/json, so the
// kind is decided by the body, never by the header. Pure; thread-compatible.

#include <rapidjson/document.h>

#include <expected>
#include <string>
#include <string_view>

#include "api/errors.h"

namespace smsgw::api {

// True when the body, after white space, starts with '{'.
bool LooksLikeJson(std::string_view body);

// Parses a JSON body that must be an object, nested at most core::kMaxJsonDepth deep. Invalid
// UTF-8 is E419, anything else (too deep included) E420.
std::expected<void, FieldError> ParseJsonBody(std::string_view body, rapidjson::Document& out);

// Parses `a=1&b=%20x` into an object of strings. '+' is a space; a repeated `to` is joined with
// commas (several recipients), any other repeated key keeps its last value. Bad escapes are
// E420, values that are not UTF-8 E419.
std::expected<void, FieldError> ParseFormBody(std::string_view form, rapidjson::Document& out);

// Percent-decoding of one component ('+' as space). nullopt-like failure as false.
bool UrlDecode(std::string_view in, std::string& out);

// A request's fields, whatever their form: from the query string for a GET (`use_query`), else
// from the body, JSON or form decided by LooksLikeJson. A body in a Content-Encoding other than
// identity (`content_encoding` non-empty) is E443: smsgw does not decompress.
std::expected<void, FieldError> ParseRequestFields(std::string_view content_encoding,
                                                   bool use_query, std::string_view query,
                                                   std::string_view body, rapidjson::Document& out);

// The value of one query parameter (decoded), or empty.
std::string QueryParam(std::string_view query, std::string_view name);

}  // namespace smsgw::api
