#pragma once
// `smsgw smsc-sim` as its own process: with a PDU log, so tests see exactly what reached the
// SMSC (and it survives a kill -9 of the gateway), and with its control endpoint, so tests can
// send inbound (MO) messages through it.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace smsgw::itest {

class ExternalSmsc {
 public:
  // `port` 0: any free port.
  explicit ExternalSmsc(const TempDir& dir, std::vector<std::string> extra = {}, uint16_t port = 0)
      : log_(dir.File("pdus.jsonl")) {
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    std::vector<std::string> argv = {BinaryPath(),      "smsc-sim",   "--listen", listen,
                                     "--receipt-delay", "50",         "--log",    log_,
                                     "--control",       "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = Process::Spawn(argv);
    if (!process_) {
      return;
    }
    auto line = process_->WaitForLine(
        std::regex(R"(listening on 127\.0\.0\.1:(\d+).*control on 127\.0\.0\.1:(\d+))"),
        kStartTimeout);
    if (line) {
      port_ = static_cast<uint16_t>(std::stoi((*line)[1]));
      control_port_ = static_cast<uint16_t>(std::stoi((*line)[2]));
    } else {
      ADD_FAILURE() << "smsc-sim did not start: " << process_->Stderr();
    }
  }
  uint16_t port() const { return port_; }
  uint16_t control_port() const { return control_port_; }
  const std::string& pdu_log() const { return log_; }
  // SIGTERM + wait (an SMSC going away); returns the exit code.
  int Stop() { return process_ ? process_->Stop() : -1; }

  // submit_sm received per destination address.
  std::map<std::string, int> SubmitsByDestination() const {
    std::map<std::string, int> out;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      Json j = ParseJson(line);
      if (j.ok && j.doc.IsObject() && Str(j.doc, "command") == "submit_sm" &&
          Str(j.doc, "dir") == "in") {
        ++out[Str(j.doc, "dest")];
      }
    }
    return out;
  }

  // POST /mo on the control endpoint (`json` as documented in src/smsc_sim/mo.h), retried while
  // the gateway is not bound yet (409); returns the last response.
  HttpResponse InjectMo(const std::string& json, Clock::duration timeout = kStartTimeout) const {
    const auto deadline = Clock::now() + timeout;
    HttpResponse last;
    while (Clock::now() < deadline) {
      HttpConnection connection(control_port_);
      std::string error;
      auto r =
          connection.Request("POST", "/mo", {{"Content-Type", "application/json"}}, json, &error);
      if (r) {
        last = *r;
        if (r->status != 409) {
          return last;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return last;
  }

 private:
  std::string log_;
  std::unique_ptr<Process> process_;
  uint16_t port_ = 0;
  uint16_t control_port_ = 0;
};

inline std::string SmscConfig(uint16_t port, const std::string& extra = "") {
  return "[simulator]\nenabled = false\n[[smsc]]\nname = \"carrier\"\nhost = \"127.0.0.1\"\n"
         "port = " +
         std::to_string(port) + "\nsystem_id = \"smsgw\"\npassword = \"smsgw\"\n" + extra;
}

}  // namespace smsgw::itest
