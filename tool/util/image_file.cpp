#include "util/image_file.hpp"

#include <jpeglib.h>
#include <png.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "util/files.hpp"

namespace util {
namespace {

// What a file that is not PNG or JPEG is, from its first bytes; "" when unknown.
std::string other_format(const std::string& bytes) {
  const auto starts = [&](std::string_view magic) { return bytes.rfind(magic, 0) == 0; };
  if (starts("GIF8")) {
    return "a GIF file";
  }
  if (starts("RIFF") && bytes.size() >= 12 && bytes.compare(8, 4, "WEBP") == 0) {
    return "a WebP file";
  }
  if (starts("BM")) {
    return "a BMP file";
  }
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return "a TIFF file";
  }
  if (bytes.find("<svg") != std::string::npos && bytes.find("<svg") < 4096) {
    return "an SVG file";
  }
  return "";
}

bool too_large(unsigned width, unsigned height, std::string& error) {
  if (width == 0 || height == 0) {
    error = "it has no pixels";
    return true;
  }
  const std::string size = std::to_string(width) + " × " + std::to_string(height) + " pixels";
  if (width > max_image_side || height > max_image_side) {
    error = size + " is too large (at most " + std::to_string(max_image_side) + " on a side)";
    return true;
  }
  if (std::uint64_t{width} * height > max_image_pixels) {
    error = size + " is too large (at most " + std::to_string(max_image_pixels / 1000000) +
            " million pixels)";
    return true;
  }
  return false;
}

bool within_limits(unsigned width, unsigned height) {
  std::string ignored;
  return !too_large(width, height, ignored);
}

// --- PNG: libpng reports errors by longjmp; no C++ object lives across the setjmp ------

struct PngInput {
  const std::string* bytes;
  std::size_t at;
  char message[160];
  // libpng's first warning: libharu 2.3.0 (Debian 12's) fails on any.
  char warning[160];
  const char* unsupported;  // a valid PNG the PDF writer cannot embed, and why
};

void png_read_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* input = static_cast<PngInput*>(png_get_io_ptr(png));
  if (length > input->bytes->size() - input->at) {
    png_error(png, "the file ends too early");
  }
  std::memcpy(out, input->bytes->data() + input->at, length);
  input->at += length;
}

void png_on_error(png_structp png, png_const_charp message) {
  auto* input = static_cast<PngInput*>(png_get_error_ptr(png));
  std::snprintf(input->message, sizeof input->message, "%s", message);
  png_longjmp(png, 1);
}

void png_on_warning(png_structp png, png_const_charp message) {
  auto* input = static_cast<PngInput*>(png_get_error_ptr(png));
  if (input->warning[0] == '\0') {
    std::snprintf(input->warning, sizeof input->warning, "%s", message);
  }
}

// Decodes every row (when the size is within limits); returns false with input.message
// set on corrupt data.
bool decode_png(PngInput& input, bool header_only, unsigned& width, unsigned& height,
                std::vector<png_byte>& row) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, &input, png_on_error, png_on_warning);
  png_infop info = png == nullptr ? nullptr : png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::snprintf(input.message, sizeof input.message, "out of memory");
    return false;
  }
  bool ok = false;
  if (setjmp(png_jmpbuf(png)) == 0) {
    png_set_read_fn(png, &input, png_read_memory);
    png_read_info(png, info);
    width = png_get_image_width(png, info);
    height = png_get_image_height(png, info);
    // libharu (its hpdf_image_png.c) fails on an interlaced PNG, which it reads without
    // asking libpng to de-interlace, and reads a palette image with transparency one byte
    // a pixel, past the end of its rows when pixels have fewer bits.
    if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) {
      input.unsupported =
          "it is an interlaced PNG, which the PDF writer cannot embed; save it without "
          "interlacing";
    } else if (png_get_color_type(png, info) == PNG_COLOR_TYPE_PALETTE &&
               png_get_bit_depth(png, info) < 8 && png_get_valid(png, info, PNG_INFO_tRNS) != 0) {
      input.unsupported =
          "it has a transparent palette of fewer than 8 bits a pixel, which the PDF writer "
          "cannot embed; save it with an 8-bit palette or as RGB";
    }
    if (!header_only && within_limits(width, height)) {
      const int passes = png_set_interlace_handling(png);
      png_read_update_info(png, info);
      row.resize(png_get_rowbytes(png, info));
      for (int pass = 0; pass < passes; ++pass) {
        for (unsigned y = 0; y < height; ++y) {
          png_read_row(png, row.data(), nullptr);
        }
      }
      png_read_end(png, nullptr);
    }
    ok = true;
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return ok;
}

