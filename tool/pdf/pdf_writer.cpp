#include "pdf/pdf_writer.hpp"

// libharu through the functions it exports and declares in its installed headers only:
// hpdf.h's documented API, plus its object functions (HPDF_Dict_*, HPDF_Array_*) on objects
// it hands out. No libharu struct field is read or written (tests/libharu_public_api.sh).
#include <hpdf.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <variant>

#include "pdf/content_stream.hpp"
#include "util/deflate.hpp"
#include "util/error.hpp"
#include "util/parallel_map.hpp"
#include "util/utf8.hpp"

namespace pdf {
namespace {

// What libharu's error handler saw; libharu keeps going after an error but every later
// call fails, so the writer checks this after each step.
struct ErrorRecord {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void record_error(HPDF_STATUS code, HPDF_STATUS detail, void* user_data) {
  auto* record = static_cast<ErrorRecord*>(user_data);
  if (record->code == HPDF_OK) {
    record->code = code;
    record->detail = detail;
  }
}

// libharu 2.4.5 renamed HPDF_FAILD_TO_ALLOC_MEM; 2.4.6 has both names, 2.3.0 the old one.
#ifdef HPDF_FAILED_TO_ALLOC_MEM
constexpr HPDF_STATUS out_of_memory = HPDF_FAILED_TO_ALLOC_MEM;
#else
constexpr HPDF_STATUS out_of_memory = HPDF_FAILD_TO_ALLOC_MEM;
#endif

std::string describe(HPDF_STATUS code) {
  static const std::map<HPDF_STATUS, const char*> names = {
      {HPDF_FILE_OPEN_ERROR, "cannot open file"},
      {HPDF_FILE_IO_ERROR, "file I/O error"},
      {HPDF_INVALID_DOCUMENT, "document already failed"},
      {HPDF_INVALID_FONTDEF_DATA, "invalid font data"},
      {HPDF_TTF_MISSING_TABLE, "TrueType table missing (OpenType/CFF font?)"},
      {HPDF_TTF_INVALID_FOMAT, "invalid TrueType file"},
      {HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font does not allow embedding"},
      {HPDF_INVALID_PARAMETER, "invalid parameter"},
      {HPDF_PAGE_OUT_OF_RANGE, "value out of range"},
      {HPDF_UNSUPPORTED_FUNC, "unsupported function"},
      {HPDF_INVALID_PNG_IMAGE, "invalid PNG image"},
      {HPDF_UNSUPPORTED_JPEG_FORMAT, "unsupported JPEG format"},
      {HPDF_INVALID_JPEG_DATA, "invalid JPEG data"},
      {HPDF_INVALID_DESTINATION, "invalid destination"},
      {HPDF_INVALID_ENCODER, "invalid encoder"},
      {out_of_memory, "out of memory"},
  };
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04X", static_cast<unsigned>(code));
  const auto found = names.find(code);
  return found == names.end() ? std::string("libharu error ") + hex
                              : std::string(found->second) + " (libharu error " + hex + ")";
}

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};

HPDF_REAL real(double value) {
  return static_cast<HPDF_REAL>(value);
}

// Width of one character in 1/1000 em, from the face object itself. Safe to call from
// several threads (layout breaks paragraphs ahead on a second one): known widths are read
// without a lock; only a character's first measurement calls libharu, under the mutex.
class HaruMeasure final : public TextMeasure {
 public:
  explicit HaruMeasure(const std::vector<HPDF_Font>& fonts) : m_fonts(fonts) {
    for (std::size_t face = 0; face < fonts.size(); ++face) {
      m_widths.push_back(std::make_unique<std::atomic<int>[]>(dense_codes));
      for (std::size_t code = 0; code < dense_codes; ++code) {
        m_widths.back()[code].store(unknown_width, std::memory_order_relaxed);
      }
    }
    m_rare_widths.resize(fonts.size());
  }

  [[nodiscard]] double width(int face, std::string_view text, double size) const override {
    const auto index = static_cast<std::size_t>(face);
    (void)m_widths.at(index);  // an unknown face throws
    long total = 0;
    for (std::size_t pos = 0; pos < text.size();) {
      total += units(index, util::decode_utf8(text, pos));
    }
    return static_cast<double>(total) * size / 1000.0;
  }

