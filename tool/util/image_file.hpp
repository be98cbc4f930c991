// Image files the booklet can embed (PNG and JPEG): their format and pixel size, learned by
// decoding every row with libpng / libjpeg (this file is the only user of both), so that
// `check` rejects what the PDF writer or a viewer would fail on.
#pragma once

#include <optional>
#include <string>

namespace util {

struct ImageInfo {
  std::string format;  // "PNG" or "JPEG"
  unsigned width = 0;
  unsigned height = 0;
};

// Largest accepted file and side; a booklet prints images at 150 pixels per inch.
inline constexpr std::size_t max_image_bytes = 32U * 1024U * 1024U;
inline constexpr unsigned max_image_side = 10000;

// The image at `path`, or nullopt with `error` set to why it cannot be used ("it is a GIF
// file", "corrupt PNG data: …", "10240 × 200 pixels is too large", …).
std::optional<ImageInfo> inspect_image(const std::string& path, std::string& error);

}  // namespace util