// --- JPEG: libjpeg reports errors through error_exit, which longjmps here ---------------

struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_on_error(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Corrupt data is only a warning to libjpeg (it fills in grey); here it is an error.
void jpeg_on_message(j_common_ptr info, int level) {
  if (level < 0) {
    jpeg_on_error(info);
  }
}

// What libjpeg learned from the header, to compare with what libharu will read.
struct JpegHeader {
  unsigned width = 0;
  unsigned height = 0;
  int components = 0;
  bool arithmetic_progressive = false;
};

// Enough for the largest progressive image within the pixel limits (libjpeg keeps all its
// coefficients); a hostile header cannot make it take more.
constexpr long jpeg_memory_limit = 320L * 1024L * 1024L;

bool decode_jpeg(const std::string& bytes, bool header_only, JpegErrors& errors, JpegHeader& header,
                 std::vector<JSAMPLE>& row) {
  jpeg_decompress_struct info{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpeg_on_error;
  errors.manager.emit_message = jpeg_on_message;
  bool ok = false;
  if (setjmp(errors.jump) == 0) {
    jpeg_create_decompress(&info);
    info.mem->max_memory_to_use = jpeg_memory_limit;
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    header.width = info.image_width;
    header.height = info.image_height;
    header.components = info.num_components;
    header.arithmetic_progressive = info.arith_code != 0 && info.progressive_mode != 0;
    if (!header_only && within_limits(header.width, header.height)) {
      jpeg_start_decompress(&info);
      row.resize(static_cast<std::size_t>(info.output_width) * info.output_components);
      JSAMPROW rows[1] = {row.data()};
      while (info.output_scanline < info.output_height) {
        jpeg_read_scanlines(&info, rows, 1);
      }
      jpeg_finish_decompress(&info);
    }
    ok = true;
  }
  jpeg_destroy_decompress(&info);
  return ok;
}

// libharu does not decode a JPEG: it walks the marker segments from the start to the first
// frame header (SOF0, SOF1, SOF2 or SOF9) for the size and colour components, and embeds
// the file as it is (LoadJpegHeader in its hpdf_image.c). The same walk here must reach
// the frame libjpeg decoded; false when it would not.
bool pdf_writer_finds_frame(const std::string& bytes, const JpegHeader& header) {
  const auto word = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[at])) << 8U |
           static_cast<unsigned char>(bytes[at + 1]);
  };
  std::size_t at = 2;
  while (at + 4 <= bytes.size()) {
    const unsigned tag = word(at);
    const std::size_t size = word(at + 2);
    if (tag == 0xFFC0 || tag == 0xFFC1 || tag == 0xFFC2 || tag == 0xFFC9) {
      return at + 10 <= bytes.size() && header.height == word(at + 5) &&
             header.width == word(at + 7) &&
             header.components == static_cast<unsigned char>(bytes[at + 9]);
    }
    if ((tag & 0xFF00U) != 0xFF00U || size < 2) {
      return false;
    }
    at += 2 + size;
  }
  return false;
}

// Why a JPEG that libjpeg decoded cannot go into the PDF, or "".
std::string jpeg_unsupported(const std::string& bytes, const JpegHeader& header) {
  if (header.arithmetic_progressive) {
    return "it is an arithmetic-coded progressive JPEG, which the PDF writer cannot embed; "
           "save it as a baseline or progressive JPEG";
  }
  if (header.components != 1 && header.components != 3 && header.components != 4) {
    return "it is a JPEG with " + std::to_string(header.components) +
           " colour components; save it as greyscale, RGB or CMYK";
  }
  if (!pdf_writer_finds_frame(bytes, header)) {
    return "corrupt JPEG data: the segments before its frame header are malformed";
  }
  return "";
}

