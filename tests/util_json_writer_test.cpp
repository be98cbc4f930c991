// The deterministic JSON writer: sorted keys, exact types, escaping, locale-free numbers.
#include <catch2/catch.hpp>

#include <clocale>
#include <limits>
#include <stdexcept>

#include "util/json_writer.hpp"

using util::JsonArray;
using util::JsonObject;
using util::JsonValue;
using util::write_json;

TEST_CASE("JSON keeps integers, booleans, null and doubles apart", "[util][anki]") {
  CHECK(write_json(JsonValue(true)) == "true");
  CHECK(write_json(JsonValue(false)) == "false");
  CHECK(write_json(JsonValue()) == "null");
  CHECK(write_json(JsonValue(nullptr)) == "null");
  CHECK(write_json(JsonValue(0)) == "0");
  CHECK(write_json(JsonValue(-1)) == "-1");
  CHECK(write_json(JsonValue(std::int64_t{1764000000101})) == "1764000000101");
  CHECK(write_json(JsonValue(1.3)) == "1.3");
  CHECK(write_json(JsonValue(0.05)) == "0.05");
  CHECK(write_json(JsonValue("1")) == "\"1\"");
  CHECK(write_json(JsonArray{1, "a", false, nullptr, JsonArray{}}) == "[1,\"a\",false,null,[]]");
}

TEST_CASE("JSON object keys come out sorted whatever the insertion order", "[util][anki]") {
  const JsonObject object{{"zeta", 1}, {"alpha", JsonObject{{"b", 2}, {"a", 1}}}, {"Mid", true}};
  CHECK(write_json(object) == R"({"Mid":true,"alpha":{"a":1,"b":2},"zeta":1})");
  CHECK(write_json(JsonObject{}) == "{}");
  CHECK_THROWS_AS(write_json(JsonObject{{"a", 1}, {"a", 2}}), std::invalid_argument);
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters only", "[util][anki]") {
  CHECK(write_json(JsonValue("say \"hi\"\\")) == R"("say \"hi\"\\")");
  CHECK(write_json(JsonValue("a\nb\tc\x1f")) == R"("a\nb\tc\u001f")");
  CHECK(write_json(JsonValue("Vec<T> → §2 </style>")) == "\"Vec<T> → §2 </style>\"");
  CHECK(util::json_quote("x") == "\"x\"");
}

TEST_CASE("JSON numbers do not depend on the C locale", "[util][anki]") {
  const char* previous = std::setlocale(LC_ALL, nullptr);
  const std::string saved = previous != nullptr ? previous : "C";
  // de_DE writes 1,3 with printf; to_chars must not care (skipped if not installed).
  if (std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr) {
    CHECK(write_json(JsonValue(1.3)) == "1.3");
  }
  std::setlocale(LC_ALL, saved.c_str());
  CHECK(write_json(JsonValue(1.3)) == "1.3");
}

TEST_CASE("JSON rejects non-finite numbers", "[util][anki]") {
  CHECK_THROWS_AS(write_json(JsonValue(std::numeric_limits<double>::infinity())),
                  std::invalid_argument);
}
