#include "pdf/pdf_writer.hpp"

#include <dlfcn.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "util/deflate.hpp"
#include "util/error.hpp"
#include "util/stage_timer.hpp"
#include "util/utf8.hpp"

namespace pdf {
namespace {

// What libharu's error handler saw; libharu keeps going after an error but every later
// call fails, so the writer checks this after each step (libharu.md P1, P16).
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
      {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
  };
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04X", static_cast<unsigned>(code));
  const auto found = names.find(code);
  return found == names.end() ? std::string("libharu error ") + hex
                              : std::string(found->second) + " (libharu error " + hex + ")";
}

// Bumped whenever a document and its font definitions are freed: the glyph-id cache at
// the end of this file must not outlive the cmaps it summarises.
std::atomic<std::uint64_t> g_freed_documents{0};

struct DocDeleter {
  void operator()(HPDF_Doc doc) const {
    HPDF_Free(doc);
    g_freed_documents.fetch_add(1, std::memory_order_release);
  }
};

HPDF_RGBColor rgb(const model::Color& color) {
  return {static_cast<HPDF_REAL>(color.r), static_cast<HPDF_REAL>(color.g),
          static_cast<HPDF_REAL>(color.b)};
}

bool same(const model::Color& a, const model::Color& b) {
  return a == b;
}

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

// The bytes of a libharu memory stream, in its buffers' order.
std::vector<std::string_view> chunks_of(HPDF_Stream stream) {
  auto* attr = static_cast<HPDF_MemStreamAttr>(stream->attr);
  std::vector<std::string_view> chunks;
  std::size_t left = stream->size;
  for (HPDF_UINT i = 0; i < attr->buf->count && left > 0; ++i) {
    const std::size_t length = std::min<std::size_t>(left, attr->buf_siz);
    chunks.emplace_back(static_cast<const char*>(attr->buf->obj[i]), length);
    left -= length;
  }
  return chunks;
}

// Frees the bytes of a libharu memory stream whose compressed copy is made, keeping its
// size: the save then writes the copy (HPDF_Stream_WriteToStreamWithDeflate below) and
// only skips streams of size 0. A long booklet's page streams would otherwise all stay.
// libharu's allocator is plain malloc/free (no memory pool), so any thread may free.
void release_buffers(HPDF_Stream stream) {
  auto* attr = static_cast<HPDF_MemStreamAttr>(stream->attr);
  for (HPDF_UINT i = 0; i < attr->buf->count; ++i) {
    HPDF_FreeMem(stream->mmgr, attr->buf->obj[i]);
  }
  HPDF_List_Clear(attr->buf);
  attr->w_pos = attr->buf_siz;
  attr->w_ptr = nullptr;
  attr->r_ptr_idx = 0;
  attr->r_pos = 0;
  attr->r_ptr = nullptr;
}

// The FlateDecode data (a zlib stream) of a PDF stream holding the bytes of `chunks`, made
// at libdeflate's fastest level. (libharu's own zlib level costs three times the time for a
// sixth less size.) nullopt when libdeflate fails.
std::optional<std::string> deflate_stream(const std::vector<std::string_view>& chunks) {
  if (chunks.size() == 1) {
    return util::deflate_fastest(chunks.front(), util::DeflateFormat::zlib);
  }
  std::string joined;  // libdeflate takes one buffer; libharu keeps a stream in chunks
  for (std::string_view chunk : chunks) {
    joined += chunk;
  }
  return util::deflate_fastest(joined, util::DeflateFormat::zlib);
}

// An HPDF_Stream_Write_Func that appends to the std::string the stream was made with.
HPDF_STATUS append_to_string(HPDF_Stream stream, const HPDF_BYTE* data, HPDF_UINT size) {
  static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(data), size);
  return HPDF_OK;
}

// A little more than the saved PDF takes: its compressed streams, at most each embedded
// face's whole file, and the objects (pages, outline entries, cross-reference table) in
// far less than the room given to each. Only the bytes written become memory.
std::size_t expected_pdf_size(std::size_t compressed_streams, const std::vector<FontFace>& faces,
                              std::size_t pages, std::size_t outline_entries) {
  std::size_t size = compressed_streams + pages * 2048 + outline_entries * 512 + 64 * 1024;
  for (const FontFace& face : faces) {
    std::error_code error;
    const std::uintmax_t file_size = std::filesystem::file_size(face.file, error);
    size += error ? 0 : static_cast<std::size_t>(file_size);
  }
  return size;
}

