#include "import/importer.hpp"

#include <algorithm>

namespace cadence::importer {

std::size_t Result::problems() const {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.fidelity == Fidelity::Unsupported;
  }));
}

const std::vector<std::string>& source_names() {
  static const std::vector<std::string> kNames{"hubspot", "outreach", "salesloft"};
  return kNames;
}

Result import_from(std::string_view platform, const std::vector<Input>& inputs) {
  if (platform == "hubspot") return import_hubspot(inputs);
  return platform == "salesloft" ? import_salesloft(inputs) : import_outreach(inputs);
}

}  // namespace cadence::importer
