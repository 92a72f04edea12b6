#include <catch2/catch.hpp>

#include <tao/pegtl/contrib/analyze.hpp>

#include "cadence/grammar.hpp"

TEST_CASE("the grammar has no rule that can loop without consuming input", "[grammar]") {
  REQUIRE(tao::pegtl::analyze<cadence::grammar::file>(1) == 0);
}