// Compresses finished page content streams on a second core while later pages are drawn;
// the replacement of HPDF_Stream_WriteToStreamWithDeflate at the end of this file then
// writes those bytes instead of compressing during the save. Deflate was more than half
// of writing a PDF. The worker reads only streams that libharu no longer changes.
class DeflateAhead {
 public:
  DeflateAhead() : m_worker([this] { run(); }) {}
  DeflateAhead(const DeflateAhead&) = delete;
  DeflateAhead& operator=(const DeflateAhead&) = delete;
  ~DeflateAhead() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_stopping = true;
      m_queue.clear();
    }
    m_changed.notify_all();
    m_worker.join();
  }

  // `stream`, a libharu memory stream that nothing will write to any more.
  void submit(HPDF_Stream stream) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_queue.push_back(stream);
      m_pending.emplace(stream, std::nullopt);
    }
    m_changed.notify_all();
  }

  // The size of every submitted stream's compressed bytes, once all are made. Streams not
  // started yet are compressed on the calling thread too, which would otherwise only wait.
  std::size_t compressed_size() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_queue.empty()) {
      compress_next(lock);
    }
    m_changed.wait(lock, [&] { return m_done.size() == m_pending.size(); });
    std::size_t size = 0;
    for (const auto& [stream, bytes] : m_done) {
      size += bytes ? bytes->size() : stream->size;
    }
    return size;
  }

  // The compressed bytes of a submitted stream (waiting for them), or nullopt when the
  // stream was not submitted or zlib failed: then libharu compresses it itself.
  std::optional<std::string> take(HPDF_Stream stream) {
    std::unique_lock<std::mutex> lock(m_mutex);
    auto found = m_pending.find(stream);
    if (found == m_pending.end()) {
      return std::nullopt;
    }
    m_changed.wait(lock, [&] { return m_done.count(stream) > 0; });
    std::optional<std::string> bytes = std::move(m_done[stream]);
    m_done.erase(stream);
    m_pending.erase(stream);
    return bytes;
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
      m_changed.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
      if (m_stopping) {
        return;
      }
      compress_next(lock);
    }
  }

  // Compresses the first queued stream with `lock` released; holds it again on return.
  void compress_next(std::unique_lock<std::mutex>& lock) {
    HPDF_Stream stream = m_queue.front();
    m_queue.pop_front();
    lock.unlock();
    std::optional<std::string> bytes;
    {
      util::StageTimer timer("pdf-write");  // for prepkit build --timings
      bytes = deflate_stream(chunks_of(stream));
      if (bytes) {
        release_buffers(stream);
      }
    }
    lock.lock();
    m_done[stream] = std::move(bytes);
    m_changed.notify_all();
  }

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<HPDF_Stream> m_queue;
  std::unordered_map<HPDF_Stream, std::optional<std::string>> m_pending;  // submitted
  std::unordered_map<HPDF_Stream, std::optional<std::string>> m_done;     // compressed
  bool m_stopping = false;
  std::thread m_worker;  // last: starts after the members it uses
};

// The DeflateAhead of the document this thread is writing, for the replacement below.
thread_local DeflateAhead* t_deflate_ahead = nullptr;

// The font file a TrueType definition keeps open for embedding, read in one piece; nullopt
// when it is not a file or cannot be read.
std::optional<std::vector<HPDF_BYTE>> font_file_bytes(HPDF_Stream file) {
  if (file == nullptr || file->type != HPDF_STREAM_FILE) {
    return std::nullopt;
  }
  const HPDF_UINT32 size = HPDF_Stream_Size(file);
  if (size == 0 || HPDF_Stream_Seek(file, 0, HPDF_SEEK_SET) != HPDF_OK) {
    return std::nullopt;
  }
  std::vector<HPDF_BYTE> bytes(size);
  HPDF_UINT read = size;
  if (HPDF_Stream_Read(file, bytes.data(), &read) != HPDF_OK || read != size) {
    return std::nullopt;
  }
  return bytes;
}

void append_uint16(std::string& out, unsigned value) {
  out.push_back(static_cast<char>((value >> 8U) & 0xFFU));
  out.push_back(static_cast<char>(value & 0xFFU));
}

void append_uint32(std::string& out, HPDF_UINT32 value) {
  append_uint16(out, value >> 16U);
  append_uint16(out, value & 0xFFFFU);
}

// The sum of `bytes` read as big-endian 32-bit words; a last partial word counts padded with
// zeros when `partial_word` says so, else not at all (libharu's two ways of summing).
HPDF_UINT32 word_sum(std::string_view bytes, bool partial_word) {
  HPDF_UINT32 sum = 0;
  for (std::size_t pos = 0; pos < bytes.size(); pos += 4) {
    if (bytes.size() - pos < 4 && !partial_word) {
      break;
    }
    HPDF_UINT32 word = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto byte = pos + k < bytes.size() ? static_cast<unsigned char>(bytes[pos + k]) : 0U;
      word = (word << 8U) | byte;
    }
    sum += word;
  }
  return sum;
}

