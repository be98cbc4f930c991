#include "build.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>

#include "anki/deck.hpp"
#include "anki/note_times.hpp"
#include "booklet/booklet.hpp"
#include "booklet/code_reformat.hpp"
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
#include "util/parallel_map.hpp"
#include "util/stage_timer.hpp"
#include "util/visible_text.hpp"

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

// A lock holds about 100 bytes per note: 32 MB is room for 300,000 notes.
constexpr util::InputLimit lock_input{"the Anki lock", 32 * util::mebibyte};

// The lock's text, "" when there is none yet. A lock that is there but cannot be read (a
// FIFO, a device, too large) is an error: building would replace it with a new one and
// give every note a new identity.
std::string read_lock(const Options& options, model::Diagnostics* diagnostics) {
  const std::string path = lock_path(options);
  std::string error;
  std::optional<std::string> text = util::read_file(path, error, lock_input);
  std::error_code code;
  if (!text && diagnostics != nullptr &&
      std::filesystem::symlink_status(path, code).type() != std::filesystem::file_type::not_found) {
    diagnostics->error({path, 0, 0}, "cannot read the lock: " + error);
  }
  return text.value_or("");
}

// A diagnostic as the terminal shows it: it quotes content, whose control characters must
// not reach the terminal.
std::string printable(const model::Diagnostic& diagnostic) {
  model::Diagnostic shown = diagnostic;
  shown.where.file = util::visible_text(diagnostic.where.file, false);
  shown.message = util::visible_text(diagnostic.message);
  shown.hint = util::visible_text(diagnostic.hint);
  return model::format_diagnostic(shown);
}

bool report(const model::Diagnostics& diagnostics, std::ostream& err) {
  std::size_t errors = 0;
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    err << printable(diagnostic) << '\n';
    errors += diagnostic.severity == model::Severity::error ? 1 : 0;
  }
  if (errors > 0) {
    err << errors << (errors == 1 ? " error" : " errors") << "; nothing was written\n";
  }
  return errors > 0;
}

void print_summary(std::ostream& out, const std::string& path, const std::string& summary,
                   std::size_t size, bool unchanged, double seconds) {
  out << util::visible_text(path, false) << ": " << summary << ", " << human_size(size)
      << (unchanged ? " (unchanged)" : "") << ", " << format_seconds(seconds) << "\n";
}