  // Width of `code` in 1/1000 em; `face` must be valid.
  [[nodiscard]] int units(std::size_t face, char32_t code) const {
    if (code < dense_codes) {
      const int known = m_widths[face][code].load(std::memory_order_acquire);
      if (known != unknown_width) {
        return known;
      }
    }
    return measure(face, code);
  }

 private:
  // Code points below this (all scripts and symbols the booklet sets) have a flat table.
  static constexpr std::size_t dense_codes = 0x3000;
  static constexpr int unknown_width = -1;

  // Out of line, so that units() (every character drawn) inlines.
  [[gnu::noinline]] int measure(std::size_t face, char32_t code) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (code < dense_codes) {
      const int known = m_widths[face][code].load(std::memory_order_relaxed);
      if (known != unknown_width) {
        return known;
      }
    } else if (auto found = m_rare_widths[face].find(code); found != m_rare_widths[face].end()) {
      return found->second;
    }
    const std::string bytes = util::to_utf8(code);
    const HPDF_TextWidth measured =
        HPDF_Font_TextWidth(m_fonts[face], reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                            static_cast<HPDF_UINT>(bytes.size()));
    const auto width = static_cast<int>(measured.width);
    if (code < dense_codes) {
      m_widths[face][code].store(width, std::memory_order_release);
    } else {
      m_rare_widths[face].emplace(code, width);
    }
    return width;
  }

  const std::vector<HPDF_Font>& m_fonts;
  std::vector<std::unique_ptr<std::atomic<int>[]>> m_widths;  // per face, by code point
  mutable std::vector<std::unordered_map<char32_t, int>> m_rare_widths;
  mutable std::mutex m_mutex;  // libharu and m_rare_widths
};

// What libharu compresses when it saves, on one core: the fonts, and any image a page
// shows. prepkit's own streams are compressed before libharu gets them (compressed_stream).
constexpr HPDF_UINT libharu_compresses = HPDF_COMP_IMAGE | HPDF_COMP_METADATA;

// libharu writes a /Filter entry only for the filters it set itself (HPDF_Dict_Write removes
// any other), so a stream compressed here carries this stand-in key instead, of the same
// length: name_filters renames it in the saved bytes, and no byte offset moves.
constexpr char filter_stand_in[] = "FILTER";

// `bytes` as a FlateDecode stream holds them, compressed by libdeflate.
std::string deflated(std::string_view bytes) {
  std::optional<std::string> compressed = util::deflate_fastest(bytes, util::DeflateFormat::zlib);
  if (!compressed) {
    throw util::ToolError("failed to compress a PDF stream: out of memory");
  }
  return std::move(*compressed);
}

// Where each object of `pdf` starts, in file order, from its cross-reference table (one or
// more sections of 20-byte entries "offset generation n"); empty when there is none.
std::vector<std::size_t> object_offsets(const std::string& pdf) {
  const std::size_t startxref = pdf.rfind("startxref\n");
  if (startxref == std::string::npos) {
    return {};
  }
  std::size_t at = std::strtoull(pdf.data() + startxref + 10, nullptr, 10);
  if (at >= pdf.size() || pdf.compare(at, 5, "xref\n") != 0) {
    return {};
  }
  at += 5;
  std::vector<std::size_t> offsets;
  unsigned long long first = 0;
  unsigned long long count = 0;
  int read = 0;
  while (at < pdf.size() &&
         std::sscanf(pdf.data() + at, "%llu %llu\n%n", &first, &count, &read) == 2) {
    at += static_cast<std::size_t>(read);
    for (unsigned long long i = 0; i < count && at + 20 <= pdf.size(); ++i, at += 20) {
      if (pdf[at + 17] == 'n') {
        offsets.push_back(std::strtoull(pdf.data() + at, nullptr, 10));
      }
    }
  }
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

// Renames the stand-in key of each stream made here to /Filter; `expected` were made. Only
// each object's dictionary is read, never a stream's data (an embedded JPEG could hold any
// bytes). libharu escapes line breaks in strings, so an object's first "stream" line starts
// its data.
void name_filters(std::string& pdf, std::size_t expected) {
  static_assert(sizeof filter_stand_in == sizeof "Filter");
  const std::string stand_in = "\n/" + std::string(filter_stand_in) + " /FlateDecode\n";
  const std::vector<std::size_t> offsets = object_offsets(pdf);
  std::size_t renamed = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const std::size_t end = i + 1 < offsets.size() ? offsets[i + 1] : pdf.size();
    std::string_view object = std::string_view(pdf).substr(offsets[i], end - offsets[i]);
    object = object.substr(0, object.find("\nstream\r\n"));
    if (const std::size_t found = object.find(stand_in); found != std::string_view::npos) {
      pdf.replace(offsets[i] + found + 2, std::strlen(filter_stand_in), "Filter");
      ++renamed;
    }
  }
  if (renamed != expected) {
    throw util::ToolError("failed to save PDF: " + std::to_string(expected) +
                          " compressed streams were made, but libharu's output names " +
                          std::to_string(renamed));
  }
}

HPDF_Rect rect_of(const Link& link) {
  // libharu's HPDF_Rect is {left, bottom, right, top}.
  return {real(link.x), real(link.y), real(link.x + link.width), real(link.y + link.height)};
}

HPDF_PageNumStyle label_style(LabelStyle style) {
  return style == LabelStyle::lower_roman ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                          : HPDF_PAGE_NUM_STYLE_DECIMAL;
}

// A link target a reader may open from the booklet: a web page or a mail address.
bool opens_on_the_web(std::string_view uri) {
  return uri.starts_with("https://") || uri.starts_with("http://") || uri.starts_with("mailto:");
}

}  // namespace

struct PdfWriter::State {
  ErrorRecord errors;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc;
  std::vector<FontFace> faces;
  std::vector<HPDF_Font> fonts;
  HPDF_Encoder utf8 = nullptr;
  std::optional<HaruMeasure> measure;
  std::map<std::string, HPDF_Image> images;
  std::vector<HPDF_Page> handles;  // of the pages added so far
  struct Places {
    std::vector<Link> links;
    std::vector<Destination> destinations;
  };
  std::vector<Places> places;          // of each page added, for finish()
  std::size_t compressed_streams = 0;  // made so far, each with a filter_stand_in key
  bool finished = false;

