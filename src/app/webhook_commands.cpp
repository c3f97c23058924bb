// `smsgw webhook list|replay`: an account's webhook outbox, straight on the store (a running
// `serve` sends a replayed webhook at its next claim). `list` builds the query string of
// `GET /ext/v1/{sid}/webhooks` and parses it with the API's code, so both take the same values.

#include <chrono>
#include <iostream>
#include <memory>

#include "api/webhook_requests.h"
#include "app/command.h"
#include "core/time.h"

namespace smsgw::app {
namespace {

struct WebhookFlags {
  CommonFlags common;
  bool json = false;
  std::string sid, state, cursor, limit, event_id;
};

// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
std::string QueryEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

}  // namespace

void AddWebhookCommands(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<WebhookFlags>();
  CLI::App* group = app.add_subcommand("webhook", "inspect and replay an account's webhooks");
  group->require_subcommand(1);

  CLI::App* list = group->add_subcommand("list", "list webhooks in one state, newest first");
  list->add_option("--sid", f->sid, "account SID")->required();
  list->add_option("--state", f->state, "exhausted (default), pending or delivered");
  list->add_option("--limit", f->limit, "at most this many (1-1000, default 100)");
  list->add_option("--cursor", f->cursor, "the next_cursor of the previous page");
  list->add_flag("--json", f->json, "print JSON");
  AddCommonFlags(*list, f->common);
  commands.push_back(
      {list, [f] {
         std::string query;
         for (auto [key, value] : {std::pair{"state", &f->state}, std::pair{"limit", &f->limit},
                                   std::pair{"cursor", &f->cursor}}) {
           if (!value->empty()) {
             query += (query.empty() ? "" : "&") + std::string(key) + "=" + QueryEncode(*value);
           }
         }
         auto q = api::ParseWebhookListQuery(query);
         if (!q) {
           return FailFields(q.error());
         }
         return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
           auto page = store.webhooks->ListWebhooks(f->sid, q->state, q->cursor, q->limit);
           if (!page) {
             return FailStore(page.error(), f->sid);
           }
           if (f->json) {
             std::cout << api::WebhookPageJson(*page) << "\n";
             return 0;
           }
           for (const store::WebhookSummary& w : page->webhooks) {
             std::cout << w.event_id << "  "
                       << (w.kind == store::WebhookKind::kStatus ? "status " : "inbound ")
                       << w.subject_id << "  " << api::WebhookStateName(w.state)
                       << "  attempts: " << w.attempts
                       << (w.last_error.empty() ? "" : "  last error: " + w.last_error) << "\n";
           }
           if (!page->next_cursor.empty()) {
             std::cout << "next: --cursor " << page->next_cursor << "\n";
           }
           return 0;
         });
       }});

  CLI::App* replay = group->add_subcommand("replay", "send a webhook again (a new retry run)");
  replay->add_option("--sid", f->sid, "account SID")->required();
  replay->add_option("--event-id", f->event_id, "the webhook's event_id")->required();
  AddCommonFlags(*replay, f->common);
  commands.push_back({replay, [f] {
                        return WithStore(f->common, [&](const Settings&, OpenedStore& store) {
                          auto replayed = store.webhooks->ReplayWebhook(
                              f->sid, f->event_id, std::chrono::system_clock::now());
                          if (!replayed) {
                            if (replayed.error().code == core::Errc::kNotFound) {
                              return Fail("no webhook " + f->event_id + " for " + f->sid);
                            }
                            return FailStore(replayed.error(), f->sid);
                          }
                          std::cout << "webhook " << f->event_id << " queued to be sent again\n";
                          return 0;
                        });
                      }});
}

}  // namespace smsgw::app
