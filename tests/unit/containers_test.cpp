#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "support/flat_map.hpp"
#include "support/small_vector.hpp"

using namespace cadence;

namespace {

struct Pair {
  uint32_t a = 0;
  int64_t b = 0;
  bool operator==(const Pair&) const = default;
};

template <std::size_t N>
void check_same(const SmallVector<Pair, N>& small, const std::vector<Pair>& reference) {
  REQUIRE(small.size() == reference.size());
  REQUIRE(small.empty() == reference.empty());
  REQUIRE(std::vector<Pair>(small.begin(), small.end()) == reference);
  if (!reference.empty()) {
    CHECK(small.front() == reference.front());
    CHECK(small.back() == reference.back());
  }
}

}  // namespace

TEST_CASE("a small vector behaves as a vector inline, on the heap and across the switch", "[containers]") {
  for (std::size_t count : {0U, 1U, 2U, 3U, 5U, 17U, 100U}) {
    SmallVector<Pair, 2> small;
    std::vector<Pair> reference;
    for (std::size_t i = 0; i < count; ++i) {
      const Pair item{static_cast<uint32_t>(i), -static_cast<int64_t>(i) * 7};
      small.push_back(item);
      reference.push_back(item);
      check_same(small, reference);
    }
    CHECK(small.capacity() >= small.size());
    if (count <= 2) CHECK(small.capacity() == 2);  // nothing allocated

    SmallVector<Pair, 2> copy(small);
    check_same(copy, reference);
    SmallVector<Pair, 2> assigned;
    assigned.push_back({99, 99});
    assigned = copy;
    check_same(assigned, reference);
    CHECK(assigned == small);

    SmallVector<Pair, 2> moved(std::move(copy));
    check_same(moved, reference);
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from vector is empty
    SmallVector<Pair, 2> move_assigned;
    for (int i = 0; i < 5; ++i) move_assigned.push_back({7, 7});  // on the heap, released by the move
    move_assigned = std::move(moved);
    check_same(move_assigned, reference);

    // Pushing an element of its own while it grows.
    if (!reference.empty()) {
      SmallVector<Pair, 2> self = small;
      while (self.size() != self.capacity()) self.push_back(self.front());
      const Pair last = self.back();
      self.push_back(self.back());
      CHECK(self.back() == last);
      CHECK(self[self.size() - 2] == last);
    }
    small.clear();
    CHECK(small.empty());
  }
  SmallVector<uint32_t, 1> listed{4, 5, 6};
  CHECK(std::vector<uint32_t>(listed.begin(), listed.end()) == std::vector<uint32_t>{4, 5, 6});
  CHECK(listed[1] == 5);
}

TEST_CASE("a flat map finds what std::map finds", "[containers]") {
  std::mt19937 random(11);
  FlatMap<uint32_t, int> flat;
  std::map<uint32_t, int> reference;
  for (int i = 0; i < 20000; ++i) {
    const uint32_t key = static_cast<uint32_t>(random() % 3000) * 64;  // low bits all zero, like pointers
    flat[key] += i;
    reference[key] += i;
  }
  CHECK(flat.size() == reference.size());
  for (uint32_t key = 0; key < 3000 * 64; key += 32) {
    const int* found = flat.find(key);
    const auto it = reference.find(key);
    REQUIRE((found != nullptr) == (it != reference.end()));
    if (found != nullptr) CHECK(*found == it->second);
  }
  FlatMap<std::string_view, int> empty;
  CHECK(empty.find("x") == nullptr);
  empty.reserve(100);
  CHECK(empty.find("x") == nullptr);
  empty["x"] = 3;
  CHECK(*empty.find("x") == 3);
  CHECK(empty.size() == 1);
}

TEST_CASE("FlatMap::try_emplace adds only a missing key, and says which", "[containers]") {
  std::mt19937 random(5);
  FlatMap<uint32_t, int> flat;
  std::map<uint32_t, int> reference;
  for (int i = 0; i < 5000; ++i) {
    const uint32_t key = static_cast<uint32_t>(random() % 700) * 64;
    const auto [value, added] = flat.try_emplace(key, i);
    const auto [it, inserted] = reference.try_emplace(key, i);
    REQUIRE(added == inserted);
    REQUIRE(*value == it->second);
  }
  CHECK(flat.size() == reference.size());
  // The pointer it returns is the stored value: a write through it is kept.
  *flat.try_emplace(7).first = 42;
  CHECK(*flat.find(7) == 42);
  CHECK_FALSE(flat.try_emplace(7, 1).second);
  CHECK(*flat.find(7) == 42);
}

TEST_CASE("a flat map of strings finds what std::map finds, for every length of key", "[containers]") {
  // Keys of 0 to 24 bytes exercise the hash's eight-byte steps and its tail;
  // keys that differ only in their last byte or their length must not meet.
  std::vector<std::string> keys;
  for (std::size_t length = 0; length <= 24; ++length) {
    for (char last = 'a'; last <= 'e'; ++last) keys.push_back(std::string(length, 'x') + last);
    keys.emplace_back(length, 'x');
  }
  FlatMap<std::string_view, std::size_t> flat;
  std::map<std::string_view, std::size_t> reference;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    CHECK(flat.try_emplace(keys[i], i).second == reference.try_emplace(keys[i], i).second);
  }
  CHECK(flat.size() == reference.size());
  for (const auto& [key, value] : reference) {
    const std::size_t* found = flat.find(key);
    REQUIRE(found != nullptr);
    CHECK(*found == value);
  }
  CHECK(flat.find("xxxxxxxxxxxxxxxxxxxxxxxxxf") == nullptr);
  CHECK(ShortStringHash()("label") == ShortStringHash()(std::string("label")));
}
