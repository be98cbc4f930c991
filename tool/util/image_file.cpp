#include "util/image_file.hpp"

#include <jpeglib.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
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
  if (width > max_image_side || height > max_image_side) {
    error = std::to_string(width) + " × " + std::to_string(height) +
            " pixels is too large (at most " + std::to_string(max_image_side) + " on a side)";
    return true;
  }
  return false;
}

// --- PNG: libpng reports errors by longjmp; no C++ object lives across the setjmp ------

struct PngInput {
  const std::string* bytes;
  std::size_t at;
  char message[160];
};

void png_read_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* input = static_cast<PngInput*>(png_get_io_ptr(png));
  if (input->at + length > input->bytes->size()) {
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

void png_on_warning(png_structp /*png*/, png_const_charp /*message*/) {}

// Decodes every row; returns false with input.message set on corrupt data.
bool decode_png(PngInput& input, unsigned& width, unsigned& height, std::vector<png_byte>& row) {
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
    if (width > 0 && height > 0 && width <= max_image_side && height <= max_image_side) {
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

bool decode_jpeg(const std::string& bytes, JpegErrors& errors, unsigned& width, unsigned& height,
                 std::vector<JSAMPLE>& row) {
  jpeg_decompress_struct info{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpeg_on_error;
  errors.manager.emit_message = jpeg_on_message;
  bool ok = false;
  if (setjmp(errors.jump) == 0) {
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    width = info.image_width;
    height = info.image_height;
    if (width > 0 && height > 0 && width <= max_image_side && height <= max_image_side) {
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

}  // namespace

std::optional<ImageInfo> inspect_image(const std::string& path, std::string& error) {
  std::optional<std::string> bytes = read_file(path, error);
  if (!bytes) {
    return std::nullopt;
  }
  if (bytes->size() > max_image_bytes) {
    error = "the file is larger than " + std::to_string(max_image_bytes / (1024 * 1024)) + " MB";
    return std::nullopt;
  }
  ImageInfo image;
  if (bytes->rfind("\x89PNG\r\n\x1a\n", 0) == 0) {
    image.format = "PNG";
    PngInput input{&*bytes, 0, {}};
    std::vector<png_byte> row;
    if (!decode_png(input, image.width, image.height, row)) {
      error = std::string("corrupt PNG data: ") + input.message;
      return std::nullopt;
    }
  } else if (bytes->rfind("\xFF\xD8\xFF", 0) == 0) {
    image.format = "JPEG";
    JpegErrors errors{};
    std::vector<JSAMPLE> row;
    if (!decode_jpeg(*bytes, errors, image.width, image.height, row)) {
      error = std::string("corrupt JPEG data: ") + errors.message;
      return std::nullopt;
    }
  } else {
    const std::string other = other_format(*bytes);
    error = (other.empty() ? "it is not an image prepkit can read" : "it is " + other) +
            "; use PNG or JPEG";
    return std::nullopt;
  }
  if (too_large(image.width, image.height, error)) {
    return std::nullopt;
  }
  return image;
}

}  // namespace util
