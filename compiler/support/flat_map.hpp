// A hash map in one array (open addressing, linear probing) for the
// checker's per-sequence lookups: built once, read many times, never erased
// from. Unlike std::unordered_map it makes no allocation per entry, only one
// per doubling of the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cadence {

/// A hash for the short strings the checker looks up (labels, arm names):
/// eight bytes at a time, mixed by multiplication, with no call into the
/// library (std::hash of a string is an out-of-line MurmurHash). FlatMap's
/// Fibonacci step spreads the result over the table.
struct ShortStringHash {
  std::size_t operator()(std::string_view text) const {
    constexpr uint64_t kMix = 0xFF51AFD7ED558CCDULL;
    uint64_t hash = text.size() * 0x9E3779B97F4A7C15ULL;
    const char* p = text.data();
    std::size_t left = text.size();
    for (; left >= 8; p += 8, left -= 8) {
      uint64_t word = 0;
      std::memcpy(&word, p, 8);
      hash = (hash ^ word) * kMix;
      hash ^= hash >> 32;
    }
    if (left > 0) {
      uint64_t word = 0;
      for (std::size_t i = 0; i < left; ++i) word |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
      hash = (hash ^ word) * kMix;
      hash ^= hash >> 32;
    }
    return static_cast<std::size_t>(hash);
  }
};

/// FlatMap's hash for a key type: ShortStringHash for string views.
template <typename Key>
struct FlatHash : std::hash<Key> {};
template <>
struct FlatHash<std::string_view> : ShortStringHash {};

template <typename Key, typename Value, typename Hash = FlatHash<Key>>
class FlatMap {
 public:
  FlatMap() = default;

  /// Room for `count` entries without growing.
  void reserve(std::size_t count) {
    std::size_t capacity = 8;
    while (capacity < count * 2) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }

  /// The value of `key`, with `value` added when `key` was missing, and
  /// whether it was added: one probe for "insert unless present".
  std::pair<Value*, bool> try_emplace(const Key& key, Value value = Value{}) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 8 : slots_.size() * 2);
    const std::size_t i = slot_of(key);
    if (slots_[i]) return {&slots_[i]->second, false};
    slots_[i].emplace(key, std::move(value));
    ++size_;
    return {&slots_[i]->second, true};
  }

  /// The value of `key`, added (value-initialised) when missing.
  Value& operator[](const Key& key) { return *try_emplace(key).first; }

  /// The value of `key`, or null.
  [[nodiscard]] const Value* find(const Key& key) const {
    if (slots_.empty()) return nullptr;
    const std::size_t i = slot_of(key);
    return slots_[i] ? &slots_[i]->second : nullptr;
  }

  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  /// The slot holding `key`, or the empty one where it would go.
  [[nodiscard]] std::size_t slot_of(const Key& key) const {
    const std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: the product's top bits mix every bit of the hash
    // (a pointer's low bits, say, are all zero).
    std::size_t i = static_cast<std::size_t>((static_cast<uint64_t>(Hash()(key)) * 0x9E3779B97F4A7C15ULL) >> shift_);
    while (slots_[i] && !(slots_[i]->first == key)) i = (i + 1) & mask;
    return i;
  }

  void rehash(std::size_t capacity) {
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c /= 2) --shift_;
    std::vector<std::optional<std::pair<Key, Value>>> old(capacity);
    old.swap(slots_);
    for (auto& slot : old) {
      if (slot) slots_[slot_of(slot->first)] = std::move(slot);
    }
  }

  std::vector<std::optional<std::pair<Key, Value>>> slots_;
  std::size_t size_ = 0;
  /// 64 - log2 of the table's size.
  int shift_ = 64;
};

}  // namespace cadence