// The embedded subset of a TrueType face, byte for byte what libharu 2.3.0's
// HPDF_TTFontDef_SaveFontData writes (its required tables, unused glyphs emptied, the font
// name tagged), built from the whole file in memory instead of libharu's four-byte reads and
// writes. Sets `length1` as libharu does. nullopt when the file does not hold what the
// definition describes: libharu's own function then reports it.
std::optional<std::string> subset_font(HPDF_TTFontDefAttr attr, std::string_view file) {
  static constexpr std::array<std::string_view, 13> required_tags = {
      "OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
      "hmtx", "loca", "maxp", "name", "post", "prep"};
  const auto find_table = [attr](std::string_view tag) -> const HPDF_TTFTable* {
    for (HPDF_UINT i = 0; i < attr->offset_tbl.num_tables; ++i) {
      if (std::string_view(attr->offset_tbl.table[i].tag, 4) == tag) {
        return &attr->offset_tbl.table[i];
      }
    }
    return nullptr;
  };
  const auto append_from_file = [&file](std::string& out, std::size_t offset, std::size_t length) {
    if (offset > file.size() || length > file.size() - offset) {
      return false;
    }
    out.append(file.substr(offset, length));
    return true;
  };
  const bool short_loca = attr->header.index_to_loc_format == 0;  // offsets in halves

  std::string body;
  std::vector<HPDF_UINT32> new_offsets(attr->num_glyphs + 1U);
  struct Placed {
    std::size_t offset;
    std::size_t length;
  };
  std::array<Placed, required_tags.size()> placed{};
  std::size_t check_sum_adjustment_at = 0;
  for (std::size_t i = 0; i < required_tags.size(); ++i) {
    const std::string_view tag = required_tags[i];
    const HPDF_TTFTable* table = find_table(tag);
    const std::size_t start = body.size();
    if (tag == "head") {
      const HPDF_TTF_FontHeader& h = attr->header;
      body.append(reinterpret_cast<const char*>(h.version_number), 4);
      append_uint32(body, h.font_revision);
      check_sum_adjustment_at = body.size();
      append_uint32(body, 0);
      append_uint32(body, h.magic_number);
      append_uint16(body, h.flags);
      append_uint16(body, h.units_per_em);
      body.append(reinterpret_cast<const char*>(h.created), 8);
      body.append(reinterpret_cast<const char*>(h.modified), 8);
      for (const HPDF_INT16 value : {h.x_min, h.y_min, h.x_max, h.y_max}) {
        append_uint16(body, static_cast<HPDF_UINT16>(value));
      }
      append_uint16(body, h.mac_style);
      append_uint16(body, h.lowest_rec_ppem);
      for (const HPDF_INT16 value :
           {h.font_direction_hint, h.index_to_loc_format, h.glyph_data_format}) {
        append_uint16(body, static_cast<HPDF_UINT16>(value));
      }
    } else if (tag == "glyf") {
      HPDF_UINT32 end_offset = 0;
      for (HPDF_UINT glyph = 0; glyph < attr->num_glyphs; ++glyph) {
        if (attr->glyph_tbl.flgs[glyph] != 1) {
          new_offsets[glyph] = end_offset;
          continue;
        }
        HPDF_UINT from = attr->glyph_tbl.offsets[glyph];
        HPDF_UINT length = attr->glyph_tbl.offsets[glyph + 1] - from;
        new_offsets[glyph] = static_cast<HPDF_UINT32>(body.size() - start);
        if (short_loca) {
          new_offsets[glyph] /= 2;
          length *= 2;
          from *= 2;
        }
        if (!append_from_file(body, from + attr->glyph_tbl.base_offset, length)) {
          return std::nullopt;
        }
        end_offset = static_cast<HPDF_UINT32>(body.size() - start);
        if (short_loca) {
          end_offset /= 2;
        }
      }
      new_offsets[attr->num_glyphs] = end_offset;
    } else if (tag == "loca") {
      for (const HPDF_UINT32 offset : new_offsets) {
        if (short_loca) {
          append_uint16(body, static_cast<HPDF_UINT16>(offset));
        } else {
          append_uint32(body, offset);
        }
      }
    } else if (tag == "name") {
      if (table == nullptr) {
        return std::nullopt;
      }
      const HPDF_TTF_NamingTable& names = attr->name_tbl;
      append_uint16(body, names.format);
      append_uint16(body, names.count);
      append_uint16(body, names.string_offset);
      std::string strings;
      for (HPDF_UINT k = 0; k < names.count; ++k) {
        const HPDF_TTF_NameRecord& record = names.name_records[k];
        const std::size_t string_at = strings.size();
        if (record.name_id == 1 || record.name_id == 4) {  // family and full name: tagged
          if (record.platform_id == 0 || record.platform_id == 3) {
            strings.append(attr->tag_name2, sizeof attr->tag_name2);
          } else {
            strings.append(attr->tag_name, sizeof attr->tag_name);
          }
        }
        if (!append_from_file(strings, table->offset + names.string_offset + record.offset,
                              record.length)) {
          return std::nullopt;
        }
        append_uint16(body, record.platform_id);
        append_uint16(body, record.encoding_id);
        append_uint16(body, record.language_id);
        append_uint16(body, record.name_id);
        append_uint16(body, static_cast<HPDF_UINT16>(strings.size() - string_at));
        append_uint16(body, static_cast<HPDF_UINT16>(string_at));
      }
      body += strings;
    } else if (table != nullptr && !append_from_file(body, table->offset, table->length)) {
      return std::nullopt;
    }
    placed[i] = {start, body.size() - start};
  }

  const std::size_t directory_size = 12 + 16 * required_tags.size();
  std::string out;
  out.reserve(directory_size + body.size());
  append_uint32(out, attr->offset_tbl.sfnt_version);
  append_uint16(out, required_tags.size());
  append_uint16(out, attr->offset_tbl.search_range);
  append_uint16(out, attr->offset_tbl.entry_selector);
  append_uint16(out, attr->offset_tbl.range_shift);
  for (std::size_t i = 0; i < required_tags.size(); ++i) {
    out += required_tags[i];
    append_uint32(
        out, word_sum(std::string_view(body).substr(placed[i].offset, placed[i].length), true));
    append_uint32(out, static_cast<HPDF_UINT32>(placed[i].offset + directory_size));
    append_uint32(out, static_cast<HPDF_UINT32>(placed[i].length));
  }
  std::string adjustment;
  append_uint32(adjustment, 0xB1B0AFBAU - word_sum(body, false));
  body.replace(check_sum_adjustment_at, 4, adjustment);
  out += body;
  attr->length1 = static_cast<HPDF_UINT>(body.size() + directory_size);
  return out;
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
  std::vector<std::vector<bool>> marked_glyphs;  // per face, for PageDrawer
  std::unique_ptr<DeflateAhead> deflate_ahead;   // from the first page on
  std::vector<HPDF_Page> handles;                // of the pages added so far
  struct Places {
    std::vector<Link> links;
    std::vector<Destination> destinations;
  };
  std::vector<Places> places;  // of each page added, for finish()
  bool finished = false;

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
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  s.check("set up PDF document");
  // libharu returns the first definition again for a file loaded twice (P17): load each
  // distinct file once and share the font object.
  std::map<std::string, HPDF_Font> by_file;
  for (const FontFace& face : s.faces) {
    auto found = by_file.find(face.file);
    if (found == by_file.end()) {
      const char* name = HPDF_LoadTTFontFromFile(doc, face.file.c_str(), HPDF_TRUE);
      s.check("load font " + face.file);
      HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
      s.check("load font " + face.file);
      found = by_file.emplace(face.file, font).first;
    }
    s.fonts.push_back(found->second);
  }
  s.measure.emplace(s.fonts);
  s.marked_glyphs.resize(s.fonts.size());
}

PdfWriter::~PdfWriter() = default;

const TextMeasure& PdfWriter::measure() const {
  return *m_state->measure;
}

