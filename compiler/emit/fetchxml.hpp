// Segments to FetchXML, the query language of Dataverse views.
#pragma once

#include <string>
#include <string_view>

#include "sema/check.hpp"
#include "support/escape.hpp"
#include "syntax/ast.hpp"

namespace cadence {

/// The FetchXML query selecting the segment's records. `checked` is the
/// result of the module that defines the segment: what each comparison's
/// path resolved to (links become outer-joined link-entities, their
/// conditions name the link's alias). Option labels become their numbers.
///
/// FetchXML has no `not`: negations are pushed down to the conditions (De
/// Morgan; eq <-> ne, lt <-> ge, in <-> not-in, like <-> not-like, null <->
/// not-null, a day <-> the days before or after it). A filter selects
/// exactly the records its negation does not, so a negated test also selects
/// the records whose value is empty, which Dataverse's ne, not-in and
/// not-like leave out: those conditions carry an explicit `or null` when the
/// value can be empty (a field marked `?`, or any field behind a link).
[[nodiscard]] std::string segment_fetchxml(const ast::Segment& segment, const ast::Entity& entity,
                                           const CheckResult& checked);

/// A LIKE pattern matching `text` literally: %, _ and [ are bracketed.
[[nodiscard]] std::string like_literal(std::string_view text);

}  // namespace cadence
