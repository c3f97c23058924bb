#include "smpp/codec/submit_builder.h"

#include <cstdio>

#include "smpp/codec/command_status.h"
#include "smpp/codec/pdu_codec.h"
#include "text/data_coding.h"
#include "text/udh.h"

namespace smsgw::smpp::codec {

core::Result<std::string> RelativeTime(std::chrono::seconds duration) {
  using std::chrono::days;
  using std::chrono::seconds;
  constexpr int64_t kMaxDays = 99;  // DD is two digits
  if (duration <= seconds(0) || duration > days(kMaxDays)) {
    return MakeStatusError(CommandStatus::kInvalidExpiryTime,
                           "validity must be between 1 second and 99 days, not " +
                               std::to_string(duration.count()) + " seconds");
  }
  int64_t s = duration.count();
  const int64_t d = s / 86400;
  s %= 86400;
  const int64_t h = s / 3600;
  s %= 3600;
  const int64_t m = s / 60;
  s %= 60;
  // YY MM DD hh mm ss, then t (tenths) = 0, nn (quarter hours from UTC) = 00, p = 'R'.
  char buf[64];  // generous, so -Wformat-truncation can prove it fits
  std::snprintf(buf, sizeof buf, "0000%02lld%02lld%02lld%02lld000R", static_cast<long long>(d),
                static_cast<long long>(h), static_cast<long long>(m), static_cast<long long>(s));
  return std::string(buf);
}

core::Result<SubmitSm> BuildSubmitSm(const text::WirePart& part, const SubmitFields& fields) {
  if (fields.destination.empty()) {
    return MakeStatusError(CommandStatus::kInvalidDestAddress, "submit_sm: no destination");
  }
  SubmitSm sm;
  sm.service_type = fields.service_type;
  sm.source = MakeAddress(fields.source, fields.source_override);
  sm.dest = MakeAddress(fields.destination, fields.dest_override);
  sm.esm_class = fields.esm_class;
  if (part.udhi) {
    sm.esm_class |= text::kEsmClassUdhi;
  }
  sm.protocol_id = fields.protocol_id;
  sm.priority_flag = fields.priority_flag;
  if (fields.validity) {
    core::Result<std::string> validity = RelativeTime(*fields.validity);
    if (!validity) {
      return std::unexpected(std::move(validity.error()));
    }
    sm.validity_period = std::move(*validity);
  }
  sm.registered_delivery = fields.registered_delivery;
  sm.data_coding = text::DataCodingFor(fields.encoding, fields.flash);
  if (part.in_message_payload) {
    // §5.3.2.32: with message_payload, sm_length is 0.
    sm.tlvs.Set(tag::kMessagePayload, part.bytes);
  } else {
    sm.short_message = part.bytes;
  }
  if (part.sar) {
    SetSar(sm.tlvs, *part.sar);
  }
  SetDlt(sm.tlvs, fields.dlt_entity_id, fields.dlt_template_id, fields.dlt_form);
  for (const Tlv& tlv : fields.extra_tlvs.items()) {
    sm.tlvs.Add(tlv.tag, tlv.value);
  }
  Pdu pdu{0, 0, std::move(sm)};
  if (core::Result<void> valid = Validate(pdu); !valid) {
    return std::unexpected(std::move(valid.error()));
  }
  return std::get<SubmitSm>(std::move(pdu.body));
}

core::Result<std::vector<SubmitSm>> BuildMessageSubmits(std::string_view utf8,
                                                        text::UnicodeMode mode,
                                                        const text::WireOptions& wire,
                                                        SubmitFields fields) {
  core::Result<text::Segmentation> segmentation = text::Split(utf8, mode, wire.method);
  if (!segmentation) {
    return std::unexpected(std::move(segmentation.error()));
  }
  fields.encoding = segmentation->encoding;
  core::Result<std::vector<text::WirePart>> parts = text::BuildWireParts(*segmentation, wire);
  if (!parts) {
    return std::unexpected(std::move(parts.error()));
  }
  std::vector<SubmitSm> submits;
  submits.reserve(parts->size());
  for (const text::WirePart& part : *parts) {
    core::Result<SubmitSm> sm = BuildSubmitSm(part, fields);
    if (!sm) {
      return std::unexpected(std::move(sm.error()));
    }
    submits.push_back(std::move(*sm));
  }
  return submits;
}

}  // namespace smsgw::smpp::codec
