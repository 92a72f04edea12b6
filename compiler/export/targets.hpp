// The targets, one file each (compiler/export/<name>.cpp).
#pragma once

#include "export/target.hpp"

namespace cadence::exporter {

[[nodiscard]] const Target& hubspot_target();
[[nodiscard]] const Target& outreach_target();
[[nodiscard]] const Target& salesloft_target();

}  // namespace cadence::exporter
