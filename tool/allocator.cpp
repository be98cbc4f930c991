// jemalloc's build-time options for the prepkit executable (linked with jemalloc unless
// PREPKIT_JEMALLOC is OFF or a sanitizer build replaces malloc).
//
// A build allocates and touches many small objects in a short time, and in a virtual
// machine every first touch of a page is an expensive fault. Transparent huge pages for the
// heap and jemalloc's own metadata (madvise'd, so only where the system allows them) cut
// those faults. One arena for all threads: memory one thread frees (the loader's YAML
// trees, a layout pass) is reused by the other. Blocks up to 32 MB come from that arena too
// (by default jemalloc serves blocks over 8 MB from a separate one), so the database file
// and the saved PDF can reuse pages that earlier stages freed. Users can still override any
// of it with MALLOC_CONF.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf = "thp:always,metadata_thp:always,narenas:1,oversize_threshold:33554432";
}