bool has_extension(const std::string& path, std::initializer_list<std::string_view> endings) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return std::find(endings.begin(), endings.end(), extension) != endings.end();
}

// The image in `bytes`, decoded in full unless `header_only`.
std::optional<ImageInfo> inspect(const std::string& bytes, bool header_only, std::string& error) {
  if (bytes.size() > max_image_bytes) {
    error = "the file is larger than " + std::to_string(max_image_bytes / (1024 * 1024)) + " MB";
    return std::nullopt;
  }
  ImageInfo image;
  if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) {
    image.format = "PNG";
    PngInput input{&bytes, 0, {}, {}, nullptr};
    std::vector<png_byte> row;
    if (!decode_png(input, header_only, image.width, image.height, row)) {
      error = std::string("corrupt PNG data: ") + input.message;
      return std::nullopt;
    }
    if (input.unsupported != nullptr) {
      error = input.unsupported;
      return std::nullopt;
    }
    if (input.warning[0] != '\0') {
      error = std::string("libpng reports a fault in it (") + input.warning +
              "), which stops the PDF writer; save it again";
      return std::nullopt;
    }
  } else if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) {
    image.format = "JPEG";
    JpegErrors errors{};
    JpegHeader header;
    std::vector<JSAMPLE> row;
    if (!decode_jpeg(bytes, header_only, errors, header, row)) {
      error = std::string("corrupt JPEG data: ") + errors.message;
      return std::nullopt;
    }
    image.width = header.width;
    image.height = header.height;
    error = jpeg_unsupported(bytes, header);
    if (!error.empty()) {
      return std::nullopt;
    }
  } else {
    const std::string other = other_format(bytes);
    error = (other.empty() ? "it is not an image prepkit can read" : "it is " + other) +
            "; use PNG or JPEG";
    return std::nullopt;
  }
  if (too_large(image.width, image.height, error)) {
    return std::nullopt;
  }
  return image;
}

// The bytes of the regular file at `path`, of at most max_image_bytes (checked before
// reading it).
std::optional<std::string> read_image_file(const std::string& path, std::string& error) {
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    error = "it is not a regular file";
    return std::nullopt;
  }
  const std::uintmax_t size = std::filesystem::file_size(path, code);
  if (code || size > max_image_bytes) {
    error =
        code ? code.message()
             : "the file is larger than " + std::to_string(max_image_bytes / (1024 * 1024)) + " MB";
    return std::nullopt;
  }
  return read_file(path, error);
}

}  // namespace

std::optional<ImageInfo> inspect_image_bytes(const std::string& bytes, std::string& error) {
  return inspect(bytes, false, error);
}

std::optional<ImageInfo> inspect_image(const std::string& path, std::string& error) {
  std::optional<std::string> bytes = read_image_file(path, error);
  if (!bytes) {
    return std::nullopt;
  }
  std::optional<ImageInfo> image = inspect_image_bytes(*bytes, error);
  if (!image) {
    return std::nullopt;
  }
  const bool png = image->format == "PNG";
  if (!has_extension(path, png ? std::initializer_list<std::string_view>{".png"}
                               : std::initializer_list<std::string_view>{".jpg", ".jpeg"})) {
    const std::filesystem::path name = std::filesystem::path(path).filename();
    const std::string extension = name.extension().string();
    error = "it is a " + image->format + " file, but its name " +
            (extension.empty() ? "has no extension" : "ends in '" + extension + "'") +
            "; rename it to '" + name.stem().string() + (png ? ".png" : ".jpg") + "'";
    return std::nullopt;
  }
  return image;
}

std::optional<ImageInfo> read_image_header(const std::string& path, std::string& error) {
  std::optional<std::string> bytes = read_image_file(path, error);
  return bytes ? inspect(*bytes, true, error) : std::nullopt;
}

}  // namespace util
