// `smsgw smpp-send`: check an SMPP link by sending one message (app/smpp_send.h).

#include <iostream>
#include <memory>

#include "app/command.h"
#include "app/smpp_send.h"

namespace smsgw::app {
namespace {

struct SmppSendFlags {
  SmppSendOptions options;
  std::string bind = "transceiver";
  std::string unicode = "auto";
  std::string concat = "udh8";
  std::optional<int> wait_receipt;
  bool json = false;
};

int RunCommand(SmppSendFlags& f) {
  SmppSendOptions& o = f.options;
  o.session.name = "smpp-send";
  o.unicode = f.unicode == "1"   ? text::UnicodeMode::kUcs2
              : f.unicode == "0" ? text::UnicodeMode::kGsm7
                                 : text::UnicodeMode::kAuto;
  o.concat = f.concat == "udh16"     ? text::ConcatMethod::kUdh16
             : f.concat == "sar"     ? text::ConcatMethod::kSar
             : f.concat == "payload" ? text::ConcatMethod::kMessagePayload
                                     : text::ConcatMethod::kUdh8;
  if (f.wait_receipt) {
    o.wait_receipt = std::chrono::seconds(*f.wait_receipt);
  }
  // A transmitter bind cannot receive receipts; with --wait-receipt a receiver joins it.
  o.session.bind = f.bind == "transceiver" ? smpp::BindType::kTransceiver
                   : o.wait_receipt        ? smpp::BindType::kPair
                                           : smpp::BindType::kTransmitter;
  // A tool run by hand: give up on a dead link quickly instead of backing off for a minute.
  o.session.connect_timeout = o.bind_timeout;
  const SmppSendReport report = RunSmppSend(o);
  std::cout << (f.json ? report.ToJson() : report.ToText());
  if (!report.error.empty() && !f.json) {
    return Fail(report.error);
  }
  return report.ok(o.wait_receipt.has_value()) ? 0 : 1;
}

}  // namespace

void AddSmppSendCommand(CLI::App& app, Commands& commands) {
  auto f = std::make_shared<SmppSendFlags>();
  SmppSendOptions& o = f->options;
  CLI::App* cmd = app.add_subcommand(
      "smpp-send", "bind to an SMSC, send one message, optionally wait for its receipts");
  cmd->add_option("--host", o.session.host, "SMSC host")->required();
  cmd->add_option("--port", o.session.port, "SMSC port")->required();
  cmd->add_option("--system-id", o.session.system_id, "bind system_id")->required();
  cmd->add_option("--password", o.session.password, "bind password")->required();
  cmd->add_option("--system-type", o.session.system_type, "bind system_type");
  cmd->add_option("--bind", f->bind, "transceiver (default) or transmitter")
      ->check(CLI::IsMember({"transceiver", "transmitter"}));
  cmd->add_option("--from", o.from, "sender id or number")->required();
  cmd->add_option("--to", o.to, "destination number")->required();
  cmd->add_option("--text", o.text, "message text (UTF-8)")->required();
  cmd->add_option("--unicode", f->unicode, "auto (default), 0 (GSM-7 only) or 1 (UCS-2)")
      ->check(CLI::IsMember({"auto", "0", "1"}));
  cmd->add_option("--concat", f->concat, "long messages: udh8 (default), udh16, sar, payload")
      ->check(CLI::IsMember({"udh8", "udh16", "sar", "payload"}));
  cmd->add_flag("--flash", o.flash, "flash SMS (message class 0)");
  cmd->add_option("--wait-receipt", f->wait_receipt,
                  "ask for delivery receipts and wait up to SECONDS for them")
      ->check(CLI::Range(1, 3600));
  cmd->add_flag("--json", f->json, "print JSON");
  commands.push_back({cmd, [f] { return RunCommand(*f); }});
}

}  // namespace smsgw::app
