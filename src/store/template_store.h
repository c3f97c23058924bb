#pragma once
// TemplateStore is each account's registry of message templates: the text a send renders when it
// names a template_id without a body, and, in India, the DLT registration that a send must match
// (approved route type and sender IDs). Calls block and are safe from any thread. Several processes
// may share one store (the CLI changes templates while `serve` runs): TemplatesVersion() lets a
// reader cache templates and notice, within 1 s, that another process changed one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/result.h"
#include "core/time.h"

namespace smsgw::store {

struct Template {
  std::string sid;
  std::string template_id;              // 12-30 digits, unique per account
  std::string name;                     // free text for people; may be empty
  std::string text;                     // with {#name#} / <name> placeholders (core/template.h)
  std::optional<core::RouteType> type;  // the approved route type; nullopt: any
  std::vector<std::string> senders;     // the approved sender IDs, in order; empty: any
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

// A partial update: only the fields that hold a value change.
struct TemplateChange {
  std::optional<std::string> name;
  std::optional<std::string> text;
  std::optional<std::optional<core::RouteType>> type;  // a value of nullopt clears the type
  std::optional<std::vector<std::string>> senders;     // an empty list clears the senders
};

class TemplateStore {
 public:
  virtual ~TemplateStore() = default;

  // Stores a new template. kNotFound when the account does not exist; kConflict when the account
  // already has this template_id. The caller has validated the fields; the store keeps them as
  // given (times to the millisecond). Sender IDs contain no ',' (core::IsValidSenderId).
  virtual core::Result<void> CreateTemplate(const Template& t) = 0;
  // kNotFound when the account has no such template (or the account does not exist).
  virtual core::Result<Template> GetTemplate(std::string_view sid,
                                             std::string_view template_id) = 0;
  // The account's templates ordered by template_id; kNotFound when the account does not exist.
  virtual core::Result<std::vector<Template>> ListTemplates(std::string_view sid) = 0;
  // Applies `change` in one step (a concurrent change is never half-overwritten) and sets
  // updated_at to `now`; returns the template as stored afterwards. kNotFound when there is no
  // such template.
  virtual core::Result<Template> UpdateTemplate(std::string_view sid, std::string_view template_id,
                                                const TemplateChange& change,
                                                core::TimePoint now) = 0;
  // kNotFound when there is no such template. Messages already accepted keep their template_id.
  virtual core::Result<void> DeleteTemplate(std::string_view sid, std::string_view template_id) = 0;

  // A counter that changes whenever a template of any account is created, updated or deleted: at
  // once in the instance that made the change, within 1 s in every other process sharing the
  // store. It may also change for other reasons. Cheap enough to call on every request: no I/O.
  virtual uint64_t TemplatesVersion() const = 0;
};

}  // namespace smsgw::store
