// `check --rust` end to end on small Documents: one example of each kind, right and wrong,
// compiled and run by the machine's rustc/cargo; the diagnostics are compared exactly.
// Skipped with a warning when no Rust toolchain is installed (fails when CI is set).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "load/load_content.hpp"
#include "model/diagnostics.hpp"
#include "rustcheck/rust_examples.hpp"
#include "rustcheck/toolchain.hpp"
#include "support.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace {

const char* const k_file = "content/topics/t.yaml";

// A fresh work folder, removed afterwards.
class TempDir {
 public:
  TempDir() {
    m_path = (fs::temp_directory_path() / ("prepkit-rustcheck-test-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(s_counter++)))
                 .string();
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  [[nodiscard]] const std::string& path() const { return m_path; }

 private:
  static inline int s_counter = 0;
  std::string m_path;
};

bool have_toolchain() {
  std::string problem;
  if (rustcheck::find_toolchain(problem)) {
    return true;
  }
  test_support::missing_tool("a Rust toolchain (" + problem + ")");
  return false;
}

model::CodeBlock rust(int line, const std::string& source, model::CodeCheck check,
                      std::optional<std::string> expected_output = std::nullopt) {
  model::CodeBlock block;
  block.language = "rust";
  block.check = check;
  block.source = source;
  block.expected_output = std::move(expected_output);
  block.where = {k_file, line, 0};
  return block;
}

model::CodeBlock compile_fail(int line, const std::string& source, const std::string& code) {
  model::CodeBlock block = rust(line, source, model::CodeCheck::compile_fail);
  block.error_code = code;
  return block;
}

model::Block as_block(model::CodeBlock code) {
  model::SourceLocation where = code.where;
  return {std::move(code), where};
}

model::Document document_with(std::vector<model::CodeBlock> blocks) {
  model::Topic topic;
  topic.id = "t";
  topic.where = {k_file, 1, 1};
  model::Section section;
  section.id = "s";
  for (model::CodeBlock& block : blocks) {
    section.body.push_back(as_block(std::move(block)));
  }
  topic.sections.push_back(std::move(section));
  model::Area area;
  area.id = "core";
  area.topics.push_back(std::move(topic));
  model::Document document;
  document.areas.push_back(std::move(area));
  return document;
}

std::vector<std::string> formatted(const model::Diagnostics& diagnostics) {
  std::vector<std::string> lines = test_support::formatted(diagnostics);
  return lines;
}

const char* const k_moved = R"(fn main() {
    let s = String::from("a");
    let t = s;
    println!("{s}");
}
)";

}  // namespace

