#pragma once
// A small RapidJSON writer for the ext endpoints' response bodies: keys and string fields from
// string_views, and the finished text. Thread-compatible; one per response.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

namespace smsgw::api {

class JsonWriter {
 public:
  JsonWriter() : w_(buf_) {}
  rapidjson::Writer<rapidjson::StringBuffer>& w() { return w_; }
  void Str(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  void Key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void Field(std::string_view k, std::string_view v) {
    Key(k);
    Str(v);
  }
  // A string, or null when empty: for optional values that Kaleyra's responses leave out.
  void FieldOrNull(std::string_view k, std::string_view v) {
    Key(k);
    if (v.empty()) {
      w_.Null();
    } else {
      Str(v);
    }
  }
  std::string Take() { return std::string(buf_.GetString(), buf_.GetSize()); }
  // Closes the top-level object with Kaleyra's `"error": {}` of a successful answer.
  std::string TakeWithNoError() {
    Key("error");
    w_.StartObject();
    w_.EndObject();
    w_.EndObject();
    return Take();
  }

 private:
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// The list endpoints' body: {"totalCount": n, "data": [each item by `write`], "error": {}}.
template <class T, class Write>
std::string ListJson(const std::vector<T>& items, Write write) {
  JsonWriter j;
  j.w().StartObject();
  j.Key("totalCount");
  j.w().Uint64(items.size());
  j.Key("data");
  j.w().StartArray();
  for (const T& item : items) {
    write(j, item);
  }
  j.w().EndArray();
  return j.TakeWithNoError();
}

}  // namespace smsgw::api
