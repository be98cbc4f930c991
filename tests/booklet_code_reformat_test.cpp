// Rust code too wide for its column, reformatted with rustfmt; everything else left alone.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "booklet/booklet_layout.hpp"
#include "booklet/code_reformat.hpp"
#include "booklet_fixture.hpp"
#include "pdf/pages.hpp"
#include "support.hpp"
#include "typeset/faces.hpp"
#include "util/process.hpp"

namespace {

model::CodeBlock block(const std::string& language, std::vector<std::string> lines) {
  model::CodeBlock code;
  code.language = language;
  code.lines = std::move(lines);
  return code;
}

std::size_t widest(const std::vector<std::string>& lines) {
  std::size_t width = 0;
  for (const std::string& line : lines) {
    width = std::max(width, booklet::code_columns(line));
  }
  return width;
}

// rustfmt where prepkit looks for it, or "" (and a skip, or a failure under CI).
bool have_rustfmt() {
  test_support::TempDir cache("rustfmt-probe");
  booklet::CodeReformatter probe(cache.path().string());
  const model::CodeBlock code =
      block("rust", {"fn f() { let total = first_value + second_value; }"});
  if (probe.fit(code, 30) != code.lines) {
    return true;
  }
  test_support::missing_tool("rustfmt");
  return false;
}

const std::vector<std::string> wide_rust = {
    "fn main() {",
    "    let total: i32 = values.iter().map(|value| value * 2).filter(|value| *value > 2).sum();",
    "    println!(\"{total}\");",
    "}",
};

}  // namespace

TEST_CASE("wide Rust is reformatted to the column; other code is not", "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  if (!have_rustfmt()) {
    return;
  }
  booklet::CodeReformatter reformatter(cache.path().string());
  const model::CodeBlock rust = block("rust", wide_rust);
  const std::vector<std::string>& fitted = reformatter.fit(rust, 48);
  CHECK(widest(fitted) <= 48);
  CHECK(fitted.size() > wide_rust.size());
  CHECK(fitted.front() == "fn main() {");
  CHECK(reformatter.note().empty());
  // Already narrow enough: rustfmt is not asked, the author's lines stay.
  CHECK(reformatter.fit(rust, 100) == wide_rust);
  // Keyed on the block's language: the same text as TOML or plain text is left alone.
  CHECK(reformatter.fit(block("toml", wide_rust), 48) == wide_rust);
  CHECK(reformatter.fit(block("", wide_rust), 48) == wide_rust);
}

TEST_CASE("statements are formatted as a function body", "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  if (!have_rustfmt()) {
    return;
  }
  booklet::CodeReformatter reformatter(cache.path().string());
  const model::CodeBlock statements =
      block("rust",
            {"let names: Vec<String> = people.iter().map(|person| person.name.clone()).collect();",
             "", "println!(\"{names:?}\");"});
  const std::vector<std::string>& fitted = reformatter.fit(statements, 40);
  CHECK(widest(fitted) <= 40);
  CHECK(fitted.front().rfind("let names: Vec<String> = people", 0) == 0);  // not indented
  CHECK(std::find(fitted.begin(), fitted.end(), "") != fitted.end());      // blank line kept
  CHECK(fitted.back() == "println!(\"{names:?}\");");
}

TEST_CASE("snippets rustfmt cannot take keep their text", "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  if (!have_rustfmt()) {
    return;
  }
  booklet::CodeReformatter reformatter(cache.path().string());
  // Elided code does not parse.
  const model::CodeBlock elided =
      block("rust", {"impl Iterator for Counter { fn next(&mut self) -> Option<u32> { ... } }"});
  CHECK(reformatter.fit(elided, 40) == elided.lines);
  // A marker pointing at a column would point elsewhere once the code moved.
  const model::CodeBlock marked =
      block("rust", {"let r = &mut value; let s = &value; println!(\"{r} {s}\");",
                     "//               ^ error[E0502]: cannot borrow `value` as immutable"});
  CHECK(reformatter.fit(marked, 40) == marked.lines);
  CHECK(reformatter.note().empty());  // failures on a snippet are silent
}

TEST_CASE("without rustfmt the code is unchanged and the build says so once",
          "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  booklet::CodeReformatter reformatter(cache.path().string(), "/nonexistent/rustfmt");
  CHECK(reformatter.note().empty());
  const model::CodeBlock rust = block("rust", wide_rust);
  CHECK(reformatter.fit(rust, 48) == wide_rust);
  CHECK(reformatter.fit(rust, 40) == wide_rust);
  CHECK(reformatter.note() == "rustfmt not found (PATH, ~/.cargo/bin): wide Rust code wraps");
  // Only Rust that would wrap needs it: a pack without such code never hears of rustfmt.
  booklet::CodeReformatter unused(cache.path().string(), "/nonexistent/rustfmt");
  CHECK(unused.fit(block("python", wide_rust), 48) == wide_rust);
  CHECK(unused.fit(rust, 100) == wide_rust);
  CHECK(unused.note().empty());
}

TEST_CASE("results are kept between builds under a key naming the rustfmt", "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  if (!have_rustfmt()) {
    return;
  }
  const model::CodeBlock rust = block("rust", wide_rust);
  std::vector<std::string> first;
  {
    booklet::CodeReformatter reformatter(cache.path().string());
    first = reformatter.fit(rust, 48);
  }
  std::size_t files = 0;
  std::filesystem::path stored;
  for (const auto& entry : std::filesystem::directory_iterator(cache.path())) {
    ++files;
    stored = entry.path();
  }
  REQUIRE(files == 1);
  CHECK(test_support::read_bytes(stored).rfind("ok\nfn main() {\n", 0) == 0);
  // A later build reads the stored result instead of running rustfmt again.
  std::ofstream(stored, std::ios::trunc) << "ok\nfn stored() {}\n";
  booklet::CodeReformatter again(cache.path().string());
  CHECK(again.fit(rust, 48) == std::vector<std::string>{"fn stored() {}"});
  // Another width is another key.
  CHECK(again.fit(rust, 47) != std::vector<std::string>{"fn stored() {}"});
}