  // A stream holding `deflated_bytes` (see deflated). libharu's only public function that
  // makes a stream from given bytes is the raw image loader (one row of 8-bit grey pixels);
  // with image compression off it copies them as they are, and without its image keys the
  // object is a plain stream.
  HPDF_Dict compressed_stream(std::string_view deflated_bytes) {
    HPDF_SetCompressionMode(doc.get(), libharu_compresses & ~HPDF_COMP_IMAGE);
    HPDF_Image stream = HPDF_LoadRawImageFromMem(
        doc.get(), reinterpret_cast<const HPDF_BYTE*>(deflated_bytes.data()),
        static_cast<HPDF_UINT>(deflated_bytes.size()), 1, HPDF_CS_DEVICE_GRAY, 8);
    HPDF_SetCompressionMode(doc.get(), libharu_compresses);
    check("make a PDF stream");
    if (stream == nullptr) {
      throw util::ToolError("failed to make a PDF stream: libharu made none");
    }
    for (const char* key :
         {"Type", "Subtype", "ColorSpace", "Width", "Height", "BitsPerComponent"}) {
      HPDF_Dict_RemoveElement(stream, key);
    }
    HPDF_Dict_AddName(stream, filter_stand_in, "FlateDecode");
    check("make a PDF stream");
    ++compressed_streams;
    return stream;
  }

  // Converts a recorded libharu error into the project's error type.
  void check(const std::string& step) {
    HPDF_STATUS code = errors.code;
    if (code == HPDF_OK && doc) {
      code = HPDF_GetError(doc.get());
    }
    if (code != HPDF_OK) {
      throw util::ToolError("failed to " + step + ": " + describe(code));
    }
  }

  void throw_if_finished() const {
    if (finished) {
      throw util::ToolError("failed to write PDF: a PdfWriter writes one document only");
    }
  }

