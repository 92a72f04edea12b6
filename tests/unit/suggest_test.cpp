#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "support/suggest.hpp"

using namespace cadence;

TEST_CASE("the bounded edit distance agrees with the full one within its limit", "[suggest]") {
  std::mt19937 random(7);
  auto word = [&] {
    std::string text;
    const int length = static_cast<int>(random() % 12);
    for (int i = 0; i < length; ++i) text += static_cast<char>('a' + random() % 4);
    return text;
  };
  for (int round = 0; round < 5000; ++round) {
    const std::string a = word(), b = word();
    const std::size_t full = edit_distance(a, b);
    for (std::size_t limit = 0; limit < 6; ++limit) {
      const std::size_t bounded = bounded_edit_distance(a, b, limit);
      INFO(a << " / " << b << " limit " << limit);
      if (full <= limit)
        CHECK(bounded == full);
      else
        CHECK(bounded == limit + 1);
    }
  }
}

TEST_CASE("suggestions find typos, transpositions and truncations", "[suggest]") {
  const std::vector<std::string_view> names{"intro", "followup", "companyname", "breakup"};
  CHECK(closest_name("intr", names) == "intro");
  CHECK(closest_name("folowup", names) == "followup");
  CHECK(closest_name("brekaup", names) == "breakup");
  CHECK(closest_name("company", names) == "companyname");
  CHECK_FALSE(closest_name("zzz", names));
}

TEST_CASE("a word of one longer name suggests it; a word of several suggests nothing", "[suggest]") {
  const std::vector<std::string_view> labels{"durable_manufacturing", "service_retail", "vehicle_retail",
                                             "non_durable_merchandise_retail"};
  CHECK(closest_name("manufacturing", labels) == "durable_manufacturing");
  CHECK(closest_name("merchandise", labels) == "non_durable_merchandise_retail");
  CHECK_FALSE(closest_name("retail", labels));      // three names have it
  CHECK_FALSE(closest_name("manufactur", labels));  // only whole words count
}

TEST_CASE("a suggestion among many names costs a bounded number of comparisons", "[suggest]") {
  std::mt19937 random(11);
  std::vector<std::string> storage;
  for (int i = 0; i < 50000; ++i) {
    std::string name;
    for (int k = 0; k < 12; ++k) name += static_cast<char>('a' + random() % 26);
    storage.push_back(name);
  }
  std::vector<std::string_view> names(storage.begin(), storage.end());
  auto typo = [](std::string name) {
    name[5] = name[5] == 'z' ? 'y' : 'z';
    return name;
  };
  // A typo of a name early in the list is found...
  CHECK(closest_name(typo(storage[10]), names) == storage[10]);
  // ...one of a name past the comparison budget is not looked for.
  CHECK_FALSE(closest_name(typo(storage[40000]), names));
}
