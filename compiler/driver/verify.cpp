#include "driver/verify.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "cadence/lexical.hpp"

namespace cadence {
namespace {

struct Expectation {
  Severity severity;
  uint32_t line;  // 0-based
  std::string text;
  uint32_t comment_line;
  bool met = false;
};

}  // namespace

VerifyResult verify_diagnostics(const Source& source, const std::vector<Diagnostic>& diagnostics) {
  VerifyResult result;
  std::vector<Expectation> expectations;
  bool expect_none = false;
  grammar::for_each_line_comment(source.text(), [&](uint32_t offset, std::string_view comment) {
    const uint32_t line = source.line_of(offset);
    if (comment.find("expected-no-diagnostics") != std::string_view::npos) expect_none = true;
    std::size_t at = 0;
    while ((at = comment.find("expected-", at)) != std::string_view::npos) {
      at += 9;
      std::optional<Severity> severity;
      for (auto [word, value] : {std::pair{"error", Severity::Error}, std::pair{"warning", Severity::Warning},
                                 std::pair{"info", Severity::Info}}) {
        if (comment.substr(at).starts_with(word)) {
          severity = value;
          at += std::string_view(word).size();
          break;
        }
      }
      if (!severity) continue;
      int64_t target = line;
      if (at < comment.size() && comment[at] == '@') {
        ++at;
        const bool minus = at < comment.size() && comment[at] == '-';
        if (at < comment.size() && (comment[at] == '+' || comment[at] == '-')) ++at;
        int delta = 0;
        const auto [next, error] = std::from_chars(comment.data() + at, comment.data() + comment.size(), delta);
        if (error != std::errc()) {
          result.problems.push_back(
              fmt::format("{}:{}: malformed expectation: expected a line offset after '@'", source.path(), line + 1));
          continue;
        }
        at = static_cast<std::size_t>(next - comment.data());
        target += minus ? -delta : delta;
      }
      const auto open = comment.find("{{", at);
      const auto close = open == std::string_view::npos ? open : comment.find("}}", open + 2);
      if (close == std::string_view::npos) {
        result.problems.push_back(
            fmt::format("{}:{}: malformed expectation: expected {{{{text}}}}", source.path(), line + 1));
        continue;
      }
      expectations.push_back({*severity, static_cast<uint32_t>(std::max<int64_t>(0, target)),
                              std::string(comment.substr(open + 2, close - open - 2)), line});
      at = close + 2;
    }
  });
  result.expectations = expectations.size();
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.location.source != &source) continue;
    const uint32_t line = source.line_of(diagnostic.location.span.begin);
    bool matched = false;
    for (Expectation& expectation : expectations) {
      if (expectation.met || expectation.severity != diagnostic.severity || expectation.line != line) continue;
      if (diagnostic.message.find(expectation.text) == std::string::npos) continue;
      expectation.met = matched = true;
      break;
    }
    if (!matched) {
      const HumanPosition position = source.human_position(diagnostic.location.span.begin);
      result.problems.push_back(fmt::format("{}:{}:{}: unexpected {}: {} [{}]", source.path(), position.line,
                                            position.column, severity_name(diagnostic.severity), diagnostic.message,
                                            diagnostic.info().name));
    }
  }
  for (const Expectation& expectation : expectations) {
    if (expectation.met) continue;
    result.problems.push_back(fmt::format("{}:{}: expected {} not seen: {{{{{}}}}}", source.path(),
                                          expectation.line + 1, severity_name(expectation.severity), expectation.text));
  }
  if (expect_none && !expectations.empty()) {
    result.problems.push_back(fmt::format("{}: expected-no-diagnostics together with expectations", source.path()));
  }
  result.ok = result.problems.empty();
  return result;
}

}  // namespace cadence
