// SMPP credentials over REST (/ext/v1/{sid}/smpp-credentials) and their allowed source ranges,
// against the real binary: serve with [smpp_server] on 127.0.0.1 port 0, binds written byte by
// byte here (SMPP 3.4 §4.1.5, bind_transceiver), so the test depends on none of smsgw's code.

#include <poll.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "fixture.h"

namespace smsgw::itest {
namespace {

constexpr uint32_t kBindTransceiver = 0x00000009;
constexpr uint32_t kEsmeRok = 0x00, kEsmeRinvpaswd = 0x0E, kEsmeRbindfail = 0x0D;

void Put32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

uint32_t Get32(const std::string& in, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    v = (v << 8) | static_cast<uint8_t>(in[at + i]);
  }
  return v;
}

// A bind_transceiver PDU (sequence 1) for system_id / password.
std::string BindPdu(const std::string& system_id, const std::string& password) {
  std::string body = system_id + '\0' + password + '\0' + std::string("\0", 1);  // system_type
  body += std::string("\x34\x00\x00", 3);  // interface_version 3.4, addr_ton, addr_npi
  body.push_back('\0');                    // address_range
  std::string pdu;
  Put32(pdu, static_cast<uint32_t>(16 + body.size()));
  Put32(pdu, kBindTransceiver);
  Put32(pdu, 0);
  Put32(pdu, 1);
  return pdu + body;
}

// Reads exactly `n` bytes from `fd` before `deadline`; false on EOF, error or deadline.
bool ReadExactly(int fd, size_t n, std::string& out, Clock::time_point deadline) {
  while (out.size() < n) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char buf[512];
    const ssize_t got = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), 0);
    if (got <= 0) {
      return false;
    }
    out.append(buf, static_cast<size_t>(got));
  }
  return true;
}

struct BindAnswer {
  bool answered = false;
  uint32_t status = 0xFFFFFFFF;
  std::chrono::milliseconds took{0};
};

// Binds on `conn` (a raw TCP connection to the SMPP port) and reads the bind_transceiver_resp.
BindAnswer Bind(HttpConnection& conn, const std::string& system_id, const std::string& password) {
  BindAnswer answer;
  const auto start = Clock::now();
  if (!conn.SendRaw(BindPdu(system_id, password))) {
    return answer;
  }
  std::string header;
  const auto deadline = start + 10s;
  if (!ReadExactly(conn.fd(), 16, header, deadline) ||
      Get32(header, 4) != 0x80000000u + kBindTransceiver) {
    return answer;
  }
  std::string body;
  if (!ReadExactly(conn.fd(), Get32(header, 0) - 16, body, deadline)) {
    return answer;
  }
  answer.answered = true;
  answer.status = Get32(header, 8);
  answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return answer;
}

class SmppCredentialsTest : public ServerTest {
 protected:
  std::string ConfigText() const override {
    return std::string(kOfflineSmscConfig) + "[smpp_server]\nlisten = \"127.0.0.1:0\"\n";
  }
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_FALSE(HasFailure());
    auto line = gw_.server()->WaitForLine(std::regex(R"(SMPP server on 127\.0\.0\.1:(\d+))"),
                                          kStartTimeout);
    ASSERT_TRUE(line) << gw_.server()->Stdout();
    smpp_port_ = static_cast<uint16_t>(std::stoi((*line)[1]));
  }
  std::string Ext(const std::string& rest = "") const {
    return "/ext/v1/" + account_.sid + "/smpp-credentials" + rest;
  }
  // POST a credential; the parsed 201 answer (the test fails on anything else).
  Json Create(const std::string& body) {
    HttpResponse r = gw_.Post(Ext(), body, account_.api_key);
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("cache-control"), "no-store");
    Json json = BodyJson(r);
    gw_.AddSecret(Str(json.doc, "password"));
    return json;
  }

  uint16_t smpp_port_ = 0;
};

