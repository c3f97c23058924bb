#pragma once
// ApiHandler is the Kaleyra-compatible API: it routes a request, authenticates its api-key for
// the path's SID, and runs the send or status endpoint. A send is validated on the network
// thread, committed through the GroupCommitter (a 200 is written only after the commit), and
// answered in the contract's shape. Reads (key misses, status lookups) run on `store_pool`.
// Handle may be called concurrently from any io_context thread.

#include <chrono>

#include "api/asio.h"
#include "api/authenticator.h"
#include "api/http_server.h"
#include "core/region.h"
#include "core/time.h"
#include "store/group_committer.h"
#include "store/message_store.h"

namespace smsgw::api {

struct ApiOptions {
  core::Region region = core::Region::kSg;
  std::chrono::seconds schedule_min_ahead{15 * 60};
  std::chrono::seconds schedule_max_ahead{92 * 24 * 3600};
  bool smart_encoding = false;  // the default for accounts that have not chosen
};

class ApiHandler final : public RequestHandler {
 public:
  ApiHandler(ApiOptions options, Authenticator& auth, store::GroupCommitter& committer,
             store::MessageStore& messages, asio::thread_pool& store_pool,
             const core::Clock& clock);

  asio::awaitable<Response> Handle(Request request) override;

 private:
  asio::awaitable<Response> Send(const Request& request, const std::string& sid,
                                 std::string_view query, bool smart_encoding);
  asio::awaitable<Response> Status(const std::string& sid, std::string_view query);

  const ApiOptions options_;
  Authenticator& auth_;
  store::GroupCommitter& committer_;
  store::MessageStore& messages_;
  asio::thread_pool& store_pool_;
  const core::Clock& clock_;
};

}  // namespace smsgw::api