TEST_CASE("the booklet sets wide Rust as rustfmt formats it", "[booklet][rustfmt]") {
  test_support::TempDir cache("rustfmt-cache");
  if (!have_rustfmt()) {
    return;
  }
  // The sample's long code block has a line far wider than the column.
  const model::Document document = booklet_fixture::sample_document();
  const model::Layout layout;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  const auto wrapped_rows = [&](booklet::CodeReformatter* reformatter) {
    const std::string dump = pdf::dump_pages(
        booklet::lay_out(document, layout, faces, measure, nullptr, nullptr, reformatter).pages);
    std::size_t count = 0;
    for (std::size_t at = dump.find("\u21AA"); at != std::string::npos;
         at = dump.find("\u21AA", at + 1)) {
      ++count;
    }
    return count;
  };
  booklet::CodeReformatter reformatter(cache.path().string());
  const std::size_t as_written = wrapped_rows(nullptr);
  CHECK(as_written > 0);
  CHECK(wrapped_rows(&reformatter) < as_written);
  CHECK(reformatter.note().empty());
}

TEST_CASE("comments too wide for the column move above their line and are refilled", "[booklet]") {
  // As a book sets code: a trailing comment gets a line of its own above its code, a long
  // comment line is refilled under its marker; a comment that points at a column stays.
  model::Document document = booklet_fixture::sample_document();
  const std::string words = "a comment far too long for the column of the page it is set on";
  const std::vector<std::string> lines = {
      "fn main() {",
      "    let total = 1; // trailing: " + words,
      "    /// refilled: " + words + ", " + words,
      "    let x = total; //          ^ aligned: " + words,
      "}",
  };
  model::Section& section = document.areas.front().topics.front().sections.front();
  std::get<model::CodeBlock>(section.body[2].node).lines = lines;
  const model::Layout layout;
  const typeset::FaceTable faces = typeset::fake_faces(layout.fonts);
  const booklet_fixture::FixedWidthMeasure measure{booklet_fixture::mono_faces(faces)};
  const std::string dump = pdf::dump_pages(
      booklet::lay_out(document, layout, faces, measure, nullptr, nullptr, nullptr).pages);
  const auto at = [&](const std::string& text) { return dump.find(text); };
  // Highlighted code is drawn token by token: " total " is only in `let total = 1;`,
  // " total" only in `let x = total;`.
  REQUIRE(at("// trailing: a comment") != std::string::npos);
  CHECK(at("// trailing: a comment") < at("\" total \""));  // above its line now
  CHECK(at("\" total \"") < at("/// refilled: a comment"));
  std::size_t refilled = 0;
  for (std::size_t pos = at("\"    /// "); pos != std::string::npos;
       pos = dump.find("\"    /// ", pos + 1)) {
    ++refilled;
  }
  CHECK(refilled >= 2);                       // each line under the marker, at the indentation
  CHECK(at("\" total\"") < at("^ aligned"));  // kept on its line, where it points
  // Nothing wraps until the aligned comment, which keeps its spaces.
  const std::size_t wrap = dump.find("\u21AA", at("// trailing: a comment"));
  CHECK(wrap > at("^ aligned"));
  CHECK(wrap != std::string::npos);
}

TEST_CASE("a rustup proxy is asked which rustfmt it runs, in the folder where it formats",
          "[booklet][rustfmt]") {
  // rustup picks the toolchain by folder (rust-toolchain.toml, overrides): asked elsewhere,
  // the rustfmt in the cache key could belong to another toolchain.
  test_support::TempDir tools("rustfmt-fake");
  const std::filesystem::path rustup = tools.path() / "rustup";
  const std::filesystem::path toolchain = tools.path() / "toolchain-rustfmt";
  std::ofstream(toolchain) << "#!/bin/sh\nexit 1\n";
  std::ofstream(rustup) << "#!/bin/sh\n[ \"$*\" = \"which rustfmt\" ] && [ \"$(pwd)\" = \""
                        << std::filesystem::temp_directory_path().string() << "\" ] && echo "
                        << toolchain.string() << "\n";
  std::filesystem::permissions(rustup, std::filesystem::perms::owner_all);
  std::filesystem::permissions(toolchain, std::filesystem::perms::owner_all);
  const std::filesystem::path proxy = tools.path() / "rustfmt";
  std::filesystem::create_symlink("rustup", proxy);
  const booklet::Rustfmt found = booklet::find_rustfmt(proxy.string());
  CHECK(found.program == toolchain.string());
  CHECK(found.identity.size() > toolchain.string().size());
  CHECK(found.identity.substr(found.identity.size() - toolchain.string().size()) ==
        toolchain.string());
  // A hard link is a proxy too; a toolchain without rustfmt (rustup fails) has none.
  std::filesystem::remove(proxy);
  std::filesystem::create_hard_link(rustup, proxy);
  CHECK(booklet::find_rustfmt(proxy.string()).program == toolchain.string());
  std::filesystem::remove(toolchain);
  CHECK(booklet::find_rustfmt(proxy.string()).program.empty());
  // Any other rustfmt is run as it is, and not run to be found.
  const std::filesystem::path plain = tools.path() / "plain-rustfmt";
  std::ofstream(plain) << "#!/bin/sh\nexit 1\n";
  std::filesystem::permissions(plain, std::filesystem::perms::owner_all);
  CHECK(booklet::find_rustfmt(plain.string()).program == plain.string());
}
