// SqliteStore's InboundStore SQL beyond the store contract (tests/store_contract/): every statement
// reaches its rows through an index, and the ones on the MO path through the index meant for them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fakes/temp_dir.h"
#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_store_internal.h"

namespace smsgw::store::sqlite {
namespace {

class SqliteInboundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  std::string Plan(std::string_view name) {
    return NamedQueryPlan(path_, InboundSqlForTest(), name);
  }

  fakes::TempDir dir_;
  const std::string path_ = dir_.File("smsgw.db");
  std::unique_ptr<SqliteStore> store_;
};

// "SCAN t" without USING reads the whole table. The two list statements are the exception that
// proves it: they walk the rowid backwards and stop at their LIMIT, with no sort.
TEST_F(SqliteInboundTest, NoStatementScansATable) {
  const std::vector<NamedSql> all = InboundSqlForTest();
  ASSERT_EQ(all.size(), 15u);
  for (const NamedSql& sql : all) {
    const std::string plan = Plan(sql.name);
    const bool bounded_walk = sql.name == "list_inbound" || sql.name == "list_inbound_before";
    if (bounded_walk) {
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql.name << ":\n" << plan;
      EXPECT_NE(sql.sql.find("LIMIT"), std::string_view::npos) << sql.name;
      continue;
    }
    size_t at = 0;
    while ((at = plan.find("SCAN ", at)) != std::string::npos) {
      const size_t end = plan.find('\n', at);
      EXPECT_NE(plan.substr(at, end - at).find(" USING "), std::string::npos) << sql.name << ":\n"
                                                                              << plan;
      at = end;
    }
  }
}

TEST_F(SqliteInboundTest, TheMoPathUsesItsIndexes) {
  // A part finds itself and its message's other parts by the primary key, in part order.
  EXPECT_NE(Plan("part_exists")
                .find("SEARCH inbound_parts USING PRIMARY KEY (connector=? AND "
                      "source=? AND destination=? AND reference=? AND total=? AND "
                      "seqnum=?)"),
            std::string::npos)
      << Plan("part_exists");
  const std::string group = Plan("group_parts");
  EXPECT_NE(group.find("USING PRIMARY KEY (connector=? AND source=? AND destination=? AND "
                       "reference=? AND total=?)"),
            std::string::npos)
      << group;
  EXPECT_EQ(group.find("TEMP B-TREE"), std::string::npos) << group;
  EXPECT_NE(Plan("count_parts").find("USING PRIMARY KEY"), std::string::npos);
  // A repeat of a stored message's part: the partial index, down to the time range.
  EXPECT_NE(Plan("repeats_of")
                .find("USING INDEX inbound_messages_by_concat (source=? AND destination=? AND "
                      "concat_ref=? AND stored_at>?)"),
            std::string::npos)
      << Plan("repeats_of");
  EXPECT_NE(Plan("expired_groups").find("INDEX inbound_parts_by_received (received_at<?)"),
            std::string::npos)
      << Plan("expired_groups");
  EXPECT_NE(Plan("get_inbound").find("USING INDEX sqlite_autoindex_inbound_messages_1 (id=?)"),
            std::string::npos)
      << Plan("get_inbound");
  EXPECT_NE(Plan("list_inbound_before").find("USING INTEGER PRIMARY KEY (rowid<?)"),
            std::string::npos)
      << Plan("list_inbound_before");
}

}  // namespace
}  // namespace smsgw::store::sqlite
