#include "util/deflate.hpp"

#include <libdeflate.h>

#include <memory>

// libdeflate, the only user of it.
namespace util {

std::optional<std::string> deflate_fastest(std::string_view data, DeflateFormat format) {
  const std::unique_ptr<libdeflate_compressor, void (*)(libdeflate_compressor*)> compressor(
      libdeflate_alloc_compressor(1), &libdeflate_free_compressor);
  if (!compressor) {
    return std::nullopt;
  }
  const bool raw = format == DeflateFormat::raw;
  const std::size_t bound = raw ? libdeflate_deflate_compress_bound(compressor.get(), data.size())
                                : libdeflate_zlib_compress_bound(compressor.get(), data.size());
  // Room for the worst case, left uninitialised: only the pages written become memory.
  const std::unique_ptr<char[]> out = std::make_unique_for_overwrite<char[]>(bound);
  const std::size_t size =
      raw ? libdeflate_deflate_compress(compressor.get(), data.data(), data.size(), out.get(),
                                        bound)
          : libdeflate_zlib_compress(compressor.get(), data.data(), data.size(), out.get(), bound);
  if (size == 0) {
    return std::nullopt;
  }
  return std::string(out.get(), size);
}

std::uint32_t crc32(std::string_view data) {
  return libdeflate_crc32(0, data.data(), data.size());
}

}  // namespace util
