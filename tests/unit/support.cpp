#include "support.hpp"

namespace cadence::test {

CheckResult Program::check_text(const std::string& text, const std::string& name) {
  const std::string path = "/virtual/" + name;
  files.set(path, text);
  (void)workspace->invalidate(path);
  CheckResult result = check(*workspace->load(path));
  sort_diagnostics(result.diagnostics);
  return result;
}

std::vector<std::string> names_of(const CheckResult& result) {
  std::vector<std::string> names;
  for (const Diagnostic& d : result.diagnostics) names.emplace_back(d.info().name);
  return names;
}

std::string sequence_with(const std::string& body, const std::string& extra_settings) {
  return "import \"std/lead\"\n"
         "template t for lead { subject \"Hi\" body \"Hello {{lead.fullname}}\" }\n"
         "sequence s {\n  target lead\n" +
         extra_settings + body + "\n}\n";
}

}  // namespace cadence::test
