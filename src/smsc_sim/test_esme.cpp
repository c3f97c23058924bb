#include "smsc_sim/test_esme.h"

// clang-format off
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
// clang-format on
#include <gtest/gtest.h>

#include <future>

namespace smsgw::smsc_sim::testing {

namespace asio = smpp::asio;

SimulatorConfig TestConfig() {
  SimulatorConfig config;
  config.listen_host = "127.0.0.1";
  config.listen_port = 0;
  config.accounts = {{"smsgw", "smsgw"}, {"other", "secret"}};
  config.receipt_delay = 20ms;
  config.slow_response = 300ms;
  config.receipt_first_gap = 200ms;
  config.deliver_retry = 50ms;
  return config;
}

RunningSimulator::RunningSimulator(SimulatorConfig config, bool with_control) {
  sim_ = std::make_unique<Simulator>(io_, std::move(config));
  port_ = sim_->Start();
  if (with_control) {
    control_port_ = sim_->StartControl("127.0.0.1", 0);
  }
  thread_ = std::thread([this] { io_.run(); });
}

RunningSimulator::~RunningSimulator() {
  sim_->Stop();
  thread_.join();
}

TestEsme::TestEsme(uint16_t port) : work_(asio::make_work_guard(io_)) {
  auto connected = std::make_shared<std::promise<bool>>();
  std::future<bool> done = connected->get_future();
  asio::co_spawn(io_, Run(port, connected), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
  connected_ = done.wait_for(kWait) == std::future_status::ready && done.get();
}

TestEsme::~TestEsme() {
  Close();
  work_.reset();
  thread_.join();
}

asio::awaitable<void> TestEsme::Run(uint16_t port, std::shared_ptr<std::promise<bool>> connected) {
  std::error_code ec;
  conn_ = co_await smpp::PduConnection::Connect(io_.get_executor(), "127.0.0.1", port, ec);
  connected->set_value(conn_ != nullptr);
  if (conn_) {
    while (std::optional<codec::Pdu> pdu = co_await conn_->Read()) {
      std::lock_guard lock(mu_);
      inbox_.push_back(std::move(*pdu));
      cv_.notify_all();
    }
  }
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

uint32_t TestEsme::Send(codec::Body body) {
  const uint32_t seq = next_sequence_++;
  SendPdu(codec::Pdu{0, seq, std::move(body)});
  return seq;
}

void TestEsme::SendPdu(const codec::Pdu& pdu) {
  asio::post(io_, [this, pdu] {
    if (conn_) {
      conn_->Send(pdu);
    }
  });
}

std::optional<codec::Pdu> TestEsme::Await(const std::function<bool(const codec::Pdu&)>& match,
                                          Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
      if (match(*it)) {
        codec::Pdu found = std::move(*it);
        inbox_.erase(it);
        return found;
      }
    }
    if (closed_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: the PDU may have arrived with the close or at the deadline.
      for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
        if (match(*it)) {
          codec::Pdu found = std::move(*it);
          inbox_.erase(it);
          return found;
        }
      }
      return std::nullopt;
    }
  }
}

std::optional<codec::Pdu> TestEsme::Response(uint32_t sequence, Clock::duration timeout) {
  return Await(
      [sequence](const codec::Pdu& p) {
        return codec::IsResponse(codec::CommandIdOf(p)) && p.sequence_number == sequence;
      },
      timeout);
}

std::optional<codec::Pdu> TestEsme::NextDeliverSm(Clock::duration timeout) {
  return Await([](const codec::Pdu& p) { return std::holds_alternative<codec::DeliverSm>(p.body); },
               timeout);
}

std::deque<codec::Pdu> TestEsme::Drain() {
  std::lock_guard lock(mu_);
  return std::exchange(inbox_, {});
}

std::optional<codec::Pdu> TestEsme::Bind(codec::BindMode mode, std::string system_id,
                                         std::string password) {
  codec::Bind bind;
  bind.mode = mode;
  bind.system_id = std::move(system_id);
  bind.password = std::move(password);
  return Response(Send(bind));
}

void TestEsme::Ack(const codec::Pdu& deliver_sm, uint32_t status) {
  SendPdu(codec::Pdu{status, deliver_sm.sequence_number, codec::DeliverSmResp{}});
}

bool TestEsme::WaitClosed(Clock::duration timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return closed_; });
}

void TestEsme::Close() {
  asio::post(io_, [this] {
    if (conn_) {
      conn_->Close();
    }
  });
  WaitClosed();
}

bool WaitUntil(const std::function<bool()>& condition, Clock::duration timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

codec::SubmitSm MakeSubmit(std::string dest, uint8_t registered_delivery, std::string_view text) {
  codec::SubmitSm sm;
  sm.source = {5, 0, "ACME"};
  sm.dest = {1, 1, std::move(dest)};
  sm.registered_delivery = registered_delivery;
  sm.short_message.assign(text.begin(), text.end());  // ASCII letters are their GSM-7 septets
  return sm;
}

std::string ShortMessageText(const codec::Pdu& pdu) {
  const auto* sm = std::get_if<codec::DeliverSm>(&pdu.body);
  return sm ? std::string(sm->short_message.begin(), sm->short_message.end()) : "";
}

HttpResult HttpCall(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  asio::io_context io;
  beast::tcp_stream stream(io);
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  HttpResult result;
  stream.expires_after(kWait);
  stream.async_connect(
      smpp::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) {
          return;
        }
        http::async_write(stream, request, [&](beast::error_code ec, size_t) {
          if (ec) {
            return;
          }
          http::async_read(stream, buffer, response, [&](beast::error_code ec, size_t) {
            if (!ec) {
              result.status = response.result_int();
              result.body = response.body();
            }
          });
        });
      });
  io.run();
  return result;
}

}  // namespace smsgw::smsc_sim::testing
