#include "log/fields.h"

namespace smsgw::log {
namespace {

thread_local std::span<const Field> current;

}  // namespace

std::span<const Field> CurrentFields() { return current; }

ScopedFields::ScopedFields(std::span<const Field> fields) : previous_(current) { current = fields; }

ScopedFields::~ScopedFields() { current = previous_; }

}  // namespace smsgw::log
