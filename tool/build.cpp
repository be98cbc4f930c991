#include "build.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <ostream>

#include "anki/deck.hpp"
#include "booklet/booklet.hpp"
#include "build_record.hpp"
#include "load/load_content.hpp"
#include "load/load_layout.hpp"
#include "model/diagnostics.hpp"
#include "pdf/font_locator.hpp"
#include "print/flashcards.hpp"
#include "print/impose.hpp"
#include "rustcheck/rust_examples.hpp"
#include "typeset/faces.hpp"
#include "typeset/typesetting.hpp"
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

void print_summary(std::ostream& out, const std::string& path, const std::string& summary,
                   std::size_t size, bool unchanged, double seconds) {
  out << path << ": " << summary << ", " << human_size(size) << (unchanged ? " (unchanged)" : "")
      << ", " << format_seconds(seconds) << "\n";
}

void print_timings(std::ostream& err, double total) {
  // Milliseconds: the stages of the default content take a few each. Stages run on two
  // cores, so their wall times add up to more than the total; CPU time is the work done.
  for (const util::StageTime& time : util::stage_times()) {
    char text[128];
    std::snprintf(text, sizeof text, "timing: %s %.1f ms (cpu %.1f ms)\n", time.stage.c_str(),
                  time.wall_seconds * 1000.0, time.cpu_seconds * 1000.0);
    err << text;
  }
  char text[96];
  std::snprintf(text, sizeof text, "timing: total %.1f ms (cpu %.1f ms)\n", total * 1000.0,
                util::process_cpu_seconds() * 1000.0);
  err << text;
}

// The font files the booklet embeds for `layout`, as fontconfig resolves them now.
std::vector<std::string> font_files(const model::Layout& layout) {
  pdf::FontLocator locator;
  return typeset::resolve_faces(layout.fonts, locator).files();
}

// When every input and output is as the last successful build into this output folder
// left them, shows that build's warnings and summary lines and returns true: nothing is
// rendered or written (a no-change rebuild of the default content takes ~20 ms, not ~0.7 s).
bool up_to_date(const Options& options, std::ostream& out, std::ostream& err,
                Clock::time_point start) {
  util::StageTimer timer("up-to-date-check");
  std::string error;
  std::optional<std::string> text = util::read_file(record_path(options.out_dir), error);
  std::optional<BuildRecord> record = text ? parse_record(*text) : std::nullopt;
  if (!record || !outputs_unchanged(*record)) {
    return false;
  }
  model::Diagnostics layout_diagnostics;
  model::Layout layout = load::load_layout(record->layout_file, layout_diagnostics);
  std::vector<std::string> fonts;
  try {
    fonts = font_files(layout);
  } catch (const util::ToolError&) {
    return false;  // the full build reports it
  }
  std::string lock_text = util::read_file(lock_path(options), error).value_or("");
  if (layout_diagnostics.has_errors() ||
      input_fingerprint(sources_fingerprint(options, layouts_dir(options)), record->layout_file,
                        fonts, lock_text) != record->fingerprint) {
    return false;
  }
  for (const std::string& warning : record->warnings) {
    err << warning << '\n';
  }
  if (!options.quiet) {
    for (const RecordedOutput& output : record->outputs) {
      print_summary(out, output.path, output.summary, output.size, true, seconds_since(start));
    }
  }
  return true;
}

