// Image files the booklet and the deck can use (PNG and JPEG): their format and pixel size,
// learned by decoding every row with libpng / libjpeg-turbo (this file is the only user of
// both), so that `check` and `build` reject, with one message, what the PDF writer
// (libharu) would abort on or embed broken, and what a viewer or Anki could not show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace util {

struct ImageInfo {
  std::string format;  // "PNG" or "JPEG"
  unsigned width = 0;
  unsigned height = 0;
};

// Largest accepted file, side and pixel count. A booklet prints images at 150 pixels per
// inch (a full A4 page is about 1240 × 1750); the PDF writer holds a whole decoded PNG in
// memory, 5 bytes a pixel at most, so 25 million pixels stay near 125 MB.
inline constexpr std::size_t max_image_bytes = 32U * 1024U * 1024U;
inline constexpr unsigned max_image_side = 10000;
inline constexpr std::uint64_t max_image_pixels = 25'000'000;

// The image held in `bytes`, or nullopt with `error` set to why it cannot be used ("it is
// a GIF file; use PNG or JPEG", "corrupt PNG data: …", "12000 × 2 pixels is too large …").
// The format comes from the bytes alone.
std::optional<ImageInfo> inspect_image_bytes(const std::string& bytes, std::string& error);

// The image file at `path`: a regular file of at most max_image_bytes (checked before it
// is read), decoded as above, whose name ends in the extension of its format (.png;
// .jpg or .jpeg).
std::optional<ImageInfo> inspect_image(const std::string& path, std::string& error);

// The format and pixel size of an image file from its header alone, for laying out a file
// that inspect_image accepted.
std::optional<ImageInfo> read_image_header(const std::string& path, std::string& error);

}  // namespace util
