// Runs a command and prints its peak resident memory, for the benchmarks.
// A small launcher, because Linux counts a child's memory from before its
// exec too: measured from Python, every child would weigh at least as much
// as the interpreter.
//
// Usage: peak_rss COMMAND [ARGS...]
// Prints "peak_rss_kib N" on stderr and exits with the command's status.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(
        "Usage: peak_rss COMMAND [ARGS...]\nRuns COMMAND; prints its peak resident memory (peak_rss_kib N) on "
        "stderr.\n",
        argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const pid_t child = fork();
  if (child < 0) {
    std::perror("peak_rss: fork");
    return 2;
  }
  if (child == 0) {
    execvp(argv[1], argv + 1);
    std::perror("peak_rss: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) < 0) {
    std::perror("peak_rss: wait4");
    return 2;
  }
  std::fprintf(stderr, "peak_rss_kib %ld\n", usage.ru_maxrss);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
