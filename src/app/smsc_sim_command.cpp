// `smsgw smsc-sim`: the SMSC simulator alone, for tests and benchmarks (docs/simulator.md).
// Prints one line when listening, runs until SIGINT/SIGTERM, exits 0.

#include "smpp/asio.h"
// clang-format off
#include <spdlog/spdlog.h>
// clang-format on

#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "app/command.h"
#include "config/endpoint.h"
#include "smsc_sim/simulator.h"

namespace smsgw::app {
namespace {

namespace asio = boost::asio;

// SMPP 3.4 §4.1.1: system_id holds 16 octets and password 9, each with its NUL.
constexpr size_t kMaxSystemId = 15;
constexpr size_t kMaxPassword = 8;

struct SimFlags {
  std::string listen = "127.0.0.1:2775";
  std::vector<std::string> accounts;
  std::string control;
  int64_t receipt_delay_ms = 1000;
  std::string id_format = "hex";
  std::string multipart_receipts = "per-part";
  uint32_t max_rate = 0;
  uint32_t max_binds = 0;
  std::string log;
};

core::Result<std::vector<smsc_sim::Account>> ParseAccounts(const std::vector<std::string>& given) {
  std::vector<smsc_sim::Account> accounts;
  std::set<std::string> seen;
  for (const std::string& spec : given) {
    const size_t colon = spec.find(':');
    if (colon == std::string::npos || colon == 0) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "--account " + spec + ": expected SYSTEM_ID:PASSWORD");
    }
    smsc_sim::Account account{spec.substr(0, colon), spec.substr(colon + 1)};
    if (account.system_id.size() > kMaxSystemId || account.password.size() > kMaxPassword) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "--account " + spec + ": SMPP allows a system_id of at most " +
                                 std::to_string(kMaxSystemId) + " characters and a password of " +
                                 std::to_string(kMaxPassword));
    }
    if (!seen.insert(account.system_id).second) {
      return core::MakeError(core::Errc::kInvalidArgument,
                             "--account: system_id " + account.system_id + " given twice");
    }
    accounts.push_back(std::move(account));
  }
  return accounts;
}

int RunSimulator(const SimFlags& f) {
  smsc_sim::SimulatorConfig config;
  auto listen = config::ParseEndpoint(f.listen);
  if (!listen) {
    return Fail("--listen: " + listen.error().message);
  }
  config.listen_host = listen->host;
  config.listen_port = listen->port;
  std::optional<config::Endpoint> control;
  if (!f.control.empty()) {
    auto parsed = config::ParseEndpoint(f.control);
    if (!parsed) {
      return Fail("--control: " + parsed.error().message);
    }
    control = *parsed;
  }
  if (!f.accounts.empty()) {
    auto accounts = ParseAccounts(f.accounts);
    if (!accounts) {
      return Fail(accounts.error().message);
    }
    config.accounts = std::move(*accounts);
  }
  config.receipt_delay = std::chrono::milliseconds(f.receipt_delay_ms);
  config.id_format =
      f.id_format == "decimal" ? smpp::codec::IdFormat::kDecimal : smpp::codec::IdFormat::kHex;
  config.multipart_receipts = f.multipart_receipts == "last-part"
                                  ? smsc_sim::MultipartReceipts::kLastPart
                                  : smsc_sim::MultipartReceipts::kPerPart;
  config.max_rate = f.max_rate;
  config.max_binds = f.max_binds;
  config.log_path = f.log;

  asio::io_context io(1);
  smsc_sim::Simulator simulator(io, config);
  // Installed before the listening line: a supervisor may signal as soon as it reads it.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::string line;
  try {
    const uint16_t port = simulator.Start();
    line = "smsc-sim listening on " + config::FormatEndpoint({config.listen_host, port});
  } catch (const std::exception& e) {
    return Fail("cannot start the simulator on " + config::FormatEndpoint(*listen) + ": " +
                e.what());
  }
  if (control) {
    try {
      const uint16_t port = simulator.StartControl(control->host, control->port);
      line += ", control on " + config::FormatEndpoint({control->host, port});
    } catch (const std::exception& e) {
      return Fail("cannot listen for control on " + config::FormatEndpoint(*control) + ": " +
                  e.what());
    }
  }
  std::cout << line << std::endl;
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    SPDLOG_INFO("smsc-sim: signal {}: stopping", signal);
    simulator.Stop();
  });
  io.run();
  return 0;
}

}  // namespace

void AddSmscSimCommand(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<SimFlags>();
  CLI::App* sim = app.add_subcommand("smsc-sim", "run the SMSC simulator (docs/simulator.md)");
  sim->add_option("--listen", f->listen, "HOST:PORT for SMPP (default 127.0.0.1:2775)");
  sim->add_option("--account", f->accounts,
                  "SYSTEM_ID:PASSWORD allowed to bind; repeatable (default smsgw:smsgw)");
  sim->add_option("--control", f->control, "HOST:PORT for the HTTP control endpoint (off)");
  sim->add_option("--receipt-delay", f->receipt_delay_ms,
                  "milliseconds from submit_sm_resp to the receipt (default 1000)")
      ->check(CLI::Range(int64_t{0}, int64_t{24 * 3600 * 1000}));
  sim->add_option("--id-format", f->id_format, "message ids: hex (default) or decimal")
      ->check(CLI::IsMember({"hex", "decimal"}));
  sim->add_option("--multipart-receipts", f->multipart_receipts, "per-part (default) or last-part")
      ->check(CLI::IsMember({"per-part", "last-part"}));
  sim->add_option("--max-rate", f->max_rate,
                  "submit_sm per second per system_id before ESME_RTHROTTLED (0 = unlimited)")
      ->check(CLI::Range(uint32_t{0}, uint32_t{1'000'000}));
  sim->add_option("--max-binds", f->max_binds,
                  "connections bound at once per system_id before ESME_RBINDFAIL (0 = unlimited)")
      ->check(CLI::Range(uint32_t{0}, uint32_t{100'000}));
  sim->add_option("--log", f->log, "write every PDU as a JSON line to this file");
  commands.push_back({sim, [f] { return RunSimulator(*f); }});
}

}  // namespace smsgw::app
