#include "core/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace smsgw::core {
namespace {

using rapidjson::Document;
using rapidjson::SizeType;

// Forwards SAX events to the document being built and stops the reader at the first container
// that would open deeper than the limit.
class DepthLimited {
 public:
  DepthLimited(Document& doc, unsigned max_depth) : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return Open() && doc_.StartObject(); }
  bool EndObject(SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return Open() && doc_.StartArray(); }
  bool EndArray(SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  bool too_deep() const { return too_deep_; }

 private:
  bool Open() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  Document& doc_;
  const unsigned max_depth_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
};

template <unsigned kFlags>
rapidjson::ParseResult Read(std::string_view text, DepthLimited& handler) {
  rapidjson::MemoryStream memory(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(memory);
  rapidjson::Reader reader;
  return reader.Parse<kFlags | rapidjson::kParseIterativeFlag>(in, handler);
}

rapidjson::ParseResult ReadWith(unsigned flags, std::string_view text, DepthLimited& handler) {
  using namespace rapidjson;
  switch (flags & (kJsonValidateUtf8 | kJsonNumbersAsStrings)) {
    case kJsonValidateUtf8:
      return Read<kParseValidateEncodingFlag>(text, handler);
    case kJsonNumbersAsStrings:
      return Read<kParseNumbersAsStringsFlag>(text, handler);
    case kJsonValidateUtf8 | kJsonNumbersAsStrings:
      return Read<kParseValidateEncodingFlag | kParseNumbersAsStringsFlag>(text, handler);
    default:
      return Read<kParseDefaultFlags>(text, handler);
  }
}

}  // namespace

std::expected<void, JsonError> ParseJson(std::string_view text, Document& out, unsigned flags,
                                         unsigned max_depth) {
  out.SetNull();
  DepthLimited handler(out, max_depth);
  rapidjson::ParseResult result;
  // Populate moves the one value the handler built into the document, and only on success.
  auto generate = [&](Document&) {
    result = ReadWith(flags, text, handler);
    return !result.IsError();
  };
  out.Populate(generate);
  if (!result.IsError()) {
    return {};
  }
  JsonError error;
  error.offset = result.Offset();
  if (handler.too_deep()) {
    error.kind = JsonError::Kind::kTooDeep;
    error.message = "The JSON nests deeper than " + std::to_string(max_depth) + " levels.";
  } else {
    error.kind = result.Code() == rapidjson::kParseErrorStringInvalidEncoding
                     ? JsonError::Kind::kInvalidUtf8
                     : JsonError::Kind::kSyntax;
    error.message = "Malformed JSON at offset " + std::to_string(result.Offset()) + ": " +
                    rapidjson::GetParseError_En(result.Code());
  }
  return std::unexpected(std::move(error));
}

}  // namespace smsgw::core
