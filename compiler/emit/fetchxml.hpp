// Segments to FetchXML, the query language of Dataverse views.
#pragma once

#include <string>
#include <string_view>

#include "support/escape.hpp"
#include "syntax/ast.hpp"

namespace cadence {

/// The FetchXML query selecting the segment's records. `entity` is the
/// segment's (checked) entity: option labels become their numbers. FetchXML
/// has no `not`, so negations are pushed down to the conditions (De Morgan;
/// eq <-> ne, lt <-> ge, in <-> not-in, null <-> not-null).
[[nodiscard]] std::string segment_fetchxml(const ast::Segment& segment, const ast::Entity& entity);

}  // namespace cadence
