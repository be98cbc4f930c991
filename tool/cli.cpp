#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "anki/note_times.hpp"
#include "load/map_reader.hpp"

namespace prepkit {
namespace {

namespace fs = std::filesystem;

// A pack folder holds content/ (book.yaml, topics/, images/), layouts/ and out/; a folder
// with book.yaml in it is taken as the content folder itself.
struct PackPaths {
  std::string content;
  std::string out;
};
PackPaths pack_paths(const std::string& pack) {
  const fs::path folder(pack);
  std::error_code ignored;
  if (!fs::exists(folder / "content", ignored) && fs::exists(folder / "book.yaml", ignored)) {
    const fs::path parent = folder.lexically_normal().parent_path();
    return {folder.string(), (parent / "out").string()};
  }
  return {(folder / "content").string(), (folder / "out").string()};
}

struct PackOptions {
  std::string pack;
  CLI::Option* content = nullptr;
  CLI::Option* out = nullptr;
};

void add_verbosity(CLI::App& command, Options& options) {
  command.add_flag("-q,--quiet", options.quiet, "Print nothing on success");
  command.add_flag("-v,--verbose", options.verbose, "Also print the folders or files used");
}

void add_pack(CLI::App& command, Options& options, PackOptions& pack) {
  command
      .add_option("PACK", pack.pack,
                  "Pack folder with content/ and layouts/ (default: the current folder)")
      ->type_name("DIR");
  pack.content = command
                     .add_option("--content", options.content_dir,
                                 "Content folder with book.yaml and topics/ (default: "
                                 "PACK/content)")
                     ->type_name("DIR");
  command
      .add_option("--layout", options.layout,
                  "Layout name (built in: default, a4, letter, greyscale, a5-booklet, "
                  "half-letter-booklet; or one in layouts/) or a layout file (default: the "
                  "book's layout, else default)")
      ->type_name("NAME|FILE");
  add_verbosity(command, options);
}

// The closest of `candidates` to `word` as a hint line, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  const std::string best = load::closest_match(word, views);
  return best.empty() ? "" : "  hint: did you mean '" + best + "'?\n";
}

// A mistyped command or option gets a did-you-mean, like cargo's.
std::optional<std::string> misspelling(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
  }
  if (argc < 2 || argv[1][0] == '-') {
    return std::nullopt;
  }
  const std::string command = argv[1];
  if (std::find(commands.begin(), commands.end(), command) == commands.end()) {
    return "error: unknown command '" + command + "'\n" + did_you_mean(command, commands) +
           "Run 'prepkit --help' for more information.\n";
  }
  const CLI::App* sub = app.get_subcommand(command);
  std::vector<std::string> names;
  for (const CLI::Option* option : sub->get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
    for (const std::string& name : option->get_snames()) {
      names.push_back("-" + name);
    }
  }
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' || (arg[1] != '-' && arg.size() > 2)) {
      continue;  // values, and short flags combined ("-qv")
    }
    arg = arg.substr(0, arg.find('='));
    if (std::find(names.begin(), names.end(), arg) == names.end()) {
      return "error: unknown option '" + arg + "' for '" + command + "'\n" +
             did_you_mean(arg, names) + "Run 'prepkit " + command +
             " --help' for more information.\n";
    }
  }
  return std::nullopt;
}

// Why `value` of `option` is not a usable path, or "".
std::string path_problem(const std::string& option, const std::string& value) {
  if (value.empty()) {
    return "error: " + option + " needs a path, not an empty string\n";
  }
  if (value.size() >= 4096) {  // PATH_MAX
    return "error: " + option + " is longer than 4095 bytes, the longest path Linux takes\n";
  }
  return "";
}

// The build time from `text` (--now or SOURCE_DATE_EPOCH), or a usage error in `problem`.
std::optional<std::int64_t> build_time(const std::string& source, const std::string& text,
                                       std::string& problem) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error == std::errc{} && stop == end && value >= anki::min_build_seconds &&
      value <= anki::max_build_seconds) {
    return value;
  }
  problem = "error: " + source + " must be a time in seconds since 1970 from " +
            std::to_string(anki::min_build_seconds) + " (1980-01-01) to " +
            std::to_string(anki::max_build_seconds) + " (9999-12-31), not '" + text + "'\n";
  return std::nullopt;
}

}  // namespace

