#include "api/http_framing.h"

#include <gtest/gtest.h>

namespace smsgw::api {
namespace {

http::request_header<> Header(std::initializer_list<std::pair<const char*, const char*>> fields,
                              unsigned version = 11) {
  http::request_header<> h;
  h.method(http::verb::post);
  h.target("/v1/x/messages");
  h.version(version);
  for (const auto& [name, value] : fields) {
    h.insert(name, value);
  }
  return h;
}

TEST(RequestFramingProblem, OrdinaryRequestsPass) {
  EXPECT_EQ(RequestFramingProblem(Header({{"Host", "x"}, {"Content-Length", "2"}})), std::nullopt);
  EXPECT_EQ(RequestFramingProblem(Header({{"Host", "x"}, {"Transfer-Encoding", "chunked"}})),
            std::nullopt);
  EXPECT_EQ(RequestFramingProblem(Header({{"Host", "x"}, {"Transfer-Encoding", " Chunked "}})),
            std::nullopt);
  EXPECT_EQ(RequestFramingProblem(Header({}, 10)), std::nullopt) << "HTTP/1.0 needs no Host";
}

TEST(RequestFramingProblem, OnlyChunkedAlone) {
  for (const char* te : {"gzip", "xchunked", "chunked, identity", "gzip, chunked",
                         "chunked,chunked", "identity", ",", "chunked;x=1"}) {
    auto problem = RequestFramingProblem(Header({{"Host", "x"}, {"Transfer-Encoding", te}}));
    ASSERT_TRUE(problem.has_value()) << te;
  }
  // Split over two header lines, the codings are one list.
  EXPECT_TRUE(RequestFramingProblem(
      Header({{"Host", "x"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}})));
}

TEST(RequestFramingProblem, TransferEncodingWithContentLength) {
  auto problem = RequestFramingProblem(
      Header({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}));
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("both"), std::string::npos);
}

TEST(RequestFramingProblem, Http11NeedsOneHost) {
  EXPECT_TRUE(RequestFramingProblem(Header({{"Content-Length", "2"}})));
  EXPECT_TRUE(RequestFramingProblem(Header({{"Host", "a"}, {"Host", "b"}})));
}

}  // namespace
}  // namespace smsgw::api