namespace {

// Draws the items of one page; keeps text objects open across consecutive runs.
class PageDrawer {
 public:
  PageDrawer(HPDF_Page page, const std::vector<HPDF_Font>& fonts, const HaruMeasure& measure,
             std::map<std::string, HPDF_Image>& images, std::vector<std::vector<bool>>& marked,
             HPDF_Doc doc)
      : m_page(page),
        m_stream(static_cast<HPDF_PageAttr>(page->attr)->stream),
        m_fonts(fonts),
        m_measure(measure),
        m_images(images),
        m_doc(doc),
        m_marked(marked) {}

  void draw(const Item& item) {
    if (const auto* run = std::get_if<TextRun>(&item)) {
      text(*run);
      return;
    }
    end_text();
    flush();
    if (const auto* rule = std::get_if<Rule>(&item)) {
      HPDF_Page_SetLineWidth(m_page, real(rule->width));
      HPDF_Page_SetRGBStroke(m_page, real(rule->color.r), real(rule->color.g), real(rule->color.b));
      HPDF_Page_MoveTo(m_page, real(rule->x1), real(rule->y1));
      HPDF_Page_LineTo(m_page, real(rule->x2), real(rule->y2));
      HPDF_Page_Stroke(m_page);
    } else if (const auto* box = std::get_if<Box>(&item)) {
      const bool stroked = box->stroke_width > 0;
      if (!box->filled && !stroked) {
        return;
      }
      if (box->filled) {
        fill_color(box->fill);
        flush();
      }
      if (stroked) {
        HPDF_Page_SetLineWidth(m_page, real(box->stroke_width));
        HPDF_Page_SetRGBStroke(m_page, real(box->stroke.r), real(box->stroke.g),
                               real(box->stroke.b));
      }
      HPDF_Page_Rectangle(m_page, real(box->x), real(box->y), real(box->width), real(box->height));
      if (box->filled && stroked) {
        HPDF_Page_FillStroke(m_page);
      } else if (box->filled) {
        HPDF_Page_Fill(m_page);
      } else {
        HPDF_Page_Stroke(m_page);
      }
    } else if (const auto* image = std::get_if<Image>(&item)) {
      HPDF_Page_DrawImage(m_page, load_image(image->file), real(image->x), real(image->y),
                          real(image->width), real(image->height));
    }
  }

  void finish() {
    end_text();
    flush();
  }

 private:
  // Text goes straight into the page's content stream, in exactly the bytes libharu's
  // BeginText/SetFontAndSize/SetTextMatrix/ShowText/EndText write, without their per-call
  // cost (they measured every run again and formatted six numbers per word; a third of
  // writing a PDF). libharu's graphics mode stays "page description" meanwhile, so its own
  // drawing calls between text objects work as before.
  void text(const TextRun& run) {
    if (run.text.empty()) {
      return;  // libharu's ShowText writes nothing for ""
    }
    HPDF_Font font = m_fonts.at(static_cast<std::size_t>(run.face));
    if (!mark_glyphs(run.face, font, run.text)) {
      text_through_libharu(run, font);
      return;
    }
    if (!continue_line(run, font)) {
      end_line();
      if (!m_in_text) {
        write("BT\012");
        m_in_text = true;
      }
      if (run.face != m_face || run.size != m_size) {
        write("/");
        write(local_font_name(run.face, font));
        write_numbers(" ", {real(run.size)}, " Tf\012");
        m_face = run.face;
        m_size = run.size;
      }
      fill_color(run.color);
      // An absolute text matrix at the start of each line: no drift from earlier lines.
      write_numbers("1 0 0 1 ", {real(run.x), real(run.y)}, " Tm\012[<");
      m_in_line = true;
      m_line_y = run.y;
      m_pen = run.x;
    }
    m_pen += static_cast<double>(write_hex(run.face, run.text)) * run.size / 1000;
  }

  // Extends the open TJ array with `run` when it continues the line: same baseline, face,
  // size and colour, starting at or after the pen. The justified gap becomes a real space
  // glyph (copy and paste and text extraction see the word break) plus an adjustment in
  // thousandths of text space that puts the run exactly where layout placed it.
  bool continue_line(const TextRun& run, HPDF_Font font) {
    if (!m_in_line || run.y != m_line_y || run.face != m_face || run.size != m_size || !m_fill ||
        !same(*m_fill, run.color) || run.x < m_pen - overlap_tolerance) {
      return false;
    }
    const int space = space_units(run.face, font);
    const double gap = run.x - m_pen;
    double advance = 0;
    // Layout shrinks a word space to no less than two thirds of a space; a narrower gap (0
    // within a word) is no word break.
    if (space > 0 && gap >= 0.5 * space * run.size / 1000) {
      write_hex(run.face, " ");
      advance = space * run.size / 1000;
    }
    // The pen follows the number as written (a float, or none for a shift below
    // 0.0001 pt), so such differences never add up along the line.
    HPDF_REAL adjustment = real((m_pen + advance - run.x) * 1000 / run.size);
    if (std::abs(adjustment) * run.size < 0.1) {
      adjustment = 0;
    } else {
      write_numbers("> ", {adjustment}, " <");
    }
    m_pen += advance - static_cast<double>(adjustment) * run.size / 1000;
    return true;
  }

  // Width of the face's space glyph in thousandths of an em (0 without one); marks the
  // glyph so that the subset embeds it.
  int space_units(int face, HPDF_Font font) {
    const auto index = static_cast<std::size_t>(face);
    if (index >= m_space_units.size()) {
      m_space_units.resize(index + 1, unknown_space);
    }
    int& units = m_space_units[index];
    if (units == unknown_space) {
      const HPDF_FontDef def = static_cast<HPDF_FontAttr>(font->attr)->fontdef;
      const bool has_space =
          def->type != HPDF_FONTDEF_TYPE_TRUETYPE || HPDF_TTFontDef_GetGlyphid(def, 0x20) != 0;
      units = has_space && mark_glyphs(face, font, " ") ? m_measure.units(index, U' ') : 0;
    }
    return units;
  }

