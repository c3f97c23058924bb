#pragma once
// Names the calling thread, as `top -H`, `ps -L`, /proc/<pid>/task/*/comm, perf and gdb show it.
// serve runs a dozen threads; named by role, their CPU can be read per stage without a profiler.

#include <string_view>

namespace smsgw::core {

// At most 15 bytes are kept (the kernel's limit); longer names are cut. Never fails the caller:
// a thread without its name still works.
void NameThisThread(std::string_view name);

}  // namespace smsgw::core
