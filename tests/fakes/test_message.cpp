#include "fakes/test_message.h"

namespace smsgw::fakes {

core::Message MakeMessage(std::string id, std::string sid) {
  core::Message m;
  m.id = std::move(id);
  m.request_id = m.id.substr(0, m.id.find(':'));
  m.sid = std::move(sid);
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.body = "hello";
  m.created_at = core::FromUnixMillis(1'700'000'000'000);
  m.status_details = "QUEUED";
  return m;
}

}  // namespace smsgw::fakes