  // Four hex digits per character (UTF-16, the BMP only: mark_glyphs checked), in place;
  // returns the width of `text` in thousandths of an em.
  long write_hex(int face, std::string_view text) {
    const auto index = static_cast<std::size_t>(face);
    long width = 0;
    static constexpr char hex[] = "0123456789ABCDEF";
    const std::size_t start = m_pending.size();
    m_pending.resize(start + 4 * text.size());
    char* out = m_pending.data() + start;
    for (std::size_t pos = 0; pos < text.size(); out += 4) {
      const char32_t code = util::decode_utf8(text, pos);
      out[0] = hex[(code >> 12U) & 0xFU];
      out[1] = hex[(code >> 8U) & 0xFU];
      out[2] = hex[(code >> 4U) & 0xFU];
      out[3] = hex[code & 0xFU];
      width += m_measure.units(index, code);
    }
    m_pending.resize(static_cast<std::size_t>(out - m_pending.data()));
    return width;
  }

  void end_line() {
    if (m_in_line) {
      write(">] TJ\012");
      m_in_line = false;
    }
  }

  // Tells libharu which glyphs the page uses (it embeds only those): measuring a character
  // marks its glyph. False when `text` has a character beyond the Basic Multilingual Plane,
  // which only libharu's own ShowText encodes.
  bool mark_glyphs(int face, HPDF_Font font, std::string_view text) {
    std::vector<bool>& marked = m_marked.at(static_cast<std::size_t>(face));
    if (marked.empty()) {
      marked.resize(0x10000);
    }
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t start = pos;
      const char32_t code = util::decode_utf8(text, pos);
      if (code > 0xFFFF) {
        return false;
      }
      if (!marked[code]) {
        HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(text.data() + start),
                            static_cast<HPDF_UINT>(pos - start));
        marked[code] = true;
      }
    }
    return true;
  }

  // The same text object drawn by libharu itself, for the rare text mark_glyphs declines.
  void text_through_libharu(const TextRun& run, HPDF_Font font) {
    end_text();
    flush();
    HPDF_Page_BeginText(m_page);
    HPDF_Page_SetFontAndSize(m_page, font, real(run.size));
    fill_color(run.color);
    flush();
    HPDF_Page_SetTextMatrix(m_page, 1, 0, 0, 1, real(run.x), real(run.y));
    HPDF_Page_ShowText(m_page, run.text.c_str());
    HPDF_Page_EndText(m_page);
    m_face = run.face;
    m_size = run.size;
  }

  // The page's resource name of `font` ("F1"); libharu adds the font to the page's resources
  // on the first request, and finds the name again by a search through them on each later one.
  const char* local_font_name(int face, HPDF_Font font) {
    const auto index = static_cast<std::size_t>(face);
    if (index >= m_font_names.size()) {
      m_font_names.resize(index + 1, nullptr);
    }
    if (m_font_names[index] == nullptr) {
      m_font_names[index] = HPDF_Page_GetLocalFontName(m_page, font);
    }
    return m_font_names[index];
  }

  void end_text() {
    end_line();
    if (m_in_text) {
      write("ET\012");
      m_in_text = false;
    }
  }

  // Text operators are collected and go into the stream in one piece before libharu
  // writes anything itself (writing a few bytes at a time cost more than making them).
  void write(std::string_view bytes) { m_pending.append(bytes); }

  void flush() {
    if (m_pending.empty()) {
      return;
    }
    HPDF_Stream_Write(m_stream, reinterpret_cast<const HPDF_BYTE*>(m_pending.data()),
                      static_cast<HPDF_UINT>(m_pending.size()));
    m_pending.clear();
  }

  void write_numbers(std::string_view prefix, std::initializer_list<HPDF_REAL> numbers,
                     std::string_view suffix) {
    append_numbers(m_pending, prefix, numbers, suffix);
  }

  // Appends `prefix`, `numbers` as libharu writes them (its formatter: same digits, same
  // rounding) separated by spaces, then `suffix`: formatted in place, appended in one piece.
  static void append_numbers(std::string& out, std::string_view prefix,
                             std::initializer_list<HPDF_REAL> numbers, std::string_view suffix) {
    std::array<char, 128> line;
    if (prefix.size() + suffix.size() + numbers.size() * (HPDF_REAL_LEN + 2) > line.size()) {
      throw std::logic_error("PageDrawer::write_numbers: line too long");
    }
    char* end = std::copy(prefix.begin(), prefix.end(), line.data());
    const char* const first = end;
    for (const HPDF_REAL number : numbers) {
      if (end != first) {
        *end++ = ' ';
      }
      end = HPDF_FToA(end, number, end + HPDF_REAL_LEN);
    }
    end = std::copy(suffix.begin(), suffix.end(), end);
    out.append(line.data(), static_cast<std::size_t>(end - line.data()));
  }

  // The bytes and state of libharu's SetRGBFill, among the pending operators; libharu's own
  // call for a component outside 0..1 (it reports the error).
  void fill_color(const model::Color& color) {
    if (m_fill && same(*m_fill, color)) {
      return;
    }
    const HPDF_RGBColor c = rgb(color);
    const auto in_range = [](HPDF_REAL value) { return value >= 0 && value <= 1; };
    if (in_range(c.r) && in_range(c.g) && in_range(c.b)) {
      write(fill_operator(color, c));
      HPDF_GState state = static_cast<HPDF_PageAttr>(m_page->attr)->gstate;
      state->rgb_fill = c;
      state->cs_fill = HPDF_CS_DEVICE_RGB;
    } else {
      flush();
      HPDF_Page_SetRGBFill(m_page, c.r, c.g, c.b);
    }
    m_fill = color;
  }

  // The "r g b rg" operator of `color` (`c` in libharu's terms), formatted once per page.
  const std::string& fill_operator(const model::Color& color, const HPDF_RGBColor& c) {
    const auto known = std::find_if(m_fill_operators.begin(), m_fill_operators.end(),
                                    [&](const auto& entry) { return same(entry.first, color); });
    if (known != m_fill_operators.end()) {
      return known->second;
    }
    std::string& bytes = m_fill_operators.emplace_back(color, std::string()).second;
    append_numbers(bytes, "", {c.r, c.g, c.b}, " rg\012");
    return bytes;
  }

  HPDF_Image load_image(const std::string& file) {
    auto found = m_images.find(file);
    if (found != m_images.end()) {
      return found->second;
    }
    const std::string lower_ext = file.size() >= 4 ? file.substr(file.size() - 4) : file;
    HPDF_Image image = (lower_ext == ".png" || lower_ext == ".PNG")
                           ? HPDF_LoadPngImageFromFile(m_doc, file.c_str())
                           : HPDF_LoadJpegImageFromFile(m_doc, file.c_str());
    return m_images.emplace(file, image).first->second;
  }

  HPDF_Page m_page;
  HPDF_Stream m_stream;  // the page's content stream
  const std::vector<HPDF_Font>& m_fonts;
  const HaruMeasure& m_measure;
  std::map<std::string, HPDF_Image>& m_images;
  HPDF_Doc m_doc;
  bool m_in_text = false;
  bool m_in_line = false;  // a TJ array is open, inside its hex string
  double m_line_y = 0;
  double m_pen = 0;  // where the line's next glyph goes (layout's x, before float rounding)
  int m_face = -1;
  double m_size = 0;
  std::optional<model::Color> m_fill;
  std::vector<std::vector<bool>>& m_marked;  // per face: code points already measured
  std::vector<const char*> m_font_names;     // per face: its resource name on this page
  static constexpr int unknown_space = -1;
  static constexpr double overlap_tolerance = 0.01;  // points: a run may start this far back
  std::vector<int> m_space_units;                    // per face: see space_units
  std::string m_pending;                             // text operators not yet in m_stream
  // Text changes colour often (links, code) among a few colours.
  std::vector<std::pair<model::Color, std::string>> m_fill_operators;
};

