// The pieces of the Rust example check that need no compiler: JSON reading, rustc's
// diagnostics, crate detection and the cargo dependency lines.
#include <catch2/catch.hpp>

#include "rustcheck/compiler_messages.hpp"
#include "rustcheck/crates.hpp"
#include "rustcheck/json_value.hpp"

using rustcheck::JsonValue;

TEST_CASE("parse_json reads cargo-style objects", "[rustcheck]") {
  auto value =
      rustcheck::parse_json(R"({"reason":"compiler-artifact","n":-1.5e2,"ok":true,"none":null,)"
                            R"("list":[1,"two",[]],"text":"a\"b\\c\n\u00e9\ud83d\ude00"})");
  REQUIRE(value);
  CHECK(value->text("reason") == "compiler-artifact");
  CHECK(value->get("n")->number == -150);
  CHECK(value->get("ok")->boolean);
  CHECK(value->get("none")->kind == JsonValue::Kind::null);
  CHECK(value->get("list")->array.size() == 3);
  CHECK(value->get("list")->array[1].string == "two");
  CHECK(value->text("text") == "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(value->get("missing") == nullptr);
  CHECK(value->text("n").empty());
}

TEST_CASE("parse_json rejects text that is not JSON", "[rustcheck]") {
  CHECK_FALSE(rustcheck::parse_json(""));
  CHECK_FALSE(rustcheck::parse_json("   Compiling foo v1.0"));
  CHECK_FALSE(rustcheck::parse_json(R"({"a":1)"));
  CHECK_FALSE(rustcheck::parse_json(R"({"a":1} x)"));
  CHECK_FALSE(rustcheck::parse_json(R"(["a\q"])"));
  CHECK(rustcheck::parse_json(" [ ] "));
}

TEST_CASE("rustc's JSON errors become one-line summaries", "[rustcheck]") {
  // Trimmed from `rustc --error-format=json` output (rustc 1.95).
  std::string output =
      R"({"$message_type":"diagnostic","message":"borrow of moved value: `s`","code":{"code":"E0382","explanation":"..."},"level":"error","spans":[{"file_name":"a.rs","line_start":4,"is_primary":false,"text":[{"text":"    let t = s;"}]},{"file_name":"a.rs","line_start":4,"is_primary":true,"text":[{"text":"    println!(\"{s}\");"}]}],"children":[],"rendered":"error[E0382]: borrow of moved value: `s`\n"})"
      "\n"
      R"({"$message_type":"diagnostic","message":"unused variable: `t`","code":{"code":"unused_variables","explanation":null},"level":"warning","spans":[],"children":[],"rendered":"warning: unused variable"})"
      "\n"
      R"({"$message_type":"diagnostic","message":"creating a shared reference to mutable static","code":{"code":"static_mut_refs","explanation":null},"level":"error","spans":[],"children":[],"rendered":"error: creating a shared reference to mutable static\n"})"
      "\n"
      R"({"$message_type":"diagnostic","message":"aborting due to 2 previous errors","code":null,"level":"error","spans":[],"children":[],"rendered":"error: aborting due to 2 previous errors\n"})"
      "\nnot json\n";
  std::vector<rustcheck::CompilerError> errors = rustcheck::parse_rustc_errors(output);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].code == "E0382");
  CHECK(rustcheck::summarize(errors[0]) ==
        "error[E0382]: borrow of moved value: `s`, at `println!(\"{s}\");`");
  CHECK(errors[1].code == "static_mut_refs");
  CHECK(rustcheck::summarize(errors[1]) == "error: creating a shared reference to mutable static");
  CHECK(rustcheck::missing_crate(errors[0]).empty());
}

TEST_CASE("missing_crate names crates rustc could not find, except std", "[rustcheck]") {
  rustcheck::CompilerError error;
  error.rendered =
      "error[E0432]: unresolved import `axum`\n  |     ^^^^ use of unresolved module or unlinked "
      "crate `axum`\n";
  CHECK(rustcheck::missing_crate(error) == "axum");
  error.rendered = "error[E0463]: can't find crate for `foo`\n";
  CHECK(rustcheck::missing_crate(error) == "foo");
  // `#![no_std]` examples fail on `std` on purpose.
  error.rendered =
      "error[E0433]: cannot find module or crate `std` in this scope\n ^^^ use of unresolved "
      "module or unlinked crate `std`\n  = help: you might be missing a crate named `std`\n";
  CHECK(rustcheck::missing_crate(error).empty());
}

TEST_CASE("detect_crates finds crate paths, not look-alikes", "[rustcheck]") {
  using V = std::vector<std::string>;
  CHECK(rustcheck::detect_crates("use tokio::sync::mpsc;") == V{"tokio"});
  CHECK(rustcheck::detect_crates("#[tokio::main]\nasync fn main() {}") == V{"tokio"});
  CHECK(rustcheck::detect_crates("use serde_json;\nuse serde::Serialize;") ==
        V{"serde", "serde_json"});
  CHECK(rustcheck::detect_crates("async_std::task::block_on(f)") == V{"async_std"});
  CHECK(rustcheck::detect_crates("extern crate libc;") == V{"libc"});
  CHECK(rustcheck::detect_crates("use ::rayon::prelude::*;") == V{"rayon"});
  CHECK(rustcheck::detect_crates("#[derive(clap::Parser)] struct A;") == V{"clap"});
  CHECK(rustcheck::detect_crates("let futures = vec![1]; futures.len();").empty());
  CHECK(rustcheck::detect_crates("my_tokio::spawn(); tokio_util::x(); a::rayon::b();").empty());
  CHECK(rustcheck::detect_crates("use std::sync::mpsc; // no crates").empty());
}

TEST_CASE("dependency_lines declares crates with Debian's versions and features", "[rustcheck]") {
  CHECK(rustcheck::dependency_lines({"serde_json", "tokio", "async_std"}) ==
        "tokio = { version = \"1\", features = [\"full\"] }\n"
        "serde_json = { version = \"1\" }\n"
        "async-std = { version = \"1\", features = [\"attributes\"] }\n");
  CHECK(rustcheck::dependency_lines({}).empty());
}
