#include "smpp/codec/pdu_codec.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

#include "smpp/codec/framing.h"

namespace smsgw::smpp::codec {
namespace {

using St = CommandStatus;

// §5.2: maximum lengths of the C-Octet String fields, terminating NUL included.
constexpr size_t kMaxSystemId = 16;
constexpr size_t kMaxPassword = 9;
constexpr size_t kMaxSystemType = 13;
constexpr size_t kMaxAddressRange = 41;
constexpr size_t kMaxServiceType = 6;
constexpr size_t kMaxAddr21 = 21;  // source_addr / destination_addr of submit_sm and friends
constexpr size_t kMaxAddr65 = 65;  // data_sm and alert_notification addresses
constexpr size_t kMaxMessageId = 65;
constexpr size_t kMaxTime = 17;  // §7.1.1 "YYMMDDhhmmsstnnp" + NUL
constexpr size_t kTimeLength = 16;

// Each PDU's mandatory fields, listed once and walked by three visitors: Writer (Encode),
// Reader (Decode) and Checker (Validate), so that the three cannot disagree on a layout.
// A visitor provides U8, CString, Time, ShortMessage and Tlvs.

template <class V, class A>
void Addr(V& v, A& a, std::string_view name, size_t max, St too_long) {
  v.U8(name, a.ton);
  v.U8(name, a.npi);
  v.CString(name, a.addr, max, too_long);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, Bind>
void Fields(V& v, M& m) {
  v.CString("system_id", m.system_id, kMaxSystemId, St::kInvalidSystemId);
  v.CString("password", m.password, kMaxPassword, St::kInvalidPassword);
  v.CString("system_type", m.system_type, kMaxSystemType, St::kInvalidSystemType);
  v.U8("interface_version", m.interface_version);
  v.U8("addr_ton", m.addr_ton);
  v.U8("addr_npi", m.addr_npi);
  v.CString("address_range", m.address_range, kMaxAddressRange, St::kBindFailed);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, BindResp>
void Fields(V& v, M& m) {
  v.CString("system_id", m.system_id, kMaxSystemId, St::kInvalidSystemId);
  v.Tlvs(m.tlvs);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, Outbind>
void Fields(V& v, M& m) {
  v.CString("system_id", m.system_id, kMaxSystemId, St::kInvalidSystemId);
  v.CString("password", m.password, kMaxPassword, St::kInvalidPassword);
}

// submit_sm (§4.4.1) and deliver_sm (§4.6.1) share one layout.
template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, SubmitSm> ||
    std::is_same_v<std::remove_const_t<M>, DeliverSm>
void Fields(V& v, M& m) {
  v.CString("service_type", m.service_type, kMaxServiceType, St::kInvalidServiceType);
  Addr(v, m.source, "source_addr", kMaxAddr21, St::kInvalidSourceAddress);
  Addr(v, m.dest, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
  v.U8("esm_class", m.esm_class);
  v.U8("protocol_id", m.protocol_id);
  v.U8("priority_flag", m.priority_flag);
  v.Time("schedule_delivery_time", m.schedule_delivery_time, St::kInvalidScheduleTime);
  v.Time("validity_period", m.validity_period, St::kInvalidExpiryTime);
  v.U8("registered_delivery", m.registered_delivery);
  v.U8("replace_if_present_flag", m.replace_if_present_flag);
  v.U8("data_coding", m.data_coding);
  v.U8("sm_default_msg_id", m.sm_default_msg_id);
  v.ShortMessage(m.short_message);
  v.Tlvs(m.tlvs);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, SubmitSmResp> ||
    std::is_same_v<std::remove_const_t<M>, DeliverSmResp> ||
    std::is_same_v<std::remove_const_t<M>, DataSmResp>
void Fields(V& v, M& m) {
  v.CString("message_id", m.message_id, kMaxMessageId, St::kInvalidMessageId);
  v.Tlvs(m.tlvs);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, DataSm>
void Fields(V& v, M& m) {
  v.CString("service_type", m.service_type, kMaxServiceType, St::kInvalidServiceType);
  Addr(v, m.source, "source_addr", kMaxAddr65, St::kInvalidSourceAddress);
  Addr(v, m.dest, "destination_addr", kMaxAddr65, St::kInvalidDestAddress);
  v.U8("esm_class", m.esm_class);
  v.U8("registered_delivery", m.registered_delivery);
  v.U8("data_coding", m.data_coding);
  v.Tlvs(m.tlvs);
}

// submit_multi, §4.5.1: submit_sm's layout with number_of_dests and the dest_address list in
// place of the one destination.
template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, SubmitMulti>
void Fields(V& v, M& m) {
  v.CString("service_type", m.service_type, kMaxServiceType, St::kInvalidServiceType);
  Addr(v, m.source, "source_addr", kMaxAddr21, St::kInvalidSourceAddress);
  v.Dests(m.dests);
  v.U8("esm_class", m.esm_class);
  v.U8("protocol_id", m.protocol_id);
  v.U8("priority_flag", m.priority_flag);
  v.Time("schedule_delivery_time", m.schedule_delivery_time, St::kInvalidScheduleTime);
  v.Time("validity_period", m.validity_period, St::kInvalidExpiryTime);
  v.U8("registered_delivery", m.registered_delivery);
  v.U8("replace_if_present_flag", m.replace_if_present_flag);
  v.U8("data_coding", m.data_coding);
  v.U8("sm_default_msg_id", m.sm_default_msg_id);
  v.ShortMessage(m.short_message);
  v.Tlvs(m.tlvs);
}

// submit_multi_resp, §4.5.2: message_id, no_unsuccess, then per refused destination
// dest_addr_ton, dest_addr_npi, destination_addr (max 21) and a 4-octet error_status_code.
template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, SubmitMultiResp>
void Fields(V& v, M& m) {
  v.CString("message_id", m.message_id, kMaxMessageId, St::kInvalidMessageId);
  v.Unsuccess(m.unsuccess);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, QuerySm>
void Fields(V& v, M& m) {
  v.CString("message_id", m.message_id, kMaxMessageId, St::kInvalidMessageId);
  Addr(v, m.source, "source_addr", kMaxAddr21, St::kInvalidSourceAddress);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, QuerySmResp>
void Fields(V& v, M& m) {
  v.CString("message_id", m.message_id, kMaxMessageId, St::kInvalidMessageId);
  v.Time("final_date", m.final_date, St::kQueryFailed);
  v.U8("message_state", m.message_state);
  v.U8("error_code", m.error_code);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, CancelSm>
void Fields(V& v, M& m) {
  v.CString("service_type", m.service_type, kMaxServiceType, St::kInvalidServiceType);
  v.CString("message_id", m.message_id, kMaxMessageId, St::kInvalidMessageId);
  Addr(v, m.source, "source_addr", kMaxAddr21, St::kInvalidSourceAddress);
  Addr(v, m.dest, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
}

template <class V, class M>
requires std::is_same_v<std::remove_const_t<M>, AlertNotification>
void Fields(V& v, M& m) {
  Addr(v, m.source, "source_addr", kMaxAddr65, St::kInvalidSourceAddress);
  Addr(v, m.esme, "esme_addr", kMaxAddr65, St::kInvalidDestAddress);
  v.Tlvs(m.tlvs);
}

// Header-only PDUs have no fields.
template <class V, class M>
requires std::is_empty_v<std::remove_const_t<M>>
void Fields(V&, M&) {}

void PutU16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v & 0xFF));
}

void PutU32At(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  out[at] = static_cast<uint8_t>(v >> 24);
  out[at + 1] = static_cast<uint8_t>((v >> 16) & 0xFF);
  out[at + 2] = static_cast<uint8_t>((v >> 8) & 0xFF);
  out[at + 3] = static_cast<uint8_t>(v & 0xFF);
}

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

  void U8(std::string_view, uint8_t v) { out_.push_back(v); }
  void CString(std::string_view, const std::string& s, size_t, St) {
    out_.insert(out_.end(), s.begin(), s.end());
    out_.push_back(0);
  }
  void Time(std::string_view name, const std::string& s, St status) {
    CString(name, s, kMaxTime, status);
  }
  void ShortMessage(const std::vector<uint8_t>& sm) {
    // sm_length is one octet: what does not fit is cut (Validate refuses it first).
    const size_t n = std::min<size_t>(sm.size(), 0xFF);
    out_.push_back(static_cast<uint8_t>(n));
    out_.insert(out_.end(), sm.begin(), sm.begin() + static_cast<std::ptrdiff_t>(n));
  }
  // Counts are one octet: what does not fit is cut (Validate refuses it first).
  void Dests(const std::vector<MultiDest>& dests) {
    const size_t n = std::min<size_t>(dests.size(), 0xFF);
    out_.push_back(static_cast<uint8_t>(n));
    for (size_t i = 0; i < n; ++i) {
      const MultiDest& d = dests[i];
      out_.push_back(d.dest_flag);
      if (d.dest_flag == kDestFlagDistributionList) {
        CString("dl_name", d.dl_name, kMaxAddr21, St::kInvalidDistListName);
      } else {
        Addr(*this, d.address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
      }
    }
  }
  void Unsuccess(const std::vector<UnsuccessSme>& smes) {
    const size_t n = std::min<size_t>(smes.size(), 0xFF);
    out_.push_back(static_cast<uint8_t>(n));
    for (size_t i = 0; i < n; ++i) {
      Addr(*this, smes[i].address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
      const uint32_t code = smes[i].error_status_code;
      for (int shift = 24; shift >= 0; shift -= 8) {
        out_.push_back(static_cast<uint8_t>((code >> shift) & 0xFF));
      }
    }
  }
  void Tlvs(const TlvList& tlvs) {
    for (const Tlv& tlv : tlvs.items()) {
      const size_t n = std::min(tlv.value.size(), kMaxTlvValue);
      PutU16(out_, tlv.tag);
      PutU16(out_, static_cast<uint16_t>(n));
      out_.insert(out_.end(), tlv.value.begin(),
                  tlv.value.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

 private:
  std::vector<uint8_t>& out_;
};

// Reads fields in order from an untrusted body. The first failure sticks: later reads do
// nothing, so a Fields() list reads straight through and the caller checks once at the end.
class Reader {
 public:
  Reader(std::span<const uint8_t> body, std::string_view command)
      : body_(body), command_(command) {}

  void U8(std::string_view name, uint8_t& v) {
    if (failed_) {
      return;
    }
    if (pos_ >= body_.size()) {
      Truncated(name);
      return;
    }
    v = body_[pos_++];
  }

  void CString(std::string_view name, std::string& s, size_t max, St too_long) {
    if (failed_) {
      return;
    }
    const size_t left = body_.size() - pos_;
    const auto begin = body_.begin() + static_cast<std::ptrdiff_t>(pos_);
    const auto end = begin + static_cast<std::ptrdiff_t>(std::min(left, max));
    const auto nul = std::find(begin, end, uint8_t{0});
    if (nul == end) {
      if (left < max) {
        Truncated(name);
      } else {
        Fail(too_long,
             std::string(name) + " has no NUL within its " + std::to_string(max) + " octets");
      }
      return;
    }
    s.assign(begin, nul);
    pos_ += s.size() + 1;
  }

  void Time(std::string_view name, std::string& s, St status) {
    CString(name, s, kMaxTime, status);
    if (!failed_ && !s.empty() && s.size() != kTimeLength) {
      Fail(status,
           std::string(name) + " must be empty or 16 characters, not " + std::to_string(s.size()));
    }
  }

  void ShortMessage(std::vector<uint8_t>& sm) {
    uint8_t length = 0;
    U8("sm_length", length);
    if (failed_) {
      return;
    }
    if (length > kMaxShortMessage) {
      Fail(St::kInvalidMessageLength, "sm_length " + std::to_string(length) + " is above 254");
      return;
    }
    if (length > body_.size() - pos_) {
      Fail(St::kInvalidMessageLength,
           "sm_length " + std::to_string(length) + " runs past the end of the body");
      return;
    }
    const auto begin = body_.begin() + static_cast<std::ptrdiff_t>(pos_);
    sm.assign(begin, begin + length);
    pos_ += length;
  }

  void U32(std::string_view name, uint32_t& v) {
    for (int i = 0; i < 4; ++i) {
      uint8_t octet = 0;
      U8(name, octet);
      v = (v << 8) | octet;
    }
  }

  // 1 to 254 entries (§4.5.1; what Validate allows), each bounded like any other field.
  void Dests(std::vector<MultiDest>& dests) {
    uint8_t n = 0;
    U8("number_of_dests", n);
    if (!failed_ && (n == 0 || n > kMaxMultiDests)) {
      Fail(St::kInvalidNumberOfDests,
           "number_of_dests is " + std::to_string(n) + "; 1 to 254 are allowed");
      return;
    }
    for (uint8_t i = 0; i < n && !failed_; ++i) {
      MultiDest& d = dests.emplace_back();
      U8("dest_flag", d.dest_flag);
      if (failed_) {
        return;
      }
      if (d.dest_flag == kDestFlagSme) {
        Addr(*this, d.address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
      } else if (d.dest_flag == kDestFlagDistributionList) {
        CString("dl_name", d.dl_name, kMaxAddr21, St::kInvalidDistListName);
      } else {
        Fail(St::kInvalidDestFlag, "dest_flag " + std::to_string(d.dest_flag) + " is not 1 or 2");
      }
    }
  }

  void Unsuccess(std::vector<UnsuccessSme>& smes) {
    uint8_t n = 0;
    U8("no_unsuccess", n);
    for (uint8_t i = 0; i < n && !failed_; ++i) {
      UnsuccessSme& sme = smes.emplace_back();
      Addr(*this, sme.address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
      U32("error_status_code", sme.error_status_code);
    }
  }

  // §3.2.4: TLVs fill the rest of the body.
  void Tlvs(TlvList& tlvs) {
    while (!failed_ && pos_ < body_.size()) {
      const size_t left = body_.size() - pos_;
      if (left < 4) {
        Fail(St::kInvalidOptionalPartStream,
             "a TLV header needs 4 octets; " + std::to_string(left) + " left");
        return;
      }
      const auto tag = static_cast<uint16_t>((body_[pos_] << 8) | body_[pos_ + 1]);
      const size_t length = (size_t{body_[pos_ + 2]} << 8) | body_[pos_ + 3];
      pos_ += 4;
      if (length > body_.size() - pos_) {
        Fail(St::kInvalidOptionalPartStream, "TLV " + std::string(TagName(tag)) + " length " +
                                                 std::to_string(length) + " runs past the end");
        return;
      }
      const auto begin = body_.begin() + static_cast<std::ptrdiff_t>(pos_);
      tlvs.Add(tag, std::vector<uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(length)));
      pos_ += length;
    }
  }

  // Octets left after a PDU that takes no TLVs do not belong to it.
  void Finish() {
    if (!failed_ && pos_ != body_.size()) {
      Fail(St::kInvalidCommandLength,
           std::to_string(body_.size() - pos_) + " octets after the last field");
    }
  }

  bool failed() const { return failed_; }
  core::Error TakeError() { return std::move(error_); }

 private:
  void Truncated(std::string_view name) {
    Fail(St::kInvalidCommandLength, "the body ends inside " + std::string(name));
  }
  void Fail(St status, std::string message) {
    failed_ = true;
    error_ = core::Error{make_error_code(status), std::string(command_) + ": " + message};
  }

  std::span<const uint8_t> body_;
  std::string_view command_;
  size_t pos_ = 0;
  bool failed_ = false;
  core::Error error_;
};

// What Validate checks: what Reader would refuse, seen from the encoding side.
class Checker {
 public:
  explicit Checker(std::string_view command) : command_(command) {}

  void U8(std::string_view, uint8_t) {}
  void CString(std::string_view name, const std::string& s, size_t max, St too_long) {
    if (s.size() >= max) {
      Fail(too_long, std::string(name) + " is " + std::to_string(s.size()) +
                         " characters; at most " + std::to_string(max - 1) + " fit");
    } else if (s.find('\0') != std::string::npos) {
      Fail(too_long, std::string(name) + " contains a NUL");
    }
  }
  void Time(std::string_view name, const std::string& s, St status) {
    CString(name, s, kMaxTime, status);
    if (!s.empty() && s.size() != kTimeLength) {
      Fail(status, std::string(name) + " must be empty or 16 characters");
    }
  }
  void ShortMessage(const std::vector<uint8_t>& sm) {
    if (sm.size() > kMaxShortMessage) {
      Fail(St::kInvalidMessageLength, "short_message is " + std::to_string(sm.size()) +
                                          " octets; at most 254 fit (use message_payload)");
    }
  }
  void Dests(const std::vector<MultiDest>& dests) {
    if (dests.empty() || dests.size() > kMaxMultiDests) {
      Fail(St::kInvalidNumberOfDests,
           "number_of_dests is " + std::to_string(dests.size()) + "; 1 to 254 are allowed");
    }
    for (const MultiDest& d : dests) {
      if (d.dest_flag == kDestFlagSme) {
        Addr(*this, d.address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
      } else if (d.dest_flag == kDestFlagDistributionList) {
        CString("dl_name", d.dl_name, kMaxAddr21, St::kInvalidDistListName);
      } else {
        Fail(St::kInvalidDestFlag, "dest_flag " + std::to_string(d.dest_flag) + " is not 1 or 2");
      }
    }
  }
  void Unsuccess(const std::vector<UnsuccessSme>& smes) {
    if (smes.size() > 0xFF) {
      Fail(St::kInvalidNumberOfDests, "no_unsuccess is above 255");
    }
    for (const UnsuccessSme& sme : smes) {
      Addr(*this, sme.address, "destination_addr", kMaxAddr21, St::kInvalidDestAddress);
    }
  }
  void Tlvs(const TlvList& tlvs) {
    for (const Tlv& tlv : tlvs.items()) {
      if (tlv.value.size() > kMaxTlvValue) {
        Fail(St::kInvalidParamLength,
             "TLV " + std::string(TagName(tlv.tag)) + " is longer than 65535 octets");
      }
    }
  }

  core::Result<void> Result() && {
    if (error_) {
      return std::unexpected(std::move(*error_));
    }
    return {};
  }

 private:
  void Fail(St status, std::string message) {
    if (!error_) {
      error_ = core::Error{make_error_code(status), std::string(command_) + ": " + message};
    }
  }

  std::string_view command_;
  std::optional<core::Error> error_;
};

template <class T>
core::Result<Body> DecodeBody(std::span<const uint8_t> body, uint32_t command_id, T value = {}) {
  if (IsResponse(command_id) && body.empty()) {
    return Body(std::move(value));  // §4.1.2, §4.4.2: no body with a non-zero status
  }
  Reader reader(body, CommandName(command_id));
  Fields(reader, value);
  reader.Finish();
  if (reader.failed()) {
    return std::unexpected(reader.TakeError());
  }
  return Body(std::move(value));
}

core::Result<Body> DecodeBodyFor(uint32_t command_id, std::span<const uint8_t> body) {
  switch (static_cast<CommandId>(command_id)) {
    case CommandId::kBindTransmitter:
      return DecodeBody(body, command_id, Bind{.mode = BindMode::kTransmitter});
    case CommandId::kBindReceiver:
      return DecodeBody(body, command_id, Bind{.mode = BindMode::kReceiver});
    case CommandId::kBindTransceiver:
      return DecodeBody(body, command_id, Bind{.mode = BindMode::kTransceiver});
    case CommandId::kBindTransmitterResp:
      return DecodeBody(body, command_id, BindResp{.mode = BindMode::kTransmitter});
    case CommandId::kBindReceiverResp:
      return DecodeBody(body, command_id, BindResp{.mode = BindMode::kReceiver});
    case CommandId::kBindTransceiverResp:
      return DecodeBody(body, command_id, BindResp{.mode = BindMode::kTransceiver});
    case CommandId::kOutbind:
      return DecodeBody<Outbind>(body, command_id);
    case CommandId::kUnbind:
      return DecodeBody<Unbind>(body, command_id);
    case CommandId::kUnbindResp:
      return DecodeBody<UnbindResp>(body, command_id);
    case CommandId::kEnquireLink:
      return DecodeBody<EnquireLink>(body, command_id);
    case CommandId::kEnquireLinkResp:
      return DecodeBody<EnquireLinkResp>(body, command_id);
    case CommandId::kGenericNack:
      return DecodeBody<GenericNack>(body, command_id);
    case CommandId::kSubmitSm:
      return DecodeBody<SubmitSm>(body, command_id);
    case CommandId::kSubmitSmResp:
      return DecodeBody<SubmitSmResp>(body, command_id);
    case CommandId::kDeliverSm:
      return DecodeBody<DeliverSm>(body, command_id);
    case CommandId::kDeliverSmResp:
      return DecodeBody<DeliverSmResp>(body, command_id);
    case CommandId::kDataSm:
      return DecodeBody<DataSm>(body, command_id);
    case CommandId::kDataSmResp:
      return DecodeBody<DataSmResp>(body, command_id);
    case CommandId::kQuerySm:
      return DecodeBody<QuerySm>(body, command_id);
    case CommandId::kQuerySmResp:
      return DecodeBody<QuerySmResp>(body, command_id);
    case CommandId::kCancelSm:
      return DecodeBody<CancelSm>(body, command_id);
    case CommandId::kCancelSmResp:
      return DecodeBody<CancelSmResp>(body, command_id);
    case CommandId::kAlertNotification:
      return DecodeBody<AlertNotification>(body, command_id);
    case CommandId::kSubmitMulti:
      return DecodeBody<SubmitMulti>(body, command_id);
    case CommandId::kSubmitMultiResp:
      return DecodeBody<SubmitMultiResp>(body, command_id);
    case CommandId::kReplaceSm:
    case CommandId::kReplaceSmResp:
      break;
  }
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", command_id);
  return MakeStatusError(St::kInvalidCommandId,
                         std::string("command_id ") + hex + " is not one this gateway handles");
}

// The body of the response to a request with `command_id`, all fields default.
std::optional<Body> ResponseBodyFor(uint32_t command_id) {
  switch (static_cast<CommandId>(command_id)) {
    case CommandId::kBindTransmitter:
      return BindResp{.mode = BindMode::kTransmitter};
    case CommandId::kBindReceiver:
      return BindResp{.mode = BindMode::kReceiver};
    case CommandId::kBindTransceiver:
      return BindResp{.mode = BindMode::kTransceiver};
    case CommandId::kUnbind:
      return UnbindResp{};
    case CommandId::kEnquireLink:
      return EnquireLinkResp{};
    case CommandId::kSubmitSm:
      return SubmitSmResp{};
    case CommandId::kDeliverSm:
      return DeliverSmResp{};
    case CommandId::kDataSm:
      return DataSmResp{};
    case CommandId::kQuerySm:
      return QuerySmResp{};
    case CommandId::kCancelSm:
      return CancelSmResp{};
    case CommandId::kSubmitMulti:
      return SubmitMultiResp{};
    default:
      return std::nullopt;
  }
}

// A body whose fields all have their default values (a BindResp keeps its mode).
bool IsDefaultBody(const Body& body) {
  return std::visit(
      [](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        T empty{};
        if constexpr (requires { empty.mode; }) {
          empty.mode = b.mode;
        }
        return b == empty;
      },
      body);
}

}  // namespace

core::Result<Pdu> Decode(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  const std::optional<Header> header = PeekHeader(bytes);
  if (!header) {
    return MakeStatusError(St::kInvalidCommandLength,
                           "a PDU needs 16 octets of header; got " + std::to_string(bytes.size()));
  }
  if (header->command_length < kHeaderSize || header->command_length > limits.max_command_length ||
      header->command_length != bytes.size()) {
    return MakeStatusError(St::kInvalidCommandLength,
                           "command_length " + std::to_string(header->command_length) +
                               " does not match the " + std::to_string(bytes.size()) +
                               " octets given (limit " + std::to_string(limits.max_command_length) +
                               ")");
  }
  core::Result<Body> body = DecodeBodyFor(header->command_id, bytes.subspan(kHeaderSize));
  if (!body) {
    return std::unexpected(std::move(body.error()));
  }
  return Pdu{header->command_status, header->sequence_number, std::move(*body)};
}

void EncodeTo(const Pdu& pdu, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  const uint32_t command_id = CommandIdOf(pdu);
  out.resize(start + kHeaderSize);
  const bool header_only =
      IsResponse(command_id) && pdu.command_status != 0 && IsDefaultBody(pdu.body);
  if (!header_only) {
    Writer writer(out);
    std::visit([&writer](const auto& body) { Fields(writer, body); }, pdu.body);
  }
  PutU32At(out, start, static_cast<uint32_t>(out.size() - start));
  PutU32At(out, start + 4, command_id);
  PutU32At(out, start + 8, pdu.command_status);
  PutU32At(out, start + 12, pdu.sequence_number);
}

std::vector<uint8_t> Encode(const Pdu& pdu) {
  std::vector<uint8_t> out;
  EncodeTo(pdu, out);
  return out;
}

core::Result<void> Validate(const Pdu& pdu) {
  Checker checker(CommandName(CommandIdOf(pdu)));
  std::visit([&checker](const auto& body) { Fields(checker, body); }, pdu.body);
  return std::move(checker).Result();
}

std::optional<Pdu> ResponseTo(const Pdu& request, CommandStatus status) {
  std::optional<Body> body = ResponseBodyFor(CommandIdOf(request));
  if (!body) {
    return std::nullopt;
  }
  return Pdu{static_cast<uint32_t>(status), request.sequence_number, std::move(*body)};
}

Pdu MakeGenericNack(uint32_t sequence_number, CommandStatus status) {
  return Pdu{static_cast<uint32_t>(status), sequence_number, GenericNack{}};
}

std::optional<Pdu> ErrorResponse(std::span<const uint8_t> bytes, const core::Error& error) {
  const auto status = static_cast<CommandStatus>(StatusToAnswer(error));
  const std::optional<Header> header = PeekHeader(bytes);
  if (!header) {
    return MakeGenericNack(0, status);
  }
  if (IsResponse(header->command_id)) {
    return std::nullopt;
  }
  std::optional<Body> body = ResponseBodyFor(header->command_id);
  if (!body || status == St::kInvalidCommandLength || status == St::kInvalidCommandId) {
    return MakeGenericNack(header->sequence_number, status);
  }
  return Pdu{static_cast<uint32_t>(status), header->sequence_number, std::move(*body)};
}

}  // namespace smsgw::smpp::codec