TEST_CASE("check_rust_examples checks every kind of example", "[rustcheck]") {
  if (!have_toolchain()) {
    return;
  }
  using model::CodeCheck;
  std::vector<model::CodeBlock> blocks = {
      rust(10, "fn main() {\n    println!(\"hello\");\n    println!(\"world\");\n}\n",
           CodeCheck::run, "hello\nworld\n"),
      rust(20, "fn main() {\n    println!(\"hello\");\n    println!(\"wrld\");\n}\n",
           CodeCheck::run, "hello\nworld"),
      rust(30, k_moved, CodeCheck::run),
      rust(40, "fn main() {\n    loop {}\n}\n", CodeCheck::no_run),
      rust(50, "fn main() {\n    let v: Vec<i32> = Vec::new();\n    v[0];\n}\n",
           CodeCheck::should_panic),
      rust(60, "fn main() {}\n", CodeCheck::should_panic),
      compile_fail(70, k_moved, "E0382"),
      compile_fail(80, "fn main() {\n    let x: u8 = 1;\n}\n", "E0308"),
      compile_fail(90, k_moved, "E0499"),
      compile_fail(100, "fn main() {\n    let x: i32 = \"a\";\n}\n", ""),
      rust(110,
           "fn main() {\n    let a = [1];\n    let i = a.len();\n    println!(\"{}\", a[i]);\n}\n",
           CodeCheck::run),
      rust(120, "fn main() {\n    std::process::exit(3);\n}\n", CodeCheck::run),
      compile_fail(130, "use axum::Router;\nfn main() {}\n", "E0432"),
      rust(140, "not rust at all", CodeCheck::ignore),
  };
  blocks.back().ignore_reason = "shows a fragment";
  // `gen` is a keyword from edition 2024 on: this only compiles as edition 2021.
  model::CodeBlock old_edition = rust(
      150, "fn main() {\n    let gen = 5;\n    println!(\"{gen}\");\n}\n", CodeCheck::run, "5");
  old_edition.edition = "2021";
  blocks.push_back(old_edition);
  blocks.push_back(compile_fail(160, "fn main() {\n    let gen = 5;\n}\n", ""));
  model::Document document = document_with(std::move(blocks));

  // A code card and an example nested in a list are found too.
  model::Card card;
  card.id = "c";
  card.kind = model::CardKind::code;
  card.code = compile_fail(170, k_moved, "E0505");
  document.areas[0].topics[0].cards.push_back(card);
  model::List list;
  list.items.push_back(
      {{as_block(rust(180, "fn main() {\n    panic!(\"boom\");\n}\n", CodeCheck::run))}});
  document.areas[0].topics[0].pitfalls.push_back({"p", {{list, {k_file, 179, 0}}}, {}});

  TempDir work;
  rustcheck::RustCheckOptions options;
  options.work_dir = work.path();
  model::Diagnostics diagnostics;
  rustcheck::RustCheckSummary summary =
      rustcheck::check_rust_examples(document, options, diagnostics);

  CHECK(summary.examples == 18);
  CHECK(summary.ignored == 1);
  CHECK(summary.compile_fail == 7);
  CHECK(summary.built == 10);
  CHECK(summary.ran == 9);
  std::vector<std::string> expected = {
      "content/topics/t.yaml:20: error: Rust example output differs from its ```output block at "
      "line 2: got \"wrld\", expected \"world\"",
      "content/topics/t.yaml:30: error: Rust example does not compile: error[E0382]: borrow of "
      "moved value: `s`, at `println!(\"{s}\");`\n"
      "  hint: if the error is the point, mark the block ```rust,compile_fail,E0382",
      "content/topics/t.yaml:60: error: Rust example marked should_panic does not panic",
      "content/topics/t.yaml:80: error: Rust example marked compile_fail,E0308 compiles\n"
      "  hint: make it fail with the error it is meant to show, or drop compile_fail",
      "content/topics/t.yaml:90: error: Rust example marked compile_fail,E0499 fails with another "
      "error: error[E0382]: borrow of moved value: `s`, at `println!(\"{s}\");`",
      "content/topics/t.yaml:110: error: Rust example panics: index out of bounds: the len is 1 "
      "but the index is 1\n"
      "  hint: if the panic is the point, mark the block ```rust,should_panic",
      "content/topics/t.yaml:120: error: Rust example fails when run: exit status 3",
      "content/topics/t.yaml:130: error: Rust example marked compile_fail,E0432 fails for an "
      "unrelated reason: error[E0432]: unresolved import `axum`, at `use axum::Router;`\n"
      "  hint: crate `axum` is not available to examples; they can use tokio, serde, "
      "serde_json, clap, thiserror, anyhow, futures, rayon, crossbeam, hyper, reqwest, "
      "async_std, structopt, libc",
      "content/topics/t.yaml:170: error: Rust example marked compile_fail,E0505 fails with "
      "another error: error[E0382]: borrow of moved value: `s`, at `println!(\"{s}\");`",
      "content/topics/t.yaml:180: error: Rust example panics: boom\n"
      "  hint: if the panic is the point, mark the block ```rust,should_panic",
  };
  CHECK(formatted(diagnostics) == expected);

  SECTION("a second run reuses the build and reports the same") {
    model::Diagnostics again;
    rustcheck::check_rust_examples(document, options, again);
    CHECK(formatted(again) == expected);
  }
}

