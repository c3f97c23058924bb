#include "core/thread_name.h"

#include <pthread.h>

#include <string>

namespace smsgw::core {

void NameThisThread(std::string_view name) {
  constexpr size_t kMaxName = 15;  // TASK_COMM_LEN, 16 with the terminating NUL
  const std::string cut(name.substr(0, kMaxName));
  (void)pthread_setname_np(pthread_self(), cut.c_str());
}

}  // namespace smsgw::core
