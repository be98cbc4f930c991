// Fuzzes text::parse_markdown (cmark, the cloze pre-pass, code-fence annotations, rustdoc
// rules). The first byte chooses card-cloze mode. Checks that the private-use sentinels
// that mark deletions never leak into the model, and that cloze numbers are positive.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.hpp"
#include "model/diagnostics.hpp"
#include "model/walk.hpp"
#include "text/markdown.hpp"

namespace {

bool has_sentinel(const std::string& text) {
  return text.find("\xEE\x80\x80") != std::string::npos ||
         text.find("\xEE\x80\x81") != std::string::npos ||
         text.find("\xEE\x80\x82") != std::string::npos;
}

}  // namespace

PREPKIT_FUZZ_TARGET(fuzz_markdown) {
  if (size == 0) {
    return 0;
  }
  const bool cloze = (data[0] & 1U) != 0;
  std::string_view markdown(reinterpret_cast<const char*>(data) + 1, size - 1);
  model::Diagnostics diagnostics;
  text::MarkdownOptions options;
  options.origin = {"fuzz.yaml", 3, 7};
  options.cloze = cloze;
  model::Body body = text::parse_markdown(markdown, options, diagnostics);

  // Once the text is accepted (no errors), the private-use sentinels that mark deletions
  // must be gone from everything a renderer sees. (Outside cloze cards, and when the user
  // typed these characters, they are the user's own.)
  const bool check_sentinels =
      cloze && !diagnostics.has_errors() && !has_sentinel(std::string(markdown));
  model::for_each_block(body, [&](const model::Block& block) {
    fuzz::require(block.where.file == "fuzz.yaml", "a block lost its file name");
    if (const auto* paragraph = std::get_if<model::Paragraph>(&block.node)) {
      for (const model::Inline& run : paragraph->inlines) {
        if (check_sentinels) {
          fuzz::require(!has_sentinel(run.text), "a cloze sentinel leaked into the text");
          fuzz::require(!has_sentinel(run.cloze_hint), "a cloze sentinel leaked into a hint");
          fuzz::require(!has_sentinel(run.link), "a cloze sentinel leaked into a link");
        }
        fuzz::require(run.cloze >= 0, "negative cloze number");
        fuzz::require(cloze || run.cloze == 0, "a cloze outside cloze text");
      }
    } else if (const auto* image = std::get_if<model::Image>(&block.node)) {
      if (check_sentinels) {
        fuzz::require(!has_sentinel(image->path) && !has_sentinel(image->alt),
                      "a cloze sentinel leaked into an image");
      }
    } else if (const auto* output = std::get_if<model::OutputBlock>(&block.node)) {
      for (const std::string& line : output->lines) {
        fuzz::require(!check_sentinels || !has_sentinel(line),
                      "a cloze sentinel leaked into output");
      }
    } else if (const auto* code = std::get_if<model::CodeBlock>(&block.node)) {
      if (check_sentinels) {
        fuzz::require(!has_sentinel(code->source), "a cloze sentinel leaked into code");
      }
    }
  });
  for (const model::Diagnostic& diagnostic : diagnostics.all()) {
    fuzz::require(!diagnostic.message.empty(), "an empty diagnostic");
    (void)model::format_diagnostic(diagnostic);
  }
  return 0;
}