int run_pipeline(const Options& options, std::ostream& out, std::ostream& err) {
  auto start = Clock::now();
  if (options.timings) {
    util::enable_stage_times();
  }
  if (options.command == Command::build && up_to_date(options, out, err, start)) {
    if (options.timings) {
      print_timings(err, seconds_since(start));
    }
    return exit_ok;
  }
  // The sources' fingerprint before loading, computed meanwhile on another core; it is
  // compared with the one after loading, so an edit during the build is never recorded as
  // built.
  std::future<std::string> sources_before;
  if (options.command == Command::build) {
    sources_before = std::async(std::launch::async, [&options] {
      util::StageTimer timer("record");
      return sources_fingerprint(options, layouts_dir(options));
    });
  }
  // When the layout is known before the content is loaded (named on the command line or in
  // book.yaml), its fonts are prepared meanwhile on another core.
  std::string early_layout_file;
  std::future<std::shared_ptr<typeset::Typesetting>> typesetting;
  if (options.command == Command::build) {  // (the booklet is laid out for every build)
    const std::string name =
        !options.layout.empty() ? options.layout : load::book_layout_name(options.content_dir);
    early_layout_file = load::layout_path(name.empty() ? "default" : name, layouts_dir(options));
    typesetting = std::async(std::launch::async, [early_layout_file] {
      util::StageTimer timer("layout");
      model::Diagnostics ignored;  // the main thread loads the layout again and reports
      const model::Layout early = load::load_layout(early_layout_file, ignored);
      return ignored.has_errors() ? nullptr : typeset::prepare_typesetting(early);
    });
  }
  model::Diagnostics diagnostics;
  model::Document document;
  model::Layout layout;
  std::string lock_text;
  anki::NoteTimes previous_lock;  // lock_text as check_deck parsed it, for the deck
  std::string layout_file;
  {
    util::StageTimer timer("load");  // the Markdown inside counts as "markup"
    document = load::load_content(options.content_dir, diagnostics);
    std::string layout_name = !options.layout.empty()         ? options.layout
                              : !document.book.layout.empty() ? document.book.layout
                                                              : "default";
    layout_file = load::layout_path(layout_name, layouts_dir(options));
    layout = load::load_layout(layout_file, diagnostics);
    std::string lock_error;
    lock_text = util::read_file(lock_path(options), lock_error).value_or("");
  }

  // The typesetting prepared meanwhile for this layout; its faces serve the font check too.
  // Should preparing have failed, the error is raised where the booklet needs it, as before.
  std::shared_ptr<typeset::Typesetting> prepared;
  std::exception_ptr preparing_failed;
  if (!diagnostics.has_errors()) {
    util::StageTimer timer("validate");
    // The deck is checked on another core meanwhile; its reports follow the fonts' ones.
    model::Diagnostics deck_diagnostics;
    std::future<void> deck_check = std::async(std::launch::async, [&] {
      util::StageTimer deck_timer("validate");
      previous_lock = anki::check_deck(document, lock_text, lock_path(options), deck_diagnostics);
    });
    if (typesetting.valid() && early_layout_file == layout_file) {
      try {
        prepared = typesetting.get();
      } catch (const util::ToolError&) {
        preparing_failed = std::current_exception();
      }
    }
    booklet::check_fonts(document, layout, diagnostics, prepared.get());
    deck_check.get();
    diagnostics.append(deck_diagnostics);
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
                 std::to_string(summary.ran) + " ran, " +
                 std::to_string(summary.built - summary.ran) + " built, " +
                 std::to_string(summary.compile_fail) + " failed to compile as expected, " +
                 std::to_string(summary.ignored) + " ignored)";
    }
    out << "ok: " << options.content_dir << ": " << topics << " topics, " << cards
        << " cards; layout " << layout.name << examples << "\n";
    return exit_ok;
  }

  // The sources' fingerprint again, now that everything is read, computed on another core
  // meanwhile: equal to the one before, it is the fingerprint of what this build read.
  std::future<std::string> sources_after = std::async(std::launch::async, [&options] {
    util::StageTimer timer("record");
    return sources_fingerprint(options, layouts_dir(options));
  });

  bool want_pdf = options.only.empty() || options.only.count("pdf") > 0;
  bool want_apkg = options.only.empty() || options.only.count("apkg") > 0;
  std::int64_t now = options.now.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());

  // The booklet is always laid out: the deck's cards name the pages they come from. Once
  // the page map exists, the deck is built on a second thread while the PDF is written
  // (the two share only read-only inputs). Each lets go of the document when it has drawn
  // what it needs, so it is freed before both save their bytes (the build's memory peak).
  auto shared_document = std::make_shared<const model::Document>(std::move(document));
  std::future<anki::DeckResult> deck_job;
  auto build_deck = [&layout, &previous_lock, now](std::shared_ptr<const model::Document> shared,
                                                   const model::PageMap& page_map) {
    util::StageTimer timer("deck-build");  // packing the .apkg inside counts as "zip"
    return anki::make_deck(std::move(shared), layout, page_map, std::move(previous_lock), now);
  };
  auto start_deck = [&](const model::PageMap& page_map) {
    if (want_apkg) {  // copies the map; hands the driver's share of the document over
      deck_job = std::async(std::launch::async, build_deck, std::move(shared_document), page_map);
    }
    shared_document.reset();
  };
  booklet::BookletResult booklet;
  // The print products are drawn after the booklet: the imposed booklet from its pages, the
  // flashcards from the document, which is then kept for them.
  const std::string slug = shared_document->book.slug;
  std::shared_ptr<const model::Document> for_flashcards;
  if (want_pdf && layout.products.flashcards) {
    for_flashcards = shared_document;
  }
  std::vector<std::string> fonts;  // the files of the booklet's faces, for the build record
  {
    util::StageTimer timer("layout");  // writing the PDF inside counts as "pdf-write"
    if (preparing_failed) {
      std::rethrow_exception(preparing_failed);
    }
    if (!prepared) {
      prepared = typeset::prepare_typesetting(layout);
    }
    fonts = prepared->faces.files();
    if (want_pdf) {
      typeset::FaceTable flashcard_faces;
      if (for_flashcards) {
        flashcard_faces = prepared->faces;
      }
      booklet = booklet::make_booklet(shared_document, layout, start_deck, std::move(prepared));
      util::StageTimer writing("pdf-write");
      if (layout.products.imposed) {
        booklet.files.push_back(print::imposed_file(slug, booklet.one_up, layout));
        booklet.one_up = {};
      }
      if (for_flashcards) {
        booklet.files.push_back(print::flashcards_file(*for_flashcards, layout, flashcard_faces));
        for_flashcards.reset();
      }
    } else {  // the deck alone: it needs the page map, not the pages
      booklet.page_map = booklet::page_map_only(*shared_document, layout, std::move(prepared));
    }
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
    deck = deck_job.valid() ? deck_job.get() : build_deck(shared_document, booklet.page_map);
    writes.push_back({options.out_dir + "/" + deck.apkg.name, deck.apkg.bytes});
    writes.push_back({lock_path(options), deck.lock_text});
  }

  util::WriteResult written;
  {
    util::StageTimer timer("write");
    written = util::write_atomically(writes);
  }
  std::vector<const util::OutputFile*> outputs;
  if (want_pdf) {
    for (const util::OutputFile& file : booklet.files) {
      outputs.push_back(&file);
    }
  }
  if (want_apkg) {
    outputs.push_back(&deck.apkg);
  }

  {
    // Remember this build, so that the next one can tell when there is nothing to do.
    util::StageTimer timer("record");
    BuildRecord record;
    record.layout_file = layout_file;
    std::string sources = sources_after.get();
    record.fingerprint =
        input_fingerprint(sources, layout_file, fonts, want_apkg ? deck.lock_text : lock_text);
    for (const util::OutputFile* file : outputs) {
      std::optional<RecordedOutput> output = stat_output(options.out_dir + "/" + file->name);
      if (output) {
        output->summary = file->summary;
        record.outputs.push_back(std::move(*output));
      }
    }
    for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
      record.warnings.push_back(model::format_diagnostic(diagnostic));  // no errors here
    }
    if (sources == sources_before.get() && record.outputs.size() == outputs.size()) {
      const std::string record_text = format_record(record);
      util::write_atomically({{record_path(options.out_dir), record_text}});
    }
  }

  double total = seconds_since(start);
  if (!options.quiet) {
    for (const util::OutputFile* file : outputs) {
      std::string path = options.out_dir + "/" + file->name;
      bool unchanged = std::find(written.unchanged.begin(), written.unchanged.end(), path) !=
                       written.unchanged.end();
      print_summary(out, path, file->summary, file->bytes.size(), unchanged, total);
    }
  }
  if (options.timings) {
    print_timings(err, total);
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