void print_timings(std::ostream& err, const util::StageTimes& times, double total) {
  // Milliseconds: the stages of the default content take a few each. Stages run on two
  // cores, so their wall times add up to more than the total; CPU time is the work done.
  for (const util::StageTime& time : times.list()) {
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
// rendered or written.
bool up_to_date(const Options& options, std::ostream& out, std::ostream& err,
                Clock::time_point start, util::StageTimes* times) {
  util::StageTimer timer(times, "up-to-date-check");
  std::string error;
  std::optional<std::string> text =
      util::read_file(record_path(options.out_dir), error, {"a build record", 16 * util::mebibyte});
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
  std::string lock_text = read_lock(options, nullptr);  // the full build reports errors
  // Wide code was reformatted: installing, removing or updating rustfmt changes the booklet.
  const std::string code_formatter =
      record->code_formatter.empty() ? "" : booklet::code_formatter_now(record->code_formatter);
  if (layout_diagnostics.has_errors() ||
      input_fingerprint(sources_fingerprint(options, layouts_dir(options)), record->layout_file,
                        fonts, lock_text, code_formatter) != record->fingerprint) {
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

// Everything a build reads, read once.
struct Inputs {
  model::Document document;
  std::string layout_file;
  model::Layout layout;
  std::string lock_text;
  std::string sources;  // fingerprint of the content and layouts, taken before reading them
  // The layout's faces and PDF writer, prepared while the content loads; empty when that
  // failed: preparing again where they are needed reports why.
  std::optional<typeset::Typesetting> typesetting;
};

// What a build makes, in the order the summaries list it.
struct Products {
  std::vector<util::OutputFile> files;
  std::optional<std::string> lock_text;  // the deck's new lock, when a deck was made
  std::vector<std::string> fonts;        // the font files the PDF embeds, for the build record
  std::string sources;                   // the sources' fingerprint again, taken while rendering
  std::string code_formatter;            // the rustfmt the booklet needed, "" when none
};

Inputs load_inputs(const Options& options, model::Diagnostics& diagnostics,
                   util::StageTimes* times) {
  util::StageTimer timer(times, "load");
  Inputs in;
  const std::string name =
      !options.layout.empty() ? options.layout : load::book_layout_name(options.content_dir);
  in.layout_file = load::layout_path(name.empty() ? "default" : name, layouts_dir(options));
  in.layout = load::load_layout(in.layout_file, diagnostics);
  const bool building = options.command == Command::build;
  const bool layout_usable = !diagnostics.has_errors();
  util::run_all({[&] {
                   if (building && layout_usable) {
                     util::StageTimer fonts_timer(times, "fonts");
                     try {
                       in.typesetting = typeset::prepare_typesetting(in.layout);
                     } catch (const util::ToolError&) {
                       // left empty: preparing again where it is needed reports why
                     }
                   }
                 },
                 [&] {
                   if (building) {
                     util::StageTimer fingerprint_timer(times, "record");
                     in.sources = sources_fingerprint(options, layouts_dir(options));
                   }
                   in.document = load::load_content(options.content_dir, diagnostics);
                 }});
  in.lock_text = read_lock(options, &diagnostics);
  return in;
}

void validate(const Inputs& in, const Options& options, model::Diagnostics& diagnostics,
              util::StageTimes* times) {
  util::StageTimer timer(times, "validate");
  model::Diagnostics deck_diagnostics;
  util::run_all(
      {[&] {
         const typeset::Typesetting* prepared = in.typesetting ? &*in.typesetting : nullptr;
         booklet::check_fonts(in.document, in.layout, diagnostics, prepared);
       },
       [&] { anki::check_deck(in.document, in.lock_text, lock_path(options), deck_diagnostics); }});
  diagnostics.append(deck_diagnostics);  // the deck's reports follow the fonts' ones
}

// `prepkit check`: what was checked, and the Rust examples when asked.
int check_summary(const Inputs& in, const Options& options, model::Diagnostics& diagnostics,
                  std::ostream& out, std::ostream& err) {
  std::size_t topics = 0;
  std::size_t cards = 0;
  for (const model::Area& area : in.document.areas) {
    topics += area.topics.size();
    for (const model::Topic& topic : area.topics) {
      cards += topic.cards.size();
    }
  }
  std::string examples;
  if (options.rust) {
    const rustcheck::RustCheckSummary summary =
        rustcheck::check_rust_examples(in.document, rustcheck::RustCheckOptions{}, diagnostics);
    if (report(diagnostics, err)) {
      return exit_content_error;
    }
    examples = "; " + std::to_string(summary.examples) + " Rust examples (" +
               std::to_string(summary.ran) + " ran, " +
               std::to_string(summary.built - summary.ran) + " built, " +
               std::to_string(summary.compile_fail) + " failed to compile as expected, " +
               std::to_string(summary.ignored) + " ignored)";
  }
  if (!options.quiet) {
    out << "ok: " << util::visible_text(options.content_dir, false) << ": " << topics
        << (topics == 1 ? " topic, " : " topics, ") << cards << (cards == 1 ? " card" : " cards")
        << "; layout " << util::visible_text(in.layout.name, false) << examples << "\n";
  }
  return exit_ok;
}

// Whether the build makes `kind` ("pdf" or "apkg"): all of them unless --only names some.
bool wants(const Options& options, const std::string& kind) {
  return options.only.empty() || options.only.count(kind) > 0;
}

// The time that enters the deck: --now, SOURCE_DATE_EPOCH (read into --now) or the clock.
std::int64_t build_time(const Options& options) {
  const std::int64_t now =
      options.now.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count());
  if (wants(options, "apkg") && (now < anki::min_build_seconds || now > anki::max_build_seconds)) {
    throw util::ToolError("the clock says " + std::to_string(now) +
                          " seconds since 1970, outside 1980-01-01 to 9999-12-31; set the "
                          "clock, or give the time with --now or SOURCE_DATE_EPOCH");
  }
  return now;
}

// The booklet laid out on both cores and drawn into its PDF writer, not yet saved (nothing
// when only the deck is asked for), and the deck, which needs no layout, made beside it: it
// is done before the PDF is saved, whose memory it would otherwise add to.
struct LaidOut {
  std::optional<typeset::Typesetting> typesetting;
  std::optional<booklet::LaidBooklet> booklet;
  std::optional<anki::DeckResult> deck;
};

LaidOut lay_out(Inputs& in, const Options& options, std::int64_t now, util::StageTimes* times) {
  LaidOut laid;
  util::run_all({[&] {
                   if (wants(options, "pdf")) {
                     util::StageTimer timer(times, "layout");
                     laid.typesetting = in.typesetting ? std::move(in.typesetting)
                                                       : typeset::prepare_typesetting(in.layout);
                     laid.booklet =
                         booklet::lay_out_booklet(in.document, in.layout, *laid.typesetting);
                   }
                 },
                 [&] {
                   if (wants(options, "apkg")) {
                     util::StageTimer timer(times, "deck");
                     laid.deck = anki::make_deck(in.document, in.layout, in.lock_text, now);
                   }
                 }});
  return laid;
}

// The outputs, each a task of its own, on two cores: the booklet's PDF (libharu saves it on
// one core) beside the print products. The deck, made during the layout, comes last.
Products render(const Inputs& in, LaidOut& laid_out, const Options& options,
                util::StageTimes* times) {
  Products products;
  const std::optional<booklet::LaidBooklet>& laid = laid_out.booklet;
  typeset::Typesetting* typesetting = laid_out.typesetting ? &*laid_out.typesetting : nullptr;
  if (laid) {
    products.fonts = typesetting->faces.files();
    products.code_formatter = laid->code_formatter;
  }
  std::vector<util::OutputFile> booklet_files;
  std::optional<util::OutputFile> imposed;
  std::optional<util::OutputFile> flashcards;
  std::vector<std::function<void()>> tasks;
  if (laid) {
    tasks.emplace_back([&] {
      util::StageTimer timer(times, "pdf");
      booklet_files = booklet::save_booklet(in.document, in.layout, *laid, *typesetting);
    });
  }
  if (laid && in.layout.products.imposed) {
    tasks.emplace_back([&] {
      util::StageTimer timer(times, "print");
      imposed = print::imposed_file(in.document.book.slug, laid->one_up, in.layout);
    });
  }
  if (laid && in.layout.products.flashcards) {
    tasks.emplace_back([&] {
      util::StageTimer timer(times, "print");
      flashcards = print::flashcards_file(in.document, in.layout, typesetting->faces);
    });
  }
  tasks.emplace_back([&] {
    util::StageTimer timer(times, "record");
    products.sources = sources_fingerprint(options, layouts_dir(options));
  });
  util::run_all(tasks);
  products.files = std::move(booklet_files);
  for (std::optional<util::OutputFile>* file : {&imposed, &flashcards}) {
    if (*file) {
      products.files.push_back(std::move(**file));
    }
  }
  if (laid_out.deck) {
    products.files.push_back(std::move(laid_out.deck->apkg));
    products.lock_text = std::move(laid_out.deck->lock_text);
  }
  return products;
}

// Writes the files and the lock; returns the paths whose bytes were already there. All are
// written to temporaries first, then renamed: the deck (last of products.files) before the
// lock, which names the deck's GUIDs, so that no reader sees a lock ahead of its deck.
std::vector<std::string> write_outputs(const Products& products, const Options& options,
                                       util::StageTimes* times) {
  util::StageTimer timer(times, "write");
  std::vector<util::PlannedWrite> writes;
  for (const util::OutputFile& file : products.files) {
    writes.push_back({options.out_dir + "/" + file.name, file.bytes});
  }
  if (products.lock_text) {
    writes.push_back({lock_path(options), *products.lock_text});
  }
  return util::write_atomically(writes).unchanged;
}

// Removes the temporaries and backups of a build that was killed while writing.
void remove_killed_build_leftovers(const Options& options) {
  util::remove_leftovers(options.out_dir);
  util::remove_leftovers(options.content_dir);  // the lock's folder
}

// Remembers this build, so that the next one can tell when there is nothing to do; not
// when a source changed while it ran.
void record_build(const Products& products, const Inputs& in, const Options& options,
                  const model::Diagnostics& diagnostics, util::StageTimes* times) {
  util::StageTimer timer(times, "record");
  BuildRecord record;
  record.layout_file = in.layout_file;
  record.code_formatter = products.code_formatter;
  record.fingerprint =
      input_fingerprint(products.sources, in.layout_file, products.fonts,
                        products.lock_text.value_or(in.lock_text), products.code_formatter);
  for (const util::OutputFile& file : products.files) {
    std::optional<RecordedOutput> output = stat_output(options.out_dir + "/" + file.name);
    if (output) {
      output->summary = file.summary;
      record.outputs.push_back(std::move(*output));
    }
  }
  for (const model::Diagnostic& diagnostic : diagnostics.sorted()) {
    record.warnings.push_back(printable(diagnostic));  // no errors here
  }
  if (products.sources == in.sources && record.outputs.size() == products.files.size()) {
    util::write_atomically({{record_path(options.out_dir), format_record(record)}});
  }
}

int run_pipeline(const Options& options, std::ostream& out, std::ostream& err) {
  const auto start = Clock::now();
  util::StageTimes stage_times;
  util::StageTimes* times = options.timings ? &stage_times : nullptr;
  const auto finish = [&](int code) {
    if (options.timings) {
      print_timings(err, stage_times, seconds_since(start));
    }
    return code;
  };
  if (options.command == Command::build) {
    remove_killed_build_leftovers(options);
  }
  if (options.command == Command::build && up_to_date(options, out, err, start, times)) {
    return finish(exit_ok);
  }
  model::Diagnostics diagnostics;
  Inputs in = load_inputs(options, diagnostics, times);
  if (!diagnostics.has_errors()) {
    validate(in, options, diagnostics, times);
  }
  if (report(diagnostics, err)) {
    return exit_content_error;
  }
  if (options.command == Command::check) {
    return check_summary(in, options, diagnostics, out, err);
  }
  const std::int64_t now = build_time(options);
  LaidOut laid = lay_out(in, options, now, times);
  const Products products = render(in, laid, options, times);
  const std::vector<std::string> unchanged = write_outputs(products, options, times);
  record_build(products, in, options, diagnostics, times);
  if (!options.quiet) {
    const double total = seconds_since(start);
    for (const util::OutputFile& file : products.files) {
      const std::string path = options.out_dir + "/" + file.name;
      const bool same = std::find(unchanged.begin(), unchanged.end(), path) != unchanged.end();
      print_summary(out, path, file.summary, file.bytes.size(), same, total);
    }
  }
  return finish(exit_ok);
}

}  // namespace

int run(const Options& options, std::ostream& out, std::ostream& err) {
  try {
    return run_pipeline(options, out, err);
  } catch (const util::ToolError& error) {
    err << "error: " << util::visible_text(error.what()) << "\n";
    return exit_environment;
  }
}

}  // namespace prepkit
