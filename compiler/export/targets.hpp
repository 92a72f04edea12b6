// The targets, one file each (compiler/export/<name>.cpp).
#pragma once

#include "export/target.hpp"

namespace cadence::exporter {
struct Variables;
}

namespace cadence::exporter {

[[nodiscard]] const Target& hubspot_target();
[[nodiscard]] const Target& outreach_target();
[[nodiscard]] const Target& salesloft_target();

/// Each platform's variables for the merge fields it has (the importers
/// read them back).
[[nodiscard]] const Variables& hubspot_variables();
[[nodiscard]] const Variables& outreach_variables();
[[nodiscard]] const Variables& salesloft_variables();

}  // namespace cadence::exporter
