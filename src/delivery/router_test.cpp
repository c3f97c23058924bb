#include "delivery/router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smsgw::delivery {
namespace {

using core::RouteType;

config::SmscConfig Smsc(std::vector<std::string> prefixes, std::vector<RouteType> types = {},
                        int priority = 0) {
  config::SmscConfig smsc;
  smsc.prefixes = std::move(prefixes);
  smsc.types = std::move(types);
  smsc.priority = priority;
  return smsc;
}

std::vector<size_t> Candidates(const Router& router, std::string_view recipient,
                               RouteType type = RouteType::kDefault) {
  std::span<const size_t> span = router.Candidates(recipient, type);
  return {span.begin(), span.end()};
}

using Indices = std::vector<size_t>;

TEST(DeliveryRouter, NoConnectorsNoCandidates) {
  Router router({});
  EXPECT_TRUE(Candidates(router, "919876543210").empty());
}

TEST(DeliveryRouter, EmptyPrefixesAndTypesMatchEverything) {
  Router router({Smsc({})});
  for (RouteType type :
       {RouteType::kOtp, RouteType::kTxn, RouteType::kTxnd, RouteType::kMkt, RouteType::kDefault}) {
    EXPECT_EQ(Candidates(router, "14155550100", type), Indices{0});
  }
  EXPECT_EQ(Candidates(router, ""), Indices{0});
}

TEST(DeliveryRouter, PrefixMatchesTheStartOfTheRecipient) {
  Router router({Smsc({"91"}), Smsc({"1", "44"})});
  EXPECT_EQ(Candidates(router, "919876543210"), Indices{0});
  EXPECT_EQ(Candidates(router, "14155550100"), Indices{1});
  EXPECT_EQ(Candidates(router, "447700900123"), Indices{1});
  EXPECT_TRUE(Candidates(router, "4915112345678").empty());  // 49 starts with 4, not 44
  EXPECT_TRUE(Candidates(router, "9").empty());              // shorter than the prefix
  EXPECT_TRUE(Candidates(router, "").empty());
  EXPECT_TRUE(Candidates(router, "819198765432").empty());  // 91 inside, not at the start
}

TEST(DeliveryRouter, EveryMatchingPrefixCountsNotOnlyTheLongest) {
  // 0 serves all of India, 1 only 9198..., 2 everything; all three match 9198....
  Router router({Smsc({"91"}), Smsc({"9198"}), Smsc({})});
  EXPECT_EQ(Candidates(router, "919876543210"), (Indices{0, 1, 2}));
  EXPECT_EQ(Candidates(router, "919776543210"), (Indices{0, 2}));
  EXPECT_EQ(Candidates(router, "14155550100"), (Indices{2}));
}

TEST(DeliveryRouter, OrderedByPriorityThenConfigOrder) {
  Router router({Smsc({}, {}, 5), Smsc({"91"}, {}, 1), Smsc({}, {}, 1), Smsc({"9"}, {}, -2),
                 Smsc({}, {}, 5)});
  EXPECT_EQ(Candidates(router, "919876543210"), (Indices{3, 1, 2, 0, 4}));
  EXPECT_EQ(Candidates(router, "14155550100"), (Indices{2, 0, 4}));
}

TEST(DeliveryRouter, TypesFilter) {
  Router router(
      {Smsc({}, {RouteType::kOtp}), Smsc({}, {RouteType::kTxn, RouteType::kTxnd}), Smsc({})});
  EXPECT_EQ(Candidates(router, "91", RouteType::kOtp), (Indices{0, 2}));
  EXPECT_EQ(Candidates(router, "91", RouteType::kTxn), (Indices{1, 2}));
  EXPECT_EQ(Candidates(router, "91", RouteType::kTxnd), (Indices{1, 2}));
  EXPECT_EQ(Candidates(router, "91", RouteType::kMkt), (Indices{2}));
}

TEST(DeliveryRouter, PrefixesAndTypesTogether) {
  Router router({Smsc({"91"}, {RouteType::kOtp}, 0), Smsc({"91"}, {}, 1), Smsc({"1"}, {}, 0)});
  EXPECT_EQ(Candidates(router, "919876543210", RouteType::kOtp), (Indices{0, 1}));
  EXPECT_EQ(Candidates(router, "919876543210", RouteType::kMkt), (Indices{1}));
  EXPECT_TRUE(Candidates(router, "447700900123", RouteType::kOtp).empty());
}

TEST(DeliveryRouter, SharedAndRepeatedPrefixes) {
  // Two connectors on the same prefix, and a connector listing nested prefixes of its own.
  Router router({Smsc({"44"}), Smsc({"44"}), Smsc({"4", "44", "447"})});
  EXPECT_EQ(Candidates(router, "447700900123"), (Indices{0, 1, 2}));
  EXPECT_EQ(Candidates(router, "4915112345678"), (Indices{2}));
}

TEST(DeliveryRouter, StopsAtANonDigit) {
  Router router({Smsc({"91"}), Smsc({"9"})});
  EXPECT_EQ(Candidates(router, "9x1"), (Indices{1}));
  EXPECT_TRUE(Candidates(router, "+919876543210").empty());
}

TEST(DeliveryRouter, IgnoresPrefixesThatAreNotDigits) {
  Router router({Smsc({"+91"}), Smsc({"91"})});
  EXPECT_EQ(Candidates(router, "919876543210"), (Indices{1}));
}

TEST(DeliveryRouter, SpanStaysValidAcrossCalls) {
  Router router({Smsc({"91"}), Smsc({})});
  std::span<const size_t> india = router.Candidates("919876543210", RouteType::kOtp);
  std::span<const size_t> us = router.Candidates("14155550100", RouteType::kOtp);
  EXPECT_EQ(std::vector<size_t>(india.begin(), india.end()), (Indices{0, 1}));
  EXPECT_EQ(std::vector<size_t>(us.begin(), us.end()), (Indices{1}));
}

TEST(DeliveryRouter, ManyConnectorsAndPrefixes) {
  // Connector i serves the two-digit prefixes "i0".."i9" for i in 1..9, and one more with no
  // prefix as the fallback; checked against a brute-force reading of the rules.
  std::vector<config::SmscConfig> smscs;
  for (int i = 1; i <= 9; ++i) {
    std::vector<std::string> prefixes;
    for (int d = 0; d <= 9; ++d) {
      prefixes.push_back(std::to_string(i) + std::to_string(d));
    }
    smscs.push_back(Smsc(prefixes, {}, 10 - i));
  }
  smscs.push_back(Smsc({}, {RouteType::kOtp}, 3));
  Router router(smscs);
  for (const std::string recipient : {"11234", "55", "987654321", "5", "0123"}) {
    for (RouteType type : {RouteType::kOtp, RouteType::kMkt}) {
      Indices want;
      for (size_t i = 0; i < smscs.size(); ++i) {
        bool prefix_ok = smscs[i].prefixes.empty();
        for (const std::string& p : smscs[i].prefixes) {
          prefix_ok = prefix_ok || recipient.starts_with(p);
        }
        const bool type_ok =
            smscs[i].types.empty() ||
            std::find(smscs[i].types.begin(), smscs[i].types.end(), type) != smscs[i].types.end();
        if (prefix_ok && type_ok) {
          want.push_back(i);
        }
      }
      std::stable_sort(want.begin(), want.end(),
                       [&](size_t a, size_t b) { return smscs[a].priority < smscs[b].priority; });
      EXPECT_EQ(Candidates(router, recipient, type), want) << recipient;
    }
  }
}

}  // namespace
}  // namespace smsgw::delivery
