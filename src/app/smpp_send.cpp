#include "app/smpp_send.h"

#include <algorithm>
#include <sstream>

#include "app/command.h"
#include "core/time.h"
#include "smpp/codec/command_status.h"
#include "smpp/codec/message_id.h"
#include "smpp/codec/submit_builder.h"
#include "smpp/session.h"
#include "text/inbound_decoder.h"

namespace smsgw::app {
namespace {

namespace codec = smpp::codec;
namespace asio = smpp::asio;

// Carriers often answer submit_sm with a hex id and put the same number in decimal in the
// receipt; an operator checking a link should see the receipt matched either way.
bool SameId(std::string_view submitted, std::string_view receipted) {
  return codec::SameMessageId(submitted, receipted) ||
         codec::SameMessageId(submitted, receipted, codec::IdFormat::kHex,
                              codec::IdFormat::kDecimal);
}

struct Exchange {
  const SmppSendOptions& options;
  SmppSendReport& report;
  asio::io_context& context;
  asio::steady_timer wake{context, smpp::Clock::time_point::max()};

  asio::awaitable<uint32_t> Inbound(codec::Pdu pdu) {
    if (auto* sm = std::get_if<codec::DeliverSm>(&pdu.body)) {
      if (codec::IsDeliveryReceipt(sm->esm_class)) {
        if (auto receipt = codec::ParseReceipt(*sm)) {
          report.receipts.push_back(std::move(*receipt));
          wake.cancel();
        }
      } else {
        text::InboundOptions decode{.udhi = (sm->esm_class & 0x40) != 0};
        auto text = text::DecodeInbound(sm->data_coding, sm->short_message, decode);
        report.mo.push_back({sm->source.addr, sm->dest.addr,
                             text ? text->utf8 : "(undecodable: " + text.error().message + ")"});
      }
    } else if (auto* data = std::get_if<codec::DataSm>(&pdu.body)) {
      if (codec::IsDeliveryReceipt(data->esm_class)) {
        if (auto receipt = codec::ParseReceipt(*data)) {
          report.receipts.push_back(std::move(*receipt));
          wake.cancel();
        }
      }
    }
    co_return 0;
  }

  bool AllReceipts() const {
    return std::ranges::all_of(report.parts, [this](const PartOutcome& part) {
      return !part.accepted ||
             std::ranges::any_of(report.receipts, [&](const codec::DeliveryReceipt& r) {
               return SameId(part.message_id, r.message_id);
             });
    });
  }

  asio::awaitable<void> Run(smpp::Session& session, std::vector<codec::SubmitSm> submits) {
    session.Start();
    if (!co_await session.WaitBound(options.bind_timeout)) {
      const std::error_code why = session.last_bind_error();
      const std::string where = options.session.host + ":" + std::to_string(options.session.port);
      if (!why) {
        report.error =
            "no bind to " + where + " within " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(options.bind_timeout).count()) +
            " s";
      } else if (why.category() == codec::CommandStatusCategory()) {
        report.error = "bind refused: " + smpp::StatusName(why) + " (" + why.message() + ")";
      } else {
        report.error = "cannot connect and bind to " + where + ": " + why.message();
      }
      co_await session.AsyncStop();
      co_return;
    }
    for (codec::SubmitSm& sm : submits) {
      // One at a time, so the parts reach the SMSC in order whatever it answers.
      const smpp::SubmitResult result = co_await session.Submit(std::move(sm));
      report.parts.push_back({smpp::StatusName(result.status), result.message_id, !result.status});
    }
    if (options.wait_receipt) {
      const auto deadline = smpp::Clock::now() + *options.wait_receipt;
      while (!(report.all_receipts = AllReceipts()) && smpp::Clock::now() < deadline) {
        wake.expires_at(deadline);
        boost::system::error_code ec;
        co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
    }
    co_await session.AsyncStop();
  }
};

}  // namespace

SmppSendReport RunSmppSend(const SmppSendOptions& options) {
  SmppSendReport report;
  codec::SubmitFields fields;
  fields.source = options.from;
  fields.destination = options.to;
  fields.flash = options.flash;
  fields.registered_delivery =
      options.wait_receipt ? codec::kRegisteredDeliveryFinal : codec::kRegisteredDeliveryNone;
  text::WireOptions wire;
  wire.method = options.concat;
  wire.reference = static_cast<uint16_t>(std::random_device{}() & 0xFF);
  auto submits = codec::BuildMessageSubmits(options.text, options.unicode, wire, fields);
  if (!submits) {
    report.error = submits.error().message;
    return report;
  }
  report.encoding = submits->front().data_coding & 0x08 ? "UCS2" : "GSM7";

  asio::io_context context(1);
  Exchange exchange{options, report, context};
  smpp::Session session(context, options.session,
                        [&exchange](codec::Pdu pdu) { return exchange.Inbound(std::move(pdu)); });
  asio::co_spawn(context, exchange.Run(session, std::move(*submits)), asio::detached);
  context.run();
  return report;
}

bool SmppSendReport::ok(bool waited) const {
  return error.empty() && !parts.empty() &&
         std::ranges::all_of(parts, [](const PartOutcome& p) { return p.accepted; }) &&
         (!waited || all_receipts);
}

std::string SmppSendReport::ToJson() const {
  std::ostringstream out;
  out << "{\"error\": " << (error.empty() ? "null" : JsonString(error))
      << ", \"encoding\": " << JsonString(encoding) << ", \"parts\": [";
  for (size_t i = 0; i < parts.size(); ++i) {
    out << (i ? ", " : "") << "{\"status\": " << JsonString(parts[i].status)
        << ", \"message_id\": " << JsonString(parts[i].message_id)
        << ", \"accepted\": " << (parts[i].accepted ? "true" : "false") << "}";
  }
  out << "], \"receipts\": [";
  for (size_t i = 0; i < receipts.size(); ++i) {
    const codec::DeliveryReceipt& r = receipts[i];
    out << (i ? ", " : "") << "{\"message_id\": " << JsonString(r.message_id)
        << ", \"stat\": " << JsonString(r.stat) << ", \"err\": " << JsonString(r.err)
        << ", \"done_date\": "
        << (r.done_date ? JsonString(core::FormatUtc(*r.done_date)) : std::string("null")) << "}";
  }
  out << "], \"mo\": [";
  for (size_t i = 0; i < mo.size(); ++i) {
    out << (i ? ", " : "") << "{\"from\": " << JsonString(mo[i].from)
        << ", \"to\": " << JsonString(mo[i].to) << ", \"text\": " << JsonString(mo[i].text) << "}";
  }
  out << "], \"all_receipts\": " << (all_receipts ? "true" : "false") << "}\n";
  return out.str();
}

std::string SmppSendReport::ToText() const {
  std::ostringstream out;
  if (!error.empty()) {
    out << "error: " << error << "\n";
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    out << "part " << i + 1 << "/" << parts.size() << " (" << encoding << "): " << parts[i].status;
    if (parts[i].accepted) {
      out << ", message id " << parts[i].message_id;
    }
    out << "\n";
  }
  for (const codec::DeliveryReceipt& r : receipts) {
    out << "receipt for " << r.message_id << ": " << r.stat << " err " << r.err;
    if (r.done_date) {
      out << " done " << core::FormatUtc(*r.done_date);
    }
    out << "\n";
  }
  for (const MoMessage& m : mo) {
    out << "MO from " << m.from << " to " << m.to << ": " << m.text << "\n";
  }
  return out.str();
}

}  // namespace smsgw::app
