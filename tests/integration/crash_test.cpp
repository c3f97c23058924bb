// The durability promise: a 2xx means committed. Kill -9 (or SIGTERM) under concurrent load,
// restart on the same data dir, and every acknowledged message is still there.

#include <signal.h>

#include "load.h"

namespace smsgw::itest {
namespace {

class CrashTest : public ServerTest {
 protected:
  // Restarts the server on the same data dir and checks every id has a status.
  void ExpectAllFoundAfterRestart(const std::vector<std::string>& acked) {
    gw_.Start();
    ASSERT_NE(gw_.port(), 0) << "no clean restart";
    ExpectAllFound(gw_, account_, acked);
    EXPECT_EQ(SendSimple().status, 200) << "not accepting work after the restart";
  }
};

TEST_F(CrashTest, Kill9UnderLoadLosesNothingAcknowledged) {
  const std::vector<std::string> acked = AckedBeforeKill9(gw_, MessagesPath(), account_.api_key);
  ASSERT_FALSE(HasFailure());
  ExpectAllFoundAfterRestart(acked);
}

// SIGTERM under load: in-flight requests are answered or refused cleanly, the process exits 0,
// and what was acknowledged is there after a restart.
TEST_F(CrashTest, SigtermUnderLoadStopsCleanly) {
  Load load(gw_.port(), MessagesPath(), account_.api_key);
  std::this_thread::sleep_for(1s);  // the length of the load, not a synchronisation
  gw_.server()->Signal(SIGTERM);
  auto code = gw_.server()->WaitForExit(20s);
  load.Join();
  ASSERT_TRUE(code) << "still running 20 s after SIGTERM under load";
  EXPECT_EQ(*code, 0) << "stderr: " << gw_.server()->Stderr();
  EXPECT_EQ(load.non_2xx(), 0) << load.first_non_2xx();
  ExpectAllFoundAfterRestart(load.acked());
}

}  // namespace
}  // namespace smsgw::itest