  HPDF_Image image(const std::string& file) {
    auto found = images.find(file);
    if (found != images.end()) {
      return found->second;
    }
    // The name ends in the extension of the content (util/image_file.cpp checks), in any case.
    std::string ext = file.size() >= 4 ? file.substr(file.size() - 4) : file;
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    HPDF_Image loaded = ext == ".png" ? HPDF_LoadPngImageFromFile(doc.get(), file.c_str())
                                      : HPDF_LoadJpegImageFromFile(doc.get(), file.c_str());
    check("load image " + file);
    return images.emplace(file, loaded).first->second;
  }
};

PdfWriter::PdfWriter(std::vector<FontFace> fonts) : m_state(std::make_unique<State>()) {
  State& s = *m_state;
  s.faces = std::move(fonts);
  s.doc.reset(HPDF_New(record_error, &s.errors));
  if (!s.doc) {
    throw util::ToolError("failed to create PDF document: libharu could not allocate it");
  }
  HPDF_Doc doc = s.doc.get();
  HPDF_UseUTFEncodings(doc);
  HPDF_SetCurrentEncoder(doc, "UTF-8");
  s.utf8 = HPDF_GetEncoder(doc, "UTF-8");
  // The content streams libharu gives each page hold at most an image's operators: left
  // uncompressed, they cost no zlib run, and one left empty is still valid.
  HPDF_SetCompressionMode(doc, libharu_compresses);
  s.check("set up PDF document");
  // libharu's UTF-8 fonts carry a ToUnicode map that is no valid CMap (a begincidrange;
  // text extraction warns). Each font dictionary's /ToUnicode entry is pointed at a valid
  // one instead (libharu still writes its own, unused).
  HPDF_Dict to_unicode = s.compressed_stream(deflated(identity_to_unicode_cmap()));
  s.check("make the ToUnicode map");
  // libharu returns the first definition again for a file loaded twice: load each distinct
  // file once and share the font object.
  std::map<std::string, HPDF_Font> by_file;
  for (const FontFace& face : s.faces) {
    auto found = by_file.find(face.file);
    if (found == by_file.end()) {
      const char* name = HPDF_LoadTTFontFromFile(doc, face.file.c_str(), HPDF_TRUE);
      s.check("load font " + face.file);
      HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
      s.check("load font " + face.file);
      HPDF_Dict_Add(font, "ToUnicode", to_unicode);
      s.check("load font " + face.file);
      found = by_file.emplace(face.file, font).first;
    }
    s.fonts.push_back(found->second);
  }
  s.measure.emplace(s.fonts);
}

PdfWriter::~PdfWriter() = default;

const TextMeasure& PdfWriter::measure() const {
  return *m_state->measure;
}

std::string PdfWriter::write(const Pages& pages) {
  return write_pages(pages, nullptr);
}

std::string PdfWriter::write(Pages&& pages) {
  return write_pages(pages, &pages);
}

std::string PdfWriter::write_pages(const Pages& pages, Pages* release_items) {
  m_state->throw_if_finished();
  if (pages.fonts != m_state->faces) {
    throw util::ToolError("failed to write PDF: the pages use other fonts than the writer loaded");
  }
  // A few pages at a time, so that their drawings never all wait in memory at once.
  for (std::size_t first = 0; first < pages.pages.size(); first += pages_per_batch) {
    const std::size_t count = std::min(pages_per_batch, pages.pages.size() - first);
    add_pages(std::span(pages.pages).subspan(first, count));
    for (std::size_t i = first; release_items != nullptr && i < first + count; ++i) {
      std::vector<Item>().swap(release_items->pages[i].items);
    }
  }
  return finish(pages.outline, pages.labels, pages.metadata);
}

namespace {

// A page's drawing as libharu takes it: content streams, compressed (empty when there is
// nothing to draw), and the images placed between them.
using Segment = std::variant<std::string, const Image*>;

// The drawing of `page`, where `font_names[face]` is the page's resource name of each face
// its text uses. Safe to call from several threads: no libharu call but measuring.
std::vector<Segment> encode(const Page& page, const TextMeasure& measure,
                            const std::vector<std::string>& font_names) {
  std::vector<Segment> segments;
  ContentStream content(measure,
                        [&](int face) { return font_names.at(static_cast<std::size_t>(face)); });
  const auto take_content = [&] {
    const std::string bytes = content.take();
    return bytes.empty() ? bytes : deflated(bytes);
  };
  for (const Item& item : page.items) {
    if (const auto* image = std::get_if<Image>(&item)) {
      segments.emplace_back(take_content());
      segments.emplace_back(image);
    } else {
      content.draw(item);
    }
  }
  segments.emplace_back(take_content());
  return segments;
}

}  // namespace

void PdfWriter::add_pages(std::span<const Page> pages) {
  State& s = *m_state;
  s.throw_if_finished();
  HPDF_Doc doc = s.doc.get();
  const auto step = [&](std::size_t page) {
    return "draw page " + std::to_string(s.handles.size() + page + 1);
  };
  // libharu's page objects, and the resource name of each face a page's text uses.
  std::vector<HPDF_Page> handles;
  std::vector<std::vector<std::string>> font_names;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    HPDF_Page handle = HPDF_AddPage(doc);
    HPDF_Page_SetWidth(handle, real(pages[i].width));
    HPDF_Page_SetHeight(handle, real(pages[i].height));
    std::vector<std::string>& names = font_names.emplace_back(s.fonts.size());
    for (const Item& item : pages[i].items) {
      const auto* run = std::get_if<TextRun>(&item);
      if (run == nullptr || run->text.empty() ||
          !names.at(static_cast<std::size_t>(run->face)).empty()) {
        continue;
      }
      const char* name =
          HPDF_Page_GetLocalFontName(handle, s.fonts[static_cast<std::size_t>(run->face)]);
      if (name == nullptr) {
        s.check(step(i));
        throw util::ToolError("failed to " + step(i) + ": libharu gave the font no name");
      }
      names[static_cast<std::size_t>(run->face)] = name;
    }
    s.check(step(i));
    handles.push_back(handle);
  }
  // The drawing of each page is prepkit's own (content_stream.cpp), made on both cores.
  std::vector<std::size_t> order(pages.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::vector<std::vector<Segment>> drawings = util::parallel_map(
      order, [&](std::size_t i) { return encode(pages[i], *s.measure, font_names[i]); });
  // Into libharu in page order: each stream between libharu's own.
  for (std::size_t i = 0; i < pages.size(); ++i) {
    for (const Segment& segment : drawings[i]) {
      if (const auto* image = std::get_if<const Image*>(&segment)) {
        HPDF_Page_DrawImage(handles[i], s.image((*image)->file), real((*image)->x),
                            real((*image)->y), real((*image)->width), real((*image)->height));
      } else if (const auto& bytes = std::get<std::string>(segment); !bytes.empty()) {
        HPDF_Page_Insert_Shared_Content_Stream(handles[i], s.compressed_stream(bytes));
      }
    }
    s.check(step(i));
    s.places.push_back({pages[i].links, pages[i].destinations});
  }
  s.handles.insert(s.handles.end(), handles.begin(), handles.end());
}

std::string PdfWriter::finish(const std::vector<OutlineEntry>& outline,
                              const std::vector<PageLabel>& labels, const Metadata& meta) {
  State& s = *m_state;
  s.throw_if_finished();
  s.finished = true;
  HPDF_Doc doc = s.doc.get();
  const std::vector<HPDF_Page>& handles = s.handles;

  // Named places, now that every page exists.
  struct Place {
    HPDF_Page page;
    double top;
  };
  std::map<std::string, Place> places;
  for (std::size_t i = 0; i < handles.size(); ++i) {
    for (const Destination& destination : s.places[i].destinations) {
      places.emplace(destination.anchor, Place{handles[i], destination.top});
    }
  }
  const auto destination_of = [&](const std::string& anchor, const std::string& step) {
    const auto found = places.find(anchor);
    if (found == places.end()) {
      throw util::ToolError("failed to " + step + ": no destination named '" + anchor + "'");
    }
    HPDF_Destination destination = HPDF_Page_CreateDestination(found->second.page);
    s.check(step);
    // [page /XYZ left top 0]: jump there and keep the reader's zoom (zoom 0 means "keep").
    // HPDF_Destination_SetXYZ only takes zoom values 0.08–32, so the array is written
    // through the object API.
    HPDF_Array_Clear(destination);
    HPDF_Array_Add(destination, found->second.page);
    HPDF_Array_AddName(destination, "XYZ");
    HPDF_Array_AddReal(destination, 0);
    HPDF_Array_AddReal(destination, real(std::max(0.0, found->second.top)));
    HPDF_Array_AddReal(destination, 0);
    s.check(step);
    return destination;
  };

  for (std::size_t i = 0; i < handles.size(); ++i) {
    for (const Link& link : s.places[i].links) {
      if (!link.uri.empty() && !opens_on_the_web(link.uri)) {
        continue;  // plain text, as on the cards: no javascript:, file: or relative target
      }
      const std::string step = "create link on page " + std::to_string(i + 1);
      HPDF_Annotation annotation =
          link.uri.empty()
              ? HPDF_Page_CreateLinkAnnot(handles[i], rect_of(link),
                                          destination_of(link.anchor, step))
              : HPDF_Page_CreateURILinkAnnot(handles[i], rect_of(link), link.uri.c_str());
      s.check(step);
      HPDF_LinkAnnot_SetBorderStyle(annotation, 0, 0, 0);
      s.check(step);
    }
  }

  // Outline: each entry nests under the closest preceding entry with a smaller level.
  std::vector<std::pair<int, HPDF_Outline>> parents;
  for (const OutlineEntry& entry : outline) {
    while (!parents.empty() && parents.back().first >= entry.level) {
      parents.pop_back();
    }
    HPDF_Outline parent = parents.empty() ? nullptr : parents.back().second;
    HPDF_Outline created = HPDF_CreateOutline(doc, parent, entry.title.c_str(), s.utf8);
    const std::string step = "create outline entry '" + entry.title + "'";
    s.check(step);
    HPDF_Outline_SetDestination(created, destination_of(entry.anchor, step));
    HPDF_Outline_SetOpened(created, entry.open ? HPDF_TRUE : HPDF_FALSE);
    s.check(step);
    parents.emplace_back(entry.level, created);
  }
  if (!outline.empty()) {
    HPDF_SetPageMode(doc, HPDF_PAGE_MODE_USE_OUTLINE);
  }

  for (const PageLabel& label : labels) {
    HPDF_AddPageLabel(doc, static_cast<HPDF_UINT>(label.first_page), label_style(label.style),
                      static_cast<HPDF_UINT>(label.first_number), "");
  }
  s.check("set page labels");
  const std::pair<HPDF_InfoType, const std::string*> info[] = {
      {HPDF_INFO_TITLE, &meta.title},     {HPDF_INFO_AUTHOR, &meta.author},
      {HPDF_INFO_SUBJECT, &meta.subject}, {HPDF_INFO_KEYWORDS, &meta.keywords},
      {HPDF_INFO_CREATOR, &meta.creator}, {HPDF_INFO_PRODUCER, &meta.producer},
  };
  for (const auto& [type, value] : info) {
    if (!value->empty()) {
      HPDF_SetInfoAttr(doc, type, value->c_str());
    }
  }
  if (!meta.creation_date.empty()) {
    int year = 0;
    int month = 0;
    int day = 0;
    if (std::sscanf(meta.creation_date.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3) {
      throw util::ToolError("failed to set PDF date: '" + meta.creation_date +
                            "' is not YYYY-MM-DD");
    }
    HPDF_Date date{};
    date.year = year;
    date.month = month;
    date.day = day;
    date.ind = 'Z';
    HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, date);
  }
  HPDF_SetViewerPreference(doc, HPDF_PRINT_SCALING_NONE);
  s.check("set document information");

  HPDF_SaveToStream(doc);
  s.check("save PDF");
  std::string bytes(HPDF_GetStreamSize(doc), '\0');
  auto size = static_cast<HPDF_UINT32>(bytes.size());
  if (size > 0) {
    HPDF_ResetStream(doc);
    HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
    s.check("save PDF");
  }
  s.doc.reset();  // nothing draws any more
  if (bytes.empty() || size != bytes.size()) {
    throw util::ToolError("failed to save PDF: libharu wrote nothing");
  }
  name_filters(bytes, s.compressed_streams);
  return bytes;
}

std::string write_pdf(const Pages& pages) {
  PdfWriter writer(pages.fonts);
  return writer.write(pages);
}

}  // namespace pdf
