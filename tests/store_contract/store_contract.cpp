#include "store_contract/store_contract.h"

#include <latch>
#include <thread>
#include <utility>

namespace smsgw::store_contract {

void StoreContractTest::SetUp() {
  backend_ = GetParam().make_backend();
  if (backend_ == nullptr) {
    GTEST_SKIP() << GetParam().name << " is not available in this environment";
  }
  store_ = OpenAnother();
  ASSERT_NE(store_, nullptr);
}

std::unique_ptr<StoreInstance> StoreContractTest::OpenAnother() {
  auto opened = backend_->Open();
  if (!opened) {
    ADD_FAILURE() << "opening the store: " << opened.error().message;
    return nullptr;
  }
  return std::move(*opened);
}

void StoreContractTest::Reopen() {
  store_.reset();
  store_ = OpenAnother();
  ASSERT_NE(store_, nullptr);
}

std::string ContractParamName(const ::testing::TestParamInfo<ContractParam>& info) {
  return info.param.name;
}

void PrintTo(const ContractParam& param, std::ostream* os) { *os << param.name; }

void AtOnce(const std::function<void()>& a, const std::function<void()>& b) {
  std::latch start(2);
  std::thread other([&] {
    start.arrive_and_wait();
    b();
  });
  start.arrive_and_wait();
  a();
  other.join();
}

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

core::TimePoint TestTime(int64_t offset_ms) {
  return core::FromUnixMillis(1'767'225'600'000 + offset_ms);  // 2026-01-01T00:00:00Z
}

core::Message TestMessage(std::string id, std::string sid) {
  core::Message m;
  m.request_id = id.substr(0, id.find(':'));
  m.id = std::move(id);
  m.sid = std::move(sid);
  m.recipient = "919876543210";
  m.sender = "ACMEIN";
  m.body = "Your code is 123456";
  m.type = core::RouteType::kOtp;
  m.encoding = core::Encoding::kGsm7;
  m.segments = 1;
  m.unicode = "AUTO";
  m.created_at = TestTime();
  m.template_id = "1107160000000000001";
  m.state = core::MessageState::kQueued;
  m.status_details = "QUEUED";
  return m;
}

core::Result<core::Message> StoredMessage(store::MessageLog& log, std::string_view sid,
                                          std::string_view id) {
  auto detail = log.GetDetail(sid, id);
  if (!detail) {
    return std::unexpected(std::move(detail.error()));
  }
  return std::move(detail->message);
}

}  // namespace smsgw::store_contract
