#pragma once
// Bridges blocking store work into coroutines without blocking a network thread: the work runs
// on another executor (a thread pool, or the GroupCommitter's writer thread) and the coroutine
// resumes on its own executor with the result.

#include <memory>
#include <optional>
#include <type_traits>

#include "api/asio.h"
#include "core/message.h"
#include "core/result.h"
#include "store/group_committer.h"

namespace smsgw::api {

// Runs `work()` on `pool` and co_returns its result on the calling coroutine's executor.
template <class Work>
asio::awaitable<std::invoke_result_t<Work&>> RunBlocking(asio::thread_pool& pool, Work work) {
  using R = std::invoke_result_t<Work&>;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      [&pool](auto handler, Work work) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        asio::post(pool, [shared, work = std::move(work)]() mutable {
          R result = work();
          auto ex = asio::get_associated_executor(*shared);
          asio::post(
              ex, [shared, result = std::move(result)]() mutable { (*shared)(std::move(result)); });
        });
      },
      asio::use_awaitable, std::move(work));
}

// Hands `messages` (and the request's idempotency key) to the group committer; co_returns once
// they are committed (or failed).
inline asio::awaitable<core::Result<void>> AsyncEnqueue(
    store::GroupCommitter& committer, std::vector<core::Message> messages,
    std::optional<store::IdempotencyRecord> key = std::nullopt) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(core::Result<void>)>(
      [&committer](auto handler, std::vector<core::Message> messages,
                   std::optional<store::IdempotencyRecord> key) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        committer.Submit(
            std::move(messages),
            [shared](core::Result<void> result) {
              auto ex = asio::get_associated_executor(*shared);
              asio::post(ex, [shared, result = std::move(result)]() mutable {
                (*shared)(std::move(result));
              });
            },
            std::move(key));
      },
      asio::use_awaitable, std::move(messages), std::move(key));
}

}  // namespace smsgw::api
