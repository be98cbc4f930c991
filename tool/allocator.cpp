// jemalloc's build-time options for the prepkit executable (linked with jemalloc unless
// PREPKIT_JEMALLOC is OFF or a sanitizer build replaces malloc).
//
// A build allocates and touches a few hundred MB of small objects in a few seconds, and in
// a virtual machine every first touch of a 4 KB page is an expensive fault: glibc's malloc
// spent a fifth of the 10,000-card build in the kernel. Transparent huge pages for the
// heap and jemalloc's own metadata (madvise'd, so only where the system allows them) cut
// those faults eightfold. One arena for all threads: memory one thread frees (the loader's
// YAML trees, a layout pass) is reused by the other, which two arenas kept apart; peak RSS
// of 10,000 cards falls ~10 MB, with less CPU time, not more (the threads allocate mostly
// from their own caches). Blocks up to 32 MB come from that arena too: by default jemalloc
// serves blocks over 8 MB (the Anki database file, the saved PDF) from a separate arena,
// which cannot reuse the pages the freed document leaves; at 10,000 cards the median peak
// RSS falls ~6 MB. Users can still override any of it with MALLOC_CONF.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf = "thp:always,metadata_thp:always,narenas:1,oversize_threshold:33554432";
}