TEST_CASE("check_rust_examples stops a run example at the timeout", "[rustcheck]") {
  if (!have_toolchain()) {
    return;
  }
  model::Document document = document_with(
      {rust(5, "fn main() {\n    std::thread::sleep(std::time::Duration::from_secs(60));\n}\n",
            model::CodeCheck::run)});
  TempDir work;
  rustcheck::RustCheckOptions options;
  options.work_dir = work.path();
  options.run_timeout = std::chrono::milliseconds(1000);
  model::Diagnostics diagnostics;
  rustcheck::check_rust_examples(document, options, diagnostics);
  CHECK(formatted(diagnostics) ==
        std::vector<std::string>{
            "content/topics/t.yaml:5: error: Rust example did not finish within 1 s\n"
            "  hint: mark the block ```rust,no_run if it is not meant to end"});
}

TEST_CASE("check_rust_examples builds examples that use a packaged crate", "[rustcheck]") {
  if (!have_toolchain()) {
    return;
  }
  if (!fs::exists("/usr/share/cargo/registry/anyhow-1.0.69") &&
      !fs::exists("/usr/share/cargo/registry")) {
    test_support::missing_tool("Debian's Rust crates (.ci/rust-packages.txt)");
    return;
  }
  model::Document document = document_with({
      rust(5,
           "use anyhow::Context;\nfn main() -> anyhow::Result<()> {\n"
           "    let n: i32 = \"42\".parse().context(\"not a number\")?;\n"
           "    println!(\"{n}\");\n    Ok(())\n}\n",
           model::CodeCheck::run, "42\n"),
      // Fails only with anyhow linked: E0308, not "unlinked crate".
      compile_fail(15, "fn main() {\n    let r: anyhow::Result<()> = 5;\n}\n", "E0308"),
  });
  TempDir work;
  rustcheck::RustCheckOptions options;
  options.work_dir = work.path();
  model::Diagnostics diagnostics;
  rustcheck::check_rust_examples(document, options, diagnostics);
  CHECK(formatted(diagnostics) == std::vector<std::string>{});
}

TEST_CASE("check_rust_examples names the apt packages of missing crates", "[rustcheck]") {
  if (!have_toolchain()) {
    return;
  }
  model::Document document = document_with({
      rust(5, "#[tokio::main]\nasync fn main() {}\n", model::CodeCheck::run),
      compile_fail(9, "fn main() {\n    let v: serde_json::Value = 1;\n}\n", "E0308"),
  });
  TempDir work;
  TempDir empty_registry;
  rustcheck::RustCheckOptions options;
  options.work_dir = work.path();
  options.registry_dir = empty_registry.path();
  model::Diagnostics diagnostics;
  std::string message;
  try {
    rustcheck::check_rust_examples(document, options, diagnostics);
  } catch (const util::ToolError& error) {
    message = error.what();
  }
  CHECK(message == "failed to find crates tokio 1, serde_json 1 in " + empty_registry.path() +
                       ": install them with apt-get install librust-tokio-dev "
                       "librust-serde-json-dev (the full list is .ci/rust-packages.txt)");
}

TEST_CASE("check_rust_examples needs no toolchain when there is no Rust example", "[rustcheck]") {
  model::CodeBlock text;
  text.language = "text";
  text.where = {k_file, 3, 0};
  model::Document document = document_with({text});
  model::Diagnostics diagnostics;
  rustcheck::RustCheckOptions options;
  options.work_dir = "/nonexistent/prepkit";
  rustcheck::RustCheckSummary summary =
      rustcheck::check_rust_examples(document, options, diagnostics);
  CHECK(summary.examples == 0);
  CHECK(diagnostics.all().empty());
}

