// Pair kerning read from real fonts with HarfBuzz: measured and drawn alike.
#include <catch2/catch.hpp>

#include "pdf/font_locator.hpp"
#include "pdf/kerning.hpp"
#include "pdf/pdf_writer.hpp"

namespace {

struct Faces {
  std::vector<pdf::FontFace> fonts;
  Faces() {
    pdf::FontLocator locator;
    for (const model::FontSpec& spec : {model::FontSpec{"DejaVu Sans", "Bold", ""},
                                        model::FontSpec{"JetBrains Mono", "Regular", ""}}) {
      const pdf::ResolvedFont& font = locator.locate(spec);
      fonts.push_back({font.file, font.label()});
    }
  }
};

}  // namespace

TEST_CASE("kerned pairs come from the font; a monospaced face is never kerned", "[pdf]") {
  const Faces faces;
  const pdf::Kerning kerning(faces.fonts);
  CHECK(kerning.pair(0, 'T', 'r') < 0);  // "Traits": the r tucks under the T
  CHECK(kerning.pair(0, 'A', 'V') < 0);
  CHECK(kerning.pair(0, 'o', 'o') == 0);
  CHECK(kerning.pair(1, 'T', 'r') == 0);
  CHECK(kerning.pair(0, 'T', U'\u4E00') == 0);  // outside the kerned characters
}

TEST_CASE("the kerned measure is what apply_kerning draws", "[pdf]") {
  const Faces faces;
  const pdf::Kerning kerning(faces.fonts);
  const pdf::PdfWriter writer(faces.fonts);
  const pdf::KernedMeasure measure(writer.measure(), kerning);
  const double size = 20;
  const double plain = writer.measure().width(0, "Traits", size);
  const double kerned = measure.width(0, "Traits", size);
  CHECK(kerned == Approx(plain + kerning.pair(0, 'T', 'r') * size / 1000.0));
  CHECK(kerned < plain);

  pdf::Page page;
  pdf::TextRun run;
  run.x = 100;
  run.y = 50;
  run.size = size;
  run.text = "Traits";
  page.items.emplace_back(run);
  run.face = 1;  // code: left whole
  page.items.emplace_back(run);
  pdf::apply_kerning(page, measure);
  REQUIRE(page.items.size() == 3);
  const auto& first = std::get<pdf::TextRun>(page.items[0]);
  const auto& second = std::get<pdf::TextRun>(page.items[1]);
  CHECK(first.text == "T");
  CHECK(second.text == "raits");
  CHECK(second.x ==
        Approx(100 + measure.width(0, "T", size) + kerning.pair(0, 'T', 'r') * size / 1000.0));
  // The drawn parts end where the measure says the whole ends.
  CHECK(second.x + writer.measure().width(0, "raits", size) == Approx(100 + kerned));
  CHECK(std::get<pdf::TextRun>(page.items[2]).text == "Traits");
}

TEST_CASE("a plus beside a letter or a plus loses its side bearings: C++, not C + +", "[pdf]") {
  pdf::FontLocator locator;
  const pdf::ResolvedFont& font = locator.locate(model::FontSpec{"Charis SIL", "Regular", ""});
  const pdf::Kerning kerning({pdf::FontFace{font.file, font.label()}});
  // Charis SIL's plus is a full em wide with a fifth of an em on each side.
  CHECK(kerning.pair(0, 'C', '+') < -150);
  CHECK(kerning.pair(0, '+', '+') < -300);
  CHECK(kerning.pair(0, '+', 'C') == 0);  // "+C" is rare; a space after the plus is glue
  CHECK(kerning.pair(0, ' ', '+') == 0);  // "a + b" keeps its spacing
}