HPDF_Rect rect_of(const Link& link) {
  // libharu's HPDF_Rect is {left, bottom, right, top}.
  return {real(link.x), real(link.y), real(link.x + link.width), real(link.y + link.height)};
}

HPDF_PageNumStyle label_style(LabelStyle style) {
  return style == LabelStyle::lower_roman ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                          : HPDF_PAGE_NUM_STYLE_DECIMAL;
}

}  // namespace

std::string PdfWriter::write(const Pages& pages) {
  return write_pages(pages, nullptr);
}

std::string PdfWriter::write(Pages&& pages) {
  return write_pages(pages, &pages);
}

std::string PdfWriter::write_pages(const Pages& pages, Pages* release_items) {
  if (m_state->finished) {
    throw util::ToolError("failed to write PDF: a PdfWriter writes one document only");
  }
  if (pages.fonts != m_state->faces) {
    throw util::ToolError("failed to write PDF: the pages use other fonts than the writer loaded");
  }
  for (std::size_t i = 0; i < pages.pages.size(); ++i) {
    add_page(pages.pages[i]);
    if (release_items != nullptr) {
      std::vector<Item>().swap(release_items->pages[i].items);
    }
  }
  return finish(pages.outline, pages.labels, pages.metadata);
}

void PdfWriter::add_page(const Page& page) {
  State& s = *m_state;
  if (s.finished) {
    throw util::ToolError("failed to write PDF: a PdfWriter writes one document only");
  }
  // Every page gets at least one operator (P4). Each finished page's content stream is
  // compressed on another core while later pages are drawn, and so are the fonts' glyph
  // maps, complete since the constructor (else compressed on this thread during the save).
  if (!s.deflate_ahead) {
    s.deflate_ahead = std::make_unique<DeflateAhead>();
    for (HPDF_Font font : std::set<HPDF_Font>(s.fonts.begin(), s.fonts.end())) {
      if ((font->filter & HPDF_STREAM_FILTER_FLATE_DECODE) == 0) {
        continue;  // the save copies the font's filter to both maps
      }
      const auto* attr = static_cast<HPDF_FontAttr>(font->attr);
      for (HPDF_Dict map : {attr->map_stream, attr->cmap_stream}) {
        if (map != nullptr && map->stream->type == HPDF_STREAM_MEMORY) {
          s.deflate_ahead->submit(map->stream);
        }
      }
    }
  }
  HPDF_Doc doc = s.doc.get();
  HPDF_Page handle = HPDF_AddPage(doc);
  HPDF_Page_SetWidth(handle, real(page.width));
  HPDF_Page_SetHeight(handle, real(page.height));
  HPDF_Page_GSave(handle);
  HPDF_Page_GRestore(handle);
  PageDrawer drawer(handle, s.fonts, *s.measure, s.images, s.marked_glyphs, doc);
  for (const Item& item : page.items) {
    drawer.draw(item);
  }
  drawer.finish();
  s.handles.push_back(handle);
  s.places.push_back({page.links, page.destinations});
  s.check("draw page " + std::to_string(s.handles.size()));
  auto* page_attr = static_cast<HPDF_PageAttr>(handle->attr);
  if ((page_attr->contents->filter & HPDF_STREAM_FILTER_FLATE_DECODE) != 0 &&
      page_attr->stream->type == HPDF_STREAM_MEMORY) {
    s.deflate_ahead->submit(page_attr->stream);
  }
}

