// SHA-256 (FIPS 180-4), for the content hashes a plan carries: a runtime
// joins enrolments and outcomes to the exact version of a sequence that ran.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cadence {

class Sha256 {
 public:
  Sha256();
  /// Adds bytes to the message; may be called any number of times.
  void update(std::string_view bytes);
  /// The digest of everything added, as 64 lowercase hex digits. The object
  /// must not be updated afterwards.
  [[nodiscard]] std::string hex_digest();

 private:
  void compress(const unsigned char* block);

  std::array<uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes
};

/// The hex digest of `bytes`.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace cadence