TEST_F(SmppCredentialsTest, CreateListRevokeOverRest) {
  Json created = Create(R"({"system_id":"acme-tx","max_rate":50,"type":"otp",
                            "allowed_sources":["127.0.0.0/8","2001:DB8::/32"]})");
  ASSERT_TRUE(created.ok);
  const std::string password = Str(created.doc, "password");
  EXPECT_EQ(Str(created.doc, "system_id"), "acme-tx");
  EXPECT_TRUE(std::regex_match(password, std::regex("[A-Za-z0-9]{8}"))) << password;
  EXPECT_EQ(ToJson(created.doc["allowed_sources"]), R"(["127.0.0.0/8","2001:db8::/32"])");
  EXPECT_EQ(Str(created.doc, "type"), "OTP");
  EXPECT_EQ(created.doc["max_rate"].GetInt(), 50);

  Json minted = Create("{}");
  const std::string minted_id = Str(minted.doc, "system_id");
  EXPECT_TRUE(std::regex_match(minted_id, std::regex("smsgw[0-9a-f]{8}"))) << minted_id;

  HttpResponse listed = gw_.Request("GET", Ext(), "", account_.api_key);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find(password), std::string::npos) << "a list never shows a password";
  EXPECT_EQ(listed.body.find("\"password\""), std::string::npos) << listed.body;
  Json list = BodyJson(listed);
  ASSERT_EQ(list.doc["totalCount"].GetInt(), 2);
  EXPECT_EQ(ToJson(list.doc["data"][0]["allowed_sources"]), R"(["127.0.0.0/8","2001:db8::/32"])");

  // The CLI sees what the API created, and the same shape.
  CommandResult cli = gw_.Cli({"smpp-credential", "list", "--sid", account_.sid, "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find(R"("allowed_sources":["127.0.0.0/8","2001:db8::/32"])"), std::string::npos)
      << cli.out;

  // Bound with the REST-made credential; revoking it over REST closes the bind.
  HttpConnection smpp(smpp_port_);
  ASSERT_TRUE(smpp.connected());
  BindAnswer bound = Bind(smpp, "acme-tx", password);
  ASSERT_TRUE(bound.answered);
  EXPECT_EQ(bound.status, kEsmeRok);
  HttpResponse revoked = gw_.Request("DELETE", Ext("/acme-tx"), "", account_.api_key);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(smpp.WaitForClose(Clock::now() + 5s)) << "the revoked credential's bind stays open";
  EXPECT_TRUE(IsError(gw_.Request("DELETE", Ext("/acme-tx"), "", account_.api_key), 404, "E478",
                      "system_id"));
  HttpConnection again(smpp_port_);
  EXPECT_EQ(Bind(again, "acme-tx", password).status, kEsmeRinvpaswd);

  // A revoked system_id is never given out again; errors in Kaleyra's shape, all at once.
  EXPECT_TRUE(IsError(gw_.Post(Ext(), R"({"system_id":"acme-tx"})", account_.api_key), 409, "E479",
                      "system_id"));
  HttpResponse bad =
      gw_.Post(Ext(), R"({"system_id":"way-too-long-system-id","max_rate":100001,"type":"promo",
                 "allowed_sources":["10.0.0.1/8"]})",
               account_.api_key);
  ASSERT_TRUE(IsError(bad, 400, "E475", "system_id"));
  Json errors = ParseJson(bad.body);
  for (const char* field : {"max_rate", "type", "allowed_sources"}) {
    EXPECT_TRUE(errors.doc["error"].HasMember(field)) << field << ": " << bad.body;
  }
  HttpResponse many = gw_.Post(
      Ext(),
      R"({"allowed_sources":[)" +
          [] {
            std::string list;
            for (int i = 0; i < 33; ++i) {
              list += (i ? ",\"10." : "\"10.") + std::to_string(i) + ".0.0/16\"";
            }
            return list;
          }() +
          "]}",
      account_.api_key);
  EXPECT_TRUE(IsError(many, 400, "E477", "allowed_sources"));

  // Another account's key: 403; no key: 401.
  const Account other = gw_.CreateAccount("other");
  EXPECT_TRUE(IsError(gw_.Request("GET", Ext(), "", other.api_key), 403, "E432"));
  EXPECT_TRUE(IsError(gw_.Request("DELETE", Ext("/" + minted_id), "", other.api_key), 403, "E432"));
  EXPECT_TRUE(IsError(gw_.Request("GET", Ext(), "", ""), 401, "E430"));
}

TEST_F(SmppCredentialsTest, ABindFromOutsideTheAllowedSourcesIsRefused) {
  const std::string fenced =
      Str(Create(R"({"system_id":"fenced","allowed_sources":["10.0.0.0/8"]})").doc, "password");
  const std::string local =
      Str(Create(R"({"system_id":"local","allowed_sources":["10.0.0.0/8","127.0.0.0/8"]})").doc,
          "password");
  // The CLI's --allow makes the same kind of credential.
  CommandResult cli =
      gw_.Cli({"smpp-credential", "create", "--sid", account_.sid, "--system-id", "cli-fenced",
               "--allow", "192.0.2.0/24", "--allow", "::1", "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  Json cli_json = ParseJson(cli.out);
  ASSERT_TRUE(cli_json.ok) << cli.out;
  EXPECT_EQ(ToJson(cli_json.doc["allowed_sources"]), R"(["192.0.2.0/24","::1/128"])");
  gw_.AddSecret(Str(cli_json.doc, "password"));
  CommandResult cli_bad =
      gw_.Cli({"smpp-credential", "create", "--sid", account_.sid, "--allow", "10.0.0.1/8"});
  EXPECT_EQ(cli_bad.exit_code, 1);
  EXPECT_NE(cli_bad.err.find("allowed_sources"), std::string::npos) << cli_bad.err;

  // 127.0.0.1 is outside 10.0.0.0/8: refused, with the right password, after the refusal delay.
  HttpConnection outside(smpp_port_);
  BindAnswer refused = Bind(outside, "fenced", fenced);
  ASSERT_TRUE(refused.answered);
  EXPECT_EQ(refused.status, kEsmeRbindfail);
  EXPECT_GE(refused.took, 900ms);
  // Whatever the password: from outside it cannot be tried.
  HttpConnection guess(smpp_port_);
  EXPECT_EQ(Bind(guess, "fenced", "wrong123").status, kEsmeRbindfail);
  HttpConnection ipv6_only(smpp_port_);
  EXPECT_EQ(Bind(ipv6_only, "cli-fenced", Str(cli_json.doc, "password")).status, kEsmeRbindfail);

  // 127.0.0.0/8 among the ranges: accepted; a wrong password is still ESME_RINVPASWD.
  HttpConnection inside(smpp_port_);
  EXPECT_EQ(Bind(inside, "local", local).status, kEsmeRok);
  HttpConnection wrong(smpp_port_);
  EXPECT_EQ(Bind(wrong, "local", "wrong123").status, kEsmeRinvpaswd);

  const std::string refusal = "bind as \"fenced\" from 127.0.0.1:";
  const auto logged = Clock::now() + 5s;
  while (gw_.server()->Stderr().find(refusal) == std::string::npos && Clock::now() < logged) {
    std::this_thread::sleep_for(20ms);
  }
  const std::string err = gw_.server()->Stderr();
  EXPECT_NE(err.find(refusal), std::string::npos) << err;
  EXPECT_NE(err.find("outside the credential's allowed sources"), std::string::npos) << err;
}

}  // namespace
}  // namespace smsgw::itest