TEST_CASE("check_rust_examples without a toolchain is an environment error", "[rustcheck]") {
  auto saved = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  };
  std::optional<std::string> path = saved("PATH");
  std::optional<std::string> home = saved("HOME");
  std::optional<std::string> cargo_home = saved("CARGO_HOME");
  ::setenv("PATH", "/nonexistent", 1);
  ::setenv("HOME", "/nonexistent", 1);
  ::unsetenv("CARGO_HOME");
  model::Document document = document_with({rust(5, "fn main() {}\n", model::CodeCheck::run)});
  model::Diagnostics diagnostics;
  std::string message;
  try {
    rustcheck::check_rust_examples(document, {}, diagnostics);
  } catch (const util::ToolError& error) {
    message = error.what();
  }
  auto restore = [](const char* name, const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  };
  restore("PATH", path);
  restore("HOME", home);
  restore("CARGO_HOME", cargo_home);
  CHECK(message ==
        "failed to find a Rust toolchain: no rustc on PATH or in ~/.cargo/bin; install Rust "
        "1.85 or newer (rustc and cargo) with rustup, and the crates in .ci/rust-packages.txt "
        "with apt-get");
}

TEST_CASE("every Rust example in the default content compiles and behaves as annotated",
          "[rustcheck][content]") {
  if (!have_toolchain()) {
    return;
  }
  model::Diagnostics load_diagnostics;
  model::Document document =
      load::load_content(std::string(PREPKIT_SOURCE_DIR) + "/content", load_diagnostics);
  REQUIRE_FALSE(load_diagnostics.has_errors());
  rustcheck::RustCheckOptions options;  // the default work folder: a cache across runs
  options.verbose = true;
  model::Diagnostics diagnostics;
  rustcheck::RustCheckSummary summary =
      rustcheck::check_rust_examples(document, options, diagnostics);
  CHECK(summary.examples > 0);
  CHECK(formatted(diagnostics) == std::vector<std::string>{});
}

