// Allocator settings for the `cadence` binary when it links mimalloc.
//
// A batch command (check, build, ...) touches a few megabytes of fresh heap
// once and exits; with 4 KiB pages each first touch is a page fault, and
// those faults were about 8% of the time of `cadence check` on one job. Heap
// backed by transparent huge pages takes a fault per 2 MiB instead. mimalloc
// asks the kernel for them (madvise) when its `large_os_pages` option is on,
// but it reads its options at its first allocation, before main() runs. So
// the options are set from the executable's pre-initialisation array, which
// the dynamic loader runs before any library's initialisers.
//
// Left as they are:
// - the language server (`lsp` among the arguments): it runs for hours, and
//   mimalloc does not give huge-page memory back to the system;
// - any option the environment sets (MIMALLOC_LARGE_OS_PAGES,
//   MIMALLOC_EAGER_COMMIT_DELAY), so a user can still turn them off.
// Where the kernel offers no huge pages, mimalloc falls back to normal ones.

#if defined(CADENCE_WITH_MIMALLOC) && defined(__ELF__)

#include <cstring>

#include <mimalloc.h>

namespace {

bool set_in(char** envp, const char* name) {
  const std::size_t length = std::strlen(name);
  for (char** entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, name, length) == 0 && (*entry)[length] == '=') return true;
  }
  return false;
}

void choose_allocator_options(int argc, char** argv, char** envp) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "lsp") == 0) return;
  }
  if (!set_in(envp, "MIMALLOC_LARGE_OS_PAGES")) mi_option_set_enabled(mi_option_large_os_pages, true);
  // Otherwise each thread's first segment is committed lazily, without huge pages.
  if (!set_in(envp, "MIMALLOC_EAGER_COMMIT_DELAY")) mi_option_set(mi_option_eager_commit_delay, 0);
}

// The dynamic loader calls each entry of .preinit_array with main's arguments.
[[gnu::section(".preinit_array"), gnu::used]] void (*const preinit_allocator)(int, char**,
                                                                              char**) = choose_allocator_options;

}  // namespace

#endif
