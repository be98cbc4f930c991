// Fuzzes util::inspect_image_bytes, the check every image passes before the booklet or the
// deck uses it (libpng, libjpeg-turbo). An accepted image must be within the size limits
// and must go into a PDF through libharu without an error (libharu aborts on some libpng
// errors, so a bad image that slipped through stops the fuzzer).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "pdf/pdf_writer.hpp"
#include "util/error.hpp"
#include "util/image_file.hpp"

PREPKIT_FUZZ_TARGET(fuzz_image) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  const std::optional<util::ImageInfo> image = util::inspect_image_bytes(bytes, error);
  if (!image) {
    fuzz::require(!error.empty(), "a rejected image without a reason");
    return 0;
  }
  fuzz::require(error.empty(), "an accepted image with an error");
  fuzz::require(image->width >= 1 && image->width <= util::max_image_side && image->height >= 1 &&
                    image->height <= util::max_image_side &&
                    std::uint64_t{image->width} * image->height <= util::max_image_pixels,
                "an accepted image outside the size limits");

  // The file as the booklet would name it, so that inspect_image accepts it as well.
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("prepkit-fuzz-image-" + std::to_string(getpid()) +
                                                (image->format == "PNG" ? ".png" : ".jpg"));
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string file_error;
  const bool same = util::inspect_image(file.string(), file_error).has_value();
  pdf::Pages pages;
  pdf::Page page;
  page.width = 200;
  page.height = 200;
  page.items.emplace_back(pdf::Image{file.string(), 10, 10, 100, 100});
  pages.pages.push_back(page);
  bool written = true;
  try {
    (void)pdf::write_pdf(pages);
  } catch (const util::ToolError&) {
    written = false;
  }
  std::filesystem::remove(file);
  fuzz::require(same, "the file check disagrees with the bytes check");
  fuzz::require(written, "libharu failed on an accepted image");
  return 0;
}