// One example per supported crate, built from Debian's packages and run. Slow the first time
// (every crate compiles), so hidden: run it with `prepkit_tests "[rustcheck-crates]"`.
TEST_CASE("every supported crate builds from Debian's packages", "[.][rustcheck-crates]") {
  if (!have_toolchain()) {
    return;
  }
  using model::CodeCheck;
  model::Document document = document_with({
      rust(1, R"rs(#[tokio::main]
async fn main() {
    let (tx, mut rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move { tx.send(21).await.unwrap() }).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    println!("{}", rx.recv().await.unwrap() * 2);
}
)rs",
           CodeCheck::run, "42"),
      rust(2, R"rs(fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    println!("{}", rt.block_on(async { tokio::task::spawn_blocking(|| 7).await.unwrap() }));
}
)rs",
           CodeCheck::run, "7"),
      rust(3, R"rs(use serde::{Deserialize, Serialize};
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Person { name: String, age: u8 }
fn main() {
    let p = Person { name: "Ann".into(), age: 30 };
    let text = serde_json::to_string(&p).unwrap();
    println!("{text}");
    assert_eq!(serde_json::from_str::<Person>(&text).unwrap(), p);
    println!("{}", serde_json::json!({"a": [1, 2]})["a"][1]);
}
)rs",
           CodeCheck::run, "{\"name\":\"Ann\",\"age\":30}\n2"),
      rust(4, R"rs(use clap::Parser;
#[derive(Parser, Debug)]
#[command(name = "demo")]
struct Args {
    #[arg(short, long, default_value_t = 1)]
    count: u8,
    name: String,
}
fn main() {
    let args = Args::parse_from(["demo", "--count", "3", "Ann"]);
    println!("{} {}", args.name, args.count);
}
)rs",
           CodeCheck::run, "Ann 3"),
      rust(5, R"rs(#[derive(thiserror::Error, Debug)]
enum AppError {
    #[error("bad input: {0}")]
    Bad(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
fn main() -> anyhow::Result<()> {
    println!("{}", AppError::Bad("x".into()));
    let e: anyhow::Error = AppError::Bad("y".into()).into();
    println!("{e:#}");
    Ok(())
}
)rs",
           CodeCheck::run, "bad input: x\nbad input: y"),
      rust(6, R"rs(use futures::{executor::block_on, join, stream, StreamExt};
fn main() {
    let sum = block_on(async {
        let (a, b) = join!(async { 1 }, async { 2 });
        stream::iter(vec![a, b, 3]).fold(0, |acc, x| async move { acc + x }).await
    });
    println!("{sum}");
}
)rs",
           CodeCheck::run, "6"),
      rust(7, R"rs(use rayon::prelude::*;
fn main() {
    let sum: i64 = (1..=100i64).into_par_iter().map(|x| x * 2).sum();
    println!("{sum}");
}
)rs",
           CodeCheck::run, "10100"),
      rust(8, R"rs(fn main() {
    let (tx, rx) = crossbeam::channel::unbounded();
    let data = vec![1, 2, 3];
    crossbeam::scope(|s| {
        s.spawn(|_| data.iter().for_each(|x| tx.send(*x).unwrap()));
    })
    .unwrap();
    drop(tx);
    println!("{}", rx.iter().sum::<i32>());
}
)rs",
           CodeCheck::run, "6"),
      rust(9, R"rs(use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Client, Request, Response, Server};
use std::convert::Infallible;
#[tokio::main]
async fn main() {
    let make = make_service_fn(|_| async {
        Ok::<_, Infallible>(service_fn(|_req: Request<Body>| async {
            Ok::<_, Infallible>(Response::new(Body::from("hi")))
        }))
    });
    let server = Server::bind(&([127, 0, 0, 1], 0).into()).serve(make);
    let addr = server.local_addr();
    tokio::spawn(server);
    let response = Client::new().get(format!("http://{addr}/").parse().unwrap()).await.unwrap();
    let bytes = hyper::body::to_bytes(response.into_body()).await.unwrap();
    println!("{}", String::from_utf8_lossy(&bytes));
}
)rs",
           CodeCheck::run, "hi"),
      rust(10, R"rs(use std::io::{Read, Write};
fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        let body = r#"{"answer":42}"#;
        write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", body.len(), body).unwrap();
    });
    let client = reqwest::blocking::Client::builder().no_proxy().build().unwrap();
    let value: serde_json::Value = client.get(format!("http://{addr}/")).send().unwrap().json().unwrap();
    println!("{}", value["answer"]);
}
)rs",
           CodeCheck::run, "42"),
      rust(11, R"rs(#[async_std::main]
async fn main() {
    let handle = async_std::task::spawn(async { 20 + 1 });
    println!("{}", handle.await * 2);
}
)rs",
           CodeCheck::run, "42"),
      rust(12, R"rs(use structopt::StructOpt;
#[derive(StructOpt, Debug)]
struct Opt {
    #[structopt(short, long)]
    verbose: bool,
    name: String,
}
fn main() {
    let opt = Opt::from_iter(vec!["x", "-v", "Ann"]);
    println!("{} {}", opt.name, opt.verbose);
}
)rs",
           CodeCheck::run, "Ann true"),
      rust(13, "fn main() {\n    println!(\"{}\", unsafe { libc::getpid() } > 0);\n}\n",
           CodeCheck::run, "true"),
      // The crates reach compile_fail examples too (--extern): a type error, not E0433.
      compile_fail(14,
                   "#[tokio::main]\nasync fn main() {\n    let x: u32 = tokio::spawn(async { 1u32 "
                   "});\n}\n",
                   "E0308"),
  });
  rustcheck::RustCheckOptions options;
  options.work_dir = rustcheck::default_work_dir() + "-crates";
  options.verbose = true;
  model::Diagnostics diagnostics;
  rustcheck::check_rust_examples(document, options, diagnostics);
  CHECK(formatted(diagnostics) == std::vector<std::string>{});
}