ParsedOptions parse_options(int argc, const char* const* argv) {
  Options options;
  CLI::App app{"prepkit: turns a YAML study pack into a typeset PDF booklet and an Anki deck",
               "prepkit"};
  app.set_version_flag("--version", std::string("prepkit ") + PREPKIT_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 content or layout errors, 2 usage error, 3 environment error "
      "(I/O, missing font, library failure).");

  PackOptions pack;
  CLI::App* build = app.add_subcommand("build", "Generate the outputs into the output folder");
  add_pack(*build, options, pack);
  pack.out = build->add_option("--out", options.out_dir, "Output folder (default: PACK/out)")
                 ->type_name("DIR");
  std::vector<std::string> only;
  build->add_option("--only", only, "Only this output (repeatable)")
      ->type_name("pdf|apkg")
      ->check(CLI::IsMember({"pdf", "apkg"}).description(""));
  build->add_flag("--timings", options.timings, "Print the time each stage took");
  std::string now;
  CLI::Option* now_option =
      build
          ->add_option("--now", now,
                       "Build time in seconds since 1970 for changed Anki notes (default: "
                       "SOURCE_DATE_EPOCH, else the clock)")
          ->type_name("SECONDS");

  CLI::App* check = app.add_subcommand("check", "Load and validate everything; write nothing");
  PackOptions check_pack;
  add_pack(*check, options, check_pack);
  check->add_flag("--rust", options.rust,
                  "Also compile and run every Rust example with the machine's rustc/cargo");

  CLI::App* watch =
      app.add_subcommand("watch", "Build, then build again whenever a file of the pack is saved");
  PackOptions watch_pack;
  add_pack(*watch, options, watch_pack);
  watch_pack.out = watch->add_option("--out", options.out_dir, "Output folder (default: PACK/out)")
                       ->type_name("DIR");

  CLI::App* new_pack = app.add_subcommand("new", "Write a small starter pack into a new folder");
  new_pack->add_option("DIR", options.new_folder, "The folder to create")
      ->required()
      ->type_name("DIR");
  new_pack
      ->add_option("--lang", options.new_language,
                   "Language of the starter's code examples: c, cpp, go, java, javascript, "
                   "python, rust, sh, sql or typescript (default: python)")
      ->type_name("LANG");
  add_verbosity(*new_pack, options);

  CLI::App* schema = app.add_subcommand(
      "schema", "Print the JSON Schema of book.yaml, topic files or layout files");
  schema->add_option("KIND", options.schema_name, "The schema to print: book, topic or layout")
      ->type_name("book|topic|layout")
      ->check(CLI::IsMember({"book", "topic", "layout"}));
  CLI::Option* schema_out = schema
                                ->add_option("--out", options.schema_out,
                                             "Write book.json, topic.json and layout.json here")
                                ->type_name("DIR");
  add_verbosity(*schema, options);

  ParsedOptions parsed;
  if (std::optional<std::string> message = misspelling(app, argc, argv)) {
    parsed.exit_code = exit_usage;
    parsed.message = *message;
    return parsed;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    parsed.exit_code = app.exit(error, out, err);
    parsed.message = out.str() + err.str();
    if (parsed.exit_code != 0) {
      // As the messages of misspelling(): "error: …", then where help is.
      parsed.exit_code = exit_usage;
      const std::string help = argc > 1 && std::string(argv[1]).rfind('-', 0) != 0
                                   ? std::string("prepkit ") + argv[1] + " --help"
                                   : "prepkit --help";
      std::string what = error.what();  // CLI11's "A subcommand is required"; not "DIR is …"
      if (what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) != 0 &&
          std::isupper(static_cast<unsigned char>(what[1])) == 0) {
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
      }
      parsed.message = "error: " + what + "\nRun '" + help + "' for more information.\n";
    }
    return parsed;
  }
  if (options.quiet && options.verbose) {
    parsed.exit_code = exit_usage;
    parsed.message = "error: -q and -v cannot be used together\n";
    return parsed;
  }
  const PackOptions& given = build->parsed() ? pack : check->parsed() ? check_pack : watch_pack;
  // An empty path would name the file-system root ("" + "/book.yaml"): refuse it.
  std::vector<std::pair<std::string, std::string>> given_paths;
  if (new_pack->parsed()) {
    given_paths.emplace_back("DIR", options.new_folder);
  } else if (schema->parsed()) {
    if (schema_out->count() > 0) {
      given_paths.emplace_back("--out", options.schema_out);
    }
  } else {
    const CLI::App* command = build->parsed() ? build : check->parsed() ? check : watch;
    if (command->get_option("PACK")->count() > 0) {
      given_paths.emplace_back("PACK", given.pack);
    }
    if (given.content->count() > 0) {
      given_paths.emplace_back("--content", options.content_dir);
    }
    if (command->get_option("--layout")->count() > 0) {
      given_paths.emplace_back("--layout", options.layout);
    }
    if (given.out != nullptr && given.out->count() > 0) {
      given_paths.emplace_back("--out", options.out_dir);
    }
  }
  for (const auto& [option, value] : given_paths) {
    if (std::string problem = path_problem(option, value); !problem.empty()) {
      parsed.exit_code = exit_usage;
      parsed.message = problem;
      return parsed;
    }
  }
  options.command = build->parsed()      ? Command::build
                    : check->parsed()    ? Command::check
                    : watch->parsed()    ? Command::watch
                    : new_pack->parsed() ? Command::new_pack
                                         : Command::schema;
  if (!given.pack.empty()) {  // the folders default to the pack's, unless given
    const PackPaths paths = pack_paths(given.pack);
    if (given.content->count() == 0) {
      options.content_dir = paths.content;
    }
    if (given.out == nullptr || given.out->count() == 0) {
      options.out_dir = paths.out;
    }
  }
  options.only.insert(only.begin(), only.end());
  std::string problem;
  if (now_option->count() > 0) {
    options.now = build_time("--now", now, problem);
  } else if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
             (build->parsed() || watch->parsed()) && epoch != nullptr && *epoch != '\0') {
    options.now = build_time("SOURCE_DATE_EPOCH", epoch, problem);
  }
  if (!problem.empty()) {
    parsed.exit_code = exit_usage;
    parsed.message = problem;
    return parsed;
  }
  parsed.options = options;
  return parsed;
}

}  // namespace prepkit