std::string PdfWriter::finish(const std::vector<OutlineEntry>& outline,
                              const std::vector<PageLabel>& labels, const Metadata& meta) {
  State& s = *m_state;
  if (s.finished) {
    throw util::ToolError("failed to write PDF: a PdfWriter writes one document only");
  }
  s.finished = true;
  HPDF_Doc doc = s.doc.get();
  const std::vector<HPDF_Page>& handles = s.handles;

  // Named places, now that every page exists (P15).
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
    // [page /XYZ left top null]: jump there and keep the reader's zoom. libharu only offers
    // zoom values 0.08–32 (P2), so the array is written through the object API.
    HPDF_Array_Clear(destination);
    HPDF_Array_Add(destination, found->second.page);
    HPDF_Array_AddName(destination, "XYZ");
    HPDF_Array_AddReal(destination, 0);
    HPDF_Array_AddReal(destination, real(std::fmax(0.0, found->second.top)));
    HPDF_Array_Add(destination, HPDF_Null_New(destination->mmgr));
    s.check(step);
    return destination;
  };

  // Links.
  for (std::size_t i = 0; i < handles.size(); ++i) {
    for (const Link& link : s.places[i].links) {
      const std::string step = "create link on page " + std::to_string(i + 1);
      HPDF_Annotation annotation = nullptr;
      if (!link.uri.empty()) {
        annotation = HPDF_Page_CreateURILinkAnnot(handles[i], rect_of(link), link.uri.c_str());
      } else {
        annotation =
            HPDF_Page_CreateLinkAnnot(handles[i], rect_of(link), destination_of(link.anchor, step));
      }
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

  // Page labels, metadata.
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

  // Save to memory, with the page streams compressed ahead.
  struct Registration {
    explicit Registration(DeflateAhead* ahead) { t_deflate_ahead = ahead; }
    ~Registration() { t_deflate_ahead = nullptr; }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
  } registration(s.deflate_ahead.get());
  // The save writes straight into the result, which has room for the whole file from the
  // start: no copy of a long booklet's megabytes, and no doubling as it grows.
  std::string bytes;
  bytes.reserve(expected_pdf_size(s.deflate_ahead ? s.deflate_ahead->compressed_size() : 0, s.faces,
                                  handles.size(), outline.size()));
  doc->stream = HPDF_CallbackWriter_New(doc->mmgr, append_to_string, &bytes);
  s.check("start saving PDF");
  HPDF_SaveToStream(doc);
  s.check("save PDF");
  HPDF_FreeDoc(doc);  // (and the stream, which points at `bytes`); nothing draws any more
  s.check("free PDF objects");
  if (bytes.empty()) {
    throw util::ToolError("failed to save PDF: libharu wrote nothing");
  }
  return bytes;
}

std::string write_pdf(const Pages& pages) {
  PdfWriter writer(pages.fonts);
  return writer.write(pages);
}

}  // namespace pdf

// ---------------------------------------------------------------------------------------
// Drop-in replacements for seven libharu 2.3.0 functions. libharu calls them through its PLT
// and the executables export these definitions (CMakeLists.txt, --export-dynamic-symbol),
// so they take the library's place; without the export, libharu simply uses its own. The
// first six return exactly what libharu's do, faster: libharu clears, copies, formats
// numbers and measures one byte at a time (HPDF_MemSet clears 512 bytes for every text
// position), looks up glyphs with a linear scan of the cmap, 65,536 times per embedded face,
// and subsets each embedded face four bytes at a time. The seventh writes streams compressed
// ahead or at a faster zlib level. Together they were more than a third of the time of a
// default build.
extern "C" {

void* HPDF_MemSet(void* s, HPDF_BYTE c, HPDF_UINT n) {
  std::memset(s, c, n);
  return static_cast<HPDF_BYTE*>(s) + n;  // libharu returns the end, not the start
}

HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
  if (out > in && out < in + n) {  // forward byte copy over an overlap: keep its semantics
    while (n > 0) {
      *out++ = *in++;
      --n;
    }
    return out;
  }
  std::memmove(out, in, n);
  return out + n;
}

// libharu's number formatter, behind every coordinate and colour of a page: the same
// characters (the float rounded to five decimals, trailing zeros and point dropped) without
// its digit-by-digit shuffling through a scratch buffer. The rare value out of its range
// (beyond +-32767, NaN), or a buffer that might be too short, goes to libharu's own.
char* HPDF_FToA(char* s, HPDF_REAL val, char* eptr) {
  using Format = char* (*)(char*, HPDF_REAL, char*);
  static const auto libharu_format = reinterpret_cast<Format>(dlsym(RTLD_NEXT, "HPDF_FToA"));
  if (!(val >= HPDF_LIMIT_MIN_REAL && val <= HPDF_LIMIT_MAX_REAL)) {
    return libharu_format(s, val, eptr);
  }
  const bool negative = val < 0;
  const HPDF_REAL magnitude = negative ? -val : val;
  // libharu's own arithmetic, types included: the digits must round exactly as there.
  HPDF_INT32 whole = static_cast<HPDF_INT32>(magnitude + 0.000005);
  HPDF_INT32 fraction = static_cast<HPDF_INT32>(
      static_cast<HPDF_REAL>(magnitude - static_cast<HPDF_REAL>(whole) + 0.000005) * 100000);
  if (fraction < 0 || fraction >= 100000 || eptr - s < HPDF_REAL_LEN) {
    return libharu_format(s, val, eptr);
  }
  char* end = s;
  if (negative) {
    *end++ = '-';
  }
  const int whole_digits = whole < 10      ? 1
                           : whole < 100   ? 2
                           : whole < 1000  ? 3
                           : whole < 10000 ? 4
                                           : 5;
  for (int i = whole_digits - 1; i >= 0; --i, whole /= 10) {
    end[i] = static_cast<char>('0' + whole % 10);
  }
  end += whole_digits;
  if (fraction % 10 != 0) {
    *end++ = '.';
    for (int i = 4; i >= 0; --i, fraction /= 10) {
      end[i] = static_cast<char>('0' + fraction % 10);
    }
    return end + 5;
  }
  if (fraction != 0) {
    *end++ = '.';
    int places = 5;
    for (; fraction % 10 == 0; fraction /= 10) {
      --places;
    }
    for (int i = places - 1; i >= 0; --i, fraction /= 10) {
      end[i] = static_cast<char>('0' + fraction % 10);
    }
    end += places;
  }
  *end = '\0';  // libharu ends a text whose trailing zeros it dropped with a 0 byte
  return end;
}

