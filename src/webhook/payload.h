#pragma once
// The fields a webhook reports (a delivery-status change or an inbound message, as the contract's
// "Delivery-status callbacks" and "Inbound (two-way)" sections list them) and how they become an
// HTTP request: a JSON body (POST, PUT), query parameters (GET), or a profile's body template.
// Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "store/message_log.h"
#include "store/webhook_store.h"
#include "webhook/target.h"

namespace smsgw::webhook {

struct Field {
  enum class Kind : uint8_t {
    kString = 0,
    kNumber = 1,  // decimal digits; a JSON number in a JSON body
    kJson = 2,    // JSON text (an array): inserted as is in a JSON body, as its text elsewhere
  };
  std::string name;
  std::string value;
  Kind kind = Kind::kString;

  friend bool operator==(const Field&, const Field&) = default;
};
using Fields = std::vector<Field>;

// The fields of a status callback, in the contract's order: id, message_id, recipient, sender,
// status, status_trace, description, error_code, segments, timestamp, ref, ref1, ref2,
// ref_custom, campaign_name, event_id.
Fields StatusFields(const core::Message& message, const store::StatusEvent& event,
                    std::string_view event_id);
// The fields of an inbound callback: source, recipient, message, keyword, id, kid, status,
// status_trace, description, timestamp, parts, operator, circle, event_id.
Fields InboundFields(const store::InboundDelivery& inbound, std::string_view event_id);
// The fields of a test webhook (Sender::SendTest): a status callback's fields, as for a message
// Delivered at `at`, about no message: id and message_id are `event_id`, recipient and sender
// empty, status_trace "TEST", description "A test webhook from smsgw; no message was sent.".
Fields TestFields(std::string_view event_id, core::TimePoint at);
// The job's fields by its kind.
Fields JobFields(const store::WebhookJob& job);

// The Kaleyra status word a callback reports for `state`.
std::string_view CallbackStatus(core::MessageState state);
// A person's sentence for a status_details word (stat or NotSent reason).
std::string Description(core::MessageState state, std::string_view details);

struct RenderedRequest {
  std::string url;           // the target's URL, with the query parameters for GET
  std::string body;          // empty for GET
  std::string content_type;  // empty for GET
  // What the signature covers: the body, or for GET the query string (after '?').
  std::string signed_part;
};

// Renders the request for `target`:
//  - GET: every field as a query parameter (percent-encoded, arrays as their JSON text) appended
//    to the URL; a body template is not used for GET.
//  - POST/PUT without a template: one JSON object of the fields, application/json.
//  - POST/PUT with a template: each `<name>` naming a field is replaced by its value, inserted as
//    it is (not escaped: the profile's author writes a template that suits the values); other
//    text, unknown `<names>` included, stays. application/json when the template starts with
//    `{` (after white space), else text/plain; charset=utf-8.
RenderedRequest Render(const Fields& fields, const Target& target);

}  // namespace smsgw::webhook
