#include "build.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include "anki/deck.hpp"
#include "booklet/booklet.hpp"
#include "load/load_content.hpp"
#include "load/load_layout.hpp"
#include "model/diagnostics.hpp"
#include "rustcheck/rust_examples.hpp"
#include "util/atomic_write.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/stage_timer.hpp"

namespace prepkit {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string human_size(std::size_t bytes) {
  char text[32];
  if (bytes >= 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  } else {
    std::snprintf(text, sizeof text, "%.0f KB", std::ceil(static_cast<double>(bytes) / 1024.0));
  }
  return text;
}

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", seconds);
  return text;
}

// Layouts named without a path live in layouts/ beside the content folder.
std::string layouts_dir(const Options& options) {
  std::filesystem::path content(options.content_dir);
  return (content.lexically_normal().parent_path() / "layouts").string();
}

std::string lock_path(const Options& options) {
  return options.content_dir + "/anki.lock";
}

bool report(const model::Diagnostics& diagnostics, std::ostream& err) {
  std::size_t errors = 0;
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    err << model::format_diagnostic(diagnostic) << '\n';
    errors += diagnostic.severity == model::Severity::error ? 1 : 0;
  }
  if (errors > 0) {
    err << errors << (errors == 1 ? " error" : " errors") << "; nothing was written\n";
  }
  return errors > 0;
}

int run_pipeline(const Options& options, std::ostream& out, std::ostream& err) {
  auto start = Clock::now();
  if (options.timings) {
    util::enable_stage_times();
  }
  model::Diagnostics diagnostics;
  model::Document document;
  model::Layout layout;
  std::string lock_text;
  {
    util::StageTimer timer("load");  // the Markdown inside counts as "markup"
    document = load::load_content(options.content_dir, diagnostics);
    std::string layout_name = !options.layout.empty()         ? options.layout
                              : !document.book.layout.empty() ? document.book.layout
                                                              : "default";
    layout = load::load_layout(load::layout_path(layout_name, layouts_dir(options)), diagnostics);
    std::string lock_error;
    lock_text = util::read_file(lock_path(options), lock_error).value_or("");
  }

  if (!diagnostics.has_errors()) {
    util::StageTimer timer("validate");
    booklet::check_fonts(document, layout, diagnostics);
    anki::check_deck(document, lock_text, lock_path(options), diagnostics);
  }
  if (report(diagnostics, err)) {
    return exit_content_error;
  }

  if (options.command == Command::check) {
    std::size_t topics = 0;
    std::size_t cards = 0;
    for (const model::Area& area : document.areas) {
      topics += area.topics.size();
      for (const model::Topic& topic : area.topics) {
        cards += topic.cards.size();
      }
    }
    std::string examples;
    if (options.rust) {
      rustcheck::RustCheckOptions rust_options;
      rustcheck::RustCheckSummary summary =
          rustcheck::check_rust_examples(document, rust_options, diagnostics);
      if (report(diagnostics, err)) {
        return exit_content_error;
      }
      examples = "; " + std::to_string(summary.examples) + " Rust examples (" +
                 std::to_string(summary.ran) + " ran, " + std::to_string(summary.built - summary.ran) +
                 " built, " + std::to_string(summary.compile_fail) + " failed to compile as expected, " +
                 std::to_string(summary.ignored) + " ignored)";
    }
    out << "ok: " << options.content_dir << ": " << topics << " topics, " << cards
        << " cards; layout " << layout.name << examples << "\n";
    return exit_ok;
  }

  bool want_pdf = options.only.empty() || options.only.count("pdf") > 0;
  bool want_apkg = options.only.empty() || options.only.count("apkg") > 0;
  std::int64_t now = options.now.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());

  // The booklet is always laid out: the deck's cards name the pages they come from.
  booklet::BookletResult booklet;
  {
    util::StageTimer timer("layout");  // writing the PDF inside counts as "pdf-write"
    booklet = booklet::make_booklet(document, layout);
  }
  std::vector<util::PlannedWrite> writes;
  std::vector<std::pair<std::string, const util::OutputFile*>> summaries;
  if (want_pdf) {
    for (const util::OutputFile& file : booklet.files) {
      writes.push_back({options.out_dir + "/" + file.name, file.bytes});
    }
  }
  anki::DeckResult deck;
  if (want_apkg) {
    {
      util::StageTimer timer("deck-build");  // packing the .apkg inside counts as "zip"
      deck = anki::make_deck(document, layout, booklet.page_map, lock_text, now);
    }
    writes.push_back({options.out_dir + "/" + deck.apkg.name, deck.apkg.bytes});
    writes.push_back({lock_path(options), deck.lock_text});
  }

  util::WriteResult written;
  {
    util::StageTimer timer("write");
    written = util::write_atomically(writes);
  }
  double total = seconds_since(start);
  if (!options.quiet) {
    auto summary = [&](const util::OutputFile& file) {
      std::string path = options.out_dir + "/" + file.name;
      bool unchanged = std::find(written.unchanged.begin(), written.unchanged.end(), path) !=
                       written.unchanged.end();
      out << path << ": " << file.summary << ", " << human_size(file.bytes.size())
          << (unchanged ? " (unchanged)" : "") << ", " << format_seconds(total) << "\n";
    };
    if (want_pdf) {
      for (const util::OutputFile& file : booklet.files) {
        summary(file);
      }
    }
    if (want_apkg) {
      summary(deck.apkg);
    }
  }
  if (options.timings) {
    // Milliseconds: the stages of the default content take a few each.
    auto line = [&err](const std::string& name, double seconds) {
      char text[64];
      std::snprintf(text, sizeof text, "timing: %s %.1f ms\n", name.c_str(), seconds * 1000.0);
      err << text;
    };
    for (const auto& [name, seconds] : util::stage_times()) {
      line(name, seconds);
    }
    line("total", total);
  }
  return exit_ok;
}

}  // namespace

int run(const Options& options, std::ostream& out, std::ostream& err) {
  try {
    return run_pipeline(options, out, err);
  } catch (const util::ToolError& error) {
    err << "error: " << error.what() << "\n";
    return exit_environment;
  }
}

}  // namespace prepkit