HPDF_UINT HPDF_StrLen(const char* s, HPDF_INT maxlen) {
  if (s == nullptr) {
    return 0;
  }
  return static_cast<HPDF_UINT>(maxlen < 0 ? std::strlen(s)
                                           : strnlen(s, static_cast<std::size_t>(maxlen)));
}

// libharu finds the first cmap segment whose end is >= the code point by a linear scan.
// A binary search over the running maximum of the segment ends finds the same segment
// for any cmap (sorted or not); the running maxima are kept per font definition.
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode) {
  using Lookup = HPDF_UINT16 (*)(HPDF_FontDef, HPDF_UINT16);
  static const auto libharu_lookup =
      reinterpret_cast<Lookup>(dlsym(RTLD_NEXT, "HPDF_TTFontDef_GetGlyphid"));
  auto* attr = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  const HPDF_UINT seg_count = attr->cmap.seg_count_x2 / 2U;
  if (attr->cmap.format != 4 || seg_count == 0) {
    return libharu_lookup(fontdef, unicode);  // format 0 and error reporting: libharu's own
  }
  struct Entry {
    HPDF_FontDef fontdef;
    std::uint64_t generation;
    std::vector<HPDF_UINT16> running_max;
  };
  thread_local std::vector<Entry> entries;
  thread_local std::size_t last = 0;
  const std::uint64_t generation = pdf::g_freed_documents.load(std::memory_order_acquire);
  if (last >= entries.size() || entries[last].fontdef != fontdef ||
      entries[last].generation != generation) {
    std::erase_if(entries, [generation](const Entry& e) { return e.generation != generation; });
    last = std::find_if(entries.begin(), entries.end(),
                        [fontdef](const Entry& e) { return e.fontdef == fontdef; }) -
           entries.begin();
    if (last == entries.size()) {
      Entry entry{fontdef, generation, {}};
      HPDF_UINT16 running = 0;
      for (HPDF_UINT k = 0; k < seg_count; ++k) {
        running = std::max(running, attr->cmap.end_count[k]);
        entry.running_max.push_back(running);
      }
      entries.push_back(std::move(entry));
    }
  }
  const std::vector<HPDF_UINT16>& running_max = entries[last].running_max;
  // libharu asks for every code point in turn when it loads a face: try the segment of the
  // previous answer before searching.
  thread_local HPDF_UINT previous = 0;
  HPDF_UINT i = previous;
  if (i >= seg_count || running_max[i] < unicode || (i > 0 && running_max[i - 1] >= unicode)) {
    i = static_cast<HPDF_UINT>(std::lower_bound(running_max.begin(), running_max.end(), unicode) -
                               running_max.begin());
  }
  previous = i;
  if (i == seg_count) {
    return libharu_lookup(fontdef, unicode);  // beyond the last segment: libharu's answer
  }
  if (attr->cmap.start_count[i] > unicode) {
    return 0;
  }
  if (attr->cmap.id_range_offset[i] == 0) {
    return static_cast<HPDF_UINT16>(unicode + attr->cmap.id_delta[i]);
  }
  const HPDF_UINT index =
      attr->cmap.id_range_offset[i] / 2U + (unicode - attr->cmap.start_count[i]) - (seg_count - i);
  if (index > attr->cmap.glyph_id_array_count) {
    return 0;
  }
  return static_cast<HPDF_UINT16>(attr->cmap.glyph_id_array[index] + attr->cmap.id_delta[i]);
}

// The subset of a face to embed, made in memory (libharu reads and writes it four bytes at
// a time: a third of saving a default booklet).
HPDF_STATUS HPDF_TTFontDef_SaveFontData(HPDF_FontDef fontdef, HPDF_Stream stream) {
  using Save = HPDF_STATUS (*)(HPDF_FontDef, HPDF_Stream);
  static const auto libharu_save =
      reinterpret_cast<Save>(dlsym(RTLD_NEXT, "HPDF_TTFontDef_SaveFontData"));
  auto* attr = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  const std::optional<std::vector<HPDF_BYTE>> file = pdf::font_file_bytes(attr->stream);
  std::optional<std::string> subset;
  if (file) {
    subset = pdf::subset_font(
        attr, std::string_view(reinterpret_cast<const char*>(file->data()), file->size()));
  }
  if (!subset) {
    return libharu_save(fontdef, stream);
  }
  return HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(subset->data()),
                           static_cast<HPDF_UINT>(subset->size()));
}

// Writes the bytes DeflateAhead compressed for `src`, or compresses a memory stream here
// (the embedded fonts, made during the save), both at prepkit's deflate level. Anything
// else (and encrypted output, which prepkit never makes) goes to libharu's own function.
HPDF_STATUS HPDF_Stream_WriteToStreamWithDeflate(HPDF_Stream src, HPDF_Stream dst, HPDF_Encrypt e) {
  using Write = HPDF_STATUS (*)(HPDF_Stream, HPDF_Stream, HPDF_Encrypt);
  static const auto libharu_write =
      reinterpret_cast<Write>(dlsym(RTLD_NEXT, "HPDF_Stream_WriteToStreamWithDeflate"));
  if (e == nullptr && src->type == HPDF_STREAM_MEMORY) {
    std::optional<std::string> bytes;
    if (pdf::t_deflate_ahead != nullptr) {
      bytes = pdf::t_deflate_ahead->take(src);
    }
    if (!bytes) {
      bytes = pdf::deflate_stream(pdf::chunks_of(src));
    }
    if (bytes) {
      return HPDF_Stream_Write(dst, reinterpret_cast<const HPDF_BYTE*>(bytes->data()),
                               static_cast<HPDF_UINT>(bytes->size()));
    }
  }
  return libharu_write(src, dst, e);
}

}  // extern "C"
