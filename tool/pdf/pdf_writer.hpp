// Turns a display list (pdf::Pages) into PDF bytes. The only libharu user: it loads each
// TrueType face once, measures text with those very face objects, and draws every word at
// the position layout chose.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pdf/pages.hpp"
#include "pdf/text_measure.hpp"

namespace pdf {

class PdfWriter {
 public:
  // Starts a document and embeds every face of `fonts` (TrueType files, subset on save).
  // Throws util::ToolError when libharu cannot load a face.
  explicit PdfWriter(std::vector<FontFace> fonts);
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;
  ~PdfWriter();

  // Widths from the loaded faces, so what layout measures is what the pages show.
  [[nodiscard]] const TextMeasure& measure() const;

  // Draws `pages` as the next pages of the document, now: their content streams are made on
  // two cores, then handed to libharu in order. Only their links and destinations are kept
  // (placed when every page exists), so a caller can drop the pages once added. Their faces
  // are the constructor's fonts. Throws util::ToolError like write().
  void add_pages(std::span<const Page> pages);
  // How many pages a caller that streams its pages is best to add at a time.
  static constexpr std::size_t pages_per_batch = 32;
  // Completes the document of the pages added so far: links, named places, `outline`,
  // `labels`, `metadata`; returns the complete PDF. Nothing can be added afterwards.
  std::string finish(const std::vector<OutlineEntry>& outline, const std::vector<PageLabel>& labels,
                     const Metadata& metadata);

  // add_pages for every page of `pages`, then finish. `pages.fonts` must equal the
  // constructor's fonts. May be called once. Same input, same bytes: no clock time enters
  // the file. Throws util::ToolError on any libharu failure (with the step that failed).
  std::string write(const Pages& pages);
  // Same, releasing each page's drawing items once they are drawn (links, destinations and
  // the rest stay): a long booklet's display list then never coexists with libharu's copy.
  std::string write(Pages&& pages);

 private:
  struct State;
  std::unique_ptr<State> m_state;

  std::string write_pages(const Pages& pages, Pages* release_items);
};

// Convenience: a writer for `pages.fonts`, then write(pages).
std::string write_pdf(const Pages& pages);

}  // namespace pdf
